package engine

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

// fuzzBytes hands out fuzz input byte by byte; past the end it yields zeros.
type fuzzBytes struct{ data []byte }

func (f *fuzzBytes) byte() byte {
	if len(f.data) == 0 {
		return 0
	}
	b := f.data[0]
	f.data = f.data[1:]
	return b
}

func (f *fuzzBytes) uint16() int64 { return int64(f.byte())<<8 | int64(f.byte()) }

func (f *fuzzBytes) pick(options []string) string { return options[int(f.byte())%len(options)] }

// Versions and names are drawn from small sets so that version-dependent profiles, unknown
// and malformed versions, and duplicate names all come up.
var (
	fuzzVersions      = []string{"", "", "20", "22", "27", "6", "7", "10.1", "9.0.80", "1", "v20", "x", "1..2", "999999999999"}
	fuzzNames         = []string{"", "", "api", "web", "api", "a b", "\"q\""}
	fuzzNginxVersions = []string{"", "1.14.2", "1.15.3", "1.19.9", "1.19.10", "1.22.1", "1.29.6", "1.29.7", "1.30.0", "2", "x"}
	fuzzLBTypes       = []string{"aws-alb", "gcp-alb", "custom", "gunicorn", "nope"}
)

// fuzzDuration is a millisecond-granular duration from 0 up to about 18 hours, biased towards
// the short timeouts where the rule bites.
func (f *fuzzBytes) duration() time.Duration {
	ms := f.uint16()
	if f.byte()%4 == 0 {
		ms *= 1000
	}
	return time.Duration(ms) * time.Millisecond
}

// fuzzInput builds an engine.Input from fuzz bytes: 1 to 8 backends over the whole catalogue
// (load balancers and unknown types included) with random overrides, and random options.
func fuzzInput(data []byte) Input {
	f := &fuzzBytes{data: data}
	types := append(catalog.Types(), "no-such-type")
	in := Input{NginxVersion: f.pick(fuzzNginxVersions)}
	for n := 1 + int(f.byte())%8; n > 0; n-- {
		b := Backend{Type: f.pick(types), Version: f.pick(fuzzVersions), Name: f.pick(fuzzNames)}
		flags := f.byte()
		if flags&1 != 0 {
			d := f.duration()
			b.IdleTimeout = &d
		}
		if flags&2 != 0 {
			r := f.uint16() - 16 // a few negative caps too
			b.MaxRequests = &r
		}
		if flags&4 != 0 {
			d := f.duration()
			b.MaxConnectionAge = &d
		}
		in.Backends = append(in.Backends, b)
	}
	opts := f.byte()
	if opts&1 != 0 {
		m := f.duration() / 4
		in.IdleMargin = &m
	}
	if opts&2 != 0 {
		m := int64(f.byte()) - 2
		in.RequestsMargin = &m
	}
	if opts&4 != 0 {
		in.PeakRequestsPerSecond = f.uint16() << (f.byte() % 48) // up to about 2^63
		in.PeakConcurrency = f.uint16()
		in.WorkerProcesses = int64(f.byte())
	}
	if opts&8 != 0 {
		lb := LoadBalancer{Type: f.pick(fuzzLBTypes)}
		if f.byte()%2 == 0 {
			d := f.duration()
			lb.IdleTimeout = &d
		}
		in.LoadBalancer = &lb
	}
	return in
}

// effectiveBackend is one backend's limits after overrides, worked out here from the catalogue
// and the documented override semantics, independently of resolve().
type effectiveBackend struct {
	label     string // the name as it must appear in explanations
	keepAlive bool
	idle, age time.Duration // 0 = unbounded
	requests  int64         // 0 = unbounded
}

func effectiveOf(t *testing.T, b Backend) effectiveBackend {
	res, err := catalog.Lookup(b.Type, b.Version)
	if err != nil {
		t.Fatalf("Recommend accepted backend %+v that the catalogue rejects: %v", b, err)
	}
	d := res.Defaults
	e := effectiveBackend{label: res.Profile.Type, keepAlive: d.KeepAliveSupported}
	if b.Name != "" {
		e.label = fmt.Sprintf("%q", b.Name)
	}
	if d.IdleTimeout.Kind == catalog.Bounded {
		e.idle = d.IdleTimeout.Value
	}
	if d.MaxRequests.Kind == catalog.Bounded {
		e.requests = d.MaxRequests.Value
	}
	if d.MaxConnectionAge.Kind == catalog.Bounded {
		e.age = d.MaxConnectionAge.Value
	}
	if b.IdleTimeout != nil { // an explicit idle timeout means the server keeps connections alive
		e.idle, e.keepAlive = *b.IdleTimeout, true
	}
	if b.MaxRequests != nil {
		e.requests = *b.MaxRequests // 0 = unlimited
	}
	if b.MaxConnectionAge != nil {
		e.age = *b.MaxConnectionAge
	}
	return e
}

// renderedNginx is what a user gets by applying the recommendation: the directives the renderer
// writes for that nginx version (see render.UpstreamConfig), everything else nginx's default.
func renderedNginx(rec Recommendation) Nginx {
	nd := nginxver.DefaultsFor(mustVersion(rec.NginxVersion))
	ng := Nginx{Version: rec.NginxVersion}
	pool := rec.Pool
	if !rec.KeepaliveEnabled {
		pool = 0
	}
	ng.Keepalive = &pool
	if rec.KeepaliveEnabled && nd.SupportsUpstreamTimeouts {
		timeout, requests := rec.KeepaliveTimeout, rec.KeepaliveRequests
		ng.KeepaliveTimeout, ng.KeepaliveRequests = &timeout, &requests
	}
	if rec.KeepaliveEnabled && nd.SupportsKeepaliveTime && rec.KeepaliveTime > 0 {
		age := rec.KeepaliveTime
		ng.KeepaliveTime = &age
	}
	if rec.ClientKeepaliveTimeout > 0 {
		client := rec.ClientKeepaliveTimeout
		ng.ClientKeepaliveTimeout = &client
	}
	return ng
}

func mustVersion(s string) nginxver.Version {
	v, err := nginxver.Parse(s)
	if err != nil {
		panic(fmt.Sprintf("recommendation carries an invalid nginx version %q: %v", s, err))
	}
	return v
}

// explanationFor returns the explanation line about one directive ("keepalive_timeout ...").
func explanationFor(rec Recommendation, directive string) string {
	for _, line := range rec.Explanation {
		if strings.HasPrefix(line, directive+" ") {
			return line
		}
	}
	return ""
}

// FuzzRecommend: for any backend list, Recommend never panics; when it recommends keep-alive,
// nginx closes before every backend, the explanation names the backend that limited each value,
// and Check finds no error in the settings it recommended.
func FuzzRecommend(f *testing.F) {
	f.Add([]byte{8, 0, 0})
	f.Add([]byte("\x05\x03gunicorn tomcat node"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := fuzzInput(data)
		rec, err := Recommend(in)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || len(ie.Path) == 0 || ie.Detail == "" {
				t.Fatalf("Recommend error is not an attribute-pointed InputError: %T %v", err, err)
			}
			return
		}
		for _, line := range append(rec.Explanation, rec.Warnings...) {
			if negativeNumber.MatchString(line) {
				t.Fatalf("negative number (integer overflow?) in %q for %+v", line, in)
			}
		}
		if !rec.KeepaliveEnabled {
			if rec.KeepaliveOffReason == "" || rec.Pool != 0 {
				t.Fatalf("keep-alive off without a reason or with pool %d: %+v", rec.Pool, rec)
			}
		} else {
			checkBounds(t, in, rec)
		}
		vs, err := Check(in, renderedNginx(rec))
		if err != nil {
			t.Fatalf("Check rejected the recommended settings %+v: %v", renderedNginx(rec), err)
		}
		for _, v := range vs {
			if v.Severity == Error {
				t.Fatalf("Check finds an error in the recommendation for %+v:\n%s: %s\nrecommendation: %+v", in, v.Attribute, v.Message(), rec)
			}
		}
	})
}

func checkBounds(t *testing.T, in Input, rec Recommendation) {
	t.Helper()
	var idleLimiters, requestLimiters []effectiveBackend
	var minIdle time.Duration
	var minRequests int64
	for _, b := range in.Backends {
		e := effectiveOf(t, b)
		if !e.keepAlive {
			t.Fatalf("keep-alive recommended although %s cannot keep connections alive: %+v", e.label, rec)
		}
		if e.idle > 0 && rec.KeepaliveTimeout >= e.idle {
			t.Fatalf("keepalive_timeout %v is not below %s's idle timeout %v", rec.KeepaliveTimeout, e.label, e.idle)
		}
		if e.requests > 0 && rec.KeepaliveRequests >= e.requests {
			t.Fatalf("keepalive_requests %d is not below %s's cap %d", rec.KeepaliveRequests, e.label, e.requests)
		}
		if e.age > 0 && rec.KeepaliveTime > 0 && rec.KeepaliveTime >= e.age {
			t.Fatalf("keepalive_time %v is not below %s's connection age %v", rec.KeepaliveTime, e.label, e.age)
		}
		switch {
		case e.idle > 0 && (len(idleLimiters) == 0 || e.idle < minIdle):
			idleLimiters, minIdle = []effectiveBackend{e}, e.idle
		case e.idle > 0 && e.idle == minIdle:
			idleLimiters = append(idleLimiters, e)
		}
		switch {
		case e.requests > 0 && (len(requestLimiters) == 0 || e.requests < minRequests):
			requestLimiters, minRequests = []effectiveBackend{e}, e.requests
		case e.requests > 0 && e.requests == minRequests:
			requestLimiters = append(requestLimiters, e)
		}
	}
	if rec.KeepaliveTimeout <= 0 || rec.KeepaliveRequests < 1 || rec.Pool < 1 {
		t.Fatalf("keep-alive on with unusable values: timeout %v, requests %d, pool %d", rec.KeepaliveTimeout, rec.KeepaliveRequests, rec.Pool)
	}
	assertNamesLimiter(t, rec, "keepalive_timeout", idleLimiters)
	assertNamesLimiter(t, rec, "keepalive_requests", requestLimiters)
}

// assertNamesLimiter: the explanation of a directive names one of the backends with the
// tightest limit (several can tie).
func assertNamesLimiter(t *testing.T, rec Recommendation, directive string, limiters []effectiveBackend) {
	t.Helper()
	if len(limiters) == 0 {
		return
	}
	line := explanationFor(rec, directive)
	for _, l := range limiters {
		if strings.Contains(line, l.label) {
			return
		}
	}
	labels := make([]string, 0, len(limiters))
	for _, l := range limiters {
		labels = append(labels, l.label)
	}
	t.Fatalf("the %s explanation %q names none of the limiting backends %v", directive, line, labels)
}

var negativeNumber = regexp.MustCompile(`(^|\s)-[0-9]`)

// Inputs the fuzzer found, kept as named regression tests (their seeds above depend on the
// catalogue's order; these do not).
func TestRecommendFuzzFindings(t *testing.T) {
	idle, zero := time.Millisecond, time.Duration(0)
	noMargin, cap32 := int64(0), int64(32)
	cases := map[string]Input{
		"nginx without upstream timeouts in front of a 5s backend": {
			Backends: []Backend{{Type: "actix-web"}}, NginxVersion: "1.14.2"},
		"idle_margin 0 with a 1ms backend": {
			Backends: []Backend{{Type: "custom", IdleTimeout: &idle, MaxRequests: &noMargin}}, IdleMargin: &zero},
		"idle_margin 0 with gunicorn": {
			Backends: []Backend{{Type: "gunicorn"}}, IdleMargin: &zero},
		"requests_margin 0 with tomcat": {
			Backends: []Backend{{Type: "tomcat"}}, RequestsMargin: &noMargin},
		"nginx without upstream keepalive_requests in front of a request cap": {
			Backends: []Backend{{Type: "vertx", MaxRequests: &cap32}}, NginxVersion: "1.14.2"},
		"peak_requests_per_second near max int64": {
			Backends: []Backend{{Type: "gunicorn"}}, PeakRequestsPerSecond: math.MaxInt64, Servers: []string{"a:1", "b:1"}},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := Recommend(in)
			if err != nil {
				return // rejecting the input is a valid answer
			}
			if rec.KeepaliveEnabled {
				checkBounds(t, in, rec)
			}
			for _, line := range append(rec.Explanation, rec.Warnings...) {
				if negativeNumber.MatchString(line) {
					t.Errorf("negative number in %q (integer overflow?)", line)
				}
			}
			vs, err := Check(in, renderedNginx(rec))
			if err != nil {
				t.Fatalf("Check rejected the recommended settings: %v", err)
			}
			for _, v := range vs {
				if v.Severity == Error {
					t.Errorf("Check finds an error in the recommendation: %s: %s", v.Attribute, v.Message())
				}
			}
		})
	}
}
