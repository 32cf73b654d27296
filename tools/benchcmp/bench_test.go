package benchcmp

import (
	"fmt"
	"os"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/procenv"
)

// configs maps an upstream count to its generated file, written once per run.
var configs = map[int]string{}

func TestMain(m *testing.M) {
	// The provider runs the analysis in a process tuned by procenv (GOGC=200 unless GOGC is
	// set); both sides of the comparison run in this process under the same settings.
	procenv.Tune()
	dir, err := os.MkdirTemp("", "benchcmp-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, n := range Sizes {
		if configs[n], err = WriteConfig(dir, n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestSameAnswer makes sure both sides read the whole of every file, so the benchmark
// compares equal work.
func TestSameAnswer(t *testing.T) {
	for _, n := range Sizes {
		ours, err := Ours(configs[n])
		if err != nil || ours != n {
			t.Fatalf("ours on %d upstreams: %d, %v", n, ours, err)
		}
		for _, checks := range []bool{false, true} {
			theirs, err := Crossplane(configs[n], checks)
			if err != nil || theirs != n {
				t.Fatalf("crossplane (checks=%v) on %d upstreams: %d, %v", checks, n, theirs, err)
			}
		}
	}
}

// BenchmarkCompare runs, per size and in the same process, nginxconf's full analysis and
// crossplane's parse of the same file; scripts/bench-compare.sh prints the ratios.
func BenchmarkCompare(b *testing.B) {
	for _, n := range Sizes {
		path := configs[n]
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		run := func(name string, parse func(string) (int, error)) {
			b.Run(fmt.Sprintf("upstreams=%d/%s", n, name), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(st.Size())
				for b.Loop() {
					if got, err := parse(path); err != nil || got != n {
						b.Fatalf("%d upstreams, %v", got, err)
					}
				}
			})
		}
		run("nginxconf", Ours)
		run("crossplane", func(p string) (int, error) { return Crossplane(p, false) })
		run("crossplane-checks", func(p string) (int, error) { return Crossplane(p, true) })
	}
}
