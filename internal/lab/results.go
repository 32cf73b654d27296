package lab

import "time"

// raceResult is what the client saw; 502s are counted on the client, never from the log.
type raceResult struct {
	NginxVersion string         `json:"nginx_version,omitempty"`
	Sent         int            `json:"sent"`
	OK           int            `json:"ok"`
	BadGateway   int            `json:"bad_gateway"`
	OtherStatus  int            `json:"other_status"`
	ClientError  int            `json:"client_errors"`
	Retried      int            `json:"retried_by_nginx"` // X-Upstream-Status shows a failed try then a success
	Bursts       int            `json:"bursts"`
	Seconds      float64        `json:"seconds"`
	Log          errorLogCounts `json:"error_log"`
	// HitPausesMS are the pauses (ms since the previous burst's last response) before bursts that
	// drew a 502: where the race window lay in this run.
	HitPausesMS []float64 `json:"hit_pauses_ms,omitempty"`
}

func (r *raceResult) add(o raceResult) {
	r.Sent += o.Sent
	r.OK += o.OK
	r.BadGateway += o.BadGateway
	r.OtherStatus += o.OtherStatus
	r.ClientError += o.ClientError
	r.Retried += o.Retried
	r.Bursts += o.Bursts
	r.HitPausesMS = append(r.HitPausesMS, o.HitPausesMS...)
}

// errorLogCounts counts nginx's upstream failure lines (not 502s: one request can walk through
// several dead cached connections, and a reset after a complete response is logged too).
type errorLogCounts struct {
	PrematurelyClosed int `json:"upstream_prematurely_closed"`
	ResetByPeer       int `json:"reset_by_peer"`
	CannotAssign      int `json:"cannot_assign_address"`
}

// idleResult is how one idle keep-alive connection ended.
type idleResult struct {
	Closed bool          // false: still open when the probe gave up
	After  time.Duration // idle time from the end of the response to the close (or the wait)
	How    string        // "FIN", "RST", "Connection: close" or "open"
	Waited time.Duration
}

// capResult is how many responses one connection carried before the server ended it.
type capResult struct {
	Responses int
	Ended     bool   // false: the probe's own limit was reached first
	How       string // "Connection: close", "FIN", "RST" or "limit"
}

// Kinds of the per-version races.
const (
	kindStock       = "stock"       // nothing but server and proxy_pass: must draw 502s on nginx >= 1.29.7
	kindRecommended = "recommended" // the provider's rendering for that nginx_version: must draw none
	kindControl     = "control"     // no pool (Debian's nginx, or keepalive 0): must draw none
)

// versionRace is one configuration raced on one nginx version.
type versionRace struct {
	NginxVersion string     `json:"nginx_version"`
	Config       string     `json:"config"`
	Kind         string     `json:"kind"`
	Rendered     string     `json:"rendered,omitempty"` // the recommendation's upstream block and location body
	Result       raceResult `json:"result"`
}
