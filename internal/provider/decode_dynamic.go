package provider

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// Functions and the resource's `upstreams` take the partial objects users write in HCL
// ({ keepalive_timeout = "60s" }, [{ type = "gunicorn" }, { type = "tomcat", version = "9" }]).
// Terraform hands those over as objects and tuples whose attribute sets differ, so they are
// decoded here generically, naming the offending element in every error.

// nginxAttrs are the attributes read from an nginx object; nginxExtraAttrs are accepted and
// ignored so an analysed upstream from nginxkeepalive_config can be passed as-is.
var (
	nginxAttrs      = []string{"keepalive_timeout", "keepalive_requests", "keepalive_time", "keepalive", "version", "client_keepalive_timeout", "explicit"}
	nginxExtraAttrs = []string{"servers", "file", "line", "name"}
	backendKeys     = []string{"type", "name", "version", "idle_timeout", "max_requests_per_connection", "max_connection_age"}
)

func underlying(v attr.Value) attr.Value {
	if d, ok := v.(basetypes.DynamicValue); ok {
		return d.UnderlyingValue()
	}
	return v
}

func objectAttrs(v attr.Value, what string) (map[string]attr.Value, error) {
	switch o := underlying(v).(type) {
	case basetypes.ObjectValue:
		return o.Attributes(), nil
	case basetypes.MapValue:
		return o.Elements(), nil
	case nil:
		return nil, nil
	default:
		if v.IsNull() {
			return nil, nil
		}
		return nil, fmt.Errorf("%s must be an object like { keepalive_timeout = \"55s\" }, got %s", what, typeName(v))
	}
}

// typeName names a value's type the way HCL users write it.
func typeName(v attr.Value) string {
	switch underlying(v).(type) {
	case basetypes.StringValue:
		return "a string"
	case basetypes.NumberValue, basetypes.Int64Value:
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

func listElements(v attr.Value, what string) ([]attr.Value, error) {
	switch l := underlying(v).(type) {
	case basetypes.TupleValue:
		return l.Elements(), nil
	case basetypes.ListValue:
		return l.Elements(), nil
	case basetypes.SetValue:
		return l.Elements(), nil
	default:
		return nil, fmt.Errorf("%s must be a list of objects like [{ type = \"gunicorn\" }]", what)
	}
}

func checkKeys(attrs map[string]attr.Value, allowed []string, ignored []string, what string) error {
	var unknown []string
	for k := range attrs {
		if !slices.Contains(allowed, k) && !slices.Contains(ignored, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("%s has unsupported attribute(s) %s; allowed: %s", what, strings.Join(unknown, ", "), strings.Join(allowed, ", "))
}

// scalarString reads a string, or a number written without quotes (nginx reads bare numbers as seconds).
func scalarString(v attr.Value, what string) (string, bool, error) {
	switch s := underlying(v).(type) {
	case nil:
		return "", false, nil
	case basetypes.StringValue:
		if s.IsNull() {
			return "", false, nil
		}
		return s.ValueString(), true, nil
	case basetypes.NumberValue:
		if s.IsNull() {
			return "", false, nil
		}
		return s.ValueBigFloat().Text('f', -1), true, nil
	case basetypes.Int64Value:
		if s.IsNull() {
			return "", false, nil
		}
		return fmt.Sprint(s.ValueInt64()), true, nil
	default:
		if v.IsNull() {
			return "", false, nil
		}
		return "", false, fmt.Errorf("%s must be a string, got %s", what, typeName(v))
	}
}

func scalarInt(v attr.Value, what string) (*int64, error) {
	var f *big.Float
	switch n := underlying(v).(type) {
	case nil:
		return nil, nil
	case basetypes.NumberValue:
		if n.IsNull() {
			return nil, nil
		}
		f = n.ValueBigFloat()
	case basetypes.Int64Value:
		if n.IsNull() {
			return nil, nil
		}
		i := n.ValueInt64()
		return &i, nil
	case basetypes.StringValue:
		if n.IsNull() {
			return nil, nil
		}
		parsed, ok := new(big.Float).SetString(n.ValueString())
		if !ok {
			return nil, fmt.Errorf("%s must be a whole number, got %q", what, n.ValueString())
		}
		f = parsed
	default:
		if v.IsNull() {
			return nil, nil
		}
		return nil, fmt.Errorf("%s must be a number, got %s", what, typeName(v))
	}
	i, err := wholeNumber(f, what)
	if err != nil {
		return nil, err
	}
	return &i, nil
}

// wholeNumber reads a number that must fit an int64 without rounding.
func wholeNumber(f *big.Float, what string) (int64, error) {
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("%s must be a whole number between %d and %d, got %s", what, int64(-1<<63), int64(1<<63-1), f.Text('g', 20))
	}
	return i, nil
}

func scalarDuration(v attr.Value, what string) (*time.Duration, error) {
	s, ok, err := scalarString(v, what)
	if err != nil || !ok {
		return nil, err
	}
	d, err := ngxtime.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &d, nil
}

// directiveNames reads an optional list of strings (nil when absent or null).
func directiveNames(v attr.Value, what string) ([]string, error) {
	if v == nil || v.IsNull() {
		return nil, nil
	}
	elems, err := listElements(v, what)
	if err != nil {
		return nil, fmt.Errorf("%s must be a list of directive names", what)
	}
	out := make([]string, 0, len(elems))
	for i, e := range elems {
		s, ok, err := scalarString(e, fmt.Sprintf("%s[%d]", what, i))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// decodeNginx reads an nginx object; null means "all of nginx's defaults".
func decodeNginx(v attr.Value, what string) (engine.Nginx, error) {
	attrs, err := objectAttrs(v, what)
	if err != nil || attrs == nil {
		return engine.Nginx{}, err
	}
	if err := checkKeys(attrs, nginxAttrs, nginxExtraAttrs, what); err != nil {
		return engine.Nginx{}, err
	}
	var ng engine.Nginx
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	ng.KeepaliveTimeout, err = scalarDuration(attrs["keepalive_timeout"], what+".keepalive_timeout")
	collect(err)
	ng.KeepaliveTime, err = scalarDuration(attrs["keepalive_time"], what+".keepalive_time")
	collect(err)
	ng.ClientKeepaliveTimeout, err = scalarDuration(attrs["client_keepalive_timeout"], what+".client_keepalive_timeout")
	collect(err)
	ng.KeepaliveRequests, err = scalarInt(attrs["keepalive_requests"], what+".keepalive_requests")
	collect(err)
	ng.Keepalive, err = scalarInt(attrs["keepalive"], what+".keepalive")
	collect(err)
	version, _, err := scalarString(attrs["version"], what+".version")
	collect(err)
	ng.Version = version
	ng.Explicit, err = directiveNames(attrs["explicit"], what+".explicit")
	collect(err)
	if len(errs) > 0 {
		return engine.Nginx{}, errs[0]
	}
	return ng, nil
}

// decodeBackends reads a list of backend objects.
func decodeBackends(v attr.Value, what string) ([]engine.Backend, error) {
	elems, err := listElements(v, what)
	if err != nil {
		return nil, err
	}
	if len(elems) > maxBackends {
		return nil, fmt.Errorf("%s has %d backends; at most %d are allowed", what, len(elems), maxBackends)
	}
	out := make([]engine.Backend, 0, len(elems))
	for i, e := range elems {
		b, err := decodeBackend(e, fmt.Sprintf("%s[%d]", what, i))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func decodeBackend(v attr.Value, what string) (engine.Backend, error) {
	attrs, err := objectAttrs(v, what)
	if err != nil {
		return engine.Backend{}, err
	}
	if attrs == nil {
		return engine.Backend{}, fmt.Errorf("%s is null; give an object like { type = \"gunicorn\" }", what)
	}
	if err := checkKeys(attrs, backendKeys, nil, what); err != nil {
		return engine.Backend{}, err
	}
	b := engine.Backend{Path: what}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	var ok bool
	b.Type, ok, err = scalarString(attrs["type"], what+".type")
	keep(err)
	if err == nil && !ok {
		keep(fmt.Errorf("%s.type is required, e.g. \"gunicorn\"", what))
	}
	b.Name, _, err = scalarString(attrs["name"], what+".name")
	keep(err)
	b.Version, _, err = scalarString(attrs["version"], what+".version")
	keep(err)
	b.IdleTimeout, err = scalarDuration(attrs["idle_timeout"], what+".idle_timeout")
	keep(err)
	b.MaxRequests, err = scalarInt(attrs["max_requests_per_connection"], what+".max_requests_per_connection")
	keep(err)
	b.MaxConnectionAge, err = scalarDuration(attrs["max_connection_age"], what+".max_connection_age")
	keep(err)
	return b, firstErr
}
