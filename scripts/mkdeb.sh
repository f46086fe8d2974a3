#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh [OUTDIR]: build the Debian source package and the binary
# packages (make deb) into OUTDIR (build/deb/ by default):
#   remote-proc_VERSION.orig.tar.xz   the work tree's files that git tracks
#                                     or would add (not ignored), as they
#                                     are now (uncommitted changes are in),
#                                     without debian/; reproducible (sorted,
#                                     owner 0, mtime of debian/changelog's
#                                     entry)
#   remote-proc_VERSION-REV.debian.tar.xz, .dsc   (3.0 (quilt), unsigned)
#   remote-proc-dkms (all), libremoteproc1, libremoteproc-dev,
#   remote-proc-utils, libxpmem-remoteproc0 and libxpmem-remoteproc-dev
#   (this machine's architecture), and the upload's .changes and .buildinfo
# Builds from the orig tarball unpacked with debian/ added, so the
# repository stays clean. Installs the build dependencies with apt.
# Outside a git checkout the orig tarball is made from every file but
# build/ and build products.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install build-essential dpkg-dev fakeroot debhelper dh-dkms

version=$("$RP_ROOT/scripts/version.sh")
deb_version=$(dpkg-parsechangelog -l "$RP_ROOT/debian/changelog" -S Version)
[ "${deb_version%-*}" = "$version" ] ||
	die "debian/changelog is at $deb_version but module/version.h says $version: add a changelog entry (dch -v $version)"

out=${1:-$RP_ROOT/build/deb}
work=$out-build
src=remote-proc-$version
orig=remote-proc_$version.orig.tar.xz
rm -rf "$work" "$out"
mkdir -p "$work" "$out"

# tracked FILTER: the files of the work tree that git tracks or would add
# (not ignored), NUL separated: those under debian/ (FILTER=debian) or all
# but those (FILTER=upstream).
tracked() {
	git -C "$RP_ROOT" ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		case "$f" in debian/*) [ "$1" = debian ] || continue ;; *) [ "$1" != debian ] || continue ;; esac
		if [ -e "$RP_ROOT/$f" ] || [ -L "$RP_ROOT/$f" ]; then printf '%s\0' "$f"; fi
	done
}
files() {
	if git -C "$RP_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		tracked "$1"
	elif [ "$1" = debian ]; then
		(cd "$RP_ROOT" && find debian ! -type d -print0)
	else
		(cd "$RP_ROOT" && find . ! -type d ! -path './build/*' ! -path './debian/*' \
			! -name '*.o' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' \
			! -name '*.cmd' -printf '%P\0')
	fi
}
epoch=$(dpkg-parsechangelog -l "$RP_ROOT/debian/changelog" -S Timestamp)
files upstream | LC_ALL=C sort -z | tar -C "$RP_ROOT" --null -T - --mtime="@$epoch" \
	--owner=0 --group=0 --numeric-owner --mode=go-w --transform="s,^,$src/," -cf - |
	xz -6 -T1 > "$work/$orig"
tar -C "$work" -xJf "$work/$orig"
files debian | tar -C "$RP_ROOT" --null -T - -cf - | tar -C "$work/$src" -xf -

msg "dpkg-buildpackage, source and binary (log: $work/build.log)"
if ! (cd "$work/$src" &&
	dpkg-buildpackage -us -uc -j"$(nproc)") >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log" >&2
	die "dpkg-buildpackage failed (full log: $work/build.log)"
fi
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$work"/*.dsc "$work"/*.tar.* "$out/"
rm -rf "$work"
for d in "$out"/*.dsc "$out"/*.deb; do
	printf '%s\n' "$(basename "$d")"
done
