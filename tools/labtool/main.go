// Command labtool is the lab's Go helper, run as its own process: "serve" is a Go net/http
// backend with an explicit IdleTimeout (and optionally a silent per-connection request cap);
// "load" sends bounded steady GET load and prints counts as JSON (used inside a network
// namespace, where the test process cannot dial).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: labtool serve|load [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "load":
		err = load(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "labtool:", err)
		os.Exit(1)
	}
}

type connKey struct{}

const okResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	idle := fs.Duration("idle", 3*time.Second, "http.Server IdleTimeout")
	maxRequests := fs.Int64("cap", 0, "close the connection silently (no Connection: close) after this many responses; 0 = never")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv := &http.Server{
		Addr:        *addr,
		IdleTimeout: *idle,
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, new(atomic.Int64))
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			counter, ok := r.Context().Value(connKey{}).(*atomic.Int64)
			if ok && *maxRequests > 0 && counter.Add(1) >= *maxRequests {
				closeSilently(w)
				return
			}
			_, _ = io.WriteString(w, "ok\n")
		}),
	}
	return srv.ListenAndServe()
}

// closeSilently answers without "Connection: close" and then closes the socket, as servers
// with a hard per-connection cap do.
func closeSilently(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString(okResponse)
	_ = buf.Flush()
	_ = conn.Close()
}

type counts struct {
	Sent       int `json:"sent"`
	OK         int `json:"ok"`
	BadGateway int `json:"bad_gateway"`
	Other      int `json:"other_status"`
	Errors     int `json:"client_errors"`
}

func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	url := fs.String("url", "", "target URL")
	conc := fs.Int("c", 32, "concurrent clients")
	total := fs.Int("n", 1000, "requests in all")
	maxTime := fs.Duration("max", 60*time.Second, "time bound")
	wait := fs.Duration("wait", 10*time.Second, "how long to wait for the target to answer first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc * 2}}
	if err := waitFor(client, *url, *wait); err != nil {
		return err
	}
	deadline := time.Now().Add(*maxTime)
	var (
		mu   sync.Mutex
		out  counts
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(*total) && time.Now().Before(deadline) {
				c := get(client, *url)
				mu.Lock()
				out.Sent++
				out.OK += c.OK
				out.BadGateway += c.BadGateway
				out.Other += c.Other
				out.Errors += c.Errors
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return json.NewEncoder(os.Stdout).Encode(out)
}

func get(client *http.Client, url string) counts {
	resp, err := client.Get(url)
	if err != nil {
		return counts{Errors: 1}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return counts{OK: 1}
	case http.StatusBadGateway:
		return counts{BadGateway: 1}
	default:
		return counts{Other: 1}
	}
}

func waitFor(client *http.Client, url string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer 200 within %s (last error: %v)", url, wait, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
