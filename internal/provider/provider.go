// Package provider is the Terraform layer of nginxkeepalive: schemas, conversion between
// Terraform values and the domain packages, and diagnostics on attribute paths. The rules
// themselves live in internal/engine; this package only converts and reports.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ provider.Provider              = &nginxKeepaliveProvider{}
	_ provider.ProviderWithFunctions = &nginxKeepaliveProvider{}
)

// New returns a constructor for the provider; version is shown by `terraform version`.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &nginxKeepaliveProvider{version: version}
	}
}

type nginxKeepaliveProvider struct {
	version string
}

func (p *nginxKeepaliveProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "nginxkeepalive"
	resp.Version = p.version
}

func (p *nginxKeepaliveProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Computes and enforces nginx upstream keep-alive settings that always close " +
			"before the backend does, so reused connections never race the backend's own idle close " +
			"(the classic intermittent `502` on POST). The provider needs no configuration: it calls no API.",
	}
}

// Configure is empty on purpose: the provider has no remote side and no settings.
func (p *nginxKeepaliveProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *nginxKeepaliveProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewValidationResource,
	}
}

func (p *nginxKeepaliveProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewRecommendationDataSource,
		NewBackendDataSource,
		NewConfigDataSource,
		NewProbeDataSource,
	}
}

func (p *nginxKeepaliveProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewViolationsFunction,
		NewDurationMsFunction,
	}
}
