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

version_ok() { # $1 = binary; true when it reports >= 1.7 (tofu keeps Terraform's JSON key)
	local v
	v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p' | head -n1)
	[ -n "$v" ] || return 1
	local major minor
	major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
	[ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 7 ]; }
}

if [ -n "${TOFU_PATH:-}" ]; then
	echo "tofu: using $TOFU_PATH (TOFU_PATH is set)" >&2
	echo "$TOFU_PATH"
	exit 0
fi

if onpath=$(command -v tofu 2>/dev/null) && version_ok "$onpath"; then
	echo "tofu: using $onpath ($("$onpath" version 2>/dev/null | head -n1) found on PATH)" >&2
	echo "$onpath"
	exit 0
fi

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
