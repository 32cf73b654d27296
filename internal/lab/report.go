package lab

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// row is one backend's line in the report.
type row struct {
	Backend         string      `json:"backend"`
	Type            string      `json:"type"`
	Version         string      `json:"version"`
	MeasuredIdle    string      `json:"measured_idle"`
	MeasuredIdleMS  int64       `json:"measured_idle_ms"` // -1: still open at the end of the probe
	IdleClose       string      `json:"idle_close"`       // FIN, RST, Connection: close or open
	IdleSamplesMS   []int64     `json:"idle_samples_ms"`
	CatalogueIdle   string      `json:"catalogue_idle"`
	MeasuredCap     string      `json:"measured_requests_per_connection"`
	CatalogueCap    string      `json:"catalogue_requests_per_connection"`
	Conformance     []string    `json:"conformance_failures"`
	Recommended     string      `json:"recommended"`
	RecommendedFrom string      `json:"recommended_from"` // engine or terraform
	RaceGap         string      `json:"race_gap"`
	Defaults        raceResult  `json:"defaults"`
	WithRecommended raceResult  `json:"recommended_result"`
	RaceExpected    bool        `json:"race_expected"`
	Note            string      `json:"note,omitempty"`
	DefaultsCap     *raceResult `json:"defaults_request_cap,omitempty"`
	RecommendedCap  *raceResult `json:"recommended_request_cap,omitempty"`
	// Races are the stock configuration vs the recommendation on each nginx that pools by
	// default, and the controls.
	Races []*versionRace `json:"races,omitempty"`
	// Probe is the nginxkeepalive_probe data source's measurement of this backend through the
	// real CLI, and the race of the recommendation it fed.
	Probe *probeRow `json:"probe,omitempty"`
}

// extra is a scenario that is not a per-backend row (port exhaustion, silent request cap).
type extra struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Without     raceResult `json:"without"`
	With        raceResult `json:"with"`
	WithoutName string     `json:"without_name"`
	WithName    string     `json:"with_name"`
}

type report struct {
	mu           sync.Mutex
	NginxVersion string `json:"nginx_version"`
	// SourceVersions are the nginx versions built from source that race the stock configuration.
	SourceVersions []string  `json:"source_nginx_versions,omitempty"`
	Started        time.Time `json:"started"`
	Seconds        float64   `json:"seconds"`
	Rows           []*row    `json:"backends"`
	Extras         []extra   `json:"scenarios"`
}

func (r *report) addRow(x *row) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Rows = append(r.Rows, x)
}

func (r *report) addExtra(x extra) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Extras = append(r.Extras, x)
}

// outDir is where a run writes its results: build/lab/ at the repository root (never tracked).
func outDir() string {
	if d := os.Getenv("LAB_OUT"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "build", "lab")
}

func (r *report) write() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writeLocked()
}

func (r *report) writeLocked() error {
	sort.Slice(r.Rows, func(i, j int) bool { return r.Rows[i].Backend < r.Rows[j].Backend })
	sort.Slice(r.Extras, func(i, j int) bool { return r.Extras[i].Name < r.Extras[j].Name })
	dir := outDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	files := map[string]string{
		"results.json": string(js) + "\n",
		"results.md":   r.markdown(),
		"chart.svg":    r.svg(),
	}
	guide := r.guide()
	files["lab-evidence.md.tmpl"] = guide
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func ratio(r raceResult) string {
	if r.Sent == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d", r.BadGateway, r.Sent)
}

func (r *report) markdown() string {
	var b strings.Builder
	built := ""
	if len(r.SourceVersions) > 0 {
		built = " and nginx " + strings.Join(r.SourceVersions, ", ") + " (built from source)"
	}
	fmt.Fprintf(&b, "Run on %s with nginx %s (Debian package)%s, %d backends, %.0f s wall time.\n\n",
		r.Started.UTC().Format("2006-01-02"), r.NginxVersion, built, len(r.Rows), r.Seconds)
	b.WriteString("### nginx " + r.NginxVersion + ": a pool with nginx's timeouts vs the recommendation\n\n")
	b.WriteString("| backend | version | measured idle close | catalogue idle | requests/conn measured (catalogue) | 502s with nginx defaults | 502s with recommendation | recommendation |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, x := range r.Rows {
		conf := ""
		if len(x.Conformance) > 0 {
			conf = " ✗"
		}
		def := ratio(x.Defaults)
		if !x.RaceExpected && x.Defaults.Sent > 0 {
			def += " (no race: nginx closes first)"
		}
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s, %s%s | %s | %s (%s) | %s | %s | %s |\n",
			x.Backend, x.Type, x.Version, x.MeasuredIdle, x.IdleClose, conf, x.CatalogueIdle, x.MeasuredCap, x.CatalogueCap,
			def, ratio(x.WithRecommended), strings.ReplaceAll(x.Recommended, "|", "/"))
	}
	b.WriteString("\nPOST bursts of 16 parallel requests through nginx, pauses swept around each backend's measured idle close. ")
	b.WriteString("502s are counted on the client. ✗ marks a catalogue mismatch.\n")
	for _, x := range r.Rows {
		if x.Note != "" || len(x.Conformance) > 0 {
			fmt.Fprintf(&b, "\n- **%s**: %s", x.Backend, strings.Join(append(append([]string{}, x.Conformance...), nonEmpty(x.Note)...), "; "))
		}
	}
	b.WriteString(r.probeMarkdown())
	b.WriteString(r.versionsMarkdown())
	if len(r.Extras) > 0 {
		b.WriteString("\n\n### Other scenarios (nginx " + r.NginxVersion + ")\n\n| scenario | without | with |\n|---|---|---|\n")
		for _, e := range r.Extras {
			fmt.Fprintf(&b, "| %s: %s | %s: %s | %s: %s |\n", e.Name, e.Description, e.WithoutName, extraCell(e.Without), e.WithName, extraCell(e.With))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// probeMarkdown is the nginxkeepalive_probe data source (applied through the real CLI) beside the
// lab's own measurement of the same server, and the race of the recommendation it fed.
func (r *report) probeMarkdown() string {
	var b strings.Builder
	for _, x := range r.Rows {
		p := x.Probe
		if p == nil {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("\n\n### The `nginxkeepalive_probe` data source vs the lab's measurement (nginx " + r.NginxVersion + ")\n\n")
			b.WriteString("| backend | probe: idle close | lab: idle close | agrees (±max(10 %, 300 ms)) | probe: requests/conn | lab: requests/conn | recommendation from the probe alone | its 502s | with the catalogue type too |\n")
			b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
		}
		agrees := "yes"
		if len(p.Disagreements) > 0 {
			agrees = "✗ " + strings.Join(p.Disagreements, "; ")
		}
		race := "not raced"
		if p.Race != nil {
			race = ratio(*p.Race)
		}
		fmt.Fprintf(&b, "| %s | %s | %s, %s | %s | %s | %s | %s | %s | %s |\n", x.Backend, p.Outputs.idleCell(), x.MeasuredIdle, x.IdleClose,
			strings.ReplaceAll(agrees, "|", "/"), p.capCell(), x.MeasuredCap, strings.ReplaceAll(p.Recommended, "|", "/"), race,
			strings.ReplaceAll(p.RecommendedWithType, "|", "/"))
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("\nEach probe is `data \"nginxkeepalive_probe\"` applied through the real Terraform CLI against another instance of the server " +
		"while the lab measured its own; its result is fed to `nginxkeepalive_recommendation` as `backends = [{ probe }]` (raced, its `upstream_config` verbatim: " +
		"its idle timeout comes from the measurement alone) and as `backends = [{ type, version, probe }]` (the tighter of catalogue and measurement wins).\n")
	for _, x := range r.Rows {
		if x.Probe != nil && x.Probe.NoRace != "" {
			fmt.Fprintf(&b, "\n- **%s**: %s", x.Backend, x.Probe.NoRace)
		}
	}
	return b.String()
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func extraCell(r raceResult) string {
	s := fmt.Sprintf("%d errors / %d requests", r.BadGateway+r.OtherStatus+r.ClientError, r.Sent)
	if r.Log.CannotAssign > 0 {
		s += fmt.Sprintf(", %d × `99: Cannot assign requested address`", r.Log.CannotAssign)
	}
	return s
}

func rate(r raceResult) float64 {
	if r.Sent == 0 {
		return 0
	}
	return 100 * float64(r.BadGateway) / float64(r.Sent)
}

// svgSingle draws the 502 rate per backend, nginx defaults vs the recommendation, as grouped bars.
func (r *report) svgSingle() string {
	const (
		left, top, barH, gap, width = 190, 50, 11, 10, 400
	)
	maxRate := 5.0
	for _, x := range r.Rows {
		maxRate = max(maxRate, rate(x.Defaults))
	}
	maxRate = float64(int(maxRate/5)+1) * 5
	height := top + len(r.Rows)*(2*barH+gap) + 40
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		left+width+90, height, left+width+90, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14" font-weight="bold">POST 502 rate behind nginx %s: defaults vs recommended</text>`+"\n", html.EscapeString(r.NginxVersion))
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="10" fill="#d62728"/><text x="%d" y="37">nginx defaults (keepalive_timeout 60s)</text>`+"\n", left, left+16)
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="10" fill="#2ca02c"/><text x="%d" y="37">recommendation</text>`+"\n", left+260, left+276)
	for i, x := range r.Rows {
		y := top + i*(2*barH+gap)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s %s</text>`+"\n", left-6, y+barH+4, html.EscapeString(x.Backend), html.EscapeString(x.Version))
		for j, res := range []raceResult{x.Defaults, x.WithRecommended} {
			color := []string{"#d62728", "#2ca02c"}[j]
			w := rate(res) / maxRate * width
			yy := y + j*barH
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, left, yy, w, barH-1, color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10">%.1f%% (%s)</text>`+"\n", float64(left)+w+4, yy+barH-2, rate(res), ratio(res))
		}
	}
	axisY := top + len(r.Rows)*(2*barH+gap)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", left, top-4, left, axisY)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", left, axisY, left+width, axisY)
	for k := 0; k <= 5; k++ {
		v := maxRate * float64(k) / 5
		x := float64(left) + float64(width)*float64(k)/5
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="10">%.0f%%</text>`+"\n", x, axisY+14, v)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10">502 responses / POST requests sent (client side)</text>`+"\n", left, axisY+30)
	b.WriteString("</svg>\n")
	return b.String()
}
