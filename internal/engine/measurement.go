package engine

import (
	"fmt"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
)

// Measurement is what probing a running backend found (internal/probe, through the
// nginxkeepalive_probe data source). Documented is not effective, so every limit it gives
// tightens the declared one, and it supplies the limits a catalogue type lacks. Values are
// never negative; the provider's decoder rejects those.
type Measurement struct {
	Target string // the address probed, named in messages ("127.0.0.1:8000")
	// Close is how the shortest idle connection ended: "fin" or "rst" with IdleTimeout, "open"
	// with IdleAtLeast, "connection_close" with NoKeepAlive. Messages name it.
	Close string
	// IdleTimeout is the shortest idle close measured.
	IdleTimeout *time.Duration
	// IdleAtLeast is how long every sample stayed open: the idle timeout is at least this, and
	// the rule counts it as this (nginx closing before it is safe whatever the real value).
	IdleAtLeast *time.Duration
	// NoKeepAlive: the server answered with Connection: close, so it keeps no connection alive.
	NoKeepAlive bool
	// MaxRequests is the cap found: responses one connection carried before the server ended it.
	MaxRequests *int64
	// RequestsAtLeast is how many responses one connection carried without the server ending
	// it, when no cap was found. It fills a cap nothing else declares (counted as the cap, as
	// IdleAtLeast), but does not lower a declared one: "none within 200" says nothing about 201
	// to 1000, and counting it would cut every cap-free server's pool to 199 requests.
	RequestsAtLeast *int64
	// AnnouncesLast: the cap's last response said Connection: close.
	AnnouncesLast bool
}

// measuredResolution is the step a measured idle close is rounded to before the rule uses it.
// Two probes of one server differ by a few milliseconds around its (round) timeout: 1998ms,
// then 2003ms. Rounded, they give the same advice, so a rendered configuration does not change
// on every plan; flooring would flip between 1.9s and 2s exactly there. The at most 50ms the
// rounding may add is far inside the rule's margin (at least 1s).
const measuredResolution = 100 * time.Millisecond

// idle is the measured idle limit the rule uses, and whether the measurement gives one.
func (m *Measurement) idle() (time.Duration, bool) {
	switch {
	case m.IdleTimeout != nil && *m.IdleTimeout >= measuredResolution:
		return m.IdleTimeout.Round(measuredResolution), true
	case m.IdleTimeout != nil:
		return *m.IdleTimeout, true
	case m.IdleAtLeast != nil:
		return *m.IdleAtLeast, true
	}
	return 0, false
}

// requests is the measured request cap the rule uses, and whether the measurement gives one.
func (m *Measurement) requests() (int64, bool) {
	switch {
	case m.MaxRequests != nil:
		return *m.MaxRequests, true
	case m.RequestsAtLeast != nil && *m.RequestsAtLeast > 0:
		return *m.RequestsAtLeast, true
	}
	return 0, false
}

// by names the probed address, when there is one.
func (m *Measurement) by() string {
	if m.Target == "" {
		return ""
	}
	return " by probing " + m.Target
}

// idleText says where a measured idle limit comes from; the one place for that wording.
func (m *Measurement) idleText() string {
	if m.IdleTimeout == nil && m.IdleAtLeast != nil {
		w := fmtDur(*m.IdleAtLeast)
		return fmt.Sprintf("measured: still open after %s%s, counted as %s", w, m.by(), w)
	}
	text := fmt.Sprintf("measured %s%s (%s)", fmtDur(*m.IdleTimeout), m.by(), m.Close)
	if d, _ := m.idle(); d != *m.IdleTimeout {
		text += ", counted as " + fmtDur(d)
	}
	return text
}

// requestsText says where a measured request cap comes from.
func (m *Measurement) requestsText() string {
	if m.MaxRequests == nil {
		n, _ := m.requests()
		return fmt.Sprintf("measured: no cap within %d responses per connection%s, counted as %d", n, m.by(), n)
	}
	how := "closed without Connection: close"
	if m.AnnouncesLast {
		how = "the last response said Connection: close"
	}
	return fmt.Sprintf("measured %d responses per connection%s (%s)", *m.MaxRequests, m.by(), how)
}

// noKeepAliveText says why a measured backend counts as one without keep-alive.
func (m *Measurement) noKeepAliveText() string {
	return "measured" + m.by() + ": the server answered with Connection: close"
}

// applyMeasurement tightens the limits declared so far (catalogue, then overrides) with what a
// probe measured: the tighter of the two wins, and a measured value fills a limit the
// catalogue does not know. The source of each limit is recorded for the messages.
func applyMeasurement(l *limits, m *Measurement) {
	if m == nil {
		return
	}
	l.Probe = m
	if m.NoKeepAlive {
		if l.KeepAliveSupport {
			l.KeepAliveSupport, l.KeepAliveMeasured = false, true
		}
		return
	}
	if d, ok := m.idle(); ok && tightens(l.Idle.Kind, int64(l.Idle.Value), int64(d)) {
		l.Idle, l.IdleMeasured = catalog.DurationLimit{Kind: catalog.Bounded, Value: d}, true
	}
	if n, ok := m.requests(); ok && (m.MaxRequests != nil || l.Requests.Kind == catalog.Unknown) && tightens(l.Requests.Kind, l.Requests.Value, n) {
		l.Requests, l.RequestsMeasured = catalog.Requests(n), true
	}
}

// tightens reports whether a measured bound is tighter than the declared limit: anything is
// tighter than no limit or an unknown one, and a bound only when it is smaller (on a tie the
// declared source keeps the credit).
func tightens(declared catalog.LimitKind, declaredValue, measured int64) bool {
	return declared != catalog.Bounded || measured < declaredValue
}
