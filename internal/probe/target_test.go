package probe

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := Target{Address: "127.0.0.1:8000"}
	tests := []struct {
		name   string
		target Target
		field  string // "" when valid
		reason string
	}{
		{"host and port", ok, "", ""},
		{"IPv6", Target{Address: "[::1]:8000", Method: "HEAD", Path: "/healthz?full=1", Headers: map[string]string{"Authorization": "Bearer x", "Host": "app.test"}}, "", ""},
		{"no port", Target{Address: "127.0.0.1"}, "address", "host:port"},
		{"no host", Target{Address: ":8000"}, "address", "host:port"},
		{"empty", Target{}, "address", "host:port"},
		{"port 0", Target{Address: "127.0.0.1:0"}, "address", "1 to 65535"},
		{"port 70000", Target{Address: "127.0.0.1:70000"}, "address", "1 to 65535"},
		{"port by name", Target{Address: "127.0.0.1:http"}, "address", "1 to 65535"},
		{"method POST", Target{Address: ok.Address, Method: "POST"}, "method", "GET or HEAD"},
		{"method lower case", Target{Address: ok.Address, Method: "get"}, "method", "GET or HEAD"},
		{"path without a slash", Target{Address: ok.Address, Path: "healthz"}, "path", "start with /"},
		{"path with a space", Target{Address: ok.Address, Path: "/a b"}, "path", "percent-encode"},
		{"path with a line break", Target{Address: ok.Address, Path: "/a\r\nX: y"}, "path", "control characters"},
		{"header value with CR LF", Target{Address: ok.Address, Headers: map[string]string{"X-A": "1\r\nConnection: close"}}, `headers["X-A"]`, "line breaks"},
		{"header name with a colon", Target{Address: ok.Address, Headers: map[string]string{"X:A": "1"}}, `headers["X:A"]`, "not a valid header name"},
		{"Connection header", Target{Address: ok.Address, Headers: map[string]string{"connection": "close"}}, `headers["connection"]`, "manages Connection itself"},
		{"Keep-Alive header", Target{Address: ok.Address, Headers: map[string]string{"Keep-Alive": "timeout=5"}}, `headers["Keep-Alive"]`, "remove it"},
		{"Host with a space", Target{Address: ok.Address, Host: "a b"}, "url", "spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.target.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Validate() = %v, want an InputError", err)
			}
			if ie.Field != tt.field || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("Validate() = %q (field %q), want field %q saying %q", err, ie.Field, tt.field, tt.reason)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tt.field+" ") || !strings.Contains(msg, fmt.Sprintf("%q", ie.Value)) {
				t.Errorf("message %q does not start with the field and quote the value", msg)
			}
		})
	}
}

func TestFromURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url                         string
		address, host, path, server string // server: the TLS server name, "" for plain HTTP
		reason                      string // when an error is wanted
	}{
		{url: "https://example.test:8443/a?b=c", address: "example.test:8443", host: "example.test:8443", path: "/a?b=c", server: "example.test"},
		{url: "http://example.test", address: "example.test:80", host: "example.test", path: "/"},
		{url: "https://example.test/healthz", address: "example.test:443", host: "example.test", path: "/healthz", server: "example.test"},
		{url: "http://[::1]:8080/x%20y", address: "[::1]:8080", host: "[::1]:8080", path: "/x%20y"},
		{url: "ftp://example.test/", reason: "http or https"},
		{url: "http:///nohost", reason: "no host"},
		{url: "http://user:secret@example.test/", reason: "user info"},
		{url: "http://example.test/#frag", reason: "fragments"},
		{url: "http://exa mple.test/", reason: "not a URL"},
		{url: "example.test:8000", reason: "http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			got, err := FromURL(tt.url)
			if tt.reason != "" {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Field != "url" || ie.Value != tt.url || !strings.Contains(ie.Reason, tt.reason) {
					t.Fatalf("FromURL = %+v, %v; want a url error saying %q", got, err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Address != tt.address || got.Host != tt.host || got.Path != tt.path {
				t.Errorf("FromURL = address %q host %q path %q", got.Address, got.Host, got.Path)
			}
			switch {
			case tt.server == "" && got.TLS != nil:
				t.Errorf("plain http with TLS %+v", got.TLS)
			case tt.server != "" && (got.TLS == nil || got.TLS.ServerName != tt.server):
				t.Errorf("TLS = %+v, want server name %q", got.TLS, tt.server)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("FromURL's target does not validate: %v", err)
			}
		})
	}
}

func TestWithTLS(t *testing.T) {
	t.Parallel()
	base, err := FromURL("https://example.test:8443/")
	if err != nil {
		t.Fatal(err)
	}
	got, err := base.WithTLS(TLSOptions{ServerName: "other.test", InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.TLS.ServerName != "other.test" || !got.TLS.InsecureSkipVerify {
		t.Errorf("TLS = %+v", got.TLS)
	}
	if base.TLS.ServerName != "example.test" || base.TLS.InsecureSkipVerify {
		t.Errorf("WithTLS changed the original target's config: %+v", base.TLS)
	}
	plain, err := Target{Address: "10.0.0.5:8443"}.WithTLS(TLSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.TLS == nil || plain.TLS.ServerName != "10.0.0.5" {
		t.Errorf("a plain address with a tls block: TLS = %+v, want server name from the address", plain.TLS)
	}
	_, err = base.WithTLS(TLSOptions{CAPEM: "-----BEGIN NOTHING-----\nnot a certificate at all, just text\n"})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "tls.ca_pem" || !strings.Contains(ie.Reason, "no PEM certificate") || !strings.HasSuffix(ie.Value, "…") {
		t.Errorf("WithTLS(bad PEM) = %v, want a tls.ca_pem error with the value abbreviated", err)
	}
}

func TestRequestBytes(t *testing.T) {
	t.Parallel()
	got := string(Target{Address: "127.0.0.1:8000", Method: "HEAD", Path: "/h", Headers: map[string]string{"X-B": "2", "X-A": "1", "host": "app.test"}}.request())
	want := "HEAD /h HTTP/1.1\r\nHost: app.test\r\nX-A: 1\r\nX-B: 2\r\nUser-Agent: nginxkeepalive-probe\r\n\r\n"
	if got != want {
		t.Errorf("request = %q, want %q", got, want)
	}
	got = string(Target{Address: "127.0.0.1:8000", Headers: map[string]string{"user-agent": "mine"}}.request())
	want = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nuser-agent: mine\r\n\r\n"
	if got != want {
		t.Errorf("request = %q, want %q", got, want)
	}
}
