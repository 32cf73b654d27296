package probe

import (
	"bufio"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe/probetest"
)

// fast keeps the loopback tests short: a slow answer is an error after half a second.
var fast = Options{Samples: 3, MaxWait: 3 * time.Second, RequestCap: 50, ResponseTimeout: 2 * time.Second}

// tol is how far a measured idle close may be from the server's: scheduling on a busy machine.
const tol = 150 * time.Millisecond

func within(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got < want-tol || got > want+tol {
		t.Errorf("%s = %s, want %s ± %s", what, got, want, tol)
	}
}

func closes(samples []Sample) []Close {
	out := make([]Close, len(samples))
	for i, s := range samples {
		out[i] = s.Close
	}
	return out
}

func allClose(t *testing.T, samples []Sample, want Close, n int) {
	t.Helper()
	if len(samples) != n {
		t.Fatalf("%d samples, want %d", len(samples), n)
	}
	for _, s := range samples {
		if s.Close != want {
			t.Fatalf("sample closes %v, want all %s", closes(samples), want)
		}
	}
}

func TestRunExactServers(t *testing.T) {
	t.Parallel()
	const idle = 400 * time.Millisecond
	tests := []struct {
		name  string
		srv   probetest.KeepAlive
		opts  Options
		check func(t *testing.T, res Result, s *probetest.Server)
	}{
		{
			name: "idle close with a FIN at 400ms",
			srv:  probetest.KeepAlive{IdleClose: idle, Body: "ok"},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseFIN, 3)
				s, ok := res.Shortest()
				if !ok {
					t.Fatal("no closed sample")
				}
				within(t, "shortest idle", s.Idle, idle)
				for _, s := range res.Samples {
					within(t, "idle", s.Idle, idle)
					if s.AfterBurst > s.Idle {
						t.Errorf("AfterBurst %s > Idle %s: the burst ends after each response", s.AfterBurst, s.Idle)
					}
				}
				if res.Close() != CloseFIN {
					t.Errorf("Close() = %s, want fin", res.Close())
				}
				if res.Cap == nil || res.Cap.Ended || res.Cap.Responses != 50 {
					t.Errorf("cap = %+v, want 50 responses and not ended", res.Cap)
				}
			},
		},
		{
			name: "idle close with a reset at 400ms",
			srv:  probetest.KeepAlive{IdleClose: idle, Reset: true},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseRST, 3)
				s, _ := res.Shortest()
				within(t, "shortest idle", s.Idle, idle)
				if res.Close() != CloseRST {
					t.Errorf("Close() = %s, want rst", res.Close())
				}
			},
		},
		{
			name: "a 408 before the idle close",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, BeforeIdleClose: "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseFIN, 3)
				s, _ := res.Shortest()
				within(t, "shortest idle", s.Idle, 300*time.Millisecond)
			},
		},
		{
			name: "a 408 and a reset",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, Reset: true, BeforeIdleClose: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseRST, 3)
			},
		},
		{
			name: "silent close after 7 responses",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, CloseAfter: 7},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				want := Cap{Responses: 7, Ended: true, Close: CloseFIN, AnnouncedLast: false}
				if res.Cap == nil || *res.Cap != want {
					t.Fatalf("cap = %+v, want %+v", res.Cap, want)
				}
				allClose(t, res.Samples, CloseFIN, 3)
			},
		},
		{
			name: "silent reset after 7 responses",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, CloseAfter: 7, Reset: true},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				want := Cap{Responses: 7, Ended: true, Close: CloseRST}
				if res.Cap == nil || *res.Cap != want {
					t.Fatalf("cap = %+v, want %+v", res.Cap, want)
				}
			},
		},
		{
			name: "Connection: close on the 7th response",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, CloseAfter: 7, Announce: true},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				want := Cap{Responses: 7, Ended: true, Close: CloseConnectionClose, AnnouncedLast: true}
				if res.Cap == nil || *res.Cap != want {
					t.Fatalf("cap = %+v, want %+v", res.Cap, want)
				}
			},
		},
		{
			name: "never closing",
			srv:  probetest.KeepAlive{Body: "still here"},
			opts: Options{Samples: 2, MaxWait: time.Second, RequestCap: 20, ResponseTimeout: 2 * time.Second},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseOpen, 2)
				if _, ok := res.Shortest(); ok {
					t.Error("Shortest found a closed sample")
				}
				if res.Close() != CloseOpen || res.Waited != time.Second {
					t.Errorf("Close() = %s, Waited = %s; want open after 1s", res.Close(), res.Waited)
				}
				for _, s := range res.Samples {
					if s.Idle < time.Second {
						t.Errorf("open sample watched %s, less than MaxWait", s.Idle)
					}
				}
				want := Cap{Responses: 20, Close: CloseOpen}
				if res.Cap == nil || *res.Cap != want {
					t.Errorf("cap = %+v, want %+v", res.Cap, want)
				}
			},
		},
		{
			name: "HTTP/1.0 server closes after each response",
			srv:  probetest.KeepAlive{Version: "HTTP/1.0", Body: "old"},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				if res.HTTPVersion != "HTTP/1.0" {
					t.Errorf("HTTPVersion = %q", res.HTTPVersion)
				}
				allClose(t, res.Samples, CloseConnectionClose, 3)
				want := Cap{Responses: 1, Ended: true, Close: CloseConnectionClose, AnnouncedLast: true}
				if res.Cap == nil || *res.Cap != want {
					t.Errorf("cap = %+v, want %+v", res.Cap, want)
				}
			},
		},
		{
			name: "HEAD reads no body",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, Body: "a body HEAD must not wait for"},
			opts: Options{Samples: 2, MaxWait: 3 * time.Second, RequestCap: 5, ResponseTimeout: time.Second},
			check: func(t *testing.T, res Result, s *probetest.Server) {
				allClose(t, res.Samples, CloseFIN, 2)
				if res.Cap.Responses != 5 {
					t.Errorf("cap = %+v, want 5 responses", res.Cap)
				}
				if m := s.Methods(); len(m) != 7 || slices.ContainsFunc(m, func(m string) bool { return m != http.MethodHead }) {
					t.Errorf("server saw %v, want 7 HEAD requests", m)
				}
			},
		},
		{
			name: "chunked bodies with a trailer",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, Chunked: true, Body: strings.Repeat("c", 3000)},
			opts: Options{Samples: 2, MaxWait: 3 * time.Second, RequestCap: 10, ResponseTimeout: time.Second},
			check: func(t *testing.T, res Result, _ *probetest.Server) {
				allClose(t, res.Samples, CloseFIN, 2)
				// Ten responses read back to back on one connection: the framing was followed.
				if res.Cap.Responses != 10 || res.Cap.Ended {
					t.Errorf("cap = %+v, want 10 responses, not ended", res.Cap)
				}
			},
		},
		{
			name: "Server header and HTTP version reported",
			srv:  probetest.KeepAlive{IdleClose: 200 * time.Millisecond, ServerHeader: "exact/1.2 (loopback)"},
			opts: Options{Samples: 1, MaxWait: 3 * time.Second, NoCapProbe: true},
			check: func(t *testing.T, res Result, s *probetest.Server) {
				if res.Server != "exact/1.2 (loopback)" || res.HTTPVersion != "HTTP/1.1" {
					t.Errorf("Server = %q, HTTPVersion = %q", res.Server, res.HTTPVersion)
				}
				if res.Cap != nil {
					t.Errorf("cap = %+v with NoCapProbe", res.Cap)
				}
				if n := s.Accepted(); n != 1 {
					t.Errorf("%d connections with one sample and no cap probe", n)
				}
			},
		},
		{
			name: "a redirect is a response, not followed",
			srv:  probetest.KeepAlive{IdleClose: 300 * time.Millisecond, Status: "302 Found", Headers: "Location: http://127.0.0.1:1/elsewhere\r\n"},
			check: func(t *testing.T, res Result, s *probetest.Server) {
				allClose(t, res.Samples, CloseFIN, 3)
				if res.Cap.Responses != 50 {
					t.Errorf("cap = %+v, want 50 responses on the connection", res.Cap)
				}
				if n := s.Accepted(); n != 4 {
					t.Errorf("%d connections, want 3 samples + 1 cap probe", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.srv.Start(t)
			opts := tt.opts
			if opts == (Options{}) {
				opts = fast
			}
			target := Target{Address: s.Addr}
			if strings.HasPrefix(tt.name, "HEAD") {
				target.Method = http.MethodHead
			}
			res, err := Run(context.Background(), target, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Address != s.Addr {
				t.Errorf("Address = %q", res.Address)
			}
			tt.check(t, res, s)
		})
	}
}

// TestRunSamplesInParallel: a server that answers nobody until every sample has connected.
func TestRunSamplesInParallel(t *testing.T) {
	t.Parallel()
	const k = 4
	all := make(chan struct{})
	var once sync.Once
	s := probetest.KeepAlive{IdleClose: 200 * time.Millisecond, BeforeResponse: func(s *probetest.Server, _ int) {
		if s.Accepted() >= k {
			once.Do(func() { close(all) })
		}
		select {
		case <-all:
		case <-time.After(3 * time.Second):
		}
	}}.Start(t)
	res, err := Run(context.Background(), Target{Address: s.Addr},
		Options{Samples: k, MaxWait: 3 * time.Second, NoCapProbe: true, ResponseTimeout: time.Second})
	if err != nil {
		t.Fatalf("samples not in parallel: %v", err)
	}
	allClose(t, res.Samples, CloseFIN, k)
}

// wantError checks err is an *Error naming the address and the step, with every fragment in it.
func wantError(t *testing.T, err error, addr, step string, fragments ...string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want *Error", err, err)
	}
	msg := err.Error()
	if pe.Address != addr || !strings.Contains(msg, addr) {
		t.Errorf("error %q does not name the address %s", msg, addr)
	}
	if !strings.HasPrefix(pe.Step, step) || !strings.Contains(msg, step) {
		t.Errorf("error %q: step %q, want %q", msg, pe.Step, step)
	}
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("error %q does not say %q", msg, f)
		}
	}
}

// nginx400 is how nginx answers plain HTTP on a TLS port.
const nginx400 = "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n"

func TestRunHostileServers(t *testing.T) {
	t.Parallel()
	quick := Options{Samples: 3, MaxWait: 30 * time.Second, RequestCap: 50, ResponseTimeout: 500 * time.Millisecond}
	tests := []struct {
		name      string
		handle    probetest.Handler // nil: nothing listens
		tls       bool
		step      string
		fragments []string
		bound     time.Duration
	}{
		{"connection refused", nil, false, "connect", []string{"connection refused", "check the address"}, time.Second},
		{"TLS to a plain HTTP server", probetest.PlainHTTP, true, "TLS handshake",
			[]string{"does not answer in TLS", "http:// url"}, time.Second},
		{"TLS to a server that never answers", probetest.NeverAnswers, true, "TLS handshake", []string{"no TLS handshake within 500ms"}, 1500 * time.Millisecond},
		{"not HTTP", probetest.WritesOnConnect("SSH-2.0-OpenSSH_9.2p1\r\n"), false, "request 1",
			[]string{"not HTTP/1.x", `"SSH-2.0-OpenSSH_9.2p1\r\n"`, "HTTP port"}, time.Second},
		{"accepts and never answers", probetest.NeverAnswers, false, "request 1", []string{"no answer within 500ms", "sent nothing"}, 1500 * time.Millisecond},
		{"headers a byte every 50ms", probetest.DripsHeaders(50 * time.Millisecond), false, "request 1",
			[]string{"not complete after 500ms", "bytes received", "too slowly"}, 1500 * time.Millisecond},
		{"headers that never end", probetest.EndlessHeaders, false, "request 1", []string{"exceed 64 KiB"}, 2 * time.Second},
		{"a 5xx answer", probetest.AnswersWith("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy!"), false, "request 1",
			[]string{`"503 Service Unavailable"`, "below 500", "path"}, time.Second},
		{"a 5xx whose body never comes", probetest.AnswersWith("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 5000\r\n\r\n"), false, "request 1",
			[]string{`"502 Bad Gateway"`}, 400 * time.Millisecond},
		{"a body over 1 MiB", probetest.HugeBody(MaxBodyBytes + 100<<10), false, "request 1", []string{"larger than 1024 KiB", "HEAD"}, 2 * time.Second},
		{"a body that stops coming", probetest.DripsBody, false, "request 1 (reading the body)",
			[]string{"body was not complete after 500ms", "3 bytes"}, 1500 * time.Millisecond},
		{"a body cut short by a close", probetest.CutsBodyShort, false, "request 1 (reading the body)",
			[]string{"closed the connection after 3 bytes of the body"}, time.Second},
		{"bytes beyond the response", probetest.AnswersWith("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n<html>not counted</html>"), false, "request 1",
			[]string{"more than its response", `"<html>not counted</html>"`}, time.Second},
		{"closes without answering", probetest.ClosesWithoutAnswer, false, "request 1", []string{"closed the connection without answering"}, time.Second},
		{"closes in the middle of the headers", probetest.ClosesMidHeaders, false, "request 1", []string{"in the middle of the response headers"}, time.Second},
		{"a 400 from nginx's TLS port", probetest.AnswersWith(fmt.Sprintf("HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(nginx400), nginx400)), false, "request 1",
			[]string{`"400 Bad Request"`, "The plain HTTP request was sent to HTTPS port", "https:// url"}, time.Second},
		{"an interim response only", probetest.AnswersWith("HTTP/1.1 100 Continue\r\n\r\n"), false, "request 1", []string{"interim response"}, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := probetest.RefusedAddress(t)
			if tt.handle != nil {
				addr = probetest.Serve(t, tt.handle).Addr
			}
			target := Target{Address: addr}
			if tt.tls {
				var err error
				if target, err = target.WithTLS(TLSOptions{InsecureSkipVerify: true}); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			res, err := Run(context.Background(), target, quick)
			elapsed := time.Since(start)
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			t.Logf("%s: %v", elapsed.Round(time.Millisecond), err)
			wantError(t, err, addr, tt.step, tt.fragments...)
			if elapsed > tt.bound {
				t.Errorf("took %s, bound %s", elapsed, tt.bound)
			}
			if errors.Is(err, context.Canceled) {
				t.Errorf("a server's failure reported as a cancellation: %v", err)
			}
		})
	}
}

// idleThenCapServer closes a connection idle for 300ms and records when it accepted each
// connection and when it closed an idle one; with failSecond its second response on a
// connection is a 500.
type idleThenCapServer struct {
	mu              sync.Mutex
	accepts, closes []time.Time
	failSecond      bool
}

func (s *idleThenCapServer) handle(_ *probetest.Server, c net.Conn) {
	s.note(&s.accepts)
	br := bufio.NewReader(c)
	for n := 1; ; n++ {
		_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := http.ReadRequest(br); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				s.note(&s.closes)
			}
			return
		}
		status := "200 OK"
		if s.failSecond && n == 2 {
			status = "500 Internal Server Error"
		}
		if _, err := c.Write([]byte("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")); err != nil {
			return
		}
	}
}

func (s *idleThenCapServer) note(at *[]time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*at = append(*at, time.Now())
}

// The cap probe starts once the idle samples have closed: its requests would otherwise wake a
// server's idle sweep (gunicorn's 1s poll) and make the idle close look later than it is.
func TestRunCapProbeFollowsTheIdleWait(t *testing.T) {
	t.Parallel()
	srv := &idleThenCapServer{}
	s := probetest.Serve(t, srv.handle)
	res, err := Run(context.Background(), Target{Address: s.Addr}, Options{Samples: 3, MaxWait: 3 * time.Second, RequestCap: 5, ResponseTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cap == nil || res.Cap.Responses != 5 {
		t.Fatalf("cap = %+v, want 5 responses without a close", res.Cap)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.accepts) != 4 || len(srv.closes) < 3 {
		t.Fatalf("accepted %d connections and closed %d idle ones, want 4 and 3", len(srv.accepts), len(srv.closes))
	}
	lastSampleClose := slices.MaxFunc(srv.closes[:3], time.Time.Compare)
	if capDial := slices.MaxFunc(srv.accepts, time.Time.Compare); capDial.Before(lastSampleClose) {
		t.Errorf("the cap probe connected %s before the last idle sample closed", lastSampleClose.Sub(capDial))
	}
}

// A failing cap probe fails the probe, after the idle wait and well inside MaxWait.
func TestRunCapFailureIsReported(t *testing.T) {
	t.Parallel()
	srv := &idleThenCapServer{failSecond: true}
	s := probetest.Serve(t, srv.handle)
	start := time.Now()
	_, err := Run(context.Background(), Target{Address: s.Addr}, Options{MaxWait: 30 * time.Second, ResponseTimeout: time.Second})
	wantError(t, err, s.Addr, "request 2", `"500 Internal Server Error"`)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s: a 300ms idle close and two requests", d)
	}
}

func TestRunTLS(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.Config.IdleTimeout = 300 * time.Millisecond
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes below are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	opts := Options{Samples: 2, MaxWait: 3 * time.Second, RequestCap: 10, ResponseTimeout: time.Second}

	for _, tc := range []struct {
		name string
		tls  TLSOptions
	}{
		{"with ca_pem", TLSOptions{CAPEM: caPEM}},
		{"with ca_pem and a server name the certificate holds", TLSOptions{CAPEM: caPEM, ServerName: "example.com"}},
		{"with insecure_skip_verify", TLSOptions{InsecureSkipVerify: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target, err := Target{Address: addr}.WithTLS(tc.tls)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), target, opts)
			if err != nil {
				t.Fatal(err)
			}
			allClose(t, res.Samples, CloseFIN, 2)
			s, _ := res.Shortest()
			within(t, "idle", s.Idle, 300*time.Millisecond)
			if res.HTTPVersion != "HTTP/1.1" || res.Cap.Responses != 10 {
				t.Errorf("HTTPVersion %q, cap %+v", res.HTTPVersion, res.Cap)
			}
		})
	}
	t.Run("plain HTTP to it", func(t *testing.T) {
		t.Parallel()
		_, err := Run(context.Background(), Target{Address: addr}, opts)
		wantError(t, err, addr, "request 1", `"400 Bad Request"`, "Client sent an HTTP request to an HTTPS server", "https:// url")
	})
	for _, tc := range []struct {
		name      string
		tls       TLSOptions
		fragments []string
	}{
		{"self-signed without ca_pem", TLSOptions{}, []string{"not trusted", "tls.ca_pem", "tls.insecure_skip_verify"}},
		{"a server name the certificate lacks", TLSOptions{CAPEM: caPEM, ServerName: "other.test"}, []string{"not for this name", "tls.server_name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target, err := Target{Address: addr}.WithTLS(tc.tls)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = Run(context.Background(), target, opts)
			wantError(t, err, addr, "TLS handshake", tc.fragments...)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestRunCancelledDuringIdleWait(t *testing.T) {
	t.Parallel()
	answered := make(chan struct{}, 1)
	s := probetest.KeepAlive{BeforeResponse: func(*probetest.Server, int) {
		select {
		case answered <- struct{}{}:
		default:
		}
	}}.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancelledAt := make(chan time.Time, 1)
	go func() {
		<-answered // the first requests are in; the idle wait is about to begin
		time.Sleep(300 * time.Millisecond)
		cancelledAt <- time.Now()
		cancel()
	}()
	_, err := Run(ctx, Target{Address: s.Addr}, Options{MaxWait: 30 * time.Second})
	after := time.Since(<-cancelledAt)
	wantError(t, err, s.Addr, "idle wait", "cancelled")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v is not context.Canceled", err)
	}
	if after > time.Second {
		t.Errorf("Run returned %s after the cancellation", after)
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	s := probetest.KeepAlive{}.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err := Run(ctx, Target{Address: s.Addr}, Options{MaxWait: 30 * time.Second})
	wantError(t, err, s.Addr, "connect", "cancelled")
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("took %s", d)
	}
}

// TestRunBounded: whatever the server does, Run ends within MaxWait plus Grace.
func TestRunBounded(t *testing.T) {
	t.Parallel()
	const maxWait = time.Second
	tests := []struct {
		name  string
		srv   probetest.KeepAlive
		check func(t *testing.T, res Result)
	}{
		{"never closing", probetest.KeepAlive{}, func(t *testing.T, res Result) {
			allClose(t, res.Samples, CloseOpen, 3)
		}},
		// 200 requests at 100ms each would take 20s: the cap probe stops after CapBudget.
		{"answering slowly", probetest.KeepAlive{Delay: 100 * time.Millisecond}, func(t *testing.T, res Result) {
			allClose(t, res.Samples, CloseOpen, 3)
			if res.Cap.Ended || res.Cap.Responses < 1 || res.Cap.Responses > int(CapBudget/(100*time.Millisecond))+1 {
				t.Errorf("cap = %+v, want a few responses and not ended", res.Cap)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.srv.Start(t)
			start := time.Now()
			res, err := Run(context.Background(), Target{Address: s.Addr}, Options{MaxWait: maxWait, ResponseTimeout: time.Second})
			elapsed := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if elapsed > maxWait+Grace {
				t.Errorf("took %s, more than MaxWait + Grace", elapsed)
			}
			t.Logf("took %s (MaxWait %s)", elapsed, maxWait)
			tt.check(t, res)
		})
	}
}

// TestRunCallerDeadline: a deadline of the caller's that comes before MaxWait ends the wait
// early, and Waited reports what the samples survived, not MaxWait.
func TestRunCallerDeadline(t *testing.T) {
	t.Parallel()
	s := probetest.KeepAlive{}.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := Run(ctx, Target{Address: s.Addr}, Options{MaxWait: 30 * time.Second, RequestCap: 10})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %s with a 600ms deadline", d)
	}
	allClose(t, res.Samples, CloseOpen, DefaultSamples)
	// What the deadline left, not MaxWait (timers may fire a little late on a loaded machine).
	if res.Waited > 700*time.Millisecond || res.Waited < 300*time.Millisecond {
		t.Errorf("Waited = %s, want what the 600ms deadline left, not MaxWait", res.Waited)
	}
	// The idle wait took all the time the caller gave: the cap probe, which follows it, had none.
	if res.Cap == nil || res.Cap.Ended || res.Cap.Responses != 0 {
		t.Errorf("cap = %+v, want not probed for want of time", res.Cap)
	}
}

// TestRunCallerDeadlineBeforeAnAnswer: the caller's deadline is the probe's, not the server's
// slowness.
func TestRunCallerDeadlineBeforeAnAnswer(t *testing.T) {
	t.Parallel()
	s := probetest.Serve(t, probetest.NeverAnswers)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, Target{Address: s.Addr}, Options{MaxWait: 30 * time.Second, ResponseTimeout: 5 * time.Second})
	wantError(t, err, s.Addr, "request 1", "ran out of time")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v is not context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %s with a 300ms deadline", d)
	}
}

// TestRunManyInParallel: ten probes at once take about one probe's time, not ten. Not parallel
// with other tests, so the machine's two cores are its own.
func TestRunManyInParallel(t *testing.T) {
	s := probetest.KeepAlive{IdleClose: 500 * time.Millisecond}.Start(t)
	opts := Options{MaxWait: 5 * time.Second, RequestCap: 20, ResponseTimeout: 2 * time.Second}
	run := func() error {
		_, err := Run(context.Background(), Target{Address: s.Addr}, opts)
		return err
	}
	start := time.Now()
	if err := run(); err != nil {
		t.Fatal(err)
	}
	single := time.Since(start)
	start = time.Now()
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = run() })
	}
	wg.Wait()
	ten := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("one probe %s, ten in parallel %s", single, ten)
	if ten > 3*single {
		t.Errorf("ten probes in parallel took %s, one %s: they do not run at the same time", ten, single)
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		target Target
		opts   Options
		field  string
	}{
		{Target{Address: "nowhere"}, Options{}, "address"},
		{Target{Address: "127.0.0.1:1", Method: "POST"}, Options{}, "method"},
		{Target{Address: "127.0.0.1:1"}, Options{Samples: MaxSamples + 1}, "samples"},
		{Target{Address: "127.0.0.1:1"}, Options{MaxWait: LimitMaxWait + time.Second}, "max_wait"},
		{Target{Address: "127.0.0.1:1"}, Options{RequestCap: LimitRequestCap + 1}, "request_cap_probe"},
	} {
		_, err := Run(context.Background(), tc.target, tc.opts)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tc.field {
			t.Errorf("Run(%+v, %+v) = %v, want an InputError on %s", tc.target, tc.opts, err, tc.field)
		}
	}
}

// A server that closes idle connections on a tick closes a burst's connections together, up to
// a tick after their deadline; spread over the tick, the earliest sample lands near the deadline.
func TestRunSpreadFindsATickSweepsDeadline(t *testing.T) {
	t.Parallel()
	const idle, tick = time.Second, 600 * time.Millisecond
	s := probetest.KeepAlive{IdleClose: idle, SweepEvery: tick}.Start(t)
	burst, err := ProbeIdle(context.Background(), Target{Address: s.Addr}, Options{Samples: 3, MaxWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := burst.Shortest()
	for _, c := range burst.Samples {
		if c.Idle-first.Idle > tol {
			t.Errorf("burst: samples closed %s apart; a tick closes them together", c.Idle-first.Idle)
		}
	}
	spread, err := Run(context.Background(), Target{Address: s.Addr}, Options{Samples: 3, MaxWait: 5 * time.Second, Spread: tick, NoCapProbe: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := spread.Shortest()
	// Three samples a third of a tick apart: one closes within a third of a tick of its deadline.
	if got.Idle < idle-tol || got.Idle > idle+tick/3+tol {
		t.Errorf("spread: shortest idle close %s, want %s to %s (burst saw %s)", got.Idle, idle, idle+tick/3+tol, first.Idle)
	}
}
