package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// checkWholeNumbers reports every number in a configuration or plan that is not a whole int64,
// on its attribute, with the message the decoder gives. All number attributes of the resource
// are Int64s, and the framework's conversion would otherwise stop at the first such number with
// a message that names neither the attribute nor the fix. Values under the dynamic attribute
// named dynamic are checked when decodeBackends reads them.
func checkWholeNumbers(config tftypes.Value, dynamic string, diags *diag.Diagnostics) {
	_ = tftypes.Walk(config, func(at *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		steps := at.Steps()
		if len(steps) > 0 && steps[0] == tftypes.AttributeName(dynamic) {
			return false, nil
		}
		if !v.Type().Is(tftypes.Number) || !v.IsKnown() || v.IsNull() {
			return true, nil
		}
		p := enginePath(at)
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			diags.AddAttributeError(attributePath(p), summaryInvalidNumber, p.String()+" is not a number Terraform can pass on")
			return true, nil
		}
		if _, err := wholeNumber(f, p); err != nil {
			addInputError(diags, err)
		}
		return true, nil
	})
}

// enginePath converts a Terraform attribute path.
func enginePath(at *tftypes.AttributePath) engine.Path {
	var p engine.Path
	for _, step := range at.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			p = p.Attr(string(s))
		case tftypes.ElementKeyInt:
			p = p.Index(int(s))
		case tftypes.ElementKeyString:
			p = p.Key(string(s))
		}
	}
	return p
}
