// Command planfloor is the framework floor that `make bench-plan` measures the provider against:
// a terraform-plugin-framework provider named like ours, served by providerserver, whose
// nginxkeepalive_validation resource has the real resource's schema (read from
// provider.NewValidationResource, so it cannot drift) and does no work. Whatever the floor costs
// over the HCL-only plan is what Terraform and the framework charge for a resource of this schema
// (process start-ups, gRPC, msgpack, the framework's schema handling, type checks and defaults),
// which no framework provider can avoid. Not for use outside the benchmark.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/procenv"
)

// address is the provider's registry address, so the benchmark's HCL plans against the floor
// through the same dev_overrides entry.
const address = "registry.terraform.io/nginx-keepalive/nginxkeepalive"

func main() {
	procenv.Tune()
	if err := providerserver.Serve(context.Background(), newFloorProvider, providerserver.ServeOpts{Address: address}); err != nil {
		log.Fatal(err)
	}
}
