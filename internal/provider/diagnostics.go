package provider

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

// Every diagnostic summary of the provider, in Title Case; names keep their own spelling
// (nginx, nginx_config). Summaries of the engine's input errors are title-cased by title, and a
// violation's summary is a sentence about the values, not a title.
const (
	summaryInvalidValue         = "Invalid Value"
	summaryInvalidNumber        = "Invalid Number"
	summaryInvalidTime          = nginxtime.Summary
	summaryUnknownBackend       = "Unknown Backend"
	summaryInvalidCombination   = "Invalid Attribute Combination"
	summaryMissingAttribute     = "Missing Attribute Configuration"
	summaryCannotAnalyse        = "Cannot Analyse the nginx Configuration"
	summaryCannotAnalyseConfig  = "Cannot Analyse nginx_config"
	summaryInvalidUpstreams     = "Invalid Upstreams"
	summaryNoSuchUpstream       = "No Such Upstream in nginx_config"
	summaryCannotRenderUpstream = "Cannot Render the Upstream Block"
	summaryCannotRenderProxy    = "Cannot Render the Proxy Directives"
	summaryRecommendation       = "nginxkeepalive Recommendation"
	summaryCheckFailed          = "Keep-Alive Check Failed"
	summaryInternalError        = "nginxkeepalive Internal Error"
	summaryProbeFailed          = "Probe Failed"
)

// lowerInTitles are the words a title leaves lowercase: short connectives, and names that are
// spelt lowercase.
var lowerInTitles = []string{"a", "an", "as", "at", "for", "in", "of", "or", "the", "to", "nginx"}

// title turns an engine summary ("unknown backend") into the provider's style ("Unknown Backend").
func title(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && slices.Contains(lowerInTitles, w) || w == "nginx" {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// bugReport is where internal errors ask to be reported.
const bugReport = "https://github.com/nginx-keepalive/terraform-provider-nginxkeepalive/issues"

// recoverToDiagnostic turns a panic in an entry point into an error that asks for a bug report,
// so Terraform never sees a crashed plugin.
func recoverToDiagnostic(diags *diag.Diagnostics) {
	if r := recover(); r != nil {
		diags.AddError(summaryInternalError, fmt.Sprintf("The provider hit an unexpected condition: %v. Please report this at "+
			"%s with the configuration that caused it.\n\n%s", r, bugReport, debug.Stack()))
	}
}

// recoverToFuncError turns a panic in a function into an error asking for a bug report.
func recoverToFuncError(out **function.FuncError) {
	if r := recover(); r != nil {
		*out = function.NewFuncError(fmt.Sprintf("%s: %v. Please report this at %s.\n\n%s", summaryInternalError, r, bugReport, debug.Stack()))
	}
}

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
		diags.AddAttributeError(attributePath(ie.Path), title(ie.Summary), ie.Path.String()+": "+ie.Detail)
		return
	}
	diags.AddError(summaryCheckFailed, err.Error())
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
