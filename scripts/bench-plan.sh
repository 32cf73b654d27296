#!/usr/bin/env bash
# make bench-plan: wall time of `terraform plan` with 1, 200 and 1,000 nginxkeepalive_validation
# resources against an HCL-only equivalent of the same rule (locals + a precondition on
# terraform_data comparing millisecond numbers), and against the framework floor (tools/planfloor):
# a terraform-plugin-framework provider whose nginxkeepalive_validation has the real schema and does
# no work, i.e. what Terraform and the framework charge for a resource of this schema. Runs
# alternate between the variants so that noise on a shared machine hits all alike; prints medians
# and ratios.
# Usage: scripts/bench-plan.sh TERRAFORM BUILD_DIR
#   (the provider binary must be in BUILD_DIR, the floor's in BUILD_DIR/planfloor)
# Env: BENCH_PLAN_RUNS (default 5), BENCH_PLAN_SIZES (default "1 200 1000").
set -euo pipefail
tf="$1"
build="$2"
runs="${BENCH_PLAN_RUNS:-5}"
sizes="${BENCH_PLAN_SIZES:-1 200 1000}"
work="$build/bench-plan"
rm -rf "$work" && mkdir -p "$work"

cli_config() { # $1 = directory holding terraform-provider-nginxkeepalive
	cat <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/nginx-keepalive/nginxkeepalive" = "$1"
  }
  direct {}
}
RC
}
cli_config "$build" >"$work/provider.tfrc"
cli_config "$build/planfloor" >"$work/floor.tfrc"
cp "$work/provider.tfrc" "$work/hcl.tfrc" # HCL-only needs no provider; any valid CLI config does
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# The same rule both ways: nginx (keepalive_timeout 1s, keepalive_requests 99) in front of
# gunicorn (2s idle, no cap) and stock Tomcat (20s idle, 100 requests per connection).
provider_config() { # $1 = number of resources
	cat <<'HCL'
terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}
HCL
	for i in $(seq 1 "$1"); do
		cat <<HCL
resource "nginxkeepalive_validation" "v$i" {
  nginx    = { keepalive_timeout = "1s", keepalive_requests = 99 }
  backends = [{ type = "gunicorn" }, { type = "tomcat" }]
}
HCL
	done
}

hcl_config() { # $1 = number of resources
	cat <<'HCL'
locals {
  backends = [
    { name = "gunicorn", idle_ms = 2000, max_requests = 0 },
    { name = "tomcat", idle_ms = 20000, max_requests = 100 },
  ]
}
HCL
	for i in $(seq 1 "$1"); do
		cat <<HCL
resource "terraform_data" "v$i" {
  input = { keepalive_timeout_ms = 1000, keepalive_requests = 99 }
  lifecycle {
    precondition {
      condition = alltrue([for b in local.backends :
        1000 < b.idle_ms && (b.max_requests == 0 || 99 < b.max_requests)
      ])
      error_message = "nginx must close first: keepalive_timeout below every backend idle timeout and keepalive_requests below every cap."
    }
  }
}
HCL
	done
}

plan_seconds() { # $1 = directory, $2 = CLI config; prints the wall time of one plan
	local start end
	start=$(date +%s.%N)
	if ! TF_CLI_CONFIG_FILE="$2" "$tf" -chdir="$1" plan -input=false -lock=false -no-color >"$1/plan.log" 2>&1; then
		cat "$1/plan.log" >&2
		echo "bench-plan: terraform plan failed in $1" >&2
		exit 1
	fi
	end=$(date +%s.%N)
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

median() { # reads numbers on stdin
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench-plan: $("$tf" version | head -n1), provider $build/terraform-provider-nginxkeepalive, $runs alternating runs per size"
printf '%-10s %12s %12s %12s %9s %9s %11s %9s\n' resources "provider (s)" "floor (s)" "HCL only (s)" "provider/" "provider/" "provider-" "floor/"
printf '%-10s %12s %12s %12s %9s %9s %11s %9s\n' "" "" "" "" "floor" "HCL" "HCL (s)" "HCL"
for n in $sizes; do
	mkdir -p "$work/provider-$n" "$work/hcl-$n"
	provider_config "$n" >"$work/provider-$n/main.tf"
	hcl_config "$n" >"$work/hcl-$n/main.tf"
	# One untimed plan each warms the file cache and checks that every variant plans cleanly.
	for variant in provider floor hcl; do
		dir="$work/provider-$n"
		[ "$variant" = hcl ] && dir="$work/hcl-$n"
		plan_seconds "$dir" "$work/$variant.tfrc" >/dev/null
		: >"$work/$variant-$n.times"
	done
	for _ in $(seq 1 "$runs"); do
		for variant in provider floor hcl; do
			dir="$work/provider-$n"
			[ "$variant" = hcl ] && dir="$work/hcl-$n"
			plan_seconds "$dir" "$work/$variant.tfrc" >>"$work/$variant-$n.times"
		done
	done
	p=$(median <"$work/provider-$n.times")
	f=$(median <"$work/floor-$n.times")
	h=$(median <"$work/hcl-$n.times")
	awk -v n="$n" -v p="$p" -v f="$f" -v h="$h" 'BEGIN { printf "%-10s %12.3f %12.3f %12.3f %8.2fx %8.2fx %+11.3f %8.2fx\n", n, p, f, h, p / f, p / h, p - h, f / h }'
done
echo "bench-plan: target is provider/floor <= 1.2x at 1000 resources; the floor column is what Terraform and"
echo "bench-plan: the framework charge any resource of this schema (raw times in $work/*.times)"
