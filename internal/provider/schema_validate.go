package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateAttributes runs every validator a resource schema declares on the configuration's
// values, descending into nested attributes that are set, as the framework's own validation
// does (NewProtocol6Server says why it is done here). The validators build their messages from
// the path, so they read exactly as when the framework calls them.
func validateAttributes(ctx context.Context, config tfsdk.Config, attrs map[string]schema.Attribute, values map[string]attr.Value, at path.Path, diags *diag.Diagnostics) {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		validateAttribute(ctx, config, attrs[name], values[name], at.AtName(name), diags)
	}
}

func validateAttribute(ctx context.Context, config tfsdk.Config, a schema.Attribute, value attr.Value, at path.Path, diags *diag.Diagnostics) {
	expr := at.Expression()
	switch a := a.(type) {
	case schema.StringAttribute:
		for _, v := range a.Validators {
			var resp validator.StringResponse
			v.ValidateString(ctx, validator.StringRequest{Path: at, PathExpression: expr, Config: config, ConfigValue: asValue[types.String](value)}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.Int64Attribute:
		for _, v := range a.Validators {
			var resp validator.Int64Response
			v.ValidateInt64(ctx, validator.Int64Request{Path: at, PathExpression: expr, Config: config, ConfigValue: asValue[types.Int64](value)}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.BoolAttribute:
		for _, v := range a.Validators {
			var resp validator.BoolResponse
			v.ValidateBool(ctx, validator.BoolRequest{Path: at, PathExpression: expr, Config: config, ConfigValue: asValue[types.Bool](value)}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.ListAttribute:
		validateList(ctx, config, a.Validators, asValue[types.List](value), at, diags)
	case schema.DynamicAttribute:
		for _, v := range a.Validators {
			var resp validator.DynamicResponse
			v.ValidateDynamic(ctx, validator.DynamicRequest{Path: at, PathExpression: expr, Config: config, ConfigValue: asValue[types.Dynamic](value)}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.SingleNestedAttribute:
		obj := asValue[types.Object](value)
		validateObject(ctx, config, a.Validators, obj, at, diags)
		if !obj.IsNull() && !obj.IsUnknown() {
			validateAttributes(ctx, config, a.Attributes, obj.Attributes(), at, diags)
		}
	case schema.ListNestedAttribute:
		list := asValue[types.List](value)
		validateList(ctx, config, a.Validators, list, at, diags)
		if list.IsNull() || list.IsUnknown() {
			return
		}
		for i, element := range list.Elements() {
			obj := asValue[types.Object](element)
			elementAt := at.AtListIndex(i)
			validateObject(ctx, config, a.NestedObject.Validators, obj, elementAt, diags)
			if !obj.IsNull() && !obj.IsUnknown() {
				validateAttributes(ctx, config, a.NestedObject.Attributes, obj.Attributes(), elementAt, diags)
			}
		}
	default:
		// A new kind of attribute in the schema needs a case here; failing loudly keeps its
		// validators from being skipped silently.
		diags.AddAttributeError(at, "nginxkeepalive internal error", fmt.Sprintf("no validation for attribute kind %T (please report this as a bug)", a))
	}
}

func validateList(ctx context.Context, config tfsdk.Config, validators []validator.List, list types.List, at path.Path, diags *diag.Diagnostics) {
	for _, v := range validators {
		var resp validator.ListResponse
		v.ValidateList(ctx, validator.ListRequest{Path: at, PathExpression: at.Expression(), Config: config, ConfigValue: list}, &resp)
		diags.Append(resp.Diagnostics...)
	}
}

func validateObject(ctx context.Context, config tfsdk.Config, validators []validator.Object, obj types.Object, at path.Path, diags *diag.Diagnostics) {
	for _, v := range validators {
		var resp validator.ObjectResponse
		v.ValidateObject(ctx, validator.ObjectRequest{Path: at, PathExpression: at.Expression(), Config: config, ConfigValue: obj}, &resp)
		diags.Append(resp.Diagnostics...)
	}
}

// asValue returns value as T; the schema fixes the types, and a missing value reads as T's
// zero value, which the framework defines as null.
func asValue[T attr.Value](value attr.Value) T {
	v, _ := value.(T)
	return v
}

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
