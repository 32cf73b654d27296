package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

var (
	_ resource.Resource                   = &validationResource{}
	_ resource.ResourceWithValidateConfig = &validationResource{}
)

// NewValidationResource returns the nginxkeepalive_validation resource.
func NewValidationResource() resource.Resource { return &validationResource{} }

type validationResource struct{}

// validationTypeName is the resource's type; its plan is answered by NewProtocol6Server.
const validationTypeName = "nginxkeepalive_validation"

func (r *validationResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = validationTypeName
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
				Attributes: map[string]schema.Attribute{
					"keepalive_timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Valid()},
						MarkdownDescription: "Upstream `keepalive_timeout` (nginx time; default 60s)."},
					"keepalive_requests": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
						MarkdownDescription: "Upstream `keepalive_requests` (default 1000; 100 before nginx 1.19.10)."},
					"keepalive_time": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Valid()},
						MarkdownDescription: "Upstream `keepalive_time` (nginx >= 1.19.10; default 1h)."},
					"keepalive": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)},
						MarkdownDescription: "Upstream `keepalive` pool size; `0` means no pool. Default: none before nginx 1.29.7, 32 since."},
					"version": schema.StringAttribute{Optional: true, MarkdownDescription: "nginx version (default `1.30.0`)."},
					"explicit": schema.ListAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Which of these settings the configuration sets itself, as `nginxkeepalive_config` reports it; " +
							"the others are named as nginx's defaults in messages. Omit it when writing values by hand."},
					"client_keepalive_timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Valid()},
						MarkdownDescription: "nginx's client-side `keepalive_timeout` (default 75s); checked against `load_balancer`."},
				},
			},
			"gateway_fabric_upstream_settings": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Instead of `nginx`: an NGINX Gateway Fabric `UpstreamSettingsPolicy` `spec.keepAlive` " +
					"(`connections`, `requests`, `time`, `timeout`), e.g. from an existing policy. Omitted fields mean nginx's defaults, " +
					"which NGF leaves in place (60s `keepalive_timeout`).",
				Attributes: map[string]schema.Attribute{
					"connections": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)},
						MarkdownDescription: "`keepAlive.connections`: the pool; 0 disables keep-alive."},
					"requests": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
						MarkdownDescription: "`keepAlive.requests`."},
					"time": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Valid()},
						MarkdownDescription: "`keepAlive.time`."},
					"timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Valid()},
						MarkdownDescription: "`keepAlive.timeout`."},
				},
			},
			"backends": resourceBackends(false),
			"nginx_config": schema.StringAttribute{Optional: true,
				MarkdownDescription: "A whole nginx configuration (text, e.g. `file(\"nginx.conf\")`) to check at once, with `upstreams` naming " +
					"the backends behind each upstream block. Effective values (explicit, else nginx's defaults) are read as " +
					"`nginxkeepalive_config` reads them; `nginx.version` selects the defaults."},
			"upstreams": schema.DynamicAttribute{Optional: true,
				MarkdownDescription: "With `nginx_config`: a map of upstream block name to its backends list, e.g. " +
					"`{ api = [{ type = \"gunicorn\" }], billing = [{ type = \"tomcat\" }] }`."},
			"load_balancer": resourceLoadBalancer(),
			"warnings_as_errors": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Fail the plan on warnings too (near misses smaller than the default margin, useless pools)."},
			"findings": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Warnings that did not fail the plan."},
		},
	}
}

// ValidateConfig checks which top-level attributes go together. It reads the raw configuration
// instead of using the framework's path-matching config validators, which cost more than the
// keep-alive check itself; values unknown until apply are not judged here.
func (r *validationResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	attrs := topLevel(req.Config.Raw)
	if attrs == nil {
		return
	}
	// set reports whether every named attribute is known and whether each is non-null.
	set := func(names ...string) (known bool, nonNull []bool) {
		for _, name := range names {
			v := attrs[name]
			if !v.IsKnown() {
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
			resp.Diagnostics.AddAttributeError(path.Root(pair[0]), "Invalid Attribute Combination",
				fmt.Sprintf("Attribute %q cannot be specified when %q is specified. %s", pair[1], pair[0], attributeChoice))
		}
	}
	if known, nonNull := set("nginx_config", "upstreams"); known && nonNull[0] != nonNull[1] {
		missing := "upstreams"
		if !nonNull[0] {
			missing = "nginx_config"
		}
		resp.Diagnostics.AddAttributeError(path.Root(missing), "Missing Attribute Configuration",
			fmt.Sprintf("Attributes \"nginx_config\" and \"upstreams\" must be specified together; %q is missing. %s", missing, attributeChoice))
	}
	if known, nonNull := set("backends", "upstreams"); known && !nonNull[0] && !nonNull[1] {
		resp.Diagnostics.AddAttributeError(path.Root("backends"), "Missing Attribute Configuration",
			"Nothing to check: neither \"backends\" nor \"upstreams\" is specified. "+attributeChoice)
	}
}

// attributeChoice is the fix named by every combination error.
const attributeChoice = "Give either nginx (or gateway_fabric_upstream_settings) with backends for one upstream, " +
	"or nginx_config with upstreams (a map of upstream block name to its backends) for a whole configuration."

func (m *validationModel) toEngine(diags *diag.Diagnostics) (engine.Input, engine.Nginx) {
	in := engine.Input{
		Backends:     toEngineBackends(m.Backends, path.Root("backends"), diags),
		LoadBalancer: toEngineLoadBalancer(m.LoadBalancer, diags),
	}
	var ng engine.Nginx
	if n := m.Nginx; n != nil {
		at := path.Root("nginx")
		ng = engine.Nginx{
			KeepaliveTimeout:       duration(n.KeepaliveTimeout, at.AtName("keepalive_timeout"), diags),
			KeepaliveRequests:      optionalInt(n.KeepaliveRequests),
			KeepaliveTime:          duration(n.KeepaliveTime, at.AtName("keepalive_time"), diags),
			Keepalive:              optionalInt(n.Keepalive),
			Version:                n.Version.ValueString(),
			ClientKeepaliveTimeout: duration(n.ClientKeepaliveTimeout, at.AtName("client_keepalive_timeout"), diags),
		}
		if !n.Explicit.IsNull() {
			diags.Append(n.Explicit.ElementsAs(context.Background(), &ng.Explicit, false)...)
		}
	}
	if g := m.GatewayFabric; g != nil {
		at := path.Root("gateway_fabric_upstream_settings")
		ng = engine.Nginx{
			KeepaliveTimeout:  duration(g.Timeout, at.AtName("timeout"), diags),
			KeepaliveRequests: optionalInt(g.Requests),
			KeepaliveTime:     duration(g.Time, at.AtName("time"), diags),
			Keepalive:         optionalInt(g.Connections),
		}
	}
	return in, ng
}

// gatewayFabricFields maps nginx directive names to UpstreamSettingsPolicy keepAlive fields.
var gatewayFabricFields = map[string]string{
	"keepalive_timeout": "timeout", "keepalive_requests": "requests", "keepalive_time": "time", "keepalive": "connections",
}

// nginxPath is where violations of nginx settings are reported for this configuration.
func (m *validationModel) nginxPath(attribute string) path.Path {
	if m.GatewayFabric != nil {
		if field, ok := gatewayFabricFields[attribute]; ok {
			return path.Root("gateway_fabric_upstream_settings").AtName(field)
		}
	}
	return violationPath(path.Root("nginx"), attribute)
}

// validate runs the engine's check, reports violations on their attributes, and returns the
// findings (warnings that did not fail) and the id.
func (r *validationResource) validate(m *validationModel, diags *diag.Diagnostics) (id string, findings []string) {
	in, ng := m.toEngine(diags)
	if diags.HasError() {
		return "", nil
	}
	var vs []placedViolation
	if m.NginxConfig.IsNull() {
		checked, err := engine.Check(in, ng)
		if err != nil {
			addEngineError(diags, err)
			return "", nil
		}
		for _, v := range checked {
			vs = append(vs, placedViolation{Violation: v, at: m.nginxPath(v.Attribute)})
		}
	} else {
		vs = m.checkConfig(in, ng.Version, diags)
		if diags.HasError() {
			return "", nil
		}
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

// violationPath places a violation: backend paths stand alone, nginx settings live under nginxRoot.
func violationPath(nginxRoot path.Path, attribute string) path.Path {
	if strings.HasPrefix(attribute, "backends") || strings.HasPrefix(attribute, "upstreams") {
		return parsePath(attribute)
	}
	return nginxRoot.AtName(attribute)
}

func digest(v ...any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Create is the backstop: values that were unknown at plan time are known now, so a violation
// fails here before any state is written.
func (r *validationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	r.apply(ctx, req.Plan.Raw, req.Plan.Schema.Type(), &resp.State.Raw, &resp.Diagnostics)
}

// Update checks again, as Create does.
func (r *validationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	r.apply(ctx, req.Plan.Raw, req.Plan.Schema.Type(), &resp.State.Raw, &resp.Diagnostics)
}

// apply checks a plan whose values were partly unknown during validation: numbers are
// checked to be whole here, which validation did for the values it could see.
func (r *validationResource) apply(ctx context.Context, plan tftypes.Value, schemaType attr.Type, state *tftypes.Value, diags *diag.Diagnostics) {
	if checkWholeNumbers(plan, "upstreams", diags); diags.HasError() {
		return
	}
	r.check(ctx, plan, schemaType, state, diags)
}

// check validates a known plan and, only when it passes, writes it with id and findings to out.
func (r *validationResource) check(ctx context.Context, plan tftypes.Value, schemaType attr.Type, out *tftypes.Value, diags *diag.Diagnostics) {
	m, d := readValidationModel(ctx, plan, schemaType)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	id, findings := r.validate(&m, diags)
	if diags.HasError() {
		return
	}
	*out = plan
	r.setComputed(out, id, findings, diags)
}

func (r *validationResource) setComputed(out *tftypes.Value, id string, findings []string, diags *diag.Diagnostics) {
	updated, err := withComputed(*out, id, findings)
	if err != nil {
		diags.AddError("Cannot write the plan", "nginxkeepalive_validation: "+err.Error())
		return
	}
	*out = updated
}

// Read keeps the state: the resource has no remote object.
func (r *validationResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Delete has nothing to remove.
func (r *validationResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
