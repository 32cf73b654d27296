#!/usr/bin/env bash
# make demo: plans examples/demo/ with the freshly built provider, then a deliberately violating
# configuration whose plan must fail with the rule's message.
set -euo pipefail
tf="$1"
build="$2"
work="$build/demo"
rm -rf "$work" && mkdir -p "$work"
cp -R examples/demo/. "$work/"

# OpenTofu resolves the provider's address on its own registry, so the override is keyed there.
host=registry.terraform.io
name=terraform
if "$tf" version 2>/dev/null | grep -q '^OpenTofu v'; then
	host=registry.opentofu.org
	name=tofu
fi

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "$host/nginx-keepalive/nginxkeepalive" = "$build"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

echo "== 1. $name plan on examples/demo: recommendation for gunicorn + Tomcat + Node.js 20 =="
"$tf" -chdir="$work" plan -input=false -no-color 2>&1 | grep -v -e 'Provider development overrides' -e '^ - nginx-keepalive' || {
	echo "demo: the plan of examples/demo failed" >&2
	exit 1
}

echo
echo "== 2. $name plan on examples/demo/violation: nginx's default 60s in front of gunicorn =="
if "$tf" -chdir="$work/violation" plan -input=false -no-color >"$work/violation.log" 2>&1; then
	cat "$work/violation.log"
	echo "demo: the violating plan passed, but it must fail" >&2
	exit 1
fi
sed -n '/Error:/,$p' "$work/violation.log"
echo
echo "demo: the second plan failed as expected: nginx must close before gunicorn does."
