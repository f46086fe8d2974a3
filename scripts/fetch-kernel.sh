#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh ABI [SUITE]
#
# Make a Debian kernel available to the harness without installing it: its
# packages are fetched with `apt-get download` and unpacked into
# $RP_CACHE/kernels/<ABI>/root, and $RP_CACHE/kernels/<ABI>/vmlinuz points
# at its image. Prints that cache directory.
#
# SUITE is the Debian suite the kernel comes from (default: the host's).
# From the host's suite, the host's apt fetches the image and installs the
# matching headers (the module is built against /usr/src/linux-headers-
# <ABI>). From another suite, a private apt configuration fetches the image
# (scripts/suite-apt.sh) and the headers live in that suite's chroot
# (scripts/in-chroot.sh), never on the host.
#
# Debian's packaging differs between releases: up to 6.12 one package,
# linux-image-<ABI>-unsigned, holds /boot/vmlinuz-<ABI> and the modules;
# from 7.x the kernel is linux-binary-unsigned-<ABI>
# (/usr/lib/modules/<ABI>/vmlinuz.unsigned) and the modules are
# linux-modules-<ABI>, with config and modules.builtin in linux-base-<ABI>.
# Newer releases keep modules in /usr/lib/modules; the unpacked root then
# gets lib -> usr/lib, as on a merged-/usr system, so that depmod -b and the
# initramfs find them under lib/modules either way.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

abi=${1:?usage: fetch-kernel.sh ABI [SUITE]}
suite=${2:-$(host_suite)}
dir=$RP_CACHE/kernels/$abi

if [ "$suite" = "$(host_suite)" ]; then
	apt_install "linux-headers-$abi"
	aptget() { apt-get "$@"; }
else
	aptget() { "$RP_ROOT/scripts/suite-apt.sh" "$suite" apt-get "$@"; }
fi
# A cache entry from before vmlinuz was recorded is fetched again.
if [ -f "$dir/done" ] && [ -e "$dir/vmlinuz" ]; then
	echo "$dir"
	exit 0
fi

# download PKG...: into $dir/dl; false if any is not in the archive.
download() {
	(cd "$dir/dl" && aptget download -q "$@" >/dev/null 2>&1)
}

rm -rf "$dir"
mkdir -p "$dir/dl"
if ! download "linux-image-$abi-unsigned"; then
	# A fresh machine may not have package lists yet (the private lists of
	# other suites are refreshed by suite-apt.sh itself).
	[ "$suite" != "$(host_suite)" ] || as_root apt-get update -qq
	download "linux-image-$abi-unsigned" ||
		download "linux-binary-unsigned-$abi" "linux-modules-$abi" "linux-base-$abi" ||
		die "the $suite archive has neither linux-image-$abi-unsigned nor linux-binary-unsigned-$abi"
fi
for deb in "$dir"/dl/*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
done
rm -rf "$dir/dl"

if [ ! -d "$dir/root/lib/modules/$abi" ] && [ -d "$dir/root/usr/lib/modules/$abi" ]; then
	[ -e "$dir/root/lib" ] && die "$dir/root has /lib but its modules are in /usr/lib"
	ln -s usr/lib "$dir/root/lib"
fi
for f in "boot/vmlinuz-$abi" "usr/lib/modules/$abi/vmlinuz.unsigned" \
	"usr/lib/modules/$abi/vmlinuz"; do
	if [ -f "$dir/root/$f" ]; then
		ln -sfn "root/$f" "$dir/vmlinuz"
		break
	fi
done
[ -e "$dir/vmlinuz" ] || die "the packages of $abi hold no kernel image"
# The packages leave modules.dep to the installer; the initramfs needs it.
depmod -b "$dir/root" "$abi" || die "depmod for $abi failed"
touch "$dir/done"
echo "$dir"
