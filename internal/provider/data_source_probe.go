package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

var (
	_ datasource.DataSource                     = &probeDataSource{}
	_ datasource.DataSourceWithConfigValidators = &probeDataSource{}
	_ datasource.DataSourceWithValidateConfig   = &probeDataSource{}
)

// NewProbeDataSource returns the nginxkeepalive_probe data source.
func NewProbeDataSource() datasource.DataSource { return &probeDataSource{} }

type probeDataSource struct{}

type probeDataModel struct {
	Address         types.String   `tfsdk:"address"`
	URL             types.String   `tfsdk:"url"`
	Method          types.String   `tfsdk:"method"`
	Path            types.String   `tfsdk:"path"`
	Headers         types.Map      `tfsdk:"headers"`
	Samples         types.Int64    `tfsdk:"samples"`
	MaxWait         types.String   `tfsdk:"max_wait"`
	RequestCapProbe types.Int64    `tfsdk:"request_cap_probe"`
	TLS             *probeTLSModel `tfsdk:"tls"`

	IdleTimeout              types.String `tfsdk:"idle_timeout"`
	IdleTimeoutMs            types.Int64  `tfsdk:"idle_timeout_ms"`
	IdleTimeoutAtLeast       types.String `tfsdk:"idle_timeout_at_least"`
	Close                    types.String `tfsdk:"close"`
	MaxRequestsPerConnection types.Int64  `tfsdk:"max_requests_per_connection"`
	AnnouncesLast            types.Bool   `tfsdk:"announces_last"`
	RequestsProbed           types.Int64  `tfsdk:"requests_probed"`
	SamplesMs                types.List   `tfsdk:"samples_ms"`
	HTTPVersion              types.String `tfsdk:"http_version"`
	Server                   types.String `tfsdk:"server"`
}

type probeTLSModel struct {
	ServerName         types.String `tfsdk:"server_name"`
	CAPEM              types.String `tfsdk:"ca_pem"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
}

func (d *probeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_probe"
}

func (d *probeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Measures a running backend: how long it keeps an idle keep-alive connection open after a response, " +
			"and how many responses one connection carries before the server ends it. Documented is not effective (Node.js 20 " +
			"closes at 6 s while documenting 5 s; servers run with flags no catalogue knows), so pass the result to a " +
			"`backends` entry as `probe` and the advice uses the tighter of catalogue and measurement. The probe opens " +
			"`samples` connections, sends one `GET` (or `HEAD`) on each, staggered over a second, and waits up to `max_wait` " +
			"for the server to close them; on one more connection it sends up to `request_cap_probe` requests back to back. Reading it takes " +
			"up to `max_wait` plus a few seconds of every plan that reads it.",
		Attributes: map[string]schema.Attribute{
			"address": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "`host:port` of the backend, e.g. `127.0.0.1:8000`. Exactly one of `address` and `url`; with `url` this is the address dialled."},
			"url": schema.StringAttribute{Optional: true,
				MarkdownDescription: "`http://` or `https://` URL; its host and port are dialled, its path and query requested, its host sent as `Host` (and TLS server name)."},
			"method": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{stringvalidator.OneOf(probe.Methods...)},
				MarkdownDescription: "`GET` (default) or `HEAD`. Only safe methods are sent."},
			"path": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "Request path with `address` (default `/`). Probe a cheap path, e.g. a health check, that answers below 500."},
			"headers": schema.MapAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Extra request headers, e.g. `{ Host = \"api.example.com\" }`. `Connection`, `Keep-Alive` and framing headers are refused: the probe manages them."},
			"samples": schema.Int64Attribute{Optional: true, Computed: true,
				Validators:          []validator.Int64{int64validator.Between(1, probe.MaxSamples)},
				MarkdownDescription: fmt.Sprintf("Parallel connections whose idle close is measured (default %d, 1–%d); their requests are staggered over a second, so a server that closes idle connections on a timer tick is seen near its deadline. The shortest close is the result.", probe.DefaultSamples, probe.MaxSamples)},
			"max_wait": schema.StringAttribute{Optional: true, Computed: true,
				Validators:          []validator.String{nginxtime.PositiveAtMost(probe.LimitMaxWait)},
				MarkdownDescription: fmt.Sprintf("How long to wait for the server to close an idle connection (nginx time; default `%s`, at most `%s`). Make it longer than nginx's `keepalive_timeout` to learn whether the server outlives it.", ngxtime.Format(probe.DefaultMaxWait), ngxtime.Format(probe.LimitMaxWait))},
			"request_cap_probe": schema.Int64Attribute{Optional: true, Computed: true,
				Validators:          []validator.Int64{int64validator.Between(0, probe.LimitRequestCap)},
				MarkdownDescription: fmt.Sprintf("Most requests sent on one connection to find the server's cap (default %d, at most %d; `0` = don't look). Give more than the cap you expect (e.g. 150 for a cap of 100).", probe.DefaultRequestCap, probe.LimitRequestCap)},
			"tls": schema.SingleNestedAttribute{Optional: true,
				MarkdownDescription: "TLS settings; with `address` they make the probe speak TLS. A `https://` URL uses TLS with the system's roots without this block.",
				Attributes: map[string]schema.Attribute{
					"server_name":          schema.StringAttribute{Optional: true, MarkdownDescription: "Server name to send and verify (default: the URL's or address's host)."},
					"ca_pem":               schema.StringAttribute{Optional: true, MarkdownDescription: "CA certificate(s) to trust, as PEM, e.g. `file(\"ca.pem\")`; default: the system's roots."},
					"insecure_skip_verify": schema.BoolAttribute{Optional: true, MarkdownDescription: "Skip certificate verification (test servers only)."},
				}},

			"idle_timeout": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The shortest idle close measured, in nginx time; null when every sample stayed open or the server closes after every response."},
			"idle_timeout_ms": schema.Int64Attribute{Computed: true, MarkdownDescription: "`idle_timeout` in milliseconds."},
			"idle_timeout_at_least": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When every sample stayed open: the wait they survived (the server's idle timeout is at least this). Null otherwise."},
			"close": schema.StringAttribute{Computed: true,
				MarkdownDescription: "How the shortest-lived sample ended: `fin` (the server closed the socket), `rst` (it reset it), `connection_close` (the response said `Connection: close`) or `open`."},
			"max_requests_per_connection": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "The cap found: responses one connection carried before the server ended it. Null when none was found within `request_cap_probe`."},
			"announces_last": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the last response before the cap said `Connection: close` (nginx then does not reuse the connection). Null when no cap was found."},
			"requests_probed": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "Responses the cap probe read on its connection (the cap when one was found); null when the cap was not probed."},
			"samples_ms": schema.ListAttribute{Computed: true, ElementType: types.Int64Type,
				MarkdownDescription: "Each sample's idle close in milliseconds; null for a sample that stayed open, 0 for one whose response said `Connection: close`."},
			"http_version": schema.StringAttribute{Computed: true, MarkdownDescription: "The protocol of the first response, e.g. `HTTP/1.1`."},
			"server":       schema.StringAttribute{Computed: true, MarkdownDescription: "The first response's `Server` header; null when not sent."},
		},
	}
}

func (d *probeDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("address"), path.MatchRoot("url")),
		datasourcevalidator.Conflicting(path.MatchRoot("url"), path.MatchRoot("path")),
	}
}

// ValidateConfig checks what the probe would send, so a bad target fails validate, not the read.
func (d *probeDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m probeDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !m.known() {
		return // unknown values are checked when the probe runs
	}
	if _, err := m.target(); err != nil {
		addProbeError(&resp.Diagnostics, err, m)
	}
}

func (d *probeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverToDiagnostic(&resp.Diagnostics)
	var m probeDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	t, err := m.target()
	if err != nil {
		addProbeError(&resp.Diagnostics, err, m)
		return
	}
	opts, err := m.options()
	if err != nil {
		addProbeError(&resp.Diagnostics, err, m)
		return
	}
	res, err := probe.Run(ctx, t, opts)
	if err != nil {
		addProbeError(&resp.Diagnostics, err, m)
		return
	}
	m.fill(t, opts, res, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// known reports whether every input that shapes the request is known.
func (m probeDataModel) known() bool {
	vals := []attr.Value{m.Address, m.URL, m.Method, m.Path, m.Headers}
	if m.TLS != nil {
		vals = append(vals, m.TLS.ServerName, m.TLS.CAPEM, m.TLS.InsecureSkipVerify)
	}
	for _, v := range vals {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

// target is the probe's target from address or url, the request inputs and the tls block.
func (m probeDataModel) target() (probe.Target, error) {
	t := probe.Target{Address: m.Address.ValueString(), Path: m.Path.ValueString(), Method: m.Method.ValueString()}
	if !m.URL.IsNull() {
		var err error
		if t, err = probe.FromURL(m.URL.ValueString()); err != nil {
			return t, err
		}
		t.Method = m.Method.ValueString()
	}
	if !m.Headers.IsNull() {
		t.Headers = map[string]string{}
		for k, v := range m.Headers.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsNull() {
				return t, &probe.InputError{Field: "headers[" + strconv.Quote(k) + "]", Value: "null", Reason: "give a string value or leave the header out"}
			}
			t.Headers[k] = s.ValueString()
		}
	}
	if m.TLS != nil {
		var err error
		t, err = t.WithTLS(probe.TLSOptions{ServerName: m.TLS.ServerName.ValueString(), CAPEM: m.TLS.CAPEM.ValueString(), InsecureSkipVerify: m.TLS.InsecureSkipVerify.ValueBool()})
		if err != nil {
			return t, err
		}
	}
	return t, t.Validate()
}

func (m probeDataModel) options() (probe.Options, error) {
	o := probe.Options{Samples: int(m.Samples.ValueInt64()), RequestCap: int(m.RequestCapProbe.ValueInt64()), Spread: probe.SampleSpread}
	if !m.RequestCapProbe.IsNull() && m.RequestCapProbe.ValueInt64() == 0 {
		o.NoCapProbe = true
	}
	if !m.MaxWait.IsNull() {
		d, err := nginxtime.Parse(m.MaxWait.ValueString(), true)
		if err != nil {
			return o, &probe.InputError{Field: "max_wait", Value: m.MaxWait.ValueString(), Reason: err.Error()}
		}
		o.MaxWait = d
	}
	return o, nil
}

// fill sets the defaults the probe used and its measurements.
func (m *probeDataModel) fill(t probe.Target, o probe.Options, res probe.Result, diags *diag.Diagnostics) {
	m.Address = types.StringValue(t.Address)
	m.Method = types.StringValue(t.MethodOrDefault())
	if m.URL.IsNull() {
		m.Path = types.StringValue(t.PathOrDefault())
	} else {
		m.Path = types.StringNull()
	}
	m.Samples = types.Int64Value(int64(len(res.Samples)))
	if m.MaxWait.IsNull() {
		m.MaxWait = types.StringValue(ngxtime.Format(o.WithDefaults().MaxWait))
	}
	m.RequestCapProbe = types.Int64Value(0)
	m.MaxRequestsPerConnection, m.AnnouncesLast, m.RequestsProbed = types.Int64Null(), types.BoolNull(), types.Int64Null()
	if res.Cap != nil {
		m.RequestCapProbe = types.Int64Value(int64(o.WithDefaults().RequestCap))
		m.RequestsProbed = types.Int64Value(int64(res.Cap.Responses))
		if res.Cap.Ended {
			m.MaxRequestsPerConnection = types.Int64Value(int64(res.Cap.Responses))
			m.AnnouncesLast = types.BoolValue(res.Cap.AnnouncedLast)
		}
	}
	m.fillIdle(res)
	samples := make([]attr.Value, len(res.Samples))
	for i, s := range res.Samples {
		samples[i] = types.Int64Null()
		if s.Closed() {
			samples[i] = types.Int64Value(s.Idle.Milliseconds())
		}
	}
	list, d := types.ListValue(types.Int64Type, samples)
	diags.Append(d...)
	m.SamplesMs = list
	m.HTTPVersion = types.StringValue(res.HTTPVersion)
	m.Server = optionalString(res.Server)
}

func (m *probeDataModel) fillIdle(res probe.Result) {
	m.IdleTimeout, m.IdleTimeoutMs, m.IdleTimeoutAtLeast = types.StringNull(), types.Int64Null(), types.StringNull()
	m.Close = types.StringValue(string(res.Close()))
	s, closed := res.Shortest()
	switch {
	case !closed:
		m.IdleTimeoutAtLeast = types.StringValue(ngxtime.Format(res.Waited))
	case s.Close != probe.CloseConnectionClose:
		idle := s.Idle.Round(time.Millisecond)
		m.IdleTimeout = types.StringValue(ngxtime.Format(idle))
		m.IdleTimeoutMs = types.Int64Value(idle.Milliseconds())
	}
}

// addProbeError reports a bad input on its attribute and a failed probe on the target's.
func addProbeError(diags *diag.Diagnostics, err error, m probeDataModel) {
	var ie *probe.InputError
	if errors.As(err, &ie) {
		diags.AddAttributeError(probeFieldPath(ie.Field), summaryInvalidValue, ie.Error())
		return
	}
	at := path.Root("address")
	if !m.URL.IsNull() {
		at = path.Root("url")
	}
	diags.AddAttributeError(at, summaryProbeFailed, err.Error())
}

// probeFieldPath turns the probe's field names (address, tls.ca_pem, headers["X"]) into paths.
func probeFieldPath(field string) path.Path {
	if key, ok := strings.CutPrefix(field, "headers["); ok {
		if k, err := strconv.Unquote(strings.TrimSuffix(key, "]")); err == nil {
			return path.Root("headers").AtMapKey(k)
		}
	}
	parts := strings.Split(field, ".")
	p := path.Root(parts[0])
	for _, part := range parts[1:] {
		p = p.AtName(part)
	}
	return p
}
