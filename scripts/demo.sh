#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: `make demo`. Sets up what it needs (host packages, a Debian
# kernel, the module, the library and the CLI; the same cache as
# `make check`), boots the kernel in QEMU and runs the narrated scenario
# tests/demo/demo.sh in the guest, streaming the guest's console here.
# Exits 0 only if the guest reports that every step worked.
#
# Environment: RP_DEMO_KERNEL (a name from scripts/kernels.conf, default
# 6.12), RP_CACHE, RP_TIMEOUT (seconds for the guest, default 300).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
kernels_load
name=${RP_DEMO_KERNEL:-6.12}
abi=${RP_KERNEL_ABI[$name]:-}
[ -n "$abi" ] || die "unknown kernel '$name' (known: ${RP_KERNEL_NAMES[*]})"
out=$RP_ROOT/build/demo
mkdir -p "$out"

msg "installing host packages (first run only)"
apt_install qemu-system-x86 busybox-static kmod libkmod-dev cpio gzip \
	xz-utils bc flex bison libelf-dev libssl-dev build-essential

msg "building libremoteproc, remote-proc and the guest programs"
make -s -C "$RP_ROOT/tests" OUT="$RP_ROOT/build/tests" >"$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	die "build failed"
}

msg "preparing kernel $name (downloaded once, then cached in $RP_CACHE)"
prepare_kernel "$name" || die "could not prepare kernel $name"
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$KDIR_HOST/include/generated/utsrelease.h")

msg "building the module for $krel"
ko=$("${RP_RUN[@]}" "$RP_ROOT/scripts/build-module.sh" "$KDIR") || die "module build failed"
"$RP_ROOT/scripts/mkinitramfs.sh" "$krel" "$MODROOT" "$ko" "$RP_ROOT/build/tests" \
	"$out/initrd.gz" || die "initramfs failed"

# run-qemu.sh runs one guest at a time on this machine; say so if we wait.
exec 8>"${TMPDIR:-/tmp}/remote-proc-qemu.lock"
flock -n 8 || msg "another QEMU guest is running (make check?); waiting for it"
exec 8>&-

args=(rp.demo=1 quiet loglevel=3)
[ -t 1 ] && args+=(rp.color=1)
msg "booting $krel in QEMU (no KVM: a few seconds); the guest's console follows"
echo
# No old log may be streamed (run-qemu.sh would remove it only later).
rm -f "$out/console.log" "$out/result.ktap"
"$RP_ROOT/scripts/run-qemu.sh" "$VMLINUZ" "$out/initrd.gz" "$out" "${RP_TIMEOUT:-300}" \
	"${args[@]}" &
qpid=$!
# From the demo's first line (firmware and kernel noise before it) to its
# end (the power-off message after it).
tail -n +1 -F --pid=$qpid "$out/console.log" 2>/dev/null |
	sed -u -n '/remote-proc demo on Linux/,$ { /reboot: Power down/d; p }'
wait $qpid
rc=$?
echo

secs=$(( $(date +%s) - t0 ))
if grep -aE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace:|general protection' \
	"$out/console.log" >"$out/splats.txt"; then
	warn "the kernel reported problems (full log: $out/console.log):"
	head -20 "$out/splats.txt" >&2
	die "demo FAILED after $secs s"
fi
if ! grep -q '^# remote-proc-demo: success' "$out/result.ktap" 2>/dev/null; then
	[ $rc = 124 ] && warn "the guest did not finish within ${RP_TIMEOUT:-300} s"
	die "demo FAILED after $secs s (console log: $out/console.log)"
fi
msg "demo succeeded in $secs s"
