#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot-build.sh SUITE ABI... [--testing]
#
# Build remote_proc.ko for each Debian kernel ABI (e.g. 6.12.118+deb13-amd64)
# inside a chroot of its own suite (SUITE: trixie, sid, ...), for kernels
# whose headers cannot be used on this host (their kbuild binaries need a
# newer glibc). The chroot (scripts/suite-chroot.sh) holds
# linux-headers-ABI and, for 7.x kernels, linux-base-ABI, of every ABI
# given (one chroot per suite: give all of a suite's ABIs at once).
#
# The source tree, $RP_ROOT, is bind-mounted at the same path inside the
# chroot (and /proc is mounted there) for the duration of the build only;
# the project's own scripts/build-module.sh /usr/src/linux-headers-ABI
# [--testing] then runs in the chroot with a clean environment, so the
# build lands in $RP_ROOT/build/module/<release>[-testing]/ as on the host.
# Prints the path of each .ko, which is the same inside and outside.
#
# Runs for one suite are serialized with flock on
# $RP_CACHE/chroot/SUITE.lock (held through the build, so the chroot is
# neither set up twice nor replaced under a build). Needs root (through
# sudo otherwise).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || exec sudo -E "$0" "$@"

usage="usage: chroot-build.sh SUITE ABI... [--testing]"
suite=${1:?$usage}
shift
testing= abis=()
for a in "$@"; do
	case "$a" in
	--testing) testing=--testing ;;
	''|.*|-*|*[!A-Za-z0-9.+_-]*) die "bad kernel ABI '$a'" ;;
	*) abis+=("$a") ;;
	esac
done
[ ${#abis[@]} -gt 0 ] || die "$usage"

lock=$RP_CACHE/chroot/$suite.lock
mkdir -p "$RP_CACHE/chroot"
exec 9>"$lock"
flock -n 9 || { msg "waiting for $lock"; flock 9; }
export RP_CHROOT_LOCKED=$lock

# 7.x Debian kernels split the image; their headers need linux-base-ABI
# (config, System.map), which the headers depend on in any case.
pkgs=()
for abi in "${abis[@]}"; do
	pkgs+=("linux-headers-$abi")
	major=${abi%%.*}
	if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 7 ]; then
		pkgs+=("linux-base-$abi")
	fi
done
root=$("$RP_ROOT/scripts/suite-chroot.sh" "$suite" "${pkgs[@]}")
for abi in "${abis[@]}"; do
	[ -f "$root/usr/src/linux-headers-$abi/include/generated/utsrelease.h" ] ||
		die "$suite chroot $root has no kernel build tree for $abi"
done

# mounts_under DIR: the mount points at or below DIR, deepest first.
mounts_under() {
	local esc=${1// /\\040}
	awk -v d="$esc" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts |
		sort -r | sed 's/\\040/ /g'
}
unmount_all() {
	local m rc=0
	while read -r m; do
		[ -n "$m" ] || continue
		umount "$m" || umount -l "$m" || rc=1
	done < <(mounts_under "$root")
	return $rc
}

# We hold the suite's lock: any mount in the chroot is left over from a
# run that was killed.
if [ -n "$(mounts_under "$root")" ]; then
	warn "unmounting leftovers in $root"
	unmount_all || die "cannot unmount leftovers in $root"
fi
trap 'unmount_all || warn "mounts remain under $root"' EXIT
trap 'exit 130' INT TERM HUP

mount -t proc proc "$root/proc"
mkdir -p "$root$RP_ROOT"
mount --bind "$RP_ROOT" "$root$RP_ROOT"
# mmdebstrap leaves device nodes in /dev; bind the host's if it did not.
for d in null zero full random urandom tty; do
	[ -c "$root/dev/$d" ] && continue
	[ -e "$root/dev/$d" ] || touch "$root/dev/$d"
	mount --bind "/dev/$d" "$root/dev/$d"
done

for abi in "${abis[@]}"; do
	msg "building remote_proc for $abi in the $suite chroot${testing:+ (testing)}"
	ko=$(chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root \
		bash -c '"$1" "$2" ${3:+"$3"}' bash \
		"$RP_ROOT/scripts/build-module.sh" "/usr/src/linux-headers-$abi" "$testing") ||
		die "module build for $abi in the $suite chroot failed"
	[ -f "$ko" ] || die "build-module.sh printed '$ko', which is not a file here"
	echo "$ko"
done
