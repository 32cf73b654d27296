package engine

import (
	"fmt"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
)

// Bounds on load hints: beyond them the arithmetic would mean nothing (and could overflow).
const (
	MaxPeakRequestsPerSecond = 100_000_000
	MaxPeakConcurrency       = 1_000_000
	MaxWorkerProcesses       = 4096
)

// defaultPool is the keepalive pool without load hints: nginx's own default since 1.29.7.
const defaultPool = 32

// Recommend computes upstream keep-alive settings that always close before every backend.
func Recommend(in Input) (Recommendation, error) {
	ver, err := nginxver.Parse(in.NginxVersion)
	if err != nil {
		return Recommendation{}, &InputError{Path: Root("nginx_version"), Summary: "invalid nginx version", Detail: err.Error()}
	}
	if err := checkInputMargins(in); err != nil {
		return Recommendation{}, err
	}
	backends, err := resolve(in.Backends)
	if err != nil {
		return Recommendation{}, err
	}
	nd := nginxver.DefaultsFor(ver)
	rec := Recommendation{
		NginxVersion:      ver.String(),
		KeepaliveEnabled:  true,
		NeedsProxyHeaders: nd.NeedsProxyHeaders,
		UpstreamName:      in.UpstreamName,
		Servers:           in.Servers,
	}
	r := &recommender{in: in, nd: nd, rec: &rec}
	r.keepaliveSupport(backends)
	r.timeout(backends)
	r.requests(backends)
	r.connectionAge(backends)
	r.pool()
	r.versionNotes()
	if err := r.loadBalancer(); err != nil {
		return Recommendation{}, err
	}
	r.ports()
	if !rec.KeepaliveEnabled {
		rec.Pool = 0
	}
	return rec, nil
}

type recommender struct {
	in  Input
	nd  nginxver.Defaults
	rec *Recommendation
}

func (r *recommender) explain(format string, args ...any) {
	r.rec.Explanation = append(r.rec.Explanation, fmt.Sprintf(format, args...))
}

func (r *recommender) warn(format string, args ...any) {
	r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf(format, args...))
}

func (r *recommender) disable(reason string) {
	if r.rec.KeepaliveEnabled {
		r.rec.KeepaliveEnabled = false
		r.rec.KeepaliveOffReason = reason
	}
	r.explain("upstream keep-alive off: %s", reason)
}

func (r *recommender) keepaliveSupport(backends []limits) {
	for _, b := range backends {
		if !b.KeepAliveSupport {
			r.disable(fmt.Sprintf("%s does not keep connections alive (it closes after every response; source: %s), so a pool only adds churn", b.Label, b.keepAliveSource()))
		}
	}
}

// timeout: strictly below the shortest backend idle timeout, by a margin.
func (r *recommender) timeout(backends []limits) {
	r.rec.KeepaliveTimeout = r.nd.UpstreamKeepaliveTimeout
	lim, ok := tightestIdle(backends)
	if !ok {
		r.explain("keepalive_timeout %s: nginx's default; no backend closes idle connections on its own", fmtDur(r.rec.KeepaliveTimeout))
		return
	}
	if !r.nd.SupportsUpstreamTimeouts {
		r.disable(fmt.Sprintf("nginx %s cannot set keepalive_timeout inside upstream{} (added in %s), so cached connections never time out and would outlive %s's idle timeout %s; upgrade nginx to keep connections alive safely",
			r.nd.Version, nginxver.UpstreamKeepaliveTimeout, lim.Label, fmtDur(lim.Idle.Value)))
		return
	}
	margin, marginText := r.idleMargin(lim.Idle.Value)
	candidate := lim.Idle.Value - margin
	if candidate <= 0 {
		r.disable(fmt.Sprintf("no positive keepalive_timeout fits below %s's idle timeout %s (%s) with a margin of %s; raise the backend's %s or reduce idle_margin",
			lim.Label, fmtDur(lim.Idle.Value), lim.idleSource(), fmtDur(margin), knob(lim.Profile.Knobs.IdleTimeout, "idle timeout")))
		return
	}
	if candidate >= r.nd.UpstreamKeepaliveTimeout {
		r.explain("keepalive_timeout %s: nginx's default is already below %s's idle timeout %s minus the margin %s (%s)",
			fmtDur(r.rec.KeepaliveTimeout), lim.Label, fmtDur(lim.Idle.Value), fmtDur(margin), lim.idleSource())
		return
	}
	r.rec.KeepaliveTimeout = candidate
	r.explain("keepalive_timeout %s = %s's idle timeout %s (%s) - margin %s (%s)",
		fmtDur(candidate), lim.Label, fmtDur(lim.Idle.Value), lim.idleSource(), fmtDur(margin), marginText)
	if r.in.IdleMargin != nil && margin < defaultIdleMargin(lim.Idle.Value) {
		r.warn("idle_margin %s is smaller than the default %s for %s: a reused connection can still meet the backend's close on a busy network, and nginx does not retry POST, PATCH or LOCK, so such a race surfaces as 502 on writes",
			fmtDur(margin), fmtDur(defaultIdleMargin(lim.Idle.Value)), lim.Label)
	}
}

func (r *recommender) idleMargin(limit time.Duration) (time.Duration, string) {
	if r.in.IdleMargin != nil {
		return *r.in.IdleMargin, "idle_margin"
	}
	return defaultIdleMargin(limit), "the larger of 1s and 10% of the limit"
}

// requests: below the smallest per-connection cap; unlimited backends leave nginx's default.
func (r *recommender) requests(backends []limits) {
	r.rec.KeepaliveRequests = r.nd.UpstreamKeepaliveRequests
	lim, ok := tightestRequests(backends)
	if !ok {
		r.explain("keepalive_requests %d: nginx %s's default; no backend caps requests per connection", r.rec.KeepaliveRequests, r.nd.Version)
		return
	}
	if !r.nd.SupportsUpstreamTimeouts {
		r.disable(fmt.Sprintf("nginx %s cannot set keepalive_requests inside upstream{} (added in %s), so cached connections are reused without limit and would outlive %s's cap of %d requests; upgrade nginx to keep connections alive safely",
			r.nd.Version, nginxver.UpstreamKeepaliveTimeout, lim.Label, lim.Requests.Value))
		return
	}
	margin := int64(1)
	if r.in.RequestsMargin != nil {
		margin = *r.in.RequestsMargin
	}
	candidate := lim.Requests.Value - margin
	if candidate < 1 {
		r.disable(fmt.Sprintf("%s allows only %d request(s) per connection (%s); with a margin of %d no connection could be reused",
			lim.Label, lim.Requests.Value, lim.requestsSource(), margin))
		return
	}
	if candidate >= r.rec.KeepaliveRequests {
		r.explain("keepalive_requests %d: nginx %s's default is already below %s's cap of %d minus the margin %d (%s)",
			r.rec.KeepaliveRequests, r.nd.Version, lim.Label, lim.Requests.Value, margin, lim.requestsSource())
		return
	}
	r.rec.KeepaliveRequests = candidate
	r.explain("keepalive_requests %d = %s's cap of %d requests per connection (%s) - margin %d",
		candidate, lim.Label, lim.Requests.Value, lim.requestsSource(), margin)
}

// connectionAge: keepalive_time (nginx >= 1.19.10) below the shortest backend connection age.
func (r *recommender) connectionAge(backends []limits) {
	lim, bounded := tightestAge(backends)
	if !r.nd.SupportsKeepaliveTime {
		if bounded {
			r.warn("%s closes connections older than %s (%s), but nginx %s has no keepalive_time (added in %s): upgrade nginx, or expect occasional 502s on writes when a connection ages out",
				lim.Label, fmtDur(lim.MaxAge.Value), lim.ageSource(), r.nd.Version, nginxver.KeepaliveTime)
		}
		return
	}
	r.rec.KeepaliveTime = r.nd.UpstreamKeepaliveTime
	if !bounded {
		r.explain("keepalive_time %s: nginx's default; no backend limits a connection's age", fmtDur(r.rec.KeepaliveTime))
		return
	}
	margin := defaultIdleMargin(lim.MaxAge.Value)
	candidate := lim.MaxAge.Value - margin
	if candidate <= 0 {
		r.disable(fmt.Sprintf("%s closes connections after %s (%s), too short to reuse them safely", lim.Label, fmtDur(lim.MaxAge.Value), lim.ageSource()))
		return
	}
	if candidate >= r.rec.KeepaliveTime {
		r.explain("keepalive_time %s: nginx's default is already below %s's connection age limit %s", fmtDur(r.rec.KeepaliveTime), lim.Label, fmtDur(lim.MaxAge.Value))
		return
	}
	r.rec.KeepaliveTime = candidate
	r.explain("keepalive_time %s = %s's maximum connection age %s (%s) - margin %s",
		fmtDur(candidate), lim.Label, fmtDur(lim.MaxAge.Value), lim.ageSource(), fmtDur(margin))
}

// pool: idle connections cached per worker, enough to cover peak concurrency.
func (r *recommender) pool() {
	workers := max(r.in.WorkerProcesses, 1)
	if r.in.PeakConcurrency <= 0 {
		r.rec.Pool = defaultPool
		r.explain("keepalive %d: connections cached per worker (nginx's default since 1.29.7); give peak_concurrency to size it", defaultPool)
		return
	}
	r.rec.Pool = max((r.in.PeakConcurrency+workers-1)/workers, 2)
	r.explain("keepalive %d = peak_concurrency %d / worker_processes %d, rounded up: each worker caches enough idle connections to serve its share of the peak without opening new ones",
		r.rec.Pool, r.in.PeakConcurrency, workers)
}

func (r *recommender) versionNotes() {
	if r.nd.NeedsProxyHeaders {
		r.explain("nginx %s needs proxy_http_version 1.1 and proxy_set_header Connection \"\" in every location that proxies to this upstream, or keep-alive is silently off (see proxy_config)", r.nd.Version)
	} else {
		r.newDefaults()
	}
	r.explain("nginx does not retry POST, PATCH or LOCK on a fresh connection after a failed reuse (unless proxy_next_upstream has non_idempotent), so any race shows up as 502 on writes; GETs are retried silently")
}

// newDefaults explains what nginx >= 1.29.7 does by itself and why the rendered text differs
// from older versions (render follows the same nginxver.Defaults).
func (r *recommender) newDefaults() {
	v := r.nd.Version
	r.explain("nginx %s keeps upstream connections alive by default (keepalive %d local since %s, keepalive_timeout still %s): a stock upstream{} block with only its servers races every backend that closes idle connections sooner, so set these values explicitly; upstreams nginx creates from proxy_pass to an address (no upstream block) get no pool",
		v, r.nd.UpstreamKeepalivePool, nginxver.KeepaliveByDefault, fmtDur(r.nd.UpstreamKeepaliveTimeout))
	if !r.rec.KeepaliveEnabled {
		r.explain("keepalive 0: nginx %s pools connections unless told not to, so upstream_config turns the pool off explicitly", v)
		return
	}
	r.explain("keepalive %d local: \"local\" keeps nginx %s's default mode, in which a cached connection is reused only by the location that opened it; \"keepalive %d;\" without it would share cached connections between all locations that proxy to this upstream (write that only if you want sharing)",
		r.rec.Pool, v, r.rec.Pool)
	r.explain("proxy_config has no proxy_http_version 1.1 or proxy_set_header Connection \"\": in nginx %s both are the defaults (HTTP/1.1, and no Connection header is sent; a client's own \"Connection: close\" is never passed to the backend), and leaving proxy_set_header out keeps the location inheriting the server's and http's proxy_set_header lines; add them only where an enclosing block sets proxy_http_version 1.0 or a Connection header", v)
}

// loadBalancer: nginx is the balancer's backend, so nginx's client side must outlive the balancer.
func (r *recommender) loadBalancer() error {
	if r.in.LoadBalancer == nil {
		return nil
	}
	idle, label, err := resolveLoadBalancer(*r.in.LoadBalancer)
	if err != nil {
		return err
	}
	margin := defaultIdleMargin(idle)
	r.rec.ClientKeepaliveTimeout = idle + margin
	r.explain("client keepalive_timeout %s = %s idle timeout %s + margin %s: nginx is the balancer's backend, so it must close after the balancer does",
		fmtDur(r.rec.ClientKeepaliveTimeout), label, fmtDur(idle), fmtDur(margin))
	return nil
}

func resolveLoadBalancer(lb LoadBalancer) (time.Duration, string, error) {
	res, err := catalog.Lookup(lb.Type, "")
	if err != nil {
		return 0, "", &InputError{Path: Root("load_balancer").Attr("type"), Summary: "unknown load balancer", Detail: err.Error()}
	}
	if !res.Profile.IsLoadBalancer && !res.Profile.Custom {
		return 0, "", &InputError{Path: Root("load_balancer").Attr("type"), Summary: "not a load balancer",
			Detail: fmt.Sprintf("%q is a backend type; load_balancer takes a balancer in front of nginx (aws-alb, gcp-alb or custom with idle_timeout)", lb.Type)}
	}
	label := res.Profile.Type
	if lb.IdleTimeout != nil {
		if *lb.IdleTimeout <= 0 {
			return 0, "", &InputError{Path: Root("load_balancer").Attr("idle_timeout"), Summary: "idle timeout must be positive",
				Detail: fmt.Sprintf("idle_timeout %v is not positive; give the balancer's idle timeout, e.g. \"60s\"", *lb.IdleTimeout)}
		}
		return *lb.IdleTimeout, label, nil
	}
	if res.Defaults.IdleTimeout.Kind != catalog.Bounded {
		return 0, "", &InputError{Path: Root("load_balancer").Attr("idle_timeout"), Summary: "idle timeout required",
			Detail: fmt.Sprintf("%s has no known default idle timeout; set load_balancer.idle_timeout", label)}
	}
	return res.Defaults.IdleTimeout.Value, label, nil
}

// Linux's default ephemeral range (32768-60999) and TIME_WAIT of 60 s bound new connections
// per upstream address to about 470 per second.
const (
	ephemeralPorts = 60999 - 32768 + 1
	timeWait       = 60 * time.Second
)

// ports: would running without upstream keep-alive exhaust ephemeral ports at peak?
func (r *recommender) ports() {
	if r.in.PeakRequestsPerSecond <= 0 {
		return
	}
	addrs := int64(max(len(r.in.Servers), 1))
	perAddr := (r.in.PeakRequestsPerSecond + addrs - 1) / addrs
	needed := perAddr * int64(timeWait/time.Second)
	if needed <= ephemeralPorts {
		r.explain("ports: %d new connections/s per upstream address without keep-alive would hold about %d ports in TIME_WAIT, within Linux's default %d ephemeral ports", perAddr, needed, ephemeralPorts)
		return
	}
	if r.rec.KeepaliveEnabled {
		r.explain("ports: without upstream keep-alive, %d requests/s per upstream address would need about %d ports in TIME_WAIT (60s each), more than Linux's default %d ephemeral ports (\"connect() failed (99: Cannot assign requested address)\"); the keepalive pool prevents that", perAddr, needed, ephemeralPorts)
		return
	}
	r.warn("upstream keep-alive is off (%s), and %d requests/s per upstream address would need about %d ephemeral ports in TIME_WAIT, more than Linux's default %d: expect \"connect() failed (99: Cannot assign requested address)\" unless the backend closes first (then TIME_WAIT lands on the backend), more upstream addresses are added, or the port range is widened",
		r.rec.KeepaliveOffReason, perAddr, needed, ephemeralPorts)
}

func checkInputMargins(in Input) error {
	// A zero margin would recommend a value equal to the backend's, and equal values still race.
	if in.IdleMargin != nil && *in.IdleMargin <= 0 {
		return &InputError{Path: Root("idle_margin"), Summary: "margin must be positive",
			Detail: fmt.Sprintf("idle_margin %s is not positive: equal timeouts still race; use a positive duration such as \"1s\"", fmtDur(*in.IdleMargin))}
	}
	if in.RequestsMargin != nil && *in.RequestsMargin < 1 {
		return &InputError{Path: Root("requests_margin"), Summary: "margin must be positive",
			Detail: fmt.Sprintf("requests_margin %d is below 1: keepalive_requests must stay strictly below the backend's cap; use 1 or more", *in.RequestsMargin)}
	}
	for _, hint := range []struct {
		name       string
		value, max int64
	}{
		{"peak_requests_per_second", in.PeakRequestsPerSecond, MaxPeakRequestsPerSecond},
		{"peak_concurrency", in.PeakConcurrency, MaxPeakConcurrency},
		{"worker_processes", in.WorkerProcesses, MaxWorkerProcesses},
	} {
		if hint.value < 0 || hint.value > hint.max {
			return &InputError{Path: Root(hint.name), Summary: "value out of range",
				Detail: fmt.Sprintf("%s %d is outside 0..%d; omit it or give a realistic value", hint.name, hint.value, hint.max)}
		}
	}
	return nil
}

// tightestBy returns the keep-alive backend with the smallest bounded value, if any.
func tightestBy(backends []limits, value func(limits) (int64, bool)) (limits, bool) {
	var best limits
	var bestValue int64
	found := false
	for _, b := range backends {
		v, bounded := value(b)
		if b.KeepAliveSupport && bounded && (!found || v < bestValue) {
			best, bestValue, found = b, v, true
		}
	}
	return best, found
}

func tightestIdle(backends []limits) (limits, bool) {
	return tightestBy(backends, func(b limits) (int64, bool) { return int64(b.Idle.Value), b.Idle.Kind == catalog.Bounded })
}

func tightestRequests(backends []limits) (limits, bool) {
	return tightestBy(backends, func(b limits) (int64, bool) { return b.Requests.Value, b.Requests.Kind == catalog.Bounded })
}

func tightestAge(backends []limits) (limits, bool) {
	return tightestBy(backends, func(b limits) (int64, bool) { return int64(b.MaxAge.Value), b.MaxAge.Kind == catalog.Bounded })
}
