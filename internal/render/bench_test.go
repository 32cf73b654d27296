package render

import (
	"fmt"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// BenchmarkUpstreamConfig renders a real recommendation (from the engine) as a full upstream
// block with 1, 10 and 100 servers.
func BenchmarkUpstreamConfig(b *testing.B) {
	for _, servers := range []int{1, 10, 100} {
		in := engine.Input{
			Backends:     []engine.Backend{{Type: "gunicorn"}, {Type: "tomcat"}, {Type: "node", Version: "20"}},
			NginxVersion: "1.22.1", UpstreamName: "api",
		}
		for i := range servers {
			in.Servers = append(in.Servers, fmt.Sprintf("10.0.%d.%d:8080 max_fails=3 fail_timeout=10s", i/250, i%250+1))
		}
		rec, err := engine.Recommend(in)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("servers=%d", servers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := UpstreamConfig(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkProxyConfig(b *testing.B) {
	rec, err := engine.Recommend(engine.Input{Backends: []engine.Backend{{Type: "gunicorn"}}, UpstreamName: "api"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProxyConfig(rec); err != nil {
			b.Fatal(err)
		}
	}
}
