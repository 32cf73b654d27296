package engine

import (
	"fmt"
	"testing"
	"time"
)

// benchInput declares n backends cycling through common catalogue types, a few with
// overrides, so resolution, overrides and every rule are exercised.
func benchInput(n int) Input {
	types := []string{"gunicorn", "tomcat", "node", "puma", "uvicorn", "go-net-http", "jetty", "custom"}
	in := Input{NginxVersion: "1.22.1", PeakRequestsPerSecond: 5000, PeakConcurrency: 400, WorkerProcesses: 4}
	for i := range n {
		b := Backend{Type: types[i%len(types)], Name: fmt.Sprintf("b%d", i)}
		if b.Type == "node" {
			b.Version = "20"
		}
		if b.Type == "custom" {
			idle, requests := time.Duration(30+i%30)*time.Second, int64(1000+i)
			b.IdleTimeout, b.MaxRequests = &idle, &requests
		}
		in.Backends = append(in.Backends, b)
	}
	return in
}

var benchSizes = []int{1, 10, 1000}

func BenchmarkRecommend(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		b.Run(fmt.Sprintf("backends=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Recommend(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCheck(b *testing.B) {
	timeout, requests, pool := 60*time.Second, int64(1000), int64(32)
	ng := Nginx{KeepaliveTimeout: &timeout, KeepaliveRequests: &requests, Keepalive: &pool, Version: "1.22.1"}
	for _, n := range benchSizes {
		in := benchInput(n)
		b.Run(fmt.Sprintf("backends=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				vs, err := Check(in, ng)
				if err != nil || len(vs) == 0 {
					b.Fatalf("want violations for nginx's 60s default: %d, %v", len(vs), err)
				}
			}
		})
	}
}
