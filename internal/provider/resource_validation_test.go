package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

func TestAccValidation_emptyNginxInFrontOfGunicornFails(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "nginxkeepalive_validation" "api" {
  nginx    = {}
  backends = [{ type = "gunicorn", name = "api" }]
}`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)nginx outlives gunicorn.*keepalive_timeout 60s\s+\(nginx 1\.30\.4's\s+default\).*gunicorn\s+"api".*--keep-alive`),
		}},
	})
}

func TestAccValidation_violationsFailThePlan(t *testing.T) {
	cases := map[string]struct {
		config string
		match  string
	}{
		"equal timeouts": {`nginx = { keepalive_timeout = "2s" }
  backends = [{ type = "custom", idle_timeout = "2s", max_requests_per_connection = 0 }]`, `not\s+shorter\s+than\s+custom's\s+idle\s+timeout\s+2s`},
		"requests above tomcat's cap": {`nginx = { keepalive_timeout = "5s", version = "1.22.1", keepalive = 16 }
  backends = [{ type = "tomcat" }]`, `keepalive_requests\s+1000.*not\s+below\s+tomcat's\s+cap\s+of\s+100`},
		"keepalive_time beyond connection age": {`nginx = { keepalive_timeout = "5s" }
  backends = [{ type = "custom", idle_timeout = "1m", max_requests_per_connection = 0, max_connection_age = "30m" }]`, `keepalive_time\s+1h.*maximum\s+connection\s+age\s+30m`},
		"client side shorter than the load balancer": {`nginx = { keepalive_timeout = "1s", client_keepalive_timeout = "60s" }
  backends      = [{ type = "gunicorn" }]
  load_balancer = { type = "aws-alb" }`, `the\s+load\s+balancer\s+outlives\s+nginx`},
		"unknown backend type": {`nginx = {}
  backends = [{ type = "gunicron" }]`, `did\s+you\s+mean\s+"gunicorn"`},
		"invalid nginx time": {`nginx = { keepalive_timeout = "10x" }
  backends = [{ type = "gunicorn" }]`, `Invalid\s+nginx\s+Time.*"10x"`},
		"custom without idle timeout": {`nginx = {}
  backends = [{ type = "gunicorn" }, { type = "custom" }]`, `Idle\s+Timeout\s+Required`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "resource \"nginxkeepalive_validation\" \"v\" {\n  " + tc.config + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + tc.match),
				}},
			})
		})
	}
}

func TestAccValidation_validConfigPlansAndApplies(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "nginxkeepalive_validation" "api" {
  nginx    = { keepalive_timeout = "1s", keepalive_requests = 99, keepalive = 16, version = "1.22.1" }
  backends = [{ type = "gunicorn" }, { type = "tomcat" }]
}`,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("nginxkeepalive_validation.api", "findings.#", "0"),
					resource.TestCheckResourceAttrSet("nginxkeepalive_validation.api", "id"),
				),
			},
			{
				// Changing inputs re-validates in place.
				Config: `
resource "nginxkeepalive_validation" "api" {
  nginx    = { keepalive_timeout = "5s", keepalive_requests = 99, keepalive = 16, version = "1.22.1" }
  backends = [{ type = "tomcat" }]
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nginxkeepalive_validation.api", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

func TestAccValidation_nearMissWarnsOrFails(t *testing.T) {
	base := `
resource "nginxkeepalive_validation" "near" {
  nginx    = { keepalive_timeout = "19500ms", keepalive_requests = 99 }
  backends = [{ type = "tomcat" }]
  %s
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sprintf(base, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("nginxkeepalive_validation.near", "findings.#", "1"),
					resource.TestMatchResourceAttr("nginxkeepalive_validation.near", "findings.0", regexp.MustCompile(`near miss with tomcat`)),
				),
			},
			{
				Config:      sprintf(base, "warnings_as_errors = true"),
				ExpectError: regexp.MustCompile(`near\s+miss\s+with\s+tomcat\s+\(warnings_as_errors\)`),
			},
		},
	})
}

func TestAccValidation_unknownAtPlanFailsAtApply(t *testing.T) {
	config := `
resource "terraform_data" "timeout" {
  input = "60s"
}

resource "nginxkeepalive_validation" "late" {
  nginx    = { keepalive_timeout = terraform_data.timeout.output }
  backends = [{ type = "gunicorn" }]
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// The plan succeeds: the value is unknown until terraform_data is applied.
			{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
			// Apply fails before the validation is stored.
			{Config: config, ExpectError: regexp.MustCompile(`nginx\s+outlives\s+gunicorn`)},
		},
	})
}

func TestAccValidation_unknownThatIsValidApplies(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "timeout" {
  input = "1s"
}

resource "nginxkeepalive_validation" "late" {
  nginx    = { keepalive_timeout = terraform_data.timeout.output }
  backends = [{ type = "gunicorn" }]
}`,
			Check: resource.TestCheckResourceAttr("nginxkeepalive_validation.late", "findings.#", "0"),
		}},
	})
}

func TestAccValidation_gatewayFabricPolicy(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "nginxkeepalive_validation" "ngf" {
  nginx                            = {}
  gateway_fabric_upstream_settings = { connections = 8 }
  backends                         = [{ type = "node", version = "20" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+Attribute\s+Combination`),
			},
			{
				// A hand-written policy that keeps NGF's pool but nginx's 60s timeout races Node.js.
				Config: `
resource "nginxkeepalive_validation" "ngf" {
  gateway_fabric_upstream_settings = { connections = 32 }
  backends = [{ type = "node", version = "20" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)nginx\s+outlives\s+node\s+20.*keepalive_timeout\s+60s`),
			},
			{
				// The recommendation's own NGF output passes (and is the config destroyed last).
				Config: `
data "nginxkeepalive_recommendation" "r" {
  backends = [{ type = "node", version = "20" }]
}
resource "nginxkeepalive_validation" "ngf" {
  gateway_fabric_upstream_settings = data.nginxkeepalive_recommendation.r.gateway_fabric_upstream_settings
  backends = [{ type = "node", version = "20" }]
}`,
				Check: resource.TestCheckResourceAttr("nginxkeepalive_validation.ngf", "findings.#", "0"),
			},
		},
	})
}
