//go:build lab

package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// probeRun is one apply of the probe data source, running beside the lab's own measurement.
type probeRun struct {
	spec    probeSpec
	addr    string
	done    chan struct{}
	outs    probeOutputs
	recs    probeRecommendations
	seconds float64
	err     error
}

// probeRecommendations are the two recommendations a probe feeds: with the catalogue type (the
// tighter of catalogue and measurement wins) and from the measurement alone (no type), whose
// idle timeout is never the tighter of the two, and so the one raced.
type probeRecommendations struct {
	WithType, Only terraformOutputs
}

// startProbe applies, in the background, the probe data source against the instance at addr and
// the recommendation it feeds through the real CLI. The test waits for it before it ends.
func startProbe(t *testing.T, b backendSpec, catVer, nginxVer, addr string) *probeRun {
	t.Helper()
	work := t.TempDir()
	r := &probeRun{spec: *b.Probe, addr: addr, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		start := time.Now()
		r.outs, r.recs, r.err = applyProbe(work, b, catVer, nginxVer, addr)
		r.seconds = time.Since(start).Seconds()
	}()
	t.Cleanup(func() { <-r.done }) // before the work directory is removed
	return r
}

// applyProbe is the configuration a user writes: measure the server, feed the measurement to the
// recommendation for it (with its catalogue type, and without).
func applyProbe(work string, b backendSpec, catVer, nginxVer, addr string) (probeOutputs, probeRecommendations, error) {
	var recs probeRecommendations
	declaredCap := ""
	if b.Probe.RequestCap == 0 {
		declaredCap = ", max_requests_per_connection = 0"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	outs, err := applyTerraform(ctx, work, fmt.Sprintf(`
data "nginxkeepalive_probe" "b" {
  address           = %[1]q
  max_wait          = %[2]q
  request_cap_probe = %[3]d
}

data "nginxkeepalive_recommendation" "lab" {
  backends      = [{ type = %[4]q, version = %[5]q, probe = data.nginxkeepalive_probe.b }]
  nginx_version = %[6]q
  upstream_name = "backend"
  servers       = [%[1]q]
}

data "nginxkeepalive_recommendation" "probe_only" {
  backends      = [{ probe = data.nginxkeepalive_probe.b%[7]s }]
  nginx_version = %[6]q
  upstream_name = "backend"
  servers       = [%[1]q]
}

output "probe" {
  value = data.nginxkeepalive_probe.b
}
`, addr, b.Probe.MaxWait, b.Probe.RequestCap, b.Type, catVer, nginxVer, declaredCap)+recommendationOutput("lab", "lab")+recommendationOutput("probe_only", "probe_only"))
	if err != nil {
		return probeOutputs{}, recs, err
	}
	var p probeOutputs
	if err := json.Unmarshal(outs["probe"], &p); err != nil {
		return p, recs, fmt.Errorf("output probe: %w\n%s", err, outs["probe"])
	}
	for name, o := range map[string]*terraformOutputs{"lab": &recs.WithType, "probe_only": &recs.Only} {
		if err := json.Unmarshal(outs[name], o); err != nil {
			return p, recs, fmt.Errorf("output %s: %w\n%s", name, err, outs[name])
		}
		if err := o.check(); err != nil {
			return p, recs, fmt.Errorf("output %s: %w", name, err)
		}
	}
	return p, recs, nil
}

// finishProbe waits for the probe's apply, checks it against the lab's measurement of the same
// server (idle and capRes), and returns the race side of the recommendation it fed (nil when the
// backend's probe is not raced or the apply failed).
func finishProbe(t *testing.T, b backendSpec, x *row, r *probeRun, idle idleMeasurement, capRes capResult, nginxVer string) *raceSide {
	t.Helper()
	waitStart := time.Now()
	<-r.done
	waited := time.Since(waitStart).Seconds()
	if r.err != nil {
		t.Errorf("%s: nginxkeepalive_probe through the CLI: %v", b.Name, r.err)
		return nil
	}
	p := &probeRow{MaxWait: r.spec.MaxWait, RequestCapProbe: r.spec.RequestCap, Outputs: r.outs, Seconds: r.seconds, WaitedSeconds: waited, NoRace: r.spec.NoRace}
	x.Probe = p
	p.Disagreements = probeAgreement(r.outs, idle, capRes, r.spec)
	for _, d := range p.Disagreements {
		t.Errorf("%s: the nginxkeepalive_probe data source disagrees with the lab's measurement: %s", b.Name, d)
	}
	if r.spec.RequestCap == 0 && capRes.Ended {
		t.Errorf("%s: the recommendation from the probe alone declares no request cap, but the lab measured %d responses per connection (%s)", b.Name, capRes.Responses, capRes.How)
	}
	settings := r.recs.Only.settings()
	p.Recommended, p.RecommendedWithType = settings.String(), r.recs.WithType.settings().String()
	// The point of a probe: nginx gives up idle connections before the measured close.
	for name, rec := range map[string]terraformOutputs{"from the probe alone": r.recs.Only, "with the catalogue type": r.recs.WithType} {
		if ms := r.outs.IdleTimeoutMS; rec.KeepaliveEnabled && ms != nil && float64(rec.KeepaliveTimeoutMS) >= *ms {
			t.Errorf("%s: the recommendation %s keeps idle connections %d ms, not below the measured %.0f ms", b.Name, name, rec.KeepaliveTimeoutMS, *ms)
		}
	}
	// With the type too, the tighter of catalogue and measurement wins: never looser than the probe alone.
	if w, o := r.recs.WithType, r.recs.Only; w.KeepaliveEnabled && o.KeepaliveEnabled && w.KeepaliveTimeoutMS > o.KeepaliveTimeoutMS {
		t.Errorf("%s: with the catalogue type the recommendation keeps idle connections %d ms, longer than the %d ms from the probe alone", b.Name, w.KeepaliveTimeoutMS, o.KeepaliveTimeoutMS)
	}
	fmt.Printf("lab: %s nginxkeepalive_probe idle %s (lab %s, %s), requests/conn %s (lab %s), %.1f s apply (%.1f s after the lab's own measurement); recommendation from it: %s (with type %s: %s)\n",
		b.Name, r.outs.idleCell(), x.MeasuredIdle, x.IdleClose, p.capCell(), x.MeasuredCap, r.seconds, waited, p.Recommended, b.Type, p.RecommendedWithType)
	if r.spec.NoRace != "" {
		return nil
	}
	p.Race = &raceResult{NginxVersion: nginxVer}
	return &raceSide{Name: "nginx " + nginxVer + " recommendation from nginxkeepalive_probe alone",
		Nginx: []*nginxInstance{startNginx(t, r.addr, settings)}, Result: p.Race}
}
