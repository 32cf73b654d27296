// Package nginxver maps an nginx version to the keep-alive defaults that version applies.
// Sources: nginx/nginx.org xml/en/docs/http/ngx_http_upstream_module.xml and
// nginx/nginx src/http/modules/ngx_http_upstream_keepalive_module.c (see docs/guides).
package nginxver

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultVersion is assumed when the user gives none: the current stable release. Every
// description that states the default is built from it.
const DefaultVersion = "1.30.4"

// Version is an nginx release number.
type Version struct{ Major, Minor, Patch int }

// Milestones where keep-alive defaults changed.
var (
	// UpstreamKeepaliveTimeout: keepalive_timeout/keepalive_requests allowed in upstream{} (1.15.3).
	UpstreamKeepaliveTimeout = Version{1, 15, 3}
	// KeepaliveTime: keepalive_time added and keepalive_requests default 100 -> 1000 (1.19.10).
	KeepaliveTime = Version{1, 19, 10}
	// ProxyHTTP2: proxy_http_version 2 accepted (1.29.4; ngx_http_proxy_module.xml).
	ProxyHTTP2 = Version{1, 29, 4}
	// KeepaliveByDefault: upstream keepalive 32 local and proxy_http_version 1.1 by default, no
	// "Connection: close" sent, "keepalive 0;" and "keepalive N local;" accepted (1.29.7;
	// ngx_http_upstream_keepalive_module.c init_main_conf and ngx_http_proxy_module.c
	// ngx_http_proxy_headers in 1.30.4).
	KeepaliveByDefault = Version{1, 29, 7}
)

// Parse reads "1.22.1" or "1.22"; an empty string means DefaultVersion.
func Parse(s string) (Version, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultVersion
	}
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid nginx version %q: want MAJOR.MINOR[.PATCH], e.g. %q", s, DefaultVersion)
	}
	var nums [3]int
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || n > 999 {
			return Version{}, fmt.Errorf("invalid nginx version %q: %q is not a number from 0 to 999", s, part)
		}
		nums[i] = n
	}
	v := Version{nums[0], nums[1], nums[2]}
	if v.Less(Version{0, 1, 0}) || v.Major > 9 {
		return Version{}, fmt.Errorf("invalid nginx version %q: not an nginx release", s)
	}
	return v, nil
}

// Less reports whether v is older than o.
func (v Version) Less(o Version) bool {
	if v.Major != o.Major {
		return v.Major < o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

// AtLeast reports whether v is o or newer.
func (v Version) AtLeast(o Version) bool { return !v.Less(o) }

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Defaults are the values nginx applies when a directive is absent.
type Defaults struct {
	Version Version
	// SupportsUpstreamTimeouts: keepalive_timeout/_requests can be set inside upstream{}.
	SupportsUpstreamTimeouts bool
	// SupportsKeepaliveTime: keepalive_time exists.
	SupportsKeepaliveTime bool
	// KeepaliveOnByDefault: explicit upstreams cache connections without a keepalive directive.
	KeepaliveOnByDefault bool
	// NeedsProxyHeaders: proxy_http_version 1.1 and Connection "" must be set for keep-alive.
	// From 1.29.7 both are the defaults: proxy_http_version merges to 1.1, and the built-in
	// header list sets Connection to "" (was "close"); the client's own Connection header is
	// never passed on because Connection is always in that list.
	NeedsProxyHeaders bool
	// LocalPoolByDefault: without a keepalive directive the pool is in "local" mode (a cached
	// connection is reused only by the location that opened it), while "keepalive N;" alone
	// shares it between locations; "keepalive N local;" keeps the default mode.
	LocalPoolByDefault bool

	UpstreamKeepaliveTimeout  time.Duration
	UpstreamKeepaliveRequests int64
	UpstreamKeepaliveTime     time.Duration // 0 when the version has no keepalive_time
	UpstreamKeepalivePool     int64         // 0 = no pool (keep-alive off) unless configured
	ProxyHTTPVersion          string

	ClientKeepaliveTimeout  time.Duration
	ClientKeepaliveRequests int64
}

// DefaultsFor returns the keep-alive defaults of version v.
func DefaultsFor(v Version) Defaults {
	d := Defaults{
		Version:                   v,
		SupportsUpstreamTimeouts:  v.AtLeast(UpstreamKeepaliveTimeout),
		SupportsKeepaliveTime:     v.AtLeast(KeepaliveTime),
		KeepaliveOnByDefault:      v.AtLeast(KeepaliveByDefault),
		NeedsProxyHeaders:         !v.AtLeast(KeepaliveByDefault),
		LocalPoolByDefault:        v.AtLeast(KeepaliveByDefault),
		UpstreamKeepaliveTimeout:  60 * time.Second,
		UpstreamKeepaliveRequests: 100,
		ProxyHTTPVersion:          "1.0",
		ClientKeepaliveTimeout:    75 * time.Second,
		ClientKeepaliveRequests:   100,
	}
	if d.SupportsKeepaliveTime {
		d.UpstreamKeepaliveRequests = 1000
		d.ClientKeepaliveRequests = 1000
		d.UpstreamKeepaliveTime = time.Hour
	}
	if d.KeepaliveOnByDefault {
		d.UpstreamKeepalivePool = 32
		d.ProxyHTTPVersion = "1.1"
	}
	return d
}
