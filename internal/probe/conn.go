package probe

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// conn is one probe connection: a socket, a reader capped per phase, and the request to send.
type conn struct {
	nc      net.Conn
	lr      *cappedReader
	br      *bufio.Reader
	addr    string
	method  string
	request []byte
	timeout time.Duration // per request, write to last byte
}

func newConn(t Target, nc net.Conn, timeout time.Duration) *conn {
	lr := &cappedReader{r: nc}
	return &conn{nc: nc, lr: lr, br: bufio.NewReader(lr), addr: t.Address, method: t.method(), request: t.request(), timeout: timeout}
}

func (c *conn) close() { _ = c.nc.Close() }

// answer is one response read in full.
type answer struct {
	end         time.Time // when its last byte was read
	closeHeader bool      // Connection: close (or HTTP/1.0 without keep-alive)
	proto       string
	server      string
}

// peerClosed is a connection the server ended before sending any byte of the next response.
type peerClosed struct{ how Close }

func (p peerClosed) Error() string {
	if p.how == CloseRST {
		return "the server reset the connection"
	}
	return "the server closed the connection"
}

// watch makes a cancelled context wake every blocked read and write on c at once.
func (c *conn) watch(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(time.Unix(1, 0)) })
}

// setDeadline sets the sooner of d and the context's deadline. A context that ended before
// (whose watch has already fired) keeps the deadline in the past, so no later call can undo
// the wake-up.
func (c *conn) setDeadline(ctx context.Context, d time.Time) {
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	_ = c.nc.SetDeadline(d)
	if ctx.Err() != nil {
		_ = c.nc.SetDeadline(time.Unix(1, 0))
	}
}

// roundTrip sends request number n and reads its response in full.
func (c *conn) roundTrip(ctx context.Context, n int) (answer, error) {
	step := fmt.Sprintf("request %d", n)
	c.setDeadline(ctx, time.Now().Add(c.timeout))
	defer c.watch(ctx)()
	if _, err := c.nc.Write(c.request); err != nil {
		if how, ok := closeKind(err); ok && ctx.Err() == nil {
			return answer{}, &Error{Address: c.addr, Step: step, What: peerClosed{how}.Error() + " before the request was sent", Err: peerClosed{how}}
		}
		return answer{}, c.timeoutError(ctx, step, "the request could not be sent within "+c.timeout.String(), err)
	}
	c.lr.reset(MaxHeaderBytes)
	resp, err := http.ReadResponse(c.br, &http.Request{Method: c.method})
	if err != nil {
		return answer{}, c.responseError(ctx, step, err)
	}
	// The body is not closed on the error paths below: that would drain it, and the connection
	// is dropped anyway.
	if resp.StatusCode >= 500 {
		return answer{}, &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("the server answered %q; probe a path that answers below 500 (a health check, e.g. path = \"/healthz\")", resp.Status)}
	}
	if resp.StatusCode == http.StatusBadRequest {
		// Servers end the connection after a 400, so it says nothing about keep-alive; most
		// often it is plain HTTP sent to a TLS port, which the body says.
		return answer{}, &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("the server answered %q%s: it rejected the request; for an HTTPS server use an https:// url or a tls block, else check the path and Host header", resp.Status, c.snippet(ctx, resp.Body))}
	}
	if resp.StatusCode < 200 {
		return answer{}, &Error{Address: c.addr, Step: step, What: fmt.Sprintf("the server answered %q, an interim response the probe does not expect", resp.Status)}
	}
	c.lr.reset(MaxBodyBytes + MaxHeaderBytes) // room for chunk framing and trailers
	drained, err := io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes+1))
	switch {
	case drained > MaxBodyBytes || c.lr.exceeded:
		return answer{}, &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("the response body is larger than %d KiB; probe a path with a small answer, or use method = \"HEAD\"", MaxBodyBytes>>10)}
	case err != nil:
		step += " (reading the body)"
		if how, ok := closeKind(err); ok && ctx.Err() == nil {
			return answer{}, &Error{Address: c.addr, Step: step,
				What: fmt.Sprintf("%s after %d bytes of the body, before its end", peerClosed{how}.Error(), drained), Err: err}
		}
		return answer{}, c.timeoutError(ctx, step,
			fmt.Sprintf("the response body was not complete after %s (%d bytes received): the server answers too slowly", c.timeout, drained), err)
	}
	_ = resp.Body.Close() // at its end: reads nothing more
	if n := c.br.Buffered(); n > 0 {
		// Bytes beyond the response's end, before the next request: in the idle wait they
		// would read as a close at 0 ms, in the cap probe as a broken next response.
		extra, _ := c.br.Peek(min(n, headBytes))
		return answer{}, &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("the server sent more than its response (%d bytes after it, starting %q): its responses are not framed as HTTP/1.1 requires (with method = \"HEAD\": a body it should not send; use GET)", n, extra)}
	}
	return answer{end: time.Now(), closeHeader: resp.Close, proto: resp.Proto, server: resp.Header.Get("Server")}, nil
}

// snippet is the start of an error body for a message, read for a moment at most.
func (c *conn) snippet(ctx context.Context, body io.Reader) string {
	c.setDeadline(ctx, time.Now().Add(snippetWait))
	b, _ := io.ReadAll(io.LimitReader(body, snippetBytes))
	text := strings.Join(strings.Fields(string(b)), " ")
	if text == "" || strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r == utf8.RuneError }) {
		return ""
	}
	return fmt.Sprintf(" (%q)", text)
}

// timeoutError words err as what when the request's own deadline passed, else as stepError does.
func (c *conn) timeoutError(ctx context.Context, step, what string, err error) error {
	if ctx.Err() == nil && !outOfTime(ctx) && errors.Is(err, os.ErrDeadlineExceeded) {
		return &Error{Address: c.addr, Step: step, What: what, Err: err}
	}
	return stepError(ctx, c.addr, step, err)
}

// responseError says why no response could be read.
func (c *conn) responseError(ctx context.Context, step string, err error) error {
	got := c.lr.read
	if c.lr.err != nil {
		// What the socket said: bufio hands a partial line over without the error that cut it
		// short, and the parser then complains about the line instead.
		err = c.lr.err
	}
	switch {
	case c.lr.exceeded:
		return &Error{Address: c.addr, Step: step, What: fmt.Sprintf("the response headers exceed %d KiB without ending; is this an HTTP server?", MaxHeaderBytes>>10), Err: err}
	case ctx.Err() != nil || outOfTime(ctx):
		return stepError(ctx, c.addr, step, err)
	case errors.Is(err, os.ErrDeadlineExceeded) && got == 0:
		return &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("no answer within %s: the server accepted the connection but sent nothing; check that this is its HTTP port (for TLS, an https:// url or a tls block)", c.timeout), Err: err}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &Error{Address: c.addr, Step: step,
			What: fmt.Sprintf("the response headers were not complete after %s (%d bytes received): the server answers too slowly", c.timeout, got), Err: err}
	}
	how, closed := closeKind(err)
	switch {
	case closed && got == 0:
		return &Error{Address: c.addr, Step: step, What: peerClosed{how}.Error() + " without answering; check that this is its HTTP port and that it accepts the request (path, Host header)", Err: peerClosed{how}}
	case got > 0 && !bytes.HasPrefix(c.lr.head, []byte("HTTP/")):
		return &Error{Address: c.addr, Step: step, What: fmt.Sprintf("the answer is not HTTP/1.x (it starts %q); is this the server's HTTP port?", c.lr.head), Err: err}
	case closed:
		return &Error{Address: c.addr, Step: step, What: fmt.Sprintf("%s in the middle of the response headers (%d bytes received)", peerClosed{how}.Error(), got), Err: err}
	}
	return &Error{Address: c.addr, Step: step, What: "the answer is not a valid HTTP/1.x response: " + err.Error(), Err: err}
}

// sample waits delay, sends one request and watches the idle connection until the server ends
// it or maxWait passes. A connection answered with Connection: close is not watched.
func (c *conn) sample(ctx context.Context, delay, maxWait time.Duration) (Sample, answer, error) {
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return Sample{}, answer{}, stepError(ctx, c.addr, "request 1", ctx.Err())
		}
	}
	a, err := c.roundTrip(ctx, 1)
	if err != nil {
		return Sample{}, a, err
	}
	if a.closeHeader {
		return Sample{Close: CloseConnectionClose}, a, nil
	}
	s, err := c.awaitClose(ctx, a.end, a.end, maxWait)
	return s, a, err
}

// awaitClose watches an idle connection until the server ends it or maxWait passes.
func (c *conn) awaitClose(ctx context.Context, respEnd, burstEnd time.Time, maxWait time.Duration) (Sample, error) {
	c.setDeadline(ctx, respEnd.Add(maxWait))
	defer c.watch(ctx)()
	var one [1]byte
	n, err := c.br.Read(one[:])
	now := time.Now()
	s := Sample{Idle: now.Sub(respEnd), AfterBurst: now.Sub(burstEnd)}
	if n > 0 {
		// Some servers write a 408 before closing an idle connection: to nginx that is the end
		// of the connection all the same. Drain it briefly to learn how the socket ends.
		c.setDeadline(ctx, now.Add(time.Second))
		_, err = io.Copy(io.Discard, io.LimitReader(c.br, unsolicitedDrainBytes))
		if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			s.Close = CloseFIN
			return s, nil
		}
	}
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return s, stepError(ctx, c.addr, "idle wait", err)
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.Close = CloseOpen
		return s, nil
	}
	if how, ok := closeKind(err); ok {
		s.Close = how
		return s, nil
	}
	if err == nil {
		s.Close = CloseFIN // data then a clean end
		return s, nil
	}
	return s, stepError(ctx, c.addr, "idle wait", err)
}

// closeKind tells a server's close (FIN) or reset (RST) from other errors.
func closeKind(err error) (Close, bool) {
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return CloseRST, true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return CloseFIN, true
	}
	return "", false
}

func isPeerClose(err error) bool {
	var pc peerClosed
	return errors.As(err, &pc)
}

func peerClose(err error) Close {
	var pc peerClosed
	errors.As(err, &pc)
	return pc.how
}

// stepError words a failed step, telling a cancellation or the probe's deadline from the server.
func stepError(ctx context.Context, addr, step string, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return &Error{Address: addr, Step: step, What: "cancelled", Err: context.Canceled}
	case ctx.Err() != nil || outOfTime(ctx):
		return &Error{Address: addr, Step: step, What: "the probe ran out of time (it stops at max_wait plus " + Grace.String() + ", or at its caller's deadline); the server answers too slowly for it", Err: context.DeadlineExceeded}
	}
	what := err.Error()
	if opErr := (*net.OpError)(nil); errors.As(err, &opErr) && opErr.Err != nil {
		what = opErr.Err.Error()
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		what = "connection refused: nothing listens there"
	}
	return &Error{Address: addr, Step: step, What: what, Err: err}
}

// cappedReader counts the bytes read since its last reset and fails once they pass a cap, so a
// server cannot make the probe read without end. head keeps the first bytes, for messages.
type cappedReader struct {
	r        io.Reader
	cap      int
	read     int
	exceeded bool
	head     []byte
	err      error // the last error from r since the reset
}

var errCapped = errors.New("read cap reached")

// Of an answer, quoted in messages.
const (
	headBytes    = 24
	snippetBytes = 120
	snippetWait  = 300 * time.Millisecond
)

func (l *cappedReader) reset(limit int) {
	l.cap, l.read, l.exceeded, l.head, l.err = limit, 0, false, l.head[:0], nil
}

func (l *cappedReader) Read(p []byte) (int, error) {
	if l.read >= l.cap {
		l.exceeded = true
		return 0, errCapped
	}
	if len(p) > l.cap-l.read {
		p = p[:l.cap-l.read]
	}
	n, err := l.r.Read(p)
	if keep := min(n, headBytes-len(l.head)); keep > 0 {
		l.head = append(l.head, p[:keep]...)
	}
	l.read += n
	if err != nil {
		l.err = err
	}
	return n, err
}

// request is the bytes of one request: the method, path, Host, then the extra headers sorted.
func (t Target) request() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", t.method(), t.path(), t.host())
	names := make([]string, 0, len(t.Headers))
	for k := range t.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	ua := false
	for _, k := range names {
		if strings.EqualFold(k, "Host") {
			continue
		}
		ua = ua || strings.EqualFold(k, "User-Agent")
		fmt.Fprintf(&b, "%s: %s\r\n", k, t.Headers[k])
	}
	if !ua {
		b.WriteString("User-Agent: " + defaultUserAgent + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

func (t Target) method() string {
	if t.Method == "" {
		return http.MethodGet
	}
	return t.Method
}

func (t Target) path() string {
	if t.Path == "" {
		return "/"
	}
	return t.Path
}

func (t Target) host() string {
	for k, v := range t.Headers {
		if strings.EqualFold(k, "Host") {
			return v
		}
	}
	if t.Host != "" {
		return t.Host
	}
	return t.Address
}
