//go:build lab

package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// runSilentCap: a Go backend that closes after N responses without saying so (no
// Connection: close). nginx's default keepalive_requests 1000 reuses the connection once more
// and races the close; the recommendation (keepalive_requests below N) never does.
func runSilentCap(t *testing.T, rep *report) {
	const capN, total, conc = 10, 40000, 16
	idle := 3 * time.Second
	maxReq := int64(capN)
	rec, err := engine.Recommend(engine.Input{
		Backends:     []engine.Backend{{Name: "go-silent-cap", Type: "custom", IdleTimeout: &idle, MaxRequests: &maxReq}},
		NginxVersion: rep.NginxVersion,
	})
	if err != nil {
		t.Fatalf("engine.Recommend(custom, idle 3s, cap %d): %v", capN, err)
	}
	settings := settingsFrom(rec)
	tool, err := labtool()
	if err != nil {
		t.Fatal(err)
	}
	var ups [2]string
	for i := range ups {
		port := mustFreePort(t)
		p := mustStartProcess(t, "go-silent-cap", t.TempDir(), nil, tool, "serve", "-addr", addr(port), "-idle", "3s", "-cap", strconv.Itoa(capN))
		if err := waitHTTP(p, addr(port), 10*time.Second); err != nil {
			t.Fatal(err)
		}
		ups[i] = addr(port)
	}
	nginxes := [2]*nginxInstance{startNginx(t, ups[0], nginxDefaults()), startNginx(t, ups[1], settings)}
	out := steadyBoth(nginxes, conc, total, 150*time.Second)
	rep.addExtra(extra{Name: "silent request cap", Description: fmt.Sprintf("Go backend closing silently after %d responses, steady POST c=%d", capN, conc),
		WithoutName: "nginx defaults", Without: out[0], WithName: "recommended (" + settings.String() + ")", With: out[1]})
	fmt.Printf("lab: silent request cap %d: defaults %d/%d 502; recommended %d/%d 502 (%s)\n",
		capN, out[0].BadGateway, out[0].Sent, out[1].BadGateway, out[1].Sent, settings)
	if out[1].BadGateway > 0 || out[1].ClientError > 0 {
		t.Errorf("silent cap: %d × 502, %d client errors with the recommendation (%s)", out[1].BadGateway, out[1].ClientError, settings)
	}
	if out[0].BadGateway == 0 {
		t.Errorf("silent cap: nginx's default keepalive_requests gave no 502 in %d POSTs: the cap race was not reproduced", out[0].Sent)
	}
}

// runPortExhaustion: inside a network namespace the test creates, with 512 ephemeral ports,
// nginx without upstream keep-alive leaves a TIME_WAIT socket per request on its side and runs
// out of ports ("99: Cannot assign requested address"); with the recommended pool it reuses
// connections and never does. Bounded: 6,000 GETs per run, 60 s.
func runPortExhaustion(t *testing.T, rep *report) {
	const conc, total = 32, 6000
	peak := int64(conc)
	rec, err := engine.Recommend(engine.Input{
		Backends:        []engine.Backend{{Type: "gunicorn", Version: "20.1.0"}},
		NginxVersion:    rep.NginxVersion,
		PeakConcurrency: peak,
	})
	if err != nil {
		t.Fatalf("engine.Recommend(gunicorn, peak concurrency %d): %v", conc, err)
	}
	if !rec.KeepaliveEnabled || rec.Pool < conc {
		t.Fatalf("engine recommends pool %d (enabled %v) for peak concurrency %d; expected a pool covering it", rec.Pool, rec.KeepaliveEnabled, conc)
	}
	withPool := settingsFrom(rec)
	withPool.Pool = rec.Pool
	without := upstreamSettings{Label: "no keep-alive", Disabled: true}

	var out [2]raceResult
	for i, s := range []upstreamSettings{without, withPool} {
		out[i] = exhaustOnce(t, s, conc, total)
	}
	rep.addExtra(extra{Name: "port exhaustion", Description: fmt.Sprintf("netns, ip_local_port_range 40000-40511, steady GET c=%d", conc),
		WithoutName: "proxy_http_version 1.1, no keepalive", Without: out[0], WithName: fmt.Sprintf("recommended pool (keepalive %d)", rec.Pool), With: out[1]})
	fmt.Printf("lab: port exhaustion (netns, 512 ports, c=%d): without keep-alive %d errors/%d, %d × 99: Cannot assign requested address; with keepalive %d: %d errors/%d, %d × 99\n",
		conc, out[0].BadGateway+out[0].OtherStatus+out[0].ClientError, out[0].Sent, out[0].Log.CannotAssign,
		rec.Pool, out[1].BadGateway+out[1].OtherStatus+out[1].ClientError, out[1].Sent, out[1].Log.CannotAssign)
	if out[0].Log.CannotAssign == 0 {
		t.Errorf("port exhaustion: no `Cannot assign requested address` without upstream keep-alive (%+v)", out[0])
	}
	if bad := out[1].BadGateway + out[1].OtherStatus + out[1].ClientError; bad > 0 || out[1].Log.CannotAssign > 0 {
		t.Errorf("port exhaustion: %d errors, %d × Cannot assign with the recommended pool %d", bad, out[1].Log.CannotAssign, rec.Pool)
	}
}

// exhaustOnce runs backend, nginx and load inside a fresh network namespace, then deletes it.
func exhaustOnce(t *testing.T, s upstreamSettings, conc, total int) raceResult {
	ns := fmt.Sprintf("nkalab-%d-%d", time.Now().UnixNano()%1_000_000, len(s.Label))
	ip := func(args ...string) {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", ns)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "delete", ns).Run() })
	ip("-n", ns, "link", "set", "lo", "up")
	ip("netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=40000 40511")

	tool, err := labtool()
	if err != nil {
		t.Fatal(err)
	}
	const backendAddr, nginxPort = "127.0.0.1:9000", 8000
	mustStartProcess(t, "netns-backend", t.TempDir(), nil, "ip", "netns", "exec", ns, tool, "serve", "-addr", backendAddr, "-idle", "30s")
	n := startNginxIn(t, ns, backendAddr, nginxPort, s)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, tool, "load", "-url", fmt.Sprintf("http://127.0.0.1:%d/", nginxPort),
		"-c", strconv.Itoa(conc), "-n", strconv.Itoa(total), "-max", "60s")
	outJSON, err := cmd.Output()
	if err != nil {
		t.Fatalf("load in %s: %v\n%s", ns, err, outJSON)
	}
	var c struct {
		Sent, OK, BadGateway, Other, Errors int
	}
	var raw map[string]int
	if err := json.Unmarshal(outJSON, &raw); err != nil {
		t.Fatalf("load output %q: %v", outJSON, err)
	}
	c.Sent, c.OK, c.BadGateway, c.Other, c.Errors = raw["sent"], raw["ok"], raw["bad_gateway"], raw["other_status"], raw["client_errors"]
	r := raceResult{Sent: c.Sent, OK: c.OK, BadGateway: c.BadGateway, OtherStatus: c.Other, ClientError: c.Errors}
	r.Log = n.errorLogCounts()
	return r
}
