//go:build lab

package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// python is Debian's interpreter: Debian's Python packages are importable only by it.
const python = "/usr/bin/python3"

// backendSpec is one real server, started with its packaged defaults (only address and app set).
type backendSpec struct {
	Name    string // label in the report
	Type    string // catalogue type id
	Package string // Debian package whose version is reported
	// CatalogueVersion turns the Debian upstream version into the catalogue's version (default: as is).
	CatalogueVersion func(deb string) string
	// IdleOverride is set for servers whose idle timeout the lab configures (Go has no default).
	IdleOverride time.Duration
	// RequestsOverride is the request cap to declare when the catalogue has no default (0 = unlimited).
	RequestsOverride *int64
	// Start launches the server on 127.0.0.1:port inside dir.
	Start func(dir string, port int) (*process, error)
	// Ready is how long start-up may take (JVMs are slow on two busy cores).
	Ready time.Duration
	// Lanes is how many backend+nginx pairs race side by side per setting (default 1): more
	// bursts in the same wall time for servers with long idle timeouts.
	Lanes int
	// StockLanes is how many pairs race the stock configuration on each nginx >= 1.29.7
	// (default Lanes; fewer for JVMs, whose start-ups load the two cores).
	StockLanes int
	// NoRace, when set, says why the backend gets conformance probes only.
	NoRace string
	// BestEffortRace, when set, says why a missing 502 with nginx's defaults is reported rather
	// than failed: the server's close after a burst wanders by more than the race window.
	BestEffortRace string
	// ViaTerraform takes the recommendation through the real Terraform CLI and provider.
	ViaTerraform bool
	// Probe, when set, measures the server with the nginxkeepalive_probe data source through the
	// real CLI too, checks it against the lab's measurement and races the recommendation it feeds.
	Probe *probeSpec
}

func (b backendSpec) lanes() int { return max(1, b.Lanes) }

func (b backendSpec) stockLanes() int {
	if b.StockLanes > 0 {
		return b.StockLanes
	}
	return b.lanes()
}

func (b backendSpec) version(t *testing.T) (deb, cat string) {
	if b.Package == "" { // the Go backend is built by this toolchain
		deb = strings.TrimPrefix(runtime.Version(), "go")
	} else {
		deb = debVersion(t, b.Package)
	}
	cat = deb
	if b.CatalogueVersion != nil {
		cat = b.CatalogueVersion(deb)
	}
	return deb, cat
}

// writeFile writes content to path, creating its directory.
func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

const wsgiApp = `def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
    return [b"ok\n"]
`

const asgiApp = `async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"3")]})
    await send({"type": "http.response.body", "body": b"ok\n"})
`

// backends is every server the lab runs.
func backends() []backendSpec {
	return []backendSpec{
		// The probe runs its cap probe after the idle burst: beside it, the traffic restarted
		// gthread's 1 s poll and the idle close landed up to 1 s late (2.53 s vs the lab's 2.00 s).
		{Name: "gunicorn", Type: "gunicorn", Package: "gunicorn", Ready: 20 * time.Second, ViaTerraform: true, Lanes: 3,
			Probe: &probeSpec{MaxWait: "30s", RequestCap: 150, Sweep: time.Second}, // gthread's loop polls once a second
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "app.py"), wsgiApp); err != nil {
					return nil, err
				}
				return startProcess("gunicorn", dir, nil, python, "/usr/bin/gunicorn",
					"--worker-class", "gthread", "--bind", addr(port), "app:app")
			}},
		{Name: "uvicorn", Type: "uvicorn", Package: "python3-uvicorn", Ready: 20 * time.Second,
			Probe: &probeSpec{MaxWait: "30s", RequestCap: 150},
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "asgi.py"), asgiApp); err != nil {
					return nil, err
				}
				return startProcess("uvicorn", dir, nil, python, "-m", "uvicorn",
					"--host", "127.0.0.1", "--port", strconv.Itoa(port), "asgi:app")
			}},
		{Name: "hypercorn", Type: "hypercorn", Package: "python3-hypercorn", Ready: 20 * time.Second,
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "asgi.py"), asgiApp); err != nil {
					return nil, err
				}
				return startProcess("hypercorn", dir, nil, python, "-m", "hypercorn",
					"--bind", addr(port), "asgi:app")
			}},
		{Name: "waitress", Type: "waitress", Package: "python3-waitress", Ready: 20 * time.Second,
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "app.py"), wsgiApp); err != nil {
					return nil, err
				}
				return startProcess("waitress", dir, nil, python, "-m", "waitress",
					"--listen="+addr(port), "app:app")
			}},
		{Name: "aiohttp", Type: "aiohttp", Package: "python3-aiohttp", Ready: 20 * time.Second,
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "server.py"), `import sys
from aiohttp import web

async def handle(request):
    await request.read()
    return web.Response(text="ok\n")

app = web.Application()
app.router.add_route("*", "/{tail:.*}", handle)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
`); err != nil {
					return nil, err
				}
				return startProcess("aiohttp", dir, nil, python, "server.py", strconv.Itoa(port))
			}},
		{Name: "uwsgi", Type: "uwsgi", Package: "uwsgi-core", Ready: 20 * time.Second,
			NoRace: "conformance only: with its packaged defaults (one worker, one thread) uWSGI serves one keep-alive connection at a time, so 16 parallel requests queue behind idle connections",
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "app.py"), wsgiApp); err != nil {
					return nil, err
				}
				return startProcess("uwsgi", dir, nil, "/usr/bin/uwsgi", "--plugin", "python3",
					"--http11-socket", addr(port), "--wsgi-file", "app.py", "--callable", "app")
			}},
		// Three lanes for the race with nginx 1.22.1's defaults: in one CI run Node's closes after a
		// burst spread over 55 ms (5.911–5.966 s) and one lane drew no 502 in 640 POSTs, while the
		// stock 1.30.4/1.31.4 lanes of the same run drew 29 and 14.
		{Name: "node", Type: "node", Package: "nodejs", CatalogueVersion: nodeMajor, Ready: 20 * time.Second, Lanes: 3, StockLanes: 1,
			Probe: &probeSpec{MaxWait: "30s", RequestCap: 150},
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "server.js"), `const http = require("http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, {"Content-Type": "text/plain", "Content-Length": 3}); res.end("ok\n"); });
});
server.listen(Number(process.argv[2]), "127.0.0.1");
`); err != nil {
					return nil, err
				}
				return startProcess("node", dir, nil, "/usr/bin/node", "server.js", strconv.Itoa(port))
			}},
		// One lane drew no 502 with nginx 1.22.1's defaults in 640 POSTs in one CI run (2–39 in
		// others): three lanes of this light server sample the sweep densely; the stock races on
		// nginx >= 1.29.7 drew 15–42 per lane, so one lane serves them.
		{Name: "go-net-http", Type: "go-net-http", Package: "", IdleOverride: 3 * time.Second, Ready: 5 * time.Second,
			Start: startGoServer, Lanes: 3, StockLanes: 1},
		// Apache's closes after a burst moved by ~10 ms between runs here (4.996–5.003 s alone,
		// 5.004–5.015 s under the whole lab's load): three lanes sample the sweep densely.
		{Name: "apache2", Type: "apache-httpd", Package: "apache2", Ready: 20 * time.Second, Start: startApache, Lanes: 3,
			Probe: &probeSpec{MaxWait: "30s", RequestCap: 150}}, // MaxKeepAliveRequests 100: Connection: close on the 101st
		{Name: "tomcat10", Type: "tomcat", Package: "tomcat10", Ready: 120 * time.Second, Start: startTomcat, Lanes: 2, StockLanes: 1,
			Probe: &probeSpec{MaxWait: "40s", RequestCap: 150, Sweep: time.Second, // its poller checks idle connections about once a second
				NoRace: "agreement only: a race at Tomcat's 20 s idle close takes minutes and hits its window only in some runs (see the note above); the probe fed the recommendation, which was not raced"},
			BestEffortRace: "Tomcat's poller checks idle connections about once a second, so the close lands 20.0–20.9 s after a burst and the 1–2 ms race window is hit only in some runs within the lab's time budget"},
		{Name: "jetty9", Type: "jetty", Package: "jetty9", Ready: 120 * time.Second, Start: startJetty, Lanes: 3, StockLanes: 2},
		// Puma's server thread waits 0.2 s for a next request before the reactor's 20 s
		// timer starts, and not for every connection of a burst: closes spread over ~0.2 s.
		{Name: "puma", Type: "puma", Package: "puma", Ready: 30 * time.Second, Lanes: 3,
			BestEffortRace: "Puma's closes spread over ~0.8 s after a burst (0.2 s fast-track waits per thread before the reactor's 20 s timer), so few pauses land in a race window",
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "config.ru"),
					"run ->(env) { env['rack.input'].read; [200, {'content-type' => 'text/plain'}, [\"ok\\n\"]] }\n"); err != nil {
					return nil, err
				}
				return startProcess("puma", dir, nil, "/usr/bin/puma", "--bind", "tcp://"+addr(port), "config.ru")
			}},
		{Name: "caddy", Type: "caddy", Package: "caddy", Ready: 20 * time.Second,
			Start: func(dir string, port int) (*process, error) {
				if err := writeFile(filepath.Join(dir, "Caddyfile"), fmt.Sprintf("{\n\tadmin off\n}\nhttp://%s {\n\trespond \"ok\" 200\n}\n", addr(port))); err != nil {
					return nil, err
				}
				return startProcess("caddy", dir, []string{"HOME=" + dir, "XDG_DATA_HOME=" + dir, "XDG_CONFIG_HOME=" + dir},
					"/usr/bin/caddy", "run", "--config", filepath.Join(dir, "Caddyfile"), "--adapter", "caddyfile")
			}},
		// haproxy has no single default (http-keep-alive, else http-request, else client): the
		// lab's config carries Debian's defaults section, so its effective value is timeout client 50 s.
		// At 50 s per pause a lane fits only 5 bursts in the budget, so four lanes race.
		{Name: "haproxy", Type: "haproxy", Package: "haproxy", Ready: 20 * time.Second, Start: startHAProxy,
			IdleOverride: 50 * time.Second, RequestsOverride: new(int64), Lanes: 4},
	}
}

// startGoServer runs Go's net/http (labtool serve) with an explicit IdleTimeout of 3 s: Go's
// own default (0) falls back to ReadTimeout, then to no limit.
func startGoServer(dir string, port int) (*process, error) {
	tool, err := labtool()
	if err != nil {
		return nil, err
	}
	return startProcess("go-net-http", dir, nil, tool, "serve", "-addr", addr(port), "-idle", "3s")
}

var (
	labtoolOnce sync.Once
	labtoolPath string
	labtoolErr  error
)

// labtool builds tools/labtool once per test binary and returns its path.
func labtool() (string, error) {
	if err := buildLabtool(); err != nil {
		return "", err
	}
	return labtoolPath, nil
}

func buildLabtool() error {
	labtoolOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nka-labtool-")
		if err != nil {
			labtoolErr = err
			return
		}
		labtoolPath = filepath.Join(dir, "labtool")
		build := exec.Command(goBinary(), "build", "-o", labtoolPath, "./labtool")
		build.Dir = filepath.Join(repoRoot(), "tools")
		if out, err := build.CombinedOutput(); err != nil {
			labtoolErr = fmt.Errorf("go build ./labtool in tools/: %w\n%s", err, out)
		}
	})
	return labtoolErr
}

func goBinary() string {
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// startApache runs Debian's apache2 with its packaged module set and keep-alive settings
// (mods-enabled, KeepAlive On, MaxKeepAliveRequests 100, KeepAliveTimeout 5 — the compiled
// defaults too), with its own config, pid, logs and document root in dir.
func startApache(dir string, port int) (*process, error) {
	www := filepath.Join(dir, "www")
	if err := writeFile(filepath.Join(www, "index.html"), "ok\n"); err != nil {
		return nil, err
	}
	for _, d := range []string{filepath.Dir(dir), dir, www} {
		_ = os.Chmod(d, 0o755) // workers run as www-data
	}
	conf := filepath.Join(dir, "apache2.conf")
	if err := writeFile(conf, fmt.Sprintf(`ServerRoot "/etc/apache2"
ServerName lab
DefaultRuntimeDir %[1]s
PidFile %[1]s/apache2.pid
Mutex file:%[1]s default
User www-data
Group www-data
ErrorLog %[1]s/apache-error.log
LogLevel warn
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
Listen %[2]s
DocumentRoot %[3]s
<Directory %[3]s>
	Require all granted
</Directory>
`, dir, addr(port), www)); err != nil {
		return nil, err
	}
	return startProcess("apache2", dir, nil, "/usr/sbin/apache2", "-f", conf, "-DFOREGROUND")
}

// startTomcat runs tomcat10 with a CATALINA_BASE in dir holding Debian's /etc/tomcat10 files,
// only the HTTP port changed (and the shutdown port disabled).
func startTomcat(dir string, port int) (*process, error) {
	base := filepath.Join(dir, "base")
	if err := os.CopyFS(filepath.Join(base, "conf"), os.DirFS("/etc/tomcat10")); err != nil {
		return nil, fmt.Errorf("copy /etc/tomcat10: %w", err)
	}
	serverXML := filepath.Join(base, "conf", "server.xml")
	b, err := os.ReadFile(serverXML)
	if err != nil {
		return nil, err
	}
	s := strings.Replace(string(b), `port="8005"`, `port="-1"`, 1)
	if !strings.Contains(s, `<Connector port="8080" protocol="HTTP/1.1"`) {
		return nil, errors.New("tomcat10 server.xml: stock HTTP connector not found; the lab expects Debian's file")
	}
	s = strings.Replace(s, `<Connector port="8080" protocol="HTTP/1.1"`, fmt.Sprintf(`<Connector address="127.0.0.1" port="%d" protocol="HTTP/1.1"`, port), 1)
	if err := writeFile(serverXML, s); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(base, "webapps", "ROOT", "index.html"), "ok\n"); err != nil {
		return nil, err
	}
	for _, d := range []string{"logs", "temp", "work", "lib"} {
		_ = os.MkdirAll(filepath.Join(base, d), 0o755)
	}
	return startProcess("tomcat10", dir, []string{"CATALINA_HOME=/usr/share/tomcat10", "CATALINA_BASE=" + base,
		"CATALINA_TMPDIR=" + filepath.Join(base, "temp"), "JAVA_OPTS=-Xms64m -Xmx256m -XX:TieredStopAtLevel=1"},
		"/usr/share/tomcat10/bin/catalina.sh", "run")
}

// startJetty runs jetty9 with a jetty.base in dir carrying Debian's /etc/jetty9/start.ini
// (idleTimeout 30000, the module default too); only host and port are set on the command line.
func startJetty(dir string, port int) (*process, error) {
	base := filepath.Join(dir, "jetty-base")
	ini, err := os.ReadFile("/etc/jetty9/start.ini")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(base, "start.ini"), string(ini)); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(base, "webapps", "root", "index.html"), "ok\n"); err != nil {
		return nil, err
	}
	for _, d := range []string{"lib/ext", "resources", "logs"} {
		_ = os.MkdirAll(filepath.Join(base, d), 0o755)
	}
	return startProcess("jetty9", dir, nil, "java", "-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
		"-Djava.io.tmpdir="+dir, "-jar", "/usr/share/jetty9/start.jar",
		"jetty.home=/usr/share/jetty9", "jetty.base="+base,
		"jetty.http.host=127.0.0.1", "jetty.http.port="+strconv.Itoa(port))
}

// startHAProxy runs haproxy as an origin (http-request return) with the timeouts of Debian's
// /etc/haproxy/haproxy.cfg defaults section (connect 5 s, client 50 s, server 50 s).
func startHAProxy(dir string, port int) (*process, error) {
	cfg := filepath.Join(dir, "haproxy.cfg")
	if err := writeFile(cfg, fmt.Sprintf(`global
	log stderr format raw local0 err
defaults
	mode http
	timeout connect 5000
	timeout client  50000
	timeout server  50000
frontend lab
	bind %s
	http-request return status 200 content-type text/plain string "ok"
`, addr(port))); err != nil {
		return nil, err
	}
	return startProcess("haproxy", dir, nil, "/usr/sbin/haproxy", "-db", "-f", cfg)
}

var errNotReady = errors.New("not ready")

// postOnce checks the app answers POST with 200 (the load is POST).
func postOnce(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/", strings.NewReader("x=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: POST / answered %s", errNotReady, resp.Status)
	}
	return nil
}
