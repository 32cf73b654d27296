package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

var (
	_ resource.Resource                   = &validationResource{}
	_ resource.ResourceWithValidateConfig = &validationResource{}
	_ resource.ResourceWithModifyPlan     = &validationResource{}
)

// NewValidationResource returns the nginxkeepalive_validation resource.
func NewValidationResource() resource.Resource { return &validationResource{} }

type validationResource struct{}

type validationModel struct {
	ID               types.String  `tfsdk:"id"`
	Nginx            types.Object  `tfsdk:"nginx"`
	GatewayFabric    types.Object  `tfsdk:"gateway_fabric_upstream_settings"`
	Backends         types.List    `tfsdk:"backends"`
	LoadBalancer     types.Object  `tfsdk:"load_balancer"`
	NginxConfig      types.String  `tfsdk:"nginx_config"`
	StrictIncludes   types.Bool    `tfsdk:"strict_includes"`
	Upstreams        types.Dynamic `tfsdk:"upstreams"`
	WarningsAsErrors types.Bool    `tfsdk:"warnings_as_errors"`
	Findings         types.List    `tfsdk:"findings"`
}

func (r *validationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_validation"
}

func (r *validationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fails `terraform plan` when nginx's upstream keep-alive settings would outlive a backend: " +
			"`keepalive_timeout` not strictly shorter than a backend's idle timeout, `keepalive_requests` not below its " +
			"per-connection cap, `keepalive_time` not below its connection age, or nginx's client side not outliving a load " +
			"balancer in front. Errors name both values, the backend, the source of its limit and the fix on both sides. " +
			"The resource has no remote side effects; values unknown at plan time are checked again before apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "A digest of the checked inputs."},
			"nginx": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "nginx's upstream settings. Any omitted value means nginx's own default for `version` " +
					"(so an empty `nginx = {}` in front of gunicorn fails: nginx's default 60s outlives gunicorn's 2s). An upstream " +
					"from `data.nginxkeepalive_config` can be passed as-is.",
				Attributes: nginxSet.resourceAttributes(),
			},
			"gateway_fabric_upstream_settings": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Instead of `nginx`: an NGINX Gateway Fabric `UpstreamSettingsPolicy` `spec.keepAlive` " +
					"(`connections`, `requests`, `time`, `timeout`), e.g. from an existing policy. Omitted fields mean nginx's defaults, " +
					"which NGF leaves in place (60s `keepalive_timeout`).",
				Attributes: gatewayFabricSet.resourceAttributes(),
			},
			"backends": schema.ListNestedAttribute{Optional: true, MarkdownDescription: backendsDescription,
				NestedObject: schema.NestedAttributeObject{Attributes: backendSet.resourceAttributes()}, Validators: backendsValidators},
			"nginx_config": schema.StringAttribute{Optional: true,
				MarkdownDescription: "A whole nginx configuration (text, e.g. `file(\"nginx.conf\")`) to check at once, with `upstreams` naming " +
					"the backends behind each upstream block. Effective values (explicit, else nginx's defaults) are read as " +
					"`nginxkeepalive_config` reads them; `nginx.version` selects the defaults."},
			"strict_includes": schema.BoolAttribute{Optional: true, MarkdownDescription: "With `nginx_config`: " + strictIncludesDescription +
				" The warning is reported on `nginx_config` and listed in `findings` (an error with `warnings_as_errors`)."},
			"upstreams": schema.DynamicAttribute{Optional: true,
				MarkdownDescription: "With `nginx_config`: a map of upstream block name to its backends list, e.g. " +
					"`{ api = [{ type = \"gunicorn\" }], billing = [{ type = \"tomcat\" }] }`."},
			"load_balancer": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: loadBalancerDescription,
				Attributes: loadBalancerSet.resourceAttributes()},
			"warnings_as_errors": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Fail the plan on warnings too (near misses smaller than the default margin, useless pools)."},
			"findings": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Warnings that did not fail the plan."},
		},
	}
}

// ValidateConfig checks which top-level attributes go together, with the fix spelled out,
// which the generic resourcevalidator messages lack; values unknown until apply are not judged.
func (r *validationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m validationModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	given := map[string]attr.Value{
		"nginx": m.Nginx, "gateway_fabric_upstream_settings": m.GatewayFabric, "backends": m.Backends,
		"nginx_config": m.NginxConfig, "upstreams": m.Upstreams,
	}
	// set reports whether every named attribute is known and whether each is non-null.
	set := func(names ...string) (known bool, nonNull []bool) {
		for _, name := range names {
			v := given[name]
			if v.IsUnknown() {
				return false, nil
			}
			nonNull = append(nonNull, !v.IsNull())
		}
		return true, nonNull
	}
	for _, pair := range [][2]string{
		{"gateway_fabric_upstream_settings", "nginx"},
		{"gateway_fabric_upstream_settings", "nginx_config"},
		{"upstreams", "backends"},
	} {
		if known, nonNull := set(pair[0], pair[1]); known && nonNull[0] && nonNull[1] {
			resp.Diagnostics.AddAttributeError(path.Root(pair[0]), summaryInvalidCombination,
				fmt.Sprintf("Attribute %q cannot be specified when %q is specified. %s", pair[1], pair[0], attributeChoice))
		}
	}
	if known, nonNull := set("nginx_config", "upstreams"); known && nonNull[0] != nonNull[1] {
		missing := "upstreams"
		if !nonNull[0] {
			missing = "nginx_config"
		}
		resp.Diagnostics.AddAttributeError(path.Root(missing), summaryMissingAttribute,
			fmt.Sprintf("Attributes \"nginx_config\" and \"upstreams\" must be specified together; %q is missing. %s", missing, attributeChoice))
	}
	if known, nonNull := set("backends", "upstreams"); known && !nonNull[0] && !nonNull[1] {
		resp.Diagnostics.AddAttributeError(path.Root("backends"), summaryMissingAttribute,
			"Nothing to check: neither \"backends\" nor \"upstreams\" is specified. "+attributeChoice)
	}
}

// attributeChoice is the fix named by every combination error.
const attributeChoice = "Give either nginx (or gateway_fabric_upstream_settings) with backends for one upstream, " +
	"or nginx_config with upstreams (a map of upstream block name to its backends) for a whole configuration."

// nginxSide returns the declared set that gives nginx's settings, and where it sits.
func (m *validationModel) nginxSide() (attrSet[engine.Nginx], types.Object, engine.Path) {
	if !m.GatewayFabric.IsNull() {
		return gatewayFabricSet, m.GatewayFabric, engine.Root("gateway_fabric_upstream_settings")
	}
	return nginxSet, m.Nginx, engine.Root("nginx")
}

// toEngine decodes a known model for the engine.
func (m *validationModel) toEngine() (in engine.Input, ng engine.Nginx, err error) {
	in.Backends = []engine.Backend{}
	if !m.Backends.IsNull() {
		if in.Backends, err = decodeBackends(m.Backends, engine.Root("backends")); err != nil {
			return in, ng, err
		}
	}
	if in.LoadBalancer, err = decodeLoadBalancer(m.LoadBalancer); err != nil {
		return in, ng, err
	}
	set, obj, at := m.nginxSide()
	ng, _, err = set.decode(obj, at)
	return in, ng, err
}

// violationPath is where a violation is reported: on the backend at fault, else on the
// attribute that supplies the nginx setting (nginx.version when the policy has no such field).
func (m *validationModel) violationPath(v engine.Violation) path.Path {
	if v.Backend != nil {
		return attributePath(v.Backend)
	}
	set, _, at := m.nginxSide()
	if name := set.fieldFor(v.Attribute); name != "" {
		return attributePath(at.Attr(name))
	}
	return attributePath(engine.Root("nginx").Attr(v.Attribute))
}

// validate runs the engine's check, reports violations on their attributes, and returns the
// findings (warnings that did not fail) and the id.
func (r *validationResource) validate(m *validationModel, diags *diag.Diagnostics) (id string, findings []string) {
	in, ng, err := m.toEngine()
	if err != nil {
		addInputError(diags, err)
		return "", nil
	}
	var vs []placedViolation
	if m.NginxConfig.IsNull() {
		checked, err := engine.Check(in, ng)
		if !addCheckError(diags, err) {
			return "", nil
		}
		for _, v := range checked {
			vs = append(vs, placedViolation{Violation: v, at: m.violationPath(v)})
		}
	} else {
		// Upstreams with bad input add errors; the violations of the others are still reported.
		vs = m.checkConfig(in, ng.Version, diags)
	}
	findings = []string{}
	strict := m.WarningsAsErrors.ValueBool()
	for _, v := range vs {
		at := v.at
		switch {
		case v.Severity == engine.Error:
			diags.AddAttributeError(at, v.Summary, v.Detail)
		case strict:
			diags.AddAttributeError(at, v.Summary+" (warnings_as_errors)", v.Detail)
		default:
			diags.AddAttributeWarning(at, v.Summary, v.Detail)
			findings = append(findings, v.Message())
		}
	}
	return digest(in, ng, m.NginxConfig.ValueString(), m.Upstreams.String()), findings
}

// addCheckError reports an error of engine.Check and tells whether violations came with it:
// missing inputs are each reported on their attribute, next to every violation that could be
// proven without them, so one plan shows them all.
func addCheckError(diags *diag.Diagnostics, err error) (violationsToo bool) {
	if err == nil {
		return true
	}
	var missing *engine.MissingInputs
	if errors.As(err, &missing) {
		for _, ie := range missing.Errors {
			addInputError(diags, ie)
		}
		return true
	}
	addInputError(diags, err)
	return false
}

func digest(v ...any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// ModifyPlan checks the configuration at plan time and plans id and findings. While an input
// is unknown they stay unknown: Create checks again once every value is known.
func (r *validationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	if req.Plan.Raw.IsNull() {
		return // destroy: nothing to check
	}
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("findings"), types.ListUnknown(types.StringType))...)
		return
	}
	var m validationModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if r.check(&m, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// Create is the backstop: values that were unknown at plan time are known now, so a violation
// fails here before any state is written.
func (r *validationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// Update checks again, as Create does.
func (r *validationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// apply checks the plan and, only when it passes, writes it with id and findings to the state.
func (r *validationResource) apply(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics) {
	var m validationModel
	if diags.Append(plan.Get(ctx, &m)...); diags.HasError() {
		return
	}
	if r.check(&m, diags); diags.HasError() {
		return
	}
	diags.Append(state.Set(ctx, &m)...)
}

// check validates a known model and sets its id and findings.
func (r *validationResource) check(m *validationModel, diags *diag.Diagnostics) {
	id, findings := r.validate(m, diags)
	if diags.HasError() {
		return
	}
	m.ID = types.StringValue(id)
	m.Findings = stringList(findings, diags)
}

// Read keeps the state: the resource has no remote object.
func (r *validationResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Delete has nothing to remove.
func (r *validationResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
