package probetest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// The hostile handlers each do one wrong thing with the first request on every connection.
// Serve runs them: probetest.Serve(t, probetest.EndlessHeaders).

// NeverAnswers reads whatever comes and says nothing, until the client closes.
func NeverAnswers(_ *Server, c net.Conn) { _, _ = io.Copy(io.Discard, c) }

// AnswersWith writes raw after the first request and keeps the connection open, saying nothing
// more: a 5xx, an interim response only, bytes beyond a response.
func AnswersWith(raw string) Handler {
	return func(_ *Server, c net.Conn) {
		if readRequest(bufio.NewReader(c)) {
			_, _ = io.WriteString(c, raw)
		}
		_, _ = io.Copy(io.Discard, c)
	}
}

// WritesOnConnect writes raw as soon as a client connects, before any request (an SSH banner,
// say), and keeps the connection open.
func WritesOnConnect(raw string) Handler {
	return func(_ *Server, c net.Conn) {
		_, _ = io.WriteString(c, raw)
		_, _ = io.Copy(io.Discard, c)
	}
}

// DripsHeaders sends a complete response head of about 250 bytes, one byte every interval.
func DripsHeaders(every time.Duration) Handler {
	return func(_ *Server, c net.Conn) {
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

// EndlessHeaders sends a status line and then header lines without end.
func EndlessHeaders(_ *Server, c net.Conn) {
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

// HugeBody answers with a body of size bytes (zeros), its length declared.
func HugeBody(size int64) Handler {
	return func(_ *Server, c net.Conn) {
		if !readRequest(bufio.NewReader(c)) {
			return
		}
		if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", size); err != nil {
			return
		}
		_, _ = io.Copy(c, io.LimitReader(zeros{}, size))
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// DripsBody declares a body of 100 bytes, sends 3 and keeps the connection open.
func DripsBody(_ *Server, c net.Conn) {
	if !readRequest(bufio.NewReader(c)) {
		return
	}
	if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"); err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, c)
}

// CutsBodyShort declares a body of 100 bytes, sends 3 and closes.
func CutsBodyShort(_ *Server, c net.Conn) {
	if readRequest(bufio.NewReader(c)) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
	}
}

// ClosesWithoutAnswer reads the first request and closes.
func ClosesWithoutAnswer(_ *Server, c net.Conn) { _ = readRequest(bufio.NewReader(c)) }

// ClosesMidHeaders sends part of a response head and closes.
func ClosesMidHeaders(_ *Server, c net.Conn) {
	if readRequest(bufio.NewReader(c)) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Le")
	}
}

// PlainHTTP answers whatever comes first (a TLS ClientHello, say) with a 400 and closes, as
// nginx's plain HTTP port does.
func PlainHTTP(_ *Server, c net.Conn) {
	if _, err := c.Read(make([]byte, 512)); err == nil {
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	}
}

// readRequest reads one request's head and says whether it could.
func readRequest(br *bufio.Reader) bool {
	_, err := http.ReadRequest(br)
	return err == nil
}
