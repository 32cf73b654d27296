#!/usr/bin/env bash
# make bench-plan: wall time of `terraform plan` with 1, 200 and 1,000 nginxkeepalive_validation
# resources against an HCL-only equivalent of the same rule (locals + a precondition on
# terraform_data comparing millisecond numbers). Runs alternate between the two variants so that
# noise on a shared machine hits both alike; prints medians and the ratio.
# Usage: scripts/bench-plan.sh TERRAFORM BUILD_DIR  (the provider binary must be in BUILD_DIR)
# Env: BENCH_PLAN_RUNS (default 5), BENCH_PLAN_SIZES (default "1 200 1000").
set -euo pipefail
tf="$1"
build="$2"
runs="${BENCH_PLAN_RUNS:-5}"
sizes="${BENCH_PLAN_SIZES:-1 200 1000}"
work="$build/bench-plan"
rm -rf "$work" && mkdir -p "$work"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/nginx-keepalive/nginxkeepalive" = "$build"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
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

plan_seconds() { # $1 = directory; prints the wall time of one plan
	local start end
	start=$(date +%s.%N)
	if ! "$tf" -chdir="$1" plan -input=false -lock=false -no-color >"$1/plan.log" 2>&1; then
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
printf '%-10s %14s %14s %8s %10s\n' resources "provider (s)" "HCL only (s)" ratio "delta (s)"
for n in $sizes; do
	mkdir -p "$work/provider-$n" "$work/hcl-$n"
	provider_config "$n" >"$work/provider-$n/main.tf"
	hcl_config "$n" >"$work/hcl-$n/main.tf"
	# One untimed plan each warms the file cache and checks that both variants plan cleanly.
	plan_seconds "$work/provider-$n" >/dev/null
	plan_seconds "$work/hcl-$n" >/dev/null
	: >"$work/provider-$n.times"
	: >"$work/hcl-$n.times"
	for _ in $(seq 1 "$runs"); do
		plan_seconds "$work/provider-$n" >>"$work/provider-$n.times"
		plan_seconds "$work/hcl-$n" >>"$work/hcl-$n.times"
	done
	p=$(median <"$work/provider-$n.times")
	h=$(median <"$work/hcl-$n.times")
	awk -v n="$n" -v p="$p" -v h="$h" 'BEGIN { printf "%-10s %14.3f %14.3f %7.2fx %+10.3f\n", n, p, h, p / h, p - h }'
done
echo "bench-plan: targets are <= 1.25x at 1000 resources and <= +0.20 s at 1 (raw times in $work/*.times)"
