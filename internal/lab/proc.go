//go:build lab

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// process is a started server; its whole process group is killed at cleanup.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// startProcess starts argv in dir with its own process group, output to dir/<name>.log. It
// calls no testing.T method, so server start-ups can run in goroutines; the caller stops the
// process (mustStartProcess registers that as a cleanup).
func startProcess(name, dir string, env []string, argv ...string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	out, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s: create log: %w", name, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = out
	cmd.Stderr = out
	// Pdeathsig: a killed test binary (timeout, ^C) must not leave servers behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = out.Close()
		return nil, fmt.Errorf("%s: start %q: %w", name, strings.Join(argv, " "), err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = out.Close()
		close(p.done)
	}()
	return p, nil
}

// mustStartProcess is startProcess for the test goroutine: it fails the test on error and stops
// the process at cleanup.
func mustStartProcess(t *testing.T, name, dir string, env []string, argv ...string) *process {
	t.Helper()
	p, err := startProcess(name, dir, env, argv...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.stop)
	return p
}

// stop asks the process group to terminate, then kills it if it lingers.
func (p *process) stop() {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children that ignored SIGTERM after the leader exited.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail returns the end of the process's log for failure messages.
func (p *process) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	a, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("free port: unexpected address %v", l.Addr())
	}
	return a.Port, nil
}

// mustFreePort is freePort for the test goroutine.
func mustFreePort(t *testing.T) int {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// waitHTTP polls until addr answers an HTTP GET with any status, the process dies, or timeout.
func waitHTTP(p *process, addr string, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		if p != nil && p.exited() {
			return fmt.Errorf("%s exited before it answered on %s; log:\n%s", p.name, addr, p.tail())
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return nil
		}
		if ctx.Err() != nil {
			msg := ""
			if p != nil {
				msg = "; log:\n" + p.tail()
			}
			return fmt.Errorf("no HTTP answer on %s within %s: %w%s", addr, timeout, errors.Join(err, ctx.Err()), msg)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// debVersion is the upstream part of an installed Debian package's version ("20.1.0").
func debVersion(t *testing.T, pkg string) string {
	t.Helper()
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil {
		t.Fatalf("dpkg-query %s: %v (run scripts/lab-deps.sh)", pkg, err)
	}
	return upstreamVersion(string(out))
}

// waitTCP polls until addr accepts a connection, the process dies, or timeout.
func waitTCP(p *process, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if p.exited() {
			return fmt.Errorf("%s exited before it listened on %s; log:\n%s", p.name, addr, p.tail())
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: nothing listens on %s after %s: %w", p.name, addr, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
