package lab

import (
	"fmt"
	"html"
	"strings"
)

// raceColumn is one (nginx version, configuration) pair of the per-version races.
type raceColumn struct{ Version, Config, Kind string }

func (c raceColumn) title() string { return "nginx " + c.Version + ": " + c.Config }

// raceColumns are the per-version races in the order the lab ran them (every racing backend
// runs the same set).
func (r *report) raceColumns() []raceColumn {
	var cols []raceColumn
	seen := map[raceColumn]bool{}
	for _, x := range r.Rows {
		for _, vr := range x.Races {
			c := raceColumn{vr.NginxVersion, vr.Config, vr.Kind}
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
	}
	return cols
}

func (x *row) race(c raceColumn) *versionRace {
	for _, vr := range x.Races {
		if vr.NginxVersion == c.Version && vr.Config == c.Config {
			return vr
		}
	}
	return nil
}

// versionsMarkdown is the table of the stock configuration vs the recommendation per nginx
// version, with the controls, and the recommendation as rendered for each version.
func (r *report) versionsMarkdown() string {
	cols := r.raceColumns()
	if len(cols) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\n### nginx " + strings.Join(r.SourceVersions, " and ") + ": the stock configuration vs the recommendation\n\n")
	b.WriteString("Stock configuration: `upstream backend { server ADDR; }` and `location / { proxy_pass http://backend; }`, nothing else. " +
		"Recommendation: `nginxkeepalive_recommendation` for that `nginx_version`, its `upstream_config` and `proxy_config` rendered verbatim. " +
		"Controls: the same stock configuration on Debian's nginx " + r.NginxVersion + " (no pool by default), and with `keepalive 0;` added.\n\n")
	b.WriteString("| backend | measured idle close |")
	for _, c := range cols {
		b.WriteString(" " + c.title() + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, x := range r.Rows {
		if len(x.Races) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s %s | %s |", x.Backend, x.Version, x.MeasuredIdle)
		for _, c := range cols {
			cell := "–"
			if vr := x.race(c); vr != nil {
				cell = ratio(vr.Result)
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\nBackends whose idle timeout is 60 s or longer (or unlimited) do not race nginx's 60 s and are not listed.\n")
	for _, c := range cols {
		if c.Kind != kindRecommended {
			continue
		}
		for _, x := range r.Rows {
			if vr := x.race(c); vr != nil && vr.Rendered != "" {
				fmt.Fprintf(&b, "\nThe recommendation for %s on nginx %s, as rendered (`upstream_config`, then `proxy_config`):\n\n```nginx\n%s\n```\n",
					x.Backend, c.Version, strings.TrimRight(vr.Rendered, "\n"))
				break
			}
		}
	}
	return b.String()
}

// chartBar is one bar of a chart panel: a label, a colour and the result it shows for a row.
type chartBar struct {
	Label, Color string
	Of           func(x *row) *raceResult
}

type chartPanel struct {
	Title string
	Bars  []chartBar
}

const (
	colorRace    = "#d62728"
	colorFixed   = "#2ca02c"
	colorControl = "#7f7f7f"
)

// panels are the chart's columns: Debian's nginx (a pool with nginx's timeouts vs the
// recommendation), then each version built from source (stock configuration vs the
// recommendation), each with its control.
func (r *report) panels() []chartPanel {
	byCol := func(c raceColumn) func(x *row) *raceResult {
		return func(x *row) *raceResult {
			if vr := x.race(c); vr != nil {
				return &vr.Result
			}
			return nil
		}
	}
	deb := chartPanel{Title: "nginx " + r.NginxVersion + " (Debian)", Bars: []chartBar{
		{"keepalive 16, nginx's timeouts", colorRace, func(x *row) *raceResult { return &x.Defaults }},
		{"recommendation", colorFixed, func(x *row) *raceResult { return &x.WithRecommended }},
	}}
	panels := []chartPanel{deb}
	index := map[string]int{r.NginxVersion: 0}
	for _, c := range r.raceColumns() {
		i, ok := index[c.Version]
		if !ok {
			i = len(panels)
			index[c.Version] = i
			panels = append(panels, chartPanel{Title: "nginx " + c.Version + " (source)"})
		}
		color := map[string]string{kindStock: colorRace, kindRecommended: colorFixed, kindControl: colorControl}[c.Kind]
		panels[i].Bars = append(panels[i].Bars, chartBar{c.Config, color, byCol(c)})
	}
	return panels
}

// svg draws the POST 502 rate per backend as one panel per nginx version, side by side.
func (r *report) svg() string {
	panels := r.panels()
	if len(panels) == 1 {
		return r.svgSingle()
	}
	const (
		left, top, barH, gap, scaleW, panelW = 150, 40, 9, 10, 170, 300
	)
	maxRate := 5.0
	nBars := 0
	for _, p := range panels {
		nBars = max(nBars, len(p.Bars))
		for _, bar := range p.Bars {
			for _, x := range r.Rows {
				if res := bar.Of(x); res != nil {
					maxRate = max(maxRate, rate(*res))
				}
			}
		}
	}
	maxRate = float64(int(maxRate/5)+1) * 5
	legendH := nBars*12 + 8
	rowH := nBars*barH + gap
	chartTop := top + legendH
	axisY := chartTop + len(r.Rows)*rowH
	width, height := left+len(panels)*panelW, axisY+40
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n")
	b.WriteString(`<text x="10" y="18" font-size="14" font-weight="bold">POST 502 rate per backend, per nginx version (client side)</text>` + "\n")
	for i, x := range r.Rows {
		y := chartTop + i*rowH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s %s</text>`+"\n", left-6, y+nBars*barH/2+4, html.EscapeString(x.Backend), html.EscapeString(x.Version))
	}
	for pi, p := range panels {
		x0 := left + pi*panelW
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", x0, top-4, html.EscapeString(p.Title))
		for j, bar := range p.Bars {
			ly := top + j*12
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="9" fill="%s"/><text x="%d" y="%d" font-size="10">%s</text>`+"\n",
				x0, ly, bar.Color, x0+14, ly+8, html.EscapeString(bar.Label))
		}
		for i, x := range r.Rows {
			y := chartTop + i*rowH
			for j, bar := range p.Bars {
				yy := y + j*barH
				res := bar.Of(x)
				if res == nil || res.Sent == 0 {
					continue
				}
				w := rate(*res) / maxRate * scaleW
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, x0, yy, w, barH-1, bar.Color)
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="8">%.1f%% (%s)</text>`+"\n", float64(x0)+w+3, yy+barH-1, rate(*res), ratio(*res))
			}
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", x0, chartTop-2, x0, axisY)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", x0, axisY, x0+scaleW, axisY)
		for k := 0; k <= 2; k++ {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="9">%.0f%%</text>`+"\n",
				float64(x0)+float64(scaleW)*float64(k)/2, axisY+12, maxRate*float64(k)/2)
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10">502 responses / POST requests sent; backends with idle timeouts of 60 s or more cannot race and show no bars on the source builds</text>`+"\n", left, axisY+30)
	b.WriteString("</svg>\n")
	return b.String()
}
