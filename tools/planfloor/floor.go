package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	nka "github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/provider"
)

// floorID is the id every floor resource gets at apply.
const floorID = "floor"

type floorProvider struct{}

func newFloorProvider() provider.Provider { return floorProvider{} }

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "nginxkeepalive"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &floorResource{source: nka.NewValidationResource()} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorResource takes its type name and schema from the real resource and implements nothing
// else: no ValidateConfig, no config validators, no ModifyPlan.
type floorResource struct {
	source resource.Resource
}

func (r *floorResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.source.Metadata(ctx, req, resp)
}

func (r *floorResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = floorSchema(ctx, r.source, &resp.Diagnostics)
}

// floorSchema is the real resource's schema with its validators and plan modifiers removed
// (they are the provider's work); types, optional/required/computed, sensitivity, descriptions
// and defaults stay (the framework's own work, and defaults change the plan).
func floorSchema(ctx context.Context, source resource.Resource, diags *diag.Diagnostics) schema.Schema {
	var resp resource.SchemaResponse
	source.Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		diags.Append(resp.Diagnostics...)
		return resp.Schema
	}
	s := resp.Schema
	attrs, err := withoutWork(s.Attributes)
	if err != nil {
		diags.AddError("planfloor: real schema", err.Error())
	}
	s.Attributes = attrs
	return s
}

// withoutWork copies attrs without validators and plan modifiers, nested attributes included. An
// attribute type it does not know is an error, so a new kind of attribute is noticed here rather
// than left doing work in the floor.
func withoutWork(attrs map[string]schema.Attribute) (map[string]schema.Attribute, error) {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		stripped, err := attrWithoutWork(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		out[name] = stripped
	}
	return out, nil
}

func attrWithoutWork(a schema.Attribute) (schema.Attribute, error) {
	switch a := a.(type) {
	case schema.StringAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.BoolAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.Int64Attribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.Float64Attribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.NumberAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.DynamicAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.ListAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.SetAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.MapAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.ObjectAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		return a, nil
	case schema.SingleNestedAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		attrs, err := withoutWork(a.Attributes)
		a.Attributes = attrs
		return a, err
	case schema.ListNestedAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		obj, err := objectWithoutWork(a.NestedObject)
		a.NestedObject = obj
		return a, err
	case schema.SetNestedAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		obj, err := objectWithoutWork(a.NestedObject)
		a.NestedObject = obj
		return a, err
	case schema.MapNestedAttribute:
		a.Validators, a.PlanModifiers = nil, nil
		obj, err := objectWithoutWork(a.NestedObject)
		a.NestedObject = obj
		return a, err
	default:
		return nil, fmt.Errorf("planfloor does not know attribute type %T", a)
	}
}

func objectWithoutWork(o schema.NestedAttributeObject) (schema.NestedAttributeObject, error) {
	attrs, err := withoutWork(o.Attributes)
	o.Attributes, o.Validators, o.PlanModifiers = attrs, nil, nil
	return o, err
}

// Create and Update store the plan with the computed id and findings known (the framework plans
// them unknown, as it would for the real resource without its own plan logic).
func (r *floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	setComputed(ctx, &resp.State, &resp.Diagnostics)
}

func (r *floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	setComputed(ctx, &resp.State, &resp.Diagnostics)
}

func (r *floorResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func setComputed(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics) {
	attrs := state.Schema.GetAttributes()
	if _, ok := attrs["id"]; ok {
		diags.Append(state.SetAttribute(ctx, path.Root("id"), types.StringValue(floorID))...)
	}
	if _, ok := attrs["findings"]; ok {
		diags.Append(state.SetAttribute(ctx, path.Root("findings"), types.ListValueMust(types.StringType, nil))...)
	}
}
