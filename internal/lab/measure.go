package lab

import (
	"slices"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
)

// The lab measures with internal/probe, the code behind the nginxkeepalive_probe data source;
// these read its results in the report's words (FIN, RST, Connection: close, open, limit).

// closeWords names a probe's close kind as the report does.
func closeWords(c probe.Close) string {
	switch c {
	case probe.CloseFIN:
		return "FIN"
	case probe.CloseRST:
		return "RST"
	case probe.CloseConnectionClose:
		return "Connection: close"
	}
	return "open"
}

// capFrom is the request-cap measurement; a connection the server did not end reached the
// probe's limit (in count or time).
func capFrom(c probe.Cap) capResult {
	if !c.Ended {
		return capResult{Responses: c.Responses, How: "limit"}
	}
	return capResult{Responses: c.Responses, Ended: true, How: closeWords(c.Close)}
}

// idleMeasurement is a burst probe read for the report and the races.
type idleMeasurement struct {
	Idle      idleResult // the shortest close: when nginx must be gone
	Target    raceTarget // when the burst's connections closed after its last response
	SamplesMS []int64    // every closed connection's idle time
	Open      int        // connections still open when the probe stopped waiting
}

// measureIdle summarises the samples of one burst probe that watched connections for waited.
func measureIdle(samples []probe.Sample, waited time.Duration) idleMeasurement {
	m := idleMeasurement{Idle: idleResult{How: "open", Waited: waited}}
	for _, s := range samples {
		if !s.Closed() {
			m.Open++
			continue
		}
		m.SamplesMS = append(m.SamplesMS, s.Idle.Milliseconds())
		if !m.Idle.Closed || s.Idle < m.Idle.After {
			m.Idle = idleResult{Closed: true, After: s.Idle, How: closeWords(s.Close), Waited: waited}
		}
		if !m.Target.Closed || s.AfterBurst < m.Target.Lo {
			m.Target.Lo = s.AfterBurst
		}
		m.Target.Hi = max(m.Target.Hi, s.AfterBurst)
		m.Target.Closed = true
		m.Target.Closes = append(m.Target.Closes, s.AfterBurst)
	}
	m.Target.Measured = m.Idle.After
	slices.Sort(m.Target.Closes)
	return m
}
