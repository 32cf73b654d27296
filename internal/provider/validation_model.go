package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The validation resource reads and writes its plan and state by hand instead of with the
// framework's reflection-based Get and Set: those compile a regular expression per struct field
// and walk the whole value again per attribute set, which was a fifth of the provider's CPU per
// resource in make bench-plan. A module that validates every upstream it renders plans hundreds.

type nginxModel struct {
	KeepaliveTimeout       types.String
	KeepaliveRequests      types.Int64
	KeepaliveTime          types.String
	Keepalive              types.Int64
	Version                types.String
	ClientKeepaliveTimeout types.String
	Explicit               types.List
}

type validationModel struct {
	Nginx            *nginxModel
	GatewayFabric    *ngfUpstreamModel
	Backends         []backendModel
	LoadBalancer     *loadBalancerModel
	NginxConfig      types.String
	Upstreams        types.Dynamic
	WarningsAsErrors types.Bool
}

// readValidationModel converts a known plan of nginxkeepalive_validation.
func readValidationModel(ctx context.Context, raw tftypes.Value, schemaType attr.Type) (validationModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	value, err := schemaType.ValueFromTerraform(ctx, raw)
	if err != nil {
		diags.AddError("Cannot read the plan", "nginxkeepalive_validation: "+err.Error())
		return validationModel{}, diags
	}
	obj, ok := value.(basetypes.ObjectValue)
	if !ok {
		diags.AddError("Cannot read the plan", fmt.Sprintf("nginxkeepalive_validation: expected an object, got %T", value))
		return validationModel{}, diags
	}
	a := obj.Attributes()
	m := validationModel{
		NginxConfig:      asValue[types.String](a["nginx_config"]),
		Upstreams:        asValue[types.Dynamic](a["upstreams"]),
		WarningsAsErrors: asValue[types.Bool](a["warnings_as_errors"]),
	}
	if n := objectAttributes(a, "nginx"); n != nil {
		m.Nginx = &nginxModel{
			KeepaliveTimeout:       asValue[types.String](n["keepalive_timeout"]),
			KeepaliveRequests:      asValue[types.Int64](n["keepalive_requests"]),
			KeepaliveTime:          asValue[types.String](n["keepalive_time"]),
			Keepalive:              asValue[types.Int64](n["keepalive"]),
			Version:                asValue[types.String](n["version"]),
			ClientKeepaliveTimeout: asValue[types.String](n["client_keepalive_timeout"]),
			Explicit:               asValue[types.List](n["explicit"]),
		}
	}
	if g := objectAttributes(a, "gateway_fabric_upstream_settings"); g != nil {
		m.GatewayFabric = &ngfUpstreamModel{
			Connections: asValue[types.Int64](g["connections"]),
			Requests:    asValue[types.Int64](g["requests"]),
			Time:        asValue[types.String](g["time"]),
			Timeout:     asValue[types.String](g["timeout"]),
		}
	}
	if lb := objectAttributes(a, "load_balancer"); lb != nil {
		m.LoadBalancer = &loadBalancerModel{
			Type:        asValue[types.String](lb["type"]),
			IdleTimeout: asValue[types.String](lb["idle_timeout"]),
		}
	}
	for _, element := range asValue[types.List](a["backends"]).Elements() {
		b, _ := element.(types.Object)
		ba := b.Attributes()
		m.Backends = append(m.Backends, backendModel{
			Type:                     asValue[types.String](ba["type"]),
			Name:                     asValue[types.String](ba["name"]),
			Version:                  asValue[types.String](ba["version"]),
			IdleTimeout:              asValue[types.String](ba["idle_timeout"]),
			MaxRequestsPerConnection: asValue[types.Int64](ba["max_requests_per_connection"]),
			MaxConnectionAge:         asValue[types.String](ba["max_connection_age"]),
		})
	}
	return m, diags
}

// objectAttributes returns a nested object's attributes, or nil when it is null.
func objectAttributes(attrs map[string]attr.Value, name string) map[string]attr.Value {
	obj := asValue[types.Object](attrs[name])
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	return obj.Attributes()
}

// withComputed returns the plan with the computed id and findings set; nil findings and an
// empty id mean "known after apply".
func withComputed(raw tftypes.Value, id string, findings []string) (tftypes.Value, error) {
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return raw, fmt.Errorf("reading the plan: %w", err)
	}
	listType := tftypes.List{ElementType: tftypes.String}
	if id == "" {
		attrs["id"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
		attrs["findings"] = tftypes.NewValue(listType, tftypes.UnknownValue)
		return tftypes.NewValue(raw.Type(), attrs), nil
	}
	elements := make([]tftypes.Value, 0, len(findings))
	for _, f := range findings {
		elements = append(elements, tftypes.NewValue(tftypes.String, f))
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, id)
	attrs["findings"] = tftypes.NewValue(listType, elements)
	return tftypes.NewValue(raw.Type(), attrs), nil
}

// topLevel returns a configuration's top-level attribute values (nil when the whole object is
// null or unknown).
func topLevel(raw tftypes.Value) map[string]tftypes.Value {
	var attrs map[string]tftypes.Value
	if raw.IsNull() || !raw.IsKnown() || raw.As(&attrs) != nil {
		return nil
	}
	return attrs
}
