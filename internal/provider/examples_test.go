package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe/probetest"
)

// exampleBackend is the address the probe example measures; the test serves a backend there.
const exampleBackend = "127.0.0.1:8000"

// TestAccExamples applies the documentation examples, so the registry pages never show HCL
// that does not work. (The config example reads a file that only exists in a user's module; the
// probe example measures a loopback server started here.)
func TestAccExamples(t *testing.T) {
	examples := []string{
		"data-sources/nginxkeepalive_backend/data-source.tf",
		"data-sources/nginxkeepalive_recommendation/data-source.tf",
		"data-sources/nginxkeepalive_probe/data-source.tf",
		"resources/nginxkeepalive_validation/resource.tf",
		"functions/violations/function.tf",
		"functions/duration_ms/function.tf",
		"provider/provider.tf",
	}
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			hcl, err := os.ReadFile(filepath.Join("..", "..", "examples", example))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(hcl), exampleBackend) {
				// A gunicorn-like backend: closes idle connections after 2s, no request cap.
				addr := probetest.KeepAlive{IdleClose: 2 * time.Second}.Start(t).Addr
				hcl = []byte(strings.ReplaceAll(string(hcl), exampleBackend, addr))
			}
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   requireFunctions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: string(hcl)}},
			})
		})
	}
}
