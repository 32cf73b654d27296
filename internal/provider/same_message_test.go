package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccSameBadValueSameMessage feeds one bad value to a data source, to the resource and to
// provider::nginxkeepalive::violations: each path decodes it with the same declaration, so
// Terraform shows the same message for it every time.
func TestAccSameBadValueSameMessage(t *testing.T) {
	sameMessageOnEveryPath(t, "", map[string]string{
		`"0s"`:    `backends[0].idle_timeout: "0s" is zero; give a positive duration such as "5s"`,
		`"5 sec"`: `backends[0].idle_timeout: invalid nginx time "5 sec": units must appear once each, largest first`,
	}, func(value string) string {
		return `[{ type = "custom", idle_timeout = ` + value + `, max_requests_per_connection = 0 }]`
	})
}

// sameMessageOnEveryPath plans, for each bad value, the backends list it makes on all three
// paths (after the HCL in prelude) and wants the value's message each time.
func sameMessageOnEveryPath(t *testing.T, prelude string, messages map[string]string, backendsFor func(value string) string) {
	t.Helper()
	for value, message := range messages {
		backends := backendsFor(value)
		match := regexp.MustCompile(`(?s)` + words(message))
		for where, config := range map[string]string{
			"data source": hostileRecommendation("  backends = " + backends),
			"resource":    hostileValidation("  nginx = {}\n  backends = " + backends),
			"function":    hostileOutput("provider::nginxkeepalive::violations({}, " + backends + ")"),
		} {
			t.Run(value+"/"+where, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					TerraformVersionChecks:   requireFunctions,
					Steps:                    []resource.TestStep{{Config: prelude + config, PlanOnly: true, ExpectError: match}},
				})
			})
		}
	}
}
