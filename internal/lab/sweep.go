package lab

import (
	"fmt"
	"strings"
	"time"
)

const (
	burstSize = 16 // = the nginx pool (keepalive 16)
	// maxBursts and raceBudget bound every race in count and time.
	maxBursts  = 20
	minBursts  = 5
	raceBudget = 250 * time.Second
	// nginxDefaultIdle is nginx's upstream keepalive_timeout default: backends that keep idle
	// connections longer cannot race it.
	nginxDefaultIdle = 60 * time.Second
)

// raceTarget is when, after a burst, the server closed the burst's connections.
type raceTarget struct {
	Closed   bool
	Lo, Hi   time.Duration
	Measured time.Duration   // the shortest per-connection idle close
	Closes   []time.Duration // every close after the burst, in order
}

// raceSweep plans a round's pauses: the burst count, the pause center and the windows around it
// that the lanes sweep, and a description for the report.
func raceSweep(target raceTarget, expected time.Duration, lanes, round int) (center time.Duration, bursts int, windows []window, gap string) {
	if !target.Closed || target.Measured >= nginxDefaultIdle {
		// nginx's 60 s closes first: there is no deadline to aim at within the lab's budget,
		// so this is a short check that plain traffic is clean both ways.
		return time.Second, minBursts, []window{{0, 0}}, "1s (no backend deadline below nginx's 60s)"
	}
	below, above := sweepMargins(round)
	center = target.Lo
	var spans []string
	for _, g := range closeGroups(target.Closes) {
		w := window{g.from - center - below, g.to - center + above}
		windows = append(windows, w)
		spans = append(spans, fmt.Sprintf("%s to %s", (center+w.from).Round(time.Millisecond), (center+w.to).Round(time.Millisecond)))
	}
	gap = strings.Join(spans, ", ")
	// On a loaded machine the probe's view can be late by a few hundred ms: every other pause
	// aims at the close the catalogue expects instead, when that differs.
	if d := target.Lo - expected; expected > 0 && (d > 5*time.Millisecond || d < -5*time.Millisecond) {
		windows = append(windows, window{expected - center - below, expected - center + below})
		gap += fmt.Sprintf(" and %s ± %s", expected.Round(time.Millisecond), below.Round(100*time.Microsecond))
	}
	bursts = max(minBursts, min(maxBursts, int(raceBudget/target.Hi)))
	return center, bursts, windows, gap + fmt.Sprintf(", %d lane(s) × %d bursts", lanes, bursts)
}

// sweepMargins is how far the sweep reaches beyond each group of closes the probe saw. In
// recorded runs the race lay from 14 ms below a group's first close to 9 ms above it: the probe
// is one noisy sample, the pause runs from the client's last response while the server's idle
// clock started earlier, and requests reach the server later, both through nginx, by more under
// load. A second round, when the first drew no 502, reaches twice as far.
func sweepMargins(round int) (below, above time.Duration) {
	if round > 0 {
		return 30 * time.Millisecond, 9 * time.Millisecond
	}
	return 12 * time.Millisecond, 3 * time.Millisecond
}

// closeGroups groups the probe's close times, sorted, into spans whose closes lie within 5 ms of
// the previous one: a server with several processes or threads (apache2, haproxy) closes a burst's
// connections in groups tens of milliseconds apart, each a place the race can happen, and the
// sweep aims at each instead of spreading thin over the gaps between them.
func closeGroups(closes []time.Duration) []window {
	var groups []window
	for _, c := range closes {
		if n := len(groups); n > 0 && c-groups[n-1].to <= 5*time.Millisecond {
			groups[n-1].to = c
			continue
		}
		groups = append(groups, window{c, c})
	}
	return groups
}

// window is a range of pauses, relative to the race's center.
type window struct{ from, to time.Duration }

// laneOffsets spreads lanes*bursts pauses over the windows (taking turns between them, evenly
// within each) and returns lane's share, so side-by-side lanes sample different points.
func laneOffsets(windows []window, lanes, lane, bursts int) []time.Duration {
	points := lanes * bursts
	out := make([]time.Duration, 0, bursts)
	for i := range bursts {
		k := i*lanes + lane
		w := windows[k%len(windows)]
		n := (points - k%len(windows) + len(windows) - 1) / len(windows) // points in this window
		j := k / len(windows)
		if n <= 1 {
			out = append(out, w.from)
			continue
		}
		out = append(out, w.from+time.Duration(int64(w.to-w.from)*int64(j)/int64(n-1)))
	}
	return out
}
