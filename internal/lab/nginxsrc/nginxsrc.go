// Package nginxsrc finds nginx release tarballs and builds each version once into a cache, so the
// lab can run nginx versions that no Debian package ships. Tarballs are looked for, in order, in
// the directory named by NGINX_SOURCES, in the cache, and on nginx.org; a source that cannot be
// found is an error naming every place looked in.
package nginxsrc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Versions are the nginx releases the lab builds from source (Debian's 1.22.1 comes as a package).
var Versions = []string{"1.24.0", "1.28.3", "1.30.4", "1.31.4"}

// ConfigureArgs keep the build down to gcc and make: rewrite needs PCRE, gzip needs zlib, and the
// lab uses neither.
var ConfigureArgs = []string{"--without-http_rewrite_module", "--without-http_gzip_module"}

// DefaultDownloadURL is nginx.org's release directory.
const DefaultDownloadURL = "https://nginx.org/download/"

// Finder locates tarballs and builds nginx binaries.
type Finder struct {
	// Sources is the directory named by NGINX_SOURCES ("" = not set).
	Sources string
	// Cache holds downloaded tarballs and one build per version (Cache/VERSION/sbin/nginx).
	Cache string
	// DownloadURL is the base URL of the release tarballs ("" = no download).
	DownloadURL string
	Client      *http.Client
	// Jobs is make's -j (default 2).
	Jobs int
	// Log receives one line per build step (nil = none).
	Log io.Writer
}

// FromEnv is the Finder the lab uses: NGINX_SOURCES, the cache under NKA_CACHE (default
// ~/.cache/nginxkeepalive) and nginx.org.
func FromEnv() (*Finder, error) {
	root := os.Getenv("NKA_CACHE")
	if root == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("nginx cache: set NKA_CACHE or HOME: %w", err)
		}
		root = filepath.Join(home, ".cache", "nginxkeepalive")
	}
	src := os.Getenv("NGINX_SOURCES")
	if src != "" {
		abs, err := filepath.Abs(src)
		if err != nil {
			return nil, fmt.Errorf("NGINX_SOURCES=%q: %w", src, err)
		}
		src = abs
	}
	return &Finder{
		Sources: src, Cache: filepath.Join(root, "nginx"), DownloadURL: DefaultDownloadURL,
		Client: &http.Client{Timeout: 5 * time.Minute}, Jobs: 2, Log: os.Stderr,
	}, nil
}

var versionRE = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$`)

// CheckVersion rejects anything but MAJOR.MINOR.PATCH: the version becomes part of file names.
func CheckVersion(v string) error {
	if !versionRE.MatchString(v) {
		return fmt.Errorf("nginx version %q: want MAJOR.MINOR.PATCH, e.g. %q", v, Versions[len(Versions)-1])
	}
	return nil
}

// TarballName is the release tarball's file name, as on nginx.org.
func TarballName(v string) string { return "nginx-" + v + ".tar.gz" }

// Tarball returns a verified local tarball of version v: from Sources, else from the cache, else
// downloaded into the cache. The error names every place looked in and why each failed.
func (f *Finder) Tarball(ctx context.Context, v string) (string, error) {
	if err := CheckVersion(v); err != nil {
		return "", err
	}
	name := TarballName(v)
	var looked []string
	for _, dir := range []struct{ label, path string }{{"NGINX_SOURCES", f.Sources}, {"the cache", f.Cache}} {
		if dir.path == "" {
			looked = append(looked, dir.label+" (not set)")
			continue
		}
		p := filepath.Join(dir.path, name)
		if _, err := os.Stat(p); err != nil {
			looked = append(looked, fmt.Sprintf("%s %s (no %s)", dir.label, dir.path, name))
			continue
		}
		if err := verify(dir.path, name); err != nil {
			return "", err // a tarball that fails its checksum is never used, nor replaced silently
		}
		return p, nil
	}
	if f.DownloadURL == "" {
		looked = append(looked, "no download (no URL)")
	} else {
		p, err := f.download(ctx, v)
		if err == nil {
			return p, nil
		}
		looked = append(looked, err.Error())
	}
	return "", fmt.Errorf("nginx %s: source tarball %s not found; looked in %s. Fix: set NGINX_SOURCES to a directory holding %s (optionally with a SHA256SUMS file), or put it in %s",
		v, name, strings.Join(looked, "; "), name, f.Cache)
}

// verify checks dir/name against dir/SHA256SUMS when that file exists.
func verify(dir, name string) error {
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", filepath.Join(dir, "SHA256SUMS"), err)
	}
	want, ok := sumFor(string(sums), name)
	if !ok {
		return fmt.Errorf("%s lists no checksum for %s: add its line (sha256sum %s >> SHA256SUMS) or remove the file",
			filepath.Join(dir, "SHA256SUMS"), name, name)
	}
	got, err := fileSHA256(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s: SHA-256 %s does not match %s in %s: the tarball is corrupt or not the release; replace it",
			filepath.Join(dir, name), got, want, filepath.Join(dir, "SHA256SUMS"))
	}
	return nil
}

// sumFor finds name's hash in sha256sum output ("HASH  name" or "HASH *name").
func sumFor(sums, name string) (string, bool) {
	for _, line := range strings.Split(sums, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 2 && strings.TrimPrefix(fields[1], "*") == name {
			return strings.ToLower(fields[0]), true
		}
	}
	return "", false
}

func fileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = fh.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// download fetches the tarball into the cache (through a temporary file, renamed when complete).
func (f *Finder) download(ctx context.Context, v string) (string, error) {
	url := strings.TrimSuffix(f.DownloadURL, "/") + "/" + TarballName(v)
	fail := func(err error) (string, error) { return "", fmt.Errorf("%s (%v)", url, err) }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fail(err)
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("HTTP %s", resp.Status))
	}
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return fail(err)
	}
	tmp, err := os.CreateTemp(f.Cache, ".download-*")
	if err != nil {
		return fail(err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	_, err = io.Copy(tmp, resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	dst := filepath.Join(f.Cache, TarballName(v))
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fail(err)
	}
	return dst, nil
}
