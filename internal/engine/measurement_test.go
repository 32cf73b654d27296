package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
)

const probed = "127.0.0.1:8000"

func closed(idle time.Duration, how string) *Measurement {
	return &Measurement{Target: probed, Close: how, IdleTimeout: &idle}
}

func stayedOpen(wait time.Duration) *Measurement {
	return &Measurement{Target: probed, Close: "open", IdleAtLeast: &wait}
}

func withCap(m *Measurement, n int64, announced bool) *Measurement {
	m.MaxRequests, m.AnnouncesLast = &n, announced
	return m
}

func withoutCap(m *Measurement, within int64) *Measurement {
	m.RequestsAtLeast = &within
	return m
}

func explanation(t *testing.T, in Input) (Recommendation, string) {
	t.Helper()
	rec, err := Recommend(in)
	if err != nil {
		t.Fatal(err)
	}
	return rec, strings.Join(rec.Explanation, "\n")
}

func wantContains(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

// Idle: the tighter of catalogue (or override) and measurement wins, and the explanation says
// which, with the measured number.
func TestMeasurementTightensIdle(t *testing.T) {
	gunicorn := catalogIdle(t, "gunicorn", "")
	res, _ := catalog.Lookup("gunicorn", "")
	cases := []struct {
		name    string
		backend Backend
		limit   time.Duration
		says    []string
	}{
		{"catalogue tighter", Backend{Type: "gunicorn", Probe: closed(gunicorn+400*time.Millisecond, "fin")}, gunicorn,
			[]string{res.Defaults.Source, "measured " + fmtDur(gunicorn+400*time.Millisecond) + " by probing " + probed + " (fin), not shorter"}},
		// Re-measuring gives a few ms more or less: rounded to 100ms, the advice stays the same.
		{"measured close rounded to 100ms", Backend{Name: "api", MaxRequests: num(0), Probe: closed(2347*time.Millisecond, "fin")}, 2300 * time.Millisecond,
			[]string{"measured 2347ms by probing " + probed + " (fin), counted as 2300ms"}},
		{"measurement tighter", Backend{Type: "tomcat", Probe: closed(15*time.Second, "rst")}, 15 * time.Second,
			[]string{"tomcat's idle timeout 15s (measured 15s by probing " + probed + " (rst))"}},
		{"measurement tighter than an override", Backend{Type: "custom", IdleTimeout: dur(30 * time.Second), MaxRequests: num(0), Probe: closed(6*time.Second, "fin")},
			6 * time.Second, []string{"measured 6s by probing " + probed + " (fin)"}},
		{"override tighter than the measurement", Backend{Type: "custom", IdleTimeout: dur(5 * time.Second), MaxRequests: num(0), Probe: closed(6*time.Second, "fin")},
			5 * time.Second, []string{"set in backends; measured 6s by probing " + probed + " (fin), not shorter"}},
		{"open probe tighter than the override", Backend{Type: "custom", IdleTimeout: dur(120 * time.Second), MaxRequests: num(0), Probe: stayedOpen(30 * time.Second)},
			30 * time.Second, []string{"measured: still open after 30s by probing " + probed + ", counted as 30s"}},
		{"catalogue tighter than an open probe", Backend{Type: "gunicorn", Probe: stayedOpen(75 * time.Second)}, gunicorn,
			[]string{"measured: still open after 75s by probing " + probed + ", counted as 75s, not shorter"}},
		{"probe without type", Backend{Name: "api", Probe: withCap(closed(2300*time.Millisecond, "fin"), 7, false)}, 2300 * time.Millisecond,
			[]string{probed + ` "api"'s idle timeout 2300ms (measured 2300ms by probing ` + probed + " (fin))"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, text := explanation(t, Input{Backends: []Backend{tc.backend}})
			if want := tc.limit - defaultIdleMargin(tc.limit); rec.KeepaliveTimeout != min(want, 60*time.Second) {
				t.Errorf("keepalive_timeout = %v, want %v below the limit %v", rec.KeepaliveTimeout, want, tc.limit)
			}
			wantContains(t, text, tc.says...)
			if vs, err := Check(Input{Backends: []Backend{tc.backend}}, nginxFrom(rec)); err != nil || len(vs) > 0 {
				t.Errorf("the recommendation fails its own check: %v %v", vs, err)
			}
		})
	}
}

// An open probe's wait is a lower bound, so it also stands in for a catalogue type without a
// confirmed idle default.
func TestOpenProbeSuppliesUnknownIdle(t *testing.T) {
	b := Backend{Type: "custom", MaxRequests: num(0), Probe: stayedOpen(75 * time.Second)}
	rec, text := explanation(t, Input{Backends: []Backend{b}, NginxVersion: "1.22.1"})
	if rec.KeepaliveTimeout != 60*time.Second {
		t.Errorf("keepalive_timeout = %v, want nginx's 60s (below 75s - 7.5s)", rec.KeepaliveTimeout)
	}
	wantContains(t, text, "custom's idle timeout 75s minus the margin 7500ms (measured: still open after 75s by probing "+probed+", counted as 75s)")
}

func TestMeasurementTightensRequests(t *testing.T) {
	tomcatCap := catalogCap(t, "tomcat")
	cases := []struct {
		name     string
		backend  Backend
		requests int64
		says     string
	}{
		{"cap found below the catalogue's", Backend{Type: "tomcat", Probe: withCap(closed(20*time.Second, "fin"), 7, false)}, 6,
			"cap of 7 requests per connection (measured 7 responses per connection by probing " + probed + " (closed without Connection: close))"},
		{"announced cap", Backend{Type: "tomcat", Probe: withCap(closed(20*time.Second, "fin"), 50, true)}, 49,
			"measured 50 responses per connection by probing " + probed + " (the last response said Connection: close)"},
		{"catalogue cap below the probe's", Backend{Type: "tomcat", Probe: withoutCap(closed(20*time.Second, "fin"), 200)}, tomcatCap - 1,
			"measured: no cap within 200 responses per connection by probing " + probed + ", counted as 200, not lower"},
		{"no cap found leaves a declared cap-free server alone", Backend{Type: "custom", IdleTimeout: dur(30 * time.Second), MaxRequests: num(0), Probe: withoutCap(closed(20*time.Second, "fin"), 200)}, 1000,
			"no backend caps requests per connection"},
		{"no cap found fills an unknown cap, counted as the responses read", Backend{Probe: withoutCap(closed(20*time.Second, "fin"), 200)}, 199,
			"cap of 200 requests per connection (measured: no cap within 200 responses per connection by probing " + probed + ", counted as 200)"},
		{"probe without type", Backend{Probe: withCap(closed(2300*time.Millisecond, "fin"), 7, false)}, 6,
			probed + "'s cap of 7 requests per connection (measured 7 responses per connection"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, text := explanation(t, Input{Backends: []Backend{tc.backend}, NginxVersion: "1.22.1"})
			if rec.KeepaliveRequests != tc.requests {
				t.Errorf("keepalive_requests = %d, want %d", rec.KeepaliveRequests, tc.requests)
			}
			wantContains(t, text, tc.says)
		})
	}
}

// A probe without a cap measurement leaves a type without a known cap needing one, and the
// error names the probe's way to supply it.
func TestProbeWithoutCapStillNeedsTheCap(t *testing.T) {
	_, err := Recommend(Input{Backends: []Backend{{Probe: closed(5*time.Second, "fin")}}})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Path.String() != "backends[0].max_requests_per_connection" || !strings.Contains(ie.Detail, "request_cap_probe above 0") {
		t.Fatalf("got %v, want a request cap error naming request_cap_probe", err)
	}
	// Without a probe an empty type stays the catalogue's error on type.
	_, err = Recommend(Input{Backends: []Backend{{}}})
	if !errors.As(err, &ie) || ie.Path.String() != "backends[0].type" || !strings.Contains(ie.Detail, "unknown backend type") {
		t.Fatalf("got %v, want the unknown type error", err)
	}
}

// A server that answers with Connection: close keeps nothing alive, whatever the catalogue or
// an override says: it is treated as a catalogue profile without keep-alive.
func TestMeasurementNoKeepAlive(t *testing.T) {
	m := &Measurement{Target: probed, Close: "connection_close", NoKeepAlive: true}
	for _, b := range []Backend{{Type: "gunicorn", Probe: m}, {Type: "custom", IdleTimeout: dur(time.Minute), Probe: m}, {Probe: m}} {
		rec, err := Recommend(Input{Backends: []Backend{b}})
		if err != nil {
			t.Fatal(err)
		}
		if rec.KeepaliveEnabled || rec.Pool != 0 {
			t.Errorf("%+v: keep-alive must be off: %+v", b, rec)
		}
		wantContains(t, rec.KeepaliveOffReason, "source: measured by probing "+probed+": the server answered with Connection: close")
		vs, err := Check(Input{Backends: []Backend{b}}, Nginx{Keepalive: num(8)})
		if err != nil || len(vs) != 1 || vs[0].Severity != Warning {
			t.Fatalf("want one warning about the useless pool, got %+v %v", vs, err)
		}
		wantContains(t, vs[0].Message(), "useless", "measured by probing "+probed)
	}
}

// A violation against a measured limit says "measured", the number and where.
func TestViolationNamesTheMeasurement(t *testing.T) {
	cases := []struct {
		name    string
		backend Backend
		ng      Nginx
		attr    string
		wants   []string
	}{
		{"idle", Backend{Type: "tomcat", Probe: closed(2300*time.Millisecond, "fin")}, Nginx{KeepaliveTimeout: dur(5 * time.Second)}, "keepalive_timeout",
			[]string{"tomcat's idle timeout 2300ms (measured 2300ms by probing " + probed + " (fin))", "set keepalive_timeout to 1300ms or less"}},
		{"idle without type", Backend{Name: "api", Probe: withCap(closed(2300*time.Millisecond, "fin"), 7, false)}, Nginx{}, "keepalive_timeout",
			[]string{"measured 2300ms by probing " + probed, `raise ` + probed + ` "api"'s idle timeout above 67s`}},
		{"open", Backend{Type: "custom", MaxRequests: num(0), Probe: stayedOpen(30 * time.Second)}, Nginx{}, "keepalive_timeout",
			[]string{"idle timeout 30s (measured: still open after 30s by probing " + probed + ", counted as 30s)"}},
		{"cap", Backend{Type: "tomcat", Probe: withCap(closed(20*time.Second, "fin"), 7, false)}, Nginx{KeepaliveTimeout: dur(5 * time.Second)}, "keepalive_requests",
			[]string{"cap of 7 requests per connection (measured 7 responses per connection by probing " + probed + " (closed without Connection: close))", "set keepalive_requests to 6 or less"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := Check(Input{Backends: []Backend{tc.backend}}, tc.ng)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range errorsOf(vs) {
				if v.Attribute == tc.attr {
					wantContains(t, v.Message(), tc.wants...)
					return
				}
			}
			t.Fatalf("no error on %s: %+v", tc.attr, vs)
		})
	}
}

// A measurement equal to the declared limit leaves the credit with the declaration.
func TestMeasurementTieKeepsTheDeclaredSource(t *testing.T) {
	b := Backend{Type: "custom", IdleTimeout: dur(5 * time.Second), MaxRequests: num(7), Probe: withCap(closed(5*time.Second, "fin"), 7, true)}
	_, text := explanation(t, Input{Backends: []Backend{b}, NginxVersion: "1.22.1"})
	wantContains(t, text, "(set in backends; measured 5s by probing "+probed+" (fin), not shorter)",
		"(set in backends; measured 7 responses per connection by probing "+probed+" (the last response said Connection: close), not lower)")
}

// A server measured closing at once leaves no room for a timeout: keep-alive is off, and the
// reason names the measurement.
func TestMeasuredInstantCloseTurnsKeepAliveOff(t *testing.T) {
	rec, err := Recommend(Input{Backends: []Backend{{Type: "gunicorn", Probe: closed(0, "rst")}}})
	if err != nil || rec.KeepaliveEnabled {
		t.Fatalf("got %+v %v, want keep-alive off", rec, err)
	}
	wantContains(t, rec.KeepaliveOffReason, "gunicorn's idle timeout 0ms (measured 0ms by probing "+probed+" (rst))")
}
