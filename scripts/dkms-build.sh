#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh WORKDIR KDIR
#
# Build and install remote_proc.ko with dkms, as `make dkms-install` and the
# Debian package do, but in a private dkms tree under WORKDIR, so that
# nothing on the machine changes:
#   WORKDIR/src/remote-proc-VERSION   the source tree (scripts/dkms-source.sh)
#   WORKDIR/dkms                      dkms's tree (--dkmstree)
#   WORKDIR/lib/modules/KREL/updates/dkms/remote_proc.ko   (--installtree)
# On kernels with CONFIG_MODULE_SIG, dkms signs the module, as it does on
# users' machines, but with a key generated under WORKDIR/key instead of
# /var/lib/dkms/mok.key.
# Fails if any dkms step fails, if dkms skips the kernel, or if the build
# had compiler warnings. Prints the path of the installed .ko.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work=${1:?usage: dkms-build.sh WORKDIR KDIR}
kdir=${2:?usage: dkms-build.sh WORKDIR KDIR}
command -v dkms >/dev/null || die "dkms is not installed (apt install dkms)"
[ -f "$kdir/include/generated/utsrelease.h" ] || die "no kernel build tree at $kdir"
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
version=$("$RP_ROOT/scripts/version.sh")

rm -rf "$work"
mkdir -p "$work/src" "$work/dkms" "$work/lib/modules/$krel" "$work/key"
"$RP_ROOT/scripts/dkms-source.sh" "$work/src/remote-proc-$version"
# As on an installed system, <installtree>/KREL/build is the kernel's build
# tree: dkms 3.2 looks for sign-file there (3.0 in /lib/modules/KREL/build).
ln -s "$kdir" "$work/lib/modules/$krel/build"

# dkms reads these from /etc/dkms/framework.conf when set there; otherwise
# the environment's values stand (and /var/lib/dkms stays untouched).
export mok_signing_key=$work/key/mok.key mok_certificate=$work/key/mok.pub
dk=(dkms --dkmstree "$work/dkms" --sourcetree "$work/src" --installtree "$work/lib/modules"
	-m remote-proc -v "$version" -k "$krel" --kernelsourcedir "$kdir")

step() {
	local rc=0
	msg "dkms $1 ($krel)"
	as_root env mok_signing_key="$mok_signing_key" mok_certificate="$mok_certificate" \
		"${dk[@]:0:7}" "$1" "${dk[@]:7}" ${2:+"$2"} >>"$work/dkms.log" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		cat "$work/dkms.log" >&2
		find "$work/dkms" -name make.log -exec cat {} + >&2 2>/dev/null || true
		[ $rc = 77 ] && die "dkms skipped $krel (BUILD_EXCLUSIVE_CONFIG not met?)"
		die "dkms $1 failed for $krel (exit status $rc)"
	fi
}
step add
step build
step install --no-depmod

log=$work/dkms/remote-proc/$version/$krel/x86_64/log/make.log
[ -f "$log" ] || die "dkms left no build log at $log"
if grep -E 'warning:|error:' "$log" >&2; then
	die "the dkms build for $krel has compiler warnings"
fi
if grep -q '^CONFIG_MODULE_SIG=y' "$kdir/.config"; then
	grep -q '^Signing module' "$work/dkms.log" || die "dkms did not sign the module for $krel"
fi
as_root "${dk[@]:0:7}" status -m remote-proc -v "$version" -k "$krel" 2>&1 |
	grep -q ': installed' || die "dkms status does not say installed for $krel"
# Compressed (.ko.xz) when the kernel compresses its modules.
ko=$(find "$work/lib/modules/$krel/updates/dkms" -name 'remote_proc.ko*' -print -quit)
[ -n "$ko" ] || die "dkms installed no module in $work/lib/modules/$krel/updates/dkms"
echo "$ko"
