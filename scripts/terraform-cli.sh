#!/usr/bin/env bash
# Prints the path of a Terraform CLI (>= 1.8, the first with provider-defined functions) for the tests,
# and one line on stderr saying which binary is used and why. Order:
#   1. TF_ACC_TERRAFORM_PATH, if the user set it;
#   2. a terraform >= 1.8 on PATH;
#   3. a cached build of v1.8.5 under $NKA_CACHE, built once with `go install` (release downloads are not
#      reachable from every machine; newer tags cannot be go-installed because of replace directives).
set -euo pipefail

cache="${NKA_CACHE:-$HOME/.cache/nginxkeepalive}"
pinned="1.8.5"

version_ok() { # $1 = binary; true when it reports >= 1.8
	local v
	v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p' | head -n1)
	[ -n "$v" ] || return 1
	local major minor
	major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
	[ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }
}

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
	echo "terraform: using $TF_ACC_TERRAFORM_PATH (TF_ACC_TERRAFORM_PATH is set)" >&2
	echo "$TF_ACC_TERRAFORM_PATH"
	exit 0
fi

if onpath=$(command -v terraform 2>/dev/null) && version_ok "$onpath"; then
	echo "terraform: using $onpath ($("$onpath" version 2>/dev/null | head -n1) found on PATH)" >&2
	echo "$onpath"
	exit 0
fi

built="$cache/terraform-$pinned/terraform"
if [ ! -x "$built" ]; then
	echo "terraform: no terraform >= 1.8 found; building v$pinned with go install into $cache (once, ~5 min)" >&2
	mkdir -p "$cache/terraform-$pinned"
	GOBIN="$cache/terraform-$pinned" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@v$pinned" >&2
fi
echo "terraform: using $built (cached go install of v$pinned)" >&2
echo "$built"
