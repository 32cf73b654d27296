package nginxconf

import (
	"fmt"
	"testing"

	"github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

// BenchmarkAnalyze measures the whole analysis (guard, gonginx parse, walk, findings)
// of ingress-nginx-shaped configurations; 10,000 upstreams is about 5 MB.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		conf := nginxconftest.IngressStyleConfig(n, true)
		b.Run(fmt.Sprintf("upstreams=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(conf)))
			for b.Loop() {
				a, err := AnalyzeContent(conf, Options{NginxVersion: "1.22.1"})
				if err != nil || len(a.Upstreams) != n {
					b.Fatalf("%v, %d upstreams", err, len(a.Upstreams))
				}
			}
		})
	}
}

// BenchmarkGonginxParseOnly is the baseline: gonginx alone on the same text, without the
// guard, include handling or analysis, so the cost of the guard rails shows as a ratio.
func BenchmarkGonginxParseOnly(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		conf := nginxconftest.IngressStyleConfig(n, true)
		b.Run(fmt.Sprintf("upstreams=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(conf)))
			for b.Loop() {
				if _, err := parser.NewStringParser(conf, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments()).Parse(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
