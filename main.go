// Command terraform-provider-nginxkeepalive serves the nginxkeepalive Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/procenv"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

// version is set by the release build (goreleaser ldflags: -X main.version=...).
var version = "dev"

// address is the provider's registry address.
const address = "registry.terraform.io/nginx-keepalive/nginxkeepalive"

func main() {
	procenv.Tune()
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(address, provider.NewProtocol6Server(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
