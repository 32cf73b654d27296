package lab

import "time"

// raceResult is what the client saw; 502s are counted on the client, never from the log.
type raceResult struct {
	Sent        int            `json:"sent"`
	OK          int            `json:"ok"`
	BadGateway  int            `json:"bad_gateway"`
	OtherStatus int            `json:"other_status"`
	ClientError int            `json:"client_errors"`
	Retried     int            `json:"retried_by_nginx"` // X-Upstream-Status shows a failed try then a success
	Bursts      int            `json:"bursts"`
	Seconds     float64        `json:"seconds"`
	Log         errorLogCounts `json:"error_log"`
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
