//go:build lab

package lab

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// burstPlan lands bursts of K parallel POSTs through nginx with pauses around the backend's
// idle deadline: the pause after burst i is Center + Offsets[i % len(Offsets)], measured from the
// burst's last response. nginx's pool is LIFO, so steady load would never let connections idle.
type burstPlan struct {
	K       int
	Bursts  int
	Center  time.Duration
	Offsets []time.Duration
	// Deadline bounds the whole run in time (Bursts bounds it in count).
	Deadline time.Time
}

func newLoadClient() *http.Client {
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			DisableCompression:  true,
		},
	}
}

// post sends one POST and classifies the answer.
func post(ctx context.Context, client *http.Client, url string) raceResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("order=lab&qty=1"))
	if err != nil {
		return raceResult{Sent: 1, ClientError: 1}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return raceResult{Sent: 1, ClientError: 1}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	r := raceResult{Sent: 1}
	switch resp.StatusCode {
	case http.StatusOK:
		r.OK = 1
	case http.StatusBadGateway:
		r.BadGateway = 1
	default:
		r.OtherStatus = 1
	}
	if strings.Contains(resp.Header.Get("X-Upstream-Status"), ",") {
		r.Retried = 1
	}
	return r
}

// runBursts executes the plan against nginx at addr.
func runBursts(ctx context.Context, nginxAddr string, plan burstPlan) raceResult {
	client := newLoadClient()
	defer client.CloseIdleConnections()
	url := "http://" + nginxAddr + "/"
	start := time.Now()
	var total raceResult
	var paused time.Duration // before the first burst: none
	for i := 0; i < plan.Bursts && time.Now().Before(plan.Deadline) && ctx.Err() == nil; i++ {
		r := burst(ctx, client, url, plan.K)
		if r.BadGateway > 0 && paused > 0 {
			r.HitPausesMS = append(r.HitPausesMS, float64(paused.Microseconds())/1000)
		}
		total.add(r)
		total.Bursts++
		if i == plan.Bursts-1 {
			break
		}
		pause := plan.Center
		if len(plan.Offsets) > 0 {
			pause += plan.Offsets[i%len(plan.Offsets)]
		}
		slept := time.Now()
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		paused = time.Since(slept)
	}
	total.Seconds = time.Since(start).Seconds()
	return total
}

// burst sends k POSTs at once and waits for all answers.
func burst(ctx context.Context, client *http.Client, url string, k int) raceResult {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		out   raceResult
		start = make(chan struct{})
	)
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := post(ctx, client, url)
			mu.Lock()
			out.add(r)
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// steady sends total POSTs from c concurrent clients (c <= the pool, so nginx keeps its
// connections until they reach a request cap), bounded by deadline.
// steadyBoth runs the same steady POST load through both nginxes at once, so noise on the
// machine hits both alike, and adds each one's error-log counts.
func steadyBoth(nginxes [2]*nginxInstance, conc, total int, budget time.Duration) [2]raceResult {
	var out [2]raceResult
	var wg sync.WaitGroup
	deadline := time.Now().Add(budget)
	for i := range nginxes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = steady(context.Background(), nginxes[i].Addr, conc, total, deadline)
			out[i].Log = nginxes[i].errorLogCounts()
		}()
	}
	wg.Wait()
	return out
}

func steady(ctx context.Context, nginxAddr string, c, total int, deadline time.Time) raceResult {
	client := newLoadClient()
	defer client.CloseIdleConnections()
	url := "http://" + nginxAddr + "/"
	start := time.Now()
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		out  raceResult
		next = make(chan struct{}, total)
	)
	for range total {
		next <- struct{}{}
	}
	close(next)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				if time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				r := post(ctx, client, url)
				mu.Lock()
				out.add(r)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	out.Seconds = time.Since(start).Seconds()
	return out
}
