# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the remote-proc build and test scripts. Sourced, not run.

RP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RP_CACHE=${RP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/remote-proc}

msg()  { printf '[+] %s\n' "$*" >&2; }
warn() { printf '[!] %s\n' "$*" >&2; }
die()  { printf '[x] %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	else
		command -v sudo >/dev/null || die "need root (or sudo) for: $*"
		sudo "$@"
	fi
}

# apt_install PKG...: install the packages that are not installed yet.
# One apt-get update per process, and only when something is missing.
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	msg "apt: installing ${missing[*]}"
	if [ -z "${RP_APT_UPDATED:-}" ]; then
		as_root apt-get update -qq || die "apt-get update failed"
		export RP_APT_UPDATED=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null || die "apt-get install ${missing[*]} failed"
}

# Kernel table: name, Debian ABI (empty for the self-built debug kernel).
# Loaded from scripts/kernels.conf.
kernels_load() {
	RP_KERNEL_NAMES=()
	declare -gA RP_KERNEL_ABI=() RP_KERNEL_ARGS=()
	local name abi args
	while read -r name abi args; do
		case "$name" in ''|'#'*) continue ;; esac
		RP_KERNEL_NAMES+=("$name")
		RP_KERNEL_ABI[$name]=$abi
		RP_KERNEL_ARGS[$name]=$args
	done < "$RP_ROOT/scripts/kernels.conf"
}

sha_of() { cat "$@" | sha256sum | cut -c1-12; }
