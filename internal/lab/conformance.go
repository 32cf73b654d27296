package lab

import (
	"fmt"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
)

const (
	// probeCapRequests bounds the request-cap probe (nginx's default keepalive_requests is 1000).
	probeCapRequests = 1100
	// unboundedWait is how long an idle connection must survive when the catalogue says the
	// server has no idle limit (or one beyond the lab's budget).
	unboundedWait = 100 * time.Second
	// maxIdleWait bounds every idle probe.
	maxIdleWait = 170 * time.Second
)

// tolerance is the conformance tolerance for a duration: ±10 % or ±300 ms, whichever is larger.
func tolerance(d time.Duration) time.Duration {
	return max(d/10, 300*time.Millisecond)
}

// idleExpectation is what the catalogue says the probe should see.
type idleExpectation struct {
	Kind catalog.LimitKind
	// Low..High is the accepted window for a bounded timeout: from the catalogue's value to its
	// observed close (servers that sweep idle connections periodically close anywhere in between),
	// widened by the tolerance.
	Nominal, Observed, Low, High time.Duration
	// StillOpen: the catalogue records that this server does not honour its documented timeout
	// and keeps idle connections at least this long (the rule still uses the shorter Nominal).
	StillOpen time.Duration
}

func expectIdle(d catalog.Defaults, override time.Duration) idleExpectation {
	lim := d.IdleTimeout
	if override > 0 {
		lim = catalog.DurationLimit{Kind: catalog.Bounded, Value: override}
	}
	e := idleExpectation{Kind: lim.Kind, Nominal: lim.Value}
	if lim.Kind != catalog.Bounded {
		return e
	}
	e.Observed = lim.Value
	if override == 0 && d.ObservedStillOpen > 0 {
		e.StillOpen = d.ObservedStillOpen
	}
	if override == 0 && d.ObservedIdleClose > 0 {
		e.Observed = d.ObservedIdleClose
	}
	lo, hi := min(e.Nominal, e.Observed), max(e.Nominal, e.Observed)
	e.Low, e.High = lo-tolerance(lo), hi+tolerance(hi)
	return e
}

// racesNginx: the catalogue says the server closes idle connections before nginx's 60 s
// upstream keepalive_timeout, so nginx's defaults (and the stock configuration on a pooling
// nginx) race it.
func (e idleExpectation) racesNginx() bool {
	return e.Kind == catalog.Bounded && e.StillOpen == 0 && e.Observed < nginxDefaultIdle
}

// probeWait is how long the idle probe waits for a close: at least unboundedWait, so a server
// that keeps connections longer than the catalogue says is characterised, not just flagged.
func (e idleExpectation) probeWait() time.Duration {
	if e.Kind != catalog.Bounded || e.StillOpen > 0 {
		return unboundedWait
	}
	return min(max(e.High+2*time.Second, unboundedWait), maxIdleWait)
}

func (e idleExpectation) String() string {
	switch e.Kind {
	case catalog.Unlimited:
		return "unlimited"
	case catalog.Unknown:
		return "unknown"
	}
	if e.StillOpen > 0 {
		return fmt.Sprintf("%s (observed still open after %s)", e.Nominal, e.StillOpen)
	}
	if e.Observed != e.Nominal {
		return fmt.Sprintf("%s (observed %s)", e.Nominal, e.Observed)
	}
	return e.Nominal.String()
}

// checkIdle compares a measured idle close with the catalogue; "" means it conforms.
func checkIdle(e idleExpectation, m idleResult) string {
	switch e.Kind {
	case catalog.Unknown:
		return "" // nothing claimed; the report shows the measurement
	case catalog.Unlimited:
		if m.Closed {
			return fmt.Sprintf("catalogue says no idle limit, but the server closed an idle connection after %s (%s)", m.After.Round(time.Millisecond), m.How)
		}
		return ""
	}
	if e.StillOpen > 0 {
		if m.Closed {
			return fmt.Sprintf("catalogue records idle connections still open after %s (documented %s not honoured), but the server closed one after %s (%s)",
				e.StillOpen, e.Nominal, m.After.Round(time.Millisecond), m.How)
		}
		return ""
	}
	if !m.Closed {
		if e.High > m.Waited {
			return "" // the catalogue's value is beyond the probe's budget and the connection outlived the budget
		}
		return fmt.Sprintf("catalogue says idle timeout %s, but the connection was still open after %s", e, m.Waited)
	}
	// The rule's safety claim: never a longer idle timeout than the server really keeps.
	if e.Nominal > m.After+max(m.After/100, 50*time.Millisecond) {
		return fmt.Sprintf("catalogue claims idle timeout %s, LONGER than the measured %s (%s): advice based on it would race",
			e.Nominal, m.After.Round(time.Millisecond), m.How)
	}
	if m.After < e.Low || m.After > e.High {
		return fmt.Sprintf("measured idle close %s (%s) outside the catalogue's %s ± max(10%%, 300ms) = [%s, %s]",
			m.After.Round(time.Millisecond), m.How, e, e.Low.Round(time.Millisecond), e.High.Round(time.Millisecond))
	}
	return ""
}

// checkCap compares the measured responses per connection with the catalogue's cap.
func checkCap(lim catalog.CountLimit, m capResult) string {
	switch lim.Kind {
	case catalog.Unknown:
		return ""
	case catalog.Unlimited:
		if m.Ended {
			return fmt.Sprintf("catalogue says no request cap, but the server ended the connection after %d responses (%s)", m.Responses, m.How)
		}
		return ""
	}
	if !m.Ended {
		if lim.Value >= int64(m.Responses) {
			return ""
		}
		return fmt.Sprintf("catalogue says %d requests per connection, but %d passed without a close", lim.Value, m.Responses)
	}
	tol := max(lim.Value/10, 1)
	if d := int64(m.Responses) - lim.Value; d < -tol || d > tol {
		return fmt.Sprintf("catalogue says %d requests per connection, measured %d (%s)", lim.Value, m.Responses, m.How)
	}
	return ""
}

func capString(lim catalog.CountLimit) string {
	switch lim.Kind {
	case catalog.Unlimited:
		return "unlimited"
	case catalog.Unknown:
		return "unknown"
	}
	return fmt.Sprint(lim.Value)
}
