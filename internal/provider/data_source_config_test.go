package provider

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const dsConfig = "data.nginxkeepalive_config.c"

// includesConf is the absolute path of a small real-world-shaped config with a glob include.
func includesConf(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("testdata/config-includes/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAccConfig_fileWithIncludes(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_config" "c" {
  path          = "` + includesConf(t) + `"
  nginx_version = "1.22.1"
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dsConfig, "upstreams.api.keepalive", "16"),
				resource.TestCheckResourceAttr(dsConfig, "upstreams.api.keepalive_timeout", "30s"),
				resource.TestCheckResourceAttr(dsConfig, "upstreams.api.keepalive_requests", "1000"), // nginx 1.22's default
				resource.TestCheckResourceAttr(dsConfig, "upstreams.api.keepalive_time", "1h"),
				resource.TestCheckResourceAttr(dsConfig, "upstreams.api.servers.0", "127.0.0.1:8000"),
				resource.TestMatchResourceAttr(dsConfig, "upstreams.api.file", regexp.MustCompile(`conf\.d/api\.conf$`)),
				resource.TestCheckResourceAttr(dsConfig, "upstreams.legacy.keepalive_timeout", "60s"),
				resource.TestCheckResourceAttr(dsConfig, "client_keepalive_timeout", "65s"),
				resource.TestCheckResourceAttr(dsConfig, "proxies.#", "2"),
				resource.TestCheckResourceAttr(dsConfig, "proxies.0.keepalive_effective", "true"),
				resource.TestCheckResourceAttr(dsConfig, "proxies.1.upstream", "legacy"),
				resource.TestCheckResourceAttr(dsConfig, "proxies.1.proxy_http_version", "1.0"),
				resource.TestCheckResourceAttr(dsConfig, "proxies.1.keepalive_effective", "false"),
				resource.TestMatchResourceAttr(dsConfig, "findings.0.message", regexp.MustCompile(`.+`)),
			),
		}},
	})
}

func TestAccConfig_malformedAndEscapes(t *testing.T) {
	cases := map[string]string{
		`content = "http { upstream a { server x; } } }"`:                             `(?i)brace|\}`,
		`content = "http { upstream a { server x } }"`:                                `(?i)semicolon|;`,
		`content = "http { include /etc/passwd; }"` + "\n" + `strict_includes = true`: `(?i)include`,
		`path = "/nonexistent/nginx.conf"`:                                            `(?i)nonexistent|no such|not found|cannot`,
		`content = "x"` + "\n" + `path = "/tmp/x"`:                                    `(?i)Invalid\s+Attribute\s+Combination`,
		`content = "http { upstream a { keepalive many; } }"`:                         `(?i)keepalive`,
		`content = "http { upstream a { keepalive_timeout 10x; } }"`:                  `10x`,
	}
	for body, match := range cases {
		t.Run(body, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "data \"nginxkeepalive_config\" \"c\" {\n" + body + "\n}",
					ExpectError: regexp.MustCompile(`(?s)` + match),
				}},
			})
		})
	}
}

func TestAccConfig_feedsValidation(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// "legacy" sets no keepalive_timeout: the message names nginx's default, not "as set".
				Config: `
data "nginxkeepalive_config" "c" {
  path          = "` + includesConf(t) + `"
  nginx_version = "1.22.1"
}
resource "nginxkeepalive_validation" "api" {
  nginx    = data.nginxkeepalive_config.c.upstreams["legacy"]
  backends = [{ type = "gunicorn" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)keepalive_timeout\s+60s\s+\(nginx\s+1\.22\.1's\s+default\)`),
			},
			{
				// The analysed upstream goes into nginx as-is; its 30s outlives gunicorn.
				Config: `
data "nginxkeepalive_config" "c" {
  path          = "` + includesConf(t) + `"
  nginx_version = "1.22.1"
}
resource "nginxkeepalive_validation" "api" {
  nginx    = data.nginxkeepalive_config.c.upstreams["api"]
  backends = [{ type = "gunicorn" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)nginx\s+outlives\s+gunicorn.*keepalive_timeout\s+30s\s+\(as\s+set\)`),
			},
			{
				Config: `
data "nginxkeepalive_config" "c" {
  path          = "` + includesConf(t) + `"
  nginx_version = "1.22.1"
}
resource "nginxkeepalive_validation" "api" {
  nginx    = data.nginxkeepalive_config.c.upstreams["api"]
  backends = [{ type = "custom", idle_timeout = "75s", max_requests_per_connection = 0 }]
}`,
				Check: resource.TestCheckResourceAttr("nginxkeepalive_validation.api", "findings.#", "0"),
			},
		},
	})
}

func TestAccValidation_wholeConfig(t *testing.T) {
	config := `
http {
upstream api {
    server 127.0.0.1:8000;
    keepalive 16;
    keepalive_timeout 1s;
}
upstream billing {
    server 127.0.0.1:8080;
    keepalive 16;
}
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "nginxkeepalive_validation" "all" {
  nginx_config = <<-EOT
` + config + `EOT
  upstreams = {
    api     = [{ type = "gunicorn" }]
    billing = [{ type = "tomcat" }]
  }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)upstream\s+billing\s+\(nginx_config\s+line\s+\d+\):\s+nginx\s+outlives\s+tomcat`),
			},
			{
				Config: `
resource "nginxkeepalive_validation" "all" {
  nginx_config = <<-EOT
` + config + `EOT
  upstreams = { missing = [{ type = "gunicorn" }] }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)no\s+upstream\s+block\s+"missing"`),
			},
			{
				Config: `
resource "nginxkeepalive_validation" "all" {
  nginx_config = <<-EOT
` + config + `EOT
  upstreams = { api = [{ type = "gunicorn" }] }
}`,
				Check: resource.TestCheckResourceAttr("nginxkeepalive_validation.all", "findings.#", "0"),
			},
			{
				// A conf.d fragment (no http block) is read as the body of http {}.
				Config: `
resource "nginxkeepalive_validation" "all" {
  nginx_config = "upstream billing {\n    server 127.0.0.1:8080;\n    keepalive 16;\n}\n"
  upstreams    = { billing = [{ type = "tomcat" }] }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)upstream\s+billing\s+\(nginx_config\s+line\s+1\):\s+nginx\s+outlives\s+tomcat`),
			},
		},
	})
}

// An upstream's `keepalive_timeout 0;` is a value: the data source reports it, and passing the
// upstream as-is judges the same settings as nginx_config does (before, it read as null and
// so as nginx's 60s default).
func TestAccConfig_zeroTimeoutPassesAsIs(t *testing.T) {
	const conf = `http { upstream api { server 127.0.0.1:8000; keepalive 8; keepalive_timeout 0; } }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   requireFunctions,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_config" "c" {
  content = "` + conf + `"
}
resource "nginxkeepalive_validation" "as_is" {
  nginx    = data.nginxkeepalive_config.c.upstreams["api"]
  backends = [{ type = "gunicorn" }]
}
resource "nginxkeepalive_validation" "whole" {
  nginx_config = "` + conf + `"
  upstreams    = { api = [{ type = "gunicorn" }] }
}
output "violations" {
  value = provider::nginxkeepalive::violations(data.nginxkeepalive_config.c.upstreams["api"], [{ type = "gunicorn" }])
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsConfig, tfjsonpath.New("upstreams").AtMapKey("api").AtMapKey("keepalive_timeout"), knownvalue.StringExact("0ms")),
				statecheck.ExpectKnownValue("nginxkeepalive_validation.as_is", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("nginxkeepalive_validation.whole", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("violations", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}
