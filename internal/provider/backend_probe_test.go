package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// probeLocals are probe objects shaped like data.nginxkeepalive_probe: every input and output,
// of which a backend reads only some. "api" closed idle connections after 2300 ms and ended a
// connection after 7 responses without saying so; "slow" stayed open for its whole 75 s wait and
// had no cap within 200 responses; "oneshot" answered with Connection: close.
const probeLocals = `
locals {
  probe = {
    address = "127.0.0.1:8000", url = null, method = "GET", path = "/", headers = { "X-Probe" = "1" }
    samples = 3, max_wait = "75s", request_cap_probe = 200
    tls = { server_name = "api.internal", ca_pem = null, insecure_skip_verify = false }
    idle_timeout = "2300ms", idle_timeout_ms = 2300, idle_timeout_at_least = null, close = "fin"
    max_requests_per_connection = 7, announces_last = false, requests_probed = 7
    samples_ms = [2300, 2051, 2063], http_version = "HTTP/1.1", server = "gunicorn/23.0.0"
  }
  slow = merge(local.probe, {
    address = "127.0.0.1:8001", idle_timeout = null, idle_timeout_ms = null, idle_timeout_at_least = "75s", close = "open"
    max_requests_per_connection = null, announces_last = null, requests_probed = 200, samples_ms = [75000, 75000, 75000]
  })
  oneshot = merge(local.probe, {
    address = "127.0.0.1:8002", idle_timeout = "0ms", idle_timeout_ms = 0, close = "connection_close"
    max_requests_per_connection = 1, announces_last = true, requests_probed = 1, samples_ms = [0, 0, 0]
  })
}
`

// The recommendation takes the full object: Terraform drops what the schema does not declare,
// and the measurement tightens the catalogue (tomcat's 20s and 100) or stands alone without type.
func TestAccRecommendation_probe(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: probeLocals + `
data "nginxkeepalive_recommendation" "tomcat" {
  nginx_version = "1.22.1"
  backends      = [{ type = "tomcat", probe = local.probe }]
}
data "nginxkeepalive_recommendation" "untyped" {
  nginx_version = "1.22.1"
  backends      = [{ name = "api", probe = local.probe }]
}
data "nginxkeepalive_recommendation" "open" {
  nginx_version = "1.22.1"
  backends      = [{ type = "custom", idle_timeout = "120s", probe = local.slow }]
}
data "nginxkeepalive_recommendation" "oneshot" {
  backends = [{ type = "gunicorn", probe = local.oneshot }]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.tomcat", tfjsonpath.New("keepalive_timeout"), knownvalue.StringExact("1300ms")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.tomcat", tfjsonpath.New("keepalive_requests"), knownvalue.Int64Exact(6)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.tomcat", tfjsonpath.New("explanation"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.StringExact("keepalive_timeout 1300ms = tomcat's idle timeout 2300ms (measured 2300ms by probing 127.0.0.1:8000 (fin)) - margin 1s (the larger of 1s and 10% of the limit)"),
					1: knownvalue.StringExact("keepalive_requests 6 = tomcat's cap of 7 requests per connection (measured 7 responses per connection by probing 127.0.0.1:8000 (closed without Connection: close)) - margin 1"),
				})),
				// Without type the probe supplies every limit, and messages name the address.
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.untyped", tfjsonpath.New("keepalive_timeout"), knownvalue.StringExact("1300ms")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.untyped", tfjsonpath.New("keepalive_requests"), knownvalue.Int64Exact(6)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.untyped", tfjsonpath.New("explanation").AtSliceIndex(0),
					knownvalue.StringRegexp(regexp.MustCompile(`^keepalive_timeout 1300ms = 127\.0\.0\.1:8000 "api"'s idle timeout 2300ms \(measured 2300ms`))),
				// Open for 75s counts as 75s, tighter than the declared 120s; no cap within 200 counts as 200.
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.open", tfjsonpath.New("keepalive_timeout"), knownvalue.StringExact("60s")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.open", tfjsonpath.New("keepalive_requests"), knownvalue.Int64Exact(199)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.open", tfjsonpath.New("explanation"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.StringRegexp(regexp.MustCompile(`custom's idle timeout 75s minus the margin 7500ms \(measured: still open after 75s by probing 127\.0\.0\.1:8001, counted as 75s\)`)),
					1: knownvalue.StringRegexp(regexp.MustCompile(`cap of 200 requests per connection \(measured: no cap within 200 responses per connection by probing 127\.0\.0\.1:8001, counted as 200\)`)),
				})),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.oneshot", tfjsonpath.New("keepalive_enabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.oneshot", tfjsonpath.New("keepalive"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_recommendation.oneshot", tfjsonpath.New("explanation").AtSliceIndex(0),
					knownvalue.StringRegexp(regexp.MustCompile(`gunicorn does not keep connections alive .*source: measured by probing 127\.0\.0\.1:8002: the server answered with Connection: close`))),
			},
		}},
	})
}

// The resource fails a plan that races the measured backend, naming the measurement; a plan
// whose probe is unknown until apply is not failed, and the check at apply still catches it.
func TestAccValidation_probe(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: probeLocals + `
resource "nginxkeepalive_validation" "v" {
  nginx    = { keepalive_timeout = "5s", version = "1.22.1", keepalive = 16 }
  backends = [{ type = "tomcat", probe = local.probe }]
}`,
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)nginx outlives tomcat.*` + words(`keepalive_timeout 5s (as set) is not shorter than tomcat's idle timeout 2300ms (measured 2300ms by probing 127.0.0.1:8000 (fin))`) +
					`.*nginx reuses connections more often than tomcat.*` + words(`cap of 7 requests per connection (measured 7 responses per connection by probing 127.0.0.1:8000 (closed without Connection: close))`)),
			},
			{
				Config: probeLocals + `
resource "nginxkeepalive_validation" "v" {
  nginx    = { keepalive_timeout = "1s", keepalive_requests = 6, version = "1.22.1", keepalive = 16 }
  backends = [{ name = "api", probe = local.probe }]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("nginxkeepalive_validation.v", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				// A whole nginx.conf: upstreams is a dynamic value, so the full object arrives as-is.
				Config: probeLocals + `
resource "nginxkeepalive_validation" "v" {
  nginx_config = "http {\n upstream api { server 127.0.0.1:8000; keepalive 16; keepalive_timeout 5s; keepalive_requests 6; }\n}"
  upstreams    = { api = [{ name = "api", probe = local.probe }] }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)upstream\s+api.*` + words(`keepalive_timeout 5s (as set) is not shorter than 127.0.0.1:8000 "api"'s idle timeout 2300ms (measured 2300ms by probing 127.0.0.1:8000 (fin))`)),
			},
		},
	})
}

func TestAccValidation_unknownProbeDoesNotFailThePlan(t *testing.T) {
	config := func(probe, timeout string) string {
		return probeLocals + `
resource "terraform_data" "probe" { input = local.probe }
resource "terraform_data" "ms" { input = 2300 }
resource "nginxkeepalive_validation" "v" {
  nginx    = { keepalive_timeout = "` + timeout + `", keepalive_requests = 6 }
  backends = [{ name = "api", probe = ` + probe + ` }]
}`
	}
	for name, probe := range map[string]string{
		"whole object":  `terraform_data.probe.output`,
		"one attribute": `merge(local.probe, { idle_timeout_ms = terraform_data.ms.output })`,
	} {
		t.Run(name+"/safe", func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config(probe, "1s"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue("nginxkeepalive_validation.v", tfjsonpath.New("id")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("nginxkeepalive_validation.v", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{})),
					},
				}},
			})
		})
		// Racing the measurement: the plan passes while the probe is unknown, apply fails.
		t.Run(name+"/racing", func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config(probe, "60s"), PlanOnly: true, ExpectNonEmptyPlan: true},
					{Config: config(probe, "60s"),
						ExpectError: regexp.MustCompile(`(?s)` + words(`keepalive_timeout 60s (as set) is not shorter than 127.0.0.1:8000 "api"'s idle timeout 2300ms (measured 2300ms`))},
				},
			})
		})
	}
}

// violations() reads the probe object as a dynamic value, with every attribute the data source
// has, and names the measurement in its messages.
func TestAccFunctionViolations_probe(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   requireFunctions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: probeLocals + `
output "racing" { value = provider::nginxkeepalive::violations({ keepalive_timeout = "5s" }, [{ type = "tomcat", probe = local.probe }]) }
output "safe"   { value = provider::nginxkeepalive::violations({ keepalive_timeout = "1s", keepalive_requests = 6 }, [{ probe = local.probe }]) }
output "open"   { value = provider::nginxkeepalive::violations({ keepalive_timeout = "75s", version = "1.30.4" }, [{ probe = local.slow }]) }
output "capfree" { value = provider::nginxkeepalive::violations({ keepalive_timeout = "60s", version = "1.30.4" }, [{ type = "custom", max_requests_per_connection = 0, probe = local.slow }]) }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("racing", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringRegexp(regexp.MustCompile(`^nginx outlives tomcat: .*tomcat's idle timeout 2300ms \(measured 2300ms by probing 127\.0\.0\.1:8000 \(fin\)\)`)),
					knownvalue.StringRegexp(regexp.MustCompile(`cap of 7 requests per connection \(measured 7 responses per connection by probing 127\.0\.0\.1:8000 \(closed without Connection: close\)\)`)),
				})),
				statecheck.ExpectKnownOutputValue("safe", knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("open", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringRegexp(regexp.MustCompile(`keepalive_timeout 75s \(as set\) is not shorter than 127\.0\.0\.1:8001's idle timeout 75s \(measured: still open after 75s by probing 127\.0\.0\.1:8001, counted as 75s\)`)),
					// Nothing else declares a cap: no cap within 200 responses counts as 200, below nginx's default 1000.
					knownvalue.StringRegexp(regexp.MustCompile(`keepalive_requests 1000 \(nginx 1\.30\.4's default\) is not below 127\.0\.0\.1:8001's cap of 200 requests per connection \(measured: no cap within 200 responses per connection by probing 127\.0\.0\.1:8001, counted as 200\)`)),
				})),
				// A declared "no cap" stands: none within 200 does not lower it.
				statecheck.ExpectKnownOutputValue("capfree", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

// A bad probe value gets one message on every path: the attribute path, the value and the fix.
func TestAccProbeBadValueSameMessage(t *testing.T) {
	sameMessageOnEveryPath(t, probeLocals, map[string]string{
		`{ close = "closed" }`:       `backends[0].probe.close: "closed" is not how a probed connection ends; want "fin", "rst", "connection_close" or "open"; pass the data source's object as-is: probe = data.nginxkeepalive_probe.NAME`,
		`{ idle_timeout_ms = -5 }`:   `backends[0].probe.idle_timeout_ms: -5 is negative; a measured idle close is 0 ms or more`,
		`{ idle_timeout_ms = null }`: `backends[0].probe.idle_timeout_ms is null while close is "fin"`,
	}, func(value string) string {
		return `[{ type = "tomcat", probe = merge(local.probe, ` + value + `) }]`
	})
}
