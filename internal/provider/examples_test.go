package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccExamples applies the documentation examples, so the registry pages never show HCL
// that does not work. (The config example reads a file that only exists in a user's module.)
func TestAccExamples(t *testing.T) {
	examples := []string{
		"data-sources/nginxkeepalive_backend/data-source.tf",
		"data-sources/nginxkeepalive_recommendation/data-source.tf",
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
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   requireFunctions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: string(hcl)}},
			})
		})
	}
}
