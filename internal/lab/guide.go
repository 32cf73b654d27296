package lab

import "strings"

// chartURL is where the registry page finds the chart: the registry does not resolve relative
// images, and tfplugindocs only allows .md files under docs/, so the SVG lives in docs-assets/.
const chartURL = "https://raw.githubusercontent.com/nginx-keepalive/terraform-provider-nginxkeepalive/main/docs-assets/lab-evidence.svg"

const guideHeader = `---
page_title: "Lab evidence: 502s with nginx's defaults, none with the recommendation"
subcategory: ""
description: |-
  Real nginx (Debian's 1.22.1, and 1.30/1.31 built from source) in front of real backend servers: measured idle timeouts, and POST 502 counts with nginx's defaults and the stock configuration vs the provider's recommendation.
---

# Lab evidence

The keep-alive race is hard to reproduce and easy to doubt, so the project reproduces it on every full test run
(` + "`make e2e`, part of `make test`" + `): real nginx in front of real backend servers on loopback, each started with its
packaged defaults. nginx is Debian's package (1.22.1) and the current stable and mainline releases built from
source (` + "`NGINX_SOURCES`" + `, the cache or nginx.org; once per version). Since nginx 1.29.7 an explicit ` + "`upstream {}`" + `
block keeps idle connections by default (` + "`keepalive 32`" + `, ` + "`proxy_http_version 1.1`" + `, no ` + "`Connection: close`" + `),
while the upstream ` + "`keepalive_timeout`" + ` is still 60 s: the stock configuration now races every backend that closes
idle connections sooner.

For every backend the lab

1. **measures** how long the server keeps an idle keep-alive connection open after a response (and whether it ends
   it with FIN or RST), and how many requests it serves on one connection, with the code behind the
   ` + "`nginxkeepalive_probe`" + ` data source; the test fails when the catalogue behind ` + "`nginxkeepalive_backend`" + `
   disagrees (±10 % or ±300 ms) or claims a longer idle timeout than the server really keeps. For gunicorn, uvicorn,
   Node.js, Apache httpd and Tomcat it also applies ` + "`nginxkeepalive_probe`" + ` through the real Terraform CLI against
   another instance of the server and fails when the data source disagrees with its own measurement (±10 % or
   ±300 ms, plus one tick for gunicorn and Tomcat, which close idle connections on a once-a-second sweep, so two
   instances close up to a second apart; the request cap exactly);
2. **races** it: bursts of 16 parallel POST requests through nginx, each burst after a pause that lands where a
   probe burst of 16 connections saw the backend close them (swept from 12 ms below each group of closes to 3 ms
   above it, where recorded runs found the race, and alternately around the catalogue's expected close; a round in
   which a configuration that must race drew no 502 is followed by one round swept more than twice as wide). Every
   configuration runs at the same time, each on its own nginx in front of its own backend instance:
   - on Debian's nginx 1.22.1, a pool with nginx's timeouts (` + "`keepalive 16`, `proxy_http_version 1.1`,\n     `proxy_set_header Connection \"\"`, `keepalive_timeout 60s`, `keepalive_requests 1000`" + `) and the recommendation of
     ` + "`nginxkeepalive_recommendation`" + ` (gunicorn's run applies the data source through the real Terraform CLI and
     uses its ` + "`upstream_config`" + ` block verbatim), and, where a probe ran (not Tomcat: its 20 s idle close makes
     races long), the recommendation from the probe alone (` + "`backends = [{ probe }]`" + `: its idle timeout is never
     tighter than with ` + "`[{ type, version, probe }]`" + `), verbatim too;
   - on each nginx built from source, the **stock configuration** — ` + "`upstream backend { server ADDR; }`" + ` and a
     location with only ` + "`proxy_pass http://backend;`" + ` — and the recommendation for that ` + "`nginx_version`" + `, its
     ` + "`upstream_config`" + ` and ` + "`proxy_config`" + ` rendered verbatim;
   - two controls: the same stock configuration on Debian's 1.22.1 (no pool before 1.29.7), and with ` + "`keepalive 0;`" + `
     on the stable release.

   502s are counted on the client. nginx retries GETs after a failed reuse, which hides the race; it does not retry
   POST.

The test fails unless every backend shows no 502 with the recommendation (from the catalogue or fed by a probe) and in the controls, and every backend that
closes idle connections before nginx's 60 s shows at least one 502 with nginx's defaults and with the stock
configuration on every nginx ≥ 1.29.7. Tomcat and Puma, whose closes wander by hundreds of milliseconds after a
burst, are reported rather than failed when a run misses the 1–2 ms window.

![502 rate per backend and nginx version: nginx defaults and the stock configuration vs the recommendation](` + chartURL + `)

## Results

`

const guideFooter = `
Backends whose idle timeout is longer than nginx's 60 s (or unlimited) cannot race nginx's defaults: nginx closes
first. They get a short check that traffic is clean both ways. Request caps: a server that announces its last
response with ` + "`Connection: close`" + ` (Tomcat, Apache httpd) never races; one that closes silently does, unless
nginx's ` + "`keepalive_requests`" + ` is below the cap (the "silent request cap" scenario).

Reproduce with ` + "`make e2e`" + ` (root; installs the Debian packages it needs). Results land in ` + "`build/lab/`" + `;
` + "`make lab-report`" + ` copies them into this page.
`

// guide is the docs guide template (templates/guides/lab-evidence.md.tmpl) for this run.
func (r *report) guide() string {
	md := strings.ReplaceAll(r.markdown(), "{{", "{{`{{`}}") // the page is a Go template for tfplugindocs
	return guideHeader + md + guideFooter
}
