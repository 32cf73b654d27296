// Package engine is the keep-alive rule, once: from declared backends (catalogue profiles plus
// overrides) and nginx's version it computes a recommendation, or checks given nginx settings
// and returns violations, each with the arithmetic that explains it. No Terraform types here.
package engine

import "time"

// Backend is one server behind nginx: a catalogue type plus optional overrides and a
// measurement, which tightens both.
type Backend struct {
	Name string // optional label for messages; defaults to the type
	// Type is the catalogue id; it may be empty when Probe is given (then it acts as "custom").
	Type    string
	Version string
	// Overrides; nil means "use the catalogue's default for Type/Version".
	IdleTimeout      *time.Duration
	MaxRequests      *int64 // 0 = unlimited
	MaxConnectionAge *time.Duration
	// Probe is what probing the running server measured; nil when it was not probed.
	Probe *Measurement
	// Path locates this backend in the input for diagnostics; nil means backends[i].
	Path Path
}

// LoadBalancer is a balancer in front of nginx (nginx is then its backend).
type LoadBalancer struct {
	Type        string // aws-alb, gcp-alb, custom
	IdleTimeout *time.Duration
}

// Input is everything the rule needs.
type Input struct {
	Backends     []Backend
	NginxVersion string // "" = nginxver.DefaultVersion
	// Margins; nil = the default (idle: max(1s, 10% of the limit); requests: 1).
	IdleMargin     *time.Duration
	RequestsMargin *int64
	// Load hints for pool sizing and port-exhaustion warnings; 0 = not given.
	PeakRequestsPerSecond int64
	PeakConcurrency       int64
	WorkerProcesses       int64
	LoadBalancer          *LoadBalancer
	UpstreamName          string
	Servers               []string
}
