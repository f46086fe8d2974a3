#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-chroot.sh SUITE PKG...
#
# Create (once) a minimal chroot of Debian SUITE (trixie, sid, ...) that
# holds PKG... plus what an out-of-tree module build needs (make, the
# suite's default gcc, libelf-dev, bc, kmod), and print its path:
#   $RP_CACHE/chroot/<SUITE>-<hash>
# where the hash covers RECIPE below and the sorted package list. Bump
# RECIPE when a change here changes the chroot.
#
# A Debian kernel's headers must be used with that suite's own toolchain
# (their kbuild binaries need its glibc), hence a chroot per suite.
# The chroot is made by mmdebstrap (installed from the host's suite if
# missing) in a temporary directory that is renamed into place when
# complete; its top holds "done" (the recipe and package list),
# "setup-seconds" and "size" (du -sh). Only the newest chroot of a suite is
# kept. Sources: deb.debian.org SUITE main, plus SUITE-security for suites
# other than sid/unstable/experimental. The Release files may be past their
# Valid-Until (pinned or old suites), so apt does not check it.
# To keep it small, dpkg leaves out documentation, translations and the
# kernel modules of any linux-image package (6.12 headers depend on the
# image; a module build needs none of it), and no initramfs is generated.
# The host's apt state is not touched (mmdebstrap uses its own apt
# configuration and lists). Needs root (through sudo otherwise).
#
# Runs are serialized per suite with flock on $RP_CACHE/chroot/SUITE.lock;
# a caller that already holds that lock exports RP_CHROOT_LOCKED=<lock path>.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

RECIPE=2
BASE_PKGS=(make gcc libc6-dev libelf-dev bc kmod)
MIRROR=http://deb.debian.org/debian
SECURITY=http://security.debian.org/debian-security

usage="usage: suite-chroot.sh SUITE PKG..."
suite=${1:?$usage}
shift
case "$suite" in
''|*/*|.*|*[!A-Za-z0-9.+_-]*) die "bad suite name '$suite'" ;;
esac

mapfile -t pkgs < <(printf '%s\n' "${BASE_PKGS[@]}" "$@" | sed '/^$/d' | LC_ALL=C sort -u)
hash=$(printf '%s\n' "recipe $RECIPE" "suite $suite" "${pkgs[@]}" | sha256sum | cut -c1-12)
top=$RP_CACHE/chroot
dir=$top/$suite-$hash
mkdir -p "$top"

lock=$top/$suite.lock
if [ "${RP_CHROOT_LOCKED:-}" != "$lock" ]; then
	exec 9>"$lock"
	flock -n 9 || { msg "waiting for $lock"; flock 9; }
fi

if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

# remove_tree DIR: remove a chroot, never through a mount left inside it
# (a bind mount of the source tree, say).
remove_tree() {
	local m
	while read -r m; do
		[ -n "$m" ] || continue
		warn "unmounting leftover $m"
		as_root umount "$m" || as_root umount -l "$m" || return 1
	done < <(mounts_under "$1")
	[ -z "$(mounts_under "$1")" ] || { warn "mounts remain under $1; not removing it"; return 1; }
	as_root rm -rf --one-file-system "$1"
}

command -v mmdebstrap >/dev/null || apt_install mmdebstrap

sources=("deb $MIRROR $suite main")
case "$suite" in
sid|unstable|experimental) ;;
*) sources+=("deb $SECURITY $suite-security main") ;;
esac

tmp=$top/.tmp-$suite-$hash
log=$top/.tmp-$suite-$hash.log
for t in "$tmp" "$dir"; do
	[ ! -e "$t" ] || remove_tree "$t" || die "cannot remove stale $t"
done
cleanup() {
	[ ! -e "$tmp" ] || remove_tree "$tmp" || warn "could not remove $tmp"
	rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

msg "creating $suite chroot $dir (${pkgs[*]})"
start=$(date +%s)
incl=$(IFS=,; echo "${pkgs[*]}")
if ! as_root env INITRD=No mmdebstrap --mode=root --variant=minbase --include="$incl" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--aptopt='Acquire::Languages "none"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/lib/modules/*/kernel/*' \
	--logfile="$log" \
	"$suite" "$tmp" "${sources[@]}" </dev/null; then
	tail -40 "$log" >&2
	die "mmdebstrap $suite failed"
fi
as_root mkdir -p "$tmp/var/log"
as_root cp "$log" "$tmp/var/log/mmdebstrap.log"

# Every requested package must be installed (apt would have failed
# otherwise, but a package list is cheap to check).
missing=()
for p in "${pkgs[@]%%[=/]*}"; do
	as_root chroot "$tmp" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || die "$suite chroot lacks ${missing[*]}"

secs=$(( $(date +%s) - start ))
size=$(as_root du -sh --one-file-system "$tmp" | cut -f1)
echo "$secs" | as_root tee "$tmp/setup-seconds" >/dev/null
echo "$size" | as_root tee "$tmp/size" >/dev/null
printf '%s\n' "recipe $RECIPE" "suite $suite" "${pkgs[@]}" | as_root tee "$tmp/done" >/dev/null
as_root mv -T "$tmp" "$dir"
msg "$suite chroot ready in $secs s, $size: $dir"

# Keep only the newest chroot of this suite.
for old in "$top/$suite"-*; do
	[ -d "$old" ] && [ "$old" != "$dir" ] || continue
	[[ ${old##*/} =~ ^"$suite"-[0-9a-f]{12}$ ]] || continue
	msg "removing older $suite chroot $old"
	remove_tree "$old" || warn "could not remove $old"
done
echo "$dir"
