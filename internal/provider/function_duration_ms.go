package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

var _ function.Function = &durationMsFunction{}

// NewDurationMsFunction returns provider::nginxkeepalive::duration_ms.
func NewDurationMsFunction() function.Function { return &durationMsFunction{} }

type durationMsFunction struct{}

func (f *durationMsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "duration_ms"
}

func (f *durationMsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parses an nginx time value into milliseconds",
		MarkdownDescription: "Parses a value in nginx's time syntax (`\"500ms\"`, `\"55s\"`, `\"1m30s\"`, `\"1h\"`; a bare number means " +
			"seconds) exactly as nginx parses millisecond directives such as `keepalive_timeout`, and returns milliseconds. " +
			"Useful to compare nginx and backend timeouts in `validation` and `precondition` blocks.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "value", MarkdownDescription: "An nginx time value."},
		},
		Return: function.Int64Return{},
	}
}

func (f *durationMsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	defer recoverToFuncError(&resp.Error)
	var value string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &value))
	if resp.Error != nil {
		return
	}
	ms, err := ngxtime.ParseMillis(value)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, ms))
}
