#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded time each ($1, e.g. 30s).
set -euo pipefail
fuzztime="${1:-30s}"
for pkg in $(go list ./internal/...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz: $pkg $target for $fuzztime"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
	done
done
