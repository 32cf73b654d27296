package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

// Nginx is the nginx side as written by the user; nil means "not set: nginx's default".
type Nginx struct {
	KeepaliveTimeout       *time.Duration
	KeepaliveRequests      *int64
	KeepaliveTime          *time.Duration
	Keepalive              *int64 // pool size; 0 = no pool
	Version                string
	ClientKeepaliveTimeout *time.Duration
	// Explicit, when not nil, names the settings the configuration really sets (as
	// nginxkeepalive_config reports them); the others are nginx's defaults and are named so.
	Explicit []string
}

// Severity of a violation.
type Severity int

const (
	// Error: nginx can outlive a backend; the plan must fail.
	Error Severity = iota
	// Warning: legal but fragile (a near miss, or a setting that does nothing).
	Warning
)

// Violation is one broken (or nearly broken) rule.
type Violation struct {
	Severity Severity
	// Attribute names the nginx setting at fault ("keepalive_timeout", "client_keepalive_timeout",
	// "version"); it is empty for backend-side problems, which Backend locates instead.
	Attribute string
	Backend   Path
	Summary   string
	Detail    string
}

// Message is the one-line form used by the violations() function and findings.
func (v Violation) Message() string { return v.Summary + ": " + v.Detail }

// effectiveNginx is the nginx side after version defaults.
type effectiveNginx struct {
	defaults           nginxver.Defaults
	timeout, age       time.Duration
	requests, pool     int64
	timeoutSet, ageSet bool
	requestsSet        bool
	client             time.Duration
	clientSet          bool
}

func (e effectiveNginx) origin(set bool) string {
	if set {
		return "as set"
	}
	return fmt.Sprintf("nginx %s's default", e.defaults.Version)
}

// MissingInputs is Check's error when a backend lacks a limit the catalogue does not know (a
// custom or uwsgi backend without max_requests_per_connection). Check then still returns every
// violation it can prove without those inputs, so that one plan shows them all.
type MissingInputs struct {
	Errors []*InputError // in backend order
}

func (e *MissingInputs) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, ie := range e.Errors {
		msgs[i] = ie.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As find the first *InputError.
func (e *MissingInputs) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, ie := range e.Errors {
		out[i] = ie
	}
	return out
}

// Check returns every violation of the rule "nginx closes first" for the given nginx settings.
// When inputs are missing (*MissingInputs) it returns the violations it can still prove along
// with that error; any other error comes alone.
func Check(in Input, ng Nginx) ([]Violation, error) {
	ver, err := nginxver.Parse(ng.Version)
	if err != nil {
		return nil, &InputError{Path: Root("nginx").Attr("version"), Summary: "invalid nginx version", Detail: err.Error()}
	}
	if err := checkNginxValues(ng); err != nil {
		return nil, err
	}
	if err := checkInputMargins(in); err != nil {
		return nil, err
	}
	backends, missing, err := resolveLenient(in.Backends)
	if err != nil {
		return nil, err
	}
	eff := effective(nginxver.DefaultsFor(ver), ng)
	c := &checker{eff: eff}
	c.versionSupport(ng)
	for _, b := range backends {
		c.backend(b) // a limit still Unknown is skipped by its rule
	}
	if err := c.loadBalancer(in.LoadBalancer); err != nil {
		return nil, err
	}
	if len(missing) > 0 && eff.pool > 0 {
		return c.out, &MissingInputs{Errors: missing}
	}
	return c.out, nil
}

func effective(d nginxver.Defaults, ng Nginx) effectiveNginx {
	e := effectiveNginx{defaults: d, timeout: d.UpstreamKeepaliveTimeout, requests: d.UpstreamKeepaliveRequests,
		age: d.UpstreamKeepaliveTime, pool: d.UpstreamKeepalivePool, client: d.ClientKeepaliveTimeout}
	if ng.KeepaliveTimeout != nil {
		e.timeout, e.timeoutSet = *ng.KeepaliveTimeout, ng.sets("keepalive_timeout")
	}
	if ng.KeepaliveRequests != nil {
		e.requests, e.requestsSet = *ng.KeepaliveRequests, ng.sets("keepalive_requests")
	}
	if ng.KeepaliveTime != nil {
		e.age, e.ageSet = *ng.KeepaliveTime, ng.sets("keepalive_time")
	}
	if ng.Keepalive != nil {
		e.pool = *ng.Keepalive
	}
	if ng.ClientKeepaliveTimeout != nil {
		e.client, e.clientSet = *ng.ClientKeepaliveTimeout, true
	}
	return e
}

// sets reports whether the configuration sets the directive itself (rather than nginx's default).
func (ng Nginx) sets(directive string) bool {
	return ng.Explicit == nil || slices.Contains(ng.Explicit, directive)
}

func checkNginxValues(ng Nginx) error {
	if ng.KeepaliveTimeout != nil && *ng.KeepaliveTimeout < 0 {
		return &InputError{Path: Root("nginx").Attr("keepalive_timeout"), Summary: "negative duration", Detail: "keepalive_timeout must not be negative"}
	}
	if ng.KeepaliveRequests != nil && *ng.KeepaliveRequests < 1 {
		return &InputError{Path: Root("nginx").Attr("keepalive_requests"), Summary: "invalid value",
			Detail: fmt.Sprintf("keepalive_requests %d must be at least 1 (nginx rejects 0 and negative values)", *ng.KeepaliveRequests)}
	}
	if ng.Keepalive != nil && *ng.Keepalive < 0 {
		return &InputError{Path: Root("nginx").Attr("keepalive"), Summary: "invalid pool size",
			Detail: fmt.Sprintf("keepalive %d must be 0 (no pool) or a positive number of cached connections", *ng.Keepalive)}
	}
	return nil
}

type checker struct {
	eff effectiveNginx
	out []Violation
}

func (c *checker) add(sev Severity, attr, summary, detail string) {
	c.out = append(c.out, Violation{Severity: sev, Attribute: attr, Summary: summary, Detail: detail})
}

// addForBackend adds a violation that lies with the backend at b, not with an nginx setting.
func (c *checker) addForBackend(sev Severity, b Path, summary, detail string) {
	c.out = append(c.out, Violation{Severity: sev, Backend: b, Summary: summary, Detail: detail})
}

func (c *checker) versionSupport(ng Nginx) {
	d := c.eff.defaults
	if d.SupportsUpstreamTimeouts {
		if ng.KeepaliveTime != nil && !d.SupportsKeepaliveTime {
			c.add(Error, "keepalive_time", "keepalive_time not available", fmt.Sprintf(
				"nginx %s has no keepalive_time directive (added in %s): remove it or upgrade nginx", d.Version, nginxver.KeepaliveTime))
		}
		return
	}
	for attr, set := range map[string]bool{"keepalive_timeout": ng.KeepaliveTimeout != nil, "keepalive_requests": ng.KeepaliveRequests != nil} {
		if set {
			c.add(Error, attr, attr+" not available in upstream", fmt.Sprintf(
				"nginx %s does not accept %s inside upstream{} (added in %s): upgrade nginx, or remove the keepalive pool so connections are not reused", d.Version, attr, nginxver.UpstreamKeepaliveTimeout))
		}
	}
}

func (c *checker) backend(b limits) {
	if c.eff.pool == 0 {
		return // no pool: nothing is reused, nothing races
	}
	if !b.KeepAliveSupport {
		c.addForBackend(Warning, b.Path, "keep-alive pool is useless for "+b.Label, fmt.Sprintf(
			"%s closes every connection after one response (%s); the keepalive pool of %d only costs memory: remove it for this upstream", b.Label, b.keepAliveSource(), c.eff.pool))
		return
	}
	c.idle(b)
	c.requests(b)
	c.age(b)
}

func (c *checker) idle(b limits) {
	if b.Idle.Kind != catalog.Bounded {
		return
	}
	if !c.eff.defaults.SupportsUpstreamTimeouts {
		c.add(Error, "keepalive", "cached connections outlive "+b.Label, fmt.Sprintf(
			"nginx %s keeps cached upstream connections with no idle timeout, while %s closes them after %s (%s): nginx will reuse connections the backend has closed and POST, PATCH or LOCK requests get 502. Fix: upgrade nginx to %s or later and set keepalive_timeout below %s, or remove the keepalive pool.",
			c.eff.defaults.Version, b.Label, fmtDur(b.Idle.Value), b.idleSource(), nginxver.UpstreamKeepaliveTimeout, fmtDur(b.Idle.Value)))
		return
	}
	safe := b.Idle.Value - defaultIdleMargin(b.Idle.Value)
	if c.eff.timeout >= b.Idle.Value {
		c.add(Error, "keepalive_timeout", "nginx outlives "+b.Label, idleViolationDetail(c.eff, b, safe))
		return
	}
	if c.eff.timeout > safe {
		c.add(Warning, "keepalive_timeout", "near miss with "+b.Label, fmt.Sprintf(
			"keepalive_timeout %s (%s) is below %s's idle timeout %s (%s) by only %s, less than the margin %s (the larger of 1s and 10%%): on a busy network nginx can still reuse a connection as the backend closes it, and POST, PATCH or LOCK then get 502. Set keepalive_timeout to %s or less.",
			fmtDur(c.eff.timeout), c.eff.origin(c.eff.timeoutSet), b.Label, fmtDur(b.Idle.Value), b.idleSource(),
			fmtDur(b.Idle.Value-c.eff.timeout), fmtDur(defaultIdleMargin(b.Idle.Value)), fmtDur(safe)))
	}
}

func idleViolationDetail(eff effectiveNginx, b limits, safe time.Duration) string {
	nginxFix := fmt.Sprintf("set keepalive_timeout to %s or less", fmtDur(safe))
	if safe <= 0 {
		nginxFix = "turn upstream keep-alive off for this upstream (remove its keepalive directive)"
	}
	return fmt.Sprintf(
		"keepalive_timeout %s (%s) is not shorter than %s's idle timeout %s (%s). nginx can send a request on a connection the backend is already closing; nginx does not retry POST, PATCH or LOCK, so users get 502. Fix: %s, or raise %s's %s above %s.",
		fmtDur(eff.timeout), eff.origin(eff.timeoutSet), b.Label, fmtDur(b.Idle.Value), b.idleSource(),
		nginxFix, b.server(), knob(b.Profile.Knobs.IdleTimeout, "idle timeout"), fmtDur(backendIdleFor(eff.timeout)))
}

// roundUpExtra makes Round behave as a ceiling to whole seconds.
func roundUpExtra(d time.Duration) time.Duration {
	if d.Round(time.Second) < d {
		return time.Second
	}
	return 0
}

// backendIdleFor is the smallest backend idle timeout that the given nginx timeout respects
// with the default margin: B - max(1s, B/10) >= t.
func backendIdleFor(t time.Duration) time.Duration {
	b := max(t+time.Second, (t*10+8)/9)
	return b.Round(time.Second) + roundUpExtra(b)
}

func (c *checker) requests(b limits) {
	if b.Requests.Kind != catalog.Bounded {
		return
	}
	if !c.eff.defaults.SupportsUpstreamTimeouts {
		c.add(Error, "keepalive", "cached connections outlive "+b.Label+"'s request cap", fmt.Sprintf(
			"nginx %s cannot limit requests per cached upstream connection (keepalive_requests in upstream{} was added in %s), while %s closes after %d requests (%s): POST, PATCH or LOCK requests can get 502. Fix: upgrade nginx, or remove the keepalive pool.",
			c.eff.defaults.Version, nginxver.UpstreamKeepaliveTimeout, b.Label, b.Requests.Value, b.requestsSource()))
		return
	}
	if c.eff.requests < b.Requests.Value {
		return
	}
	c.add(Error, "keepalive_requests", "nginx reuses connections more often than "+b.Label+" allows", fmt.Sprintf(
		"keepalive_requests %d (%s) is not below %s's cap of %d requests per connection (%s). A backend that closes at its cap without a Connection: close header races nginx's next request, and POST, PATCH or LOCK get 502. Fix: set keepalive_requests to %d or less, or raise %s's %s above %d.",
		c.eff.requests, c.eff.origin(c.eff.requestsSet), b.Label, b.Requests.Value, b.requestsSource(),
		b.Requests.Value-1, b.server(), knob(b.Profile.Knobs.MaxRequests, "request cap"), c.eff.requests))
}

func (c *checker) age(b limits) {
	if b.MaxAge.Kind != catalog.Bounded {
		return
	}
	if !c.eff.defaults.SupportsKeepaliveTime {
		c.add(Warning, "keepalive_time", "no keepalive_time before nginx "+nginxver.KeepaliveTime.String(), fmt.Sprintf(
			"%s closes connections older than %s (%s), but nginx %s cannot limit a connection's age: upgrade nginx to %s or later",
			b.Label, fmtDur(b.MaxAge.Value), b.ageSource(), c.eff.defaults.Version, nginxver.KeepaliveTime))
		return
	}
	if c.eff.age < b.MaxAge.Value {
		return
	}
	safe := b.MaxAge.Value - defaultIdleMargin(b.MaxAge.Value)
	c.add(Error, "keepalive_time", "nginx keeps connections longer than "+b.Label, fmt.Sprintf(
		"keepalive_time %s (%s) is not shorter than %s's maximum connection age %s (%s): nginx can reuse a connection the backend is retiring, and POST, PATCH or LOCK get 502. Fix: set keepalive_time to %s or less, or raise %s's %s above %s.",
		fmtDur(c.eff.age), c.eff.origin(c.eff.ageSet), b.Label, fmtDur(b.MaxAge.Value), b.ageSource(),
		fmtDur(safe), b.server(), knob(b.Profile.Knobs.MaxConnectionAge, "connection age limit"), fmtDur(c.eff.age)))
}

func (c *checker) loadBalancer(lb *LoadBalancer) error {
	if lb == nil {
		return nil
	}
	idle, label, err := resolveLoadBalancer(*lb)
	if err != nil {
		return err
	}
	want := idle + defaultIdleMargin(idle)
	origin := c.eff.origin(c.eff.clientSet)
	switch {
	case c.eff.client <= idle:
		c.add(Error, "client_keepalive_timeout", "the load balancer outlives nginx", fmt.Sprintf(
			"client keepalive_timeout %s (%s) is not longer than %s's idle timeout %s: nginx is the balancer's backend and can close a connection the balancer is about to reuse, which the balancer reports as 502. Fix: set nginx's client keepalive_timeout to %s or more, or lower the balancer's idle timeout below %s.",
			fmtDur(c.eff.client), origin, label, fmtDur(idle), fmtDur(want), fmtDur(c.eff.client)))
	case c.eff.client < want:
		c.add(Warning, "client_keepalive_timeout", "near miss with "+label, fmt.Sprintf(
			"client keepalive_timeout %s (%s) exceeds %s's idle timeout %s by less than the margin %s: set it to %s or more.",
			fmtDur(c.eff.client), origin, label, fmtDur(idle), fmtDur(defaultIdleMargin(idle)), fmtDur(want)))
	}
	return nil
}
