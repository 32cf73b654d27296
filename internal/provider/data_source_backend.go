package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
)

var _ datasource.DataSource = &backendDataSource{}

// NewBackendDataSource returns the nginxkeepalive_backend data source.
func NewBackendDataSource() datasource.DataSource { return &backendDataSource{} }

type backendDataSource struct{}

type backendDataModel struct {
	Type                     types.String `tfsdk:"type"`
	Version                  types.String `tfsdk:"version"`
	Name                     types.String `tfsdk:"name"`
	IdleTimeout              types.String `tfsdk:"idle_timeout"`
	IdleTimeoutMs            types.Int64  `tfsdk:"idle_timeout_ms"`
	MaxRequestsPerConnection types.Int64  `tfsdk:"max_requests_per_connection"`
	MaxConnectionAge         types.String `tfsdk:"max_connection_age"`
	KeepaliveSupported       types.Bool   `tfsdk:"keepalive_supported"`
	Settings                 types.Map    `tfsdk:"settings"`
	Source                   types.String `tfsdk:"source"`
	Notes                    types.String `tfsdk:"notes"`
	Types                    types.List   `tfsdk:"types"`
}

func (d *backendDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backend"
}

func (d *backendDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the catalogue of backend server defaults: the idle keep-alive timeout, requests per connection " +
			"and connection age a server applies out of the box, what those settings are called in its own configuration, and " +
			"the primary source of each value. Values that no primary source confirms are null: give them in `backends` yourself.",
		Attributes: map[string]schema.Attribute{
			"type":    schema.StringAttribute{Required: true, MarkdownDescription: "Backend type id, e.g. `gunicorn`. The `types` attribute lists all ids."},
			"version": schema.StringAttribute{Optional: true, MarkdownDescription: "Server version; without it the tightest defaults across known versions are shown."},
			"name":    schema.StringAttribute{Computed: true, MarkdownDescription: "Human-readable name of the server and mode."},
			"idle_timeout": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Idle keep-alive timeout (nginx time); null when the server has none (keeps idle connections forever) or no default is confirmed."},
			"idle_timeout_ms":             schema.Int64Attribute{Computed: true, MarkdownDescription: "`idle_timeout` in milliseconds."},
			"max_requests_per_connection": schema.Int64Attribute{Computed: true, MarkdownDescription: "Requests per connection before the server closes; `0` = unlimited, null = unknown."},
			"max_connection_age":          schema.StringAttribute{Computed: true, MarkdownDescription: "Maximum connection lifetime; null when the server has none."},
			"keepalive_supported":         schema.BoolAttribute{Computed: true, MarkdownDescription: "False for servers that close after every response (e.g. gunicorn's sync worker)."},
			"settings": schema.MapAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "What each limit is called in the server's own configuration: keys `idle_timeout`, `max_requests_per_connection`, `max_connection_age`."},
			"source": schema.StringAttribute{Computed: true, MarkdownDescription: "Primary source of the defaults (official documentation or `owner/repo path@ref`)."},
			"notes":  schema.StringAttribute{Computed: true, MarkdownDescription: "Quirks worth knowing (timer granularity, version changes, measured behaviour)."},
			"types":  schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Every known type id."},
		},
	}
}

func (d *backendDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m backendDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, err := catalog.Lookup(m.Type.ValueString(), m.Version.ValueString())
	if err != nil {
		attr := path.Root("type")
		var versionErr *catalog.VersionError
		if errors.As(err, &versionErr) {
			attr = path.Root("version")
		}
		resp.Diagnostics.AddAttributeError(attr, summaryUnknownBackend, err.Error())
		return
	}
	def := res.Defaults
	m.Name = types.StringValue(res.Profile.Name)
	m.IdleTimeout, m.IdleTimeoutMs = types.StringNull(), types.Int64Null()
	if def.IdleTimeout.Kind == catalog.Bounded {
		m.IdleTimeout = optionalTime(def.IdleTimeout.Value)
		m.IdleTimeoutMs = types.Int64Value(def.IdleTimeout.Value.Milliseconds())
	}
	switch def.MaxRequests.Kind {
	case catalog.Bounded:
		m.MaxRequestsPerConnection = types.Int64Value(def.MaxRequests.Value)
	case catalog.Unlimited:
		m.MaxRequestsPerConnection = types.Int64Value(0)
	default:
		m.MaxRequestsPerConnection = types.Int64Null()
	}
	m.MaxConnectionAge = types.StringNull()
	if def.MaxConnectionAge.Kind == catalog.Bounded {
		m.MaxConnectionAge = optionalTime(def.MaxConnectionAge.Value)
	}
	m.KeepaliveSupported = types.BoolValue(def.KeepAliveSupported)
	m.Settings = stringMap(knobMap(res.Profile.Knobs), &resp.Diagnostics)
	m.Source = types.StringValue(def.Source)
	m.Notes = types.StringValue(def.Notes)
	m.Types = stringList(catalog.Types(), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func knobMap(k catalog.Knobs) map[string]string {
	out := map[string]string{}
	for key, name := range map[string]string{"idle_timeout": k.IdleTimeout, "max_requests_per_connection": k.MaxRequests, "max_connection_age": k.MaxConnectionAge} {
		if name != "" {
			out[key] = name
		}
	}
	return out
}
