//go:build lab

package render

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// The rendered text must pass the real `nginx -t` when placed in an http{} block. Run with
// `go test -tags lab ./internal/render/`; nginx comes from Debian (scripts/lab-deps.sh).

func nginxBinary(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/nginx"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("nginx")
	if err != nil {
		t.Fatalf("nginx not found: run scripts/lab-deps.sh (apt-get install -y nginx) first")
	}
	return p
}

// nginxTest writes httpBody into a minimal nginx.conf whose pid, logs and temp paths all live in
// a fresh temp dir, and runs `nginx -t` on it.
func nginxTest(t *testing.T, httpBody string) {
	t.Helper()
	bin := nginxBinary(t)
	dir := t.TempDir()
	for _, d := range []string{"logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf(`pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log;
events {
    worker_connections 64;
}
http {
    access_log off;
    client_body_temp_path %[1]s/tmp/client_body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
%[2]s
}
`, dir, indent(httpBody, "    "))
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-t", "-q", "-p", dir, "-e", filepath.Join(dir, "logs", "error.log"), "-c", path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t failed: %v\n%s\nconfig:\n%s", err, out, conf)
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func serverWith(location string) string {
	return "server {\n    listen 127.0.0.1:18080;\n    location / {\n" + indent(location, "        ") + "\n    }\n}\n"
}

func TestNginxAcceptsRenderedConfig(t *testing.T) {
	tests := []struct {
		name string
		rec  func() engine.Recommendation
	}{
		{"gunicorn-like", gunicornLike},
		{"tomcat-like with unix socket and backup", func() engine.Recommendation {
			r := tomcatLike()
			r.Servers = []string{"localhost:8080", "10.0.0.12:8080 backup", "unix:/run/tomcat/http.sock max_conns=100"}
			return r
		}},
		{"keep-alive off with a hostile reason", func() engine.Recommendation {
			return offRec("1.22.1", "line1\n}\ninclude /etc/passwd;\r\nserver { listen 1; }\x00 # $var \"quoted\"")
		}},
		{"sub-second timeout and no keepalive_time", func() engine.Recommendation {
			r := gunicornLike()
			r.KeepaliveTimeout, r.KeepaliveTime = 999*time.Millisecond, 0
			return r
		}},
		{"minutes and hours", func() engine.Recommendation {
			r := tomcatLike()
			r.Servers = []string{"127.0.0.1:8080 weight=5 max_fails=2 fail_timeout=30s", "[::1]:8080 down"}
			r.KeepaliveTimeout, r.KeepaliveTime = 10*time.Minute, 2*time.Hour
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.rec()
			upstream, err := UpstreamConfig(rec)
			if err != nil {
				t.Fatal(err)
			}
			proxy, err := ProxyConfig(rec)
			if err != nil {
				t.Fatal(err)
			}
			nginxTest(t, upstream+serverWith(proxy))

			// Directives only, inside the user's own upstream block.
			rec.UpstreamName, rec.Servers = "", nil
			directives, err := UpstreamConfig(rec)
			if err != nil {
				t.Fatal(err)
			}
			own := "upstream own {\n    server 127.0.0.1:9;\n" + indent(directives, "    ") + "\n}\n"
			nginxTest(t, own+serverWith("proxy_pass http://own;"))
		})
	}
}

// TestNginxAcceptsControllerValues renders the upstream directives that NGINX Gateway Fabric
// and ingress-nginx generate from our values (their templates are cited in gateway_fabric.go
// and ingress_nginx.go) and checks nginx accepts them.
func TestNginxAcceptsControllerValues(t *testing.T) {
	for _, rec := range []engine.Recommendation{gunicornLike(), tomcatLike()} {
		t.Run(rec.UpstreamName, func(t *testing.T) {
			ka, _ := GatewayFabricUpstreamSettings(rec)
			ngf := fmt.Sprintf("upstream ngf {\n    random two least_conn;\n    server 127.0.0.1:9;\n    keepalive %d;\n    keepalive_requests %d;\n    keepalive_time %s;\n    keepalive_timeout %s;\n}\n",
				ka.Connections, ka.Requests, ka.Time, ka.Timeout)
			m, _ := IngressNginx(rec)
			ing := fmt.Sprintf("upstream ingress {\n    server 127.0.0.1:9;\n    keepalive %s;\n    keepalive_time %s;\n    keepalive_timeout %ss;\n    keepalive_requests %s;\n}\n",
				m[IngressUpstreamKeepaliveConnections], m[IngressUpstreamKeepaliveTime], m[IngressUpstreamKeepaliveTimeout], m[IngressUpstreamKeepaliveRequests])
			if _, err := strconv.Atoi(m[IngressUpstreamKeepaliveTimeout]); err != nil {
				t.Fatalf("ingress-nginx timeout %q is not an integer", m[IngressUpstreamKeepaliveTimeout])
			}
			nginxTest(t, ngf+ing)
		})
	}
}
