package lab

import (
	"strings"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

func TestUpstreamSettingsBlock(t *testing.T) {
	rec := settingsFrom(engine.Recommendation{KeepaliveEnabled: true, KeepaliveTimeout: 1500 * time.Millisecond, KeepaliveRequests: 99})
	want := "\tupstream backend {\n\t\tserver 127.0.0.1:8000;\n\t\tkeepalive 16;\n\t\tkeepalive_timeout 1500ms;\n\t\tkeepalive_requests 99;\n\t}"
	if got := rec.block("127.0.0.1:8000"); got != want {
		t.Errorf("block =\n%s\nwant\n%s", got, want)
	}
	if got, want := rec.String(), "keepalive 16, keepalive_timeout 1500ms, keepalive_requests 99"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := nginxDefaults().String(), "keepalive 16, keepalive_timeout (default 60s), keepalive_requests (default 1000)"; got != want {
		t.Errorf("nginxDefaults().String() = %q, want %q", got, want)
	}
	off := settingsFrom(engine.Recommendation{})
	if got := off.block("127.0.0.1:8000"); strings.Contains(got, "keepalive") {
		t.Errorf("disabled keep-alive renders %q, want no keepalive directive", got)
	}
	rendered := upstreamSettings{Block: "upstream backend { server x; }"}
	if got := rendered.block("127.0.0.1:8000"); got != rendered.Block {
		t.Errorf("a rendered block is used verbatim; got %q", got)
	}
}

func TestReportMarkdown(t *testing.T) {
	r := &report{NginxVersion: "1.26.3", Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Seconds: 300}
	r.addRow(&row{Backend: "gunicorn", Type: "gunicorn", Version: "23.0.0", MeasuredIdle: "2s", IdleClose: "FIN",
		CatalogueIdle: "2s", MeasuredCap: "≥ 1100", CatalogueCap: "none", RaceExpected: true,
		Defaults: raceResult{Sent: 320, BadGateway: 7}, WithRecommended: raceResult{Sent: 320},
		Recommended: "keepalive 32 | keepalive_timeout 1s", Conformance: []string{"idle 3s, catalogue 2s"}})
	r.addExtra(extra{Name: "port exhaustion", Description: "c=64", WithoutName: "no pool",
		Without: raceResult{Sent: 100, ClientError: 5, Log: errorLogCounts{CannotAssign: 5}}, WithName: "pool", With: raceResult{Sent: 100}})
	md := r.markdown()
	for _, want := range []string{
		"Run on 2026-01-02 with nginx 1.26.3 (Debian package), 1 backends, 300 s wall time.",
		"| gunicorn (`gunicorn`) | 23.0.0 | 2s, FIN ✗ | 2s | ≥ 1100 (none) | 7 / 320 | 0 / 320 | keepalive 32 / keepalive_timeout 1s |",
		"- **gunicorn**: idle 3s, catalogue 2s",
		"| port exhaustion: c=64 | no pool: 5 errors / 100 requests, 5 × `99: Cannot assign requested address` | pool: 0 errors / 100 requests |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	r.Rows[0].Note = "{{ not a template }}"
	if g := r.guide(); !strings.Contains(g, "{{`{{`}} not a template }}") {
		t.Errorf("guide does not escape template braces in notes:\n%s", g)
	}
}

func TestReportPerVersion(t *testing.T) {
	r := &report{NginxVersion: "1.22.1", SourceVersions: []string{"1.30.4", "1.31.4"}, Started: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	races := func(stock int) []*versionRace {
		return []*versionRace{
			{NginxVersion: "1.30.4", Config: "stock configuration", Kind: kindStock, Result: raceResult{Sent: 320, BadGateway: stock}},
			{NginxVersion: "1.30.4", Config: "recommendation", Kind: kindRecommended, Rendered: "upstream backend {\n    keepalive_timeout 1s;\n}\n", Result: raceResult{Sent: 320}},
			{NginxVersion: "1.31.4", Config: "stock configuration", Kind: kindStock, Result: raceResult{Sent: 320, BadGateway: stock + 1}},
			{NginxVersion: "1.31.4", Config: "recommendation", Kind: kindRecommended, Result: raceResult{Sent: 320}},
			{NginxVersion: "1.22.1", Config: "stock configuration (no pool before 1.29.7)", Kind: kindControl, Result: raceResult{Sent: 160}},
			{NginxVersion: "1.30.4", Config: "stock configuration + keepalive 0", Kind: kindControl, Result: raceResult{Sent: 160}},
		}
	}
	r.addRow(&row{Backend: "gunicorn", Version: "20.1.0", MeasuredIdle: "2s", Races: races(55), Defaults: raceResult{Sent: 320, BadGateway: 9}})
	r.addRow(&row{Backend: "waitress", Version: "2.1.2", MeasuredIdle: "2m29s"})
	r.addRow(&row{Backend: "node", Version: "20.20.2", MeasuredIdle: "6s", Races: races(14)})
	md := r.markdown()
	for _, want := range []string{
		"(Debian package) and nginx 1.30.4, 1.31.4 (built from source)",
		"### nginx 1.30.4 and 1.31.4: the stock configuration vs the recommendation",
		"| backend | measured idle close | nginx 1.30.4: stock configuration | nginx 1.30.4: recommendation | nginx 1.31.4: stock configuration | nginx 1.31.4: recommendation | nginx 1.22.1: stock configuration (no pool before 1.29.7) | nginx 1.30.4: stock configuration + keepalive 0 |",
		"| gunicorn 20.1.0 | 2s | 55 / 320 | 0 / 320 | 56 / 320 | 0 / 320 | 0 / 160 | 0 / 160 |",
		"| node 20.20.2 | 6s | 14 / 320 | 0 / 320 | 15 / 320 |",
		"The recommendation for gunicorn on nginx 1.30.4, as rendered",
		"```nginx\nupstream backend {\n    keepalive_timeout 1s;\n}\n```",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| waitress 2.1.2 | 2m29s |") {
		t.Errorf("a backend that cannot race is listed in the per-version table:\n%s", md)
	}
	svg := r.svg()
	for _, want := range []string{"nginx 1.22.1 (Debian)", "nginx 1.30.4 (source)", "nginx 1.31.4 (source)", "stock configuration + keepalive 0", "17.2% (55 / 320)", "0.0% (0 / 160)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, `fill="`+colorControl+`"`); n != 2+2*2 { // two legend swatches, two controls × two racing rows
		t.Errorf("chart has %d control bars and swatches, want 6", n)
	}
}

func TestReportProbe(t *testing.T) {
	ms, announced := 4996.0, true
	cap101 := 101.0
	r := &report{NginxVersion: "1.22.1"}
	r.addRow(&row{Backend: "apache2", MeasuredIdle: "4.993s", IdleClose: "FIN", MeasuredCap: "101 (Connection: close)",
		Probe: &probeRow{MaxWait: "30s", RequestCapProbe: 150, Race: &raceResult{Sent: 320},
			Outputs:     probeOutputs{IdleTimeoutMS: &ms, Close: "fin", MaxRequests: &cap101, AnnouncesLast: &announced},
			Recommended: "keepalive 32, keepalive_timeout 3996ms, keepalive_requests 100", RecommendedWithType: "keepalive 32, keepalive_timeout 3996ms, keepalive_requests 99"}})
	r.addRow(&row{Backend: "tomcat10", MeasuredIdle: "20.031s", IdleClose: "FIN", MeasuredCap: "100 (Connection: close)",
		Probe: &probeRow{RequestCapProbe: 0, Outputs: probeOutputs{Close: "open"}, Disagreements: []string{"idle_timeout_ms is null"},
			NoRace: "agreement only"}})
	r.addRow(&row{Backend: "caddy"})
	md := r.markdown()
	for _, want := range []string{
		"### The `nginxkeepalive_probe` data source vs the lab's measurement (nginx 1.22.1)",
		"| apache2 | 4996 ms, fin | 4.993s, FIN | yes | 101 (announced) | 101 (Connection: close) | keepalive 32, keepalive_timeout 3996ms, keepalive_requests 100 | 0 / 320 | keepalive 32, keepalive_timeout 3996ms, keepalive_requests 99 |",
		"| tomcat10 | open after ? | 20.031s, FIN | ✗ idle_timeout_ms is null | not probed | 100 (Connection: close) |  | not raced |  |",
		"- **tomcat10**: agreement only",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| caddy |") {
		t.Errorf("a backend without a probe has a probe row:\n%s", md)
	}
	if md := (&report{NginxVersion: "1.22.1"}).markdown(); strings.Contains(md, "nginxkeepalive_probe") {
		t.Errorf("a report without probes has a probe section:\n%s", md)
	}
}
