package probe

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// server is a loopback server on a raw listener, so what it does on the wire is exact.
type server struct {
	addr string
	ln   net.Listener

	mu       sync.Mutex
	conns    []net.Conn
	accepted int
	methods  []string
}

// serve accepts connections on 127.0.0.1:0 and runs handle on each until the test ends.
func serve(t *testing.T, handle func(s *server, c net.Conn)) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{addr: ln.Addr().String(), ln: ln}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.accepted++
			s.mu.Unlock()
			wg.Go(func() {
				defer func() { _ = c.Close() }()
				handle(s, c)
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	return s
}

func (s *server) acceptedConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

func (s *server) sawMethod(m string) {
	s.mu.Lock()
	s.methods = append(s.methods, m)
	s.mu.Unlock()
}

func (s *server) seenMethods() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.methods...)
}

// behaviour is an HTTP/1.x server with exact keep-alive behaviour.
type behaviour struct {
	idleClose  time.Duration // close a connection idle this long after a response; 0: never
	rst        bool          // end connections with a reset (SO_LINGER 0) instead of a FIN
	closeAfter int           // end the connection after this many responses; 0: never
	announce   bool          // say Connection: close on the last of closeAfter
	proto      string        // status line version; HTTP/1.1 when empty (HTTP/1.0: one response, then close)
	chunked    bool          // send bodies chunked, with a trailer
	serverName string        // Server header, when set
	status     string        // status line after the version; "200 OK" when empty
	extra      string        // extra header lines, each ending in \r\n
	body       string
	delay      time.Duration // before each response
	// before runs when request n has been read, before its response (a barrier, a counter).
	before func(s *server, n int)
	// onIdle is written just before an idle close, as servers that send a 408 do.
	onIdle string
}

func (b behaviour) handle(s *server, c net.Conn) {
	br := bufio.NewReader(c)
	proto, status := cmpOr(b.proto, "HTTP/1.1"), cmpOr(b.status, "200 OK")
	for n := 1; ; n++ {
		if n > 1 && b.idleClose > 0 {
			_ = c.SetReadDeadline(time.Now().Add(b.idleClose))
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			if b.onIdle != "" && errors.Is(err, os.ErrDeadlineExceeded) {
				_, _ = io.WriteString(c, b.onIdle)
			}
			b.end(c)
			return
		}
		_ = c.SetReadDeadline(time.Time{})
		s.sawMethod(req.Method)
		if b.before != nil {
			b.before(s, n)
		}
		time.Sleep(b.delay)
		last := proto == "HTTP/1.0" || (b.closeAfter > 0 && n >= b.closeAfter)
		var w strings.Builder
		fmt.Fprintf(&w, "%s %s\r\n", proto, status)
		if b.serverName != "" {
			fmt.Fprintf(&w, "Server: %s\r\n", b.serverName)
		}
		if last && b.announce {
			w.WriteString("Connection: close\r\n")
		}
		w.WriteString(b.extra)
		switch {
		case b.chunked:
			w.WriteString("Transfer-Encoding: chunked\r\nTrailer: X-Check\r\n\r\n")
			if req.Method != http.MethodHead {
				fmt.Fprintf(&w, "%x\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Check: done\r\n\r\n", len(b.body), b.body, len(b.body), b.body)
			}
		case req.Method == http.MethodHead:
			// The length of the body GET would get, and no body: reading one would hang.
			fmt.Fprintf(&w, "Content-Length: %d\r\n\r\n", len(b.body)+1000)
		default:
			fmt.Fprintf(&w, "Content-Length: %d\r\n\r\n%s", len(b.body), b.body)
		}
		if _, err := io.WriteString(c, w.String()); err != nil || last {
			b.end(c)
			return
		}
	}
}

// end closes c with a FIN, or a reset when b.rst. A FIN is sent as nginx and apache do (a
// lingering close): shut the write side, then read what still comes until the client closes.
// Closing at once would send a reset instead when the client's next request has already
// arrived, which on loopback it often has.
func (b behaviour) end(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	switch {
	case ok && b.rst:
		_ = tc.SetLinger(0)
	case ok:
		_ = tc.CloseWrite()
		_ = tc.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, _ = io.Copy(io.Discard, tc)
	}
	_ = c.Close()
}

func (b behaviour) serve(t *testing.T) *server {
	t.Helper()
	return serve(t, b.handle)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readRequest reads one request's head and says whether it could.
func readRequest(br *bufio.Reader) bool {
	_, err := http.ReadRequest(br)
	return err == nil
}

// hostile servers: each does one wrong thing with the first request on every connection.
func neverAnswers(_ *server, c net.Conn) { _, _ = io.Copy(io.Discard, c) }

func answersWith(raw string) func(*server, net.Conn) {
	return func(_ *server, c net.Conn) {
		if readRequest(bufio.NewReader(c)) {
			_, _ = io.WriteString(c, raw)
		}
		_, _ = io.Copy(io.Discard, c) // and keeps the connection open
	}
}

func writesOnConnect(raw string) func(*server, net.Conn) {
	return func(_ *server, c net.Conn) {
		_, _ = io.WriteString(c, raw)
		_, _ = io.Copy(io.Discard, c)
	}
}

func dripsHeaders(every time.Duration) func(*server, net.Conn) {
	return func(_ *server, c net.Conn) {
		if !readRequest(bufio.NewReader(c)) {
			return
		}
		head := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + strings.Repeat("x", 200) + "\r\n\r\n"
		for i := range len(head) {
			if _, err := c.Write([]byte{head[i]}); err != nil {
				return
			}
			time.Sleep(every)
		}
	}
}

func endlessHeaders(_ *server, c net.Conn) {
	if !readRequest(bufio.NewReader(c)) {
		return
	}
	if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\n"); err != nil {
		return
	}
	line := []byte("X-Endless: " + strings.Repeat("y", 1000) + "\r\n")
	for {
		if _, err := c.Write(line); err != nil {
			return
		}
	}
}

func hugeBody(_ *server, c net.Conn) {
	if !readRequest(bufio.NewReader(c)) {
		return
	}
	const size = MaxBodyBytes + 100<<10
	if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", size); err != nil {
		return
	}
	_, _ = io.Copy(c, io.LimitReader(zeros{}, size))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func dripsBody(_ *server, c net.Conn) {
	if !readRequest(bufio.NewReader(c)) {
		return
	}
	if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"); err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, c)
}

func cutsBodyShort(_ *server, c net.Conn) {
	if readRequest(bufio.NewReader(c)) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
	}
}

func closesWithoutAnswer(_ *server, c net.Conn) { _ = readRequest(bufio.NewReader(c)) }

func closesMidHeaders(_ *server, c net.Conn) {
	if readRequest(bufio.NewReader(c)) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Le")
	}
}

// plainHTTP answers whatever comes (a TLS ClientHello, say) with a 400 and closes, as nginx does.
func plainHTTP(_ *server, c net.Conn) {
	if _, err := c.Read(make([]byte, 512)); err == nil {
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	}
}
