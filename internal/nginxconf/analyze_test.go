package nginxconf

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

func defaultsFor(t *testing.T, version string) nginxver.Defaults {
	t.Helper()
	v, err := nginxver.Parse(version)
	if err != nil {
		t.Fatal(err)
	}
	return nginxver.DefaultsFor(v)
}

func mustAnalyze(t *testing.T, content, version string) *Analysis {
	t.Helper()
	a, err := AnalyzeContent(content, Options{NginxVersion: version})
	if err != nil {
		t.Fatalf("AnalyzeContent: %v", err)
	}
	return a
}

// findingsAt returns the messages of the findings with this severity on this line.
func findingsAt(a *Analysis, severity string, line int) []string {
	var out []string
	for _, f := range a.Findings {
		if f.Severity == severity && f.Line == line {
			out = append(out, f.Message)
		}
	}
	return out
}

func proxyAt(t *testing.T, a *Analysis, location string) Proxy {
	t.Helper()
	for _, p := range a.Proxies {
		if p.Location == location {
			return p
		}
	}
	t.Fatalf("no proxy for location %q in %+v", location, a.Proxies)
	return Proxy{}
}

// The hand-written Debian-style site: includes with globs, a hidden file, a snippet,
// and every keep-alive situation a location can be in, on the nginx packaged here.
func TestSiteEffectiveValuesNginx122(t *testing.T) {
	const version = "1.22.1"
	def := defaultsFor(t, version)
	path := filepath.Join("testdata", "site", "nginx.conf")
	a, err := AnalyzeFile(path, Options{NginxVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	upstreams := filepath.Join("testdata", "site", "conf.d", "upstreams.conf")
	app := filepath.Join("testdata", "site", "sites-enabled", "app")

	if _, ok := a.Upstreams["hidden"]; ok {
		t.Error("conf.d/.hidden.conf was included: a wildcard must skip dotfiles like glob(3)")
	}
	if len(a.Upstreams) != 3 {
		t.Fatalf("upstreams = %v, want api, legacy, pooled_default_timeout", a.Upstreams)
	}
	api := a.Upstreams["api"]
	if api.Keepalive == nil || *api.Keepalive != 16 || api.KeepaliveTimeout != 4*time.Second || api.KeepaliveRequests != 500 {
		t.Errorf("api explicit values wrong: %+v", api)
	}
	if api.KeepaliveTime != def.UpstreamKeepaliveTime {
		t.Errorf("api keepalive_time = %v, want nginx %s default %v", api.KeepaliveTime, version, def.UpstreamKeepaliveTime)
	}
	if strings.Join(api.Explicit, ",") != "keepalive,keepalive_timeout,keepalive_requests" {
		t.Errorf("api explicit = %v", api.Explicit)
	}
	if api.File != upstreams || api.Line != 1 {
		t.Errorf("api at %s:%d, want %s:1", api.File, api.Line, upstreams)
	}
	legacy := a.Upstreams["legacy"]
	if legacy.Keepalive != nil {
		t.Errorf("legacy has no keepalive directive; nginx %s keeps no pool, got %d", version, *legacy.Keepalive)
	}
	if strings.Join(legacy.Servers, " ") != "127.0.0.1:8002 unix:/run/legacy.sock" {
		t.Errorf("legacy servers = %v", legacy.Servers)
	}
	if legacy.KeepaliveTimeout != def.UpstreamKeepaliveTimeout || legacy.KeepaliveRequests != def.UpstreamKeepaliveRequests {
		t.Errorf("legacy defaults = %v/%d, want %v/%d", legacy.KeepaliveTimeout, legacy.KeepaliveRequests, def.UpstreamKeepaliveTimeout, def.UpstreamKeepaliveRequests)
	}
	if a.ClientKeepaliveTimeout != 65*time.Second || !a.ClientKeepaliveTimeoutExplicit {
		t.Errorf("client keepalive_timeout = %v (explicit %v), want 65s from nginx.conf", a.ClientKeepaliveTimeout, a.ClientKeepaliveTimeoutExplicit)
	}

	if p := proxyAt(t, a, "/api/"); !p.KeepaliveEffective || !p.ClearsConnectionHeader || p.ProxyHTTPVersion != "1.1" || p.Upstream != "api" ||
		p.ServerName != "app.example.com www.example.com" || p.File != app || p.Line != 6 {
		t.Errorf("/api/ inherits 1.1 and Connection \"\" from http: %+v", p)
	}
	trap := proxyAt(t, a, "/trap/")
	if trap.KeepaliveEffective || trap.ClearsConnectionHeader {
		t.Errorf("/trap/ defines its own proxy_set_header and so loses Connection \"\": %+v", trap)
	}
	msgs := findingsAt(a, SeverityWarning, 10)
	if len(msgs) != 1 || !strings.Contains(msgs[0], app+":9") || !strings.Contains(msgs[0], "nginx.conf:10") || !strings.Contains(msgs[0], "replace all inherited") {
		t.Errorf("trap finding should name the replacing proxy_set_header (%s:9) and the lost Connection \"\" (nginx.conf:10): %q", app, msgs)
	}
	if p := proxyAt(t, a, "/legacy/"); p.KeepaliveEffective {
		t.Errorf("/legacy/ has no pool on %s: %+v", version, p)
	}
	if len(findingsAt(a, SeverityInfo, 8)) == 0 {
		t.Error("expected an info finding that upstream legacy has no keepalive")
	}
	if p := proxyAt(t, a, "/old/"); p.KeepaliveEffective || p.ProxyHTTPVersion != "1.0" {
		t.Errorf("/old/ sets proxy_http_version 1.0: %+v", p)
	}
	if msgs := findingsAt(a, SeverityWarning, 17); len(msgs) != 1 || !strings.Contains(msgs[0], "HTTP/1.0") || !strings.Contains(msgs[0], "silently off") {
		t.Errorf("/old/ finding = %q", msgs)
	}
	if msgs := findingsAt(a, SeverityInfo, 20); len(msgs) != 1 || !strings.Contains(msgs[0], "takes its host from a variable") {
		t.Errorf("proxy_pass with a variable should give one info finding: %q", msgs)
	}
	for _, p := range a.Proxies {
		if p.Location == "/direct/" || p.Location == "/dyn/" {
			t.Errorf("%s does not reach an upstream block and must not be listed: %+v", p.Location, p)
		}
	}
	// proxy_pass http://API matches upstream api: nginx compares host names case-insensitively.
	if p := proxyAt(t, a, "/snip/"); !p.KeepaliveEffective || p.Upstream != "api" {
		t.Errorf("/snip/ gets Connection \"\" from the included snippet: %+v", p)
	}
	client := filepath.Join("testdata", "site", "nginx.conf")
	found := false
	for _, f := range a.Findings {
		if f.File == client && f.Line == 8 && strings.Contains(f.Message, "pooled_default_timeout") && !strings.Contains(f.Message, "\"api\"") {
			found = true
		}
	}
	if !found {
		t.Errorf("expected the client keepalive_timeout finding at %s:8 naming only pooled_default_timeout: %+v", client, a.Findings)
	}
}

// From 1.29.7 on, explicit upstreams get a pool of 32 and nginx stops sending Connection: close.
func TestSiteNginxKeepaliveByDefault(t *testing.T) {
	version := nginxver.KeepaliveByDefault.String()
	def := defaultsFor(t, version)
	a, err := AnalyzeFile(filepath.Join("testdata", "site", "nginx.conf"), Options{NginxVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	legacy := a.Upstreams["legacy"]
	if legacy.Keepalive == nil || *legacy.Keepalive != def.UpstreamKeepalivePool {
		t.Fatalf("legacy pool = %v, want the %s default %d", legacy.Keepalive, version, def.UpstreamKeepalivePool)
	}
	if p := proxyAt(t, a, "/legacy/"); !p.KeepaliveEffective {
		t.Errorf("/legacy/ should reuse connections on %s: %+v", version, p)
	}
	if p := proxyAt(t, a, "/trap/"); !p.KeepaliveEffective {
		t.Errorf("/trap/ loses Connection \"\" but %s no longer sends Connection: close: %+v", version, p)
	}
}

func TestInheritanceOfProxySettings(t *testing.T) {
	const conf = `http {
    upstream b { server 127.0.0.1:1; keepalive 4; }
    server {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        location /inherits { proxy_pass http://b; }
        location /own-headers {
            proxy_set_header X-Id $request_id;
            proxy_pass http://b;
        }
        location /outer {
            proxy_set_header Host $host;
            proxy_set_header Connection "";
            location /outer/inner {
                proxy_pass http://b;
            }
            location /outer/inner2 {
                proxy_set_header X-Other 1;
                proxy_pass http://b;
            }
            if ($request_method = POST) {
                proxy_pass http://b;
            }
        }
        location /close { proxy_set_header Connection close; proxy_pass http://b; }
        location /ten { proxy_http_version 1.0; proxy_pass http://b; }
    }
}`
	a := mustAnalyze(t, conf, "1.22.1")
	want := map[string]bool{"/inherits": true, "/own-headers": false, "/outer/inner": true, "/outer/inner2": false, "/outer": true, "/close": false, "/ten": false}
	for loc, effective := range want {
		if p := proxyAt(t, a, loc); p.KeepaliveEffective != effective {
			t.Errorf("%s: KeepaliveEffective = %v, want %v (%+v)", loc, p.KeepaliveEffective, effective, p)
		}
	}
	if p := proxyAt(t, a, "/ten"); p.ProxyHTTPVersion != "1.0" || !p.ClearsConnectionHeader {
		t.Errorf("/ten: %+v", p)
	}
	if msgs := findingsAt(a, SeverityWarning, 9); len(msgs) != 1 || !strings.Contains(msgs[0], "line 8") || !strings.Contains(msgs[0], "line 5") {
		t.Errorf("/own-headers finding should point at line 8 (its proxy_set_header) and line 5 (the lost Connection): %q", msgs)
	}
	if msgs := findingsAt(a, SeverityWarning, 25); len(msgs) != 1 || !strings.Contains(msgs[0], "\"close\"") {
		t.Errorf("/close finding: %q", msgs)
	}
}

// ingress-nginx sends Connection: $connection_upgrade from a map whose ” entry decides
// what a plain request gets.
func TestConnectionUpgradeMap(t *testing.T) {
	conf := func(empty string) string {
		return `http {
    map $http_upgrade $connection_upgrade { default upgrade; '' ` + empty + `; }
    upstream upstream_balancer { server 0.0.0.1; balancer_by_lua_block { balancer.balance() } keepalive 320; }
    server {
        location / {
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_pass http://upstream_balancer;
        }
    }
}`
	}
	if p := mustAnalyze(t, conf("''"), "1.22.1").Proxies[0]; !p.KeepaliveEffective || !p.ClearsConnectionHeader {
		t.Errorf("map '' -> '': keep-alive works: %+v", p)
	}
	a := mustAnalyze(t, conf("close"), "1.22.1")
	if p := a.Proxies[0]; p.KeepaliveEffective {
		t.Errorf("map '' -> close: keep-alive is off: %+v", p)
	}
	if len(findingsAt(a, SeverityWarning, 9)) != 1 {
		t.Errorf("expected a warning at the proxy_pass: %+v", a.Findings)
	}
	unknown := strings.Replace(conf("''"), "$http_upgrade $connection_upgrade", "$http_x_mode $connection_upgrade", 1)
	a = mustAnalyze(t, unknown, "1.22.1")
	if p := a.Proxies[0]; p.KeepaliveEffective {
		t.Errorf("a map over another variable cannot be evaluated; effective must not be claimed: %+v", p)
	}
	if len(findingsAt(a, SeverityInfo, 9)) != 1 {
		t.Errorf("expected an info finding about the undeterminable Connection value: %+v", a.Findings)
	}
}

func TestUpstreamDirectiveFindings(t *testing.T) {
	cases := []struct {
		name, version, upstream string
		severity                string
		line                    int
		contains                string
		pool                    *int64
	}{
		{"balancer after keepalive drops the pool before 1.29.7", "1.22.1", "keepalive 8;\n ip_hash;", SeverityWarning, 4, "load balancing method redefined", nil},
		{"balancer after keepalive is fine from 1.29.7", "1.30.0", "keepalive 8;\n ip_hash;", "", 0, "", ptr(8)},
		{"balancer before keepalive", "1.22.1", "least_conn;\n keepalive 8;", "", 0, "", ptr(8)},
		{"keepalive_time before 1.19.10", "1.18.0", "keepalive 8; keepalive_time 1h;", SeverityError, 3, "keepalive_time", ptr(8)},
		{"upstream keepalive_timeout before 1.15.3", "1.14.2", "keepalive 8; keepalive_timeout 5s;", SeverityError, 3, "1.15.3", ptr(8)},
		{"local before 1.29.7", "1.22.1", "keepalive 8 local;", SeverityError, 3, "local", ptr(8)},
		{"local from 1.29.7", "1.30.0", "keepalive 8 local;", "", 0, "", ptr(8)},
		{"keepalive 0 before 1.29.7", "1.22.1", "keepalive 0;", SeverityError, 3, "keepalive 0", ptr(0)},
		{"keepalive 0 turns the default pool off", "1.30.0", "keepalive 0;", "", 0, "", ptr(0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := mustAnalyze(t, "http {\n upstream u { server 127.0.0.1:1;\n "+c.upstream+" }\n}", c.version)
			got := a.Upstreams["u"].Keepalive
			if (got == nil) != (c.pool == nil) || (got != nil && *got != *c.pool) {
				t.Errorf("pool = %v, want %v", deref(got), deref(c.pool))
			}
			if c.severity == "" {
				if len(a.Findings) != 0 {
					t.Errorf("unexpected findings %+v", a.Findings)
				}
				return
			}
			msgs := findingsAt(a, c.severity, c.line)
			if len(msgs) != 1 || !strings.Contains(msgs[0], c.contains) {
				t.Errorf("want one %s finding at line %d containing %q; got %+v", c.severity, c.line, c.contains, a.Findings)
			}
		})
	}
}

func ptr(n int64) *int64 { return &n }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestProxyPassTargets(t *testing.T) {
	const conf = `http {
    upstream app { server 127.0.0.1:1; keepalive 2; }
    server {
        location /a { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass https://app/x?y; }
        location /b { proxy_pass http://app:8080; }
        location /c { proxy_pass http://unix:/tmp/app.sock:/; }
        location /d { proxy_pass http://[::1]:80; }
        location /e { proxy_pass app; }
    }
}`
	a := mustAnalyze(t, conf, "1.22.1")
	if len(a.Proxies) != 1 || a.Proxies[0].Location != "/a" || !a.Proxies[0].KeepaliveEffective {
		t.Errorf("only /a reaches upstream app: %+v", a.Proxies)
	}
	if msgs := findingsAt(a, SeverityError, 5); len(msgs) != 1 || !strings.Contains(msgs[0], "may not have a port") {
		t.Errorf("an explicit upstream with a port is an nginx error: %+v", a.Findings)
	}
	if msgs := findingsAt(a, SeverityError, 8); len(msgs) != 1 || !strings.Contains(msgs[0], "invalid URL prefix") {
		t.Errorf("proxy_pass without scheme: %+v", a.Findings)
	}
}

func TestClientKeepaliveTimeoutDefaultAndSeverity(t *testing.T) {
	def := defaultsFor(t, "1.22.1")
	a := mustAnalyze(t, "http { }", "1.22.1")
	if a.ClientKeepaliveTimeout != def.ClientKeepaliveTimeout || a.ClientKeepaliveTimeoutExplicit {
		t.Errorf("default client keepalive_timeout = %v, want %v", a.ClientKeepaliveTimeout, def.ClientKeepaliveTimeout)
	}
	// In server {} a client timeout is only an info, which states the criterion for a warning.
	a = mustAnalyze(t, "http {\n upstream u { server 127.0.0.1:1; keepalive 4; }\n server {\n keepalive_timeout 5s 5;\n location / { proxy_pass http://u; }\n }\n}", "1.22.1")
	if msgs := findingsAt(a, SeverityInfo, 4); len(msgs) != 1 || !strings.Contains(msgs[0], "client connections") || !strings.Contains(msgs[0], `"u"`) ||
		!strings.Contains(msgs[0], "warning only when the directive sits in a location") {
		t.Errorf("server-level keepalive_timeout next to a pooled upstream without one: %+v", a.Findings)
	}
	a = mustAnalyze(t, "http {\n keepalive_timeout 65;\n upstream u { server 127.0.0.1:1; keepalive 4; keepalive_timeout 5s; }\n}", "1.22.1")
	if len(a.Findings) != 0 {
		t.Errorf("the upstream sets its own timeout: no finding expected, got %+v", a.Findings)
	}
}

func TestLuaAndThirdPartyDoNotBreakAnalysis(t *testing.T) {
	const conf = `http {
    more_set_headers "Server: x";
    init_by_lua_block {
        local t = { "}", '{' } -- braces in strings are fine while they balance
        --[==[ long comment with { and } ]==]
        print("a \" quote")
    }
    upstream u { server 127.0.0.1:1; keepalive 4;
        balancer_by_lua_block { if x then y = { } end }
    }
    server {
        app_protect_enable on;
        location / {
            content_by_lua_block { ngx.say("{}") }
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://u;
        }
    }
}`
	a := mustAnalyze(t, conf, "1.22.1")
	if u := a.Upstreams["u"]; u.Keepalive == nil || *u.Keepalive != 4 || u.Line != 8 {
		t.Errorf("upstream after Lua blocks: %+v", u)
	}
	if len(a.Proxies) != 1 || a.Proxies[0].Line != 17 || !a.Proxies[0].KeepaliveEffective {
		t.Errorf("proxy after Lua blocks: %+v", a.Proxies)
	}
}

func TestErrorType(t *testing.T) {
	_, err := AnalyzeContent("http {\n upstream u { keepalive; }\n}", Options{})
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || e.File != "" || !strings.Contains(e.Msg, "keepalive") {
		t.Fatalf("want *Error at line 2, got %#v", err)
	}
	if got := e.Error(); !strings.HasPrefix(got, "line 2: ") {
		t.Errorf("Error() = %q", got)
	}
	if _, err := AnalyzeContent("", Options{NginxVersion: "x"}); err == nil || !strings.Contains(err.Error(), "invalid nginx version") {
		t.Errorf("bad version: %v", err)
	}
}

// A snippet included in two locations yields a proxy per location but each finding once.
func TestSnippetIncludedTwice(t *testing.T) {
	root := writeTree(t, map[string]string{
		"nginx.conf": "http {\n upstream u { server 127.0.0.1:1; keepalive 2; }\n server {\n  location /a { include p.inc; }\n  location /b { include p.inc; }\n }\n}\n",
		"p.inc":      "proxy_pass http://u;\n",
	})
	a, err := AnalyzeFile(filepath.Join(root, "nginx.conf"), Options{NginxVersion: "1.22.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Proxies) != 2 || a.Proxies[0].Location != "/a" || a.Proxies[1].Location != "/b" || a.Proxies[1].File != filepath.Join(root, "p.inc") {
		t.Fatalf("proxies = %+v", a.Proxies)
	}
	// HTTP/1.0 and Connection: close, each reported once at p.inc:1.
	if len(a.Findings) != 2 {
		t.Errorf("findings = %+v", a.Findings)
	}
}

// Words gonginx reads as nginx does (quoted braces, escaped quotes, "#" and backquotes inside
// a word, ${var}) reach the analysis as nginx reads them: unquoted and unescaped.
func TestOddWordsReadAsNginxReadsThem(t *testing.T) {
	const conf = "http {\n upstream \"odd}name\" { server 127.0.0.1:1; keepalive 1; }\n" +
		" server {\n  server_name a#b `c` ${d};\n" +
		"  location \"/\\{;} #\\\" ab\" { proxy_http_version '1.1'; proxy_set_header \"Connection\" ''; proxy_pass \"http://odd}name\"; }\n }\n}"
	a := mustAnalyze(t, conf, "1.22.1")
	if _, ok := a.Upstreams["odd}name"]; !ok {
		t.Errorf("upstream names: %v", a.Upstreams)
	}
	if len(a.Proxies) != 1 {
		t.Fatalf("proxies = %+v", a.Proxies)
	}
	p := a.Proxies[0]
	// nginx unescapes only \" \' \\ \t \r \n; other backslashes stay in the word.
	if p.Location != `/\{;} #" ab` || p.ServerName != "a#b `c` ${d}" || !p.KeepaliveEffective || p.Line != 5 {
		t.Errorf("proxy = %+v", p)
	}
}

// A conf.d fragment (no http block) is what nginx reads inside http {}: its upstreams and
// proxies are analysed, and a finding says the file was read that way.
func TestFragmentReadAsHTTPBody(t *testing.T) {
	const fragment = `# conf.d/api.conf
upstream api {
    server 127.0.0.1:8000;
    keepalive 16;
    keepalive_timeout 30s;
}
server {
    listen 80;
    location / {
        proxy_pass http://api;
    }
}
`
	a := mustAnalyze(t, fragment, "1.22.1")
	u, ok := a.Upstreams["api"]
	if !ok {
		t.Fatalf("the fragment's upstream was not read: %+v", a)
	}
	if u.KeepaliveTimeout != 30*time.Second || u.Line != 2 {
		t.Errorf("upstream api: keepalive_timeout %v at line %d, want 30s at line 2", u.KeepaliveTimeout, u.Line)
	}
	if p := proxyAt(t, a, "/"); p.Upstream != "api" || p.Line != 10 {
		t.Errorf("proxy: %+v, want upstream api at line 10", p)
	}
	info := findingsAt(a, SeverityInfo, 2)
	if len(info) != 1 || !strings.Contains(info[0], "no http block: the file is read as the body of http {}") {
		t.Errorf("info findings at line 2: %q", info)
	}
}

// nginx rejects an upstream beside the http block ("directive is not allowed here"); so does
// the analysis, instead of silently ignoring it.
func TestUpstreamOutsideHTTPIsAnError(t *testing.T) {
	_, err := AnalyzeContent("http {\n}\nupstream api {\n    server 127.0.0.1:8000;\n}\n", Options{})
	var pe *Error
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), `"upstream" directive is not allowed here`) {
		t.Fatalf("err = %v, want \"upstream\" not allowed here at line 3", err)
	}
}

// A file with neither http nor http-level blocks (events, stream) has nothing to analyse.
func TestNoHTTPLevelBlocksAnalysesNothing(t *testing.T) {
	a := mustAnalyze(t, "events {\n    worker_connections 1024;\n}\nstream {\n    upstream db {\n        server 127.0.0.1:5432;\n    }\n}\n", "1.22.1")
	if len(a.Upstreams) != 0 || len(a.Findings) != 0 {
		t.Fatalf("want nothing analysed, got %+v", a)
	}
}

// TestLargeConfigLinesAndOrder: in a configuration of a few hundred KiB with upstream and
// server blocks interleaved, lines, order and findings are those of the source.
func TestLargeConfigLinesAndOrder(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n")
	line := 2
	n := 0
	var lastUpstream, lastProxy, lastV10 int
	for b.Len() < 256<<10 {
		fmt.Fprintf(&b, "    upstream u%d {\n        server 10.0.0.1:80;\n        keepalive 4;\n        keepalive_timeout 5s;\n    }\n", n)
		lastUpstream = line
		line += 5
		fmt.Fprintf(&b, "    server {\n        server_name s%d;\n        location / {\n            proxy_http_version 1.0;\n            proxy_pass http://u%d;\n        }\n    }\n", n, n)
		lastV10, lastProxy = line+3, line+4
		line += 7
		n++
	}
	b.WriteString("}\n")
	a := mustAnalyze(t, b.String(), "1.22.1")
	last := fmt.Sprintf("u%d", n-1)
	if u := a.Upstreams[last]; u.Line != lastUpstream || len(u.Explicit) != 2 {
		t.Errorf("upstream %s: %+v, want line %d", last, u, lastUpstream)
	}
	if len(a.Proxies) != n {
		t.Fatalf("%d proxies, want %d", len(a.Proxies), n)
	}
	for i, p := range a.Proxies {
		if p.Upstream != fmt.Sprintf("u%d", i) || p.ServerName != fmt.Sprintf("s%d", i) {
			t.Fatalf("proxy %d out of order: %+v", i, p)
		}
	}
	if p := a.Proxies[n-1]; p.Line != lastProxy || p.ProxyHTTPVersion != "1.0" || p.KeepaliveEffective {
		t.Errorf("last proxy %+v, want line %d, HTTP/1.0, no keep-alive", p, lastProxy)
	}
	found := false
	for _, f := range a.Findings {
		found = found || f.Line == lastProxy && strings.Contains(f.Message, fmt.Sprintf("talks HTTP/1.0 to it (set at line %d)", lastV10))
	}
	if !found {
		t.Errorf("no HTTP/1.0 finding at line %d naming line %d", lastProxy, lastV10)
	}
}

// TestStatementLines: a statement's line is where it starts, however it is spread over lines
// (gonginx dates statements by their end).
func TestStatementLines(t *testing.T) {
	const conf = "http\n{\n upstream\n  u\n {\n  server 127.0.0.1:1; keepalive\n   4\n   ;\n }\n server { location / {\n  proxy_http_version\n 1.0; proxy_pass\n http://u\n ;\n } }\n}\n"
	a := mustAnalyze(t, conf, "1.22.1")
	if u := a.Upstreams["u"]; u.Line != 3 {
		t.Errorf("upstream u at line %d, want 3", u.Line)
	}
	if len(a.Proxies) != 1 || a.Proxies[0].Line != 12 {
		t.Fatalf("proxies = %+v, want one at line 12", a.Proxies)
	}
	if msgs := findingsAt(a, SeverityWarning, 12); len(msgs) != 2 || !strings.Contains(msgs[0], "HTTP/1.0 to it (set at line 11)") {
		t.Errorf("HTTP/1.0 finding at line 12 naming line 11: %+v", a.Findings)
	}
}

// A client-side keepalive_timeout is a warning only when it evidently targets the backends: in
// a location that passes to a pooled upstream without a keepalive_timeout of its own, with a
// value between 0 and the upstream default (60s).
func TestClientKeepaliveTimeoutMeantForBackend(t *testing.T) {
	conf := func(location, upstream string) string {
		return "http {\n upstream u { server 127.0.0.1:1; keepalive 4;" + upstream + " }\n server {\n  location / {\n   " + location + "\n   proxy_pass http://u;\n  }\n }\n}"
	}
	cases := []struct {
		name, location, upstream, severity string
	}{
		{"short value next to proxy_pass", "keepalive_timeout 5s;", "", SeverityWarning},
		{"value at the upstream default", "keepalive_timeout 60s;", "", SeverityInfo},
		{"zero turns client keep-alive off", "keepalive_timeout 0;", "", SeverityInfo},
		{"upstream sets its own", "keepalive_timeout 5s;", " keepalive_timeout 2s;", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := mustAnalyze(t, conf(c.location, c.upstream), "1.30.4")
			if c.severity == "" {
				if len(a.Findings) != 0 {
					t.Errorf("want no finding, got %+v", a.Findings)
				}
				return
			}
			msgs := findingsAt(a, c.severity, 5)
			if len(msgs) != 1 || len(a.Findings) != 1 || !strings.Contains(msgs[0], "client connections") {
				t.Errorf("want one %s at line 5, got %+v", c.severity, a.Findings)
			}
			if c.severity == SeverityWarning && !strings.Contains(msgs[0], "looks meant for the backends") {
				t.Errorf("the warning should say why it is one: %q", msgs[0])
			}
		})
	}
}

// nginx >= 1.29.7: "keepalive N local" is a pool in local mode, "keepalive 0" no pool, and an
// upstream block without the directive gets nginx's default "keepalive 32 local"; implicit
// upstreams (proxy_pass to an address) get nothing. Older versions keep no default pool.
func TestKeepaliveLocalAndOff(t *testing.T) {
	const conf = `http {
    upstream local8 { server 127.0.0.1:1; keepalive 8 local; }
    upstream shared8 { server 127.0.0.1:1; keepalive 8; }
    upstream off { server 127.0.0.1:1; keepalive 0; }
    upstream stock { server 127.0.0.1:1; }
    server {
        location /stock { proxy_pass http://stock; }
        location /off { proxy_pass http://off; }
        location /implicit { proxy_pass http://127.0.0.1:8000; }
    }
}`
	a := mustAnalyze(t, conf, "1.30.4")
	want := map[string]struct {
		pool  any
		local bool
	}{"local8": {int64(8), true}, "shared8": {int64(8), false}, "off": {int64(0), false}, "stock": {int64(32), true}}
	for name, w := range want {
		u := a.Upstreams[name]
		if deref(u.Keepalive) != w.pool || u.KeepaliveLocal != w.local {
			t.Errorf("1.30.4 upstream %s: pool %v local %v, want %v %v", name, deref(u.Keepalive), u.KeepaliveLocal, w.pool, w.local)
		}
	}
	if p := proxyAt(t, a, "/stock"); !p.KeepaliveEffective {
		t.Errorf("the stock configuration reuses connections on 1.30.4: %+v", p)
	}
	if p := proxyAt(t, a, "/off"); p.KeepaliveEffective {
		t.Errorf("keepalive 0 turns the pool off: %+v", p)
	}
	if len(a.Proxies) != 2 {
		t.Errorf("an implicit upstream is not an upstream block and has no pool: %+v", a.Proxies)
	}
	old := mustAnalyze(t, strings.Replace(strings.Replace(conf, " local;", ";", 1), "keepalive 0;", "", 1), "1.22.1")
	if u := old.Upstreams["stock"]; u.Keepalive != nil || u.KeepaliveLocal {
		t.Errorf("1.22.1 keeps no default pool: %+v", u)
	}
	if p := proxyAt(t, old, "/stock"); p.KeepaliveEffective {
		t.Errorf("no pool on 1.22.1: %+v", p)
	}
}

// A literal host resolves like nginx: the upstream block by that name first, whatever
// variables the URI holds; only a variable in the host defers the choice to run time.
func TestProxyPassVariablesInTheURI(t *testing.T) {
	const conf = `http {
    upstream backend { server 127.0.0.1:1; keepalive 4; }
    server {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        location ~ ^/a/(.*)$ { proxy_pass http://backend/$1$is_args$args; }
        location /b { proxy_pass $scheme://BACKEND$request_uri; }
        location /c { proxy_pass http://10.0.0.1:8000/$uri; }
        location /d { proxy_pass http://$host/x; }
        location /e { proxy_pass http://backend:8080/$uri; }
        location /f { proxy_pass $target; }
    }
}`
	a := mustAnalyze(t, conf, "1.22.1")
	if len(a.Proxies) != 2 {
		t.Fatalf("want /a and /b to reach upstream backend, got %+v", a.Proxies)
	}
	for _, loc := range []string{"~ ^/a/(.*)$", "/b"} {
		if p := proxyAt(t, a, loc); p.Upstream != "backend" || !p.KeepaliveEffective || p.Kind != "proxy_pass" {
			t.Errorf("%s: %+v", loc, p)
		}
	}
	runtime := func(line int) bool {
		for _, m := range findingsAt(a, SeverityInfo, line) {
			if strings.Contains(m, "only known at run time") {
				return true
			}
		}
		return false
	}
	for line, want := range map[int]bool{6: false, 7: false, 8: false, 9: true, 11: true} {
		if runtime(line) != want {
			t.Errorf("line %d: run-time finding %v, want %v: %+v", line, !want, want, a.Findings)
		}
	}
	if m := findingsAt(a, SeverityInfo, 10); len(m) != 1 || !strings.Contains(m[0], "with a port") {
		t.Errorf("a port with variables bypasses the upstream block: %+v", a.Findings)
	}
	for _, f := range a.Findings {
		if f.Severity == SeverityError {
			t.Errorf("unexpected error: %+v", f)
		}
	}
}

// fastcgi_pass (with fastcgi_keep_conn on), grpc_pass and proxy_http_version 2 reach pools too.
func TestOtherPassDirectives(t *testing.T) {
	const conf = `http {
    upstream php { server 127.0.0.1:9000; keepalive 8; }
    upstream grpcsrv { server 127.0.0.1:50051; keepalive 8; }
    upstream h2 { server 127.0.0.1:8443; keepalive 8; }
    server {
        fastcgi_keep_conn on;
        location /php { fastcgi_pass php; }
        location /php-off { fastcgi_keep_conn off; fastcgi_pass php; }
        location /grpc { grpc_pass grpc://grpcsrv; }
        location /h2 { proxy_http_version 2; proxy_set_header Connection close; proxy_pass https://h2; }
        location /dyn { fastcgi_pass $php_backend; }
        location /sock { fastcgi_pass unix:/run/php.sock; }
    }
}`
	a := mustAnalyze(t, conf, "1.30.4")
	want := map[string]struct {
		kind, upstream string
		effective      bool
	}{
		"/php":     {"fastcgi_pass", "php", true},
		"/php-off": {"fastcgi_pass", "php", false},
		"/grpc":    {"grpc_pass", "grpcsrv", true},
		"/h2":      {"proxy_pass", "h2", true},
	}
	if len(a.Proxies) != len(want) {
		t.Fatalf("proxies = %+v", a.Proxies)
	}
	for loc, w := range want {
		p := proxyAt(t, a, loc)
		if p.Kind != w.kind || p.Upstream != w.upstream || p.KeepaliveEffective != w.effective {
			t.Errorf("%s: %+v, want %+v", loc, p, w)
		}
	}
	if m := findingsAt(a, SeverityWarning, 8); len(m) != 1 || !strings.Contains(m[0], "fastcgi_keep_conn on") {
		t.Errorf("an explicit pool with fastcgi_keep_conn off is silently unused: %+v", a.Findings)
	}
	if m := findingsAt(a, SeverityWarning, 10); len(m) != 0 {
		t.Errorf("over HTTP/2 the Connection header does not decide reuse: %+v", m)
	}
	if m := findingsAt(a, SeverityInfo, 11); len(m) != 1 || !strings.Contains(m[0], "run time") {
		t.Errorf("fastcgi_pass with a variable: %+v", a.Findings)
	}
	if p := proxyAt(t, a, "/php"); p.ProxyHTTPVersion != "" {
		t.Errorf("proxy_http_version does not apply to fastcgi_pass: %+v", p)
	}
	if m := findingsAt(mustAnalyze(t, conf, "1.29.3"), SeverityError, 10); len(m) != 1 || !strings.Contains(m[0], "1.29.4") {
		t.Errorf("proxy_http_version 2 before 1.29.4: %+v", m)
	}
	if _, err := AnalyzeContent("http { server { location / {\n fastcgi_keep_conn maybe;\n } } }", Options{}); err == nil || !strings.Contains(err.Error(), "fastcgi_keep_conn") {
		t.Errorf("fastcgi_keep_conn maybe: %v", err)
	}
}
