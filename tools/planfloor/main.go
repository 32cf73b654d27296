// Command planfloor is the floor that `make bench-plan` measures the provider against: the same
// binary, schemas and start-up as terraform-provider-nginxkeepalive, but nginxkeepalive_validation
// does no work per resource (no validation, no framework plan logic; the plan only fills in the
// computed attributes). Whatever the floor costs over the HCL-only plan is Terraform's own price for
// a provider resource (process start-ups, gRPC, msgpack, schema handling), which no provider can
// avoid. Not for use outside the benchmark.
package main

import (
	"context"
	"fmt"
	"log"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/procenv"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

const resourceType = "nginxkeepalive_validation"

// floorServer is the real provider's protocol server with the two per-resource calls of a plan
// replaced by the least a provider can answer.
type floorServer struct {
	tfprotov6.ProviderServer
	once      sync.Once
	valueType tftypes.Type
	schemaErr error
}

// resourceValueType reads the resource's type from the real schema once, on first use, so
// start-up costs what the provider's does.
func (s *floorServer) resourceValueType(ctx context.Context) (tftypes.Type, error) {
	s.once.Do(func() {
		schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		switch {
		case err != nil:
			s.schemaErr = err
		case schemas.ResourceSchemas[resourceType] == nil:
			s.schemaErr = fmt.Errorf("no schema for %s", resourceType)
		default:
			s.valueType = schemas.ResourceSchemas[resourceType].ValueType()
		}
	})
	return s.valueType, s.schemaErr
}

func (s *floorServer) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (s *floorServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	valueType, err := s.resourceValueType(ctx)
	if err != nil {
		return nil, fmt.Errorf("planfloor: %w", err)
	}
	planned, err := fillComputed(req.ProposedNewState, valueType)
	if err != nil {
		return nil, fmt.Errorf("planfloor: %w", err)
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: planned, PlannedPrivate: req.PriorPrivate}, nil
}

// fillComputed sets what the framework would: the default of warnings_as_errors and known
// values for id and findings.
func fillComputed(proposed *tfprotov6.DynamicValue, valueType tftypes.Type) (*tfprotov6.DynamicValue, error) {
	value, err := proposed.Unmarshal(valueType)
	if err != nil || value.IsNull() {
		return proposed, err
	}
	var attrs map[string]tftypes.Value
	if err := value.As(&attrs); err != nil {
		return nil, err
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, "floor")
	attrs["findings"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{})
	if attrs["warnings_as_errors"].IsNull() {
		attrs["warnings_as_errors"] = tftypes.NewValue(tftypes.Bool, false)
	}
	planned, err := tfprotov6.NewDynamicValue(valueType, tftypes.NewValue(valueType, attrs))
	return &planned, err
}

func main() {
	procenv.Tune()
	server := &floorServer{ProviderServer: provider.NewProtocol6Server("floor")()}
	err := tf6server.Serve("registry.terraform.io/nginx-keepalive/nginxkeepalive", func() tfprotov6.ProviderServer { return server })
	if err != nil {
		log.Fatal(err)
	}
}
