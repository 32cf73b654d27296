package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns the provider's protocol server: terraform-plugin-framework's, except
// that nginxkeepalive_validation's two per-resource calls of a plan (ValidateResourceConfig and
// PlanResourceChange) are answered here. A module that checks every upstream it renders plans
// hundreds of these, and the framework's generic handling of them (defaults, unknown marking,
// per-attribute plan modification and validation, each a walk over the whole value with schema
// maps rebuilt per lookup) cost 1.7 times what Terraform itself charges per resource (make
// bench-plan). The schema and its validators, ValidateConfig and the apply are the framework
// resource's own; this only walks them more cheaply.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return &server{ProviderServer: providerserver.NewProtocol6(New(version)())()}
	}
}

type server struct {
	tfprotov6.ProviderServer
	validation validationPlanner
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	if req.TypeName != validationTypeName {
		return s.ProviderServer.ValidateResourceConfig(ctx, req)
	}
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: toProtocolDiagnostics(s.validation.validate(ctx, req.Config))}, nil
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if req.TypeName != validationTypeName {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	}
	return s.validation.plan(ctx, req), nil
}

// validationPlanner plans nginxkeepalive_validation: the configured values, false for an
// unset warnings_as_errors, and id and findings from the check (unknown while an input is).
type validationPlanner struct {
	once       sync.Once
	schema     schema.Schema
	schemaType attr.Type    // the framework's type of the resource, for readValidationModel
	valueType  tftypes.Type // the same as Terraform encodes it
}

func (p *validationPlanner) types(ctx context.Context) (attr.Type, tftypes.Type) {
	p.once.Do(func() {
		var resp resource.SchemaResponse
		NewValidationResource().Schema(ctx, resource.SchemaRequest{}, &resp)
		p.schema = resp.Schema
		p.schemaType = resp.Schema.Type()
		p.valueType = p.schemaType.TerraformType(ctx)
	})
	return p.schemaType, p.valueType
}

// validate runs the schema's attribute validators and the resource's ValidateConfig, as the
// framework would, on a configuration that may hold unknown values.
func (p *validationPlanner) validate(ctx context.Context, raw *tfprotov6.DynamicValue) (diags diag.Diagnostics) {
	defer recoverToDiagnostic(&diags)
	schemaType, valueType := p.types(ctx)
	config, err := raw.Unmarshal(valueType)
	if err != nil {
		diags.AddError("Cannot read the configuration", "nginxkeepalive_validation: "+err.Error())
		return diags
	}
	if checkWholeNumbers(config, "upstreams", &diags); diags.HasError() {
		return diags
	}
	value, err := schemaType.ValueFromTerraform(ctx, config)
	if err != nil {
		diags.AddError("Cannot read the configuration", "nginxkeepalive_validation: "+err.Error())
		return diags
	}
	obj, _ := value.(types.Object)
	if obj.IsNull() || obj.IsUnknown() {
		return diags
	}
	tfConfig := tfsdk.Config{Raw: config, Schema: p.schema}
	validateAttributes(ctx, tfConfig, p.schema.Attributes, obj.Attributes(), path.Empty(), &diags)
	var resp resource.ValidateConfigResponse
	(&validationResource{}).ValidateConfig(ctx, resource.ValidateConfigRequest{Config: tfConfig}, &resp)
	diags.Append(resp.Diagnostics...)
	return diags
}

func (p *validationPlanner) plan(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate}
	var diags diag.Diagnostics
	planned, ok := p.planned(ctx, req, &diags)
	if ok {
		resp.PlannedState = planned
	}
	resp.Diagnostics = toProtocolDiagnostics(diags)
	return resp
}

func (p *validationPlanner) planned(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest, diags *diag.Diagnostics) (planned *tfprotov6.DynamicValue, ok bool) {
	defer recoverToDiagnostic(diags)
	schemaType, valueType := p.types(ctx)
	proposed, err := req.ProposedNewState.Unmarshal(valueType)
	if err != nil {
		diags.AddError("Cannot read the proposed plan", "nginxkeepalive_validation: "+err.Error())
		return nil, false
	}
	if proposed.IsNull() {
		return req.ProposedNewState, true // destroy: nothing to check
	}
	config, err := req.Config.Unmarshal(valueType)
	if err != nil {
		diags.AddError("Cannot read the configuration", "nginxkeepalive_validation: "+err.Error())
		return nil, false
	}
	value, err := withDefaults(proposed)
	if err != nil {
		diags.AddError("Cannot write the plan", "nginxkeepalive_validation: "+err.Error())
		return nil, false
	}
	if config.IsFullyKnown() {
		(&validationResource{}).check(ctx, value, schemaType, &value, diags)
	} else {
		// Inputs unknown until apply: id and findings wait for apply, which checks again.
		value, err = withComputed(value, "", nil)
		if err != nil {
			diags.AddError("Cannot write the plan", "nginxkeepalive_validation: "+err.Error())
		}
	}
	if diags.HasError() {
		return nil, false
	}
	encoded, err := tfprotov6.NewDynamicValue(valueType, value)
	if err != nil {
		diags.AddError("Cannot write the plan", "nginxkeepalive_validation: "+err.Error())
		return nil, false
	}
	return &encoded, true
}

// withDefaults sets warnings_as_errors to its default, false, when the configuration leaves it out.
func withDefaults(plan tftypes.Value) (tftypes.Value, error) {
	var attrs map[string]tftypes.Value
	if err := plan.As(&attrs); err != nil {
		return plan, fmt.Errorf("reading the plan: %w", err)
	}
	if attrs["warnings_as_errors"].IsNull() {
		attrs["warnings_as_errors"] = tftypes.NewValue(tftypes.Bool, false)
	}
	return tftypes.NewValue(plan.Type(), attrs), nil
}

// toProtocolDiagnostics converts framework diagnostics, with their attribute paths, for a
// response written at the protocol level.
func toProtocolDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = toAttributePath(withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

func toAttributePath(p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		}
	}
	return ap
}
