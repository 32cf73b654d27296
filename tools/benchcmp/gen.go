// Package benchcmp compares the cost of nginxconf's full analysis with
// nginx-go-crossplane's plain parse of the same files (issue 7). It is a module of its own
// so that crossplane never enters the provider's go.mod.
package benchcmp

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

// Sizes are the generated configurations compared: 10,000 upstreams is about 5.7 MB.
var Sizes = []int{100, 1000, 10000}

// WriteConfig writes the generated configuration with n upstreams to dir/nginx-N.conf.
func WriteConfig(dir string, n int) (string, error) {
	p := filepath.Join(dir, fmt.Sprintf("nginx-%d.conf", n))
	if err := os.WriteFile(p, []byte(nginxconftest.IngressStyleConfig(n, true)), 0o600); err != nil {
		return "", fmt.Errorf("writing the generated configuration: %w", err)
	}
	return p, nil
}
