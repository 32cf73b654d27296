// Package nginxtime is a string attribute validator for nginx time values ("55s", "1m30s", "500ms"),
// parsed exactly as nginx parses millisecond directives.
package nginxtime

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

var _ validator.String = timeValidator{}

type timeValidator struct{ positive bool }

// Valid accepts any value nginx accepts, including 0.
func Valid() validator.String { return timeValidator{} }

// Positive accepts values nginx accepts that are greater than zero.
func Positive() validator.String { return timeValidator{positive: true} }

func (v timeValidator) Description(context.Context) string {
	if v.positive {
		return "a positive nginx time value such as \"55s\", \"1m30s\" or \"500ms\""
	}
	return "an nginx time value such as \"55s\", \"1m30s\" or \"500ms\""
}

func (v timeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString waits for known values: unknown values are checked again before apply.
func (v timeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := ngxtime.Parse(req.ConfigValue.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid nginx time", req.Path.String()+": "+err.Error())
		return
	}
	if v.positive && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid nginx time",
			fmt.Sprintf("%s: %q is zero; give a positive duration such as \"5s\"", req.Path, req.ConfigValue.ValueString()))
	}
}
