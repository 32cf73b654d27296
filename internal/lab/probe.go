//go:build lab

package lab

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
)

const probeRequest = "GET / HTTP/1.1\r\nHost: lab\r\nUser-Agent: nginxkeepalive-lab\r\n\r\n"

// probeCap sends requests one after another on one connection until the server closes it
// (header or socket), or limit responses / maxTime pass (then Ended is false).
func probeCap(addr string, limit int, maxTime time.Duration) (capResult, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return capResult{}, fmt.Errorf("dial %s: %w", addr, err)
	}
	defer func() { _ = conn.Close() }()
	br := bufio.NewReader(conn)
	res := capResult{How: "limit"}
	stop := time.Now().Add(maxTime)
	for res.Responses < limit && time.Now().Before(stop) {
		_ = conn.SetDeadline(time.Now().Add(15 * time.Second)) // per request: a slow server is not a closing one
		closeHeader, err := roundTrip(conn, br)
		if err != nil {
			if res.Responses == 0 || errors.Is(err, os.ErrDeadlineExceeded) {
				return res, fmt.Errorf("request %d to %s: %w", res.Responses+1, addr, err)
			}
			res.Ended = true
			res.How = "FIN"
			if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
				res.How = "RST"
			}
			return res, nil
		}
		res.Responses++
		if closeHeader {
			res.Ended, res.How = true, "Connection: close"
			return res, nil
		}
	}
	return res, nil
}

// roundTrip writes one request and reads its full response; it reports Connection: close.
func roundTrip(conn net.Conn, br *bufio.Reader) (bool, error) {
	if _, err := io.WriteString(conn, probeRequest); err != nil {
		return false, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return false, err
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return false, err
	}
	_ = resp.Body.Close()
	return resp.Close, nil
}

// burstClose is one connection of a burst probe: when the server closed it.
type burstClose struct {
	Idle       time.Duration // since this connection's own response: the server's idle close
	AfterBurst time.Duration // since the burst's last response: what a race's pause must match
	How        string
	Closed     bool
}

// probeIdleBurst mimics a burst through nginx: k connections send one request each at once,
// read their responses, then wait (up to maxWait) for the server to close them. The close
// times after the burst's end are the race's targets; each connection's own idle time is the
// conformance measurement.
func probeIdleBurst(addr string, k int, maxWait time.Duration) ([]burstClose, error) {
	conns := make([]net.Conn, k)
	readers := make([]*bufio.Reader, k)
	for i := range conns {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", addr, err)
		}
		defer func() { _ = c.Close() }()
		conns[i], readers[i] = c, bufio.NewReader(c)
	}
	type answer struct {
		end         time.Time
		closeHeader bool
		err         error
	}
	answers := make([]answer, k)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_ = conns[i].SetDeadline(time.Now().Add(30 * time.Second))
			closeHeader, err := roundTrip(conns[i], readers[i])
			answers[i] = answer{end: time.Now(), closeHeader: closeHeader, err: err}
		}()
	}
	close(start)
	wg.Wait()
	var burstEnd time.Time
	for _, a := range answers {
		if a.err != nil {
			return nil, fmt.Errorf("burst request to %s: %w", addr, a.err)
		}
		if a.end.After(burstEnd) {
			burstEnd = a.end
		}
	}
	out := make([]burstClose, k)
	for i := range conns {
		if answers[i].closeHeader {
			out[i] = burstClose{Closed: true, How: "Connection: close"}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = conns[i].SetDeadline(burstEnd.Add(maxWait))
			var one [1]byte
			n, err := readers[i].Read(one[:])
			now := time.Now()
			bc := burstClose{Idle: now.Sub(answers[i].end), AfterBurst: now.Sub(burstEnd), Closed: true}
			switch {
			case n > 0:
				bc.How, bc.Closed = "data", false
			case errors.Is(err, os.ErrDeadlineExceeded):
				bc.How, bc.Closed = "open", false
			case errors.Is(err, syscall.ECONNRESET):
				bc.How = "RST"
			default:
				bc.How = "FIN"
			}
			out[i] = bc
		}()
	}
	wg.Wait()
	return out, nil
}
