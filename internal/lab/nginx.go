//go:build lab

package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nginxInstance is one real nginx with its own prefix, pid, logs and temp paths.
type nginxInstance struct {
	Addr     string
	ErrorLog string
	proc     *process
}

// debianNginx is Debian's packaged nginx (scripts/lab-deps.sh installs it).
const debianNginx = "nginx"

// labLocation is the location body of the lab's own 1.22.1 races: keep-alive as nginx < 1.29.7 needs it.
const labLocation = "proxy_pass http://backend;\nproxy_http_version 1.1;\nproxy_set_header Connection \"\";"

// startNginx runs Debian's nginx in the foreground in front of upstream (host:port).
func startNginx(t *testing.T, upstream string, u upstreamSettings) *nginxInstance {
	t.Helper()
	return startNginxIn(t, "", upstream, mustFreePort(t), u)
}

// startNginxIn runs Debian's nginx inside network namespace ns ("" = the test's own), listening
// on port. Inside a namespace the caller checks readiness (the test process cannot dial there).
func startNginxIn(t *testing.T, ns, upstream string, port int, u upstreamSettings) *nginxInstance {
	t.Helper()
	return startNginxConf(t, ns, port, nginxConf{Bin: debianNginx, Upstream: u.block(upstream), Location: labLocation, Label: u.String()})
}

// nginxConf is what one lab nginx runs: its binary, an upstream block named backend, and the
// body of location / (the lab adds only X-Upstream-Status, to see nginx's retries).
type nginxConf struct {
	Bin, Upstream, Location string
	Label                   string // for error messages
}

// startNginxConf runs c.Bin in the foreground with c's upstream and location.
func startNginxConf(t *testing.T, ns string, port int, c nginxConf) *nginxInstance {
	t.Helper()
	dir := t.TempDir()
	_ = os.Chmod(dir, 0o755)
	errorLog := filepath.Join(dir, "error.log")
	user := ""
	if os.Geteuid() == 0 {
		user = "user nobody nogroup;\n" // Debian has no group "nobody"
	}
	conf := fmt.Sprintf(`%sworker_processes 1;
pid %[2]s/nginx.pid;
error_log %[3]s error;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path %[2]s/client_body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
%[4]s
	server {
		listen 127.0.0.1:%[5]d;
		location / {
%[6]s
			add_header X-Upstream-Status $upstream_status always;
		}
	}
}
`, user, dir, errorLog, indent(c.Upstream, "\t"), port, indent(c.Location, "\t\t\t"))
	confPath := filepath.Join(dir, "nginx.conf")
	if err := writeFile(confPath, conf); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(c.Bin, "-t", "-q", "-p", dir+"/", "-c", confPath, "-e", errorLog).CombinedOutput(); err != nil {
		t.Fatalf("%s -t rejected the lab config (%s): %v\n%s\n%s", c.Bin, c.Label, err, out, conf)
	}
	argv := []string{c.Bin, "-p", dir + "/", "-c", confPath, "-e", errorLog, "-g", "daemon off;"}
	if ns != "" {
		argv = append([]string{"ip", "netns", "exec", ns}, argv...)
	}
	p := mustStartProcess(t, "nginx", dir, nil, argv...)
	n := &nginxInstance{Addr: addr(port), ErrorLog: errorLog, proc: p}
	if ns != "" {
		return n
	}
	if err := waitTCP(p, n.Addr, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return n
}

func (n *nginxInstance) errorLogCounts() errorLogCounts {
	b, _ := os.ReadFile(n.ErrorLog)
	s := string(b)
	return errorLogCounts{
		PrematurelyClosed: strings.Count(s, "upstream prematurely closed connection"),
		ResetByPeer:       strings.Count(s, "reset by peer"),
		CannotAssign:      strings.Count(s, "Cannot assign requested address"),
	}
}

// indent puts prefix before every non-empty line of s (trimmed of a trailing newline).
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

var nginxVersionRE = regexp.MustCompile(`nginx/([0-9.]+)`)

// nginxVersion is the version of the nginx binary the lab runs.
func nginxVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("nginx", "-v").CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -v: %v\n%s (run scripts/lab-deps.sh)", err, out)
	}
	m := nginxVersionRE.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("nginx -v: no version in %q", out)
	}
	return m[1]
}
