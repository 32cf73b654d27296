package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	nka "github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

const typeName = "nginxkeepalive_validation"

// TestFloorSchemaIsTheRealOne: the floor plans the same HCL as the provider only if its schema
// has the same type, attribute for attribute.
func TestFloorSchemaIsTheRealOne(t *testing.T) {
	ctx := context.Background()
	var source resource.SchemaResponse
	nka.NewValidationResource().Schema(ctx, resource.SchemaRequest{}, &source)
	var floor resource.SchemaResponse
	(&floorResource{source: nka.NewValidationResource()}).Schema(ctx, resource.SchemaRequest{}, &floor)
	if floor.Diagnostics.HasError() {
		t.Fatalf("floor schema: %v", floor.Diagnostics)
	}
	if got, want := floor.Schema.Type().TerraformType(ctx), source.Schema.Type().TerraformType(ctx); !got.Equal(want) {
		t.Errorf("floor schema type = %s, want the real resource's %s", got, want)
	}
}

// TestFloorDoesNoWork: a keepalive_timeout the real resource rejects plans on the floor, and the
// plan carries the framework's default for warnings_as_errors and an unknown id.
func TestFloorDoesNoWork(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(newFloorProvider())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schemas.ResourceSchemas[typeName] == nil {
		t.Fatalf("GetProviderSchema: %v, resource schemas %v", err, schemas.ResourceSchemas)
	}
	objType, ok := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typeName)
	}
	config := nullsExcept(objType, map[string]tftypes.Value{
		"nginx": objectValue(t, objType.AttributeTypes["nginx"], map[string]tftypes.Value{
			"keepalive_timeout": tftypes.NewValue(tftypes.String, "not a duration"),
		}),
	})
	dv, err := tfprotov6.NewDynamicValue(objType, config)
	if err != nil {
		t.Fatal(err)
	}

	v, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &dv})
	if err != nil || len(v.Diagnostics) > 0 {
		t.Fatalf("ValidateResourceConfig = %v, %v; want no diagnostics (the floor runs no validators)", err, v.Diagnostics)
	}
	prior, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &dv, ProposedNewState: &dv, PriorState: &prior,
	})
	if err != nil || len(p.Diagnostics) > 0 {
		t.Fatalf("PlanResourceChange = %v, %v", err, p.Diagnostics)
	}
	planned, err := p.PlannedState.Unmarshal(objType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := planned.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if attrs["id"].IsKnown() {
		t.Errorf("planned id = %v, want unknown", attrs["id"])
	}
	var warningsAsErrors bool
	if err := attrs["warnings_as_errors"].As(&warningsAsErrors); err != nil || warningsAsErrors {
		t.Errorf("planned warnings_as_errors = %v (%v), want the schema default false", attrs["warnings_as_errors"], err)
	}
}

func nullsExcept(t tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, at := range t.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(t, vals)
}

func objectValue(t testing.TB, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	return nullsExcept(obj, set)
}
