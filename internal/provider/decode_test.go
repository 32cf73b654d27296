package provider

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// typedBackends converts one backend, given as Terraform sends it, to `backends` as the
// resource's schema types it; attributes not given are null.
func typedBackends(t *testing.T, given map[string]tftypes.Value) attr.Value {
	t.Helper()
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewValidationResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	listType := resp.Schema.Attributes["backends"].GetType()
	list, ok := listType.(basetypes.ListType)
	if !ok {
		t.Fatalf("backends is %T, want a list", listType)
	}
	objType, ok := list.ElemType.TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("a backend is %T, want an object", list.ElemType)
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
		if v, ok := given[name]; ok {
			values[name] = v
		}
	}
	raw := tftypes.NewValue(tftypes.List{ElementType: objType}, []tftypes.Value{tftypes.NewValue(objType, values)})
	v, err := listType.ValueFromTerraform(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dynamicBackends builds one backend as a function argument arrives: a tuple of objects
// holding only the attributes written.
func dynamicBackends(given map[string]attr.Value) attr.Value {
	attrTypes := map[string]attr.Type{}
	for name, v := range given {
		attrTypes[name] = v.Type(context.Background())
	}
	objType := types.ObjectType{AttrTypes: attrTypes}
	return types.DynamicValue(types.TupleValueMust([]attr.Type{objType}, []attr.Value{types.ObjectValueMust(attrTypes, given)}))
}

// One decoder reads the resource's typed backends and a function's dynamic ones, so the same
// bad value gets the same message and path either way.
func TestDecodeBackendsSameMessageTypedAndDynamic(t *testing.T) {
	custom := tftypes.NewValue(tftypes.String, "custom")
	cases := []struct {
		name     string
		typed    map[string]tftypes.Value
		dynamic  map[string]attr.Value
		wantPath path.Path
		want     string
	}{
		{"zero idle timeout",
			map[string]tftypes.Value{"type": custom, "idle_timeout": tftypes.NewValue(tftypes.String, "0s")},
			map[string]attr.Value{"type": types.StringValue("custom"), "idle_timeout": types.StringValue("0s")},
			path.Root("backends").AtListIndex(0).AtName("idle_timeout"),
			`backends[0].idle_timeout: "0s" is zero; give a positive duration such as "5s"`},
		{"misspelt unit",
			map[string]tftypes.Value{"type": custom, "idle_timeout": tftypes.NewValue(tftypes.String, "5 sec")},
			map[string]attr.Value{"type": types.StringValue("custom"), "idle_timeout": types.StringValue("5 sec")},
			path.Root("backends").AtListIndex(0).AtName("idle_timeout"),
			`backends[0].idle_timeout: invalid nginx time "5 sec": units must appear once each, largest first (use a number with an optional unit ms, s, m, h, d or w, e.g. "55s" or "1m30s")`},
		{"fractional request cap",
			map[string]tftypes.Value{"type": custom, "max_requests_per_connection": tftypes.NewValue(tftypes.Number, 1.5)},
			map[string]attr.Value{"type": types.StringValue("custom"), "max_requests_per_connection": types.NumberValue(big.NewFloat(1.5))},
			path.Root("backends").AtListIndex(0).AtName("max_requests_per_connection"),
			`backends[0].max_requests_per_connection must be a whole number between -9223372036854775808 and 9223372036854775807, got 1.5`},
	}
	for _, tc := range cases {
		var typedErr, dynamicErr *valueError
		_, err := decodeBackends(typedBackends(t, tc.typed), engine.Root("backends"))
		if !errors.As(err, &typedErr) {
			t.Fatalf("%s typed: got %v, want a valueError", tc.name, err)
		}
		_, err = decodeBackends(dynamicBackends(tc.dynamic), engine.Root("backends"))
		if !errors.As(err, &dynamicErr) {
			t.Fatalf("%s dynamic: got %v, want a valueError", tc.name, err)
		}
		if typedErr.detail != tc.want || dynamicErr.detail != tc.want {
			t.Errorf("%s: typed says %q, dynamic says %q, want %q", tc.name, typedErr.detail, dynamicErr.detail, tc.want)
		}
		if !attributePath(typedErr.at).Equal(tc.wantPath) || !attributePath(dynamicErr.at).Equal(tc.wantPath) {
			t.Errorf("%s: paths %v and %v, want %v", tc.name, attributePath(typedErr.at), attributePath(dynamicErr.at), tc.wantPath)
		}
	}
}

// The number type keeps a number that is not a whole int64, reports it on its attribute during
// validation with the decoder's message, and leaves validators nothing to judge.
func TestWholeNumberTypeKeepsAndReportsFractions(t *testing.T) {
	ctx := context.Background()
	v, err := wholeNumberType{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.Number, 1.5))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := v.(wholeNumberValue)
	if !ok {
		t.Fatalf("read as %T", v)
	}
	if !n.IsUnknown() {
		t.Error("a fraction must read as unknown to validators")
	}
	var resp xattr.ValidateAttributeResponse
	at := path.Root("nginx").AtName("keepalive_requests")
	n.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: at}, &resp)
	if resp.Diagnostics.ErrorsCount() != 1 || resp.Diagnostics[0].Summary() != summaryInvalidNumber ||
		resp.Diagnostics[0].Detail() != notWholeMessage("nginx.keepalive_requests", big.NewFloat(1.5)) {
		t.Errorf("got %v", resp.Diagnostics)
	}
	raw, err := n.ToTerraformValue(ctx)
	if err != nil || !raw.Equal(tftypes.NewValue(tftypes.Number, 1.5)) {
		t.Errorf("round trip: %v, %v", raw, err)
	}
	whole, _ := wholeNumberType{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.Number, 42))
	if w, ok := whole.(wholeNumberValue); !ok || w.IsUnknown() || w.ValueInt64() != 42 {
		t.Errorf("42 read as %v", w)
	}
}

func TestAttributePathConvertsEveryStep(t *testing.T) {
	got := attributePath(engine.Root("upstreams").Key("api").Index(2).Attr("type"))
	want := path.Root("upstreams").AtMapKey("api").AtListIndex(2).AtName("type")
	if !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A policy's violations land on its own field; settings it cannot hold, on nginx.
func TestViolationPathFollowsTheNginxSide(t *testing.T) {
	ngf := validationModel{GatewayFabric: types.ObjectValueMust(map[string]attr.Type{}, map[string]attr.Value{}), Nginx: types.ObjectNull(map[string]attr.Type{})}
	plain := validationModel{GatewayFabric: types.ObjectNull(map[string]attr.Type{}), Nginx: types.ObjectNull(map[string]attr.Type{})}
	for _, tc := range []struct {
		m    validationModel
		v    engine.Violation
		want path.Path
	}{
		{ngf, engine.Violation{Attribute: "keepalive_timeout"}, path.Root("gateway_fabric_upstream_settings").AtName("timeout")},
		{ngf, engine.Violation{Attribute: "keepalive"}, path.Root("gateway_fabric_upstream_settings").AtName("connections")},
		{ngf, engine.Violation{Attribute: "client_keepalive_timeout"}, path.Root("nginx").AtName("client_keepalive_timeout")},
		{plain, engine.Violation{Attribute: "keepalive_time"}, path.Root("nginx").AtName("keepalive_time")},
		{plain, engine.Violation{Backend: engine.Root("backends").Index(1)}, path.Root("backends").AtListIndex(1)},
	} {
		if got := tc.m.violationPath(tc.v); !got.Equal(tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.v, got, tc.want)
		}
	}
}
