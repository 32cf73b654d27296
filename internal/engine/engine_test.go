package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

func dur(d time.Duration) *time.Duration { return &d }
func num(n int64) *int64                 { return &n }

// catalogIdle reads a default from the catalogue, so tests follow the data instead of copying it.
func catalogIdle(t *testing.T, typ, version string) time.Duration {
	t.Helper()
	res, err := catalog.Lookup(typ, version)
	if err != nil || res.Defaults.IdleTimeout.Kind != catalog.Bounded {
		t.Fatalf("catalogue has no bounded idle timeout for %s %s: %v", typ, version, err)
	}
	return res.Defaults.IdleTimeout.Value
}

func catalogCap(t *testing.T, typ string) int64 {
	t.Helper()
	res, err := catalog.Lookup(typ, "")
	if err != nil || res.Defaults.MaxRequests.Kind != catalog.Bounded {
		t.Fatalf("catalogue has no request cap for %s: %v", typ, err)
	}
	return res.Defaults.MaxRequests.Value
}

func errorsOf(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Severity == Error {
			out = append(out, v)
		}
	}
	return out
}

func TestRecommendTimeoutBelowTightestBackend(t *testing.T) {
	cases := []struct {
		name     string
		backends []Backend
		limiting string
	}{
		{"gunicorn alone", []Backend{{Type: "gunicorn"}}, "gunicorn"},
		{"tomcat alone", []Backend{{Type: "tomcat"}}, "tomcat"},
		{"mixed upstream", []Backend{{Type: "tomcat"}, {Type: "node", Version: "20"}, {Type: "gunicorn", Name: "api"}}, "gunicorn"},
		{"node 20", []Backend{{Type: "node", Version: "20"}}, "node"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := Recommend(Input{Backends: tc.backends})
			if err != nil {
				t.Fatal(err)
			}
			var limit time.Duration
			for _, b := range tc.backends {
				if b.Type == tc.limiting {
					limit = catalogIdle(t, b.Type, b.Version)
				}
			}
			want := limit - max(time.Second, limit/10)
			if !rec.KeepaliveEnabled || rec.KeepaliveTimeout != want {
				t.Fatalf("keepalive_timeout = %v (enabled %v), want %v below %s's %v", rec.KeepaliveTimeout, rec.KeepaliveEnabled, want, tc.limiting, limit)
			}
			if !strings.Contains(strings.Join(rec.Explanation, "\n"), tc.limiting) {
				t.Errorf("explanation does not name the limiting backend %s: %v", tc.limiting, rec.Explanation)
			}
			vs, err := Check(Input{Backends: tc.backends}, nginxFrom(rec))
			if err != nil || len(errorsOf(vs)) > 0 || len(vs) > 0 {
				t.Errorf("the recommendation fails its own check: %v %v", vs, err)
			}
		})
	}
}

func nginxFrom(rec Recommendation) Nginx {
	ng := Nginx{KeepaliveTimeout: dur(rec.KeepaliveTimeout), KeepaliveRequests: num(rec.KeepaliveRequests), Keepalive: num(rec.Pool), Version: rec.NginxVersion}
	if rec.KeepaliveTime > 0 {
		ng.KeepaliveTime = dur(rec.KeepaliveTime)
	}
	if rec.ClientKeepaliveTimeout > 0 {
		ng.ClientKeepaliveTimeout = dur(rec.ClientKeepaliveTimeout)
	}
	return ng
}

func TestRecommendRequestsBelowCap(t *testing.T) {
	rec, err := Recommend(Input{Backends: []Backend{{Type: "tomcat"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := catalogCap(t, "tomcat") - 1; rec.KeepaliveRequests != want {
		t.Errorf("keepalive_requests = %d, want %d", rec.KeepaliveRequests, want)
	}
	rec, err = Recommend(Input{Backends: []Backend{{Type: "tomcat"}}, RequestsMargin: num(10)})
	if err != nil || rec.KeepaliveRequests != catalogCap(t, "tomcat")-10 {
		t.Errorf("requests_margin 10: %d, %v", rec.KeepaliveRequests, err)
	}
	// Unlimited backends leave nginx's version default.
	for version, want := range map[string]int64{"1.18.0": 100, "1.22.1": 1000} {
		rec, err := Recommend(Input{Backends: []Backend{{Type: "custom", IdleTimeout: dur(30 * time.Second), MaxRequests: num(0)}}, NginxVersion: version})
		if err != nil || rec.KeepaliveRequests != want {
			t.Errorf("nginx %s: keepalive_requests %d, %v; want %d", version, rec.KeepaliveRequests, err, want)
		}
		if version == "1.18.0" && rec.KeepaliveTime != 0 {
			t.Errorf("nginx 1.18 has no keepalive_time, got %v", rec.KeepaliveTime)
		}
	}
}

func TestRecommendOverridesAndMargins(t *testing.T) {
	custom := Backend{Type: "custom", IdleTimeout: dur(10 * time.Second), MaxRequests: num(50), MaxConnectionAge: dur(10 * time.Minute)}
	rec, err := Recommend(Input{Backends: []Backend{custom}, IdleMargin: dur(3 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if rec.KeepaliveTimeout != 7*time.Second || rec.KeepaliveRequests != 49 || rec.KeepaliveTime != 9*time.Minute {
		t.Errorf("got timeout %v requests %d time %v", rec.KeepaliveTimeout, rec.KeepaliveRequests, rec.KeepaliveTime)
	}
	// A small user margin is legal but warned about (writes are not retried).
	rec, err = Recommend(Input{Backends: []Backend{custom}, IdleMargin: dur(100 * time.Millisecond)})
	if err != nil || rec.KeepaliveTimeout != 9900*time.Millisecond || len(rec.Warnings) == 0 || !strings.Contains(rec.Warnings[0], "POST") {
		t.Errorf("small margin: %v %v %v", rec.KeepaliveTimeout, rec.Warnings, err)
	}
}

func TestRecommendKeepaliveOff(t *testing.T) {
	tiny := Backend{Type: "custom", IdleTimeout: dur(800 * time.Millisecond), MaxRequests: num(0)}
	rec, err := Recommend(Input{Backends: []Backend{tiny}})
	if err != nil || rec.KeepaliveEnabled || rec.Pool != 0 || !strings.Contains(rec.KeepaliveOffReason, "no positive keepalive_timeout") {
		t.Errorf("sub-margin idle: %+v %v", rec, err)
	}
	rec, err = Recommend(Input{Backends: []Backend{{Type: "gunicorn-sync"}, {Type: "gunicorn"}}})
	if err != nil || rec.KeepaliveEnabled || !strings.Contains(rec.KeepaliveOffReason, "gunicorn-sync") {
		t.Errorf("sync worker: %+v %v", rec, err)
	}
	oneShot := Backend{Type: "custom", IdleTimeout: dur(time.Minute), MaxRequests: num(1)}
	if rec, err := Recommend(Input{Backends: []Backend{oneShot}}); err != nil || rec.KeepaliveEnabled {
		t.Errorf("one request per connection must turn keep-alive off: %+v %v", rec, err)
	}
}

func TestRecommendVersionDependentNotes(t *testing.T) {
	old, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, NginxVersion: "1.22.1"})
	if err != nil || !old.NeedsProxyHeaders {
		t.Fatalf("1.22.1 needs proxy headers: %+v %v", old, err)
	}
	recent, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, NginxVersion: "1.29.7"})
	if err != nil || recent.NeedsProxyHeaders || !strings.Contains(strings.Join(recent.Explanation, " "), "by default") {
		t.Fatalf("1.29.7 keeps alive by default: %+v %v", recent, err)
	}
	for _, v := range []string{"1.29.6", "1.29.7", "1.30.4", "1.31.4", ""} {
		rec, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, NginxVersion: v})
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(rec.Explanation, "\n")
		newDefaults := v != "1.29.6"
		for _, want := range []string{"keepalive 32 local: \"local\" keeps nginx", "proxy_config has no proxy_http_version 1.1", "Connection: close\" is never passed"} {
			if strings.Contains(text, want) != newDefaults {
				t.Errorf("nginx %q: explanation contains %q = %v, want %v:\n%s", v, want, !newDefaults, newDefaults, text)
			}
		}
		if strings.Contains(text, "needs proxy_http_version 1.1") == newDefaults {
			t.Errorf("nginx %q: proxy header advice wrong for the version:\n%s", v, text)
		}
	}
	off, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn-sync"}}, NginxVersion: "1.30.4"})
	if err != nil || !strings.Contains(strings.Join(off.Explanation, " "), "keepalive 0: nginx 1.30.4 pools connections") {
		t.Errorf("keep-alive off on 1.30.4 must explain keepalive 0: %+v %v", off, err)
	}
	ancient, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, NginxVersion: "1.14.2"})
	if err != nil || ancient.KeepaliveEnabled || !strings.Contains(ancient.KeepaliveOffReason, "1.15.3") {
		t.Fatalf("1.14 cannot set upstream timeouts, so keep-alive must be off: %+v %v", ancient, err)
	}
}

func TestRecommendLoadBalancerAndPorts(t *testing.T) {
	rec, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, LoadBalancer: &LoadBalancer{Type: "aws-alb"}})
	if err != nil {
		t.Fatal(err)
	}
	albIdle := catalogIdle(t, "aws-alb", "")
	if rec.ClientKeepaliveTimeout <= albIdle {
		t.Errorf("client keepalive_timeout %v must outlive the ALB's %v", rec.ClientKeepaliveTimeout, albIdle)
	}
	rec, err = Recommend(Input{Backends: []Backend{{Type: "gunicorn"}}, PeakConcurrency: 100, WorkerProcesses: 4, PeakRequestsPerSecond: 2000})
	if err != nil || rec.Pool != 25 {
		t.Errorf("pool = %d, want 25 (100 / 4): %v", rec.Pool, err)
	}
	if !strings.Contains(strings.Join(rec.Explanation, " "), "99: Cannot assign requested address") {
		t.Errorf("2000 req/s on one address exhausts ports without keep-alive; explanation: %v", rec.Explanation)
	}
	off, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn-sync"}}, PeakRequestsPerSecond: 2000})
	if err != nil || len(off.Warnings) == 0 || !strings.Contains(off.Warnings[len(off.Warnings)-1], "ephemeral ports") {
		t.Errorf("keep-alive off at 2000 req/s must warn about ports: %+v %v", off, err)
	}
}

func TestInputErrorsNameTheAttribute(t *testing.T) {
	cases := []struct {
		in   Input
		path string
		text string
	}{
		{Input{}, "backends", "at least one"},
		{Input{Backends: []Backend{{Type: "gunicron"}}}, "backends[0].type", `"gunicorn"`},
		{Input{Backends: []Backend{{Type: "gunicorn"}, {Type: "custom"}}}, "backends[1].idle_timeout", "idle_timeout"},
		{Input{Backends: []Backend{{Type: "node", Version: "twenty"}}}, "backends[0].version", "twenty"},
		{Input{Backends: []Backend{{Type: "aws-alb"}}}, "backends[0].type", "load_balancer"},
		{Input{Backends: []Backend{{Type: "custom", IdleTimeout: dur(-time.Second)}}}, "backends[0].idle_timeout", "positive"},
		{Input{Backends: []Backend{{Type: "gunicorn"}}, NginxVersion: "one"}, "nginx_version", "one"},
		{Input{Backends: []Backend{{Type: "gunicorn"}}, IdleMargin: dur(0)}, "idle_margin", "equal timeouts still race"},
		{Input{Backends: []Backend{{Type: "gunicorn"}}, LoadBalancer: &LoadBalancer{Type: "tomcat"}}, "load_balancer.type", "backend type"},
		{Input{Backends: []Backend{{Type: "gunicorn"}}, LoadBalancer: &LoadBalancer{Type: "custom"}}, "load_balancer.idle_timeout", "idle_timeout"},
	}
	for _, tc := range cases {
		_, err := Recommend(tc.in)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Path.String() != tc.path || !strings.Contains(ie.Error(), tc.text) {
			t.Errorf("%+v: got %v, want an error at %s mentioning %s", tc.in, err, tc.path, tc.text)
		}
	}
}

func TestCheckViolations(t *testing.T) {
	gunicorn := []Backend{{Type: "gunicorn", Name: "api"}}
	idle := catalogIdle(t, "gunicorn", "")
	cases := []struct {
		name     string
		in       Input
		ng       Nginx
		attr     string
		severity Severity
		text     string
	}{
		{"empty nginx in front of gunicorn", Input{Backends: gunicorn}, Nginx{}, "keepalive_timeout", Error, "default"},
		{"equal timeouts still race", Input{Backends: gunicorn}, Nginx{KeepaliveTimeout: dur(idle)}, "keepalive_timeout", Error, "not shorter"},
		{"near miss", Input{Backends: gunicorn}, Nginx{KeepaliveTimeout: dur(idle - 100*time.Millisecond)}, "keepalive_timeout", Warning, "near miss"},
		{"requests above tomcat's cap", Input{Backends: []Backend{{Type: "tomcat"}}}, Nginx{KeepaliveTimeout: dur(5 * time.Second)}, "keepalive_requests", Error, "maxKeepAliveRequests"},
		{"keepalive_time above age", Input{Backends: []Backend{{Type: "custom", IdleTimeout: dur(time.Minute), MaxRequests: num(0), MaxConnectionAge: dur(30 * time.Minute)}}}, Nginx{KeepaliveTimeout: dur(10 * time.Second)}, "keepalive_time", Error, "connection age"},
		{"pool without upstream timeouts", Input{Backends: gunicorn}, Nginx{Version: "1.14.2", Keepalive: num(16)}, "keepalive", Error, "no idle timeout"},
		{"client side shorter than the ALB", Input{Backends: gunicorn, LoadBalancer: &LoadBalancer{Type: "aws-alb"}}, Nginx{KeepaliveTimeout: dur(time.Second), ClientKeepaliveTimeout: dur(60 * time.Second)}, "client_keepalive_timeout", Error, "aws-alb"},
		{"pool for a backend without keep-alive", Input{Backends: []Backend{{Type: "gunicorn-sync"}}}, Nginx{Keepalive: num(8)}, "backends[0]", Warning, "useless"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := Check(tc.in, tc.ng)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				at := v.Attribute
				if v.Backend != nil {
					at = v.Backend.String()
				}
				if at == tc.attr && v.Severity == tc.severity && strings.Contains(v.Message(), tc.text) {
					return
				}
			}
			t.Fatalf("want a %v on %s mentioning %q, got %+v", tc.severity, tc.attr, tc.text, vs)
		})
	}
}

func TestCheckMessageNamesBothSidesAndFixes(t *testing.T) {
	vs, err := Check(Input{Backends: []Backend{{Type: "gunicorn", Name: "api"}}}, Nginx{KeepaliveTimeout: dur(60 * time.Second)})
	if err != nil || len(vs) != 1 {
		t.Fatalf("%v %v", vs, err)
	}
	msg := vs[0].Message()
	res, _ := catalog.Lookup("gunicorn", "")
	for _, want := range []string{"60s", `gunicorn "api"`, res.Defaults.Source, "set keepalive_timeout to", res.Profile.Knobs.IdleTimeout, "above 67s", "POST"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestCheckNoPoolNoRace(t *testing.T) {
	// nginx 1.22 without a keepalive directive opens a connection per request: nothing to race.
	vs, err := Check(Input{Backends: []Backend{{Type: "gunicorn"}}}, Nginx{Version: "1.22.1"})
	if err != nil || len(vs) != 0 {
		t.Errorf("no pool on 1.22: %v %v", vs, err)
	}
	// From 1.29.7 the pool is on by default, so the same empty config races.
	vs, err = Check(Input{Backends: []Backend{{Type: "gunicorn"}}}, Nginx{Version: nginxver.KeepaliveByDefault.String()})
	if err != nil || len(errorsOf(vs)) == 0 {
		t.Errorf("default pool on 1.29.7 must race gunicorn: %v %v", vs, err)
	}
}

func TestBackendIdleFor(t *testing.T) {
	for _, tc := range []struct{ nginx, want time.Duration }{{60 * time.Second, 67 * time.Second}, {time.Second, 2 * time.Second}, {5 * time.Second, 6 * time.Second}} {
		got := backendIdleFor(tc.nginx)
		if got != tc.want || got-defaultIdleMargin(got) < tc.nginx {
			t.Errorf("backendIdleFor(%v) = %v, want %v", tc.nginx, got, tc.want)
		}
	}
}

func TestPathStringAndIndependence(t *testing.T) {
	base := Root("upstreams").Key("api")
	first, second := base.Index(0).Attr("type"), base.Index(1).Attr("idle_timeout")
	if got := first.String(); got != `upstreams["api"][0].type` {
		t.Errorf("first = %s", got)
	}
	if got := second.String(); got != `upstreams["api"][1].idle_timeout` {
		t.Errorf("second = %s (extending a shared base must not overwrite another path)", got)
	}
}
