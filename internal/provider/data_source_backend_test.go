package provider

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

func TestAccBackendDataSource(t *testing.T) {
	gunicorn, err := catalog.Lookup("gunicorn", "")
	if err != nil {
		t.Fatal(err)
	}
	tomcat, err := catalog.Lookup("tomcat", "10.1.60")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
data "nginxkeepalive_backend" "gunicorn" { type = "gunicorn" }
data "nginxkeepalive_backend" "tomcat" {
  type    = "tomcat"
  version = "10.1.60"
}
data "nginxkeepalive_backend" "sync" { type = "gunicorn-sync" }
`,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "idle_timeout", ngxtime.Format(gunicorn.Defaults.IdleTimeout.Value)),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "idle_timeout_ms", strconv.FormatInt(gunicorn.Defaults.IdleTimeout.Value.Milliseconds(), 10)),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "source", gunicorn.Defaults.Source),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "settings.idle_timeout", gunicorn.Profile.Knobs.IdleTimeout),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "keepalive_supported", "true"),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.gunicorn", "types.#", strconv.Itoa(len(catalog.Types()))),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.tomcat", "max_requests_per_connection", strconv.FormatInt(tomcat.Defaults.MaxRequests.Value, 10)),
					resource.TestCheckResourceAttr("data.nginxkeepalive_backend.sync", "keepalive_supported", "false"),
				),
			},
			{
				Config:      `data "nginxkeepalive_backend" "x" { type = "tomcatt" }`,
				ExpectError: regexp.MustCompile(`(?s)unknown\s+backend\s+type\s+"tomcatt".*did\s+you\s+mean\s+"tomcat"`),
			},
			{
				Config: `data "nginxkeepalive_backend" "x" {
  type    = "node"
  version = "twenty"
}`,
				ExpectError: regexp.MustCompile(`(?s)invalid\s+version\s+"twenty"`),
			},
		},
	})
}
