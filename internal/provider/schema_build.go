package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rsschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// dataSourceAttrs builds data source attributes from shared specs.
func dataSourceAttrs(specs []attrSpec) map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(specs))
	for _, s := range specs {
		optional := !s.Required
		switch s.Kind {
		case "int64":
			out[s.Name] = dsschema.Int64Attribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description, Validators: s.Ints}
		case "bool":
			out[s.Name] = dsschema.BoolAttribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description}
		default:
			out[s.Name] = dsschema.StringAttribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description, Validators: s.Strings}
		}
	}
	return out
}

// resourceAttrs builds resource attributes from shared specs.
func resourceAttrs(specs []attrSpec) map[string]rsschema.Attribute {
	out := make(map[string]rsschema.Attribute, len(specs))
	for _, s := range specs {
		optional := !s.Required
		switch s.Kind {
		case "int64":
			out[s.Name] = rsschema.Int64Attribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description, Validators: s.Ints}
		case "bool":
			out[s.Name] = rsschema.BoolAttribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description}
		default:
			out[s.Name] = rsschema.StringAttribute{Required: s.Required, Optional: optional, MarkdownDescription: s.Description, Validators: s.Strings}
		}
	}
	return out
}

func dataSourceBackends(required bool) dsschema.ListNestedAttribute {
	return dsschema.ListNestedAttribute{
		Required: required, Optional: !required,
		MarkdownDescription: backendsDescription,
		NestedObject:        dsschema.NestedAttributeObject{Attributes: dataSourceAttrs(backendAttrs)},
		Validators:          backendsListValidators,
	}
}

func resourceBackends(required bool) rsschema.ListNestedAttribute {
	return rsschema.ListNestedAttribute{
		Required: required, Optional: !required,
		MarkdownDescription: backendsDescription,
		NestedObject:        rsschema.NestedAttributeObject{Attributes: resourceAttrs(backendAttrs)},
		Validators:          backendsListValidators,
	}
}

func dataSourceLoadBalancer() dsschema.SingleNestedAttribute {
	return dsschema.SingleNestedAttribute{Optional: true, MarkdownDescription: loadBalancerDescription, Attributes: dataSourceAttrs(loadBalancerAttrs)}
}

func resourceLoadBalancer() rsschema.SingleNestedAttribute {
	return rsschema.SingleNestedAttribute{Optional: true, MarkdownDescription: loadBalancerDescription, Attributes: resourceAttrs(loadBalancerAttrs)}
}
