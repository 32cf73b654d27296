package nginxconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChunkedBodies: a configuration several times groupBytes, with upstream and server
// blocks interleaved, is parsed a chunk at a time; lines, order and findings must still be
// those of the source.
func TestChunkedBodies(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n")
	line := 2
	n := 0
	var lastUpstream, lastProxy, lastV10 int
	for b.Len() < 4*groupBytes {
		fmt.Fprintf(&b, "    upstream u%d {\n        server 10.0.0.1:80;\n        keepalive 4;\n        keepalive_timeout 5s;\n    }\n", n)
		lastUpstream = line
		line += 5
		fmt.Fprintf(&b, "    server {\n        server_name s%d;\n        location / {\n            proxy_http_version 1.0;\n            proxy_pass http://u%d;\n        }\n    }\n", n, n)
		lastV10, lastProxy = line+3, line+4
		line += 7
		n++
	}
	b.WriteString("}\n")
	a, err := AnalyzeContent(b.String(), Options{NginxVersion: "1.22.1"})
	if err != nil {
		t.Fatal(err)
	}
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

// TestChunkedIncludeOrder: includes are resolved in the order of gonginx's whole-file tree,
// which lists an http block's server blocks last, so the first failing include reported is
// the same as before the file was parsed in chunks.
func TestChunkedIncludeOrder(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nginx.conf")
	conf := "http {\n    server {\n        include missing_a.conf;\n    }\n    include missing_b.conf;\n}\n"
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := AnalyzeFile(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "missing_b.conf") || !strings.Contains(err.Error(), ":5:") {
		t.Errorf("got %v, want the include at line 5 (missing_b.conf) reported", err)
	}
}
