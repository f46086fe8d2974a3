#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh [OUTDIR]: build the Debian packages (make deb) into OUTDIR
# (build/deb/ by default): remote-proc-dkms (all), libremoteproc1,
# libremoteproc-dev, remote-proc-utils, libxpmem-remoteproc0 and
# libxpmem-remoteproc-dev (this machine's architecture).
# Builds from a copy of the tree (without build/ and .git), so the
# repository stays clean. Installs the build dependencies with apt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install build-essential dpkg-dev fakeroot debhelper dh-dkms

version=$("$RP_ROOT/scripts/version.sh")
deb_version=$(dpkg-parsechangelog -l "$RP_ROOT/debian/changelog" -S Version)
[ "${deb_version%-*}" = "$version" ] ||
	die "debian/changelog is at $deb_version but module/version.h says $version: add a changelog entry (dch -v $version)"

out=${1:-$RP_ROOT/build/deb}
work=$out-build
rm -rf "$work" "$out"
mkdir -p "$work/remote-proc-$version" "$out"
tar -C "$RP_ROOT" --exclude=./build --exclude=./.git --exclude=./remote_proc.ko \
	--exclude='*.o' --exclude='*.ko' -cf - . | tar -C "$work/remote-proc-$version" -xf -

msg "dpkg-buildpackage (log: $work/build.log)"
if ! (cd "$work/remote-proc-$version" &&
	dpkg-buildpackage -us -uc -b -j"$(nproc)") >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log" >&2
	die "dpkg-buildpackage failed (full log: $work/build.log)"
fi
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out/"
rm -rf "$work"
for d in "$out"/*.deb; do
	printf '%s\n' "$(basename "$d")"
done
