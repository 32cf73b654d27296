// Package probetest runs loopback HTTP/1.1 servers whose keep-alive behaviour is exact (an idle
// close at a set time, a cap of N responses, announced or silent) and hostile servers that
// misbehave in one named way, for the tests of the probe and of the provider's data source.
package probetest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a well-behaved server with exact limits.
type Server struct {
	IdleClose  time.Duration // close a connection idle this long after a response; 0 = never
	Reset      bool          // end connections with RST instead of FIN
	CloseAfter int           // end a connection after this many responses; 0 = never
	Announce   bool          // say Connection: close on the last response before CloseAfter
	Name       string        // Server header; "" = none
}

// Stats counts what a server saw.
type Stats struct {
	open, peak atomic.Int64
}

// Peak is the most connections that were open at once.
func (s *Stats) Peak() int64 { return s.peak.Load() }

// Start serves s on a loopback port until the test ends and returns its address.
func (s Server) Start(t testing.TB) (string, *Stats) {
	t.Helper()
	st := &Stats{}
	return serve(t, func(c net.Conn) {
		n := st.open.Add(1)
		for p := st.peak.Load(); n > p && !st.peak.CompareAndSwap(p, n); p = st.peak.Load() {
		}
		defer st.open.Add(-1)
		s.handle(c)
	}), st
}

func (s Server) handle(c net.Conn) {
	defer s.end(c)
	br := bufio.NewReader(c)
	for served := 0; ; {
		if s.IdleClose > 0 {
			_ = c.SetReadDeadline(time.Now().Add(s.IdleClose))
		} else {
			_ = c.SetReadDeadline(time.Time{})
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		served++
		last := s.CloseAfter > 0 && served >= s.CloseAfter
		var h strings.Builder
		if s.Name != "" {
			h.WriteString("Server: " + s.Name + "\r\n")
		}
		if last && s.Announce {
			h.WriteString("Connection: close\r\n")
		}
		body := "ok\n"
		if req.Method == http.MethodHead {
			body = ""
		}
		if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n%s\r\n%s", h.String(), body); err != nil {
			return
		}
		if last {
			return
		}
	}
}

// end closes as nginx and apache do: a FIN, then a brief drain, so a request already on its way
// does not turn the close into a reset; with Reset, an RST at once.
func (s Server) end(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	switch {
	case ok && s.Reset:
		_ = tc.SetLinger(0)
	case ok:
		_ = tc.CloseWrite()
		_ = tc.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, _ = io.Copy(io.Discard, tc)
	}
	_ = c.Close()
}

// Hostile is a server that misbehaves in one way.
type Hostile string

// The hostile servers.
const (
	NeverAnswers   Hostile = "never-answers"   // accepts, reads, says nothing
	SlowHeaders    Hostile = "slow-headers"    // sends its headers a byte a second
	EndlessHeaders Hostile = "endless-headers" // header lines without end
	NotHTTP        Hostile = "not-http"        // answers like an SSH server
	ServerError    Hostile = "server-error"    // 503 on every request
	HangsUp        Hostile = "hangs-up"        // closes on the first request without answering
)

// Start serves h on a loopback port until the test ends and returns its address.
func (h Hostile) Start(t testing.TB) string {
	t.Helper()
	return serve(t, func(c net.Conn) {
		defer func() { _ = c.Close() }()
		if h == NotHTTP {
			_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.2\r\n")
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, _ = io.Copy(io.Discard, c)
			return
		}
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		_ = req
		switch h {
		case NeverAnswers:
			_ = c.SetReadDeadline(time.Now().Add(time.Minute))
			_, _ = io.Copy(io.Discard, c)
		case SlowHeaders:
			for _, b := range []byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		case EndlessHeaders:
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")
			line := []byte("X-Filler: " + strings.Repeat("a", 100) + "\r\n")
			for i := 0; i < 1<<16; i++ {
				if _, err := c.Write(line); err != nil {
					return
				}
			}
		case ServerError:
			_, _ = io.WriteString(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, _ = io.Copy(io.Discard, c)
		case HangsUp:
		}
	})
}

// RefusedAddress is a loopback address where nothing listens.
func RefusedAddress(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// serve accepts connections on a loopback port and hands each to handle in its own goroutine;
// at the end of the test it closes the listener and every open connection and waits for them.
func serve(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Go(func() {
				handle(c)
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			})
		}
	})
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String()
}
