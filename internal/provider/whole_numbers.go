package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// checkWholeNumbers reports every number in the configuration that is not a whole int64, on
// its attribute. All number attributes of the resource are Int64s, and converting the whole
// configuration would otherwise stop at the first such number without naming it. Values under
// the dynamic attribute named dynamic are decoded, and checked, by decodeBackends.
func checkWholeNumbers(config tftypes.Value, dynamic string, diags *diag.Diagnostics) {
	_ = tftypes.Walk(config, func(at *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		steps := at.Steps()
		if len(steps) > 0 && steps[0] == tftypes.AttributeName(dynamic) {
			return false, nil
		}
		if !v.Type().Is(tftypes.Number) || !v.IsKnown() || v.IsNull() {
			return true, nil
		}
		p := fromAttributePath(at)
		f := bigFloat(v)
		if f == nil {
			diags.AddAttributeError(p, "Invalid number", pathString(p)+" is not a number Terraform can pass on")
			return true, nil
		}
		if _, err := wholeNumber(f, pathString(p)); err != nil {
			diags.AddAttributeError(p, "Invalid number", err.Error())
		}
		return true, nil
	})
}

// bigFloat reads a known number, or returns nil.
func bigFloat(v tftypes.Value) *big.Float {
	f := new(big.Float)
	if v.As(&f) != nil {
		return nil
	}
	return f
}

// fromAttributePath is toAttributePath's inverse.
func fromAttributePath(at *tftypes.AttributePath) path.Path {
	p := path.Empty()
	for _, step := range at.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			p = p.AtName(string(s))
		case tftypes.ElementKeyInt:
			p = p.AtListIndex(int(s))
		case tftypes.ElementKeyString:
			p = p.AtMapKey(string(s))
		}
	}
	return p
}
