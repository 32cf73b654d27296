package provider

import (
	"context"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

// fullProbe is a probe object as the nginxkeepalive_probe data source hands it to a function:
// every input and output, of which a backend reads only some.
func fullProbe(overrides map[string]attr.Value) attr.Value {
	tlsTypes := map[string]attr.Type{"server_name": types.StringType, "ca_pem": types.StringType, "insecure_skip_verify": types.BoolType}
	given := map[string]attr.Value{
		"address": types.StringValue("127.0.0.1:8000"), "url": types.StringNull(), "method": types.StringValue("GET"),
		"path": types.StringValue("/"), "headers": types.MapValueMust(types.StringType, map[string]attr.Value{"Host": types.StringValue("api")}),
		"samples": types.NumberValue(big.NewFloat(3)), "max_wait": types.StringValue("75s"), "request_cap_probe": types.NumberValue(big.NewFloat(200)),
		"tls":          types.ObjectNull(tlsTypes),
		"idle_timeout": types.StringValue("2300ms"), "idle_timeout_ms": types.NumberValue(big.NewFloat(2300)),
		"idle_timeout_at_least": types.StringNull(), "close": types.StringValue("fin"),
		"max_requests_per_connection": types.NumberValue(big.NewFloat(7)), "announces_last": types.BoolValue(false),
		"requests_probed": types.NumberValue(big.NewFloat(7)),
		"samples_ms":      types.TupleValueMust([]attr.Type{types.NumberType, types.NumberType}, []attr.Value{types.NumberValue(big.NewFloat(2300)), types.NumberValue(big.NewFloat(2051))}),
		"http_version":    types.StringValue("HTTP/1.1"), "server": types.StringValue("gunicorn"),
	}
	for k, v := range overrides {
		given[k] = v
	}
	attrTypes := map[string]attr.Type{}
	for k, v := range given {
		attrTypes[k] = v.Type(context.Background())
	}
	return types.ObjectValueMust(attrTypes, given)
}

// typedProbe builds a backend with a probe as the resource's schema types it: only the
// attributes the schema declares, the others null.
func typedProbe(t *testing.T, given map[string]tftypes.Value) attr.Value {
	t.Helper()
	var resp resource.SchemaResponse
	NewValidationResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	list, ok := resp.Schema.Attributes["backends"].GetType().(basetypes.ListType)
	if !ok {
		t.Fatal("backends is not a list")
	}
	backend, ok := list.ElemType.TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("a backend is not an object")
	}
	probeType, ok := backend.AttributeTypes["probe"].(tftypes.Object)
	if !ok {
		t.Fatalf("probe is %T, want an object", backend.AttributeTypes["probe"])
	}
	values := map[string]tftypes.Value{}
	for name, typ := range probeType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
		if v, ok := given[name]; ok {
			values[name] = v
		}
	}
	return typedBackends(t, map[string]tftypes.Value{"probe": tftypes.NewValue(probeType, values)})
}

func TestDecodeProbeReadsWhatTheEngineNeeds(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	n := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }
	typed := typedProbe(t, map[string]tftypes.Value{
		"address": str("127.0.0.1:8000"), "close": str("fin"), "idle_timeout_ms": n(2300),
		"max_requests_per_connection": n(7), "announces_last": tftypes.NewValue(tftypes.Bool, false), "requests_probed": n(7),
	})
	dynamic := dynamicBackends(map[string]attr.Value{"probe": fullProbe(nil)})
	idle, found := 2300*time.Millisecond, int64(7)
	want := engine.Measurement{Target: "127.0.0.1:8000", Close: "fin", IdleTimeout: &idle, MaxRequests: &found}
	for name, v := range map[string]attr.Value{"typed": typed, "dynamic": dynamic} {
		bs, err := decodeBackends(v, engine.Root("backends"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bs[0].Type != "" || bs[0].Probe == nil || !reflect.DeepEqual(*bs[0].Probe, want) {
			t.Errorf("%s: got %+v, want the probe %+v", name, bs[0], want)
		}
	}
	// open, no cap found within 200, Connection: close: each picks its own values.
	for _, tc := range []struct {
		over map[string]attr.Value
		want engine.Measurement
	}{
		{map[string]attr.Value{"close": types.StringValue("open"), "idle_timeout_ms": types.NumberNull(), "idle_timeout_at_least": types.StringValue("75s"),
			"max_requests_per_connection": types.NumberNull(), "announces_last": types.BoolNull(), "requests_probed": types.NumberValue(big.NewFloat(200))},
			engine.Measurement{Target: "127.0.0.1:8000", Close: "open", IdleAtLeast: ptr(75 * time.Second), RequestsAtLeast: ptr(int64(200))}},
		{map[string]attr.Value{"close": types.StringValue("connection_close"), "idle_timeout_ms": types.NumberValue(big.NewFloat(0)),
			"max_requests_per_connection": types.NumberValue(big.NewFloat(1)), "announces_last": types.BoolValue(true), "requests_probed": types.NumberValue(big.NewFloat(1))},
			engine.Measurement{Target: "127.0.0.1:8000", Close: "connection_close", NoKeepAlive: true, MaxRequests: ptr(int64(1)), AnnouncesLast: true}},
		{map[string]attr.Value{"request_cap_probe": types.NumberValue(big.NewFloat(0)), "max_requests_per_connection": types.NumberNull(),
			"announces_last": types.BoolNull(), "requests_probed": types.NumberValue(big.NewFloat(0))},
			engine.Measurement{Target: "127.0.0.1:8000", Close: "fin", IdleTimeout: &idle}},
	} {
		bs, err := decodeBackends(dynamicBackends(map[string]attr.Value{"probe": fullProbe(tc.over)}), engine.Root("backends"))
		if err != nil || !reflect.DeepEqual(*bs[0].Probe, tc.want) {
			t.Errorf("%v: got %+v %v, want %+v", tc.over, bs[0].Probe, err, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// A bad probe value is named by its path, with the value and the fix, typed or dynamic alike.
func TestDecodeProbeBadValuesSameMessage(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	n := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }
	fix := "; pass the data source's object as-is: probe = data.nginxkeepalive_probe.NAME"
	cases := []struct {
		name    string
		typed   map[string]tftypes.Value
		dynamic map[string]attr.Value
		at      string
		want    string
	}{
		{"unknown close", map[string]tftypes.Value{"close": str("closed"), "idle_timeout_ms": n(5)},
			map[string]attr.Value{"close": types.StringValue("closed")}, "close",
			`backends[0].probe.close: "closed" is not how a probed connection ends; want "fin", "rst", "connection_close" or "open"` + fix},
		{"negative idle", map[string]tftypes.Value{"close": str("fin"), "idle_timeout_ms": n(-5)},
			map[string]attr.Value{"idle_timeout_ms": types.NumberValue(big.NewFloat(-5))}, "idle_timeout_ms",
			`backends[0].probe.idle_timeout_ms: -5 is negative; a measured idle close is 0 ms or more` + fix},
		{"closed without its idle time", map[string]tftypes.Value{"close": str("rst")},
			map[string]attr.Value{"close": types.StringValue("rst"), "idle_timeout_ms": types.NumberNull()}, "idle_timeout_ms",
			`backends[0].probe.idle_timeout_ms is null while close is "rst"; a closed connection gives its idle time in milliseconds` + fix},
		{"open without its wait", map[string]tftypes.Value{"close": str("open")},
			map[string]attr.Value{"close": types.StringValue("open")}, "idle_timeout_at_least",
			`backends[0].probe.idle_timeout_at_least is null while close is "open"; an open probe gives the wait its connections survived` + fix},
		{"cap of zero", map[string]tftypes.Value{"close": str("fin"), "idle_timeout_ms": n(5), "max_requests_per_connection": n(0)},
			map[string]attr.Value{"max_requests_per_connection": types.NumberValue(big.NewFloat(0))}, "max_requests_per_connection",
			`backends[0].probe.max_requests_per_connection: 0 is below 1; a cap found counts the responses one connection carried (null when none was found)` + fix},
		{"fractional idle", map[string]tftypes.Value{"close": str("fin"), "idle_timeout_ms": n(1.5)},
			map[string]attr.Value{"idle_timeout_ms": types.NumberValue(big.NewFloat(1.5))}, "idle_timeout_ms",
			`backends[0].probe.idle_timeout_ms must be a whole number between -9223372036854775808 and 9223372036854775807, got 1.5`},
		{"close missing", map[string]tftypes.Value{"idle_timeout_ms": n(5)},
			map[string]attr.Value{"close": types.StringNull()}, "close",
			`backends[0].probe.close is required, e.g. "fin"`},
	}
	for _, tc := range cases {
		var typedErr, dynamicErr *valueError
		_, err := decodeBackends(typedProbe(t, tc.typed), engine.Root("backends"))
		if !errors.As(err, &typedErr) {
			t.Fatalf("%s typed: got %v, want a valueError", tc.name, err)
		}
		_, err = decodeBackends(dynamicBackends(map[string]attr.Value{"probe": fullProbe(tc.dynamic)}), engine.Root("backends"))
		if !errors.As(err, &dynamicErr) {
			t.Fatalf("%s dynamic: got %v, want a valueError", tc.name, err)
		}
		if typedErr.detail != tc.want || dynamicErr.detail != tc.want {
			t.Errorf("%s: typed says %q, dynamic says %q, want %q", tc.name, typedErr.detail, dynamicErr.detail, tc.want)
		}
		want := path.Root("backends").AtListIndex(0).AtName("probe").AtName(tc.at)
		if !attributePath(typedErr.at).Equal(want) || !attributePath(dynamicErr.at).Equal(want) {
			t.Errorf("%s: paths %v and %v, want %v", tc.name, attributePath(typedErr.at), attributePath(dynamicErr.at), want)
		}
	}
}

// type may be left out only when a probe is given; the message names both ways.
func TestDecodeTypeRequiredUnlessProbe(t *testing.T) {
	_, err := decodeBackends(dynamicBackends(map[string]attr.Value{"name": types.StringValue("api")}), engine.Root("backends"))
	var ve *valueError
	if !errors.As(err, &ve) || ve.detail != `backends[0].type is required, e.g. "gunicorn" (or give backends[0].probe)` {
		t.Fatalf("got %v", err)
	}
	_, err = decodeBackends(typedBackends(t, map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, "api")}), engine.Root("backends"))
	if !errors.As(err, &ve) || !attributePath(ve.at).Equal(path.Root("backends").AtListIndex(0).AtName("type")) {
		t.Fatalf("typed: got %v", err)
	}
}

// Without a probe, a backend's missing type fails validation already, with the decoder's
// message; with a probe (even one unknown until apply) it does not.
func TestTypeRequiredUnlessProbeAtValidation(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewValidationResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	schemaType, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	list, ok := schemaType.AttributeTypes["backends"].(tftypes.List)
	if !ok {
		t.Fatal("backends is not a list")
	}
	backend, ok := list.ElementType.(tftypes.Object)
	if !ok {
		t.Fatal("a backend is not an object")
	}
	config := func(probe tftypes.Value) tfsdk.Config {
		b := map[string]tftypes.Value{}
		for name, typ := range backend.AttributeTypes {
			b[name] = tftypes.NewValue(typ, nil)
		}
		b["probe"] = probe
		top := map[string]tftypes.Value{}
		for name, typ := range schemaType.AttributeTypes {
			top[name] = tftypes.NewValue(typ, nil)
		}
		top["backends"] = tftypes.NewValue(list, []tftypes.Value{tftypes.NewValue(backend, b)})
		return tfsdk.Config{Schema: resp.Schema, Raw: tftypes.NewValue(schemaType, top)}
	}
	at := path.Root("backends").AtListIndex(0).AtName("type")
	probeType := backend.AttributeTypes["probe"]
	for name, tc := range map[string]struct {
		probe  tftypes.Value
		errors int
	}{
		"no probe":      {tftypes.NewValue(probeType, nil), 1},
		"unknown probe": {tftypes.NewValue(probeType, tftypes.UnknownValue), 0},
	} {
		req := validator.StringRequest{Path: at, Config: config(tc.probe), ConfigValue: types.StringNull()}
		var out validator.StringResponse
		requiredUnless{example: `"gunicorn"`, unless: "probe"}.ValidateString(ctx, req, &out)
		if out.Diagnostics.ErrorsCount() != tc.errors {
			t.Fatalf("%s: got %v, want %d errors", name, out.Diagnostics, tc.errors)
		}
		if tc.errors > 0 && out.Diagnostics[0].Detail() != `backends[0].type is required, e.g. "gunicorn" (or give backends[0].probe)` {
			t.Errorf("%s: message %q", name, out.Diagnostics[0].Detail())
		}
	}
}
