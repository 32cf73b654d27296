#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI (>= 1.7, the first with provider-defined functions) for the tests,
# and one line on stderr saying which binary is used and why. Order:
#   1. TOFU_PATH, if the user set it;
#   2. a tofu >= 1.7 on PATH;
#   3. a cached build of v1.12.6 under $NKA_CACHE, built once from the Go module proxy (OpenTofu cannot be
#      `go install`ed: its go.mod replaces hcl with OpenTofu's fork, so it is built inside the module).
set -euo pipefail

cache="${NKA_CACHE:-$HOME/.cache/nginxkeepalive}"
pinned="1.12.6"

# shellcheck source=scripts/cli-lib.sh
. "$(dirname "$0")/cli-lib.sh"
cli_given_or_on_path tofu TOFU_PATH 7 || true

dir="$cache/tofu-$pinned"
built="$dir/tofu"
if [ ! -x "$built" ]; then
	echo "tofu: no tofu >= 1.7 found; building v$pinned from the Go module proxy into $dir (once, ~10 min)" >&2
	mkdir -p "$dir"
	src=$(go mod download -json "github.com/opentofu/opentofu@v$pinned" | sed -n 's/.*"Dir": *"\(.*\)".*/\1/p')
	[ -d "$src" ] || { echo "tofu: go mod download gave no module directory" >&2; exit 1; }
	# The module cache is read-only and -mod=mod may update go.sum, so build in a writable copy.
	work=$(mktemp -d "$dir/src.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	cp -r "$src/." "$work"
	chmod -R u+w "$work"
	# version.dev=no drops the "-dev" suffix from `tofu version` (see the module's version/version.go).
	(cd "$work" && GOFLAGS=-mod=mod go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
		-o "$built.tmp" ./cmd/tofu) >&2
	mv "$built.tmp" "$built"
fi
echo "tofu: using $built (cached build of v$pinned)" >&2
echo "$built"
