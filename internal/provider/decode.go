package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/validators/nginxtime"
)

// The decoder reads the sets of attrsets.go from whatever Terraform hands over: typed objects and
// lists from a schema, or the objects, tuples and maps of a dynamic value, whose attribute sets
// differ element by element ({ keepalive_timeout = "60s" }, [{ type = "gunicorn" }, { type =
// "tomcat", version = "9" }]). Every error names the offending value's path.

// valueError is a value that cannot be read, at the attribute that holds it.
type valueError struct {
	at      engine.Path
	summary string
	detail  string // starts with the path, so it stands alone as a function error
}

func (e *valueError) Error() string { return e.detail }

func invalid(at engine.Path, summary, format string, args ...any) *valueError {
	return &valueError{at: at, summary: summary, detail: fmt.Sprintf(format, args...)}
}

// decode reads one object of the set; ok is false when v is null.
func (s attrSet[T]) decode(v attr.Value, at engine.Path) (out T, ok bool, err error) {
	attrs, err := objectAttrs(v, at, s.example)
	if err != nil || attrs == nil {
		return out, false, err
	}
	if err := s.checkKeys(attrs, at); err != nil {
		return out, true, err
	}
	for _, f := range s.fields {
		val, set, err := f.decode(attrs[f.name], at.Attr(f.name))
		if err != nil {
			return out, true, err
		}
		if f.required && !set {
			if f.unless == "" {
				return out, true, invalid(at.Attr(f.name), summaryInvalidValue, "%s is required, e.g. %s", at.Attr(f.name), f.example)
			}
			if isNull(attrs[f.unless]) {
				return out, true, invalid(at.Attr(f.name), summaryInvalidValue, "%s", missingMessage(at.Attr(f.name).String(), f.example, at.Attr(f.unless).String()))
			}
		}
		f.set(&out, val)
	}
	return out, true, nil
}

// missingMessage is the one message for a field required unless another is given.
func missingMessage(at, example, unless string) string {
	return fmt.Sprintf("%s is required, e.g. %s (or give %s)", at, example, unless)
}

func (s attrSet[T]) checkKeys(attrs map[string]attr.Value, at engine.Path) error {
	if s.anyKeys {
		return nil
	}
	allowed := make([]string, 0, len(s.fields))
	for _, f := range s.fields {
		allowed = append(allowed, f.name)
	}
	var unknown []string
	for k := range attrs {
		if !slices.Contains(allowed, k) && !slices.Contains(s.ignored, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return invalid(at, summaryInvalidValue, "%s has unsupported attribute(s) %s; allowed: %s", at, strings.Join(unknown, ", "), strings.Join(allowed, ", "))
}

// decode reads one field; set is false when the value is absent or null.
func (f field[T]) decode(v attr.Value, at engine.Path) (out value, set bool, err error) {
	switch f.kind {
	case kindTime:
		out.time, err = scalarTime(v, at, f.positive)
		return out, out.time != nil, err
	case kindInt:
		out.int, err = scalarInt(v, at)
		return out, out.int != nil, err
	case kindNames:
		out.names, err = namesList(v, at)
		return out, out.names != nil, err
	case kindBool:
		out.flag, err = scalarBool(v, at)
		return out, out.flag != nil, err
	case kindObject:
		out.object, err = f.nested.decodeNested(v, at)
		return out, out.object != nil, err
	default:
		out.text, set, err = scalarString(v, at)
		return out, set, err
	}
}

// decodeBackends reads a list of backends at `at` (backends, or upstreams["api"]).
func decodeBackends(v attr.Value, at engine.Path) ([]engine.Backend, error) {
	elems, err := listElements(v, at, backendSet.example)
	if err != nil {
		return nil, err
	}
	if len(elems) > maxBackends {
		return nil, invalid(at, summaryInvalidValue, "%s has %d backends; at most %d are allowed", at, len(elems), maxBackends)
	}
	out := make([]engine.Backend, 0, len(elems))
	for i, e := range elems {
		b, ok, err := backendSet.decode(e, at.Index(i))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, invalid(at.Index(i), summaryInvalidValue, "%s is null; give an object like %s", at.Index(i), backendSet.example)
		}
		b.Path = at.Index(i)
		out = append(out, b)
	}
	return out, nil
}

// decodeLoadBalancer reads load_balancer; nil when it is null.
func decodeLoadBalancer(v attr.Value) (*engine.LoadBalancer, error) {
	lb, ok, err := loadBalancerSet.decode(v, engine.Root("load_balancer"))
	if err != nil || !ok {
		return nil, err
	}
	return &lb, nil
}

func underlying(v attr.Value) attr.Value {
	if d, ok := v.(basetypes.DynamicValue); ok {
		return d.UnderlyingValue()
	}
	return v
}

// objectAttrs returns an object's (or map's) attributes, or nil when it is null or absent.
func objectAttrs(v attr.Value, at engine.Path, example string) (map[string]attr.Value, error) {
	if v == nil || v.IsNull() {
		return nil, nil
	}
	switch o := underlying(v).(type) {
	case basetypes.ObjectValue:
		return o.Attributes(), nil
	case basetypes.MapValue:
		return o.Elements(), nil
	case nil:
		return nil, nil
	default:
		if o.IsNull() {
			return nil, nil
		}
		return nil, invalid(at, summaryInvalidValue, "%s must be an object like %s, got %s", at, example, typeName(v))
	}
}

func listElements(v attr.Value, at engine.Path, example string) ([]attr.Value, error) {
	switch l := underlying(v).(type) {
	case basetypes.TupleValue:
		return l.Elements(), nil
	case basetypes.ListValue:
		return l.Elements(), nil
	case basetypes.SetValue:
		return l.Elements(), nil
	default:
		return nil, invalid(at, summaryInvalidValue, "%s must be a list of objects like [%s]", at, example)
	}
}

// typeName names a value's type the way HCL users write it.
func typeName(v attr.Value) string {
	switch underlying(v).(type) {
	case basetypes.StringValue:
		return "a string"
	case basetypes.NumberValue, basetypes.Int64Value, wholeNumberValue:
		return "a number"
	case basetypes.BoolValue:
		return "a bool"
	case basetypes.TupleValue, basetypes.ListValue, basetypes.SetValue:
		return "a list"
	case basetypes.ObjectValue, basetypes.MapValue:
		return "an object"
	default:
		return "another type"
	}
}

// isNull is true for an absent value and for a null of any type, dynamic ones included.
func isNull(v attr.Value) bool {
	if v == nil || v.IsNull() {
		return true
	}
	u := underlying(v)
	return u == nil || u.IsNull()
}

// scalarString reads a string, or a number written without quotes (nginx reads bare numbers as seconds).
func scalarString(v attr.Value, at engine.Path) (string, bool, error) {
	if isNull(v) {
		return "", false, nil
	}
	switch s := underlying(v).(type) {
	case basetypes.StringValue:
		return s.ValueString(), true, nil
	case basetypes.NumberValue:
		return s.ValueBigFloat().Text('f', -1), true, nil
	case basetypes.Int64Value:
		return fmt.Sprint(s.ValueInt64()), true, nil
	case wholeNumberValue:
		return s.String(), true, nil
	default:
		return "", false, invalid(at, summaryInvalidValue, "%s must be a string, got %s", at, typeName(v))
	}
}

func scalarInt(v attr.Value, at engine.Path) (*int64, error) {
	if isNull(v) {
		return nil, nil
	}
	var f *big.Float
	switch n := underlying(v).(type) {
	case wholeNumberValue:
		if n.notWhole == nil {
			i := n.ValueInt64()
			return &i, nil
		}
		f = n.notWhole
	case basetypes.Int64Value:
		i := n.ValueInt64()
		return &i, nil
	case basetypes.NumberValue:
		f = n.ValueBigFloat()
	case basetypes.StringValue:
		parsed, ok := new(big.Float).SetString(n.ValueString())
		if !ok {
			return nil, invalid(at, summaryInvalidNumber, "%s must be a whole number, got %q", at, n.ValueString())
		}
		f = parsed
	default:
		return nil, invalid(at, summaryInvalidNumber, "%s must be a number, got %s", at, typeName(v))
	}
	i, err := wholeNumber(f, at)
	if err != nil {
		return nil, err
	}
	return &i, nil
}

// wholeNumber reads a number that must fit an int64 without rounding.
func wholeNumber(f *big.Float, at engine.Path) (int64, error) {
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0, invalid(at, summaryInvalidNumber, "%s", notWholeMessage(at.String(), f))
	}
	return i, nil
}

// scalarTime reads an nginx time exactly as the schema's validators judge it.
func scalarTime(v attr.Value, at engine.Path, positive bool) (*time.Duration, error) {
	s, ok, err := scalarString(v, at)
	if err != nil || !ok {
		return nil, err
	}
	d, err := nginxtime.Parse(s, positive)
	if err != nil {
		return nil, invalid(at, nginxtime.Summary, "%s: %s", at, err)
	}
	return &d, nil
}

func scalarBool(v attr.Value, at engine.Path) (*bool, error) {
	if isNull(v) {
		return nil, nil
	}
	b, ok := underlying(v).(basetypes.BoolValue)
	if !ok {
		return nil, invalid(at, summaryInvalidValue, "%s must be true or false, got %s", at, typeName(v))
	}
	flag := b.ValueBool()
	return &flag, nil
}

// namesList reads an optional list of strings (nil when absent or null).
func namesList(v attr.Value, at engine.Path) ([]string, error) {
	if isNull(v) {
		return nil, nil
	}
	elems, err := listElements(v, at, `"keepalive_timeout"`)
	if err != nil {
		return nil, invalid(at, summaryInvalidValue, "%s must be a list of directive names", at)
	}
	out := make([]string, 0, len(elems))
	for i, e := range elems {
		s, ok, err := scalarString(e, at.Index(i))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// decodeNested reads a backend's probe into the engine's measurement; nil when it is null.
func (p probeDecl) decodeNested(v attr.Value, at engine.Path) (any, error) {
	obj, ok, err := p.decode(v, at)
	if err != nil || !ok {
		return nil, err
	}
	return obj.measurement(at)
}

// maxMeasuredIdle bounds a measured idle close: no probe waits nearly that long, and it keeps
// the conversion to a duration far from overflowing.
const maxMeasuredIdle = 24 * time.Hour

// probeFix ends every message about a bad probe object.
const probeFix = "pass the data source's object as-is: probe = data.nginxkeepalive_probe.NAME"

// measurement checks what a probe object says and turns it into the engine's Measurement: close
// decides which of the idle values applies, and a cap found wins over the responses read.
func (o probeObject) measurement(at engine.Path) (*engine.Measurement, error) {
	m := &engine.Measurement{Target: o.address, Close: o.close}
	switch o.close {
	case string(probe.CloseConnectionClose):
		m.NoKeepAlive = true
	case string(probe.CloseOpen):
		if o.idleAtLeast == nil {
			return nil, invalid(at.Attr("idle_timeout_at_least"), summaryInvalidValue,
				"%s is null while close is %q; an open probe gives the wait its connections survived; %s", at.Attr("idle_timeout_at_least"), o.close, probeFix)
		}
		m.IdleAtLeast = o.idleAtLeast
	case string(probe.CloseFIN), string(probe.CloseRST):
		idle, err := measuredIdle(o.idleMs, o.close, at.Attr("idle_timeout_ms"))
		if err != nil {
			return nil, err
		}
		m.IdleTimeout = &idle
	default:
		return nil, invalid(at.Attr("close"), summaryInvalidValue, "%s: %q is not how a probed connection ends; want %q, %q, %q or %q; %s",
			at.Attr("close"), o.close, probe.CloseFIN, probe.CloseRST, probe.CloseConnectionClose, probe.CloseOpen, probeFix)
	}
	if err := o.requests(m, at); err != nil {
		return nil, err
	}
	return m, nil
}

func measuredIdle(ms *int64, closeKind string, at engine.Path) (time.Duration, error) {
	switch {
	case ms == nil:
		return 0, invalid(at, summaryInvalidValue, "%s is null while close is %q; a closed connection gives its idle time in milliseconds; %s", at, closeKind, probeFix)
	case *ms < 0:
		return 0, invalid(at, summaryInvalidValue, "%s: %d is negative; a measured idle close is 0 ms or more; %s", at, *ms, probeFix)
	case *ms > maxMeasuredIdle.Milliseconds():
		return 0, invalid(at, summaryInvalidValue, "%s: %d is more than %d (%s); no probe waits that long; %s", at, *ms, maxMeasuredIdle.Milliseconds(), ngxtime.Format(maxMeasuredIdle), probeFix)
	}
	return time.Duration(*ms) * time.Millisecond, nil
}

// requests reads the cap: the one found, else the responses read without finding one.
func (o probeObject) requests(m *engine.Measurement, at engine.Path) error {
	if o.requestsProbed != nil && *o.requestsProbed < 0 {
		return invalid(at.Attr("requests_probed"), summaryInvalidValue, "%s: %d is negative; it counts the responses the cap probe read (0 when it did not look); %s",
			at.Attr("requests_probed"), *o.requestsProbed, probeFix)
	}
	m.AnnouncesLast = o.announcesLast != nil && *o.announcesLast
	switch {
	case o.maxRequests != nil && *o.maxRequests < 1:
		return invalid(at.Attr("max_requests_per_connection"), summaryInvalidValue, "%s: %d is below 1; a cap found counts the responses one connection carried (null when none was found); %s",
			at.Attr("max_requests_per_connection"), *o.maxRequests, probeFix)
	case o.maxRequests != nil:
		m.MaxRequests = o.maxRequests
	case o.requestsProbed != nil && *o.requestsProbed > 0:
		m.RequestsAtLeast = o.requestsProbed
	}
	return nil
}
