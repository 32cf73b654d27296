package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The plan answered at the protocol level must report diagnostics where the framework would:
// same severity, texts and attribute path.
func TestToProtocolDiagnosticsKeepsSeverityTextAndPath(t *testing.T) {
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root("upstreams").AtMapKey("api").AtListIndex(1).AtName("idle_timeout"), "summary", "detail")
	diags.AddAttributeWarning(path.Root("nginx").AtName("keepalive"), "near miss", "detail 2")
	diags.AddError("no path", "detail 3")

	got := toProtocolDiagnostics(diags)
	if len(got) != 3 {
		t.Fatalf("got %d diagnostics, want 3", len(got))
	}
	wantPath := tftypes.NewAttributePath().WithAttributeName("upstreams").WithElementKeyString("api").
		WithElementKeyInt(1).WithAttributeName("idle_timeout")
	if got[0].Severity != tfprotov6.DiagnosticSeverityError || got[0].Summary != "summary" || got[0].Detail != "detail" ||
		!got[0].Attribute.Equal(wantPath) {
		t.Errorf("error diagnostic: %+v at %v, want at %v", got[0], got[0].Attribute, wantPath)
	}
	if got[1].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!got[1].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("nginx").WithAttributeName("keepalive")) {
		t.Errorf("warning diagnostic: %+v at %v", got[1], got[1].Attribute)
	}
	if got[2].Attribute != nil {
		t.Errorf("a diagnostic without a path got one: %v", got[2].Attribute)
	}
}

// Every attribute kind in the validation resource's schema, nested ones included, must have a
// case in validateAttribute; a new kind would otherwise fail every plan with an internal error.
func TestValidateAttributeHandlesEveryKindInTheSchema(t *testing.T) {
	var resp resource.SchemaResponse
	NewValidationResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var visit func(attrs map[string]schema.Attribute, at path.Path)
	visit = func(attrs map[string]schema.Attribute, at path.Path) {
		for name, a := range attrs {
			var diags diag.Diagnostics
			validateAttribute(context.Background(), tfsdk.Config{}, a, nil, at.AtName(name), &diags)
			if diags.HasError() {
				t.Errorf("%s: %v", at.AtName(name), diags)
			}
			switch nested := a.(type) {
			case schema.SingleNestedAttribute:
				visit(nested.Attributes, at.AtName(name))
			case schema.ListNestedAttribute:
				visit(nested.NestedObject.Attributes, at.AtName(name).AtListIndex(0))
			}
		}
	}
	visit(resp.Schema.Attributes, path.Empty())
}
