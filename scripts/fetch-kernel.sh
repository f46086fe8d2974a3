#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh ABI
#
# Make a Debian kernel available to the harness without installing it:
# the image package is fetched with `apt-get download` and unpacked into
# $RP_CACHE/kernels/<ABI>/root; the matching headers are installed with apt
# (the module is built against /usr/src/linux-headers-<ABI>). Prints the
# cache directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

abi=${1:?usage: fetch-kernel.sh ABI}
dir=$RP_CACHE/kernels/$abi

apt_install "linux-headers-$abi"
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

pkg=linux-image-$abi-unsigned
rm -rf "$dir"
mkdir -p "$dir/dl"
if ! (cd "$dir/dl" && apt-get download -q "$pkg" >/dev/null 2>&1); then
	# A fresh machine may not have package lists yet.
	as_root apt-get update -qq
	(cd "$dir/dl" && apt-get download -q "$pkg" >/dev/null) ||
		die "apt-get download $pkg failed"
fi
dpkg-deb -x "$dir"/dl/*.deb "$dir/root"
rm -rf "$dir/dl"
[ -f "$dir/root/boot/vmlinuz-$abi" ] || die "$pkg has no /boot/vmlinuz-$abi"
# The package leaves modules.dep to the installer; the initramfs needs it.
depmod -b "$dir/root" "$abi" || die "depmod for $abi failed"
touch "$dir/done"
echo "$dir"
