package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// Summaries of the provider's own diagnostics.
const (
	summaryInvalidValue  = "Invalid value"
	summaryInvalidNumber = "Invalid number"
)

// attributePath converts an engine path step by step.
func attributePath(p engine.Path) path.Path {
	out := path.Empty()
	for _, s := range p {
		switch s.Kind {
		case engine.StepAttribute:
			out = out.AtName(s.Name)
		case engine.StepIndex:
			out = out.AtListIndex(s.Index)
		case engine.StepKey:
			out = out.AtMapKey(s.Name)
		}
	}
	return out
}

// addInputError reports a decoding or engine error on the attribute it names.
func addInputError(diags *diag.Diagnostics, err error) {
	var ve *valueError
	if errors.As(err, &ve) {
		diags.AddAttributeError(attributePath(ve.at), ve.summary, ve.detail)
		return
	}
	var ie *engine.InputError
	if errors.As(err, &ie) {
		diags.AddAttributeError(attributePath(ie.Path), ie.Summary, ie.Path.String()+": "+ie.Detail)
		return
	}
	diags.AddError("Keep-alive check failed", err.Error())
}

// argumentError reports a function's decoding or engine error on the argument whose name
// starts the error's path; args are the function's parameter names in order.
func argumentError(err error, args ...string) *function.FuncError {
	var at engine.Path
	var ve *valueError
	var ie *engine.InputError
	switch {
	case errors.As(err, &ve):
		at = ve.at
	case errors.As(err, &ie):
		at = ie.Path
	}
	for i, name := range args {
		if len(at) > 0 && at[0].Name == name {
			return function.NewArgumentFuncError(int64(i), err.Error())
		}
	}
	return function.NewArgumentFuncError(int64(len(args)-1), err.Error())
}
