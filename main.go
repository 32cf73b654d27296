// Command terraform-provider-nginxkeepalive serves the nginxkeepalive Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

// version is set by the release build (goreleaser ldflags: -X main.version=...).
var version = "dev"

func main() {
	quietSDKLogs()
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/nginx-keepalive/nginxkeepalive",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs: when no TF_LOG* variable is set, Terraform discards provider logs, yet the
// plugin SDK defaults to TRACE and still formats every line as JSON, which costs about a third
// of the provider's CPU per resource (hashicorp/terraform-plugin-framework#721). Turn the SDK's
// loggers off unless the user asked for logs.
func quietSDKLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "OFF")
	}
}
