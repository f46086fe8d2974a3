#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# in-chroot.sh SUITE CMD [ARG...]    run CMD in the chroot of Debian SUITE
# in-chroot.sh --root SUITE          print the chroot's path
#
# Kernels of Debian suites newer than the host's (trixie, sid, ...) must be
# built as their users build them: with the suite's own compiler (their
# headers carry its flags) and kbuild tools (which need its C library). Each
# such suite gets one cached minimal chroot (scripts/suite-chroot.sh) that
# holds, for every kernel of that suite in scripts/kernels.conf and
# scripts/build-kernels.conf, linux-headers-<ABI> (plus linux-base-<ABI> on
# 7.x, where the headers need its config), and dkms and openssl for the
# dkms build. Adding a kernel to either list changes the package set, so the
# next run makes a new chroot and drops the old one.
#
# The source tree, $RP_ROOT, is bind-mounted at the same path inside the
# chroot (and /proc is mounted there) while CMD runs, so project paths are
# the same inside and out: e.g.
#   in-chroot.sh sid "$RP_ROOT/scripts/build-module.sh" \
#       /usr/src/linux-headers-7.2.13+deb14-amd64 --testing
# leaves the module in $RP_ROOT/build/module/<release>-testing/ as on the
# host. CMD runs as root with a clean environment (PATH, HOME, TERM);
# its exit status is returned, and the mounts are undone on any exit.
#
# Runs for one suite are serialized with flock on $RP_CACHE/chroot/SUITE.lock
# (held throughout, so the chroot is neither set up twice nor replaced while
# in use). Needs root (through sudo otherwise).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || exec sudo -E "$0" "$@"

usage="usage: in-chroot.sh SUITE CMD [ARG...] | in-chroot.sh --root SUITE"
print_root=0
if [ "${1:-}" = --root ]; then
	print_root=1
	shift
fi
suite=${1:?$usage}
shift
[ $print_root = 1 ] || [ $# -gt 0 ] || die "$usage"

lock=$RP_CACHE/chroot/$suite.lock
mkdir -p "$RP_CACHE/chroot"
exec 9>"$lock"
flock -n 9 || { msg "waiting for $lock"; flock 9; }
export RP_CHROOT_LOCKED=$lock

pkgs=(dkms openssl)
abis=$(suite_abis "$suite")
[ -n "$abis" ] || die "no kernel of suite '$suite' in scripts/kernels.conf or build-kernels.conf"
for abi in $abis; do
	pkgs+=("linux-headers-$abi")
	major=${abi%%.*}
	if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 7 ]; then
		pkgs+=("linux-base-$abi")
	fi
done
root=$("$RP_ROOT/scripts/suite-chroot.sh" "$suite" "${pkgs[@]}")
for abi in $abis; do
	[ -f "$root/usr/src/linux-headers-$abi/include/generated/utsrelease.h" ] ||
		die "$suite chroot $root has no kernel build tree for $abi"
done
if [ $print_root = 1 ]; then
	echo "$root"
	exit 0
fi

unmount_all() {
	local m rc=0
	while read -r m; do
		[ -n "$m" ] || continue
		# A process of CMD may take a moment to let go of it.
		umount "$m" 2>/dev/null || { sleep 1; umount "$m" 2>/dev/null; } ||
			umount -l "$m" || rc=1
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

rc=0
chroot "$root" /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM="${TERM:-dumb}" "$@" || rc=$?
exit $rc
