package render

import (
	"errors"
	"maps"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

func TestIngressNginx(t *testing.T) {
	tests := []struct {
		name         string
		rec          func() engine.Recommendation
		want         map[string]string
		wantWarnings []string // substrings, one per expected warning
	}{
		{
			name: "tomcat-like: whole seconds, no warning",
			rec:  tomcatLike,
			want: map[string]string{
				"upstream-keepalive-connections": "32", "upstream-keepalive-timeout": "18",
				"upstream-keepalive-requests": "99", "upstream-keepalive-time": "1h",
			},
		},
		{
			name: "gunicorn-like: 1800ms floors to 1 with a warning",
			rec:  gunicornLike,
			want: map[string]string{
				"upstream-keepalive-connections": "16", "upstream-keepalive-timeout": "1",
				"upstream-keepalive-requests": "1000", "upstream-keepalive-time": "1h",
			},
			wantWarnings: []string{"rounded down to 1s"},
		},
		{
			name: "below one second cannot be expressed: keep-alive off",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.KeepaliveTimeout = 900 * time.Millisecond
				return r
			},
			want:         map[string]string{"upstream-keepalive-connections": "0"},
			wantWarnings: []string{"below 1s"},
		},
		{
			name: "keepalive_time 0 leaves the controller default",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.KeepaliveTime = 0
				return r
			},
			want: map[string]string{
				"upstream-keepalive-connections": "32", "upstream-keepalive-timeout": "18", "upstream-keepalive-requests": "99",
			},
		},
		{
			name: "keepalive_time in minutes",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.KeepaliveTime = 55 * time.Minute
				return r
			},
			want: map[string]string{
				"upstream-keepalive-connections": "32", "upstream-keepalive-timeout": "18",
				"upstream-keepalive-requests": "99", "upstream-keepalive-time": "55m",
			},
		},
		{
			name: "keep-alive off",
			rec:  func() engine.Recommendation { return offRec("1.22.1", "gunicorn sync") },
			want: map[string]string{"upstream-keepalive-connections": "0"},
		},
		{
			name: "front load balancer adds client keep-alive, rounded up",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.ClientKeepaliveTimeout = 66*time.Second + 1*time.Millisecond
				return r
			},
			want: map[string]string{
				"upstream-keepalive-connections": "32", "upstream-keepalive-timeout": "18",
				"upstream-keepalive-requests": "99", "upstream-keepalive-time": "1h", "keep-alive": "67",
			},
		},
		{
			name: "broken recommendation falls back to off",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.Pool = 0
				return r
			},
			want:         map[string]string{"upstream-keepalive-connections": "0"},
			wantWarnings: []string{"cannot be rendered"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := IngressNginx(tt.rec())
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			assertWarnings(t, warnings, tt.wantWarnings)
		})
	}
}

// ingress-nginx runs nginx 1.27.1 whatever nginx_version says, so its keys never change with it.
func TestIngressNginxIgnoresNewNginxDefaults(t *testing.T) {
	for _, base := range []func() engine.Recommendation{gunicornLike, tomcatLike, func() engine.Recommendation { return offRec("1.22.1", "x") }} {
		want, wantWarnings := IngressNginx(base())
		for _, v := range []string{"1.29.6", "1.29.7", "1.30.4", "1.31.4"} {
			r := base()
			r.NginxVersion = v
			got, warnings := IngressNginx(r)
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(warnings, wantWarnings) {
				t.Errorf("nginx %s: %v %q, want %v %q as for 1.22.1", v, got, warnings, want, wantWarnings)
			}
		}
	}
}

func TestIngressNginxTimeoutNeverAboveRecommendation(t *testing.T) {
	for ms := int64(1); ms < 130000; ms += 777 {
		r := tomcatLike()
		r.KeepaliveTimeout = time.Duration(ms) * time.Millisecond
		got, _ := IngressNginx(r)
		if got["upstream-keepalive-connections"] == "0" {
			if ms >= 1000 {
				t.Errorf("%dms: keep-alive turned off although whole seconds fit", ms)
			}
			continue
		}
		back, err := ngxtime.Parse(got["upstream-keepalive-timeout"] + "s")
		if err != nil {
			t.Fatalf("%dms: %q is not integer seconds: %v", ms, got["upstream-keepalive-timeout"], err)
		}
		if back > r.KeepaliveTimeout || back <= 0 {
			t.Errorf("%dms rendered as %v: must be positive and not above the recommendation", ms, back)
		}
	}
}

func TestGatewayFabricUpstreamSettings(t *testing.T) {
	tests := []struct {
		name         string
		rec          func() engine.Recommendation
		want         GatewayFabricKeepAlive
		wantWarnings []string
	}{
		{"gunicorn-like: exact in ms", gunicornLike,
			GatewayFabricKeepAlive{Connections: 16, Requests: 1000, Time: "3600s", Timeout: "1800ms"}, nil},
		{"tomcat-like: exact in s", tomcatLike,
			GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "3600s", Timeout: "18s"}, nil},
		{"10.5s needs 5 digits in ms: rounded down to 10s", func() engine.Recommendation {
			r := tomcatLike()
			r.KeepaliveTimeout = 10500 * time.Millisecond
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "3600s", Timeout: "10s"}, []string{"rounded down to 10s"}},
		{"4h keepalive_time needs minutes", func() engine.Recommendation {
			r := tomcatLike()
			r.KeepaliveTime = 4 * time.Hour
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "240m", Timeout: "18s"}, []string{"uses unit m"}},
		{"keepalive_time omitted when 0", func() engine.Recommendation {
			r := tomcatLike()
			r.KeepaliveTime = 0
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Timeout: "18s"}, nil},
		{"int32 overflow lowered", func() engine.Recommendation {
			r := tomcatLike()
			r.KeepaliveRequests = math.MaxInt64
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: math.MaxInt32, Time: "3600s", Timeout: "18s"}, []string{"exceeds int32"}},
		{"keep-alive off: connections 0 only", func() engine.Recommendation { return offRec("1.30.0", "x") },
			GatewayFabricKeepAlive{}, []string{"connections 0 disables"}},
		{"keep-alive off on nginx 1.31.4: 0 must reach nginx as keepalive 0", func() engine.Recommendation { return offRec("1.31.4", "x") },
			GatewayFabricKeepAlive{}, []string{"connections 0 disables", "nginx 1.31.4 pools 32 connections per upstream by default", "nginx -T"}},
		{"nginx 1.29.7: a Service without the policy races (NGF 2.4 to 2.6 pin keepalive 16)", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion = "1.29.7"
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "3600s", Timeout: "18s"},
			[]string{`NGF 2.4 to 2.6 write "keepalive 16;"`, "keepalive 32 local", "keepalive_timeout 60s"}},
		{"nginx 1.31.4, backends outlive nginx's defaults: no policy warning", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion, r.KeepaliveTimeout = "1.31.4", 60*time.Second
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "3600s", Timeout: "60s"}, nil},
		{"nginx 1.29.6: unchanged, no policy warning", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion = "1.29.6"
			return r
		}, GatewayFabricKeepAlive{Connections: 32, Requests: 99, Time: "3600s", Timeout: "18s"}, nil},
		{"broken recommendation falls back to off", func() engine.Recommendation {
			r := tomcatLike()
			r.KeepaliveRequests = 0
			return r
		}, GatewayFabricKeepAlive{}, []string{"cannot be rendered", "connections 0 disables"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := GatewayFabricUpstreamSettings(tt.rec())
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			assertWarnings(t, warnings, tt.wantWarnings)
		})
	}
}

// TestGatewayFabricDurationsMatchCRDPattern sweeps durations from 1ms to beyond NGF's range and
// checks every output against NGF's own pattern and the rounding direction.
func TestGatewayFabricDurationsMatchCRDPattern(t *testing.T) {
	pattern := regexp.MustCompile(GatewayFabricDurationPattern)
	var samples []time.Duration
	for d := time.Millisecond; d < 20000*time.Hour; d = d*3/2 + 7*time.Millisecond + 13*time.Microsecond {
		samples = append(samples, d)
	}
	samples = append(samples, 9999*time.Millisecond, 10*time.Second, 9999*time.Second, 10000*time.Second,
		9999*time.Minute, 9999*time.Hour, 10000*time.Hour, 1500*time.Microsecond)
	for _, d := range samples {
		for _, up := range []bool{false, true} {
			v, _, ok := ngfDuration(d, up)
			if !ok {
				if !up || d <= 9999*time.Hour {
					t.Errorf("ngfDuration(%v, up=%v) found no value", d, up)
				}
				continue
			}
			if !pattern.MatchString(v) {
				t.Fatalf("ngfDuration(%v, up=%v) = %q does not match NGF's pattern %s", d, up, v, GatewayFabricDurationPattern)
			}
			back, err := ngxtime.Parse(v)
			if err != nil {
				t.Fatalf("%q is not an nginx time: %v", v, err)
			}
			if !up && (back > d || back <= 0) {
				t.Errorf("down(%v) = %q = %v: must be positive and not above", d, v, back)
			}
			if up && back < d {
				t.Errorf("up(%v) = %q = %v: must not be below", d, v, back)
			}
		}
	}
	// A few whole policies, each field checked against the pattern.
	for _, r := range []engine.Recommendation{gunicornLike(), tomcatLike()} {
		ka, _ := GatewayFabricUpstreamSettings(r)
		for _, v := range []string{ka.Time, ka.Timeout} {
			if !pattern.MatchString(v) {
				t.Errorf("policy duration %q does not match %s", v, GatewayFabricDurationPattern)
			}
		}
	}
}

func TestGatewayFabricClientSettings(t *testing.T) {
	pattern := regexp.MustCompile(GatewayFabricDurationPattern)
	tests := []struct {
		name         string
		client       time.Duration
		want         *GatewayFabricClientKeepAlive
		wantWarnings []string
	}{
		{"no load balancer", 0, nil, nil},
		{"aws-alb 60s plus margin", 66 * time.Second, &GatewayFabricClientKeepAlive{TimeoutServer: "66s"}, nil},
		{"gcp-alb 600s plus margin", 660 * time.Second, &GatewayFabricClientKeepAlive{TimeoutServer: "660s"}, nil},
		{"sub-second part rounds up", 10*time.Second + 500*time.Millisecond + 1,
			&GatewayFabricClientKeepAlive{TimeoutServer: "11s"}, []string{"rounded up to 11s"}},
		{"beyond NGF's range", 10000 * time.Hour, nil, []string{"longer than an NGF duration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tomcatLike()
			r.ClientKeepaliveTimeout = tt.client
			got, warnings := GatewayFabricClientSettings(r)
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if got != nil && !pattern.MatchString(got.TimeoutServer) {
				t.Errorf("%q does not match NGF's pattern", got.TimeoutServer)
			}
			assertWarnings(t, warnings, tt.wantWarnings)
		})
	}
}

func TestNginxIngressController(t *testing.T) {
	tests := []struct {
		name         string
		rec          func() engine.Recommendation
		wantPool     int64
		wantWarnings []string
		wantSnippet  bool // nginx.org/location-snippets closes connections (nginx >= 1.29.7, pool 0)
	}{
		{
			name: "backends idle longer than nginx's defaults: pool is safe",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.KeepaliveTimeout, r.KeepaliveRequests = 60*time.Second, 1000
				return r
			},
			wantPool: 32,
		},
		{
			name:         "gunicorn-like: nginx's 60s would race, pool off with advice",
			rec:          gunicornLike,
			wantPool:     0,
			wantWarnings: []string{"keepalive_timeout 1800ms; keepalive_requests 1000;"},
		},
		{
			name:         "tomcat-like: timeout race, pool off",
			rec:          tomcatLike,
			wantPool:     0,
			wantWarnings: []string{"keepalive_timeout must be 18s but stays at nginx's default 60s", "custom template"},
		},
		{
			name: "safe timeout but fewer requests: pool on, requests note",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.KeepaliveTimeout = 60 * time.Second
				return r
			},
			wantPool:     32,
			wantWarnings: []string{"cannot set the upstream keepalive_requests (recommended 99, nginx's default 1000 stays)"},
		},
		{
			name: "connection age below nginx's keepalive_time is unsafe too",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.KeepaliveTimeout, r.KeepaliveRequests, r.KeepaliveTime = 60*time.Second, 1000, 30*time.Minute
				return r
			},
			wantPool:     0,
			wantWarnings: []string{"keepalive_time must be 30m"},
		},
		{
			name: "nginx 1.30: 0 is omitted by the templates, built-in pool warning",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion = "1.30.0"
				return r
			},
			wantPool:     0,
			wantWarnings: []string{"keepalive_timeout must be 1800ms", "caches 32 connections per worker"},
			wantSnippet:  true,
		},
		{
			name: "nginx 1.29.6: 0 is really off, no snippet",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion = "1.29.6"
				return r
			},
			wantPool:     0,
			wantWarnings: []string{"upstream keep-alive set to 0 (off) because"},
		},
		{
			name: "nginx 1.29.7: pool 0 needs the close snippet",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion = "1.29.7"
				return r
			},
			wantPool: 0,
			wantWarnings: []string{"with the location snippet below, which nginx 1.29.7 needs", "never write \"keepalive 0;\"",
				`nginx.org/location-snippets: proxy_set_header Connection "close";`, "-enable-snippets"},
			wantSnippet: true,
		},
		{
			name:         "nginx 1.30.4, keep-alive off by the recommendation: snippet too",
			rec:          func() engine.Recommendation { return offRec("1.30.4", "gunicorn-sync") },
			wantPool:     0,
			wantWarnings: []string{"nginx 1.30.4 (>= 1.29.7) then caches 32 connections per worker by default with keepalive_timeout 60s"},
			wantSnippet:  true,
		},
		{
			name: "nginx 1.31.4, backends outlive nginx's defaults: pool on, no snippet",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.NginxVersion, r.KeepaliveTimeout, r.KeepaliveRequests = "1.31.4", 60*time.Second, 1000
				return r
			},
			wantPool: 32,
		},
		{
			name:     "keep-alive off on nginx 1.22",
			rec:      func() engine.Recommendation { return offRec("1.22.1", "x") },
			wantPool: 0,
		},
		{
			name:         "bad version is reported, pool off",
			rec:          func() engine.Recommendation { r := tomcatLike(); r.NginxVersion = "banana"; return r },
			wantPool:     0,
			wantWarnings: []string{"invalid nginx version"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := NginxIngressController(tt.rec())
			want := strconv.FormatInt(tt.wantPool, 10)
			wantAnnotations := 1
			if tt.wantSnippet {
				wantAnnotations = 2
				if got.Annotations["nginx.org/location-snippets"] != `proxy_set_header Connection "close";` {
					t.Errorf("annotations %v: want the close snippet", got.Annotations)
				}
			}
			if got.ConfigMap["keepalive"] != want || got.Annotations["nginx.org/keepalive"] != want ||
				got.VirtualServerKeepalive != tt.wantPool || len(got.ConfigMap) != 1 || len(got.Annotations) != wantAnnotations {
				t.Errorf("got %+v, want pool %d everywhere", got, tt.wantPool)
			}
			assertWarnings(t, warnings, tt.wantWarnings)
		})
	}
}

// assertWarnings checks that each wanted substring appears in some warning and that there are
// no warnings when none are wanted.
func assertWarnings(t *testing.T, got, want []string) {
	t.Helper()
	if len(want) == 0 && len(got) != 0 {
		t.Errorf("unexpected warnings: %q", got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.Contains(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning contains %q; got %q", w, got)
		}
	}
	for _, g := range got {
		if strings.ContainsAny(g, "\n\r") {
			t.Errorf("warning spans lines: %q", g)
		}
	}
}

func TestParseGatewayFabricDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"55s", 55 * time.Second, false},
		{"1500ms", 1500 * time.Millisecond, false},
		{"5m", 5 * time.Minute, false},
		{"1h", time.Hour, false},
		{"60", 60 * time.Second, false}, // no unit: seconds, as NGF documents and nginx reads
		{"9999h", 9999 * time.Hour, false},
		{"10000s", 0, true},
		{"1m30s", 0, true},
		{"1d", 0, true},
		{"", 0, true},
		{"60s; include x", 0, true},
		{" 60s", 0, true},
		{"-1s", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseGatewayFabricDuration(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseGatewayFabricDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	// Everything we emit reads back.
	for _, r := range []engine.Recommendation{gunicornLike(), tomcatLike()} {
		ka, _ := GatewayFabricUpstreamSettings(r)
		if d, err := ParseGatewayFabricDuration(ka.Timeout); err != nil || d != r.KeepaliveTimeout {
			t.Errorf("timeout %q reads back as %v, %v; want %v", ka.Timeout, d, err, r.KeepaliveTimeout)
		}
	}
}

func TestCheckExports(t *testing.T) {
	if err := CheckUpstreamName("api-v2.internal"); err != nil {
		t.Errorf("CheckUpstreamName rejected a good name: %v", err)
	}
	if err := CheckUpstreamName("api;"); err == nil {
		t.Error("CheckUpstreamName accepted \"api;\"")
	}
	if err := CheckServer(0, "[2001:db8::1]:443 max_fails=0"); err != nil {
		t.Errorf("CheckServer rejected a good server: %v", err)
	}
	var ve *ValueError
	if err := CheckServer(3, "a b c"); !errors.As(err, &ve) || ve.Index != 3 || ve.Attribute != "servers" {
		t.Errorf("CheckServer error = %v, want a *ValueError on servers[3]", err)
	}
}
