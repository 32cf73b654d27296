// Package render turns an engine.Recommendation into nginx configuration text and into the
// values Kubernetes controllers take (ingress-nginx, NGINX Gateway Fabric, F5 NGINX Ingress
// Controller). Every value is checked against an allow-list before it is written, because
// parameters are written verbatim: "60s; include x" would become two directives.
package render

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ValueError reports a user-supplied value that may not be written into nginx configuration.
type ValueError struct {
	Attribute string // the input attribute, e.g. "upstream_name" or "servers"
	Index     int    // list index within Attribute; -1 when Attribute is not a list
	Value     string
	Rule      string // what is allowed instead
}

func (e *ValueError) Error() string {
	name := e.Attribute
	if e.Index >= 0 {
		name = fmt.Sprintf("%s[%d]", e.Attribute, e.Index)
	}
	return fmt.Sprintf("%s %q cannot be rendered into nginx configuration: %s", name, e.Value, e.Rule)
}

const (
	maxUpstreamNameLen = 200
	maxServerLen       = 512
	maxCommentRunes    = 240

	upstreamNameRule = "use letters, digits, '_', '.' and '-' only, starting with a letter, digit or '_' (at most 200 characters)"
	serverRule       = "use host[:port], IPv4[:port], [IPv6][:port] or unix:/path, optionally followed by " +
		"weight=N, max_fails=N, max_conns=N, fail_timeout=T (T in whole s, m, h or d), backup or down, separated by spaces"
)

var (
	upstreamNameRe = compile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
	// serverCharsRe is checked first so that no quote, ';', '{', '$', '#' or control character
	// can survive into any later step.
	serverCharsRe = compile(`^[A-Za-z0-9_.:/\[\]= -]+$`)
	unixAddrRe    = compile(`^unix:/[A-Za-z0-9_./-]+$`)
	ipv6AddrRe    = compile(`^\[([0-9A-Fa-f:.]+)\](?::([0-9]{1,5}))?$`)
	hostAddrRe    = compile(`^([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$`)
	hostLabelRe   = compile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	numericHostRe = compile(`^[0-9.]+$`)
	// Parameters of the upstream "server" directive we pass through. fail_timeout is parsed by
	// nginx as seconds (ngx_parse_time with is_sec=1), which rejects "ms".
	serverParamRe = compile(`^(weight=[1-9][0-9]{0,5}|max_fails=[0-9]{1,6}|max_conns=[0-9]{1,9}|fail_timeout=[0-9]{1,9}[smhd]?|backup|down)$`)

	// paramRe is the last line of defence: every parameter written must match it
	// (or be the literal empty string token `""`). It admits no whitespace, quote, ';', '{',
	// '}', '$', '#' or '\'.
	paramRe        = compile(`^[A-Za-z0-9_.:/\[\]=-]+$`)
	directiveRe    = compile(`^[a-z_0-9]+$`)
	emptyStringArg = `""`
)

// CheckUpstreamName reports whether name may be used in "upstream NAME" and
// "proxy_pass http://NAME"; the error is a *ValueError. Exported so the provider can reject a
// bad upstream_name at validation time, on the attribute.
func CheckUpstreamName(name string) error {
	if len(name) > maxUpstreamNameLen || !upstreamNameRe().MatchString(name) {
		return &ValueError{Attribute: "upstream_name", Index: -1, Value: name, Rule: upstreamNameRule}
	}
	return nil
}

// CheckServer reports whether servers[index] = s may be rendered as an upstream server
// directive; the error is a *ValueError.
func CheckServer(index int, s string) error {
	_, err := parseServer(index, s)
	return err
}

// parseServer splits one "servers" entry into the parameters of an upstream server directive.
func parseServer(i int, s string) ([]string, error) {
	fail := func(rule string) ([]string, error) {
		return nil, &ValueError{Attribute: "servers", Index: i, Value: s, Rule: rule}
	}
	if len(s) > maxServerLen || !serverCharsRe().MatchString(s) {
		return fail(serverRule)
	}
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return fail(serverRule)
	}
	if reason := checkServerAddress(fields[0]); reason != "" {
		return fail(reason + "; " + serverRule)
	}
	for _, p := range fields[1:] {
		if !serverParamRe().MatchString(p) {
			return fail(fmt.Sprintf("unsupported server parameter %q; %s", p, serverRule))
		}
	}
	return fields, nil
}

// checkServerAddress returns why addr is not an acceptable upstream server address, or "".
func checkServerAddress(addr string) string {
	switch {
	case strings.HasPrefix(addr, "unix:"):
		if !unixAddrRe().MatchString(addr) {
			return "a unix socket path must be absolute and use only letters, digits, '_', '.', '-' and '/'"
		}
		return ""
	case strings.HasPrefix(addr, "["):
		m := ipv6AddrRe().FindStringSubmatch(addr)
		if m == nil || net.ParseIP(m[1]) == nil {
			return "not a valid [IPv6]:port address"
		}
		return checkPort(m[2])
	default:
		m := hostAddrRe().FindStringSubmatch(addr)
		if m == nil {
			return "not a valid host:port address (IPv6 addresses need brackets: [::1]:8080)"
		}
		if reason := checkHost(m[1]); reason != "" {
			return reason
		}
		return checkPort(m[2])
	}
}

func checkHost(host string) string {
	if numericHostRe().MatchString(host) {
		if ip := net.ParseIP(host); ip == nil || ip.To4() == nil {
			return "not a valid IPv4 address"
		}
		return ""
	}
	if len(host) > 253 {
		return "host name longer than 253 characters"
	}
	for _, label := range strings.Split(host, ".") {
		if !hostLabelRe().MatchString(label) {
			return fmt.Sprintf("host name label %q is not valid", label)
		}
	}
	return ""
}

func checkPort(port string) string {
	if port == "" {
		return ""
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("port %s is not between 1 and 65535", port)
	}
	return ""
}

// commentText makes free text safe for a single "# ..." line: nginx ends a comment only at a
// line feed, so every control or line-separator character becomes a space; the text is also
// made valid UTF-8 and capped in length.
func commentText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxCommentRunes {
		s = string([]rune(s)[:maxCommentRunes-3]) + "..."
	}
	return s
}

// compile defers a pattern's compilation to its first use: Terraform starts the provider three
// times per plan, and most of those processes never render anything.
func compile(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
