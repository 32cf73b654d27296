#!/usr/bin/env bash
# make demo: runs `terraform plan` on examples/demo/ with the freshly built provider.
set -euo pipefail
tf="$1"
build="$2"
work="$build/demo"
rm -rf "$work" && mkdir -p "$work"
cp -R examples/demo/. "$work/"

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

echo "== terraform plan on examples/demo (provider from $build) =="
"$tf" -chdir="$work" plan -input=false -no-color
