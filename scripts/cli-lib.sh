# Sourced by terraform-cli.sh and tofu-cli.sh: the part of resolving a CLI that both share.

# cli_version_ok BIN MIN_MINOR: true when BIN reports a 1.x version >= 1.MIN_MINOR (OpenTofu keeps
# Terraform's "terraform_version" JSON key).
cli_version_ok() {
	local v major minor
	v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p' | head -n1)
	[ -n "$v" ] || return 1
	major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
	[ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge "$2" ]; }
}

# cli_given_or_on_path NAME VAR MIN_MINOR: prints the binary named by $VAR, else a NAME >= 1.MIN_MINOR on
# PATH, with one line on stderr saying which and why, and exits 0; returns 1 when neither applies.
cli_given_or_on_path() {
	local name=$1 var=$2 given=${!2:-} onpath
	if [ -n "$given" ]; then
		echo "$name: using $given ($var is set)" >&2
		echo "$given"
		exit 0
	fi
	if onpath=$(command -v "$name" 2>/dev/null) && cli_version_ok "$onpath" "$3"; then
		echo "$name: using $onpath ($("$onpath" version 2>/dev/null | head -n1) found on PATH)" >&2
		echo "$onpath"
		exit 0
	fi
	return 1
}
