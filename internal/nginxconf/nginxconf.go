// Package nginxconf loads an existing nginx configuration safely and reports, per upstream,
// which keep-alive settings nginx applies and whether the locations that proxy to it can
// actually reuse connections.
//
// gonginx, the parser, builds the tree the analysis walks, from each file's text as given.
// It is lenient where nginx is strict: it drops the text after a stray "}", merges statements
// when a ";" is missing, stops at NUL, and cuts some words at other places than nginx (a "}"
// or a backslash-escaped space inside a word, backquotes, braces in Lua strings). So a guard
// reads each file first with nginx's own tokenizer (ngx_conf_read_token) and rejects, with
// file:line, what nginx rejects and what gonginx would read differently; it never changes
// the text. gonginx dates a statement by its end, so the guard also records where each
// statement starts (file.children pairs those records with gonginx's tree).
//
// Each file is parsed on its own and includes are resolved here, not by gonginx, because
// nginx treats every included file as a complete unit (braces must balance within it), and
// because a file included many times (proxy_params) is then parsed once. Include paths are
// relative to the main file's directory (nginx's conf prefix), must stay inside the include
// root after resolving symbolic links, and must name regular files; sizes, file count,
// include depth and block nesting are capped, cycles are reported with their chain.
package nginxconf

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

// Defaults for the limits in Options (a zero value selects the default).
const (
	DefaultMaxFileBytes    int64 = 32 << 20 // a 10,000-upstream generated config is about 5 MB
	DefaultMaxTotalBytes   int64 = 64 << 20
	DefaultMaxFiles              = 1024
	DefaultMaxIncludeDepth       = 16
	DefaultMaxNesting            = 32
)

// Options control loading and the nginx version whose defaults are applied.
type Options struct {
	// IncludeRoot is the directory includes may not leave. AnalyzeFile defaults it to the
	// file's directory; with AnalyzeContent an include without IncludeRoot is an error.
	IncludeRoot string
	// NginxVersion selects version-dependent defaults; "" means nginxver.DefaultVersion.
	NginxVersion string
	// MaxFileBytes caps each file; MaxTotalBytes caps the bytes nginx would read, counting
	// a file once per include of it.
	MaxFileBytes, MaxTotalBytes int64
	// MaxFiles caps distinct files, MaxIncludeDepth the include chain, MaxNesting block depth.
	MaxFiles, MaxIncludeDepth, MaxNesting int
	// StrictIncludes makes an include that cannot be read here (outside IncludeRoot, missing,
	// or in content without IncludeRoot) an error; by default it is skipped unread with a
	// warning finding at the include.
	StrictIncludes bool
}

func (o Options) withDefaults() Options {
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	if o.MaxIncludeDepth <= 0 {
		o.MaxIncludeDepth = DefaultMaxIncludeDepth
	}
	if o.MaxNesting <= 0 {
		o.MaxNesting = DefaultMaxNesting
	}
	return o
}

// Analysis is what the configuration does about upstream keep-alive.
type Analysis struct {
	// NginxVersion is the version whose defaults were applied.
	NginxVersion string
	// Upstreams are the http upstream{} blocks by name.
	Upstreams map[string]Upstream
	// Proxies are the proxy_pass, fastcgi_pass and grpc_pass directives that reach an
	// upstream{} block, in file order.
	Proxies []Proxy
	// Findings are structural problems, with file:line.
	Findings []Finding
	// ClientKeepaliveTimeout is the http-level keepalive_timeout for client connections
	// (explicit, else nginx's default), which must outlive a front load balancer's.
	ClientKeepaliveTimeout time.Duration
	// ClientKeepaliveTimeoutExplicit tells whether the http block sets it.
	ClientKeepaliveTimeoutExplicit bool
}

// Upstream holds the effective keep-alive settings of one upstream{} block: the explicit
// value, else nginx's default for the version.
type Upstream struct {
	Name    string
	Servers []string
	// Keepalive is the per-worker pool of idle connections: the explicit value (0 = off,
	// nginx >= 1.29.7), else 32 for nginx >= 1.29.7, else nil (no pool).
	Keepalive *int64
	// KeepaliveLocal: the pool is in "local" mode (nginx >= 1.29.7): a cached connection is
	// reused only by the location that opened it. Set by "keepalive N local" and by nginx's
	// default pool; false without a pool. (omitempty: the recorded analyses in testdata/golden
	// are for nginx 1.22.1, which has no local mode.)
	KeepaliveLocal    bool `json:",omitempty"`
	KeepaliveTimeout  time.Duration
	KeepaliveTime     time.Duration // 0 when the version has no keepalive_time
	KeepaliveRequests int64
	// Explicit lists the keep-alive directives set in the block, in file order.
	Explicit []string
	File     string // "" for inline content
	Line     int
}

// Proxy kinds: the directives that pass a request to an upstream, each with its own protocol.
// nginx pools connections for all three (fastcgi_pass only with fastcgi_keep_conn on).
const (
	KindProxy   = "proxy_pass"
	KindFastCGI = "fastcgi_pass"
	KindGRPC    = "grpc_pass"
)

// Proxy is a proxy_pass, fastcgi_pass or grpc_pass to an upstream{} block and what it means
// for keep-alive there.
type Proxy struct {
	File, ServerName, Location, Upstream string
	Line                                 int
	// Kind is the directive: KindProxy, KindFastCGI or KindGRPC.
	Kind string
	// ProxyHTTPVersion is the effective proxy_http_version ("" for fastcgi_pass and grpc_pass).
	ProxyHTTPVersion string
	// ClearsConnectionHeader: the configuration sets the Connection header sent upstream to
	// something other than "close" (usually "", or a map yielding "" for plain requests).
	ClearsConnectionHeader bool
	// KeepaliveEffective: the upstream has a pool and this location reuses its connections:
	// proxy_pass over HTTP/2, or over HTTP/1.1 without "Connection: close" (cleared, or nginx
	// >= 1.29.7 which no longer sends it); grpc_pass always; fastcgi_pass with fastcgi_keep_conn on.
	KeepaliveEffective bool
}

// Finding severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding is one structural observation.
type Finding struct {
	Severity string
	File     string
	Line     int
	Message  string
	// Unread marks the warning about an include skipped unread (see Options.StrictIncludes):
	// what it holds is missing from the analysis. (omitempty keeps the recorded analyses in
	// testdata/golden as they were.)
	Unread bool `json:",omitempty"`
}

// Error is a load or parse failure at file:line (line 0: the file as a whole). Messages name
// the problem, never the text of a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File == "" && e.Line == 0:
		return e.Msg
	case e.File == "":
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

func errAt(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// AnalyzeContent analyses configuration text. Includes are resolved relative to
// opts.IncludeRoot and confined to it; without IncludeRoot an include is an error.
func AnalyzeContent(content string, opts Options) (*Analysis, error) {
	return analyzeGuarded(func() (*loader, *file, error) {
		l, err := newLoader(opts, "", opts.IncludeRoot, opts.IncludeRoot)
		if err != nil {
			return nil, nil, err
		}
		f, err := l.loadMain("", "", content)
		return l, f, err
	}, opts)
}

// AnalyzeFile analyses the file at path. Includes are resolved relative to its directory
// and confined to opts.IncludeRoot, which defaults to that directory.
func AnalyzeFile(path string, opts Options) (*Analysis, error) {
	return analyzeGuarded(func() (*loader, *file, error) {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, nil, errAt(path, 0, "%v", err)
		}
		// The file first: a missing path is reported as that file missing, not as its
		// directory (the default include root) failing to resolve.
		resolved, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, nil, errAt(path, 0, "%s", pathErrReason(err))
		}
		root := opts.IncludeRoot
		if root == "" {
			root = filepath.Dir(abs)
		}
		l, err := newLoader(opts, filepath.Dir(abs), filepath.Dir(path), root)
		if err != nil {
			return nil, nil, err
		}
		data, err := readRegular(resolved, l.opts.MaxFileBytes)
		if err != nil {
			return nil, nil, errAt(path, 0, "%v", err)
		}
		f, err := l.loadMain(path, resolved, data)
		return l, f, err
	}, opts)
}

// analyzeGuarded turns any panic into an error: no input may crash the provider.
func analyzeGuarded(load func() (*loader, *file, error), opts Options) (a *Analysis, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, errAt("", 0, "internal error while analysing the configuration (please report this as a bug): %v", r)
		}
	}()
	v, err := nginxver.Parse(opts.NginxVersion)
	if err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	l, f, err := load()
	if err != nil {
		return nil, err
	}
	return analyze(f, v, l.skipped)
}
