package lab

import (
	"fmt"
	"math"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
)

// probeSpec is how the lab runs the nginxkeepalive_probe data source against a backend.
type probeSpec struct {
	MaxWait string // max_wait: longer than the server's idle close
	// RequestCap is request_cap_probe. With 0 the recommendation from the probe alone declares
	// max_requests_per_connection = 0 (no cap: it needs one to go by, the provider says so), and the
	// lab's own measurement must agree that there is none.
	RequestCap int
	// Sweep is the period of a server that closes idle connections on a timer tick rather than
	// at each connection's own deadline (gunicorn's gthread loop, Tomcat's poller: about 1 s):
	// two instances then close up to one period apart, so agreement allows it on top of the
	// tolerance.
	Sweep time.Duration
	// NoRace, when set, says why the recommendation from the probe is not raced (the probe's
	// agreement with the lab is still checked).
	NoRace string
}

// probeOutputs is what the nginxkeepalive_probe data source reported, as `terraform output -json`
// gives it (numbers as JSON numbers; null where the data source leaves a value unset).
type probeOutputs struct {
	IdleTimeout        *string    `json:"idle_timeout"`
	IdleTimeoutMS      *float64   `json:"idle_timeout_ms"` // null: every sample stayed open
	IdleTimeoutAtLeast *string    `json:"idle_timeout_at_least"`
	Close              string     `json:"close"`
	MaxRequests        *float64   `json:"max_requests_per_connection"` // null: no cap within the probe
	AnnouncesLast      *bool      `json:"announces_last"`
	RequestsProbed     *float64   `json:"requests_probed"`
	SamplesMS          []*float64 `json:"samples_ms"` // null: a sample that stayed open
	HTTPVersion        *string    `json:"http_version"`
	Server             *string    `json:"server"`
}

// probeRow is a backend measured by the data source through the real CLI, beside the lab's own
// measurement of the same server in the same run, and the race of the recommendation it fed.
type probeRow struct {
	MaxWait         string       `json:"max_wait"`
	RequestCapProbe int          `json:"request_cap_probe"`
	Outputs         probeOutputs `json:"outputs"`
	Seconds         float64      `json:"seconds"` // the apply's wall time, probe included
	// WaitedSeconds is how long the backend's run waited for the apply after its own measurement:
	// the time the probe added to it (the apply runs beside that measurement).
	WaitedSeconds float64 `json:"waited_seconds"`
	// Disagreements with the lab's measurement; empty when the probe agrees.
	Disagreements []string `json:"disagreements"`
	// Recommended is the recommendation from the probe alone (backends = [{ probe }]), as raced;
	// RecommendedWithType the one with the catalogue type too (the tighter of both wins).
	Recommended         string `json:"recommended"`
	RecommendedWithType string `json:"recommended_with_type"`
	// Race is the recommendation from the probe alone raced on Debian's nginx; nil with NoRace.
	Race   *raceResult `json:"race,omitempty"`
	NoRace string      `json:"no_race,omitempty"`
}

// probeAgreement compares the data source's outputs with the lab's measurement of the same
// server: the idle close within tolerance() of the lab's (plus the server's sweep period, see
// probeSpec.Sweep), the same way of closing, and, when the data source looked for a cap
// (request_cap_probe > 0), the same cap and whether it was announced.
func probeAgreement(p probeOutputs, m idleMeasurement, c capResult, spec probeSpec) []string {
	requestCap := spec.RequestCap
	var out []string
	switch {
	case !m.Idle.Closed && p.IdleTimeoutMS != nil:
		out = append(out, fmt.Sprintf("idle_timeout_ms = %.0f, but the lab's probe saw every connection open after %s", *p.IdleTimeoutMS, m.Idle.Waited))
	case m.Idle.Closed && p.IdleTimeoutMS == nil:
		out = append(out, fmt.Sprintf("idle_timeout_ms is null (close = %q), but the lab measured an idle close after %s (%s)", p.Close, m.Idle.After.Round(time.Millisecond), m.Idle.How))
	case m.Idle.Closed:
		got := time.Duration(math.Round(*p.IdleTimeoutMS * float64(time.Millisecond)))
		lab := m.Idle.After
		if d, allowed := (got - lab).Abs(), tolerance(lab)+spec.Sweep; d > allowed {
			out = append(out, fmt.Sprintf("idle_timeout_ms = %.0f, the lab measured %d ms: %s apart, more than max(10%%, 300 ms) + sweep %s = %s",
				*p.IdleTimeoutMS, lab.Milliseconds(), d.Round(time.Millisecond), spec.Sweep, allowed))
		}
		if w := closeWords(probe.Close(p.Close)); w != m.Idle.How {
			out = append(out, fmt.Sprintf("close = %q, the lab saw %s", p.Close, m.Idle.How))
		}
	}
	if requestCap <= 0 {
		return out
	}
	capped := c.Ended && c.Responses <= requestCap
	switch {
	case capped && p.MaxRequests == nil:
		out = append(out, fmt.Sprintf("max_requests_per_connection is null with request_cap_probe = %d, but the lab measured a cap of %d (%s)", requestCap, c.Responses, c.How))
	case capped && int(*p.MaxRequests) != c.Responses:
		out = append(out, fmt.Sprintf("max_requests_per_connection = %.0f, the lab measured %d (%s)", *p.MaxRequests, c.Responses, c.How))
	case !capped && p.MaxRequests != nil:
		out = append(out, fmt.Sprintf("max_requests_per_connection = %.0f within request_cap_probe = %d, but the lab's probe saw %d responses on one connection (%s)",
			*p.MaxRequests, requestCap, c.Responses, c.How))
	}
	if capped && p.AnnouncesLast != nil && *p.AnnouncesLast != (c.How == closeWords(probe.CloseConnectionClose)) {
		out = append(out, fmt.Sprintf("announces_last = %v, the lab saw the connection end by %s", *p.AnnouncesLast, c.How))
	}
	return out
}

// probeIdleCell is the data source's idle measurement in the report's words.
func (p probeOutputs) idleCell() string {
	if p.IdleTimeoutMS == nil {
		at := "?"
		if p.IdleTimeoutAtLeast != nil {
			at = *p.IdleTimeoutAtLeast
		}
		return "open after " + at
	}
	return fmt.Sprintf("%.0f ms, %s", *p.IdleTimeoutMS, p.Close)
}

// capCell is the data source's request cap in the report's words.
func (r probeRow) capCell() string {
	switch {
	case r.RequestCapProbe <= 0:
		return "not probed"
	case r.Outputs.MaxRequests == nil:
		return fmt.Sprintf("none within %d", r.RequestCapProbe)
	case r.Outputs.AnnouncesLast != nil && *r.Outputs.AnnouncesLast:
		return fmt.Sprintf("%.0f (announced)", *r.Outputs.MaxRequests)
	}
	return fmt.Sprintf("%.0f (silent)", *r.Outputs.MaxRequests)
}
