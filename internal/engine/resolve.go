package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
)

// InputError is bad input, pointed at the attribute that holds it (e.g. backends[1].idle_timeout).
type InputError struct {
	Path    Path
	Summary string
	Detail  string
}

func (e *InputError) Error() string { return e.Path.String() + ": " + e.Summary + ": " + e.Detail }

// limits are one backend's effective limits after overrides.
type limits struct {
	Index            int
	Label            string // `gunicorn "api"` or `gunicorn`
	Profile          *catalog.Profile
	KeepAliveSupport bool
	Idle             catalog.DurationLimit
	Requests         catalog.CountLimit
	MaxAge           catalog.DurationLimit
	Source           string // where the idle/requests values come from
	IdleFromUser     bool
	RequestsFromUser bool
	AgeFromUser      bool
	Conservative     bool
	Path             Path
	// Probe is the backend's measurement (nil: not probed); the *Measured flags say which
	// limits it supplied because it was the tighter.
	Probe             *Measurement
	IdleMeasured      bool
	RequestsMeasured  bool
	KeepAliveMeasured bool
}

// idleSource says where the idle limit comes from; a measurement that did not win is named too,
// so a user sees that the probe was read.
func (l limits) idleSource() string {
	if l.IdleMeasured {
		return l.Probe.idleText()
	}
	src := l.Source
	if l.IdleFromUser {
		src = "set in backends"
	}
	if l.Probe != nil {
		if _, ok := l.Probe.idle(); ok {
			src += "; " + l.Probe.idleText() + ", not shorter"
		}
	}
	return src
}

func (l limits) requestsSource() string {
	if l.RequestsMeasured {
		return l.Probe.requestsText()
	}
	src := l.Source
	if l.RequestsFromUser {
		src = "set in backends"
	}
	if l.Probe != nil {
		if _, ok := l.Probe.requests(); ok {
			src += "; " + l.Probe.requestsText() + ", not lower"
		}
	}
	return src
}

// keepAliveSource says why a backend counts as one that keeps no connection alive.
func (l limits) keepAliveSource() string {
	if l.KeepAliveMeasured {
		return l.Probe.noKeepAliveText()
	}
	return l.Source
}

// server names the backend's kind in fixes ("raise gunicorn's `--keep-alive`"): the catalogue
// type, or the label of a probed backend declared without one.
func (l limits) server() string {
	if l.Profile.Custom && l.Probe != nil && l.Label != l.Profile.Type {
		return l.Label
	}
	return l.Profile.Type
}

func (l limits) ageSource() string {
	if l.AgeFromUser {
		return "set in backends"
	}
	return l.Source
}

func backendPath(b Backend, i int) Path {
	if b.Path != nil {
		return b.Path
	}
	return Root("backends").Index(i)
}

// resolve turns declared backends into effective limits: catalogue defaults, then overrides,
// then a measurement, which can only tighten them.
// A limit with no confirmed default that the user did not give is an error.
func resolve(backends []Backend) ([]limits, error) {
	out, missing, err := resolveLenient(backends)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, missing[0]
	}
	return out, nil
}

// resolveLenient is resolve that keeps a limit with no confirmed default as Unknown and lists
// the inputs that would supply it, so that a check can still prove what does not need them.
func resolveLenient(backends []Backend) (out []limits, missing []*InputError, err error) {
	if len(backends) == 0 {
		return nil, nil, &InputError{Path: Root("backends"), Summary: "no backends", Detail: "declare at least one backend, e.g. [{ type = \"gunicorn\" }]"}
	}
	out = make([]limits, 0, len(backends))
	for i, b := range backends {
		l, err := resolveOne(b, i)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, l)
		missing = append(missing, l.missingInputs()...)
	}
	return out, missing, nil
}

// missingInputs are the limits the catalogue does not know for this backend and the user did not give.
func (l limits) missingInputs() []*InputError {
	if !l.KeepAliveSupport {
		return nil
	}
	var out []*InputError
	if l.Idle.Kind == catalog.Unknown {
		out = append(out, &InputError{Path: l.Path.Attr("idle_timeout"), Summary: "idle timeout required",
			Detail: fmt.Sprintf("%s has no confirmed default idle keep-alive timeout; set idle_timeout to the value of its %s (e.g. \"30s\")", l.Label, knob(l.Profile.Knobs.IdleTimeout, "idle timeout"))})
	}
	if l.Requests.Kind == catalog.Unknown {
		probe := ""
		if l.Probe != nil {
			probe = ", or let its probe look for the cap (request_cap_probe above 0)"
		}
		out = append(out, &InputError{Path: l.Path.Attr("max_requests_per_connection"), Summary: "request cap required",
			Detail: fmt.Sprintf("%s has no confirmed default requests-per-connection cap; set max_requests_per_connection to the value of its %s (0 = unlimited)%s", l.Label, knob(l.Profile.Knobs.MaxRequests, "request cap"), probe)})
	}
	return out
}

func resolveOne(b Backend, i int) (limits, error) {
	path := backendPath(b, i)
	typ := b.Type
	if typ == "" && b.Probe != nil {
		typ = "custom" // every limit comes from the measurement and the overrides
	}
	res, err := catalog.Lookup(typ, b.Version)
	if err != nil {
		attr := path.Attr("type")
		var versionErr *catalog.VersionError
		if errors.As(err, &versionErr) {
			attr = path.Attr("version")
		}
		return limits{}, &InputError{Path: attr, Summary: "unknown backend", Detail: err.Error()}
	}
	if res.Profile.IsLoadBalancer {
		return limits{}, &InputError{Path: path.Attr("type"), Summary: "load balancer given as a backend",
			Detail: fmt.Sprintf("%q is a load balancer in front of nginx, not a backend behind it: declare it in load_balancer", res.Profile.Type)}
	}
	d := res.Defaults
	l := limits{
		Index: i, Profile: res.Profile, KeepAliveSupport: d.KeepAliveSupported,
		Idle: d.IdleTimeout, Requests: d.MaxRequests, MaxAge: d.MaxConnectionAge,
		Source: d.Source, Conservative: res.Conservative, Path: path,
	}
	l.Label = res.Profile.Type
	if b.Type == "" && b.Probe != nil && b.Probe.Target != "" {
		l.Label = b.Probe.Target
	}
	if b.Version != "" {
		l.Label += " " + b.Version
	}
	if b.Name != "" {
		l.Label += fmt.Sprintf(" %q", b.Name)
	}
	if err := applyOverrides(&l, b, path); err != nil {
		return limits{}, err
	}
	applyMeasurement(&l, b.Probe)
	return l, nil
}

func applyOverrides(l *limits, b Backend, path Path) error {
	if b.IdleTimeout != nil {
		if *b.IdleTimeout <= 0 {
			return &InputError{Path: path.Attr("idle_timeout"), Summary: "idle timeout must be positive",
				Detail: fmt.Sprintf("idle_timeout %v is not a positive duration; give the backend's idle keep-alive timeout, e.g. \"5s\"", *b.IdleTimeout)}
		}
		l.Idle, l.IdleFromUser, l.KeepAliveSupport = catalog.DurationLimit{Kind: catalog.Bounded, Value: *b.IdleTimeout}, true, true
	}
	if b.MaxRequests != nil {
		switch {
		case *b.MaxRequests < 0:
			return &InputError{Path: path.Attr("max_requests_per_connection"), Summary: "negative request cap",
				Detail: fmt.Sprintf("max_requests_per_connection %d is negative; use 0 for unlimited or the backend's cap", *b.MaxRequests)}
		case *b.MaxRequests == 0:
			l.Requests = catalog.NoRequestCap
		default:
			l.Requests = catalog.Requests(*b.MaxRequests)
		}
		l.RequestsFromUser = true
	}
	if b.MaxConnectionAge != nil {
		if *b.MaxConnectionAge <= 0 {
			return &InputError{Path: path.Attr("max_connection_age"), Summary: "connection age must be positive",
				Detail: fmt.Sprintf("max_connection_age %v is not a positive duration", *b.MaxConnectionAge)}
		}
		l.MaxAge, l.AgeFromUser = catalog.DurationLimit{Kind: catalog.Bounded, Value: *b.MaxConnectionAge}, true
	}
	return nil
}

func knob(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return "`" + name + "`"
}

// defaultIdleMargin is the larger of 1 s and 10 % of the limit.
func defaultIdleMargin(limit time.Duration) time.Duration {
	return max(time.Second, limit/10)
}
