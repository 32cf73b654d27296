//go:build lab

package lab

import (
	"context"
	"fmt"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/lab/nginxsrc"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/render"
)

// poolBinaries are the nginx builds whose explicit upstreams keep connections by default
// (nginx >= 1.29.7), by version, in nginxsrc.Versions' order; TestMain fills them in.
var (
	poolVersions []string
	poolBinaries = map[string]string{}
)

// buildPoolNginx builds (or finds in the cache) every nginx version that pools by default.
func buildPoolNginx() error {
	f, err := nginxsrc.FromEnv()
	if err != nil {
		return err
	}
	for _, v := range nginxsrc.Versions {
		pv, err := nginxver.Parse(v)
		if err != nil {
			return err
		}
		if !nginxver.DefaultsFor(pv).KeepaliveOnByDefault {
			continue
		}
		bin, err := f.Binary(context.Background(), v)
		if err != nil {
			return err
		}
		poolVersions = append(poolVersions, v)
		poolBinaries[v] = bin
	}
	if len(poolVersions) == 0 {
		return fmt.Errorf("nginxsrc.Versions %v holds no version >= %s: the stock-configuration races need one", nginxsrc.Versions, nginxver.KeepaliveByDefault)
	}
	return nil
}

// Configurations of the stock-configuration races: the upstream block has only its server, the
// location only proxy_pass.
const stockLocation = "proxy_pass http://backend;"

func stockUpstream(addr string, extra string) string {
	return "upstream backend {\n    server " + addr + ";\n" + extra + "}"
}

// raceSide is one configuration raced against a backend: its lanes (one nginx each, in front of
// its own backend instance), what the test expects, and where the result goes.
type raceSide struct {
	Name     string
	Nginx    []*nginxInstance
	Result   *raceResult
	MustRace bool // at least one 502 (unless the backend's race is best-effort)
}

// versionSides starts the nginxes of the stock-configuration races on every pooling version:
// stock configuration (b.stockLanes() lanes) and the recommendation for that version rendered verbatim
// by internal/render (one lane), then the controls: the stock configuration on Debian's nginx
// (no pool before 1.29.7) and the stock configuration with keepalive 0 on the first pooling
// version. addrs must hold versionInstances(b) backend instances.
func versionSides(t *testing.T, b backendSpec, catVer, debianVersion string, x *row, addrs []string) []raceSide {
	t.Helper()
	next := func() string { a := addrs[0]; addrs = addrs[1:]; return a }
	var sides []raceSide
	add := func(name, version, config, kind, rendered string, mustRace bool, confs ...nginxConf) {
		vr := &versionRace{NginxVersion: version, Config: config, Kind: kind, Rendered: rendered}
		vr.Result.NginxVersion = version
		x.Races = append(x.Races, vr)
		side := raceSide{Name: name, Result: &vr.Result, MustRace: mustRace}
		for _, c := range confs {
			side.Nginx = append(side.Nginx, startNginxConf(t, "", mustFreePort(t), c))
		}
		sides = append(sides, side)
	}
	for _, v := range poolVersions {
		bin := poolBinaries[v]
		var stock []nginxConf
		for range b.stockLanes() {
			stock = append(stock, nginxConf{Bin: bin, Upstream: stockUpstream(next(), ""), Location: stockLocation, Label: "stock " + v})
		}
		add("nginx "+v+" stock", v, "stock configuration", kindStock, "", true, stock...)

		addr := next()
		upstream, location := renderRecommendation(t, b, catVer, v, addr)
		add("nginx "+v+" recommended", v, "recommendation", kindRecommended, upstream+location, false,
			nginxConf{Bin: bin, Upstream: upstream, Location: location, Label: "recommendation for " + v})
	}
	add("nginx "+debianVersion+" stock (control)", debianVersion, "stock configuration (no pool before 1.29.7)", kindControl, "", false,
		nginxConf{Bin: debianNginx, Upstream: stockUpstream(next(), ""), Location: stockLocation, Label: "stock on Debian's nginx"})
	first := poolVersions[0]
	add("nginx "+first+" keepalive 0 (control)", first, "stock configuration + keepalive 0", kindControl, "", false,
		nginxConf{Bin: poolBinaries[first], Upstream: stockUpstream(next(), "    keepalive 0;\n"), Location: stockLocation, Label: "keepalive 0 on " + first})
	return sides
}

// versionInstances is how many backend instances versionSides uses.
func versionInstances(b backendSpec) int { return len(poolVersions)*(b.stockLanes()+1) + 2 }

// renderRecommendation asks the engine for version v's recommendation in front of addr and
// renders it with internal/render: the upstream block and the location body, verbatim.
func renderRecommendation(t *testing.T, b backendSpec, catVer, v, addr string) (upstream, location string) {
	t.Helper()
	be := engine.Backend{Type: b.Type, Version: catVer}
	if b.IdleOverride > 0 {
		d := b.IdleOverride
		be.IdleTimeout = &d
	}
	be.MaxRequests = b.RequestsOverride
	rec, err := engine.Recommend(engine.Input{Backends: []engine.Backend{be}, NginxVersion: v, UpstreamName: "backend", Servers: []string{addr}})
	if err != nil {
		t.Fatalf("engine.Recommend(%s %s, nginx %s): %v", b.Type, catVer, v, err)
	}
	if upstream, err = render.UpstreamConfig(rec); err != nil {
		t.Fatalf("render.UpstreamConfig(nginx %s): %v", v, err)
	}
	if location, err = render.ProxyConfig(rec); err != nil {
		t.Fatalf("render.ProxyConfig(nginx %s): %v", v, err)
	}
	return upstream, location
}
