package nginxconf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

func TestIngressStyleGenerated(t *testing.T) {
	for _, lua := range []bool{false, true} {
		conf := nginxconftest.IngressStyleConfig(250, lua)
		a, err := AnalyzeContent(conf, Options{NginxVersion: "1.22.1"})
		if err != nil {
			t.Fatalf("lua=%v: %v", lua, err)
		}
		if len(a.Upstreams) != 250 || len(a.Proxies) != 250 {
			t.Fatalf("lua=%v: %d upstreams, %d proxies; want 250 each", lua, len(a.Upstreams), len(a.Proxies))
		}
		for _, p := range a.Proxies {
			if !p.KeepaliveEffective || !p.ClearsConnectionHeader || p.ProxyHTTPVersion != "1.1" {
				t.Fatalf("lua=%v: %+v", lua, p)
			}
		}
		u := a.Upstreams["default-svc-137-80"]
		if *u.Keepalive != 320 || u.KeepaliveRequests != 10000 || u.KeepaliveTimeout.Seconds() != 60 || len(u.Explicit) != 4 {
			t.Errorf("lua=%v: %+v", lua, u)
		}
		if p := a.Proxies[137]; p.ServerName != "host-13.example.com" || p.Location != "/svc-137/" || p.Upstream != "default-svc-137-80" {
			t.Errorf("lua=%v: %+v", lua, p)
		}
		// The upstreams set their own keepalive_timeout, so the client-side one is not flagged.
		if len(a.Findings) != 0 {
			t.Errorf("lua=%v: unexpected findings %+v", lua, a.Findings[:1])
		}
	}
}

// writeGenerated puts a generated configuration into a file for tests that need a path.
func writeGenerated(t *testing.T, upstreams int, lua bool) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte(nginxconftest.IngressStyleConfig(upstreams, lua)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
