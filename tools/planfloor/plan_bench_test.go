package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	nka "github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

// realProvider serves the real nginxkeepalive_validation through the same framework provider
// as the floor, so BenchmarkPlan compares the resources alone.
type realProvider struct{ floorProvider }

func (realProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{nka.NewValidationResource}
}

// BenchmarkPlan is bench-plan's ratio without Terraform: one ValidateResourceConfig and one
// PlanResourceChange of the benchmark's resource (nginx 1s/99 in front of gunicorn and tomcat),
// on the floor and on the real resource.
func BenchmarkPlan(b *testing.B) {
	for _, c := range []struct {
		name string
		p    provider.Provider
	}{{"floor", floorProvider{}}, {"real", realProvider{}}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			server, err := providerserver.NewProtocol6WithError(c.p)()
			if err != nil {
				b.Fatal(err)
			}
			config, prior := benchmarkConfig(b, server)
			for b.Loop() {
				v, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: config})
				if err != nil || len(v.Diagnostics) > 0 {
					b.Fatalf("ValidateResourceConfig = %v, %v", err, v.Diagnostics)
				}
				p, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
					TypeName: typeName, Config: config, ProposedNewState: config, PriorState: prior,
				})
				if err != nil || len(p.Diagnostics) > 0 {
					b.Fatalf("PlanResourceChange = %v, %v", err, p.Diagnostics)
				}
			}
		})
	}
}

func benchmarkConfig(b *testing.B, server tfprotov6.ProviderServer) (config, prior *tfprotov6.DynamicValue) {
	b.Helper()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schemas.ResourceSchemas[typeName] == nil {
		b.Fatalf("GetProviderSchema: %v", err)
	}
	objType, ok := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	backends, okList := objType.AttributeTypes["backends"].(tftypes.List)
	if !ok || !okList {
		b.Fatalf("unexpected schema type %s", objType)
	}
	backend := func(typ string) tftypes.Value {
		return objectValue(b, backends.ElementType, map[string]tftypes.Value{"type": tftypes.NewValue(tftypes.String, typ)})
	}
	value := nullsExcept(objType, map[string]tftypes.Value{
		"nginx": objectValue(b, objType.AttributeTypes["nginx"], map[string]tftypes.Value{
			"keepalive_timeout":  tftypes.NewValue(tftypes.String, "1s"),
			"keepalive_requests": tftypes.NewValue(tftypes.Number, 99),
		}),
		"backends": tftypes.NewValue(backends, []tftypes.Value{backend("gunicorn"), backend("tomcat")}),
	})
	c, err := tfprotov6.NewDynamicValue(objType, value)
	if err != nil {
		b.Fatal(err)
	}
	p, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, nil))
	if err != nil {
		b.Fatal(err)
	}
	return &c, &p
}
