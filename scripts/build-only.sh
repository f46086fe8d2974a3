#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-only.sh SUITE ABI...
#
# Compile remote_proc.ko for Debian kernels that are not booted (the
# flavours of scripts/build-kernels.conf), and build it through dkms in a
# private dkms tree, as the Debian package does on users' machines (dkms.conf's
# BUILD_EXCLUSIVE_CONFIG and KERNEL_MIN included). On the host for the
# host's suite (headers installed with apt), in the suite's chroot
# (scripts/in-chroot.sh) otherwise. Work trees: $RP_ROOT/build/build-only/.
# Fails on any build failure or compiler warning.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=${1:?usage: build-only.sh SUITE ABI...}
shift
run=()
if [ "$suite" = "$(host_suite)" ]; then
	apt_install "${@/#/linux-headers-}"
else
	run=("$RP_ROOT/scripts/in-chroot.sh" "$suite")
fi
for abi in "$@"; do
	kdir=/usr/src/linux-headers-$abi
	msg "$suite $abi: module"
	"${run[@]}" "$RP_ROOT/scripts/build-module.sh" "$kdir" >/dev/null
	msg "$suite $abi: dkms"
	"${run[@]}" "$RP_ROOT/scripts/dkms-build.sh" "$RP_ROOT/build/build-only/$abi" "$kdir"
done
