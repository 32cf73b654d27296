package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// typedBackends builds `backends` as the resource's schema types it: one custom backend whose
// idle_timeout is given, every other attribute null.
func typedBackends(t *testing.T, idle string) attr.Value {
	t.Helper()
	var resp resource.SchemaResponse
	NewValidationResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	objType := resp.Schema.Attributes["backends"].GetType().(basetypes.ListType).ElemType.(basetypes.ObjectType)
	values := map[string]attr.Value{}
	for name, typ := range objType.AttrTypes {
		values[name] = types.StringNull()
		if typ == types.Int64Type {
			values[name] = types.Int64Null()
		}
	}
	values["type"], values["idle_timeout"] = types.StringValue("custom"), types.StringValue(idle)
	return types.ListValueMust(objType, []attr.Value{types.ObjectValueMust(objType.AttrTypes, values)})
}

// dynamicBackends builds the same list as a function argument arrives: a tuple of objects
// holding only the attributes written.
func dynamicBackends(idle string) attr.Value {
	objType := types.ObjectType{AttrTypes: map[string]attr.Type{"type": types.StringType, "idle_timeout": types.StringType}}
	obj := types.ObjectValueMust(objType.AttrTypes, map[string]attr.Value{"type": types.StringValue("custom"), "idle_timeout": types.StringValue(idle)})
	return types.DynamicValue(types.TupleValueMust([]attr.Type{objType}, []attr.Value{obj}))
}

// One decoder reads the resource's typed backends and a function's dynamic ones, so the same
// bad value gets the same message and path either way.
func TestDecodeBackendsSameMessageTypedAndDynamic(t *testing.T) {
	for idle, want := range map[string]string{
		"0s":    `backends[0].idle_timeout: "0s" is zero; give a positive duration such as "5s"`,
		"5 sec": `backends[0].idle_timeout: invalid nginx time "5 sec": units must appear once each, largest first (use a number with an optional unit ms, s, m, h, d or w, e.g. "55s" or "1m30s")`,
	} {
		var typedErr, dynamicErr *valueError
		_, err := decodeBackends(typedBackends(t, idle), engine.Root("backends"))
		if !errors.As(err, &typedErr) {
			t.Fatalf("%q typed: got %v, want a valueError", idle, err)
		}
		_, err = decodeBackends(dynamicBackends(idle), engine.Root("backends"))
		if !errors.As(err, &dynamicErr) {
			t.Fatalf("%q dynamic: got %v, want a valueError", idle, err)
		}
		if typedErr.detail != want || dynamicErr.detail != want {
			t.Errorf("%q: typed says %q, dynamic says %q, want %q", idle, typedErr.detail, dynamicErr.detail, want)
		}
		wantPath := path.Root("backends").AtListIndex(0).AtName("idle_timeout")
		if !attributePath(typedErr.at).Equal(wantPath) || !attributePath(dynamicErr.at).Equal(wantPath) {
			t.Errorf("%q: paths %v and %v, want %v", idle, attributePath(typedErr.at), attributePath(dynamicErr.at), wantPath)
		}
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
