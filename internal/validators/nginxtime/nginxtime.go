// Package nginxtime is a string attribute validator for nginx time values ("55s", "1m30s", "500ms"),
// parsed exactly as nginx parses millisecond directives.
package nginxtime

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

var _ validator.String = timeValidator{}

type timeValidator struct {
	positive bool
	atMost   time.Duration // 0: no upper limit
}

// Valid accepts any value nginx accepts, including 0.
func Valid() validator.String { return timeValidator{} }

// Positive accepts values nginx accepts that are greater than zero.
func Positive() validator.String { return timeValidator{positive: true} }

// PositiveAtMost accepts positive values up to limit.
func PositiveAtMost(limit time.Duration) validator.String {
	return timeValidator{positive: true, atMost: limit}
}

func (v timeValidator) Description(context.Context) string {
	if v.atMost > 0 {
		return "a positive nginx time value of at most " + ngxtime.Format(v.atMost)
	}
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
	d, err := Parse(req.ConfigValue.ValueString(), v.positive)
	if err == nil && v.atMost > 0 && d > v.atMost {
		err = fmt.Errorf("%q is longer than the limit %s; give at most %q", req.ConfigValue.ValueString(), ngxtime.Format(v.atMost), ngxtime.Format(v.atMost))
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, Summary, req.Path.String()+": "+err.Error())
	}
}

// Summary is the diagnostic summary of a value Parse rejects.
const Summary = "Invalid nginx Time"

// Parse reads an nginx time as the validators judge it; the provider decodes values the
// validators never saw (function arguments, values unknown at plan) with it, so every path
// words a bad value the same way.
func Parse(s string, positive bool) (time.Duration, error) {
	d, err := ngxtime.Parse(s)
	if err != nil {
		return 0, err
	}
	if positive && d <= 0 {
		return 0, fmt.Errorf("%q is zero; give a positive duration such as \"5s\"", s)
	}
	return d, nil
}
