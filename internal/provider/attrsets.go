package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rsschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

// Each attribute set the provider takes (nginx settings, a backend, an NGINX Gateway Fabric
// policy, a load balancer) is declared once below. The declaration builds the schema of the
// data sources and the resource, and decode (decode.go) reads it into the engine's input from
// typed objects and from the dynamic values of function arguments alike, so a bad value gets the
// same message on every path.

// kind is how a field is written in HCL and read for the engine.
type kind int

const (
	kindString kind = iota // text; a number written without quotes is read as its digits
	kindTime               // nginx time syntax ("55s"); a bare number means seconds
	kindInt                // a whole number
	kindNames              // a list of strings
	kindBool               // true or false
	kindObject             // a nested object of its own declared set (field.nested)
)

// value is one decoded field; only the member for the field's kind is set.
type value struct {
	text   string
	time   *time.Duration
	int    *int64
	names  []string
	flag   *bool
	object any // kindObject: what the nested set decodes to, nil when null
}

// nestedSet is a declared set used as one field of another (a backend's probe): it builds its
// schema and decodes its objects like any set, into whatever its owner's field sets.
type nestedSet interface {
	decodeNested(v attr.Value, at engine.Path) (any, error)
	resourceAttributes() map[string]rsschema.Attribute
	dataSourceAttributes() map[string]dsschema.Attribute
}

// field is one attribute of a set.
type field[T any] struct {
	name     string
	kind     kind
	required bool
	example  string // for a required field: what to write, named when it is missing
	// unless names another field that, when given, makes a required field optional (a backend's
	// type with a probe); the schema then declares the field optional and decode requires it.
	unless      string
	nested      nestedSet // kindObject: the set of the nested object
	positive    bool      // kindTime: zero is rejected
	min         *int64    // kindInt: the schema's lower bound
	description string
	setting     string // the nginx setting this field supplies, where violations of it are reported
	set         func(*T, value)
	// analysed reads the setting from an upstream block of nginx_config (nil: not an upstream directive).
	analysed func(*nginxconf.Upstream) value
}

// attrSet is a declared attribute set whose objects decode into a T.
type attrSet[T any] struct {
	example string   // one object as HCL, for messages about the object's shape
	ignored []string // keys accepted and not read
	// anyKeys accepts every key not declared and reads none of them: an object passed on from
	// another data source carries more than the set reads, and the typed path drops the rest.
	anyKeys bool
	fields  []field[T] // in the order values are checked
}

func atLeast(n int64) *int64 { return &n }

// maxBackends bounds the list so a runaway for_each cannot make a plan crawl.
const maxBackends = 1000

var backendSet = attrSet[engine.Backend]{
	example: `{ type = "gunicorn" }`,
	fields: []field[engine.Backend]{
		{name: "type", kind: kindString, required: true, unless: "probe", example: `"gunicorn"`,
			description: "Backend type id from the catalogue, e.g. `gunicorn`, `tomcat`, `node`, `spring-boot-tomcat`, or `custom` " +
				"(all limits given here). `data.nginxkeepalive_backend` lists every id with its defaults and sources. " +
				"Required unless `probe` is given; without a type every limit comes from the probe and the overrides.",
			set: func(b *engine.Backend, v value) { b.Type = v.text }},
		{name: "name", kind: kindString, description: "Label used in messages, e.g. `api`.",
			set: func(b *engine.Backend, v value) { b.Name = v.text }},
		{name: "version", kind: kindString,
			description: "Server version (dotted number, e.g. `20` for Node.js 20 or `6.4` for Puma). " +
				"Without it the tightest defaults across all known versions are used.",
			set: func(b *engine.Backend, v value) { b.Version = v.text }},
		{name: "idle_timeout", kind: kindTime, positive: true,
			description: "Overrides the backend's idle keep-alive timeout (nginx time syntax, e.g. `\"75s\"`). " +
				"Set it when the server is configured away from its default.",
			set: func(b *engine.Backend, v value) { b.IdleTimeout = v.time }},
		{name: "max_requests_per_connection", kind: kindInt, min: atLeast(0),
			description: "Overrides the backend's cap on requests per connection; `0` means unlimited.",
			set:         func(b *engine.Backend, v value) { b.MaxRequests = v.int }},
		{name: "max_connection_age", kind: kindTime, positive: true,
			description: "Overrides the backend's maximum connection age, when it closes connections after a fixed lifetime.",
			set:         func(b *engine.Backend, v value) { b.MaxConnectionAge = v.time }},
		{name: "probe", kind: kindObject, nested: probeSet,
			description: "What probing the running server measured: `data.nginxkeepalive_probe.NAME`, passed as-is. Each measured limit " +
				"tightens the catalogue's and the overrides (the tighter wins); a measured idle close is rounded to 100ms, an idle " +
				"connection that stayed open counts as `idle_timeout_at_least`, and no cap found within the probe counts as " +
				"`requests_probed` where nothing else declares a cap (it never lowers a declared one). A server that answered " +
				"with `Connection: close` counts as one without keep-alive. Explanations and violations say what was measured.",
			set: func(b *engine.Backend, v value) { b.Probe, _ = v.object.(*engine.Measurement) }},
	},
}

// probeObject is what a backend reads of an nginxkeepalive_probe data source's object; the data
// source's inputs and other outputs are left out of the schema (Terraform drops them when it
// converts the object) and ignored in dynamic values. measurement (decode.go) checks it.
type probeObject struct {
	address, close string
	idleMs         *int64
	idleAtLeast    *time.Duration
	maxRequests    *int64
	requestsProbed *int64
	announcesLast  *bool
}

// probeDecl is the probe's declared set, nested in backendSet as its probe field.
type probeDecl struct{ attrSet[probeObject] }

var probeSet = probeDecl{attrSet[probeObject]{
	example: "data.nginxkeepalive_probe.api",
	anyKeys: true,
	fields: []field[probeObject]{
		{name: "address", kind: kindString, description: "The `host:port` probed; messages name it.",
			set: func(p *probeObject, v value) { p.address = v.text }},
		{name: "close", kind: kindString, required: true, example: `"fin"`,
			description: "How the shortest-lived idle connection ended: `fin` or `rst` (the server closed it after `idle_timeout_ms`), " +
				"`open` (every one outlived `idle_timeout_at_least`) or `connection_close` (the response said `Connection: close`: no keep-alive).",
			set: func(p *probeObject, v value) { p.close = v.text }},
		{name: "idle_timeout_ms", kind: kindInt, description: "The shortest idle close measured, in milliseconds; read when `close` is `fin` or `rst`.",
			set: func(p *probeObject, v value) { p.idleMs = v.int }},
		{name: "idle_timeout_at_least", kind: kindTime, positive: true,
			description: "How long every idle connection stayed open (nginx time); read when `close` is `open`, and counted as the idle timeout.",
			set:         func(p *probeObject, v value) { p.idleAtLeast = v.time }},
		{name: "max_requests_per_connection", kind: kindInt,
			description: "The cap found: responses one connection carried before the server ended it; null when none was found.",
			set:         func(p *probeObject, v value) { p.maxRequests = v.int }},
		{name: "announces_last", kind: kindBool, description: "Whether the cap's last response said `Connection: close`.",
			set: func(p *probeObject, v value) { p.announcesLast = v.flag }},
		{name: "requests_probed", kind: kindInt,
			description: "Responses the cap probe read on one connection (0 when it did not look); with no cap found, the cap counts as this many.",
			set:         func(p *probeObject, v value) { p.requestsProbed = v.int }},
	},
}}

const backendsDescription = "The servers behind this nginx upstream. Each is a catalogue `type` with an optional `version` and overrides, " +
	"and optionally a `probe` of the running server (then `type` may be left out)."

var backendsValidators = []validator.List{listvalidator.SizeBetween(1, maxBackends)}

var loadBalancerSet = attrSet[engine.LoadBalancer]{
	example: `{ type = "aws-alb" }`,
	fields: []field[engine.LoadBalancer]{
		{name: "type", kind: kindString, required: true, example: `"aws-alb"`,
			description: "`aws-alb` (60s), `gcp-alb` (600s) or `custom`.",
			set:         func(lb *engine.LoadBalancer, v value) { lb.Type = v.text }},
		{name: "idle_timeout", kind: kindTime, positive: true,
			description: "The balancer's idle timeout (nginx time syntax); required for `custom`.",
			set:         func(lb *engine.LoadBalancer, v value) { lb.IdleTimeout = v.time }},
	},
}

const loadBalancerDescription = "A load balancer in front of nginx. nginx is then its backend, so nginx's client-side " +
	"`keepalive_timeout` must outlive the balancer's idle timeout."

// nginxSet is nginx's upstream settings. An analysed upstream from nginxkeepalive_config carries
// more keys (servers, file, line) and is accepted as-is.
var nginxSet = attrSet[engine.Nginx]{
	example: `{ keepalive_timeout = "55s" }`,
	ignored: []string{"servers", "file", "line", "name", "keepalive_local"},
	fields: []field[engine.Nginx]{
		{name: "keepalive_timeout", kind: kindTime, setting: "keepalive_timeout",
			description: "Upstream `keepalive_timeout` (nginx time; default 60s).",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveTimeout = v.time },
			analysed:    func(u *nginxconf.Upstream) value { return value{time: &u.KeepaliveTimeout} }},
		{name: "keepalive_requests", kind: kindInt, min: atLeast(1), setting: "keepalive_requests",
			description: "Upstream `keepalive_requests` (default 1000; 100 before nginx 1.19.10).",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveRequests = v.int },
			analysed:    func(u *nginxconf.Upstream) value { return value{int: &u.KeepaliveRequests} }},
		{name: "keepalive_time", kind: kindTime, setting: "keepalive_time",
			description: "Upstream `keepalive_time` (nginx >= 1.19.10; default 1h).",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveTime = v.time },
			analysed:    func(u *nginxconf.Upstream) value { return value{time: &u.KeepaliveTime} }},
		{name: "keepalive", kind: kindInt, min: atLeast(0), setting: "keepalive",
			description: "Upstream `keepalive` pool size; `0` means no pool. Default: none before nginx 1.29.7, 32 since.",
			set:         func(ng *engine.Nginx, v value) { ng.Keepalive = v.int },
			analysed:    func(u *nginxconf.Upstream) value { return value{int: u.Keepalive} }},
		{name: "version", kind: kindString, setting: "version",
			description: "nginx version (" + defaultVersionNote + ").",
			set:         func(ng *engine.Nginx, v value) { ng.Version = v.text }},
		{name: "explicit", kind: kindNames,
			description: "Which of these settings the configuration sets itself, as `nginxkeepalive_config` reports it; " +
				"the others are named as nginx's defaults in messages. Omit it when writing values by hand.",
			set: func(ng *engine.Nginx, v value) { ng.Explicit = v.names }},
		{name: "client_keepalive_timeout", kind: kindTime, setting: "client_keepalive_timeout",
			description: "nginx's client-side `keepalive_timeout` (default 75s); checked against `load_balancer`.",
			set:         func(ng *engine.Nginx, v value) { ng.ClientKeepaliveTimeout = v.time }},
	},
}

// gatewayFabricSet is an UpstreamSettingsPolicy's spec.keepAlive: the same nginx settings
// under NGF's names.
var gatewayFabricSet = attrSet[engine.Nginx]{
	example: `{ timeout = "55s" }`,
	fields: []field[engine.Nginx]{
		{name: "connections", kind: kindInt, min: atLeast(0), setting: "keepalive",
			description: "`keepAlive.connections`: the pool; 0 disables keep-alive.",
			set:         func(ng *engine.Nginx, v value) { ng.Keepalive = v.int }},
		{name: "requests", kind: kindInt, min: atLeast(1), setting: "keepalive_requests",
			description: "`keepAlive.requests`.",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveRequests = v.int }},
		{name: "time", kind: kindTime, setting: "keepalive_time",
			description: "`keepAlive.time`.",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveTime = v.time }},
		{name: "timeout", kind: kindTime, setting: "keepalive_timeout",
			description: "`keepAlive.timeout`.",
			set:         func(ng *engine.Nginx, v value) { ng.KeepaliveTimeout = v.time }},
	},
}

// fieldFor returns the name of the field that supplies an nginx setting ("" when none does).
func (s attrSet[T]) fieldFor(setting string) string {
	for _, f := range s.fields {
		if f.setting == setting {
			return f.name
		}
	}
	return ""
}

// schemaRequired is whether the schema itself requires the field (a field required unless
// another is given is checked by decode instead).
func (f field[T]) schemaRequired() bool { return f.required && f.unless == "" }

func (f field[T]) stringValidators() []validator.String {
	var out []validator.String
	if f.unless != "" {
		out = append(out, requiredUnless{example: f.example, unless: f.unless})
	}
	switch {
	case f.kind != kindTime:
	case f.positive:
		out = append(out, nginxtime.Positive())
	default:
		out = append(out, nginxtime.Valid())
	}
	return out
}

func (f field[T]) intValidators() []validator.Int64 {
	if f.min == nil {
		return nil
	}
	return []validator.Int64{int64validator.AtLeast(*f.min)}
}

// The two schema packages have twin attribute types that share no interface, so each gets its
// own short builder from the same declaration.

func (s attrSet[T]) resourceAttributes() map[string]rsschema.Attribute {
	out := make(map[string]rsschema.Attribute, len(s.fields))
	for _, f := range s.fields {
		req, opt, desc := f.schemaRequired(), !f.schemaRequired(), f.description
		switch f.kind {
		case kindInt:
			out[f.name] = rsschema.Int64Attribute{CustomType: wholeNumberType{}, Required: req, Optional: opt, MarkdownDescription: desc, Validators: f.intValidators()}
		case kindNames:
			out[f.name] = rsschema.ListAttribute{Required: req, Optional: opt, MarkdownDescription: desc, ElementType: types.StringType}
		case kindBool:
			out[f.name] = rsschema.BoolAttribute{Required: req, Optional: opt, MarkdownDescription: desc}
		case kindObject:
			out[f.name] = rsschema.SingleNestedAttribute{Required: req, Optional: opt, MarkdownDescription: desc, Attributes: f.nested.resourceAttributes()}
		default:
			out[f.name] = rsschema.StringAttribute{Required: req, Optional: opt, MarkdownDescription: desc, Validators: f.stringValidators()}
		}
	}
	return out
}

func (s attrSet[T]) dataSourceAttributes() map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(s.fields))
	for _, f := range s.fields {
		req, opt, desc := f.schemaRequired(), !f.schemaRequired(), f.description
		switch f.kind {
		case kindInt:
			out[f.name] = dsschema.Int64Attribute{CustomType: wholeNumberType{}, Required: req, Optional: opt, MarkdownDescription: desc, Validators: f.intValidators()}
		case kindNames:
			out[f.name] = dsschema.ListAttribute{Required: req, Optional: opt, MarkdownDescription: desc, ElementType: types.StringType}
		case kindBool:
			out[f.name] = dsschema.BoolAttribute{Required: req, Optional: opt, MarkdownDescription: desc}
		case kindObject:
			out[f.name] = dsschema.SingleNestedAttribute{Required: req, Optional: opt, MarkdownDescription: desc, Attributes: f.nested.dataSourceAttributes()}
		default:
			out[f.name] = dsschema.StringAttribute{Required: req, Optional: opt, MarkdownDescription: desc, Validators: f.stringValidators()}
		}
	}
	return out
}

// requiredUnless fails validation, as the schema's Required would, when neither the field nor the
// field named by unless is given, with the decoder's message; it judges no unknown value.
type requiredUnless struct{ example, unless string }

func (v requiredUnless) Description(context.Context) string {
	return "required unless " + v.unless + " is given"
}

func (v requiredUnless) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v requiredUnless) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	other := req.Path.ParentPath().AtName(v.unless)
	var given attr.Value
	if resp.Diagnostics.Append(req.Config.GetAttribute(ctx, other, &given)...); resp.Diagnostics.HasError() {
		return
	}
	if given != nil && given.IsNull() {
		resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidValue, missingMessage(req.Path.String(), v.example, other.String()))
	}
}
