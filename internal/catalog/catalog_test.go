package catalog

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var typeID = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)

// TestProfilesWellFormed checks every entry of the table: ids, citations, value kinds,
// version ranges and the knob names that messages rely on.
func TestProfilesWellFormed(t *testing.T) {
	for i := range profiles {
		p := &profiles[i]
		t.Run(p.Type, func(t *testing.T) {
			if !typeID.MatchString(p.Type) {
				t.Errorf("type id %q is not lower-case kebab", p.Type)
			}
			if p.Name == "" {
				t.Error("no Name")
			}
			if p.Custom {
				if len(p.Defaults) != 0 {
					t.Error("custom profile must not carry defaults")
				}
				return
			}
			if len(p.Defaults) == 0 {
				t.Fatal("no Defaults")
			}
			if p.Knobs.IdleTimeout == "" && hasBoundedIdle(p) && !slices.Contains(knobless, p.Type) {
				t.Error("no knob name for the idle timeout, so messages cannot say what to raise")
			}
			for j, d := range p.Defaults {
				checkDefaults(t, p, j, d)
			}
			checkRanges(t, p.Defaults)
		})
	}
}

func checkDefaults(t *testing.T, p *Profile, j int, d Defaults) {
	t.Helper()
	where := rangeLabel(d)
	if strings.TrimSpace(d.Source) == "" {
		t.Errorf("range %d %s: no Source", j, where)
	}
	checkDuration(t, where+" IdleTimeout", d.IdleTimeout)
	checkDuration(t, where+" MaxConnectionAge", d.MaxConnectionAge)
	checkCount(t, where+" MaxRequests", d.MaxRequests)
	if !d.KeepAliveSupported {
		return
	}
	// A value the user must supply needs a note saying why.
	if (d.IdleTimeout.Kind == Unknown || d.MaxRequests.Kind == Unknown) && d.Notes == "" {
		t.Errorf("%s: a value is unknown but Notes do not say why", where)
	}
	if d.MaxRequests.Kind == Bounded && p.Knobs.MaxRequests == "" {
		t.Errorf("%s: bounded request cap but no knob name to raise it", where)
	}
	if d.MaxConnectionAge.Kind == Bounded && p.Knobs.MaxConnectionAge == "" {
		t.Errorf("%s: bounded connection age but no knob name", where)
	}
	// The catalogue must never claim a longer idle timeout than the server really keeps.
	if d.ObservedIdleClose != 0 && d.IdleTimeout.Kind == Bounded && d.ObservedIdleClose < d.IdleTimeout.Value {
		t.Errorf("%s: observed close %v is earlier than the catalogued %v", where, d.ObservedIdleClose, d.IdleTimeout.Value)
	}
	if d.ObservedStillOpen != 0 && d.IdleTimeout.Kind == Bounded && d.ObservedStillOpen < d.IdleTimeout.Value {
		t.Errorf("%s: still-open observation %v does not exceed the catalogued %v", where, d.ObservedStillOpen, d.IdleTimeout.Value)
	}
}

func checkDuration(t *testing.T, what string, l DurationLimit) {
	t.Helper()
	switch l.Kind {
	case Bounded:
		if l.Value <= 0 {
			t.Errorf("%s: bounded value %v is not positive", what, l.Value)
		}
	case Unknown, Unlimited:
		if l.Value != 0 {
			t.Errorf("%s: %s limit carries a value %v", what, l.Kind, l.Value)
		}
	default:
		t.Errorf("%s: invalid kind %d", what, l.Kind)
	}
}

func checkCount(t *testing.T, what string, l CountLimit) {
	t.Helper()
	switch l.Kind {
	case Bounded:
		if l.Value <= 0 {
			t.Errorf("%s: bounded value %d is not positive", what, l.Value)
		}
	case Unknown, Unlimited:
		if l.Value != 0 {
			t.Errorf("%s: %s limit carries a value %d", what, l.Kind, l.Value)
		}
	default:
		t.Errorf("%s: invalid kind %d", what, l.Kind)
	}
}

// checkRanges: versions parse, each range is non-empty, ranges are ordered oldest first and
// do not overlap.
func checkRanges(t *testing.T, all []Defaults) {
	t.Helper()
	for j, d := range all {
		for _, v := range []string{d.MinVersion, d.MaxVersion} {
			if _, err := parseVersion(v); v != "" && err != nil {
				t.Errorf("range %d: %v", j, err)
			}
		}
		if d.MinVersion != "" && d.MaxVersion != "" && compareVersions(d.MinVersion, d.MaxVersion) >= 0 {
			t.Errorf("range %d %s is empty", j, rangeLabel(d))
		}
		if j == 0 {
			continue
		}
		prev := all[j-1]
		if prev.MaxVersion == "" || d.MinVersion == "" || compareVersions(prev.MaxVersion, d.MinVersion) > 0 {
			t.Errorf("ranges %s and %s overlap or are out of order", rangeLabel(prev), rangeLabel(d))
		}
	}
}

// knobless servers keep alive with a fixed default that has no setting of their own.
var knobless = []string{"daphne"}

func hasBoundedIdle(p *Profile) bool {
	for _, d := range p.Defaults {
		if d.KeepAliveSupported && d.IdleTimeout.Kind == Bounded {
			return true
		}
	}
	return false
}

func rangeLabel(d Defaults) string {
	return "[" + d.MinVersion + ", " + d.MaxVersion + ")"
}

func TestRequiredTypesPresent(t *testing.T) {
	required := []string{
		"tomcat", "tomcat-embedded", "spring-boot-tomcat", "spring-boot-jetty", "spring-boot-undertow",
		"spring-boot-netty", "jetty", "undertow", "wildfly", "gunicorn", "gunicorn-sync", "uvicorn", "hypercorn",
		"daphne", "waitress", "aiohttp", "uwsgi", "node", "express", "fastify", "puma", "unicorn", "rails",
		"go-net-http", "kestrel", "iis", "apache-httpd", "nginx", "caddy", "envoy", "haproxy", "traefik",
		"reactor-netty", "vertx", "akka-http", "pekko-http", "actix-web", "bun", "aws-alb", "gcp-alb", "custom",
	}
	have := Types()
	for _, id := range required {
		if !slices.Contains(have, id) {
			t.Errorf("type %q missing", id)
		}
	}
}

func TestTypesSortedAndUnique(t *testing.T) {
	ids := Types()
	if len(ids) != len(profiles) {
		t.Fatalf("Types() returned %d ids for %d profiles", len(ids), len(profiles))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Errorf("Types() not strictly sorted at %q, %q (duplicate or out of order)", ids[i-1], ids[i])
		}
	}
}

func TestLoadBalancers(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		idle time.Duration
	}{
		{"aws-alb", 60 * time.Second},
		{"gcp-alb", 600 * time.Second},
	} {
		res := mustLookup(t, tc.typ, "")
		if !res.Profile.IsLoadBalancer {
			t.Errorf("%s: not marked as a load balancer", tc.typ)
		}
		if got := res.Defaults.IdleTimeout; got.Kind != Bounded || got.Value != tc.idle {
			t.Errorf("%s: idle %+v, want %v", tc.typ, got, tc.idle)
		}
	}
	for _, id := range []string{"gunicorn", "tomcat", "node", "nginx", "custom"} {
		if mustLookup(t, id, "").Profile.IsLoadBalancer {
			t.Errorf("%s marked as a load balancer", id)
		}
	}
}

func TestNoKeepAliveServers(t *testing.T) {
	for _, id := range []string{"gunicorn-sync", "unicorn", "php-builtin"} {
		if mustLookup(t, id, "").Defaults.KeepAliveSupported {
			t.Errorf("%s must not support keep-alive", id)
		}
	}
	for _, id := range []string{"gunicorn", "tomcat", "node", "puma"} {
		if !mustLookup(t, id, "").Defaults.KeepAliveSupported {
			t.Errorf("%s must support keep-alive", id)
		}
	}
}

// TestLookupVersions pins the version splits at their boundaries. Values stated in the
// project's issue (gunicorn 2 s, Tomcat 20 s / 100, Node <= 26 5 s, Puma 20 s vs 65 s / 999,
// Fastify 5 s vs 72 s, nginx 100 vs 1000) are asserted as numbers; the rest by relation below.
func TestLookupVersions(t *testing.T) {
	const unchecked = -1
	for _, tc := range []struct {
		typ, version string
		idle         time.Duration // 0 = no idle limit, unchecked = not asserted here
		requests     int64         // 0 = no cap, unchecked = not asserted here
		conservative bool
	}{
		{"gunicorn", "20.1.0", 2 * time.Second, 0, false},
		{"tomcat", "10.1.60", 20 * time.Second, 100, false},
		{"tomcat", "8.5", 20 * time.Second, 100, false},
		{"tomcat", "7.0.109", 20 * time.Second, 100, true}, // before the checked range: safe merge
		{"node", "20", 5 * time.Second, 0, false},
		{"node", "8", 5 * time.Second, 0, false},
		{"node", "26.1.0", 5 * time.Second, 0, false},
		{"node", "27", 5 * time.Second, 0, true}, // 65 s on main is not released: stay safe
		{"node", "v20.20.2", 5 * time.Second, 0, false},
		{"express", "20", 5 * time.Second, 0, false},
		{"puma", "5.6.5", 20 * time.Second, 0, false},
		{"puma", "6.99.99", 20 * time.Second, 0, false},
		{"puma", "7", 65 * time.Second, 999, false},
		{"puma", "7.0.0", 65 * time.Second, 999, false},
		{"rails", "7.1", 65 * time.Second, 999, false},
		{"fastify", "3.29.5", 5 * time.Second, 0, false},
		{"fastify", "4", 72 * time.Second, 0, false},
		{"nginx", "1.19.9", unchecked, 100, false},
		{"nginx", "1.19.10", unchecked, 1000, false},
		{"nginx", "1.22.1", unchecked, 1000, false},
		{"hypercorn", "0.15.0", 5 * time.Second, 0, false},
		{"hypercorn", "0.16.0", 5 * time.Second, unchecked, false},
		{"caddy", "2.2.1", 0, 0, false},
		{"aiohttp", "3.8.4", unchecked, 0, false},
		{"apache-httpd", "2.4.71", 5 * time.Second, 100, false},
	} {
		t.Run(tc.typ+"@"+tc.version, func(t *testing.T) {
			res := mustLookup(t, tc.typ, tc.version)
			d := res.Defaults
			if res.Conservative != tc.conservative {
				t.Errorf("Conservative = %v, want %v", res.Conservative, tc.conservative)
			}
			if tc.idle != unchecked {
				assertIdle(t, d.IdleTimeout, tc.idle)
			}
			if tc.requests != unchecked {
				assertRequests(t, d.MaxRequests, tc.requests)
			}
		})
	}
}

func assertIdle(t *testing.T, got DurationLimit, want time.Duration) {
	t.Helper()
	if want == 0 {
		if got.Kind != Unlimited {
			t.Errorf("idle %+v, want no limit", got)
		}
		return
	}
	if got.Kind != Bounded || got.Value != want {
		t.Errorf("idle %+v, want %v", got, want)
	}
}

func assertRequests(t *testing.T, got CountLimit, want int64) {
	t.Helper()
	if want == 0 {
		if got.Kind != Unlimited {
			t.Errorf("requests %+v, want no cap", got)
		}
		return
	}
	if got.Kind != Bounded || got.Value != want {
		t.Errorf("requests %+v, want %d", got, want)
	}
}

// TestVersionSplitsChangeSomething: each split must separate different behaviour, in the
// direction the sources describe.
func TestVersionSplitsChangeSomething(t *testing.T) {
	idle := func(typ, v string) DurationLimit { return mustLookup(t, typ, v).Defaults.IdleTimeout }
	age := func(typ, v string) DurationLimit { return mustLookup(t, typ, v).Defaults.MaxConnectionAge }
	reqs := func(typ, v string) CountLimit { return mustLookup(t, typ, v).Defaults.MaxRequests }

	if a, b := idle("kestrel", "5.0"), idle("kestrel", "6.0"); a.Kind != Bounded || b.Kind != Bounded || a.Value >= b.Value {
		t.Errorf("kestrel: 6.0 should raise the idle timeout: %+v -> %+v", a, b)
	}
	if a, b := idle("caddy", "2.2.1"), idle("caddy", "2.6.2"); a.Kind != Unlimited || b.Kind != Bounded {
		t.Errorf("caddy: 2.3.0 should introduce an idle timeout: %+v -> %+v", a, b)
	}
	if a, b := age("nginx", "1.19.9"), age("nginx", "1.19.10"); a.Kind != Unlimited || b.Kind != Bounded {
		t.Errorf("nginx: keepalive_time should start at 1.19.10: %+v -> %+v", a, b)
	}
	if a, b := reqs("hypercorn", "0.15.0"), reqs("hypercorn", "0.16.0"); a.Kind != Unlimited || b.Kind != Bounded {
		t.Errorf("hypercorn: keep_alive_max_requests should start at 0.16.0: %+v -> %+v", a, b)
	}
	if a, b := idle("hyper", "1.5.2"), idle("hyper", "1.6.0"); a.Kind != Unlimited || b.Kind != Bounded {
		t.Errorf("hyper: 1.6.0 should bound idle connections: %+v -> %+v", a, b)
	}
	if a, b := idle("fastify", "3.0.0"), idle("fastify", "4.0.0"); a.Value >= b.Value {
		t.Errorf("fastify: v4 should raise the idle timeout: %+v -> %+v", a, b)
	}
}

// TestDebianVersionsMeasured: the versions the lab measures resolve to one exact range, and
// the measured quirks are recorded there.
func TestDebianVersionsMeasured(t *testing.T) {
	for _, tc := range []struct{ typ, version string }{
		{"gunicorn", "20.1.0"}, {"uvicorn", "0.17.6"}, {"hypercorn", "0.13.2"}, {"waitress", "2.1.2"},
		{"aiohttp", "3.8.4"}, {"tomcat", "10.1.60"}, {"jetty", "9.4.57"}, {"apache-httpd", "2.4.71"},
		{"puma", "5.6.5"}, {"uwsgi", "2.0.21"}, {"caddy", "2.6.2"}, {"haproxy", "2.6.12"}, {"node", "20"},
	} {
		if res := mustLookup(t, tc.typ, tc.version); res.Conservative {
			t.Errorf("%s %s falls outside every known range", tc.typ, tc.version)
		}
	}
	if d := mustLookup(t, "node", "20").Defaults; d.ObservedIdleClose <= d.IdleTimeout.Value {
		t.Errorf("node 20: the 1 s buffer beyond keepAliveTimeout is not recorded (%v)", d.ObservedIdleClose)
	}
	if d := mustLookup(t, "waitress", "2.1.2").Defaults; d.ObservedIdleClose <= d.IdleTimeout.Value {
		t.Errorf("waitress: the cleanup sweep delay is not recorded (%v)", d.ObservedIdleClose)
	}
	old, fixed := mustLookup(t, "hypercorn", "0.13.2").Defaults, mustLookup(t, "hypercorn", "0.14.0").Defaults
	if old.ObservedStillOpen == 0 || fixed.ObservedStillOpen != 0 {
		t.Errorf("hypercorn: the 0.13.x never-closing idle connection should be recorded for 0.13 only: %v / %v",
			old.ObservedStillOpen, fixed.ObservedStillOpen)
	}
	if old.IdleTimeout.Kind != Bounded {
		t.Errorf("hypercorn 0.13.2: the trio worker still closes at keep_alive_timeout; keep the bounded value, got %+v", old.IdleTimeout)
	}
}

// TestUnversionedLookupIsTightest: without a version, every limit is at most what any version
// has, and an unknown in any version stays unknown.
func TestUnversionedLookupIsTightest(t *testing.T) {
	for i := range profiles {
		p := &profiles[i]
		if p.Custom {
			continue
		}
		res := mustLookup(t, p.Type, "")
		differ := false
		for _, d := range p.Defaults[1:] {
			differ = differ || d.IdleTimeout != p.Defaults[0].IdleTimeout || d.MaxRequests != p.Defaults[0].MaxRequests ||
				d.MaxConnectionAge != p.Defaults[0].MaxConnectionAge || d.KeepAliveSupported != p.Defaults[0].KeepAliveSupported
		}
		if res.Conservative != differ {
			t.Errorf("%s: Conservative = %v, but the ranges differ = %v", p.Type, res.Conservative, differ)
		}
		for _, d := range p.Defaults {
			if !atMostDuration(res.Defaults.IdleTimeout, d.IdleTimeout) {
				t.Errorf("%s: unversioned idle %+v is looser than range %s %+v", p.Type, res.Defaults.IdleTimeout, rangeLabel(d), d.IdleTimeout)
			}
			if !atMostDuration(res.Defaults.MaxConnectionAge, d.MaxConnectionAge) {
				t.Errorf("%s: unversioned age %+v is looser than range %s", p.Type, res.Defaults.MaxConnectionAge, rangeLabel(d))
			}
			if !atMostCount(res.Defaults.MaxRequests, d.MaxRequests) {
				t.Errorf("%s: unversioned requests %+v are looser than range %s %+v", p.Type, res.Defaults.MaxRequests, rangeLabel(d), d.MaxRequests)
			}
			if d.MinVersion == "" && d.MaxVersion == "" && len(p.Defaults) > 1 {
				t.Errorf("%s: unbounded range next to others", p.Type)
			}
		}
	}
	// The two the brief names explicitly.
	assertIdle(t, mustLookup(t, "node", "").Defaults.IdleTimeout, 5*time.Second)
	assertIdle(t, mustLookup(t, "puma", "").Defaults.IdleTimeout, 20*time.Second)
}

func atMostDuration(merged, one DurationLimit) bool {
	switch {
	case one.Kind == Unknown:
		return merged.Kind == Unknown
	case merged.Kind == Unknown:
		return true
	case one.Kind == Unlimited:
		return true
	default:
		return merged.Kind == Bounded && merged.Value <= one.Value
	}
}

func atMostCount(merged, one CountLimit) bool {
	switch {
	case one.Kind == Unknown:
		return merged.Kind == Unknown
	case merged.Kind == Unknown:
		return true
	case one.Kind == Unlimited:
		return true
	default:
		return merged.Kind == Bounded && merged.Value <= one.Value
	}
}

func TestUnknownValuesMustComeFromUser(t *testing.T) {
	for _, tc := range []struct {
		typ                string
		idleUnknown, reqUK bool
	}{
		{"deno", true, true},
		{"haproxy", true, true},
		{"php-fpm", true, true},
		{"azure-appgw", true, false},
		{"iis", false, true},
		{"custom", true, true},
	} {
		d := mustLookup(t, tc.typ, "").Defaults
		if (d.IdleTimeout.Kind == Unknown) != tc.idleUnknown {
			t.Errorf("%s: idle kind %s, want unknown=%v", tc.typ, d.IdleTimeout.Kind, tc.idleUnknown)
		}
		if (d.MaxRequests.Kind == Unknown) != tc.reqUK {
			t.Errorf("%s: requests kind %s, want unknown=%v", tc.typ, d.MaxRequests.Kind, tc.reqUK)
		}
	}
}

func TestUnknownTypeSuggests(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"gunicron", "gunicorn"},
		{"tomcat9", "tomcat"},
		{"Tomcat10", "tomcat"},
		{"node20", "node"},
		{"nodejs", "node"},
		{"httpd", "apache-httpd"},
		{"apache2", "apache-httpd"},
		{"uvicron", "uvicorn"},
		{"spring-boot", "spring-boot-tomcat"},
		{"golang", "go-net-http"},
		{"qwertyuiop", ""},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Lookup(tc.in, "")
			var ute *UnknownTypeError
			if !errors.As(err, &ute) {
				t.Fatalf("Lookup(%q) error %v, want *UnknownTypeError", tc.in, err)
			}
			if ute.Suggestion != tc.want {
				t.Errorf("suggestion %q, want %q", ute.Suggestion, tc.want)
			}
			msg := err.Error()
			if tc.want != "" && !strings.Contains(msg, `did you mean "`+tc.want+`"`) {
				t.Errorf("message does not suggest %q: %s", tc.want, msg)
			}
			if !strings.Contains(msg, "gunicorn-sync") || !strings.Contains(msg, `"custom"`) {
				t.Errorf("message should list the known ids and point at custom: %s", msg)
			}
		})
	}
}

func TestGetNormalisesCase(t *testing.T) {
	p, err := Get("  Gunicorn ")
	if err != nil || p.Type != "gunicorn" {
		t.Fatalf("Get: %v, %v", p, err)
	}
}

func TestBadVersion(t *testing.T) {
	for _, v := range []string{"abc", "20.x", "1..2", "-1", "1.2.", "latest", "1 2"} {
		_, err := Lookup("node", v)
		var ve *VersionError
		if !errors.As(err, &ve) {
			t.Errorf("Lookup(node, %q): %v, want *VersionError", v, err)
			continue
		}
		if ve.Type != "node" || !strings.Contains(err.Error(), `"node"`) {
			t.Errorf("VersionError does not name the type: %v", err)
		}
	}
}

func TestCustomHasNoDefaults(t *testing.T) {
	res := mustLookup(t, "custom", "1.0")
	if res.Defaults.IdleTimeout.Kind != Unknown || res.Defaults.MaxRequests.Kind != Unknown || !res.Defaults.KeepAliveSupported {
		t.Errorf("custom: %+v", res.Defaults)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.19.10", "1.19.9", 1},
		{"7", "7.0.0", 0},
		{"0.13.2", "0.14", -1},
		{"26.9", "27", -1},
		{"10.1.60", "8.5", 1},
	} {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSeconds(t *testing.T) {
	if got := Seconds(1.5); got.Kind != Bounded || got.Value != 1500*time.Millisecond {
		t.Errorf("Seconds(1.5) = %+v", got)
	}
}

func mustLookup(t *testing.T, typ, version string) Resolved {
	t.Helper()
	res, err := Lookup(typ, version)
	if err != nil {
		t.Fatalf("Lookup(%q, %q): %v", typ, version, err)
	}
	return res
}
