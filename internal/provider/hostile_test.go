package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// hostileCase is one piece of bad input through the real Terraform CLI. match is a regular
// expression over Terraform's output, words joined by \s+ because Terraform wraps long lines.
type hostileCase struct {
	name   string
	config string
	match  string
	// resource: the input reaches nginxkeepalive_validation, so a second step proves that
	// nothing was written to state (its plan with the resource removed must be empty).
	resource bool
	// unknownAtPlan: the bad value hides behind a value unknown until apply, so the plan must
	// pass and the apply must fail. after is the config without the validation resource.
	unknownAtPlan bool
	after         string
}

func hostileRecommendation(body string) string {
	return "data \"nginxkeepalive_recommendation\" \"r\" {\n" + body + "\n}\n"
}

func hostileBackend(body string) string {
	return "data \"nginxkeepalive_backend\" \"b\" {\n" + body + "\n}\n"
}

func hostileValidation(body string) string {
	return "resource \"nginxkeepalive_validation\" \"v\" {\n" + body + "\n}\n"
}

func hostileOutput(expr string) string {
	return "output \"o\" {\n  value = " + expr + "\n}\n"
}

// words turns a literal message "a b c" into the pattern `a\s+b\s+c`, because Terraform wraps
// long lines between any two words.
func words(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		fields[i] = regexp.QuoteMeta(f)
	}
	return strings.Join(fields, `\s+`)
}

const thousandAndOneBackends = `[for i in range(1001) : { type = "gunicorn" }]`

// hostileTimeCases are the same malformed nginx times, each fed to a different attribute.
var hostileTimes = []struct{ value, match string }{
	{`"0s"`, `"0s"\s+is\s+zero;\s+give\s+a\s+positive\s+duration`},
	{`"99999999999999999999s"`, `invalid\s+nginx\s+time\s+"99999999999999999999s":\s+number\s+too\s+large`},
	{`"9223372036854775s"`, `invalid\s+nginx\s+time\s+"9223372036854775s":\s+value\s+too\s+large`},
	{`"1.5s"`, `invalid\s+nginx\s+time\s+"1\.5s":\s+unexpected\s+character\s+'\.'`},
	{`"5 sec"`, `invalid\s+nginx\s+time\s+"5\s+sec":\s+units\s+must\s+appear\s+once\s+each,\s+largest\s+first`},
	{`"1y"`, `invalid\s+nginx\s+time\s+"1y":\s+years\s+are\s+not\s+allowed`},
	{`"-5s"`, `invalid\s+nginx\s+time\s+"-5s":\s+unexpected\s+character\s+'-'`},
	{`"1M"`, `invalid\s+nginx\s+time\s+"1M":\s+months\s+are\s+not\s+allowed`},
}

func hostileCases() []hostileCase {
	var cases []hostileCase
	add := func(c hostileCase) { cases = append(cases, c) }

	// Data source nginxkeepalive_recommendation.
	attrs := []string{"idle_timeout", "max_connection_age"}
	for i, tc := range hostileTimes {
		attr := attrs[i%len(attrs)]
		add(hostileCase{name: "recommendation/backends." + attr + "=" + tc.value,
			config: hostileRecommendation("  backends = [{\n    type = \"custom\"\n    idle_timeout = \"30s\"\n    max_requests_per_connection = 0\n    " +
				attr + " = " + tc.value + "\n  }]"),
			match: tc.match})
	}
	add(hostileCase{name: "recommendation/negative request cap",
		config: hostileRecommendation(`  backends = [{ type = "tomcat", max_requests_per_connection = -1 }]`),
		match:  words(`Attribute backends[0].max_requests_per_connection value must be at least 0, got: -1`)})
	add(hostileCase{name: "recommendation/fractional request cap",
		config: hostileRecommendation(`  backends = [{ type = "custom", idle_timeout = "5s", max_requests_per_connection = 1e30 }]`),
		match:  words(`Invalid Number`) + `.*` + words(`backends[0].max_requests_per_connection must be a whole number between`) + `.*got\s+1e\+30`})
	add(hostileCase{name: "recommendation/empty backends",
		config: hostileRecommendation(`  backends = []`),
		match:  words(`Attribute backends list must contain at least 1 elements and at most 1000 elements, got: 0`)})
	add(hostileCase{name: "recommendation/1001 backends",
		config: hostileRecommendation(`  backends = ` + thousandAndOneBackends),
		match:  words(`Attribute backends list must contain at least 1 elements and at most 1000 elements, got: 1001`)})
	add(hostileCase{name: "recommendation/null backends",
		config: hostileRecommendation(`  backends = null`),
		match:  words(`Must set a configuration value for the backends attribute`)})
	add(hostileCase{name: "recommendation/null type",
		config: hostileRecommendation(`  backends = [{ type = null }]`),
		match:  words(`backends[0].type is required, e.g. "gunicorn" (or give backends[0].probe)`)})
	add(hostileCase{name: "recommendation/unknown type",
		config: hostileRecommendation(`  backends = [{ type = "gunicorn" }, { type = "gunicron" }]`),
		match:  `unknown\s+backend\s+type\s+"gunicron"\s+\(did\s+you\s+mean\s+"gunicorn"\?\);\s+known\s+types:`})
	add(hostileCase{name: "recommendation/NUL in type",
		config: hostileRecommendation(`  backends = [{ type = "gunicorn\u0000" }]`),
		match:  `unknown\s+backend\s+type\s+"gunicorn\\x00"`})
	add(hostileCase{name: "recommendation/unparsable version",
		config: hostileRecommendation(`  backends = [{ type = "node", version = "twenty" }]`),
		match:  words(`invalid version "twenty" for backend type "node": want a dotted number`)})
	add(hostileCase{name: "recommendation/custom without idle timeout",
		config: hostileRecommendation(`  backends = [{ type = "custom" }]`),
		match:  `Idle\s+Timeout\s+Required.*custom\s+has\s+no\s+confirmed\s+default\s+idle\s+keep-alive\s+timeout;\s+set\s+idle_timeout`})
	add(hostileCase{name: "recommendation/load balancer declared as a backend",
		config: hostileRecommendation(`  backends = [{ type = "gunicorn" }, { type = "aws-alb" }]`),
		match:  words(`"aws-alb" is a load balancer in front of nginx, not a backend behind it: declare it in load_balancer`)})
	add(hostileCase{name: "recommendation/backend declared as the load balancer",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  load_balancer = { type = \"gunicorn\" }"),
		match:  words(`"gunicorn" is a backend type; load_balancer takes a balancer in front of nginx`)})
	add(hostileCase{name: "recommendation/custom load balancer without idle timeout",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  load_balancer = { type = \"custom\" }"),
		match:  words(`custom has no known default idle timeout; set load_balancer.idle_timeout`)})
	add(hostileCase{name: "recommendation/load balancer idle timeout 0",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  load_balancer = {\n    type = \"custom\"\n    idle_timeout = \"0\"\n  }"),
		match:  words(`"0" is zero; give a positive duration`)})
	add(hostileCase{name: "recommendation/nginx_version not a number",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  nginx_version = \"1.x\""),
		match:  `nginx_version\s+=\s+"1\.x".*invalid\s+nginx\s+version\s+"1\.x":\s+"x"\s+is\s+not\s+a\s+number`})
	add(hostileCase{name: "recommendation/nginx_version not a release",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  nginx_version = \"10.0.0\""),
		match:  words(`invalid nginx version "10.0.0": not an nginx release`)})
	add(hostileCase{name: "recommendation/negative idle_margin",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  idle_margin = \"-1s\""),
		match:  `idle_margin\s+=\s+"-1s".*invalid\s+nginx\s+time\s+"-1s"`})
	add(hostileCase{name: "recommendation/negative requests_margin",
		config: hostileRecommendation("  backends = [{ type = \"tomcat\" }]\n  requests_margin = -1"),
		match:  words(`Attribute requests_margin value must be at least 1, got: -1`)})
	add(hostileCase{name: "recommendation/peak_concurrency 0",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  peak_concurrency = 0"),
		match:  words(`Attribute peak_concurrency value must be between 1 and 1000000, got: 0`)})
	add(hostileCase{name: "recommendation/peak_concurrency max int64",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  peak_concurrency = 9223372036854775807"),
		match:  words(`Attribute peak_concurrency value must be between 1 and 1000000, got: 9223372036854775807`)})
	add(hostileCase{name: "recommendation/peak_concurrency beyond int64",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  peak_concurrency = 99999999999999999999"),
		match:  `peak_concurrency\s+=\s+99999999999999999999.*cannot\s+be\s+represented\s+as\s+a\s+64-bit\s+integer`})
	add(hostileCase{name: "recommendation/fractional worker_processes",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  worker_processes = 1.5"),
		match:  `worker_processes\s+=\s+1\.5.*is\s+not\s+an\s+integer`})
	add(hostileCase{name: "recommendation/worker_processes 5000",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  worker_processes = 5000"),
		match:  words(`Attribute worker_processes value must be between 1 and 4096, got: 5000`)})
	add(hostileCase{name: "recommendation/negative peak_requests_per_second",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  peak_requests_per_second = -5"),
		match:  words(`Attribute peak_requests_per_second value must be between 1 and 100000000, got: -5`)})
	add(hostileCase{name: "recommendation/upstream_name injection",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  upstream_name = \"api; include /etc/passwd\"\n  servers = [\"127.0.0.1:8000\"]"),
		match:  words(`upstream_name "api; include /etc/passwd" cannot be rendered into nginx configuration`)})
	add(hostileCase{name: "recommendation/server injection",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  upstream_name = \"api\"\n  servers = [\"127.0.0.1:8000; include /etc/passwd\"]"),
		match:  `servers\[0\]\s+"127\.0\.0\.1:8000;\s+include\s+/etc/passwd"\s+cannot\s+be\s+rendered\s+into\s+nginx\s+configuration`})
	add(hostileCase{name: "recommendation/upstream without servers",
		config: hostileRecommendation("  backends = [{ type = \"gunicorn\" }]\n  upstream_name = \"api\"\n  servers = []"),
		match:  words(`an upstream block needs at least one server`)})

	// Data source nginxkeepalive_backend.
	add(hostileCase{name: "backend/empty type", config: hostileBackend(`  type = ""`),
		match: `type\s+=\s+"".*unknown\s+backend\s+type\s+"";\s+known\s+types:`})
	add(hostileCase{name: "backend/unknown type", config: hostileBackend(`  type = "tomcat11"`),
		match: `unknown\s+backend\s+type\s+"tomcat11"\s+\(did\s+you\s+mean\s+"tomcat"\?\)`})
	add(hostileCase{name: "backend/negative version", config: hostileBackend("  type = \"puma\"\n  version = \"-1\""),
		match: `version\s+=\s+"-1".*invalid\s+version\s+"-1"\s+for\s+backend\s+type\s+"puma"`})
	add(hostileCase{name: "backend/null type", config: hostileBackend(`  type = null`),
		match: words(`Must set a configuration value for the type attribute`)})

	// Resource nginxkeepalive_validation.
	nginxTimes := []string{"keepalive_timeout", "keepalive_time", "client_keepalive_timeout"}
	for i, tc := range hostileTimes[1:] { // "0s" is a legal nginx setting
		attr := nginxTimes[i%len(nginxTimes)]
		add(hostileCase{name: "validation/nginx." + attr + "=" + tc.value, resource: true,
			config: hostileValidation("  nginx = {\n    " + attr + " = " + tc.value + "\n  }\n  backends = [{ type = \"gunicorn\" }]"),
			match:  tc.match})
	}
	add(hostileCase{name: "validation/keepalive_timeout max int64 as a number", resource: true,
		config: hostileValidation("  nginx = {\n    keepalive_timeout = 9223372036854775807\n  }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`invalid nginx time "9223372036854775807": value too large`)})
	add(hostileCase{name: "validation/keepalive_requests 0", resource: true,
		config: hostileValidation("  nginx = { keepalive_requests = 0 }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`Attribute nginx.keepalive_requests value must be at least 1, got: 0`)})
	add(hostileCase{name: "validation/keepalive_requests max int64", resource: true,
		config: hostileValidation("  nginx = {\n    keepalive_timeout = \"1s\"\n    keepalive_requests = 9223372036854775807\n  }\n  backends = [{ type = \"tomcat\" }]"),
		match:  `keepalive_requests\s+9223372036854775807\s+\([^)]*\)\s+is\s+not\s+below\s+tomcat's\s+cap\s+of\s+100\s`})
	add(hostileCase{name: "validation/fractional keepalive_requests", resource: true,
		config: hostileValidation("  nginx = {\n    keepalive_timeout = \"1s\"\n    keepalive_requests = 1.5\n  }\n  backends = [{ type = \"tomcat\" }]"),
		match:  words(`Invalid Number`) + `.*nginx\.keepalive_requests\s+must\s+be\s+a\s+whole\s+number\s+between.*got\s+1\.5`})
	add(hostileCase{name: "validation/fractional request cap in a backend", resource: true,
		config: hostileValidation("  nginx = {}\n  backends = [{ type = \"tomcat\" }, { type = \"custom\", idle_timeout = \"5s\", max_requests_per_connection = 1e30 }]"),
		match:  words(`backends[1].max_requests_per_connection must be a whole number between`) + `.*got\s+1e\+30`})
	add(hostileCase{name: "validation/negative pool", resource: true,
		config: hostileValidation("  nginx = { keepalive = -1 }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`Attribute nginx.keepalive value must be at least 0, got: -1`)})
	add(hostileCase{name: "validation/four-part nginx version", resource: true,
		config: hostileValidation("  nginx = { version = \"1.2.3.4\" }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`invalid nginx version "1.2.3.4": want MAJOR.MINOR[.PATCH]`)})
	add(hostileCase{name: "validation/empty backends", resource: true,
		config: hostileValidation("  nginx = {}\n  backends = []"),
		match:  words(`Attribute backends list must contain at least 1 elements and at most 1000 elements, got: 0`)})
	add(hostileCase{name: "validation/1001 backends", resource: true,
		config: hostileValidation("  nginx = {}\n  backends = " + thousandAndOneBackends),
		match:  words(`Attribute backends list must contain at least 1 elements and at most 1000 elements, got: 1001`)})
	add(hostileCase{name: "validation/unknown type", resource: true,
		config: hostileValidation("  nginx = {}\n  backends = [{ type = \"tomcat11\" }]"),
		match:  `unknown\s+backend\s+type\s+"tomcat11"\s+\(did\s+you\s+mean\s+"tomcat"\?\)`})
	add(hostileCase{name: "validation/nginx and gateway fabric together", resource: true,
		config: hostileValidation("  nginx = { keepalive_timeout = \"1s\" }\n  gateway_fabric_upstream_settings = { timeout = \"1s\" }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`Attribute "nginx" cannot be specified when "gateway_fabric_upstream_settings" is specified`)})
	add(hostileCase{name: "validation/fractional gateway fabric timeout", resource: true,
		config: hostileValidation("  gateway_fabric_upstream_settings = {\n    timeout = \"1.5s\"\n  }\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`invalid nginx time "1.5s": unexpected character`)})
	add(hostileCase{name: "validation/null nginx means nginx's defaults", resource: true,
		config: hostileValidation("  nginx = null\n  backends = [{ type = \"gunicorn\" }]"),
		match:  `nginx\s+outlives\s+gunicorn.*keepalive_timeout\s+60s\s+\(nginx\s+[0-9.]+'s\s+default\)`})
	add(hostileCase{name: "validation/duplicate names stay distinguishable", resource: true,
		config: hostileValidation("  nginx = {}\n  backends = [{ type = \"gunicorn\", name = \"api\" }, { type = \"tomcat\", name = \"api\" }]"),
		match:  `nginx\s+outlives\s+gunicorn\s+"api".*nginx\s+outlives\s+tomcat\s+"api"`})
	add(hostileCase{name: "validation/bad time unknown until apply", resource: true, unknownAtPlan: true,
		config: "resource \"terraform_data\" \"t\" {\n  input = \"5 sec\"\n}\n" +
			hostileValidation("  nginx = {\n    keepalive_timeout = terraform_data.t.output\n  }\n  backends = [{ type = \"gunicorn\" }]"),
		after: "resource \"terraform_data\" \"t\" {\n  input = \"5 sec\"\n}\n",
		match: words(`invalid nginx time "5 sec"`)})
	add(hostileCase{name: "validation/unknown type unknown until apply", resource: true, unknownAtPlan: true,
		config: "resource \"terraform_data\" \"t\" {\n  input = \"gunicron\"\n}\n" +
			hostileValidation("  nginx = { keepalive_timeout = \"1s\" }\n  backends = [{ type = terraform_data.t.output }]"),
		after: "resource \"terraform_data\" \"t\" {\n  input = \"gunicron\"\n}\n",
		match: `unknown\s+backend\s+type\s+"gunicron"\s+\(did\s+you\s+mean\s+"gunicorn"\?\)`})
	add(hostileCase{name: "validation/fractional number unknown until apply", resource: true, unknownAtPlan: true,
		config: "resource \"terraform_data\" \"t\" {\n  input = 1.5\n}\n" +
			hostileValidation("  nginx = {\n    keepalive_timeout = \"1s\"\n    keepalive_requests = terraform_data.t.output\n  }\n  backends = [{ type = \"tomcat\" }]"),
		after: "resource \"terraform_data\" \"t\" {\n  input = 1.5\n}\n",
		match: words(`nginx.keepalive_requests must be a whole number between`) + `.*got\s+1\.5`})
	add(hostileCase{name: "validation/whole backends list unknown until apply", resource: true, unknownAtPlan: true,
		config: "resource \"terraform_data\" \"t\" {\n  input = [{ type = \"gunicron\" }]\n}\n" +
			hostileValidation("  nginx = { keepalive_timeout = \"1s\" }\n  backends = terraform_data.t.output"),
		after: "resource \"terraform_data\" \"t\" {\n  input = [{ type = \"gunicron\" }]\n}\n",
		match: `unknown\s+backend\s+type\s+"gunicron"`})
	const oneUpstream = "  nginx_config = \"http { upstream api { server 127.0.0.1:8000; keepalive 8; } }\"\n" +
		"  upstreams = { api = [{ type = \"gunicorn\" }] }\n"
	add(hostileCase{name: "validation/backends and upstreams together", resource: true,
		config: hostileValidation(oneUpstream + "  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`Attribute "backends" cannot be specified when "upstreams" is specified. Give either nginx`)})
	add(hostileCase{name: "validation/nginx_config without upstreams", resource: true,
		config: hostileValidation("  nginx_config = \"http {}\"\n  backends = [{ type = \"gunicorn\" }]"),
		match:  words(`Attributes "nginx_config" and "upstreams" must be specified together; "upstreams" is missing.`)})
	add(hostileCase{name: "validation/nothing to check", resource: true,
		config: hostileValidation("  nginx = { keepalive_timeout = \"1s\" }"),
		match:  words(`Nothing to check: neither "backends" nor "upstreams" is specified.`)})
	add(hostileCase{name: "validation/nginx_config and gateway fabric together", resource: true,
		config: hostileValidation(oneUpstream + "  gateway_fabric_upstream_settings = { timeout = \"1s\" }"),
		match:  words(`Attribute "nginx_config" cannot be specified when "gateway_fabric_upstream_settings" is specified`)})

	// Function duration_ms.
	const durationMs = "provider::nginxkeepalive::duration_ms"
	for _, tc := range hostileTimes[1:] {
		if tc.value == `"9223372036854775s"` {
			continue // a valid millisecond count (nginx accepts it); only a time.Duration cannot hold it
		}
		add(hostileCase{name: "duration_ms/" + tc.value, config: hostileOutput(durationMs + "(" + tc.value + ")"),
			match: `Invalid\s+value\s+for\s+"value"\s+parameter:\s+` + tc.match})
	}
	add(hostileCase{name: "duration_ms/empty", config: hostileOutput(durationMs + `("")`),
		match: words(`Invalid value for "value" parameter: invalid nginx time "": no number`)})
	add(hostileCase{name: "duration_ms/NUL", config: hostileOutput(durationMs + `("1\u0000s")`),
		match: `invalid\s+nginx\s+time\s+"1\\x00s":\s+unexpected\s+character\s+'\\x00'`})
	add(hostileCase{name: "duration_ms/null", config: hostileOutput(durationMs + `(null)`),
		match: words(`Invalid value for "value" parameter: argument must not be null`)})
	add(hostileCase{name: "duration_ms/list", config: hostileOutput(durationMs + `(["1s"])`),
		match: words(`Invalid value for "value" parameter: string required`)})

	// Function violations.
	const violations = "provider::nginxkeepalive::violations"
	add(hostileCase{name: "violations/backends as a string", config: hostileOutput(violations + `({}, "gunicorn")`),
		match: words(`Invalid value for "backends" parameter: backends must be a list of objects`)})
	add(hostileCase{name: "violations/empty backends", config: hostileOutput(violations + `({}, [])`),
		match: words(`Invalid value for "backends" parameter: backends: no backends: declare at least one backend`)})
	add(hostileCase{name: "violations/null backends", config: hostileOutput(violations + `({}, null)`),
		match: words(`Invalid value for "backends" parameter: argument must not be null`)})
	add(hostileCase{name: "violations/null backend", config: hostileOutput(violations + `({}, [null])`),
		match: `Invalid\s+value\s+for\s+"backends"\s+parameter:\s+backends\[0\]\s+is\s+null`})
	add(hostileCase{name: "violations/1001 backends", config: hostileOutput(violations + `({}, ` + thousandAndOneBackends + `)`),
		match: words(`backends has 1001 backends; at most 1000 are allowed`)})
	add(hostileCase{name: "violations/misspelt attribute", config: hostileOutput(violations + `({}, [{ type = "gunicorn", idle = "1s" }])`),
		match: `backends\[0\]\s+has\s+unsupported\s+attribute\(s\)\s+idle;\s+allowed:\s+type,`})
	add(hostileCase{name: "violations/unknown type", config: hostileOutput(violations + `({}, [{ type = "gunicron" }])`),
		match: `backends\[0\]\.type:\s+unknown\s+backend:\s+unknown\s+backend\s+type\s+"gunicron"`})
	add(hostileCase{name: "violations/negative request cap", config: hostileOutput(violations + `({ keepalive_timeout = "1s" }, [{ type = "gunicorn", max_requests_per_connection = -1 }])`),
		match: `backends\[0\]\.max_requests_per_connection:\s+negative\s+request\s+cap`})
	add(hostileCase{name: "violations/nginx as a string", config: hostileOutput(violations + `("60s", [{ type = "gunicorn" }])`),
		match: words(`Invalid value for "nginx" parameter: nginx must be an object like`)})
	add(hostileCase{name: "violations/wrong unit", config: hostileOutput(violations + `({ keepalive_timeout = "5 sec" }, [{ type = "gunicorn" }])`),
		match: words(`Invalid value for "nginx" parameter: nginx.keepalive_timeout: invalid nginx time "5 sec"`)})
	add(hostileCase{name: "violations/fractional requests", config: hostileOutput(violations + `({ keepalive_requests = 1.5 }, [{ type = "gunicorn" }])`),
		match: words(`nginx.keepalive_requests must be a whole number`) + `.*got\s+1\.5`})
	add(hostileCase{name: "violations/requests beyond int64", config: hostileOutput(violations + `({ keepalive_requests = 1e30 }, [{ type = "gunicorn" }])`),
		match: words(`nginx.keepalive_requests must be a whole number`) + `.*got\s+1e\+30`})
	add(hostileCase{name: "violations/unparsable nginx version", config: hostileOutput(violations + `({ version = "1.x" }, [{ type = "gunicorn" }])`),
		match: words(`Invalid value for "nginx" parameter: nginx.version: invalid nginx version`)})
	return cases
}

// TestAccHostileInput feeds bad input to every data source, the resource and both functions
// through the real CLI: each must fail with a diagnostic naming the value (and attribute), never
// a crash, and leave nothing in state.
func TestAccHostileInput(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range hostileCases() {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			match := regexp.MustCompile(`(?s)` + tc.match)
			var steps []resource.TestStep
			if tc.unknownAtPlan {
				// Unknown values never fail a plan.
				steps = append(steps, resource.TestStep{Config: tc.config, PlanOnly: true, ExpectNonEmptyPlan: true})
			}
			steps = append(steps, resource.TestStep{Config: tc.config, ExpectError: match, PlanOnly: !tc.resource})
			if tc.resource {
				after := tc.after
				if after == "" {
					after = `provider "nginxkeepalive" {}`
				}
				// A validation resource left in state would show up as a planned destroy here.
				steps = append(steps, resource.TestStep{Config: after, PlanOnly: true})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   requireFunctions,
				Steps:                    steps,
			})
		})
	}
	if len(seen) < 40 {
		t.Fatalf("only %d hostile cases; the table must cover at least 40", len(seen))
	}
}
