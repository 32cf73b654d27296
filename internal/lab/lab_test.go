//go:build lab

package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/catalog"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe"
)

// TestMain compiles the lab's Go helpers and the nginx versions it races (from source, see
// nginxsrc) before any server starts, so compilers do not compete with timing-sensitive races; a
// failed build or a missing nginx source ends the run before any test, with its output.
func TestMain(m *testing.M) {
	if err := errors.Join(buildLabtool(), buildProvider(), buildPoolNginx()); err != nil {
		fmt.Fprintln(os.Stderr, "lab:", err)
		os.Exit(1)
	}
	code := m.Run()
	for _, p := range []string{labtoolPath, providerPath} {
		if p != "" {
			_ = os.RemoveAll(filepath.Dir(p))
		}
	}
	os.Exit(code)
}

// startSlots bounds how many servers start at once: two shared cores, and JVMs.
var startSlots = make(chan struct{}, 3)

// minReady is the least start-up time any server gets on a busy machine.
const minReady = 60 * time.Second

// TestLab runs every backend concurrently (each with its own nginx instances), then writes the
// report to build/lab/.
func TestLab(t *testing.T) {
	rep := &report{NginxVersion: nginxVersion(t), SourceVersions: poolVersions, Started: time.Now()}
	t.Run("scenarios", func(t *testing.T) {
		for _, b := range backends() {
			t.Run(b.Name, func(t *testing.T) {
				t.Parallel()
				runBackend(t, b, rep)
			})
		}
		t.Run("silent-request-cap", func(t *testing.T) {
			t.Parallel()
			runSilentCap(t, rep)
		})
		t.Run("port-exhaustion", func(t *testing.T) {
			t.Parallel()
			runPortExhaustion(t, rep)
		})
	})
	rep.Seconds = time.Since(rep.Started).Seconds()
	if err := rep.write(); err != nil {
		t.Errorf("write report: %v", err)
	}
	fmt.Printf("lab: report written to %s (results.json, results.md, chart.svg); `make lab-report` publishes it\n", outDir())
}

// recommend asks the real engine for the backend's settings.
func recommend(t *testing.T, b backendSpec, version, nginxVer string) engine.Recommendation {
	t.Helper()
	be := engine.Backend{Type: b.Type, Version: version}
	if b.IdleOverride > 0 {
		d := b.IdleOverride
		be.IdleTimeout = &d
	}
	be.MaxRequests = b.RequestsOverride
	rec, err := engine.Recommend(engine.Input{Backends: []engine.Backend{be}, NginxVersion: nginxVer})
	if err != nil {
		t.Fatalf("engine.Recommend(%s %s): %v", b.Type, version, err)
	}
	return rec
}

func runBackend(t *testing.T, b backendSpec, rep *report) {
	deb, catVer := b.version(t)
	x := &row{Backend: b.Name, Type: b.Type, Version: deb, RecommendedFrom: "engine"}
	defer rep.addRow(x)
	nginxVer := rep.NginxVersion

	// Instances: lanes for the race against nginx's defaults (the first one is probed too), and as
	// many for the race against the recommendation, so both races run at once without sharing a
	// server's timers. Backends whose catalogue idle timeout is below nginx's 60 s also race the
	// stock configuration on every nginx that pools by default (see versionSides), each lane with
	// its own instance too.
	lanes := b.lanes()
	n := 2 * lanes
	if b.NoRace != "" {
		n = 1
	}
	res, err := catalog.Lookup(b.Type, catVer)
	if err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	exp := expectIdle(res.Defaults, b.IdleOverride)
	if b.NoRace == "" && exp.racesNginx() {
		n += versionInstances(b)
	}
	probeOwn := b.Probe != nil && b.Probe.NoRace == "" // the probe's race gets an instance of its own
	if probeOwn {
		n++
	}
	addrs := make([]string, n)
	if !startBackends(t, b, addrs) {
		return
	}
	var pr *probeRun
	if b.Probe != nil {
		// The data source measures another instance while the lab measures addrs[0]: an instance
		// the races use only later, or the one its own race uses.
		at := addrs[len(addrs)-1]
		if probeOwn {
			addrs = addrs[:len(addrs)-1]
		} else if len(addrs) < 2 {
			t.Fatalf("%s: the probe data source needs an instance besides the lab's own probe's", b.Name)
		}
		pr = startProbe(t, b, catVer, nginxVer, at)
	}
	defaultsAddrs, recommendedAddrs := addrs[:min(lanes, len(addrs))], addrs[min(lanes, len(addrs)):min(2*lanes, len(addrs))]
	versionAddrs := addrs[min(2*lanes, len(addrs)):]

	x.CatalogueIdle = exp.String()
	if b.IdleOverride > 0 {
		x.CatalogueIdle += " (set by the lab's config)"
	}
	x.CatalogueCap = capString(res.Defaults.MaxRequests)

	capRes, idle := conformance(t, b, x, res.Defaults, exp, addrs[0], deb, catVer)
	var probeSide *raceSide
	if pr != nil {
		probeSide = finishProbe(t, b, x, pr, idle, capRes, nginxVer)
	}
	if b.NoRace != "" {
		x.Note = b.NoRace
		printSummary(x)
		return
	}

	var rec upstreamSettings
	if b.ViaTerraform {
		x.RecommendedFrom = "terraform"
		rec, _ = recommendViaTerraform(t, b, catVer, nginxVer, recommendedAddrs[0])
	} else {
		rec = settingsFrom(recommend(t, b, catVer, nginxVer))
	}
	x.Recommended = rec.String()

	var more []raceSide
	if len(versionAddrs) > 0 {
		more = versionSides(t, b, catVer, nginxVer, x, versionAddrs)
	}
	if probeSide != nil {
		more = append(more, *probeSide)
	}
	runRaces(t, b, x, nginxVer, idle.Target, exp.Observed, defaultsAddrs, recommendedAddrs, rec, more)
	if res.Defaults.MaxRequests.Kind == catalog.Bounded && capRes.Ended {
		runCapLoad(t, x, defaultsAddrs[0], recommendedAddrs[0], rec)
	}
	printSummary(x)
}

// conformance probes the request cap (first: its traffic would shift tick-based idle sweeps),
// then the idle close with a burst of connections like nginx's, and compares both with the
// catalogue. The shortest idle close is the measurement: that is when nginx must be gone. The
// probe is internal/probe, the code behind the nginxkeepalive_probe data source.
func conformance(t *testing.T, b backendSpec, x *row, d catalog.Defaults, exp idleExpectation, target, deb, catVer string) (capResult, idleMeasurement) {
	tgt := probe.Target{Address: target, Host: "lab"}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	c, err := probe.ProbeCap(ctx, tgt, probe.Options{RequestCap: probeCapRequests, ResponseTimeout: 15 * time.Second})
	cancel()
	if err != nil {
		t.Fatalf("request-cap probe: %v", err)
	}
	capRes := capFrom(c)
	x.MeasuredCap = fmt.Sprint(capRes.Responses)
	if capRes.Ended {
		x.MeasuredCap += " (" + capRes.How + ")"
	} else {
		x.MeasuredCap = fmt.Sprintf("≥ %d", capRes.Responses)
	}
	if msg := checkCap(d.MaxRequests, capRes); msg != "" {
		x.Conformance = append(x.Conformance, msg)
		t.Errorf("conformance %s %s (catalogue %s %s): %s", b.Name, deb, b.Type, catVer, msg)
	}

	k := burstSize
	if b.NoRace != "" {
		k = 1 // e.g. a single-worker server serves one keep-alive connection at a time
	}
	wait := exp.probeWait()
	ctx, cancel = context.WithTimeout(context.Background(), wait+time.Minute)
	res, err := probe.ProbeIdle(ctx, tgt, probe.Options{Samples: k, MaxWait: wait, ResponseTimeout: 30 * time.Second})
	cancel()
	if err != nil {
		t.Fatalf("idle probe: %v", err)
	}
	m := measureIdle(res.Samples, wait)
	x.IdleSamplesMS = m.SamplesMS
	x.IdleClose = m.Idle.How
	if m.Idle.Closed {
		x.MeasuredIdle = m.Idle.After.Round(time.Millisecond).String()
		x.MeasuredIdleMS = m.Idle.After.Milliseconds()
		if m.Open > 0 {
			x.Note = fmt.Sprintf("%d of %d probe connections were still open after %s", m.Open, k, wait)
		}
	} else {
		x.MeasuredIdle = "open after " + wait.String()
		x.MeasuredIdleMS = -1
	}
	if msg := checkIdle(exp, m.Idle); msg != "" {
		x.Conformance = append(x.Conformance, msg)
		t.Errorf("conformance %s %s (catalogue %s %s): %s", b.Name, deb, b.Type, catVer, msg)
	}
	return capRes, m
}

// startBackends starts len(addrs) instances of b at once and fills in their addresses. The
// start-ups run in goroutines that only return errors; this test goroutine reports them and
// registers every started process for cleanup. It returns whether all instances answer.
func startBackends(t *testing.T, b backendSpec, addrs []string) bool {
	t.Helper()
	dirs := make([]string, len(addrs))
	for i := range dirs {
		dirs[i] = t.TempDir()
	}
	procs := make([]*process, len(addrs))
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i := range addrs {
		wg.Go(func() { addrs[i], procs[i], errs[i] = startBackend(b, dirs[i]) })
	}
	wg.Wait()
	for _, p := range procs {
		if p != nil {
			t.Cleanup(p.stop)
		}
	}
	for _, err := range errs {
		if err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
	return !t.Failed()
}

// startBackend starts one instance of b in dir and waits until it answers POST / with 200. It
// returns the process even on error, so that the caller stops it.
func startBackend(b backendSpec, dir string) (string, *process, error) {
	startSlots <- struct{}{}
	defer func() { <-startSlots }()
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	p, err := b.Start(dir, port)
	if err != nil {
		return "", nil, err
	}
	if err := waitHTTP(p, addr(port), max(b.Ready, minReady)); err != nil {
		return "", p, err
	}
	if err := postOnce(addr(port)); err != nil {
		return "", p, fmt.Errorf("POST / does not answer 200: %w\n%s", err, p.tail())
	}
	return addr(port), p, nil
}

// raceRounds bounds how often a race is run: a round in which nginx's defaults drew no 502 is
// followed by one more with a wider sweep, because load shifts where the window lies.
const raceRounds = 2

// runRaces drives bursts at the backend's measured idle deadline through nginx's defaults and
// through the recommendation on Debian's nginx, and through every side in more (the stock
// configuration per nginx version and the controls), all lanes of all sides at the same time.
func runRaces(t *testing.T, b backendSpec, x *row, debVer string, target raceTarget, expected time.Duration, defaultsAddrs, recommendedAddrs []string, rec upstreamSettings, more []raceSide) {
	lanes := len(defaultsAddrs)
	x.RaceExpected = target.Closed && target.Measured < nginxDefaultIdle
	x.Defaults.NginxVersion, x.WithRecommended.NginxVersion = debVer, debVer
	defaults := raceSide{Name: "nginx " + debVer + " defaults", Result: &x.Defaults, MustRace: true}
	recommended := raceSide{Name: "nginx " + debVer + " recommended", Result: &x.WithRecommended}
	for i := range lanes {
		defaults.Nginx = append(defaults.Nginx, startNginx(t, defaultsAddrs[i], nginxDefaults()))
		recLane := rec
		if i > 0 {
			recLane.Block = "" // the Terraform-rendered block names lane 0's server
		}
		recommended.Nginx = append(recommended.Nginx, startNginx(t, recommendedAddrs[i], recLane))
	}
	sides := append([]raceSide{defaults, recommended}, more...)
	var gaps []string
	for round := range raceRounds {
		center, bursts, windows, gap := raceSweep(target, expected, lanes, round)
		gaps = append(gaps, gap)
		results := raceRound(sides, burstPlan{K: burstSize, Bursts: bursts, Center: center,
			Deadline: time.Now().Add(raceBudget + 2*center + 30*time.Second)}, windows)
		missed := false
		for i, s := range sides {
			s.Result.add(results[i])
			s.Result.Seconds += results[i].Seconds
			missed = missed || (s.MustRace && s.Result.BadGateway == 0)
		}
		if !x.RaceExpected || b.BestEffortRace != "" || !missed {
			break
		}
	}
	x.RaceGap = strings.Join(gaps, "; then ")
	for _, s := range sides { // the logs span every round
		for _, n := range s.Nginx {
			logs := n.errorLogCounts()
			s.Result.Log.PrematurelyClosed += logs.PrematurelyClosed
			s.Result.Log.ResetByPeer += logs.ResetByPeer
		}
	}
	for _, s := range sides {
		judge(t, b, x, s)
	}
}

// judge fails the test when a side did not do what it must: no 502 (and no client error) unless
// it races, at least one 502 where the backend closes before nginx's 60 s (reported, not failed,
// for best-effort backends).
func judge(t *testing.T, b backendSpec, x *row, s raceSide) {
	r := s.Result
	if r.ClientError > 0 {
		t.Errorf("%s, %s: %d client errors (timeouts/refused) in %d POSTs", b.Name, s.Name, r.ClientError, r.Sent)
	}
	if !s.MustRace {
		if r.BadGateway > 0 {
			t.Errorf("%s, %s: %d × 502 in %d POSTs, want none; error.log: %+v", b.Name, s.Name, r.BadGateway, r.Sent, r.Log)
		}
		return
	}
	if !x.RaceExpected || r.BadGateway > 0 {
		return
	}
	if b.BestEffortRace != "" {
		x.Note = strings.TrimPrefix(x.Note+"; ", "; ") + s.Name + ": race not reproduced in this run: " + b.BestEffortRace
		t.Logf("%s: no 502 with %s in %d POSTs (best-effort race: %s)", b.Name, s.Name, r.Sent, b.BestEffortRace)
		return
	}
	t.Errorf("%s: idle close is below nginx's 60s, yet %s gave no 502 in %d POSTs (pauses %s): the race was not reproduced",
		b.Name, s.Name, r.Sent, x.RaceGap)
}

// raceRound runs one round of bursts through every lane of every side at once and sums each
// side's results. Each side's lanes share out the whole sweep between them.
func raceRound(sides []raceSide, plan burstPlan, windows []window) []raceResult {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		results = make([]raceResult, len(sides))
	)
	for si, s := range sides {
		for li, n := range s.Nginx {
			lanePlan := plan
			lanePlan.Offsets = laneOffsets(windows, len(s.Nginx), li, plan.Bursts)
			wg.Go(func() {
				r := runBursts(context.Background(), n.Addr, lanePlan)
				mu.Lock()
				defer mu.Unlock()
				results[si].add(r)
				results[si].Seconds = max(results[si].Seconds, r.Seconds)
			})
		}
	}
	wg.Wait()
	return results
}

// runCapLoad is the request-cap scenario for servers that cap requests per connection:
// steady POSTs at concurrency <= the pool, so connections live until the cap.
func runCapLoad(t *testing.T, x *row, defaultsAddr, recommendedAddr string, rec upstreamSettings) {
	const total, conc = 4000, 8
	nginxes := [2]*nginxInstance{startNginx(t, defaultsAddr, nginxDefaults()), startNginx(t, recommendedAddr, rec)}
	out := steadyBoth(nginxes, conc, total, 90*time.Second)
	x.DefaultsCap, x.RecommendedCap = &out[0], &out[1]
	if out[1].BadGateway > 0 {
		t.Errorf("%s request cap: %d × 502 in %d POSTs with the recommendation", x.Backend, out[1].BadGateway, out[1].Sent)
	}
}

func printSummary(x *row) {
	var b strings.Builder
	fmt.Fprintf(&b, "lab: %s %s idle measured %s (%s) catalogue %s; requests/conn %s catalogue %s",
		x.Backend, x.Version, x.MeasuredIdle, x.IdleClose, x.CatalogueIdle, x.MeasuredCap, x.CatalogueCap)
	if x.Defaults.Sent > 0 {
		fmt.Fprintf(&b, "; defaults %d/%d 502; recommended %d/%d 502 (%s, via %s)",
			x.Defaults.BadGateway, x.Defaults.Sent, x.WithRecommended.BadGateway, x.WithRecommended.Sent, x.Recommended, x.RecommendedFrom)
		fmt.Fprintf(&b, "; pauses %s", x.RaceGap)
		if len(x.Defaults.HitPausesMS) > 0 {
			fmt.Fprintf(&b, ", defaults' 502s after pauses of %v ms", x.Defaults.HitPausesMS)
		}
	}
	if x.Probe != nil && x.Probe.Race != nil {
		fmt.Fprintf(&b, "; recommendation from nginxkeepalive_probe alone %d/%d 502", x.Probe.Race.BadGateway, x.Probe.Race.Sent)
	}
	if x.DefaultsCap != nil {
		fmt.Fprintf(&b, "; cap load defaults %d/%d recommended %d/%d 502", x.DefaultsCap.BadGateway, x.DefaultsCap.Sent, x.RecommendedCap.BadGateway, x.RecommendedCap.Sent)
	}
	if len(x.Conformance) > 0 {
		fmt.Fprintf(&b, "; CATALOGUE MISMATCH: %s", strings.Join(x.Conformance, "; "))
	}
	if x.Note != "" {
		fmt.Fprintf(&b, "; note: %s", x.Note)
	}
	if len(x.Races) > 0 {
		fmt.Fprintf(&b, "\nlab: %s per nginx version:", x.Backend)
		for i, r := range x.Races {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(&b, "%s %s %s %d/%d 502", sep, r.NginxVersion, r.Config, r.Result.BadGateway, r.Result.Sent)
		}
	}
	fmt.Println(b.String())
}
