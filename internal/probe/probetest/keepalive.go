package probetest

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// KeepAlive is an HTTP/1.x server with exact keep-alive behaviour. The zero value answers every
// request with an empty 200 and never closes.
type KeepAlive struct {
	IdleClose time.Duration // close a connection idle this long after a response; 0: never
	// SweepEvery makes IdleClose act on a timer tick of this period, as gunicorn's gthread loop
	// (1 s) does: a connection closes at the first tick at least IdleClose after its response.
	SweepEvery time.Duration
	Reset      bool // end connections with a reset (SO_LINGER 0) instead of a FIN
	CloseAfter int  // end a connection after this many responses; 0: never
	Announce   bool // say Connection: close on the last of CloseAfter responses

	Version      string        // status line version; HTTP/1.1 when empty (HTTP/1.0: one response, then close)
	Status       string        // status line after the version; "200 OK" when empty
	ServerHeader string        // Server header; none when empty
	Headers      string        // further header lines, each ending in \r\n
	Body         string        // the body of every response to GET
	Chunked      bool          // send the body chunked (twice, as two chunks), with an X-Check trailer
	Delay        time.Duration // before each response

	// BeforeResponse runs when request n on a connection has been read, before its response (a
	// barrier, a counter).
	BeforeResponse func(s *Server, n int)
	// BeforeIdleClose is written just before an idle close, as servers that send a 408 do.
	BeforeIdleClose string
}

// Start serves k on a loopback port until the test ends.
func (k KeepAlive) Start(t testing.TB) *Server {
	t.Helper()
	return Serve(t, k.handle)
}

func (k KeepAlive) handle(s *Server, c net.Conn) {
	br := bufio.NewReader(c)
	version := cmp.Or(k.Version, "HTTP/1.1")
	for n := 1; ; n++ {
		if n > 1 && k.IdleClose > 0 {
			_ = c.SetReadDeadline(k.closeAt(time.Now()))
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			if k.BeforeIdleClose != "" && errors.Is(err, os.ErrDeadlineExceeded) {
				_, _ = io.WriteString(c, k.BeforeIdleClose)
			}
			k.end(c)
			return
		}
		_ = c.SetReadDeadline(time.Time{})
		_, _ = io.Copy(io.Discard, req.Body)
		s.sawMethod(req.Method)
		if k.BeforeResponse != nil {
			k.BeforeResponse(s, n)
		}
		time.Sleep(k.Delay)
		last := version == "HTTP/1.0" || (k.CloseAfter > 0 && n >= k.CloseAfter)
		if _, err := io.WriteString(c, k.response(version, req.Method, last)); err != nil || last {
			k.end(c)
			return
		}
	}
}

// closeAt is when a connection idle since then closes: IdleClose later, or the first tick of
// SweepEvery (counted from the Unix epoch, one clock for every connection) at or after it.
func (k KeepAlive) closeAt(then time.Time) time.Time {
	due := then.Add(k.IdleClose)
	if k.SweepEvery <= 0 {
		return due
	}
	if tick := due.Truncate(k.SweepEvery); tick.Before(due) {
		return tick.Add(k.SweepEvery)
	}
	return due
}

// response is the whole answer to a request with this method; last says it ends the connection.
func (k KeepAlive) response(version, method string, last bool) string {
	var w strings.Builder
	fmt.Fprintf(&w, "%s %s\r\n", version, cmp.Or(k.Status, "200 OK"))
	if k.ServerHeader != "" {
		fmt.Fprintf(&w, "Server: %s\r\n", k.ServerHeader)
	}
	if last && k.Announce {
		w.WriteString("Connection: close\r\n")
	}
	w.WriteString(k.Headers)
	switch {
	case k.Chunked:
		w.WriteString("Transfer-Encoding: chunked\r\nTrailer: X-Check\r\n\r\n")
		if method != http.MethodHead {
			fmt.Fprintf(&w, "%x\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Check: done\r\n\r\n", len(k.Body), k.Body, len(k.Body), k.Body)
		}
	case method == http.MethodHead:
		// A length and no body: a client that read a body would hang.
		fmt.Fprintf(&w, "Content-Length: %d\r\n\r\n", len(k.Body)+1000)
	default:
		fmt.Fprintf(&w, "Content-Length: %d\r\n\r\n%s", len(k.Body), k.Body)
	}
	return w.String()
}

func (k KeepAlive) end(c net.Conn) {
	if k.Reset {
		CloseWithReset(c)
		return
	}
	CloseLingering(c)
}
