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

# shellcheck source=scripts/cli-lib.sh
. "$(dirname "$0")/cli-lib.sh"
cli_given_or_on_path terraform TF_ACC_TERRAFORM_PATH 8 || true

built="$cache/terraform-$pinned/terraform"
if [ ! -x "$built" ]; then
	echo "terraform: no terraform >= 1.8 found; building v$pinned with go install into $cache (once, ~5 min)" >&2
	mkdir -p "$cache/terraform-$pinned"
	GOBIN="$cache/terraform-$pinned" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@v$pinned" >&2
fi
echo "terraform: using $built (cached go install of v$pinned)" >&2
echo "$built"
