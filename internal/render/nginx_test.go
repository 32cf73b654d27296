package render

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// gunicornLike is the shape of a recommendation in front of gunicorn's 2 s idle timeout.
func gunicornLike() engine.Recommendation {
	return engine.Recommendation{
		NginxVersion:      "1.22.1",
		KeepaliveEnabled:  true,
		KeepaliveTimeout:  1800 * time.Millisecond,
		KeepaliveRequests: 1000,
		KeepaliveTime:     time.Hour,
		Pool:              16,
		NeedsProxyHeaders: true,
		UpstreamName:      "api",
		Servers:           []string{"127.0.0.1:8000", "[::1]:8001 weight=2 max_fails=3 fail_timeout=10s"},
	}
}

// tomcatLike is the shape of a recommendation in front of stock Tomcat (20 s idle, 100 requests).
func tomcatLike() engine.Recommendation {
	return engine.Recommendation{
		NginxVersion:      "1.22.1",
		KeepaliveEnabled:  true,
		KeepaliveTimeout:  18 * time.Second,
		KeepaliveRequests: 99,
		KeepaliveTime:     time.Hour,
		Pool:              32,
		NeedsProxyHeaders: true,
		UpstreamName:      "tomcat.backend_1",
		Servers:           []string{"tomcat-1.internal:8080", "10.0.0.12:8080 backup", "unix:/run/tomcat/http.sock"},
	}
}

func offRec(version, reason string) engine.Recommendation {
	return engine.Recommendation{
		NginxVersion:       version,
		KeepaliveOffReason: reason,
		UpstreamName:       "legacy",
		Servers:            []string{"127.0.0.1:9000"},
	}
}

// oneDirectivePerLine is what every rendered line must look like: a comment, a block
// opening/closing, or exactly one simple directive whose parameters contain no ; { } " or $
// (apart from the literal empty string "").
var renderedLineRe = regexp.MustCompile(`^ *(#[^\n]*|upstream [A-Za-z0-9_.-]+ \{|\}|[a-z_]+( ([^\s;{}"$#\\]+|""))*;)$`)

func assertWellFormed(t *testing.T, out string) {
	t.Helper()
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end with a newline: %q", out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" && out == "" {
			continue
		}
		if !renderedLineRe.MatchString(line) {
			t.Errorf("rendered line %q is not a single safe directive", line)
		}
	}
}

func TestUpstreamConfig(t *testing.T) {
	tests := []struct {
		name string
		rec  func() engine.Recommendation
		want string
	}{
		{
			name: "gunicorn-like named upstream, sub-second timeout kept in ms",
			rec:  gunicornLike,
			want: `upstream api {
    server 127.0.0.1:8000;
    server [::1]:8001 weight=2 max_fails=3 fail_timeout=10s;
    keepalive 16;
    keepalive_timeout 1800ms;
    keepalive_requests 1000;
    keepalive_time 1h;
}
`,
		},
		{
			name: "tomcat-like named upstream with host, backup and unix servers",
			rec:  tomcatLike,
			want: `upstream tomcat.backend_1 {
    server tomcat-1.internal:8080;
    server 10.0.0.12:8080 backup;
    server unix:/run/tomcat/http.sock;
    keepalive 32;
    keepalive_timeout 18s;
    keepalive_requests 99;
    keepalive_time 1h;
}
`,
		},
		{
			name: "directives only without upstream_name or servers",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.UpstreamName, r.Servers = "", nil
				return r
			},
			want: "keepalive 32;\nkeepalive_timeout 18s;\nkeepalive_requests 99;\nkeepalive_time 1h;\n",
		},
		{
			name: "directives only keep servers when given",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.UpstreamName, r.Servers = "", []string{"localhost"}
				return r
			},
			want: "server localhost;\nkeepalive 16;\nkeepalive_timeout 1800ms;\nkeepalive_requests 1000;\nkeepalive_time 1h;\n",
		},
		{
			name: "keepalive_time omitted when 0",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.UpstreamName, r.Servers, r.KeepaliveTime = "", nil, 0
				return r
			},
			want: "keepalive 16;\nkeepalive_timeout 1800ms;\nkeepalive_requests 1000;\n",
		},
		{
			name: "nginx 1.18 has no keepalive_time",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion, r.UpstreamName, r.Servers = "1.18.0", "", nil
				return r
			},
			want: "keepalive 16;\nkeepalive_timeout 1800ms;\nkeepalive_requests 1000;\n",
		},
		{
			name: "nginx 1.14 accepts neither upstream timeout nor requests",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion, r.UpstreamName, r.Servers = "1.14.2", "", nil
				return r
			},
			want: "keepalive 16;\n",
		},
		{
			name: "sub-millisecond part is truncated (down is safe)",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.UpstreamName, r.Servers, r.KeepaliveTime = "", nil, 0
				r.KeepaliveTimeout = 1500*time.Millisecond + 900*time.Microsecond
				return r
			},
			want: "keepalive 16;\nkeepalive_timeout 1500ms;\nkeepalive_requests 1000;\n",
		},
		{
			name: "nginx 1.29.6: plain keepalive N, as before",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion, r.UpstreamName, r.Servers = "1.29.6", "", nil
				return r
			},
			want: "keepalive 16;\nkeepalive_timeout 1800ms;\nkeepalive_requests 1000;\nkeepalive_time 1h;\n",
		},
		{
			name: "nginx 1.29.7: keepalive N local keeps the default per-location mode",
			rec: func() engine.Recommendation {
				r := gunicornLike()
				r.NginxVersion, r.UpstreamName, r.Servers = "1.29.7", "", nil
				return r
			},
			want: "keepalive 16 local;\nkeepalive_timeout 1800ms;\nkeepalive_requests 1000;\nkeepalive_time 1h;\n",
		},
		{
			name: "nginx 1.30.4 named upstream",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.NginxVersion = "1.30.4"
				return r
			},
			want: `upstream tomcat.backend_1 {
    server tomcat-1.internal:8080;
    server 10.0.0.12:8080 backup;
    server unix:/run/tomcat/http.sock;
    keepalive 32 local;
    keepalive_timeout 18s;
    keepalive_requests 99;
    keepalive_time 1h;
}
`,
		},
		{
			name: "nginx 1.31.4 directives only",
			rec: func() engine.Recommendation {
				r := tomcatLike()
				r.NginxVersion, r.UpstreamName, r.Servers = "1.31.4", "", nil
				return r
			},
			want: "keepalive 32 local;\nkeepalive_timeout 18s;\nkeepalive_requests 99;\nkeepalive_time 1h;\n",
		},
		{
			name: "keep-alive off on nginx 1.29.6: no keepalive 0 (rejected before 1.29.7)",
			rec:  func() engine.Recommendation { return offRec("1.29.6", "no timeout fits") },
			want: "# upstream keep-alive off: no timeout fits\nupstream legacy {\n    server 127.0.0.1:9000;\n}\n",
		},
		{
			name: "keep-alive off on nginx 1.31.4: keepalive 0",
			rec:  func() engine.Recommendation { return offRec("1.31.4", "no timeout fits") },
			want: "# upstream keep-alive off: no timeout fits\nupstream legacy {\n    server 127.0.0.1:9000;\n    keepalive 0;\n}\n",
		},
		{
			name: "keep-alive off on nginx 1.22: no pool, reason as one comment line",
			rec:  func() engine.Recommendation { return offRec("1.22.1", "gunicorn-sync closes after every response") },
			want: "# upstream keep-alive off: gunicorn-sync closes after every response\nupstream legacy {\n    server 127.0.0.1:9000;\n}\n",
		},
		{
			name: "keep-alive off on nginx 1.30: explicit keepalive 0 against the built-in pool",
			rec:  func() engine.Recommendation { return offRec("1.30.0", "no timeout fits") },
			want: "# upstream keep-alive off: no timeout fits\nupstream legacy {\n    server 127.0.0.1:9000;\n    keepalive 0;\n}\n",
		},
		{
			name: "keep-alive off, directives only, old nginx: just the comment",
			rec: func() engine.Recommendation {
				r := offRec("1.22.1", "x")
				r.UpstreamName, r.Servers = "", nil
				return r
			},
			want: "# upstream keep-alive off: x\n",
		},
		{
			name: "hostile reason is flattened into the comment",
			rec: func() engine.Recommendation {
				return offRec("1.22.1", "a\n}\ninclude /etc/passwd;\r\n\tserver evil:1;\u2028\x00b")
			},
			want: "# upstream keep-alive off: a } include /etc/passwd; server evil:1; b\nupstream legacy {\n    server 127.0.0.1:9000;\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UpstreamConfig(tt.rec())
			if err != nil {
				t.Fatalf("UpstreamConfig: %v", err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			assertWellFormed(t, got)
		})
	}
}

func TestUpstreamConfigLongReasonIsCut(t *testing.T) {
	r := offRec("1.22.1", strings.Repeat("word ", 200))
	got, err := UpstreamConfig(r)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(got, "\n", 2)[0]
	if n := len([]rune(strings.TrimPrefix(first, "# upstream keep-alive off: "))); n != maxCommentRunes {
		t.Errorf("comment text has %d runes, want the cap %d: %q", n, maxCommentRunes, first)
	}
	assertWellFormed(t, got)
}

func TestUpstreamConfigTimesRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{time.Millisecond, 999 * time.Millisecond, 1800 * time.Millisecond,
		4*time.Second + 500*time.Millisecond, 55 * time.Second, 59*time.Minute + 30*time.Second, 24 * time.Hour} {
		r := gunicornLike()
		r.UpstreamName, r.Servers = "", nil
		r.KeepaliveTimeout, r.KeepaliveTime = d, d
		out, err := UpstreamConfig(r)
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		re := regexp.MustCompile(`(?m)^keepalive_(timeout|time) (\S+);$`)
		matches := re.FindAllStringSubmatch(out, -1)
		if len(matches) != 2 {
			t.Fatalf("%v: want keepalive_timeout and keepalive_time in %q", d, out)
		}
		for _, m := range matches {
			back, err := ngxtime.Parse(m[2])
			if err != nil {
				t.Fatalf("%v: rendered %q does not parse as nginx time: %v", d, m[2], err)
			}
			if back != d.Truncate(time.Millisecond) {
				t.Errorf("%v: rendered %s reads back as %v", d, m[2], back)
			}
		}
	}
}

func TestUpstreamConfigRejectsInjection(t *testing.T) {
	hostileNames := []string{
		"api; include /etc/passwd", "api\ninclude /etc/passwd;", "api{", "api}", `"api"`, "'api'",
		"$upstream", "api name", "api\tx", ".api", "-api", "api#x", `api\`, "api;", strings.Repeat("a", 201),
		"http://api", "api/x", "ápi",
	}
	for _, name := range hostileNames {
		t.Run("upstream_name "+name, func(t *testing.T) {
			r := gunicornLike()
			r.UpstreamName = name
			assertValueError(t, r, "upstream_name", -1, name)
		})
	}
	hostileServers := []string{
		"127.0.0.1:8000; include /etc/passwd", "127.0.0.1:8000\ninclude /etc/passwd;", "127.0.0.1:8000 }",
		"{127.0.0.1:8000", `"127.0.0.1:8000"`, "'127.0.0.1'", "$backend:80", "127.0.0.1:8000 weight=$w",
		"", "   ", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:8000 resolve", "127.0.0.1:8000 weight=0",
		"127.0.0.1:8000 fail_timeout=10ms", "127.0.0.1:8000 max_fails=-1", "127.0.0.1:8000 slow_start=10s",
		"::1", "::1:8080", "[::1", "[zz::1]:80", "[::1]:99999", "999.1.1.1:80", "1.2.3:80", "host_name:80",
		"-host:80", "unix:relative.sock", "unix:/run/a b.sock", "unix:/run/a;b", "http://127.0.0.1:80",
		"127.0.0.1:8000\tbackup", "127.0.0.1:8000\r", "127.0.0.1:8000 #comment", `127.0.0.1:8000 \`,
		"127.0.0.1:8000 backup\x00",
	}
	for _, s := range hostileServers {
		t.Run("server "+s, func(t *testing.T) {
			r := gunicornLike()
			r.Servers = []string{"127.0.0.1:1", s}
			assertValueError(t, r, "servers", 1, s)
		})
	}
}

func assertValueError(t *testing.T, r engine.Recommendation, attr string, index int, value string) {
	t.Helper()
	out, err := UpstreamConfig(r)
	if err == nil {
		t.Fatalf("accepted %q, rendered:\n%s", value, out)
	}
	if out != "" {
		t.Errorf("returned text together with an error: %q", out)
	}
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValueError", err)
	}
	if ve.Attribute != attr || ve.Index != index || ve.Value != value {
		t.Errorf("ValueError{%q, %d, %q}, want {%q, %d, %q}", ve.Attribute, ve.Index, ve.Value, attr, index, value)
	}
	if !strings.Contains(err.Error(), "use ") {
		t.Errorf("error %q does not say what to use instead", err)
	}
	if attr == "upstream_name" {
		if _, perr := ProxyConfig(r); perr == nil {
			t.Errorf("ProxyConfig accepted upstream_name %q", value)
		}
	}
}

func TestUpstreamConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*engine.Recommendation)
		wantErr string
	}{
		{"named upstream without servers", func(r *engine.Recommendation) { r.Servers = nil }, "at least one server"},
		{"bad nginx version", func(r *engine.Recommendation) { r.NginxVersion = "1.x" }, "invalid nginx version"},
		{"pool 0 while on", func(r *engine.Recommendation) { r.Pool = 0 }, "keepalive pool 0"},
		{"timeout below 1ms while on", func(r *engine.Recommendation) { r.KeepaliveTimeout = 999 * time.Microsecond }, "keepalive_timeout"},
		{"requests 0 while on", func(r *engine.Recommendation) { r.KeepaliveRequests = 0 }, "keepalive_requests 0"},
		{"negative keepalive_time", func(r *engine.Recommendation) { r.KeepaliveTime = -time.Second }, "keepalive_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gunicornLike()
			tt.mutate(&r)
			out, err := UpstreamConfig(r)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q (output %q)", err, tt.wantErr, out)
			}
		})
	}
}

func TestProxyConfig(t *testing.T) {
	tests := []struct {
		name string
		rec  func() engine.Recommendation
		want string
	}{
		{"keep-alive on with upstream name", gunicornLike,
			"proxy_http_version 1.1;\nproxy_set_header Connection \"\";\nproxy_pass http://api;\n"},
		{"keep-alive on, no name", func() engine.Recommendation {
			r := tomcatLike()
			r.UpstreamName = ""
			return r
		}, "proxy_http_version 1.1;\nproxy_set_header Connection \"\";\n"},
		{"still rendered on nginx 1.29.6", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion = "1.29.6"
			return r
		}, "proxy_http_version 1.1;\nproxy_set_header Connection \"\";\nproxy_pass http://tomcat.backend_1;\n"},
		{"left out from nginx 1.29.7 where they are the defaults", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion, r.NeedsProxyHeaders = "1.29.7", false
			return r
		}, "proxy_pass http://tomcat.backend_1;\n"},
		{"left out on nginx 1.30.4", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion, r.NeedsProxyHeaders = "1.30.4", false
			return r
		}, "proxy_pass http://tomcat.backend_1;\n"},
		{"nothing at all on nginx 1.31.4 without a name", func() engine.Recommendation {
			r := tomcatLike()
			r.NginxVersion, r.NeedsProxyHeaders, r.UpstreamName = "1.31.4", false, ""
			return r
		}, ""},
		{"keep-alive off keeps only proxy_pass", func() engine.Recommendation { return offRec("1.22.1", "x") },
			"proxy_pass http://legacy;\n"},
		{"keep-alive off without name renders nothing", func() engine.Recommendation {
			r := offRec("1.22.1", "x")
			r.UpstreamName = ""
			return r
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ProxyConfig(tt.rec())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			assertWellFormed(t, got)
		})
	}
}

func TestDirectiveRejectsUnsafeParameters(t *testing.T) {
	for _, p := range []string{"60s; include x", "a b", "a\nb", "{", "}", `"x"`, "$x", "#", `\`, ""} {
		if _, err := directive("keepalive_timeout", p); err == nil {
			t.Errorf("directive accepted parameter %q", p)
		}
	}
	if _, err := directive("proxy_pass; include", "x"); err == nil {
		t.Error("directive accepted a hostile name")
	}
}
