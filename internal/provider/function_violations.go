package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

var _ function.Function = &violationsFunction{}

// NewViolationsFunction returns provider::nginxkeepalive::violations.
func NewViolationsFunction() function.Function { return &violationsFunction{} }

type violationsFunction struct{}

func (f *violationsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "violations"
}

func (f *violationsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Lists where nginx's upstream keep-alive would outlive a backend",
		MarkdownDescription: "Checks nginx's upstream keep-alive settings against the declared backends with the same rule as " +
			"`nginxkeepalive_validation` and returns one message per violation, or an empty list when nginx always closes " +
			"first. Made for `variable` validation blocks, `precondition`s and `check` blocks.",
		Parameters: []function.Parameter{
			function.DynamicParameter{
				Name:           "nginx",
				AllowNullValue: true,
				MarkdownDescription: "nginx's settings as an object with any of `keepalive_timeout`, `keepalive_requests`, `keepalive_time`, " +
					"`keepalive`, `version`, `client_keepalive_timeout`; omitted values (or `null` on Terraform; `{}` on OpenTofu, which does not pass a `null` " +
					"argument to the provider) mean nginx's defaults for the version. " +
					"An upstream from `data.nginxkeepalive_config` is accepted as-is.",
			},
			function.DynamicParameter{
				Name:                "backends",
				MarkdownDescription: "List of backend objects, e.g. `[{ type = \"gunicorn\" }, { type = \"tomcat\", version = \"10.1\" }]` (same attributes as `backends` in the data sources).",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (f *violationsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	defer recoverToFuncError(&resp.Error)
	var nginxArg, backendsArg types.Dynamic
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &nginxArg, &backendsArg))
	if resp.Error != nil {
		return
	}
	ng, _, err := nginxSet.decode(nginxArg, engine.Root("nginx"))
	if err != nil {
		resp.Error = argumentError(err, "nginx", "backends")
		return
	}
	backends, err := decodeBackends(backendsArg, engine.Root("backends"))
	if err != nil {
		resp.Error = argumentError(err, "nginx", "backends")
		return
	}
	vs, err := engine.Check(engine.Input{Backends: backends}, ng)
	if err != nil {
		resp.Error = argumentError(err, "nginx", "backends")
		return
	}
	messages := []string{}
	for _, v := range vs {
		if v.Severity == engine.Error {
			messages = append(messages, v.Message())
		}
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, messages))
}
