package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

var (
	_ datasource.DataSource                     = &configDataSource{}
	_ datasource.DataSourceWithConfigValidators = &configDataSource{}
)

// NewConfigDataSource returns the nginxkeepalive_config data source.
func NewConfigDataSource() datasource.DataSource { return &configDataSource{} }

type configDataSource struct{}

type configModel struct {
	Content                types.String             `tfsdk:"content"`
	Path                   types.String             `tfsdk:"path"`
	IncludeRoot            types.String             `tfsdk:"include_root"`
	StrictIncludes         types.Bool               `tfsdk:"strict_includes"`
	NginxVersion           types.String             `tfsdk:"nginx_version"`
	Upstreams              map[string]upstreamModel `tfsdk:"upstreams"`
	Proxies                []proxyModel             `tfsdk:"proxies"`
	Findings               []findingModel           `tfsdk:"findings"`
	ClientKeepaliveTimeout types.String             `tfsdk:"client_keepalive_timeout"`
}

// upstreamModel uses the attribute names of the validation resource's `nginx`, so an analysed
// upstream can be passed there as-is.
type upstreamModel struct {
	Servers           []types.String `tfsdk:"servers"`
	Keepalive         types.Int64    `tfsdk:"keepalive"`
	KeepaliveLocal    types.Bool     `tfsdk:"keepalive_local"`
	KeepaliveTimeout  types.String   `tfsdk:"keepalive_timeout"`
	KeepaliveRequests types.Int64    `tfsdk:"keepalive_requests"`
	KeepaliveTime     types.String   `tfsdk:"keepalive_time"`
	Version           types.String   `tfsdk:"version"`
	Explicit          []types.String `tfsdk:"explicit"`
	File              types.String   `tfsdk:"file"`
	Line              types.Int64    `tfsdk:"line"`
}

type proxyModel struct {
	File                   types.String `tfsdk:"file"`
	Line                   types.Int64  `tfsdk:"line"`
	ServerName             types.String `tfsdk:"server_name"`
	Location               types.String `tfsdk:"location"`
	Upstream               types.String `tfsdk:"upstream"`
	Kind                   types.String `tfsdk:"kind"`
	ProxyHTTPVersion       types.String `tfsdk:"proxy_http_version"`
	ClearsConnectionHeader types.Bool   `tfsdk:"clears_connection_header"`
	KeepaliveEffective     types.Bool   `tfsdk:"keepalive_effective"`
}

type findingModel struct {
	Severity types.String `tfsdk:"severity"`
	File     types.String `tfsdk:"file"`
	Line     types.Int64  `tfsdk:"line"`
	Message  types.String `tfsdk:"message"`
}

func (d *configDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_config"
}

func (d *configDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("content"), path.MatchRoot("path"))}
}

func (d *configDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Analyses an existing nginx configuration: for every `upstream` block, the keep-alive settings in effect " +
			"(explicit, else nginx's default for the version), which locations proxy to it and whether keep-alive really works " +
			"there, and structural findings such as a pool silently disabled by `proxy_http_version 1.0`. An upstream can be passed " +
			"as-is to `nginxkeepalive_validation`'s `nginx`.",
		Attributes: map[string]schema.Attribute{
			"content": schema.StringAttribute{Optional: true, MarkdownDescription: "Configuration text. Exactly one of `content` and `path`. " +
				"A file without an `http` block but with `upstream`, `server` or `map` blocks (a `conf.d` fragment) is read as the body of `http {}`, with an `info` finding saying so."},
			"path": schema.StringAttribute{Optional: true, MarkdownDescription: "Path of the main configuration file (or of a `conf.d` fragment, read as above); " +
				"includes are resolved relative to its directory, like nginx."},
			"include_root": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Directory that `include` may not leave (symlinks resolved). Default: the directory of `path`; with `content`, includes need it."},
			"strict_includes": schema.BoolAttribute{Optional: true, MarkdownDescription: strictIncludesDescription},
			"nginx_version":   schema.StringAttribute{Optional: true, MarkdownDescription: "nginx version whose defaults apply to directives that are not set (" + defaultVersionNote + ")."},
			"upstreams": schema.MapNestedAttribute{Computed: true, MarkdownDescription: "Upstream blocks by name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"servers": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "`server` addresses."},
					"keepalive": num("Pool size of idle connections per worker: the `keepalive` directive's value (`0` = off), else nginx's default " +
						"(32 from nginx 1.29.7); null when the block has no pool (before nginx 1.29.7 without a `keepalive` directive)."),
					"keepalive_local": flag("Whether the pool is in `local` mode (nginx >= 1.29.7): a cached connection is reused only by the location " +
						"that opened it. True for `keepalive N local` and for nginx's default pool (`keepalive 32 local`); null without a pool."),
					"keepalive_timeout":  str("Effective `keepalive_timeout`."),
					"keepalive_requests": num("Effective `keepalive_requests`."),
					"keepalive_time":     str("Effective `keepalive_time`; null before nginx 1.19.10."),
					"version":            str("The nginx version the effective values are for."),
					"explicit":           schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Keep-alive directives set in the block."},
					"file":               str("File of the block (empty for `content`)."),
					"line":               num("Line of the block."),
				}},
			},
			"proxies": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Locations that pass requests to an upstream block with " +
				"`proxy_pass`, `fastcgi_pass` or `grpc_pass` (the directives nginx pools connections for). A literal host is matched against the " +
				"upstream blocks whatever variables the URI holds; a pass whose host comes from a variable is left out, with an `info` finding.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"file":        str("File."),
					"line":        num("Line of `proxy_pass`."),
					"server_name": str("The server's first `server_name`."),
					"location":    str("The location's match."),
					"upstream":    str("The upstream block used."),
					"kind": str("The directive that passes the request: `proxy_pass` (HTTP/1.x or, with `proxy_http_version 2`, HTTP/2), " +
						"`fastcgi_pass` (pooled only with `fastcgi_keep_conn on`) or `grpc_pass` (HTTP/2)."),
					"proxy_http_version":       str("Effective `proxy_http_version`; null for `fastcgi_pass` and `grpc_pass`."),
					"clears_connection_header": flag("Whether the `Connection` header sent upstream is cleared (or not `close`); null for `fastcgi_pass` and `grpc_pass`."),
					"keepalive_effective": flag("Whether connections to the upstream are really kept alive from this location: a pool, and " +
						"HTTP/1.1 without `Connection: close`, HTTP/2, gRPC, or FastCGI with `fastcgi_keep_conn on`."),
				}},
			},
			"findings": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Structural problems and notes, with file and line.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"severity": str("`error`, `warning` or `info`."),
					"file":     str("File."),
					"line":     num("Line."),
					"message":  str("What is wrong and what to do."),
				}},
			},
			"client_keepalive_timeout": str("Effective http-level (client-side) `keepalive_timeout`."),
		},
	}
}

func (d *configDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m configModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	analysis, err := analyzeConfig(m.Content, m.Path, m.IncludeRoot, m.NginxVersion, m.StrictIncludes)
	if err != nil {
		addConfigError(&resp.Diagnostics, m.Path, err)
		return
	}
	m.Upstreams = upstreamModels(analysis)
	m.Proxies = proxyModels(analysis.Proxies)
	m.Findings = findingModels(analysis.Findings)
	m.ClientKeepaliveTimeout = optionalTime(analysis.ClientKeepaliveTimeout)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// strictIncludesDescription is shared by every attribute set that analyses a configuration.
const strictIncludesDescription = "Fail on an `include` that cannot be read here: outside `include_root`, missing on this machine " +
	"(e.g. `/etc/nginx/mime.types` on a CI runner), or in `content` without `include_root`. Default `false`: such an include is " +
	"skipped unread and a `warning` finding at its file and line says so, because upstreams or locations it may define are not " +
	"analysed. A file outside `include_root` is never read either way. A wildcard that matches nothing is accepted, as nginx does."

// analyzeConfig runs the guarded loader on inline content or a file.
func analyzeConfig(content, file, includeRoot, version types.String, strict types.Bool) (*nginxconf.Analysis, error) {
	opts := nginxconf.Options{IncludeRoot: includeRoot.ValueString(), NginxVersion: version.ValueString(), StrictIncludes: strict.ValueBool()}
	if !file.IsNull() {
		return nginxconf.AnalyzeFile(file.ValueString(), opts)
	}
	return nginxconf.AnalyzeContent(content.ValueString(), opts)
}

func addConfigError(diags *diag.Diagnostics, file types.String, err error) {
	at := path.Root("content")
	if !file.IsNull() {
		at = path.Root("path")
	}
	diags.AddAttributeError(at, summaryCannotAnalyse, err.Error())
}

func upstreamModels(a *nginxconf.Analysis) map[string]upstreamModel {
	out := make(map[string]upstreamModel, len(a.Upstreams))
	for name, u := range a.Upstreams {
		um := upstreamModel{
			Servers:           stringsToValues(u.Servers),
			Keepalive:         types.Int64Null(),
			KeepaliveTimeout:  types.StringValue(ngxtime.Format(u.KeepaliveTimeout)), // always in effect; 0 is a value
			KeepaliveRequests: types.Int64Value(u.KeepaliveRequests),
			KeepaliveTime:     optionalTime(u.KeepaliveTime),
			Version:           types.StringValue(a.NginxVersion),
			Explicit:          stringsToValues(u.Explicit),
			File:              types.StringValue(u.File),
			Line:              types.Int64Value(int64(u.Line)),
		}
		um.KeepaliveLocal = types.BoolNull()
		if u.Keepalive != nil {
			um.Keepalive = types.Int64Value(*u.Keepalive)
			if *u.Keepalive > 0 {
				um.KeepaliveLocal = types.BoolValue(u.KeepaliveLocal)
			}
		}
		out[name] = um
	}
	return out
}

func proxyModels(in []nginxconf.Proxy) []proxyModel {
	out := make([]proxyModel, 0, len(in))
	for _, p := range in {
		pm := proxyModel{
			File: types.StringValue(p.File), Line: types.Int64Value(int64(p.Line)),
			ServerName: types.StringValue(p.ServerName), Location: types.StringValue(p.Location),
			Upstream: types.StringValue(p.Upstream), Kind: types.StringValue(p.Kind),
			ProxyHTTPVersion: types.StringNull(), ClearsConnectionHeader: types.BoolNull(), KeepaliveEffective: types.BoolValue(p.KeepaliveEffective),
		}
		if p.Kind == nginxconf.KindProxy { // the proxy module's settings apply to it alone
			pm.ProxyHTTPVersion, pm.ClearsConnectionHeader = types.StringValue(p.ProxyHTTPVersion), types.BoolValue(p.ClearsConnectionHeader)
		}
		out = append(out, pm)
	}
	return out
}

func findingModels(in []nginxconf.Finding) []findingModel {
	out := make([]findingModel, 0, len(in))
	for _, f := range in {
		out = append(out, findingModel{Severity: types.StringValue(f.Severity), File: types.StringValue(f.File),
			Line: types.Int64Value(int64(f.Line)), Message: types.StringValue(f.Message)})
	}
	return out
}

func stringsToValues(in []string) []types.String {
	out := make([]types.String, 0, len(in))
	for _, s := range in {
		out = append(out, types.StringValue(s))
	}
	return out
}

// sortedKeys gives deterministic iteration for diagnostics.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
