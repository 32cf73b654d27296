package nginxsrc

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeTarball is a release-shaped tarball whose configure records each call in countFile and
// whose Makefile builds a shell script standing in for nginx: the whole pipeline runs in
// milliseconds with sh and make only.
func fakeTarball(t *testing.T, v, countFile string, configureExit int) []byte {
	t.Helper()
	configure := "#!/bin/sh\necho \"$*\" >> '" + countFile + "'\n"
	if configureExit != 0 {
		configure += "echo 'checking for C compiler ... not found' >&2\nexit 1\n"
	}
	configure += "sed \"s|@PREFIX@|${1#--prefix=}|\" Makefile.in > Makefile\n"
	makefile := "all:\n\tmkdir -p objs\n\tprintf '#!/bin/sh\\necho nginx version: nginx/" + v + "\\n' > objs/nginx\n\tchmod +x objs/nginx\n" +
		"install:\n\tmkdir -p $(DESTDIR)@PREFIX@/sbin\n\tcp objs/nginx $(DESTDIR)@PREFIX@/sbin/nginx\n"
	return tarGz(t, map[string]tarFile{
		"nginx-" + v + "/":            {dir: true},
		"nginx-" + v + "/configure":   {body: configure, mode: 0o755},
		"nginx-" + v + "/Makefile.in": {body: makefile, mode: 0o644},
	})
}

type tarFile struct {
	body string
	mode int64
	dir  bool
}

func tarGz(t *testing.T, files map[string]tarFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	names := []string{}
	for n := range files {
		names = append(names, n)
	}
	// directories first
	for _, pass := range []bool{true, false} {
		for _, n := range names {
			f := files[n]
			if f.dir != pass {
				continue
			}
			h := &tar.Header{Name: n, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg}
			if f.dir {
				h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(f.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func lines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"sh", "make", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the build pipeline needs %s on PATH: %v", tool, err)
		}
	}
}

func TestTarballOrder(t *testing.T) {
	const v = "1.30.4"
	body := []byte("tarball bytes")
	var served int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/download/nginx-1.30.4.tar.gz" {
			http.NotFound(w, r)
			return
		}
		served++
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	sources, cache := t.TempDir(), t.TempDir()
	f := &Finder{Sources: sources, Cache: cache, DownloadURL: srv.URL + "/download/", Client: srv.Client()}
	ctx := context.Background()

	// Neither directory has it: downloaded into the cache.
	got, err := f.Tarball(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "nginx-1.30.4.tar.gz"); got != want || served != 1 {
		t.Fatalf("Tarball = %q after %d downloads, want %q after 1", got, served, want)
	}
	if b, _ := os.ReadFile(got); !bytes.Equal(b, body) {
		t.Fatalf("downloaded file holds %q", b)
	}
	// Now the cache has it: no second download.
	if got, err = f.Tarball(ctx, v); err != nil || got != filepath.Join(cache, "nginx-1.30.4.tar.gz") || served != 1 {
		t.Fatalf("Tarball = %q, %v after %d downloads; want the cached file, no download", got, err, served)
	}
	// NGINX_SOURCES comes first.
	write(t, filepath.Join(sources, "nginx-1.30.4.tar.gz"), body)
	if got, err = f.Tarball(ctx, v); err != nil || got != filepath.Join(sources, "nginx-1.30.4.tar.gz") {
		t.Fatalf("Tarball = %q, %v; want the NGINX_SOURCES file", got, err)
	}
}

func TestTarballNotFoundNamesEveryPlace(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	sources, cache := t.TempDir(), t.TempDir()
	for _, tt := range []struct {
		name    string
		sources string
		want    []string
	}{
		{"NGINX_SOURCES set", sources, []string{"NGINX_SOURCES " + sources + " (no nginx-1.31.4.tar.gz)"}},
		{"NGINX_SOURCES unset", "", []string{"NGINX_SOURCES (not set)"}},
	} {
		f := &Finder{Sources: tt.sources, Cache: cache, DownloadURL: srv.URL, Client: srv.Client()}
		_, err := f.Tarball(context.Background(), "1.31.4")
		if err == nil {
			t.Fatalf("%s: no error without any tarball", tt.name)
		}
		want := append(tt.want, "the cache "+cache+" (no nginx-1.31.4.tar.gz)", srv.URL+"/nginx-1.31.4.tar.gz (HTTP 404 Not Found)", "set NGINX_SOURCES")
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error does not name %q:\n%v", tt.name, w, err)
			}
		}
	}
	// An unreachable host is named with its error too.
	f := &Finder{Cache: cache, DownloadURL: "http://127.0.0.1:1/download/"}
	_, err := f.Tarball(context.Background(), "1.31.4")
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1/download/nginx-1.31.4.tar.gz (") || !strings.Contains(err.Error(), "refused") {
		t.Errorf("unreachable download: %v", err)
	}
}

func TestChecksums(t *testing.T) {
	body := []byte("release")
	other := []byte("something else")
	for _, tt := range []struct {
		name, sums string
		want       string // "" = accepted
	}{
		{"match", sum(body) + "  nginx-1.24.0.tar.gz\n" + sum(other) + "  nginx-1.28.3.tar.gz\n", ""},
		{"binary-mode line", sum(body) + " *nginx-1.24.0.tar.gz\n", ""},
		{"upper-case hash", strings.ToUpper(sum(body)) + "  nginx-1.24.0.tar.gz\n", ""},
		{"mismatch", sum(other) + "  nginx-1.24.0.tar.gz\n", "does not match " + sum(other)},
		{"not listed", sum(other) + "  nginx-1.28.3.tar.gz\n", "lists no checksum for nginx-1.24.0.tar.gz"},
	} {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "nginx-1.24.0.tar.gz"), body)
		write(t, filepath.Join(dir, "SHA256SUMS"), []byte(tt.sums))
		f := &Finder{Sources: dir, Cache: t.TempDir()}
		got, err := f.Tarball(context.Background(), "1.24.0")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want == "" && got != filepath.Join(dir, "nginx-1.24.0.tar.gz"):
			t.Errorf("%s: Tarball = %q", tt.name, got)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want it to say %q", tt.name, err, tt.want)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	for _, v := range []string{"1.30.4", "1.9.15", "2.0.0"} {
		if err := CheckVersion(v); err != nil {
			t.Errorf("CheckVersion(%q): %v", v, err)
		}
	}
	for _, v := range []string{"", "1.30", "../1.30.4", "1.30.4/..", "1.30.4 ", "v1.30.4"} {
		if err := CheckVersion(v); err == nil {
			t.Errorf("CheckVersion(%q) accepted it", v)
		}
		f := &Finder{Cache: t.TempDir()}
		if _, err := f.Binary(context.Background(), v); err == nil || !strings.Contains(err.Error(), "MAJOR.MINOR.PATCH") {
			t.Errorf("Binary(%q): %v", v, err)
		}
	}
}

func TestBinaryBuildsOnceAndReuses(t *testing.T) {
	needTools(t)
	const v = "1.31.4"
	count := filepath.Join(t.TempDir(), "configure-calls")
	sources, cache := t.TempDir(), filepath.Join(t.TempDir(), "nginx")
	write(t, filepath.Join(sources, TarballName(v)), fakeTarball(t, v, count, 0))
	f := &Finder{Sources: sources, Cache: cache, Jobs: 2}

	var wg sync.WaitGroup
	paths := make([]string, 4)
	errs := make([]error, 4)
	for i := range paths {
		wg.Go(func() { paths[i], errs[i] = f.Binary(context.Background(), v) })
	}
	wg.Wait()
	for i := range paths {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if paths[i] != filepath.Join(cache, v, "sbin", "nginx") {
			t.Fatalf("Binary = %q", paths[i])
		}
	}
	if n := lines(t, count); n != 1 {
		t.Fatalf("configure ran %d times for 4 concurrent callers, want 1", n)
	}
	args, _ := os.ReadFile(count)
	if want := "--prefix=" + filepath.Join(cache, v) + " " + strings.Join(ConfigureArgs, " "); strings.TrimSpace(string(args)) != want {
		t.Errorf("configure got %q, want %q", args, want)
	}
	out, err := exec.Command(paths[0]).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "nginx/"+v) {
		t.Fatalf("built binary: %v %q", err, out)
	}
	// No staging directories are left behind.
	if m, _ := filepath.Glob(filepath.Join(cache, ".build-*")); len(m) > 0 {
		t.Errorf("staging left behind: %v", m)
	}

	// Reused while the stamp matches, even without the tarball.
	_ = os.Remove(filepath.Join(sources, TarballName(v)))
	if _, err := f.Binary(context.Background(), v); err != nil || lines(t, count) != 1 {
		t.Fatalf("second call: %v, configure calls %d; want the cached build", err, lines(t, count))
	}
	// A build made with other configure arguments is rebuilt.
	write(t, filepath.Join(cache, v, stampName), []byte("nginx "+v+"\nconfigure --with-something-else\n"))
	write(t, filepath.Join(sources, TarballName(v)), fakeTarball(t, v, count, 0))
	if _, err := f.Binary(context.Background(), v); err != nil || lines(t, count) != 2 {
		t.Fatalf("stale stamp: %v, configure calls %d; want one rebuild", err, lines(t, count))
	}
}

func TestBuildFailureLeavesNoBinary(t *testing.T) {
	needTools(t)
	const v = "1.30.4"
	count := filepath.Join(t.TempDir(), "calls")
	sources, cache := t.TempDir(), t.TempDir()
	write(t, filepath.Join(sources, TarballName(v)), fakeTarball(t, v, count, 1))
	f := &Finder{Sources: sources, Cache: cache}
	_, err := f.Binary(context.Background(), v)
	if err == nil || !strings.Contains(err.Error(), "C compiler ... not found") || !strings.Contains(err.Error(), "./configure") {
		t.Fatalf("failed configure: %v; want the step and its output", err)
	}
	if _, err := os.Stat(filepath.Join(cache, v)); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s: %v", filepath.Join(cache, v), err)
	}
}

func TestNotATarball(t *testing.T) {
	sources := t.TempDir()
	write(t, filepath.Join(sources, "nginx-1.30.4.tar.gz"), tarGz(t, map[string]tarFile{"README": {body: "x", mode: 0o644}}))
	write(t, filepath.Join(sources, "nginx-1.28.3.tar.gz"), tarGz(t, map[string]tarFile{"../evil": {body: "x", mode: 0o644}}))
	write(t, filepath.Join(sources, "nginx-1.24.0.tar.gz"), []byte("plain text"))
	f := &Finder{Sources: sources, Cache: t.TempDir()}
	for v, want := range map[string]string{
		"1.30.4": "holds no nginx-1.30.4/configure",
		"1.28.3": "leaves the extraction directory",
		"1.24.0": "gzip",
	} {
		if _, err := f.Binary(context.Background(), v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", v, err, want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("NKA_CACHE", cache)
	t.Setenv("NGINX_SOURCES", "relative/dir")
	f, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if f.Cache != filepath.Join(cache, "nginx") || f.Sources != filepath.Join(wd, "relative", "dir") || f.DownloadURL != DefaultDownloadURL {
		t.Errorf("FromEnv = %+v", f)
	}
	t.Setenv("NKA_CACHE", "")
	t.Setenv("HOME", cache)
	t.Setenv("NGINX_SOURCES", "")
	if f, err = FromEnv(); err != nil || f.Cache != filepath.Join(cache, ".cache", "nginxkeepalive", "nginx") || f.Sources != "" {
		t.Errorf("FromEnv without NKA_CACHE = %+v, %v", f, err)
	}
}

func TestBuildIgnoresCallingMake(t *testing.T) {
	needTools(t)
	// As under `make e2e`: the outer make's flags would define a default goal of their own.
	t.Setenv("MAKEFLAGS", "--eval=zz: ; @false VERSION=9")
	t.Setenv("MAKELEVEL", "1")
	const v = "1.30.4"
	sources := t.TempDir()
	write(t, filepath.Join(sources, TarballName(v)), fakeTarball(t, v, filepath.Join(t.TempDir(), "calls"), 0))
	f := &Finder{Sources: sources, Cache: t.TempDir()}
	if _, err := f.Binary(context.Background(), v); err != nil {
		t.Fatalf("build under a calling make: %v", err)
	}
	env := buildEnv([]string{"PATH=/bin", "MAKEFLAGS=-j8", "MFLAGS=-j8", "MAKELEVEL=2", "CC=gcc"})
	if strings.Join(env, " ") != "PATH=/bin CC=gcc" {
		t.Errorf("buildEnv = %v", env)
	}
}
