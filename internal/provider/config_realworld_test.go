package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func upstreamAttr(name, attr string) tfjsonpath.Path {
	return tfjsonpath.New("upstreams").AtMapKey(name).AtMapKey(attr)
}

func proxyAttr(i int, attr string) tfjsonpath.Path {
	return tfjsonpath.New("proxies").AtSliceIndex(i).AtMapKey(attr)
}

func findingAttr(i int, attr string) tfjsonpath.Path {
	return tfjsonpath.New("findings").AtSliceIndex(i).AtMapKey(attr)
}

// nginx >= 1.29.7: keepalive N local, keepalive 0, and the default pool (32, local) of an
// upstream block without the directive; 1.22.1 keeps no default pool.
func TestAccConfig_keepaliveLocalAndOff(t *testing.T) {
	const conf = `http {\n upstream local8 { server 127.0.0.1:1; keepalive 8 local; }\n upstream off { server 127.0.0.1:1; keepalive 0; }\n upstream stock { server 127.0.0.1:1; }\n}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_config" "c" {
  content       = "` + conf + `"
  nginx_version = "1.30.4"
}
data "nginxkeepalive_config" "old" {
  content       = "` + `http {\n upstream stock { server 127.0.0.1:1; }\n}` + `"
  nginx_version = "1.22.1"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("local8", "keepalive"), knownvalue.Int64Exact(8)),
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("local8", "keepalive_local"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("off", "keepalive"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("off", "keepalive_local"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("stock", "keepalive"), knownvalue.Int64Exact(32)),
				statecheck.ExpectKnownValue(dsConfig, upstreamAttr("stock", "keepalive_local"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_config.old", upstreamAttr("stock", "keepalive"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_config.old", upstreamAttr("stock", "keepalive_local"), knownvalue.Null()),
			},
		}},
	})
}

// An include that cannot be read here is skipped with a warning at its line (never reading a
// file outside the root); strict_includes makes it an error; a missing path is that file missing.
func TestAccConfig_unreadableIncludes(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(main, []byte("http {\n    include /etc/nginx/mime.types;\n    include conf.d/*.conf;\n    upstream api { server 127.0.0.1:8000; keepalive 8; }\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	warning := regexp.MustCompile(`^include "/etc/nginx/mime\.types" points outside the include root .*skipped unread, so upstreams, servers or locations it may define are not analysed`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
data "nginxkeepalive_config" "c" {
  path = "` + main + `"
}
data "nginxkeepalive_config" "content" {
  content = "http {\n include /etc/passwd;\n}"
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsConfig, upstreamAttr("api", "keepalive"), knownvalue.Int64Exact(8)),
					statecheck.ExpectKnownValue(dsConfig, findingAttr(0, "severity"), knownvalue.StringExact("warning")),
					statecheck.ExpectKnownValue(dsConfig, findingAttr(0, "file"), knownvalue.StringExact(main)),
					statecheck.ExpectKnownValue(dsConfig, findingAttr(0, "line"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(dsConfig, findingAttr(0, "message"), knownvalue.StringRegexp(warning)),
					// nginx accepts a wildcard that matches nothing: an info, not a warning.
					statecheck.ExpectKnownValue(dsConfig, findingAttr(1, "severity"), knownvalue.StringExact("info")),
					statecheck.ExpectKnownValue(dsConfig, findingAttr(1, "line"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("data.nginxkeepalive_config.content", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"severity": knownvalue.StringExact("warning"),
							"line":     knownvalue.Int64Exact(2),
							"message":  knownvalue.StringRegexp(regexp.MustCompile(`^include "/etc/passwd": includes need an include root[^:]*$`)),
						}),
					})),
				},
			},
			{
				Config: `
data "nginxkeepalive_config" "c" {
  path            = "` + main + `"
  strict_includes = true
}`,
				ExpectError: regexp.MustCompile(`(?s)nginx\.conf:2:\s+include\s+"/etc/nginx/mime\.types"\s+points\s+outside\s+the\s+include\s+root`),
			},
			{
				Config: `
data "nginxkeepalive_config" "c" {
  path = "` + filepath.Join(dir, "absent", "nginx.conf") + `"
}`,
				ExpectError: regexp.MustCompile(`(?s)absent/nginx\.conf:\s+no\s+such\s+file\s+or\s+directory`),
			},
		},
	})
}

// A literal host with variables in the URI is the upstream block of that name; fastcgi_pass
// and grpc_pass are reported like proxy_pass, with their kind.
func TestAccConfig_passKindsAndLiteralHosts(t *testing.T) {
	const conf = `http {
    upstream backend { server 127.0.0.1:8000; keepalive 8; }
    upstream php { server 127.0.0.1:9000; keepalive 8; }
    upstream grpcsrv { server 127.0.0.1:50051; }
    server {
        location ~ ^/a/(.*)$ { proxy_pass http://backend/$1$is_args$args; }
        location /php { fastcgi_keep_conn on; fastcgi_pass php; }
        location /grpc { grpc_pass grpc://grpcsrv; }
        location /dyn { proxy_pass http://$host$request_uri; }
    }
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_config" "c" {
  content       = <<-EOT
` + conf + `
EOT
  nginx_version = "1.30.4"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsConfig, tfjsonpath.New("proxies"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(0, "upstream"), knownvalue.StringExact("backend")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(0, "kind"), knownvalue.StringExact("proxy_pass")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(0, "proxy_http_version"), knownvalue.StringExact("1.1")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(0, "keepalive_effective"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(1, "kind"), knownvalue.StringExact("fastcgi_pass")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(1, "proxy_http_version"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(1, "clears_connection_header"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(1, "keepalive_effective"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(2, "kind"), knownvalue.StringExact("grpc_pass")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(2, "upstream"), knownvalue.StringExact("grpcsrv")),
				statecheck.ExpectKnownValue(dsConfig, proxyAttr(2, "keepalive_effective"), knownvalue.Bool(true)), // nginx's default pool
				statecheck.ExpectKnownValue(dsConfig, tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"severity": knownvalue.StringExact("info"),
						"line":     knownvalue.Int64Exact(9),
						"message":  knownvalue.StringRegexp(regexp.MustCompile(`takes its host from a variable`)),
					}),
				})),
			},
		}},
	})
}

// A backend lacking an input (uwsgi has no confirmed request cap) fails the plan with the
// request for it and, in the same plan, the idle-timeout violation that is already certain.
func TestAccValidation_provableViolationsWithMissingInput(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "nginxkeepalive_validation" "v" {
  nginx    = {}
  backends = [{ type = "uwsgi" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Request\s+Cap\s+Required.*max_requests_per_connection.*nginx\s+outlives\s+uwsgi.*keepalive_timeout\s+60s`),
			},
			{
				Config: `
resource "nginxkeepalive_validation" "all" {
  nginx_config = "http {\n upstream api { server 127.0.0.1:8000; }\n upstream billing { server 127.0.0.1:8080; keepalive 16; }\n}"
  upstreams    = { api = [{ type = "custom" }], billing = [{ type = "tomcat" }] }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Idle\s+Timeout\s+Required.*upstream\s+billing\s+\(nginx_config\s+line\s+3\):\s+nginx\s+outlives\s+tomcat`),
			},
		},
	})
}

// nginx_config's unreadable includes are warnings on nginx_config, listed in findings; with
// warnings_as_errors they fail, with strict_includes the configuration cannot be analysed.
func TestAccValidation_unreadIncludes(t *testing.T) {
	const conf = `http {\n include /etc/nginx/mime.types;\n upstream api { server 127.0.0.1:8000; keepalive 8; keepalive_timeout 1s; }\n}`
	config := func(extra string) string {
		return `
resource "nginxkeepalive_validation" "v" {
  nginx_config = "` + conf + `"
  upstreams    = { api = [{ type = "gunicorn" }] }
` + extra + `
}`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("nginxkeepalive_validation.v", tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringRegexp(regexp.MustCompile(`^nginx_config line 2: include not read: include "/etc/nginx/mime\.types".*not analysed`)),
					})),
				},
			},
			{
				Config:      config("  warnings_as_errors = true"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)nginx_config\s+line\s+2:\s+include\s+not\s+read\s+\(warnings_as_errors\)`),
			},
			{
				// An upstream block that is not found may be in the include that was not read.
				Config: `
resource "nginxkeepalive_validation" "v" {
  nginx_config = "` + conf + `"
  upstreams    = { api = [{ type = "gunicorn" }], web = [{ type = "node" }] }
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)no\s+upstream\s+block\s+"web".*1\s+include\(s\)\s+were\s+not\s+read`),
			},
			{
				Config:      config("  strict_includes = true"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot\s+Analyse\s+nginx_config.*include\s+"/etc/nginx/mime\.types"`),
			},
		},
	})
}
