//go:build lab

package nginxsrc

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBuildsEveryVersion builds (once; later runs reuse the cache) every version the lab uses
// from the real release tarballs and checks each binary reports its version and our configure
// arguments.
func TestBuildsEveryVersion(t *testing.T) {
	f, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Versions {
		start := time.Now()
		bin, err := f.Binary(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-V").CombinedOutput()
		if err != nil {
			t.Fatalf("%s -V: %v\n%s", bin, err, out)
		}
		if !strings.Contains(string(out), "nginx version: nginx/"+v+"\n") {
			t.Errorf("%s -V does not report nginx/%s:\n%s", bin, v, out)
		}
		for _, arg := range ConfigureArgs {
			if !strings.Contains(string(out), arg) {
				t.Errorf("%s was not configured with %s:\n%s", bin, arg, out)
			}
		}
		t.Logf("nginx %s: %s (%.1f s)", v, bin, time.Since(start).Seconds())
	}
}
