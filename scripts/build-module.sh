#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR [--testing] [--allow-warnings]
#
# Build remote_proc.ko against the kernel build tree KDIR in a per-kernel
# shadow tree, build/module/<release>[-testing]/ (symlinks to the sources),
# so that builds for several kernels never share objects. Runs the compat
# probes first when their inputs changed. Prints the path of the .ko.
#
# --testing adds the test-only hooks (module/testing.c) used by the harness.
# --allow-warnings keeps compiler warnings from failing the build (dkms
# builds on users' machines, where a newer compiler may warn); the test
# suite's builds always fail on a warning.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: build-module.sh KDIR [--testing] [--allow-warnings]"
kdir=${1:?$usage}
shift
testing= allow_warnings=0
for a in "$@"; do
	case "$a" in
	--testing) testing=--testing ;;
	--allow-warnings) allow_warnings=1 ;;
	*) die "$usage" ;;
	esac
done
if [ ! -f "$kdir/include/generated/utsrelease.h" ]; then
	trees=$(ls -d /usr/src/linux-headers-*/include/generated/utsrelease.h 2>/dev/null |
		sed 's|/include/generated/utsrelease.h$||' | tr '\n' ' ')
	die "no kernel build tree at $kdir: install the headers of the running kernel (apt install linux-headers-$(uname -r)), or build for an installed tree with make KDIR=<dir>${trees:+ (installed: ${trees% })}"
fi
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")

b=$RP_ROOT/build/module/$krel${testing:+-testing}
mkdir -p "$b"
# Refresh the symlink farm (new files appear, removed ones disappear).
find "$b" -type l -delete
cp -as "$RP_ROOT/Kbuild" "$RP_ROOT/module" "$RP_ROOT/uapi" "$b/"

hdr=$b/module/compat/rp_autoconf.h
if [ ! -f "$hdr" ] || [ -n "$(find "$RP_ROOT/module/compat" "$RP_ROOT/scripts/compat-probe.sh" \
	"$kdir/Module.symvers" -newer "$hdr" -print -quit)" ]; then
	"$RP_ROOT/scripts/compat-probe.sh" "$kdir" "$hdr"
fi

flags=()
[ "$testing" = --testing ] && flags+=(REMOTE_PROC_TESTING=1)
if ! make -C "$kdir" M="$b" "${flags[@]}" modules >"$b/build.log" 2>&1; then
	cat "$b/build.log" >&2
	die "module build failed for $krel"
fi
if grep -E 'warning:|error:' "$b/build.log" >&2; then
	[ $allow_warnings = 1 ] || die "module build for $krel has warnings"
	warn "module build for $krel has warnings (allowed)"
fi
echo "$b/remote_proc.ko"
