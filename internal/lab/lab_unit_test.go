package lab

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
)

// The lab's own arithmetic, checked before it judges real servers.

func TestCheckIdle(t *testing.T) {
	gunicorn := expectIdle(catalog.Defaults{IdleTimeout: catalog.Seconds(2), ObservedIdleClose: 3 * time.Second}, 0)
	waitress := expectIdle(catalog.Defaults{IdleTimeout: catalog.Seconds(120), ObservedIdleClose: 146 * time.Second}, 0)
	unlimited := expectIdle(catalog.Defaults{IdleTimeout: catalog.NoIdleLimit}, 0)
	closed := func(d time.Duration) idleResult { return idleResult{Closed: true, After: d, How: "FIN"} }
	tests := []struct {
		name string
		exp  idleExpectation
		m    idleResult
		want string // substring of the failure; "" = conforms
	}{
		{"at the timeout", gunicorn, closed(2001 * time.Millisecond), ""},
		{"at the observed close", gunicorn, closed(3200 * time.Millisecond), ""},
		{"catalogue longer than the server", gunicorn, closed(1500 * time.Millisecond), "LONGER"},
		{"server far longer", gunicorn, closed(5 * time.Second), "outside"},
		{"sweep range", waitress, closed(149 * time.Second), ""},
		{"never closed but bounded", gunicorn, idleResult{How: "open", Waited: 100 * time.Second}, "still open"},
		{"unlimited stays open", unlimited, idleResult{How: "open", Waited: 100 * time.Second}, ""},
		{"unlimited closes", unlimited, closed(5 * time.Second), "no idle limit"},
		{"documented but not honoured, stays open", expectIdle(catalog.Defaults{IdleTimeout: catalog.Seconds(5), ObservedStillOpen: 200 * time.Second}, 0),
			idleResult{How: "open", Waited: 100 * time.Second}, ""},
		{"documented but not honoured, closes", expectIdle(catalog.Defaults{IdleTimeout: catalog.Seconds(5), ObservedStillOpen: 200 * time.Second}, 0),
			closed(5 * time.Second), "still open"},
		{"override wins", expectIdle(catalog.Defaults{IdleTimeout: catalog.NoIdleLimit}, 3*time.Second), closed(3 * time.Second), ""},
	}
	for _, tt := range tests {
		got := checkIdle(tt.exp, tt.m)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: checkIdle = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckCap(t *testing.T) {
	tests := []struct {
		lim  catalog.CountLimit
		m    capResult
		fail bool
	}{
		{catalog.Requests(100), capResult{Responses: 101, Ended: true, How: "Connection: close"}, false},
		{catalog.Requests(100), capResult{Responses: 1100}, true},
		{catalog.Requests(100), capResult{Responses: 50, Ended: true, How: "FIN"}, true},
		{catalog.NoRequestCap, capResult{Responses: 1100}, false},
		{catalog.NoRequestCap, capResult{Responses: 100, Ended: true, How: "FIN"}, true},
		{catalog.UnknownRequests, capResult{Responses: 7, Ended: true}, false},
	}
	for i, tt := range tests {
		if got := checkCap(tt.lim, tt.m); (got != "") != tt.fail {
			t.Errorf("case %d: checkCap = %q, want failure %v", i, got, tt.fail)
		}
	}
}

func TestLaneOffsets(t *testing.T) {
	ms := time.Millisecond
	got := laneOffsets([]window{{-3 * ms, 3 * ms}}, 1, 0, 7)
	for i, want := range []time.Duration{-3 * ms, -2 * ms, -ms, 0, ms, 2 * ms, 3 * ms} {
		if got[i] != want {
			t.Fatalf("one window: %v", got)
		}
	}
	// Two lanes share the points; two windows take turns.
	a := laneOffsets([]window{{0, 10 * ms}, {100 * ms, 110 * ms}}, 2, 0, 3)
	b := laneOffsets([]window{{0, 10 * ms}, {100 * ms, 110 * ms}}, 2, 1, 3)
	if a[0] != 0 || b[0] != 100*ms || a[1] != 5*ms || b[2] != 110*ms {
		t.Fatalf("lanes: %v %v", a, b)
	}
}

func TestRaceSweep(t *testing.T) {
	ms := time.Millisecond
	// apache2 under the whole lab's load: two child processes closed the probe's burst in two groups.
	apache := raceTarget{Closed: true, Lo: 4984 * ms, Hi: 5007 * ms, Measured: 4984 * ms,
		Closes: []time.Duration{4984 * ms, 4984 * ms, 4985 * ms, 5005 * ms, 5006 * ms, 5007 * ms}}
	center, bursts, windows, gap := raceSweep(apache, 5*time.Second, 3, 0)
	want := []window{{-12 * ms, 4 * ms}, {9 * ms, 26 * ms}, {4 * ms, 28 * ms}} // 2 groups, then the catalogue's 5 s ± 12 ms
	if center != apache.Lo || bursts != maxBursts || !slices.Equal(windows, want) {
		t.Errorf("raceSweep(apache2) = center %s, %d bursts, windows %v (%s); want 4.984s, %d, %v", center, bursts, windows, gap, maxBursts, want)
	}
	_, _, windows, gap = raceSweep(apache, 5*time.Second, 3, 1)
	if windows[0] != (window{-30 * ms, 10 * ms}) {
		t.Errorf("second round: first window %v (%s); want {-30ms 10ms}", windows[0], gap)
	}
	// The probe agreeing with the catalogue (within 5 ms) adds no second aim.
	uvicorn := raceTarget{Closed: true, Lo: 4999 * ms, Hi: 5000 * ms, Measured: 4999 * ms, Closes: []time.Duration{4999 * ms, 5000 * ms}}
	if _, _, windows, _ := raceSweep(uvicorn, 5*time.Second, 1, 0); len(windows) != 1 {
		t.Errorf("raceSweep(uvicorn) windows %v; want one", windows)
	}
	late := raceTarget{Closed: true, Lo: 70 * time.Second, Hi: 70 * time.Second, Measured: 70 * time.Second, Closes: []time.Duration{70 * time.Second}}
	if _, _, windows, _ := raceSweep(late, 0, 1, 0); len(windows) != 1 || windows[0] != (window{}) {
		t.Errorf("raceSweep(close after nginx's 60s) sweeps %v; want a plain 1 s pause", windows)
	}
}

func TestCloseGroups(t *testing.T) {
	ms := time.Millisecond
	got := closeGroups([]time.Duration{50001 * ms, 50001 * ms, 50004 * ms, 50009 * ms, 50034 * ms, 50035 * ms})
	want := []window{{50001 * ms, 50009 * ms}, {50034 * ms, 50035 * ms}}
	if !slices.Equal(got, want) {
		t.Errorf("closeGroups = %v; want %v", got, want)
	}
	if got := closeGroups(nil); len(got) != 0 {
		t.Errorf("closeGroups(nil) = %v; want none", got)
	}
}

func TestUpstreamVersion(t *testing.T) {
	for in, want := range map[string]string{
		"20.1.0-6+deb12u1":             "20.1.0",
		"1:2.4.71-1~deb12u1":           "2.4.71",
		"20.20.2-1nodesource1+repack1": "20.20.2",
		"10.1.60-1~deb12u1":            "10.1.60",
	} {
		if got := upstreamVersion(in); got != want {
			t.Errorf("upstreamVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMeasureIdle(t *testing.T) {
	ms := time.Millisecond
	samples := []probe.Sample{
		{Close: probe.CloseFIN, Idle: 2017 * ms, AfterBurst: 2015 * ms},
		{Close: probe.CloseOpen, Idle: 30 * time.Second, AfterBurst: 30 * time.Second},
		{Close: probe.CloseRST, Idle: 2006 * ms, AfterBurst: 2010 * ms},
		{Close: probe.CloseFIN, Idle: 2020 * ms, AfterBurst: 2003 * ms},
	}
	m := measureIdle(samples, 30*time.Second)
	want := idleResult{Closed: true, After: 2006 * ms, How: "RST", Waited: 30 * time.Second}
	if m.Idle != want || m.Open != 1 || !slices.Equal(m.SamplesMS, []int64{2017, 2006, 2020}) {
		t.Errorf("measureIdle: idle %+v, open %d, samples %v; want %+v, 1 open, [2017 2006 2020]", m.Idle, m.Open, m.SamplesMS, want)
	}
	rt := m.Target
	if !rt.Closed || rt.Lo != 2003*ms || rt.Hi != 2015*ms || rt.Measured != 2006*ms ||
		!slices.Equal(rt.Closes, []time.Duration{2003 * ms, 2010 * ms, 2015 * ms}) {
		t.Errorf("measureIdle race target = %+v; want closes 2003..2015 ms after the burst, measured 2006 ms", rt)
	}
	open := measureIdle([]probe.Sample{{Close: probe.CloseOpen, Idle: time.Minute}}, time.Minute)
	if open.Idle.Closed || open.Idle.How != "open" || open.Target.Closed || open.Open != 1 {
		t.Errorf("all open: %+v", open)
	}
	// A response that says Connection: close ends the connection at once.
	cc := measureIdle([]probe.Sample{{Close: probe.CloseConnectionClose}}, time.Minute)
	if !cc.Idle.Closed || cc.Idle.After != 0 || cc.Idle.How != "Connection: close" {
		t.Errorf("Connection: close: %+v", cc.Idle)
	}
}

func TestCapFrom(t *testing.T) {
	for _, tt := range []struct {
		in   probe.Cap
		want capResult
	}{
		{probe.Cap{Responses: 101, Ended: true, Close: probe.CloseConnectionClose, AnnouncedLast: true}, capResult{Responses: 101, Ended: true, How: "Connection: close"}},
		{probe.Cap{Responses: 7, Ended: true, Close: probe.CloseFIN}, capResult{Responses: 7, Ended: true, How: "FIN"}},
		{probe.Cap{Responses: 9, Ended: true, Close: probe.CloseRST}, capResult{Responses: 9, Ended: true, How: "RST"}},
		{probe.Cap{Responses: 1100, Close: probe.CloseOpen}, capResult{Responses: 1100, How: "limit"}},
	} {
		if got := capFrom(tt.in); got != tt.want {
			t.Errorf("capFrom(%+v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestProbeAgreement(t *testing.T) {
	ms := time.Millisecond
	f := func(v float64) *float64 { return &v }
	yes, no := true, false
	lab := idleMeasurement{Idle: idleResult{Closed: true, After: 2002 * ms, How: "FIN", Waited: 100 * time.Second}}
	apacheCap := capResult{Responses: 101, Ended: true, How: "Connection: close"}
	noCap := capResult{Responses: 1100, How: "limit"}
	tests := []struct {
		name string
		p    probeOutputs
		m    idleMeasurement
		c    capResult
		cap  int
		want []string // substrings, one per disagreement
	}{
		{"within 300 ms", probeOutputs{IdleTimeoutMS: f(2290), Close: "fin"}, lab, noCap, 0, nil},
		{"beyond 300 ms", probeOutputs{IdleTimeoutMS: f(3010), Close: "fin"}, lab, noCap, 0, []string{"more than max(10%, 300 ms) + sweep 0s = 300ms"}},
		{"10 % of 20 s", probeOutputs{IdleTimeoutMS: f(21900), Close: "fin"},
			idleMeasurement{Idle: idleResult{Closed: true, After: 20031 * ms, How: "FIN"}}, noCap, 0, nil},
		{"other close", probeOutputs{IdleTimeoutMS: f(2002), Close: "rst"}, lab, noCap, 0, []string{`close = "rst", the lab saw FIN`}},
		{"probe saw it open", probeOutputs{Close: "open"}, lab, noCap, 0, []string{"idle_timeout_ms is null"}},
		{"lab saw it open", probeOutputs{IdleTimeoutMS: f(5000), Close: "fin"}, idleMeasurement{Idle: idleResult{How: "open", Waited: time.Minute}}, noCap, 0,
			[]string{"every connection open"}},
		{"cap agrees", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin", MaxRequests: f(101), AnnouncesLast: &yes}, lab, apacheCap, 150, nil},
		{"cap differs and not announced", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin", MaxRequests: f(100), AnnouncesLast: &no}, lab, apacheCap, 150,
			[]string{"max_requests_per_connection = 100, the lab measured 101", "announces_last = false"}},
		{"cap missed", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin"}, lab, apacheCap, 150, []string{"is null with request_cap_probe = 150"}},
		{"cap beyond the probe", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin"}, lab, apacheCap, 50, nil},
		{"cap where the lab saw none", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin", MaxRequests: f(7)}, lab, noCap, 150, []string{"saw 1100 responses"}},
		{"cap not looked for", probeOutputs{IdleTimeoutMS: f(2002), Close: "fin"}, lab, apacheCap, 0, nil},
	}
	for _, tt := range tests {
		got := probeAgreement(tt.p, tt.m, tt.c, probeSpec{RequestCap: tt.cap})
		if len(got) != len(tt.want) {
			t.Errorf("%s: probeAgreement = %q, want %d disagreement(s) %q", tt.name, got, len(tt.want), tt.want)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: disagreement %d = %q, want it to contain %q", tt.name, i, got[i], w)
			}
		}
	}
}

// A server that closes idle connections on a tick (gunicorn's gthread loop, once a second) closes
// up to one tick later on one instance than on another: agreement allows the sweep on top.
func TestProbeAgreementSweep(t *testing.T) {
	ms := time.Millisecond
	probed := 2008.0 // one CI run: the probe's instance closed at 2008 ms, the lab's at 2955 ms
	gunicorn := probeSpec{Sweep: time.Second}
	noCap := capResult{Responses: 1100, How: "limit"}
	lab := func(d time.Duration) idleMeasurement {
		return idleMeasurement{Idle: idleResult{Closed: true, After: d, How: "FIN"}}
	}
	if got := probeAgreement(probeOutputs{IdleTimeoutMS: &probed, Close: "fin"}, lab(2955*ms), noCap, gunicorn); len(got) != 0 {
		t.Errorf("a tick apart: %q, want agreement", got)
	}
	got := probeAgreement(probeOutputs{IdleTimeoutMS: &probed, Close: "fin"}, lab(3400*ms), noCap, gunicorn)
	if len(got) != 1 || !strings.Contains(got[0], "+ sweep 1s = 1.34s") {
		t.Errorf("beyond a tick and the tolerance: %q, want one disagreement naming the sweep", got)
	}
	if got := probeAgreement(probeOutputs{IdleTimeoutMS: &probed, Close: "fin"}, lab(2955*ms), noCap, probeSpec{}); len(got) != 1 {
		t.Errorf("no sweep declared: %q, want the 947 ms gap to disagree", got)
	}
}
