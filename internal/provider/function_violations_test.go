package provider

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccFunctionViolations_known(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   requireFunctions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
locals {
  backends = [{ type = "gunicorn", name = "api" }, { type = "tomcat", version = "10.1" }]
}
output "racing"  { value = provider::nginxkeepalive::violations({ keepalive_timeout = "60s" }, local.backends) }
output "safe"    { value = provider::nginxkeepalive::violations({ keepalive_timeout = "1s", keepalive_requests = 99 }, local.backends) }
output "default" { value = provider::nginxkeepalive::violations({}, [{ type = "gunicorn" }]) }
output "bare_number_seconds" { value = provider::nginxkeepalive::violations({ keepalive_timeout = 1 }, [{ type = "gunicorn" }]) }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("racing", knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.StringRegexp(regexp.MustCompile(`gunicorn "api".*--keep-alive`)),
				})),
				statecheck.ExpectKnownOutputValue("safe", knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("default", knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownOutputValue("bare_number_seconds", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

// TestAccFunctionViolations_nullMeansDefaults: on Terraform a literal null for nginx means nginx's
// defaults. OpenTofu 1.12 leaves a call with a literal null unknown (null after apply) and rejects a
// typed null before the provider sees it, so the documented form there is {} (the test above).
func TestAccFunctionViolations_nullMeansDefaults(t *testing.T) {
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skip("OpenTofu 1.12 does not pass a null nginx argument to the provider; {} is covered by TestAccFunctionViolations_known")
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   requireFunctions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `output "default" { value = provider::nginxkeepalive::violations(null, [{ type = "gunicorn" }]) }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("default", knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

func TestAccFunctionViolations_unknownArgumentStaysUnknown(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   requireFunctions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "t" { input = "60s" }
output "v" { value = provider::nginxkeepalive::violations({ keepalive_timeout = terraform_data.t.output }, [{ type = "gunicorn" }]) }
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownOutputValue("v"),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("v", knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

func TestAccFunctionViolations_argumentErrors(t *testing.T) {
	cases := map[string]string{
		`provider::nginxkeepalive::violations({ keepalive_timeout = "10x" }, [{ type = "gunicorn" }])`: `nginx\.keepalive_timeout.*"10x"`,
		`provider::nginxkeepalive::violations({}, [{ typo = "gunicorn" }])`:                            `backends\[0\]\s+has\s+unsupported\s+attribute`,
		`provider::nginxkeepalive::violations({}, [{ type = "gunicron" }])`:                            `did\s+you\s+mean\s+"gunicorn"`,
		`provider::nginxkeepalive::violations({}, null)`:                                               `backends`,
		`provider::nginxkeepalive::violations({ keepalive_requests = 1.5 }, [{ type = "gunicorn" }])`:  `whole\s+number`,
		`provider::nginxkeepalive::violations("60s", [{ type = "gunicorn" }])`:                         `nginx\s+must\s+be\s+an\s+object`,
		`provider::nginxkeepalive::violations({ version = "one" }, [{ type = "gunicorn" }])`:           `invalid\s+nginx\s+version`,
	}
	for call, match := range cases {
		t.Run(call, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   requireFunctions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `output "v" { value = ` + call + ` }`,
					ExpectError: regexp.MustCompile(`(?s)` + match),
				}},
			})
		})
	}
}
