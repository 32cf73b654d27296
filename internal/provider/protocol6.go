package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server is the framework's own server for the provider, with nothing intercepted.
// It stays only for internal/planfloor until that tool moves out of internal/; delete it then.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return providerserver.NewProtocol6(New(version)())
}
