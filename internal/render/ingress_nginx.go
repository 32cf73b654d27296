package render

import (
	"fmt"
	"strconv"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// ingress-nginx ConfigMap keys. Sources: kubernetes/ingress-nginx
// docs/user-guide/nginx-configuration/configmap.md @dbb11b92 L814-850 and
// rootfs/etc/nginx/template/nginx.tmpl @dbb11b92 L534-538, where the upstream block has
// "{{ if (gt $cfg.UpstreamKeepaliveConnections 0) }} keepalive ...; keepalive_timeout
// {{ $cfg.UpstreamKeepaliveTimeout }}s; ..." and the http block
// "keepalive_timeout {{ $cfg.KeepAlive }}s;".
const (
	// IngressUpstreamKeepaliveConnections is the pool; the template emits the upstream
	// keepalive directives only when it is > 0, so "0" turns upstream keep-alive off.
	IngressUpstreamKeepaliveConnections = "upstream-keepalive-connections"
	// IngressUpstreamKeepaliveTimeout is an integer number of seconds: the template appends "s".
	IngressUpstreamKeepaliveTimeout = "upstream-keepalive-timeout"
	// IngressUpstreamKeepaliveRequests is keepalive_requests.
	IngressUpstreamKeepaliveRequests = "upstream-keepalive-requests"
	// IngressUpstreamKeepaliveTime is an nginx time string (controller >= v1.2.0).
	IngressUpstreamKeepaliveTime = "upstream-keepalive-time"
	// IngressClientKeepAlive is the client-side keepalive_timeout in whole seconds (default 75).
	IngressClientKeepAlive = "keep-alive"
)

// IngressNginx returns ingress-nginx ConfigMap data for rec, all values strings.
//
// The result does not depend on rec.NginxVersion: ingress-nginx is retired and its last release
// runs nginx 1.27.1, which has none of 1.29.7's defaults, and its template writes
// proxy_http_version 1.1 and clears the Connection header itself whenever
// upstream-keepalive-connections is above 0. So "0" really means no pool there.
//
// The upstream timeout is floored to whole seconds (rounding down keeps nginx closing first);
// a timeout below one second cannot be expressed, so upstream keep-alive is then turned off
// ("0" connections) with a warning. With keep-alive off only
// upstream-keepalive-connections "0" is returned: the other keys have no effect then.
// upstream-keepalive-time is omitted when rec.KeepaliveTime is 0 (the controller's default
// stands). With a front load balancer (rec.ClientKeepaliveTimeout > 0) the client-side
// "keep-alive" key is added, rounded up to whole seconds so it still outlives the balancer.
func IngressNginx(rec engine.Recommendation) (map[string]string, []string) {
	off := map[string]string{IngressUpstreamKeepaliveConnections: "0"}
	var warnings []string
	addClient := func(m map[string]string) map[string]string {
		if rec.ClientKeepaliveTimeout > 0 {
			m[IngressClientKeepAlive] = strconv.FormatInt(ceilSeconds(rec.ClientKeepaliveTimeout), 10)
		}
		return m
	}
	if !rec.KeepaliveEnabled {
		return addClient(off), nil
	}
	if err := checkEnabled(rec); err != nil {
		return addClient(off), []string{fmt.Sprintf("ingress-nginx: upstream keep-alive turned off because the recommendation cannot be rendered: %v", err)}
	}
	seconds := int64(rec.KeepaliveTimeout / time.Second)
	if seconds == 0 {
		return addClient(off), []string{fmt.Sprintf(
			"ingress-nginx: the recommended upstream keepalive_timeout %s is below 1s, and %s takes whole seconds; "+
				"upstream keep-alive is turned off (%s \"0\") for this controller instead",
			ngxtime.Format(rec.KeepaliveTimeout), IngressUpstreamKeepaliveTimeout, IngressUpstreamKeepaliveConnections)}
	}
	if rec.KeepaliveTimeout%time.Second != 0 {
		warnings = append(warnings, fmt.Sprintf(
			"ingress-nginx: %s takes whole seconds, so the recommended %s is rounded down to %ds",
			IngressUpstreamKeepaliveTimeout, ngxtime.Format(rec.KeepaliveTimeout), seconds))
	}
	m := map[string]string{
		IngressUpstreamKeepaliveConnections: strconv.FormatInt(rec.Pool, 10),
		IngressUpstreamKeepaliveTimeout:     strconv.FormatInt(seconds, 10),
		IngressUpstreamKeepaliveRequests:    strconv.FormatInt(rec.KeepaliveRequests, 10),
	}
	if rec.KeepaliveTime > 0 {
		m[IngressUpstreamKeepaliveTime] = ngxtime.Format(rec.KeepaliveTime)
	}
	return addClient(m), warnings
}

// ceilSeconds rounds d up to whole seconds.
func ceilSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}
