package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/render"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

var _ datasource.DataSource = &recommendationDataSource{}

// defaultVersionNote states the default nginx_version in descriptions, from its one source.
const defaultVersionNote = "default `" + nginxver.DefaultVersion + "`"

// NewRecommendationDataSource returns the nginxkeepalive_recommendation data source.
func NewRecommendationDataSource() datasource.DataSource { return &recommendationDataSource{} }

type recommendationDataSource struct{}

type recommendationModel struct {
	Backends              types.List     `tfsdk:"backends"`
	NginxVersion          types.String   `tfsdk:"nginx_version"`
	IdleMargin            types.String   `tfsdk:"idle_margin"`
	RequestsMargin        types.Int64    `tfsdk:"requests_margin"`
	PeakRequestsPerSecond types.Int64    `tfsdk:"peak_requests_per_second"`
	PeakConcurrency       types.Int64    `tfsdk:"peak_concurrency"`
	WorkerProcesses       types.Int64    `tfsdk:"worker_processes"`
	LoadBalancer          types.Object   `tfsdk:"load_balancer"`
	UpstreamName          types.String   `tfsdk:"upstream_name"`
	Servers               []types.String `tfsdk:"servers"`

	KeepaliveTimeout       types.String           `tfsdk:"keepalive_timeout"`
	KeepaliveTimeoutMs     types.Int64            `tfsdk:"keepalive_timeout_ms"`
	KeepaliveRequests      types.Int64            `tfsdk:"keepalive_requests"`
	KeepaliveTime          types.String           `tfsdk:"keepalive_time"`
	Keepalive              types.Int64            `tfsdk:"keepalive"`
	KeepaliveEnabled       types.Bool             `tfsdk:"keepalive_enabled"`
	ClientKeepaliveTimeout types.String           `tfsdk:"client_keepalive_timeout"`
	UpstreamConfig         types.String           `tfsdk:"upstream_config"`
	ProxyConfig            types.String           `tfsdk:"proxy_config"`
	IngressNginx           types.Map              `tfsdk:"ingress_nginx"`
	GatewayFabricUpstream  *ngfUpstreamModel      `tfsdk:"gateway_fabric_upstream_settings"`
	GatewayFabricClient    *ngfClientModel        `tfsdk:"gateway_fabric_client_settings"`
	NginxIngressController *nginxIngressCtrlModel `tfsdk:"nginx_ingress_controller"`
	Explanation            types.List             `tfsdk:"explanation"`
	Warnings               types.List             `tfsdk:"warnings"`
}

func (d *recommendationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_recommendation"
}

func (d *recommendationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Computes nginx upstream keep-alive settings that always close before every declared backend: " +
			"`keepalive_timeout` strictly below the shortest backend idle timeout (with a margin), `keepalive_requests` below " +
			"the smallest per-connection cap, `keepalive_time` below the shortest connection age, and a pool size. " +
			"Every value comes with the arithmetic that produced it, and rendered nginx and ingress-nginx snippets.",
		Attributes: map[string]schema.Attribute{
			"backends": schema.ListNestedAttribute{Required: true, MarkdownDescription: backendsDescription,
				NestedObject: schema.NestedAttributeObject{Attributes: backendSet.dataSourceAttributes()}, Validators: backendsValidators},
			"nginx_version": schema.StringAttribute{Optional: true, MarkdownDescription: "nginx version the settings are for (defaults differ by version; " + defaultVersionNote + "). " +
				"From 1.29.7 `upstream_config` writes `keepalive N local;` and `proxy_config` leaves out `proxy_http_version 1.1` and `proxy_set_header Connection \"\"`, which are nginx's defaults there."},
			"idle_margin": schema.StringAttribute{Optional: true, Validators: []validator.String{nginxtime.Positive()},
				MarkdownDescription: "How much shorter than the tightest backend idle timeout nginx's `keepalive_timeout` must be (nginx time). Default: the larger of 1s and 10% of that timeout."},
			"requests_margin": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
				MarkdownDescription: "How many requests below the smallest backend cap `keepalive_requests` must stay. Default 1."},
			"peak_requests_per_second": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, engine.MaxPeakRequestsPerSecond)},
				MarkdownDescription: "Peak request rate to this upstream; used to warn about ephemeral port exhaustion without keep-alive."},
			"peak_concurrency": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, engine.MaxPeakConcurrency)},
				MarkdownDescription: "Peak concurrent requests to this upstream; sizes the `keepalive` pool."},
			"worker_processes": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, engine.MaxWorkerProcesses)},
				MarkdownDescription: "nginx worker processes (pools are per worker). Default 1."},
			"load_balancer": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: loadBalancerDescription,
				Attributes: loadBalancerSet.dataSourceAttributes()},
			"upstream_name": schema.StringAttribute{Optional: true,
				MarkdownDescription: "When set, `upstream_config` is a full `upstream NAME { ... }` block and `proxy_config` includes `proxy_pass`."},
			"servers": schema.ListAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Upstream server addresses (`host:port`, `unix:/path`) rendered into `upstream_config`."},

			"keepalive_timeout":    schema.StringAttribute{Computed: true, MarkdownDescription: "Upstream `keepalive_timeout` (nginx time)."},
			"keepalive_timeout_ms": schema.Int64Attribute{Computed: true, MarkdownDescription: "`keepalive_timeout` in milliseconds."},
			"keepalive_requests":   schema.Int64Attribute{Computed: true, MarkdownDescription: "Upstream `keepalive_requests`."},
			"keepalive_time":       schema.StringAttribute{Computed: true, MarkdownDescription: "Upstream `keepalive_time` (nginx >= 1.19.10; null before)."},
			"keepalive":            schema.Int64Attribute{Computed: true, MarkdownDescription: "Upstream `keepalive` pool size (idle connections cached per worker); 0 when keep-alive is off."},
			"keepalive_enabled":    schema.BoolAttribute{Computed: true, MarkdownDescription: "False when a backend cannot keep connections alive or no safe timeout exists; `explanation` says why."},
			"client_keepalive_timeout": schema.StringAttribute{Computed: true,
				MarkdownDescription: "nginx's client-side `keepalive_timeout` (http/server level) that outlives the declared load balancer; null without one."},
			"upstream_config": schema.StringAttribute{Computed: true, MarkdownDescription: "nginx text: the `upstream` block (or its directives when `upstream_name` is unset), " +
				"with only the directives `nginx_version` accepts. From nginx 1.29.7 the pool is `keepalive N local;` (nginx's own default mode: a cached " +
				"connection is reused only by the location that opened it; drop `local` to share them), and with keep-alive off it is `keepalive 0;`, " +
				"because those versions pool connections by default."},
			"proxy_config": schema.StringAttribute{Computed: true, MarkdownDescription: "The `location` directives keep-alive needs: before nginx 1.29.7 " +
				"`proxy_http_version 1.1` and `proxy_set_header Connection \"\"`; from 1.29.7 none, since both are nginx's defaults there " +
				"(a client's `Connection: close` is never passed on). Ends with `proxy_pass` when `upstream_name` is set; may be empty."},
			"ingress_nginx": schema.MapAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "ingress-nginx ConfigMap keys (`upstream-keepalive-timeout` in whole seconds, `-requests`, `-connections`, `-time`) valid for one controller serving all the given backends. " +
					"ingress-nginx is retired and its last release runs nginx 1.27.1, without nginx 1.29.7's keep-alive defaults, so these keys do not change with `nginx_version`."},
			"gateway_fabric_upstream_settings": schema.SingleNestedAttribute{Computed: true,
				MarkdownDescription: "NGINX Gateway Fabric `UpstreamSettingsPolicy` `spec.keepAlive` (`connections`, `requests`, `time`, `timeout`), " +
					"durations in the form NGF's CRD accepts (`^[0-9]{1,4}(ms|s|m|h)?$`, rounded down when needed, with a warning). " +
					"Drop it into a `kubernetes_manifest` with your `targetRefs`. NGF 2.4 to 2.6 write `keepalive 16;` into every upstream without a policy " +
					"(later releases leave nginx's default pool), with nginx's 60s `keepalive_timeout`: `warnings` says when a Service needs the policy.",
				Attributes: map[string]schema.Attribute{
					"connections": schema.Int64Attribute{Computed: true, MarkdownDescription: "`keepAlive.connections` (pool per worker); 0 turns keep-alive off."},
					"requests":    schema.Int64Attribute{Computed: true, MarkdownDescription: "`keepAlive.requests`; null when keep-alive is off."},
					"time":        schema.StringAttribute{Computed: true, MarkdownDescription: "`keepAlive.time`; null when not applicable."},
					"timeout":     schema.StringAttribute{Computed: true, MarkdownDescription: "`keepAlive.timeout`; null when keep-alive is off."},
				},
			},
			"gateway_fabric_client_settings": schema.SingleNestedAttribute{Computed: true,
				MarkdownDescription: "NGINX Gateway Fabric `ClientSettingsPolicy` `spec.keepAlive` when a `load_balancer` is declared (nginx's client side must outlive it); null otherwise.",
				Attributes: map[string]schema.Attribute{
					"timeout": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "`keepAlive.timeout`.",
						Attributes: map[string]schema.Attribute{
							"server": schema.StringAttribute{Computed: true, MarkdownDescription: "`keepAlive.timeout.server`: nginx's client-side `keepalive_timeout`."},
						}},
				},
			},
			"nginx_ingress_controller": schema.SingleNestedAttribute{Computed: true,
				MarkdownDescription: "F5 NGINX Ingress Controller settings. It can only set the upstream pool (`keepalive`), not the upstream " +
					"timeouts or `keepalive_requests`, so when nginx's defaults would race a backend the pool is 0 and `warnings` says what to do. " +
					"It never writes `keepalive 0;`, so on nginx 1.29.7 and later a pool of 0 leaves nginx's default pool in place; `annotations` then also " +
					"holds the `nginx.org/location-snippets` that closes every upstream connection after its response.",
				Attributes: map[string]schema.Attribute{
					"config_map": schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "ConfigMap data keys (`keepalive`)."},
					"annotations": schema.MapAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "Ingress annotations: `nginx.org/keepalive`, and with a pool of 0 on nginx 1.29.7 and later `nginx.org/location-snippets` = " +
							"`proxy_set_header Connection \"close\";` (needs snippets enabled; merge it with the Ingress's own location snippets)."},
					"virtual_server_keepalive": schema.Int64Attribute{Computed: true, MarkdownDescription: "`VirtualServer` `spec.upstreams[].keepalive`."},
				},
			},
			"explanation": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "For every value, which backend limited it and the arithmetic."},
			"warnings":    schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Things to act on that do not stop the recommendation."},
		},
	}
}

func (d *recommendationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m recommendationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, err := m.input()
	if err != nil {
		addInputError(&resp.Diagnostics, err)
		return
	}
	rec, err := engine.Recommend(in)
	if err != nil {
		addInputError(&resp.Diagnostics, err)
		return
	}
	upstream, err := render.UpstreamConfig(rec)
	if err != nil {
		resp.Diagnostics.AddAttributeError(renderErrorPath(err), summaryCannotRenderUpstream, err.Error())
		return
	}
	proxy, err := render.ProxyConfig(rec)
	if err != nil {
		resp.Diagnostics.AddAttributeError(renderErrorPath(err), summaryCannotRenderProxy, err.Error())
		return
	}
	ingress, ingressWarnings := render.IngressNginx(rec)
	warnings := append(append([]string{}, rec.Warnings...), ingressWarnings...)
	var controllerWarnings []string
	m.GatewayFabricUpstream, m.GatewayFabricClient, m.NginxIngressController, controllerWarnings = controllerOutputs(rec, &resp.Diagnostics)
	warnings = append(warnings, controllerWarnings...)

	m.KeepaliveTimeout = types.StringValue(ngxtime.Format(rec.KeepaliveTimeout))
	m.KeepaliveTimeoutMs = types.Int64Value(rec.KeepaliveTimeout.Milliseconds())
	m.KeepaliveRequests = types.Int64Value(rec.KeepaliveRequests)
	m.KeepaliveTime = optionalTime(rec.KeepaliveTime)
	m.Keepalive = types.Int64Value(rec.Pool)
	m.KeepaliveEnabled = types.BoolValue(rec.KeepaliveEnabled)
	m.ClientKeepaliveTimeout = optionalTime(rec.ClientKeepaliveTimeout)
	m.UpstreamConfig = types.StringValue(upstream)
	m.ProxyConfig = types.StringValue(proxy)
	m.IngressNginx = stringMap(ingress, &resp.Diagnostics)
	m.Explanation = stringList(rec.Explanation, &resp.Diagnostics)
	m.Warnings = stringList(warnings, &resp.Diagnostics)
	// Only the rule's own warnings become diagnostics; controller-specific notes (ingress-nginx,
	// Gateway Fabric, F5) stay in `warnings` so users of plain nginx are not told about controllers.
	for _, w := range rec.Warnings {
		resp.Diagnostics.AddWarning(summaryRecommendation, w)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// input decodes the configuration for the engine.
func (m *recommendationModel) input() (in engine.Input, err error) {
	if in.Backends, err = decodeBackends(m.Backends, engine.Root("backends")); err != nil {
		return in, err
	}
	if in.LoadBalancer, err = decodeLoadBalancer(m.LoadBalancer); err != nil {
		return in, err
	}
	if in.IdleMargin, err = scalarTime(m.IdleMargin, engine.Root("idle_margin"), true); err != nil {
		return in, err
	}
	if in.RequestsMargin, err = scalarInt(m.RequestsMargin, engine.Root("requests_margin")); err != nil {
		return in, err
	}
	in.NginxVersion = m.NginxVersion.ValueString()
	in.PeakRequestsPerSecond = m.PeakRequestsPerSecond.ValueInt64()
	in.PeakConcurrency = m.PeakConcurrency.ValueInt64()
	in.WorkerProcesses = m.WorkerProcesses.ValueInt64()
	in.UpstreamName = m.UpstreamName.ValueString()
	in.Servers = stringValues(m.Servers)
	return in, nil
}

type ngfUpstreamModel struct {
	Connections types.Int64  `tfsdk:"connections"`
	Requests    types.Int64  `tfsdk:"requests"`
	Time        types.String `tfsdk:"time"`
	Timeout     types.String `tfsdk:"timeout"`
}

type ngfClientModel struct {
	Timeout struct {
		Server types.String `tfsdk:"server"`
	} `tfsdk:"timeout"`
}

type nginxIngressCtrlModel struct {
	ConfigMap              types.Map   `tfsdk:"config_map"`
	Annotations            types.Map   `tfsdk:"annotations"`
	VirtualServerKeepalive types.Int64 `tfsdk:"virtual_server_keepalive"`
}

// controllerOutputs shapes the recommendation for Kubernetes gateways and ingress controllers.
func controllerOutputs(rec engine.Recommendation, diags *diag.Diagnostics) (*ngfUpstreamModel, *ngfClientModel, *nginxIngressCtrlModel, []string) {
	ngf, warnings := render.GatewayFabricUpstreamSettings(rec)
	upstream := &ngfUpstreamModel{
		Connections: types.Int64Value(int64(ngf.Connections)),
		Requests:    optionalInt64(int64(ngf.Requests)),
		Time:        optionalString(ngf.Time),
		Timeout:     optionalString(ngf.Timeout),
	}
	var client *ngfClientModel
	clientKA, clientWarnings := render.GatewayFabricClientSettings(rec)
	warnings = append(warnings, clientWarnings...)
	if clientKA != nil {
		client = &ngfClientModel{}
		client.Timeout.Server = types.StringValue(clientKA.TimeoutServer)
	}
	f5, f5Warnings := render.NginxIngressController(rec)
	warnings = append(warnings, f5Warnings...)
	controller := &nginxIngressCtrlModel{
		ConfigMap:              stringMap(f5.ConfigMap, diags),
		Annotations:            stringMap(f5.Annotations, diags),
		VirtualServerKeepalive: types.Int64Value(f5.VirtualServerKeepalive),
	}
	return upstream, client, controller, warnings
}

// renderErrorPath points a render error at the attribute holding the rejected value.
func renderErrorPath(err error) path.Path {
	var ve *render.ValueError
	if !errors.As(err, &ve) {
		return path.Root("servers")
	}
	if ve.Attribute == "servers" && ve.Index >= 0 {
		return path.Root("servers").AtListIndex(ve.Index)
	}
	return path.Root(ve.Attribute)
}
