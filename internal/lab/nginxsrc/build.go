package nginxsrc

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// stampName marks a complete build and records how it was made; a build whose stamp differs
// (other configure arguments, another tarball) is rebuilt.
const stampName = ".nginxkeepalive-build"

// BinaryPath is where version v's binary lives in the cache once built.
func (f *Finder) BinaryPath(v string) string { return filepath.Join(f.Cache, v, "sbin", "nginx") }

// Binary returns the path of an nginx binary for version v, building it into the cache the
// first time. Concurrent callers (other test binaries too) wait for one build under a file lock;
// the build is staged in a temporary directory and renamed into place when complete.
func (f *Finder) Binary(ctx context.Context, v string) (string, error) {
	if err := CheckVersion(v); err != nil {
		return "", err
	}
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return "", fmt.Errorf("nginx cache %s: %w", f.Cache, err)
	}
	unlock, err := lockFile(filepath.Join(f.Cache, v+".lock"))
	if err != nil {
		return "", fmt.Errorf("lock the nginx %s build: %w", v, err)
	}
	defer unlock()
	final := filepath.Join(f.Cache, v)
	if b, err := os.ReadFile(filepath.Join(final, stampName)); err == nil && string(b) == stamp(v) {
		return f.BinaryPath(v), nil
	}
	tarball, err := f.Tarball(ctx, v)
	if err != nil {
		return "", err
	}
	if err := f.build(ctx, v, tarball, final); err != nil {
		return "", fmt.Errorf("build nginx %s from %s: %w", v, tarball, err)
	}
	return f.BinaryPath(v), nil
}

func stamp(v string) string {
	return "nginx " + v + "\nconfigure " + strings.Join(ConfigureArgs, " ") + "\n"
}

// build extracts, configures, makes and installs v with prefix final, staged through DESTDIR.
func (f *Finder) build(ctx context.Context, v, tarball, final string) error {
	work, err := os.MkdirTemp(f.Cache, ".build-"+v+"-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	start := time.Now()
	f.logf("nginxsrc: building nginx %s from %s in %s", v, tarball, work)
	if err := extract(tarball, filepath.Join(work, "src")); err != nil {
		return err
	}
	src := filepath.Join(work, "src", "nginx-"+v)
	if _, err := os.Stat(filepath.Join(src, "configure")); err != nil {
		return fmt.Errorf("%s holds no nginx-%s/configure: not an nginx release tarball", tarball, v)
	}
	dest := filepath.Join(work, "dest")
	jobs := max(1, f.Jobs)
	steps := [][]string{
		append([]string{"./configure", "--prefix=" + final}, ConfigureArgs...),
		{"make", "-j" + strconv.Itoa(jobs)},
		{"make", "install", "DESTDIR=" + dest},
	}
	for _, argv := range steps {
		if err := run(ctx, src, argv); err != nil {
			return err
		}
	}
	staged := filepath.Join(dest, final)
	if _, err := os.Stat(filepath.Join(staged, "sbin", "nginx")); err != nil {
		return fmt.Errorf("make install left no sbin/nginx under %s", staged)
	}
	if err := os.WriteFile(filepath.Join(staged, stampName), []byte(stamp(v)), 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(final); err != nil { // a stale build with another stamp
		return err
	}
	if err := os.Rename(staged, final); err != nil {
		return err
	}
	f.logf("nginxsrc: built nginx %s in %.0f s: %s", v, time.Since(start).Seconds(), f.BinaryPath(v))
	return nil
}

func (f *Finder) logf(format string, args ...any) {
	if f.Log != nil {
		_, _ = fmt.Fprintf(f.Log, format+"\n", args...)
	}
}

// run runs one build step; on failure the error carries the end of its output.
func run(ctx context.Context, dir string, argv []string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = buildEnv(os.Environ())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tail := out.String()
		if len(tail) > 3000 {
			tail = "…" + tail[len(tail)-3000:]
		}
		return fmt.Errorf("%s: %w (needs gcc and make)\n%s", strings.Join(argv, " "), err, tail)
	}
	return nil
}

// buildEnv drops the calling make's flags (make test runs the lab from the project's
// GNUmakefile): its -j, --eval and variable overrides must not reach nginx's own Makefile.
func buildEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// extract unpacks a .tar.gz into dir, refusing entries that would land outside it.
func extract(tarball, dir string) error {
	fh, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer func() { _ = fh.Close() }()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", tarball, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tarball, err)
		}
		target := filepath.Join(dir, h.Name)
		if !strings.HasPrefix(target, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("%s: entry %q leaves the extraction directory", tarball, h.Name)
		}
		if err := writeEntry(tr, h, target); err != nil {
			return fmt.Errorf("%s: %s: %w", tarball, h.Name, err)
		}
	}
}

func writeEntry(r io.Reader, h *tar.Header, target string) error {
	switch h.Typeflag {
	case tar.TypeDir:
		return os.MkdirAll(target, 0o755)
	case tar.TypeReg:
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o755|0o644)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, r)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	default:
		return nil // release tarballs hold only directories and files
	}
}
