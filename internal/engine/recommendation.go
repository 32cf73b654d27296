package engine

import "time"

// Recommendation is the engine's answer for one upstream.
type Recommendation struct {
	NginxVersion string
	// KeepaliveEnabled is false when some backend cannot keep connections alive, or no
	// positive timeout fits below a backend's idle limit; KeepaliveOffReason says why.
	KeepaliveEnabled   bool
	KeepaliveOffReason string

	KeepaliveTimeout  time.Duration // upstream keepalive_timeout
	KeepaliveRequests int64         // upstream keepalive_requests
	KeepaliveTime     time.Duration // upstream keepalive_time; 0 when the nginx version has none
	Pool              int64         // upstream keepalive (idle connections cached per worker)

	// NeedsProxyHeaders: proxy_http_version 1.1 and Connection "" are required (nginx < 1.29.7).
	NeedsProxyHeaders bool
	// ClientKeepaliveTimeout is nginx's client-side keepalive_timeout; 0 without a load balancer.
	ClientKeepaliveTimeout time.Duration

	UpstreamName string
	Servers      []string

	// Limits says, for each recommended value, which backend limited it and the arithmetic.
	Explanation []string
	Warnings    []string
}
