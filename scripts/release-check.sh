#!/usr/bin/env bash
# Exercises the release pipeline without publishing anything: `goreleaser check`, then a snapshot release of
# .goreleaser.yml (no signing, no publishing) into dist/, then verifies what the Terraform registry needs:
#   - one terraform-provider-nginxkeepalive_<version>_<os>_<arch>.zip per target, each holding exactly one
#     terraform-provider-nginxkeepalive_v<version> binary (.exe on windows) built for that OS/arch,
#     statically (CGO_ENABLED=0), with -trimpath and the version set by ldflags;
#   - _SHA256SUMS listing every zip and the manifest, with matching sums;
#   - _manifest.json equal to terraform-registry-manifest.json and declaring protocol 6.0.
# goreleaser is installed once with `go install` into $NKA_CACHE and reused.
# Run by `make release-check` (and .ci/run); the full OS/arch matrix is built only here.
set -euo pipefail

GORELEASER_VERSION="v2.15.1"
PROJECT="terraform-provider-nginxkeepalive"
# The registry's usual targets: {linux,darwin,windows,freebsd} x {amd64,386,arm,arm64} minus darwin/386
# (no such port) and windows/arm (removed in Go 1.26). Kept here, independent of .goreleaser.yml, as the oracle.
EXPECTED_TARGETS=(
	darwin_amd64 darwin_arm64
	freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
	linux_386 linux_amd64 linux_arm linux_arm64
	windows_386 windows_amd64 windows_arm64
)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
cache="${NKA_CACHE:-$HOME/.cache/nginxkeepalive}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
goreleaser="$cache/goreleaser-$GORELEASER_VERSION/goreleaser"
started=$SECONDS

fail() {
	echo "release-check: FAIL: $*" >&2
	exit 1
}
phase() { echo "release-check: [$((SECONDS - started))s] $*"; }

need_unzip() {
	command -v unzip >/dev/null && return 0
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		phase "installing unzip (apt-get)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends unzip >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends unzip >/dev/null; }
		return 0
	fi
	fail "unzip is missing: install it (e.g. apt-get install unzip)"
}

install_goreleaser() {
	if [ -x "$goreleaser" ] && "$goreleaser" --version 2>/dev/null | grep -q "GitVersion: *$GORELEASER_VERSION\$"; then
		phase "goreleaser $GORELEASER_VERSION: using cached $goreleaser"
		return
	fi
	phase "goreleaser $GORELEASER_VERSION: building with go install into $(dirname "$goreleaser") (once; ~10 min on 2 cores)"
	mkdir -p "$(dirname "$goreleaser")"
	GOBIN="$(dirname "$goreleaser")" go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
}

# snapshot_version reads the version goreleaser gave the snapshot from dist/metadata.json.
snapshot_version() {
	local v
	v=$(tr -d '\n' <dist/metadata.json | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
	[ -n "$v" ] || fail "dist/metadata.json has no version"
	echo "$v"
}

# check_zip verifies one target's archive: exactly one provider binary, built for that OS/arch as configured.
check_zip() {
	local version=$1 target=$2 tmp=$3
	local os=${target%%_*} arch=${target#*_}
	local zip="dist/${PROJECT}_${version}_${target}.zip"
	local binary="${PROJECT}_v${version}"
	[ "$os" = windows ] && binary="$binary.exe"
	[ -f "$zip" ] || fail "missing archive $zip"

	local entries providers
	entries=$(unzip -Z1 "$zip")
	providers=$(grep -c "^${PROJECT}" <<<"$entries" || true)
	[ "$providers" -eq 1 ] || fail "$zip: expected exactly one ${PROJECT}* binary, found $providers: $(tr '\n' ' ' <<<"$entries")"
	grep -qxF "$binary" <<<"$entries" || fail "$zip: expected $binary, found $(tr '\n' ' ' <<<"$entries")"

	# The binary's embedded build info says how it was really built (readable for ELF, Mach-O and PE).
	unzip -o -q "$zip" "$binary" -d "$tmp/$target"
	local info
	info=$(go version -m "$tmp/$target/$binary") || fail "$zip: $binary is not a Go binary"
	grep -qE "build[[:space:]]+GOOS=$os\$" <<<"$info" || fail "$zip: binary is not built for GOOS=$os"
	grep -qE "build[[:space:]]+GOARCH=$arch\$" <<<"$info" || fail "$zip: binary is not built for GOARCH=$arch"
	grep -qE "build[[:space:]]+CGO_ENABLED=0\$" <<<"$info" || fail "$zip: binary is not built with CGO_ENABLED=0"
	grep -qE "build[[:space:]]+-trimpath=true\$" <<<"$info" || fail "$zip: binary is not built with -trimpath"
	# With -trimpath Go does not record -ldflags in the build info, so the version string is in the binary only
	# when `-X main.version=...` took effect (main.version exists and was set).
	grep -qaF "$version" "$tmp/$target/$binary" || fail "$zip: version $version is not embedded (-X main.version)"
	rm -f "$tmp/$target/$binary"
}

check_checksums() {
	local version=$1 sums="${PROJECT}_${version}_SHA256SUMS"
	[ -f "dist/$sums" ] || fail "missing dist/$sums"
	local target
	for target in "${EXPECTED_TARGETS[@]}"; do
		grep -qE "^[0-9a-f]{64}  ${PROJECT}_${version}_${target}\.zip\$" "dist/$sums" ||
			fail "$sums does not list ${PROJECT}_${version}_${target}.zip"
	done
	grep -qE "^[0-9a-f]{64}  ${PROJECT}_${version}_manifest\.json\$" "dist/$sums" || fail "$sums does not list the manifest"
	(cd dist && sha256sum --check --strict --quiet "$sums") || fail "$sums does not match the files in dist/"
}

# stage_manifest puts the manifest into dist/ under the name release.extra_files uploads it as: goreleaser
# checksums terraform-registry-manifest.json in place and attaches it only when publishing.
stage_manifest() {
	local version=$1 manifest="dist/${PROJECT}_${version}_manifest.json"
	[ -f terraform-registry-manifest.json ] || fail "missing terraform-registry-manifest.json"
	cp terraform-registry-manifest.json "$manifest"
}

check_manifest() {
	local version=$1 manifest="dist/${PROJECT}_${version}_manifest.json"
	[ -f "$manifest" ] || fail "missing $manifest"
	tr -d ' \t\n' <"$manifest" | grep -qF '"protocol_versions":["6.0"]' || fail "$manifest does not declare protocol 6.0"
}

main() {
	command -v go >/dev/null || fail "go is not on PATH"
	git rev-parse --verify -q HEAD >/dev/null || fail "goreleaser needs a git repository with at least one commit"
	need_unzip
	install_goreleaser

	phase "goreleaser check"
	"$goreleaser" check

	phase "goreleaser release --snapshot --clean --skip=sign,publish (full OS/arch matrix)"
	"$goreleaser" release --snapshot --clean --skip=sign,publish 2>&1 | tee "$tmp/goreleaser.log" ||
		fail "snapshot release failed (goreleaser's output above)"
	cp "$tmp/goreleaser.log" dist/goreleaser.log

	local version target
	version=$(snapshot_version)
	phase "verifying artefacts of snapshot $version (goreleaser's log: dist/goreleaser.log)"

	for target in "${EXPECTED_TARGETS[@]}"; do
		check_zip "$version" "$target" "$tmp"
	done
	local zips
	zips=$(find dist -maxdepth 1 -name "${PROJECT}_*.zip" | wc -l)
	[ "$zips" -eq "${#EXPECTED_TARGETS[@]}" ] || fail "expected ${#EXPECTED_TARGETS[@]} zips in dist/, found $zips"
	stage_manifest "$version"
	check_checksums "$version"
	check_manifest "$version"

	echo "release-check: artefacts (dist/):"
	(cd dist && ls -l -- "${PROJECT}_${version}"_*.zip "${PROJECT}_${version}_SHA256SUMS" "${PROJECT}_${version}_manifest.json" |
		awk '{printf "  %10s  %s\n", $5, $NF}')
	phase "OK: ${#EXPECTED_TARGETS[@]} zips, SHA256SUMS verified, manifest protocol 6.0 (signing and publishing skipped)"
}

# Sourcing the file (tests, debugging) defines the checks without running them.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
