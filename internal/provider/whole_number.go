package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// wholeNumberType is the Int64 type of every number attribute the sets declare. Where the
// framework's Int64 type fails the whole read of a configuration on a number that is not a
// whole int64 (1.5, 1e30) with an error naming neither attribute nor fix, this one keeps the
// number, and the value reports it on its attribute during validation. The decoder reports it
// too, for a value that was unknown at validation.
type wholeNumberType struct{ basetypes.Int64Type }

var (
	_ basetypes.Int64Typable      = wholeNumberType{}
	_ basetypes.Int64Valuable     = wholeNumberValue{}
	_ xattr.ValidateableAttribute = wholeNumberValue{}
)

func (t wholeNumberType) Equal(o attr.Type) bool {
	_, ok := o.(wholeNumberType)
	return ok
}

func (t wholeNumberType) String() string { return "provider.wholeNumberType" }

func (t wholeNumberType) ValueType(context.Context) attr.Value { return wholeNumberValue{} }

func (t wholeNumberType) ValueFromInt64(_ context.Context, in basetypes.Int64Value) (basetypes.Int64Valuable, diag.Diagnostics) {
	return wholeNumberValue{Int64Value: in}, nil
}

func (t wholeNumberType) ValueFromTerraform(_ context.Context, in tftypes.Value) (attr.Value, error) {
	switch {
	case !in.IsKnown():
		return wholeNumberValue{Int64Value: basetypes.NewInt64Unknown()}, nil
	case in.IsNull():
		return wholeNumberValue{Int64Value: basetypes.NewInt64Null()}, nil
	}
	f := new(big.Float)
	if err := in.As(&f); err != nil {
		return nil, fmt.Errorf("reading a number: %w", err)
	}
	if i, acc := f.Int64(); acc == big.Exact {
		return wholeNumberValue{Int64Value: basetypes.NewInt64Value(i)}, nil
	}
	// Unknown to validators and plan logic, which must not judge a value that is not an int64.
	return wholeNumberValue{Int64Value: basetypes.NewInt64Unknown(), notWhole: f}, nil
}

// wholeNumberValue is an Int64, or a number that is not one (notWhole).
type wholeNumberValue struct {
	basetypes.Int64Value
	notWhole *big.Float
}

func (v wholeNumberValue) Type(context.Context) attr.Type { return wholeNumberType{} }

func (v wholeNumberValue) Equal(o attr.Value) bool {
	other, ok := o.(wholeNumberValue)
	if !ok || (v.notWhole == nil) != (other.notWhole == nil) {
		return false
	}
	if v.notWhole != nil {
		return v.notWhole.Cmp(other.notWhole) == 0
	}
	return v.Int64Value.Equal(other.Int64Value)
}

func (v wholeNumberValue) ToTerraformValue(ctx context.Context) (tftypes.Value, error) {
	if v.notWhole != nil {
		return tftypes.NewValue(tftypes.Number, v.notWhole), nil
	}
	return v.Int64Value.ToTerraformValue(ctx)
}

func (v wholeNumberValue) String() string {
	if v.notWhole != nil {
		return v.notWhole.Text('g', 20)
	}
	return v.Int64Value.String()
}

func (v wholeNumberValue) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.notWhole != nil {
		resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidNumber, notWholeMessage(req.Path.String(), v.notWhole))
	}
}

func notWholeMessage(at string, f *big.Float) string {
	return fmt.Sprintf("%s must be a whole number between %d and %d, got %s", at, int64(-1<<63), int64(1<<63-1), f.Text('g', 20))
}
