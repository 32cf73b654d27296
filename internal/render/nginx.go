package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// UpstreamConfig renders the upstream side of rec: with rec.UpstreamName set, a complete
// "upstream NAME { server ...; keepalive N; keepalive_timeout T; keepalive_requests R;
// keepalive_time X; }" block; without it, only the directives that go inside the user's own
// upstream block (servers included when given).
//
// Only directives the version in rec.NginxVersion accepts are rendered: keepalive_timeout and
// keepalive_requests need nginx >= 1.15.3, keepalive_time >= 1.19.10 (and is omitted when
// rec.KeepaliveTime is 0). From 1.29.7 the pool is "keepalive N local;", nginx's default mode.
//
// With keep-alive off, no pool is rendered, except "keepalive 0;" on nginx >= 1.29.7, which
// otherwise caches connections by default. The reason is kept as a single "#" comment line:
// control characters (newlines included) become spaces and long text is cut, so nothing in it
// can start a directive.
//
// Names and servers are checked against allow-lists; a rejected value is a *ValueError.
func UpstreamConfig(rec engine.Recommendation) (string, error) {
	nd, err := defaultsOf(rec)
	if err != nil {
		return "", err
	}
	body, err := upstreamBody(rec, nd)
	if err != nil {
		return "", err
	}
	var comment []string
	if !rec.KeepaliveEnabled {
		comment = []string{"# upstream keep-alive off: " + commentText(rec.KeepaliveOffReason)}
	}
	if rec.UpstreamName == "" {
		return dumpDirectives(body, comment), nil
	}
	if err := CheckUpstreamName(rec.UpstreamName); err != nil {
		return "", err
	}
	if len(rec.Servers) == 0 {
		return "", &ValueError{Attribute: "servers", Index: -1, Value: "",
			Rule: "an upstream block needs at least one server (nginx rejects an empty upstream); give servers or leave upstream_name empty"}
	}
	upstream, err := directive("upstream", rec.UpstreamName)
	if err != nil {
		return "", err
	}
	upstream.block = append([]*statement{}, body...) // non-nil: a block even if empty
	upstream.comment = comment
	var b strings.Builder
	upstream.write(&b, 0)
	b.WriteByte('\n')
	return b.String(), nil
}

// ProxyConfig renders the location directives that keep-alive needs. With keep-alive on and
// nginx before 1.29.7: "proxy_http_version 1.1;" and "proxy_set_header Connection "";" (nginx
// spoke HTTP/1.0 and sent "Connection: close" by default). From 1.29.7 both are nginx's
// defaults and neither is rendered: proxy_http_version merges to 1.1, and the built-in header
// list sets Connection to "" (ngx_http_proxy_headers), which also keeps a client's own
// "Connection: close" from reaching the backend (a header in that list is never copied from the
// client). Leaving proxy_set_header out there also keeps the location inheriting the
// proxy_set_header lines of server and http. With rec.UpstreamName set, "proxy_pass
// http://NAME;" follows. With keep-alive off only the proxy_pass line is rendered (or nothing).
//
// Caution for users on nginx < 1.29.7: proxy_set_header is inherited from the enclosing level
// only when the current level sets none. A location that adds "proxy_set_header Connection "";"
// therefore loses every proxy_set_header inherited from server or http (Host,
// X-Forwarded-For, ...), and those must be repeated inside the location.
func ProxyConfig(rec engine.Recommendation) (string, error) {
	nd, err := defaultsOf(rec)
	if err != nil {
		return "", err
	}
	var body []*statement
	if rec.KeepaliveEnabled && nd.NeedsProxyHeaders {
		version, err := directive("proxy_http_version", "1.1")
		if err != nil {
			return "", err
		}
		connection, err := directive("proxy_set_header", "Connection", emptyStringArg)
		if err != nil {
			return "", err
		}
		body = append(body, version, connection)
	}
	if rec.UpstreamName != "" {
		if err := CheckUpstreamName(rec.UpstreamName); err != nil {
			return "", err
		}
		pass, err := directive("proxy_pass", "http://"+rec.UpstreamName)
		if err != nil {
			return "", err
		}
		body = append(body, pass)
	}
	return dumpDirectives(body, nil), nil
}

// upstreamBody builds the directives inside the upstream block.
func upstreamBody(rec engine.Recommendation, nd nginxver.Defaults) ([]*statement, error) {
	var body []*statement
	for i, s := range rec.Servers {
		params, err := parseServer(i, s)
		if err != nil {
			return nil, err
		}
		d, err := directive("server", params...)
		if err != nil {
			return nil, err
		}
		body = append(body, d)
	}
	if !rec.KeepaliveEnabled {
		if nd.KeepaliveOnByDefault {
			// Since 1.29.7 explicit upstreams cache connections unless told not to.
			off, err := directive("keepalive", "0")
			if err != nil {
				return nil, err
			}
			body = append(body, off)
		}
		return body, nil
	}
	if err := checkEnabled(rec); err != nil {
		return nil, err
	}
	wanted := [][]string{poolParams(rec, nd)}
	if nd.SupportsUpstreamTimeouts {
		wanted = append(wanted,
			[]string{"keepalive_timeout", ngxtime.Format(rec.KeepaliveTimeout)},
			[]string{"keepalive_requests", strconv.FormatInt(rec.KeepaliveRequests, 10)})
	}
	if nd.SupportsKeepaliveTime && rec.KeepaliveTime > 0 {
		wanted = append(wanted, []string{"keepalive_time", ngxtime.Format(rec.KeepaliveTime)})
	}
	for _, w := range wanted {
		d, err := directive(w[0], w[1:]...)
		if err != nil {
			return nil, err
		}
		body = append(body, d)
	}
	return body, nil
}

// poolParams is the keepalive directive for the pool. From 1.29.7 a pool without a keepalive
// directive is in "local" mode (a connection is reused only by the location that opened it),
// but "keepalive N;" alone switches to sharing between locations, so "local" is written to keep
// nginx's own behaviour; nginx before 1.29.7 rejects the parameter.
func poolParams(rec engine.Recommendation, nd nginxver.Defaults) []string {
	params := []string{"keepalive", strconv.FormatInt(rec.Pool, 10)}
	if nd.LocalPoolByDefault {
		params = append(params, "local")
	}
	return params
}

// checkEnabled rejects a keep-alive-on recommendation whose numbers nginx would refuse or
// misread (the engine never produces one; this guards against a future bug).
func checkEnabled(rec engine.Recommendation) error {
	switch {
	case rec.Pool < 1:
		return fmt.Errorf("invalid recommendation: keepalive pool %d must be at least 1 when keep-alive is on", rec.Pool)
	case rec.KeepaliveTimeout < time.Millisecond:
		return fmt.Errorf("invalid recommendation: keepalive_timeout %v must be at least 1ms when keep-alive is on", rec.KeepaliveTimeout)
	case rec.KeepaliveRequests < 1:
		return fmt.Errorf("invalid recommendation: keepalive_requests %d must be at least 1 when keep-alive is on", rec.KeepaliveRequests)
	case rec.KeepaliveTime != 0 && rec.KeepaliveTime < time.Millisecond:
		return fmt.Errorf("invalid recommendation: keepalive_time %v must be 0 (omitted) or at least 1ms", rec.KeepaliveTime)
	}
	return nil
}

func defaultsOf(rec engine.Recommendation) (nginxver.Defaults, error) {
	v, err := nginxver.Parse(rec.NginxVersion)
	if err != nil {
		return nginxver.Defaults{}, fmt.Errorf("rendering nginx configuration: %w", err)
	}
	return nginxver.DefaultsFor(v), nil
}

// statement is one rendered nginx directive: "name params;" or, with block set, "name params {
// ... }". Only the few directives above are ever rendered, so render writes them itself.
type statement struct {
	name    string
	params  []string
	block   []*statement // nil: a simple directive
	comment []string     // whole lines written before the directive, e.g. "# ..."
}

// indentStep is the indentation of each block level (four spaces, as nginx's own examples).
const indentStep = "    "

// write writes s at the given depth without a trailing newline: comment lines, then the
// directive, then the block's statements one per line, one level deeper.
func (s *statement) write(b *strings.Builder, depth int) {
	indent := strings.Repeat(indentStep, depth)
	for _, c := range s.comment {
		b.WriteString(indent + c + "\n")
	}
	b.WriteString(indent + s.name)
	for _, p := range s.params {
		b.WriteString(" " + p)
	}
	if s.block == nil {
		b.WriteByte(';')
		return
	}
	b.WriteString(" {\n")
	writeStatements(b, s.block, depth+1)
	b.WriteString("\n" + indent + "}")
}

// writeStatements writes statements at depth, separated by newlines.
func writeStatements(b *strings.Builder, statements []*statement, depth int) {
	for i, s := range statements {
		if i > 0 {
			b.WriteByte('\n')
		}
		s.write(b, depth)
	}
}

// directive builds a simple directive after checking every parameter against paramRe, so
// nothing written verbatim can end the directive or open a block.
func directive(name string, params ...string) (*statement, error) {
	if !directiveRe().MatchString(name) {
		return nil, fmt.Errorf("internal error: directive name %q is not allowed", name)
	}
	d := &statement{name: name}
	for _, p := range params {
		if p != emptyStringArg && !paramRe().MatchString(p) {
			return nil, fmt.Errorf("internal error: parameter %q of %s is not allowed in rendered configuration", p, name)
		}
		d.params = append(d.params, p)
	}
	return d, nil
}

// dumpDirectives renders top-level directives, one per line, preceded by comment lines.
func dumpDirectives(body []*statement, comment []string) string {
	var b strings.Builder
	for _, c := range comment {
		b.WriteString(c)
		b.WriteByte('\n')
	}
	if len(body) > 0 {
		writeStatements(&b, body, 0)
		b.WriteByte('\n')
	}
	return b.String()
}
