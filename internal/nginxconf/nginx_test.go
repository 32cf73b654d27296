package nginxconf

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// nginxBinary returns the real nginx, installing Debian's package when it is missing
// (the suite needs it; it is not skipped).
func nginxBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if p := "/usr/sbin/nginx"; fileExists(p) {
		return p
	}
	cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "nginx")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nginx is needed to cross-check the guard and could not be installed: %v\n%s", err, out)
	}
	p, err := exec.LookPath("nginx")
	if err != nil {
		p = "/usr/sbin/nginx"
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

var nginxErrorAt = regexp.MustCompile(`\[emerg\] .* in (.+):(\d+)\n`)

// nginxTest runs nginx -t on conf with private prefix, pid and log paths; it returns the
// file:line of nginx's error, or "" when the test passed.
func nginxTest(t *testing.T, bin, conf string) (string, int) {
	t.Helper()
	prefix := t.TempDir()
	if err := os.MkdirAll(filepath.Join(prefix, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(conf)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-t", "-p", prefix, "-c", abs,
		"-g", "pid "+filepath.Join(prefix, "nginx.pid")+"; error_log "+filepath.Join(prefix, "error.log")+";")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return "", 0
	}
	m := nginxErrorAt.FindSubmatch(out)
	if m == nil {
		t.Fatalf("nginx -t failed without a file:line: %v\n%s", err, out)
	}
	line, _ := strconv.Atoi(string(m[2]))
	return string(m[1]), line
}

// The guard follows ngx_conf_read_token: where nginx 1.22 reports a syntax error, we
// report the same file and line; where nginx accepts a configuration, so do we.
func TestAgreesWithRealNginx(t *testing.T) {
	bin := nginxBinary(t)
	corpus := filepath.Join("testdata", "corpus")
	// (braces/*.conf fail earlier in nginx, on "user nginx;" at line 2; stray.conf and
	// unclosed.conf below cover the same faults.)
	broken := []string{
		filepath.Join(corpus, "missing-semicolon-above", "nginx.conf"),
		filepath.Join(corpus, "missing-semicolon-below", "nginx.conf"),
		filepath.Join(corpus, "premature-eof", "nginx.conf"),
		filepath.Join(corpus, "quote-behavior", "nginx.conf"),
		filepath.Join(corpus, "includes-regular", "nginx.conf"),
	}
	dir := writeTree(t, map[string]string{
		"stray.conf":      "events { }\nhttp { }\n}\n",
		"unclosed.conf":   "events { }\nhttp {\n server {\n }\n",
		"semi.conf":       "events { }\nhttp {\n upstream u {\n  server 127.0.0.1:1;\n  keepalive 8\n }\n}\n",
		"quote.conf":      "events { }\nhttp {\n add_header X \"a\"b;\n}\n",
		"empty-stmt.conf": "events { }\nhttp {\n ;\n}\n",
		"missing.conf":    "events { }\nhttp {\n include nothere.conf;\n}\n",
	})
	for _, name := range []string{"stray.conf", "unclosed.conf", "semi.conf", "quote.conf", "empty-stmt.conf", "missing.conf"} {
		broken = append(broken, filepath.Join(dir, name))
	}
	for _, conf := range broken {
		t.Run(conf, func(t *testing.T) {
			nginxFile, nginxLine := nginxTest(t, bin, conf)
			if nginxFile == "" {
				t.Fatal("nginx accepted the configuration; the test case is wrong")
			}
			// Strict includes: nginx refuses an include it cannot open.
			_, err := AnalyzeFile(conf, Options{NginxVersion: "1.22.1", StrictIncludes: true})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("we accepted what nginx rejects at %s:%d (err %v)", nginxFile, nginxLine, err)
			}
			ours, _ := filepath.Abs(e.File)
			if ours != nginxFile || e.Line != nginxLine {
				t.Errorf("nginx: %s:%d, we: %s:%d (%s)", nginxFile, nginxLine, ours, e.Line, e.Msg)
			}
		})
	}
	valid := []string{
		filepath.Join("testdata", "site", "nginx.conf"),
		writeGenerated(t, 30, false),
	}
	for _, conf := range valid {
		t.Run(conf, func(t *testing.T) {
			if f, line := nginxTest(t, bin, conf); f != "" {
				t.Fatalf("nginx -t rejects the test configuration at %s:%d", f, line)
			}
			if _, err := AnalyzeFile(conf, Options{NginxVersion: "1.22.1"}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
