package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

// maxBackends bounds the list so a runaway for_each cannot make a plan crawl.
const maxBackends = 1000

// backendModel is one element of `backends`, shared by the data sources, the resource and functions.
type backendModel struct {
	Type                     types.String `tfsdk:"type"`
	Name                     types.String `tfsdk:"name"`
	Version                  types.String `tfsdk:"version"`
	IdleTimeout              types.String `tfsdk:"idle_timeout"`
	MaxRequestsPerConnection types.Int64  `tfsdk:"max_requests_per_connection"`
	MaxConnectionAge         types.String `tfsdk:"max_connection_age"`
}

// loadBalancerModel is `load_balancer`.
type loadBalancerModel struct {
	Type        types.String `tfsdk:"type"`
	IdleTimeout types.String `tfsdk:"idle_timeout"`
}

// attrSpec describes one attribute once; schemaFor builds it for data sources and resources.
type attrSpec struct {
	Name        string
	Kind        string // string, int64, bool
	Required    bool
	Description string
	Strings     []validator.String
	Ints        []validator.Int64
}

var backendAttrs = []attrSpec{
	{Name: "type", Kind: "string", Required: true, Description: "Backend type id from the catalogue, e.g. `gunicorn`, `tomcat`, `node`, " +
		"`spring-boot-tomcat`, or `custom` (all limits given here). `data.nginxkeepalive_backend` lists every id with its defaults and sources."},
	{Name: "name", Kind: "string", Description: "Label used in messages, e.g. `api`."},
	{Name: "version", Kind: "string", Description: "Server version (dotted number, e.g. `20` for Node.js 20 or `6.4` for Puma). " +
		"Without it the tightest defaults across all known versions are used."},
	{Name: "idle_timeout", Kind: "string", Strings: []validator.String{nginxtime.Positive()},
		Description: "Overrides the backend's idle keep-alive timeout (nginx time syntax, e.g. `\"75s\"`). Set it when the server is configured away from its default."},
	{Name: "max_requests_per_connection", Kind: "int64", Ints: []validator.Int64{int64validator.AtLeast(0)},
		Description: "Overrides the backend's cap on requests per connection; `0` means unlimited."},
	{Name: "max_connection_age", Kind: "string", Strings: []validator.String{nginxtime.Positive()},
		Description: "Overrides the backend's maximum connection age, when it closes connections after a fixed lifetime."},
}

var loadBalancerAttrs = []attrSpec{
	{Name: "type", Kind: "string", Required: true, Description: "`aws-alb` (60s), `gcp-alb` (600s) or `custom`."},
	{Name: "idle_timeout", Kind: "string", Strings: []validator.String{nginxtime.Positive()},
		Description: "The balancer's idle timeout (nginx time syntax); required for `custom`."},
}

const backendsDescription = "The servers behind this nginx upstream. Each is a catalogue `type` with an optional `version` and overrides."

const loadBalancerDescription = "A load balancer in front of nginx. nginx is then its backend, so nginx's client-side " +
	"`keepalive_timeout` must outlive the balancer's idle timeout."

var backendsListValidators = []validator.List{listvalidator.SizeBetween(1, maxBackends)}

// duration converts an optional nginx time attribute; the validators already rejected bad syntax,
// but functions and computed inputs reach here unvalidated, so errors are reported again.
func duration(v types.String, at path.Path, diags *diag.Diagnostics) *time.Duration {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	d, err := ngxtime.Parse(v.ValueString())
	if err != nil {
		diags.AddAttributeError(at, "Invalid nginx time", pathString(at)+": "+err.Error())
		return nil
	}
	return &d
}

func optionalInt(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

// toEngineBackends converts `backends` at base (e.g. path.Root("backends")).
func toEngineBackends(models []backendModel, base path.Path, diags *diag.Diagnostics) []engine.Backend {
	out := make([]engine.Backend, 0, len(models))
	for i, m := range models {
		at := base.AtListIndex(i)
		out = append(out, engine.Backend{
			Type:             m.Type.ValueString(),
			Name:             m.Name.ValueString(),
			Version:          m.Version.ValueString(),
			IdleTimeout:      duration(m.IdleTimeout, at.AtName("idle_timeout"), diags),
			MaxRequests:      optionalInt(m.MaxRequestsPerConnection),
			MaxConnectionAge: duration(m.MaxConnectionAge, at.AtName("max_connection_age"), diags),
			Path:             pathString(at),
		})
	}
	return out
}

func toEngineLoadBalancer(lb *loadBalancerModel, diags *diag.Diagnostics) *engine.LoadBalancer {
	if lb == nil {
		return nil
	}
	return &engine.LoadBalancer{
		Type:        lb.Type.ValueString(),
		IdleTimeout: duration(lb.IdleTimeout, path.Root("load_balancer").AtName("idle_timeout"), diags),
	}
}

// pathString renders a framework path in the engine's notation (`backends[0]`, `upstreams["api"].backends[1]`).
func pathString(p path.Path) string {
	var sb strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(string(s))
		case path.PathStepElementKeyInt:
			fmt.Fprintf(&sb, "[%d]", int64(s))
		case path.PathStepElementKeyString:
			fmt.Fprintf(&sb, "[%q]", string(s))
		}
	}
	return sb.String()
}

var pathStepPattern = regexp.MustCompile(`^([a-z_]+)((?:\[(?:\d+|"[^"]*")\])*)$`)
var indexPattern = regexp.MustCompile(`\[(\d+|"[^"]*")\]`)

// parsePath is pathString's inverse, for the engine's InputError and Violation paths.
func parsePath(s string) path.Path {
	var p path.Path
	first := true
	for _, part := range strings.Split(s, ".") {
		m := pathStepPattern.FindStringSubmatch(part)
		if m == nil {
			break
		}
		if first {
			p, first = path.Root(m[1]), false
		} else {
			p = p.AtName(m[1])
		}
		for _, idx := range indexPattern.FindAllStringSubmatch(m[2], -1) {
			if n, err := strconv.Atoi(idx[1]); err == nil {
				p = p.AtListIndex(n)
			} else {
				p = p.AtMapKey(strings.Trim(idx[1], `"`))
			}
		}
	}
	return p
}

// addEngineError reports an engine error on the attribute it names.
func addEngineError(diags *diag.Diagnostics, err error) {
	if ie, ok := err.(*engine.InputError); ok {
		diags.AddAttributeError(parsePath(ie.Path), ie.Summary, ie.Path+": "+ie.Detail)
		return
	}
	diags.AddError("Keep-alive check failed", err.Error())
}
