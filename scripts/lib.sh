# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the remote-proc build and test scripts. Sourced, not run.

RP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "$RP_ROOT" in
*[[:space:]]*)
	printf '[x] the path "%s" contains a space, which make and kbuild cannot handle: move or clone remote-proc to a path without spaces\n' \
		"$RP_ROOT" >&2
	exit 1 ;;
esac
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

# Kernel table, from scripts/kernels.conf: name, Debian suite ("-" for the
# self-built debug kernel), Debian ABI ("debug" for that one), boot args.
kernels_load() {
	RP_KERNEL_NAMES=()
	declare -gA RP_KERNEL_SUITE=() RP_KERNEL_ABI=() RP_KERNEL_ARGS=()
	local name suite abi args
	while read -r name suite abi args; do
		case "$name" in ''|'#'*) continue ;; esac
		RP_KERNEL_NAMES+=("$name")
		RP_KERNEL_SUITE[$name]=$suite
		RP_KERNEL_ABI[$name]=$abi
		RP_KERNEL_ARGS[$name]=$args
	done < "$RP_ROOT/scripts/kernels.conf"
}

# suite_abis SUITE: the ABIs of SUITE's kernels in scripts/kernels.conf and
# scripts/build-kernels.conf (kernels only compiled for), one per line.
suite_abis() {
	local name suite abi rest
	while read -r name suite abi rest; do
		case "$name" in ''|'#'*) continue ;; esac
		[ "$suite" = "$1" ] && echo "$abi"
	done < "$RP_ROOT/scripts/kernels.conf"
	while read -r suite rest; do
		case "$suite" in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2086 # the ABIs, split
		[ "$suite" = "$1" ] && printf '%s\n' $rest
	done < "$RP_ROOT/scripts/build-kernels.conf"
	return 0
}

sha_of() { cat "$@" | sha256sum | cut -c1-12; }

# The Debian suite of this host (bookworm, trixie, ...), from os-release.
host_suite() (
	VERSION_CODENAME=
	# shellcheck disable=SC1091
	. /etc/os-release
	echo "${VERSION_CODENAME:-unknown}"
)

# prepare_kernel NAME (a name from scripts/kernels.conf, after kernels_load):
# fetch or build the kernel and set
#   KDIR       the build tree to build the module against, as seen by the
#              build command
#   KDIR_HOST  the same tree seen from the host
#   VMLINUZ    the image to boot
#   MODROOT    a root holding lib/modules/<release> (the distro's modules)
#   RP_RUN     the command prefix builds run under: empty on the host, the
#              suite's chroot (scripts/in-chroot.sh) for kernels of other
#              Debian suites
# or return 1.
prepare_kernel() {
	local name=$1 abi=${RP_KERNEL_ABI[$1]} suite=${RP_KERNEL_SUITE[$1]} dir root
	RP_RUN=()
	if [ "$abi" = debug ]; then
		KDIR=$("$RP_ROOT/scripts/build-debug-kernel.sh") || return 1
		KDIR_HOST=$KDIR
		VMLINUZ=$KDIR/arch/x86/boot/bzImage
		MODROOT=$(dirname "$KDIR")/modroot
		return 0
	fi
	dir=$("$RP_ROOT/scripts/fetch-kernel.sh" "$abi" "$suite") || return 1
	KDIR=/usr/src/linux-headers-$abi
	KDIR_HOST=$KDIR
	VMLINUZ=$dir/vmlinuz
	MODROOT=$dir/root
	if [ "$suite" != "$(host_suite)" ]; then
		root=$("$RP_ROOT/scripts/in-chroot.sh" --root "$suite") || return 1
		KDIR_HOST=$root$KDIR
		RP_RUN=("$RP_ROOT/scripts/in-chroot.sh" "$suite")
	fi
}

# mounts_under DIR: the mount points at or below DIR, deepest first.
mounts_under() {
	local esc=${1// /\\040}
	awk -v d="$esc" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts |
		sort -r | sed 's/\\040/ /g'
}
