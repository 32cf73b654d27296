package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccFunctionDurationMs(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   requireFunctions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
output "mixed" { value = provider::nginxkeepalive::duration_ms("1m30s") }
output "bare"  { value = provider::nginxkeepalive::duration_ms("75") }
output "ms"    { value = provider::nginxkeepalive::duration_ms("500ms") }
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("mixed", knownvalue.Int64Exact(90000)),
					statecheck.ExpectKnownOutputValue("bare", knownvalue.Int64Exact(75000)),
					statecheck.ExpectKnownOutputValue("ms", knownvalue.Int64Exact(500)),
				},
			},
			{
				Config:      `output "bad" { value = provider::nginxkeepalive::duration_ms("1y") }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+function\s+argument.*years\s+are\s+not\s+allowed`),
			},
			{
				Config:      `output "null" { value = provider::nginxkeepalive::duration_ms(null) }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+function\s+argument.*null`),
			},
		},
	})
}
