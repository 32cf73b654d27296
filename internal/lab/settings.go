package lab

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
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

func settingsFrom(rec engine.Recommendation) upstreamSettings {
	if !rec.KeepaliveEnabled {
		return upstreamSettings{Label: "recommended", Disabled: true}
	}
	return upstreamSettings{Label: "recommended", Pool: burstSize, KeepaliveTimeout: rec.KeepaliveTimeout,
		KeepaliveRequests: rec.KeepaliveRequests, KeepaliveTime: rec.KeepaliveTime}
}

// upstreamVersion strips a Debian epoch and revision: "1:2.4.71-1~deb12u1" -> "2.4.71".
func upstreamVersion(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndex(v, "-"); i >= 0 {
		v = v[:i]
	}
	for _, sep := range []string{"+", "~"} {
		if i := strings.Index(v, sep); i >= 0 {
			v = v[:i]
		}
	}
	return v
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

func nodeMajor(deb string) string { return strings.SplitN(deb, ".", 2)[0] }
