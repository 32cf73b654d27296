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

// upstreamSettings are the keep-alive directives of the lab's upstream block; zero values are
// left out so nginx applies its own defaults (keepalive_timeout 60s, keepalive_requests 1000).
type upstreamSettings struct {
	Label             string // "defaults" or "recommended"
	Disabled          bool   // no upstream keep-alive at all (no keepalive directive)
	Pool              int64
	KeepaliveTimeout  time.Duration
	KeepaliveRequests int64
	KeepaliveTime     time.Duration
	// Block, when set, is a complete "upstream backend { ... }" block rendered elsewhere
	// (the Terraform data source's upstream_config); it replaces the lab's own.
	Block string
}

// nginxDefaults is nginx as most people run it: a pool, and nginx's own keep-alive defaults.
func nginxDefaults() upstreamSettings { return upstreamSettings{Label: "defaults", Pool: 16} }

func (u upstreamSettings) directives() string {
	if u.Disabled {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\t\tkeepalive %d;\n", u.Pool)
	if u.KeepaliveTimeout > 0 {
		fmt.Fprintf(&b, "\t\tkeepalive_timeout %dms;\n", u.KeepaliveTimeout.Milliseconds())
	}
	if u.KeepaliveRequests > 0 {
		fmt.Fprintf(&b, "\t\tkeepalive_requests %d;\n", u.KeepaliveRequests)
	}
	if u.KeepaliveTime > 0 {
		fmt.Fprintf(&b, "\t\tkeepalive_time %dms;\n", u.KeepaliveTime.Milliseconds())
	}
	return b.String()
}

func (u upstreamSettings) block(upstream string) string {
	if u.Block != "" {
		return u.Block
	}
	return fmt.Sprintf("\tupstream backend {\n\t\tserver %s;\n%s\t}", upstream, u.directives())
}

func (u upstreamSettings) String() string {
	if u.Disabled {
		return "no upstream keep-alive"
	}
	s := fmt.Sprintf("keepalive %d", u.Pool)
	if u.KeepaliveTimeout > 0 {
		s += fmt.Sprintf(", keepalive_timeout %dms", u.KeepaliveTimeout.Milliseconds())
	} else {
		s += ", keepalive_timeout (default 60s)"
	}
	if u.KeepaliveRequests > 0 {
		s += fmt.Sprintf(", keepalive_requests %d", u.KeepaliveRequests)
	} else {
		s += ", keepalive_requests (default 1000)"
	}
	if u.KeepaliveTime > 0 {
		s += fmt.Sprintf(", keepalive_time %dms", u.KeepaliveTime.Milliseconds())
	}
	return s
}

// nginxInstance is one real nginx with its own prefix, pid, logs and temp paths.
type nginxInstance struct {
	Addr     string
	ErrorLog string
	proc     *process
}

// startNginx runs Debian's nginx in the foreground in front of upstream (host:port).
func startNginx(t *testing.T, upstream string, u upstreamSettings) *nginxInstance {
	t.Helper()
	return startNginxIn(t, "", upstream, freePort(t), u)
}

// startNginxIn runs nginx inside network namespace ns ("" = the test's own), listening on port.
// Inside a namespace the caller checks readiness (the test process cannot dial there).
func startNginxIn(t *testing.T, ns, upstream string, port int, u upstreamSettings) *nginxInstance {
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
			proxy_pass http://backend;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			add_header X-Upstream-Status $upstream_status always;
		}
	}
}
`, user, dir, errorLog, u.block(upstream), port)
	confPath := filepath.Join(dir, "nginx.conf")
	writeFile(t, confPath, conf)
	if out, err := exec.Command("nginx", "-t", "-q", "-p", dir+"/", "-c", confPath, "-e", errorLog).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejected the lab config (%s): %v\n%s\n%s", u, err, out, conf)
	}
	argv := []string{"nginx", "-p", dir + "/", "-c", confPath, "-e", errorLog, "-g", "daemon off;"}
	if ns != "" {
		argv = append([]string{"ip", "netns", "exec", ns}, argv...)
	}
	p := startProcess(t, "nginx", dir, nil, argv...)
	n := &nginxInstance{Addr: addr(port), ErrorLog: errorLog, proc: p}
	if ns != "" {
		return n
	}
	if err := waitTCP(p, n.Addr, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return n
}

// errorLogCounts counts nginx's upstream failure lines (not 502s: one request can walk through
// several dead cached connections, and a reset after a complete response is logged too).
type errorLogCounts struct {
	PrematurelyClosed int `json:"upstream_prematurely_closed"`
	ResetByPeer       int `json:"reset_by_peer"`
	CannotAssign      int `json:"cannot_assign_address"`
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
