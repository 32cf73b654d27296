//go:build lab

package render

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/lab/nginxsrc"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

// The rendered text must pass the real `nginx -t` of every nginx version the lab knows, when
// placed in an http{} block: Debian's package (scripts/lab-deps.sh) and each version nginxsrc
// builds from source (NGINX_SOURCES, the cache, nginx.org). Run with `go test -tags lab
// ./internal/render/`.

// nginxes are the binaries by version, Debian's first; TestMain fills them in.
var nginxes []nginxBin

type nginxBin struct{ Version, Path string }

// TestMain finds Debian's nginx and builds every source version before any test, and ends the
// run with the reason when one is missing.
func TestMain(m *testing.M) {
	if err := findNginxes(); err != nil {
		fmt.Fprintln(os.Stderr, "render lab:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

var debianVersionRE = regexp.MustCompile(`nginx/([0-9]+\.[0-9]+\.[0-9]+)`)

func findNginxes() error {
	deb, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			return fmt.Errorf("Debian's nginx not found (%v): run scripts/lab-deps.sh (apt-get install -y nginx) first", err)
		}
		deb = "/usr/sbin/nginx"
	}
	out, err := exec.Command(deb, "-v").CombinedOutput()
	m := debianVersionRE.FindStringSubmatch(string(out))
	if err != nil || m == nil {
		return fmt.Errorf("%s -v: %v %q", deb, err, out)
	}
	nginxes = append(nginxes, nginxBin{m[1], deb})
	f, err := nginxsrc.FromEnv()
	if err != nil {
		return err
	}
	for _, v := range nginxsrc.Versions {
		bin, err := f.Binary(context.Background(), v)
		if err != nil {
			return err
		}
		nginxes = append(nginxes, nginxBin{v, bin})
	}
	return nil
}

// forVersion is rec as the engine makes it for version v: rendered for v, with the proxy
// headers v needs.
func forVersion(t *testing.T, rec engine.Recommendation, v string) engine.Recommendation {
	t.Helper()
	pv, err := nginxver.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	rec.NginxVersion = v
	rec.NeedsProxyHeaders = nginxver.DefaultsFor(pv).NeedsProxyHeaders
	return rec
}

// nginxTest writes httpBody into a minimal nginx.conf whose pid, logs and temp paths all live in
// a fresh temp dir, and runs `nginx -t` on it.
func nginxTest(t *testing.T, bin, httpBody string) {
	t.Helper()
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
		t.Fatalf("%s -t failed: %v\n%s\nconfig:\n%s", bin, err, out, conf)
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
	// The engine's own recommendation for gunicorn, for each version.
	tests = append(tests, struct {
		name string
		rec  func() engine.Recommendation
	}{"engine gunicorn", nil})
	for _, n := range nginxes {
		for _, tt := range tests {
			t.Run(n.Version+"/"+tt.name, func(t *testing.T) {
				var rec engine.Recommendation
				if tt.rec == nil {
					var err error
					rec, err = engine.Recommend(engine.Input{Backends: []engine.Backend{{Type: "gunicorn", Version: "20.1.0"}},
						NginxVersion: n.Version, UpstreamName: "app", Servers: []string{"127.0.0.1:8000"}})
					if err != nil {
						t.Fatal(err)
					}
				} else {
					rec = forVersion(t, tt.rec(), n.Version)
				}
				upstream, err := UpstreamConfig(rec)
				if err != nil {
					t.Fatal(err)
				}
				proxy, err := ProxyConfig(rec)
				if err != nil {
					t.Fatal(err)
				}
				nginxTest(t, n.Path, upstream+serverWith(proxy))

				// Directives only, inside the user's own upstream block.
				rec.UpstreamName, rec.Servers = "", nil
				directives, err := UpstreamConfig(rec)
				if err != nil {
					t.Fatal(err)
				}
				own := "upstream own {\n    server 127.0.0.1:9;\n" + indent(directives, "    ") + "\n}\n"
				nginxTest(t, n.Path, own+serverWith("proxy_pass http://own;"))
			})
		}
	}
}

// TestNginxAcceptsControllerValues renders the upstream directives that NGINX Gateway Fabric
// and ingress-nginx generate from our values (their templates are cited in gateway_fabric.go
// and ingress_nginx.go) and checks nginx accepts them.
func TestNginxAcceptsControllerValues(t *testing.T) {
	for _, n := range nginxes {
		for _, fixture := range []engine.Recommendation{gunicornLike(), tomcatLike()} {
			rec := forVersion(t, fixture, n.Version)
			t.Run(n.Version+"/"+rec.UpstreamName, func(t *testing.T) {
				ka, _ := GatewayFabricUpstreamSettings(rec)
				ngf := fmt.Sprintf("upstream ngf {\n    random two least_conn;\n    server 127.0.0.1:9;\n    keepalive %d;\n    keepalive_requests %d;\n    keepalive_time %s;\n    keepalive_timeout %s;\n}\n",
					ka.Connections, ka.Requests, ka.Time, ka.Timeout)
				m, _ := IngressNginx(rec)
				ing := fmt.Sprintf("upstream ingress {\n    server 127.0.0.1:9;\n    keepalive %s;\n    keepalive_time %s;\n    keepalive_timeout %ss;\n    keepalive_requests %s;\n}\n",
					m[IngressUpstreamKeepaliveConnections], m[IngressUpstreamKeepaliveTime], m[IngressUpstreamKeepaliveTimeout], m[IngressUpstreamKeepaliveRequests])
				if _, err := strconv.Atoi(m[IngressUpstreamKeepaliveTimeout]); err != nil {
					t.Fatalf("ingress-nginx timeout %q is not an integer", m[IngressUpstreamKeepaliveTimeout])
				}
				nginxTest(t, n.Path, ngf+ing)
			})
		}
	}
}
