// Package probetest runs loopback test servers for the tests of the probe and of the provider's
// data source: KeepAlive is an HTTP/1.x server whose keep-alive behaviour is exact (an idle close
// at a set time, a cap of N responses, announced or silent, a FIN or a reset), and the hostile
// handlers (NeverAnswers, DripsHeaders, HugeBody, ...) each misbehave in one named way. The
// servers sit on raw listeners, so what they do on the wire is exact.
//
// It must not import internal/probe: the probe's own tests import it.
package probetest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Handler serves one accepted connection; Serve closes the connection when it returns.
type Handler func(s *Server, c net.Conn)

// Server is a running loopback server and what it has seen.
type Server struct {
	Addr string // host:port on 127.0.0.1

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	accepted int
	open     int
	peak     int
	methods  []string
}

// Serve accepts connections on 127.0.0.1:0 and runs handle on each, in its own goroutine, until
// the test ends; then it closes the listener and every open connection and waits for the handlers.
func Serve(t testing.TB, handle Handler) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.opened(c)
			wg.Go(func() {
				defer s.closed(c)
				handle(s, c)
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	return s
}

func (s *Server) opened(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c] = struct{}{}
	s.accepted++
	s.open++
	s.peak = max(s.peak, s.open)
}

func (s *Server) closed(c net.Conn) {
	_ = c.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	s.open--
}

// Accepted is how many connections the server has accepted.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Peak is the most connections that were open at once.
func (s *Server) Peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// Methods are the methods of the requests a KeepAlive server has read, in order.
func (s *Server) Methods() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.methods...)
}

func (s *Server) sawMethod(m string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods = append(s.methods, m)
}

// CloseLingering closes c with a FIN as nginx and apache do (a lingering close): shut the write
// side, then read what still comes until the client closes (for at most 2s). Closing at once
// would send a reset instead when the client's next request has already arrived, which on
// loopback it often has.
func CloseLingering(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		_ = tc.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, _ = io.Copy(io.Discard, tc)
	}
	_ = c.Close()
}

// CloseWithReset closes c with a reset (SO_LINGER 0) instead of a FIN.
func CloseWithReset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
