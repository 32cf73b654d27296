package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

const dsRec = "data.nginxkeepalive_recommendation.r"

// expectedTimeout follows the rule from the catalogue's value, not from a copied number.
func expectedTimeout(t *testing.T, typ, version string) time.Duration {
	t.Helper()
	res, err := catalog.Lookup(typ, version)
	if err != nil {
		t.Fatal(err)
	}
	idle := res.Defaults.IdleTimeout.Value
	return idle - max(time.Second, idle/10)
}

func TestAccRecommendation_mixedUpstream(t *testing.T) {
	want := expectedTimeout(t, "gunicorn", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_recommendation" "r" {
  upstream_name = "api"
  servers       = ["127.0.0.1:8000"]
  nginx_version = "1.22.1"
  backends      = [{ type = "tomcat" }, { type = "gunicorn", name = "orders" }, { type = "node", version = "20" }]
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dsRec, "keepalive_timeout", ngxtime.Format(want)),
				resource.TestCheckResourceAttr(dsRec, "keepalive_timeout_ms", strconv.FormatInt(want.Milliseconds(), 10)),
				resource.TestCheckResourceAttr(dsRec, "keepalive_enabled", "true"),
				resource.TestCheckResourceAttr(dsRec, "keepalive", "32"),
				resource.TestCheckResourceAttr(dsRec, "keepalive_time", "1h"),
				resource.TestCheckNoResourceAttr(dsRec, "client_keepalive_timeout"),
				resource.TestMatchResourceAttr(dsRec, "upstream_config", regexp.MustCompile(`(?s)upstream api \{.*server 127\.0\.0\.1:8000;.*keepalive_timeout `+ngxtime.Format(want)+`;`)),
				resource.TestMatchResourceAttr(dsRec, "proxy_config", regexp.MustCompile(`proxy_http_version 1\.1;\s+proxy_set_header Connection "";`)),
				resource.TestCheckResourceAttr(dsRec, "ingress_nginx.upstream-keepalive-timeout", strconv.FormatInt(int64(want/time.Second), 10)),
				resource.TestMatchResourceAttr(dsRec, "explanation.0", regexp.MustCompile(`gunicorn "orders"`)),
				resource.TestCheckResourceAttr(dsRec, "gateway_fabric_upstream_settings.timeout", ngxtime.Format(want)),
				resource.TestCheckResourceAttr(dsRec, "gateway_fabric_upstream_settings.connections", "32"),
				resource.TestCheckResourceAttr(dsRec, "gateway_fabric_upstream_settings.time", "3600s"),
				resource.TestCheckNoResourceAttr(dsRec, "gateway_fabric_client_settings"),
				// F5's controller cannot lower keepalive_timeout below nginx's 60s default: no pool.
				resource.TestCheckResourceAttr(dsRec, "nginx_ingress_controller.config_map.keepalive", "0"),
			),
		}},
	})
}

func TestAccRecommendation_versionsOverridesAndLoadBalancer(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_recommendation" "r" {
  nginx_version    = "1.18.0"
  backends         = [{ type = "custom", idle_timeout = "10s", max_requests_per_connection = 50 }]
  idle_margin      = "3s"
  peak_concurrency = 100
  worker_processes = 4
  load_balancer    = { type = "aws-alb" }
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dsRec, "keepalive_timeout", "7s"),
				resource.TestCheckResourceAttr(dsRec, "keepalive_requests", "49"),
				resource.TestCheckNoResourceAttr(dsRec, "keepalive_time"), // nginx 1.18 has none
				resource.TestCheckResourceAttr(dsRec, "keepalive", "25"),
				resource.TestCheckResourceAttr(dsRec, "client_keepalive_timeout", "66s"),
				resource.TestCheckResourceAttr(dsRec, "gateway_fabric_client_settings.timeout.server", "66s"),
				resource.TestCheckResourceAttr(dsRec, "gateway_fabric_upstream_settings.timeout", "7s"),
				resource.TestMatchResourceAttr(dsRec, "upstream_config", regexp.MustCompile(`^keepalive 25;`)),
			),
		}},
	})
}

func TestAccRecommendation_keepaliveOff(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_recommendation" "r" {
  backends = [{ type = "gunicorn-sync" }]
  peak_requests_per_second = 5000
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dsRec, "keepalive_enabled", "false"),
				resource.TestCheckResourceAttr(dsRec, "keepalive", "0"),
				resource.TestCheckResourceAttr(dsRec, "ingress_nginx.upstream-keepalive-connections", "0"),
				resource.TestMatchResourceAttr(dsRec, "explanation.0", regexp.MustCompile(`upstream keep-alive off: gunicorn-sync`)),
				resource.TestMatchResourceAttr(dsRec, "warnings.0", regexp.MustCompile(`ephemeral ports`)),
				// nginx 1.30 pools by default, so "off" must be spelled out; nothing else is rendered.
				resource.TestCheckResourceAttrWith(dsRec, "upstream_config", func(v string) error {
					if !strings.Contains(v, "keepalive 0;") || strings.Contains(v, "keepalive_timeout") {
						return fmt.Errorf("keep-alive is off on nginx 1.30, want only `keepalive 0;`, got:\n%s", v)
					}
					return nil
				}),
			),
		}},
	})
}

func TestAccRecommendation_badInput(t *testing.T) {
	cases := map[string]string{
		`backends = []`:                                                            `backends.*at least 1`,
		`backends = [{ type = "gunicron" }]`:                                       `did\s+you\s+mean\s+"gunicorn"`,
		`backends = [{ type = "custom" }]`:                                         `Idle\s+Timeout\s+Required`,
		`backends = [{ type = "gunicorn", idle_timeout = "0" }]`:                   `zero`,
		`backends = [{ type = "gunicorn", max_requests_per_connection = -1 }]`:     `at least 0`,
		`backends = [{ type = "gunicorn" }]` + "\n" + `nginx_version = "1.x"`:      `invalid\s+nginx\s+version\s+"1\.x"`,
		`backends = [{ type = "gunicorn" }]` + "\n" + `servers = ["a; include x"]`: `a; include x`,
		`backends = [{ type = "gunicorn" }]` + "\n" + `upstream_name = "a b"`:      `"a b"`,
		`backends = [{ type = "aws-alb" }]`:                                        `load_balancer`,
	}
	for body, match := range cases {
		t.Run(body, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "data \"nginxkeepalive_recommendation\" \"r\" {\n" + body + "\n}",
					ExpectError: regexp.MustCompile(`(?s)` + match),
				}},
			})
		})
	}
}

func TestAccRecommendation_unknownInputDefersRead(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "idle" { input = "30s" }
data "nginxkeepalive_recommendation" "r" {
  backends = [{ type = "custom", idle_timeout = terraform_data.idle.output, max_requests_per_connection = 0 }]
}`,
			Check: resource.TestCheckResourceAttr(dsRec, "keepalive_timeout", "27s"),
		}},
	})
}

// TestAccRecommendation_perNginxVersion pins what each side of nginx 1.29.7 renders: the pool
// in "local" mode and no proxy_http_version / Connection lines from 1.29.7 (both nginx's
// defaults there), and F5 NIC's close snippet where its pool of 0 cannot turn nginx's default
// pool off. An empty nginx_version is the default, 1.30.4.
func TestAccRecommendation_perNginxVersion(t *testing.T) {
	timeout := ngxtime.Format(expectedTimeout(t, "gunicorn", ""))
	upstream := func(pool string) string {
		return "upstream api {\n    server 127.0.0.1:8000;\n    " + pool + ";\n    keepalive_timeout " + timeout +
			";\n    keepalive_requests 1000;\n    keepalive_time 1h;\n}\n"
	}
	oldProxy := "proxy_http_version 1.1;\nproxy_set_header Connection \"\";\nproxy_pass http://api;\n"
	closeSnippet := map[string]knownvalue.Check{
		"nginx.org/keepalive":         knownvalue.StringExact("0"),
		"nginx.org/location-snippets": knownvalue.StringExact(`proxy_set_header Connection "close";`),
	}
	cases := []struct {
		version, upstream, proxy string
		annotations              map[string]knownvalue.Check
		explains                 string
	}{
		{"1.29.6", upstream("keepalive 32"), oldProxy,
			map[string]knownvalue.Check{"nginx.org/keepalive": knownvalue.StringExact("0")}, `needs proxy_http_version 1\.1`},
		{"1.29.7", upstream("keepalive 32 local"), "proxy_pass http://api;\n", closeSnippet, `keepalive 32 local: "local" keeps nginx 1\.29\.7's default mode`},
		{"", upstream("keepalive 32 local"), "proxy_pass http://api;\n", closeSnippet, `in nginx 1\.30\.4 both are the defaults`},
		{"1.31.4", upstream("keepalive 32 local"), "proxy_pass http://api;\n", closeSnippet, `nginx 1\.31\.4 keeps upstream connections alive by default`},
	}
	for _, tc := range cases {
		name := "nginx " + tc.version
		if tc.version == "" {
			name = "default nginx_version"
		}
		t.Run(name, func(t *testing.T) {
			version := ""
			if tc.version != "" {
				version = fmt.Sprintf("nginx_version = %q", tc.version)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
data "nginxkeepalive_recommendation" "r" {
  upstream_name = "api"
  servers       = ["127.0.0.1:8000"]
  backends      = [{ type = "gunicorn" }]
  %s
}`, version),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("upstream_config"), knownvalue.StringExact(tc.upstream)),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("proxy_config"), knownvalue.StringExact(tc.proxy)),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("nginx_ingress_controller").AtMapKey("annotations"), knownvalue.MapExact(tc.annotations)),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("nginx_ingress_controller").AtMapKey("config_map"),
							knownvalue.MapExact(map[string]knownvalue.Check{"keepalive": knownvalue.StringExact("0")})),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("gateway_fabric_upstream_settings").AtMapKey("connections"), knownvalue.Int64Exact(32)),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("gateway_fabric_upstream_settings").AtMapKey("timeout"), knownvalue.StringExact(timeout)),
						statecheck.ExpectKnownValue(dsRec, tfjsonpath.New("ingress_nginx"), knownvalue.MapExact(map[string]knownvalue.Check{
							"upstream-keepalive-connections": knownvalue.StringExact("32"),
							"upstream-keepalive-timeout":     knownvalue.StringExact("1"),
							"upstream-keepalive-requests":    knownvalue.StringExact("1000"),
							"upstream-keepalive-time":        knownvalue.StringExact("1h"),
						})),
					},
					Check: testCheckListContains("explanation", regexp.MustCompile(tc.explains)),
				}},
			})
		})
	}
}

// TestAccRecommendation_controllerLimitsOnNewNginx: on nginx >= 1.29.7 the warnings name what
// each controller cannot express and the text that works instead.
func TestAccRecommendation_controllerLimitsOnNewNginx(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "nginxkeepalive_recommendation" "r" {
  nginx_version = "1.31.4"
  backends      = [{ type = "tomcat" }]
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				testCheckListContains("warnings", regexp.MustCompile(`NGF 2\.4 to 2\.6 write "keepalive 16;" into every upstream block`)),
				testCheckListContains("warnings", regexp.MustCompile(`never write "keepalive 0;".*nginx\.org/location-snippets: proxy_set_header Connection "close";`)),
				testCheckListContains("warnings", regexp.MustCompile(`cannot set the upstream timeouts`)),
			),
		}},
	})
}

// testCheckListContains passes when some element of the recommendation's list attribute
// matches re.
func testCheckListContains(attr string, re *regexp.Regexp) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[dsRec]
		if !ok {
			return fmt.Errorf("%s not in state", dsRec)
		}
		n, err := strconv.Atoi(rs.Primary.Attributes[attr+".#"])
		if err != nil {
			return fmt.Errorf("%s.%s is not a list: %w", dsRec, attr, err)
		}
		for i := range n {
			if re.MatchString(rs.Primary.Attributes[fmt.Sprintf("%s.%d", attr, i)]) {
				return nil
			}
		}
		return fmt.Errorf("no element of %s.%s matches %s", dsRec, attr, re)
	}
}
