package probe

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// InputError is a target or option the probe cannot use; Field names it as the data source
// spells it (address, url, path, method, headers, tls.ca_pem, ...).
type InputError struct {
	Field  string
	Value  string
	Reason string // what is wrong and what to write instead
}

func (e *InputError) Error() string { return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason) }

// TLSOptions are the data source's tls block.
type TLSOptions struct {
	ServerName         string
	CAPEM              string
	InsecureSkipVerify bool
}

// FromURL is a target from an http:// or https:// URL: its host and port are dialled, its path
// and query are requested, and its host is the Host header (and TLS server name).
func FromURL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, &InputError{Field: "url", Value: raw, Reason: "not a URL (" + err.Error() + "); write e.g. \"http://127.0.0.1:8000/healthz\""}
	}
	port := map[string]string{"http": "80", "https": "443"}[u.Scheme]
	if port == "" {
		return Target{}, &InputError{Field: "url", Value: raw, Reason: "the scheme must be http or https"}
	}
	if u.Hostname() == "" {
		return Target{}, &InputError{Field: "url", Value: raw, Reason: "the URL has no host; write e.g. \"http://127.0.0.1:8000/\""}
	}
	if u.User != nil || u.Fragment != "" {
		return Target{}, &InputError{Field: "url", Value: raw, Reason: "user info and fragments are not sent; remove them (use headers for credentials)"}
	}
	if u.Port() != "" {
		port = u.Port()
	}
	t := Target{Address: net.JoinHostPort(u.Hostname(), port), Host: u.Host, Path: u.RequestURI()}
	if u.Scheme == "https" {
		t.TLS = &tls.Config{ServerName: u.Hostname()}
	}
	return t, nil
}

// WithTLS applies the tls block: with it a plain address is probed over TLS too.
func (t Target) WithTLS(o TLSOptions) (Target, error) {
	cfg := &tls.Config{}
	if t.TLS != nil {
		cfg = t.TLS.Clone()
	}
	if o.ServerName != "" {
		cfg.ServerName = o.ServerName
	}
	if cfg.ServerName == "" {
		if host, _, err := net.SplitHostPort(t.Address); err == nil {
			cfg.ServerName = host
		}
	}
	if o.CAPEM != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(o.CAPEM)) {
			return t, &InputError{Field: "tls.ca_pem", Value: abbreviate(o.CAPEM), Reason: "no PEM certificate found; give the CA certificate(s) as PEM text, e.g. file(\"ca.pem\")"}
		}
		cfg.RootCAs = pool
	}
	cfg.InsecureSkipVerify = o.InsecureSkipVerify //nolint:gosec // the user asked for it, for a test server with a self-signed certificate
	t.TLS = cfg
	return t, nil
}

// Methods the probe sends: both are safe and idempotent.
var Methods = []string{"GET", "HEAD"}

// forbiddenHeaders would change how the connection is kept, which is what the probe measures.
var forbiddenHeaders = []string{"Connection", "Keep-Alive", "Content-Length", "Transfer-Encoding", "Upgrade", "TE"}

// Validate checks what the probe would write on the wire.
func (t Target) Validate() error {
	if host, port, err := net.SplitHostPort(t.Address); err != nil || host == "" || port == "" || strings.ContainsFunc(host, isSpaceOrControl) {
		return &InputError{Field: "address", Value: t.Address, Reason: "give host:port, e.g. \"127.0.0.1:8000\" or \"[::1]:8000\""}
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return &InputError{Field: "address", Value: t.Address, Reason: "the port must be a number from 1 to 65535"}
	}
	if m := t.method(); m != "GET" && m != "HEAD" {
		return &InputError{Field: "method", Value: t.Method, Reason: "the probe sends GET or HEAD (safe requests only)"}
	}
	if p := t.path(); !strings.HasPrefix(p, "/") || strings.ContainsFunc(p, isSpaceOrControl) {
		return &InputError{Field: "path", Value: t.Path, Reason: "the path must start with / and contain no spaces or control characters (percent-encode them)"}
	}
	if strings.ContainsFunc(t.Host, isSpaceOrControl) {
		return &InputError{Field: "url", Value: t.Host, Reason: "the host contains spaces or control characters"}
	}
	for k, v := range t.Headers {
		if err := validHeader(k, v); err != nil {
			return err
		}
	}
	return nil
}

func validHeader(k, v string) error {
	field := "headers[" + strconv.Quote(k) + "]"
	if k == "" || strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) }) {
		return &InputError{Field: field, Value: k, Reason: "not a valid header name (letters, digits and -_. only)"}
	}
	if strings.ContainsAny(v, "\r\n\x00") {
		return &InputError{Field: field, Value: v, Reason: "header values cannot contain line breaks or NUL"}
	}
	for _, f := range forbiddenHeaders {
		if strings.EqualFold(k, f) {
			return &InputError{Field: field, Value: k, Reason: "the probe manages " + f + " itself: it is what is being measured; remove it"}
		}
	}
	return nil
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
