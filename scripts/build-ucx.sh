#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-ucx.sh
#
# Build UCX, the XPMEM client the suite runs over libxpmem-remoteproc, from
# Debian's source package and unmodified, the way a user of the shim builds
# it: `apt-get source ucx` from bookworm (a private deb-src list, see
# scripts/suite-apt.sh --src), autoreconf, configure --with-xpmem=<the shim
# installed into a staging root> --enable-cma, make install-strip with
# prefix /opt/ucx. Prints the directory whose opt/ucx mkinitramfs.sh copies
# into the guest.
#
# Cached in $RP_CACHE/ucx/<version>-<hash of xpmem.h and this script> and
# reused: UCX links libxpmem.so.0 dynamically, so a change of the shim's
# code needs no rebuild, a change of its header does. A cold build takes
# about 4 minutes on an idle 2-core machine (mostly configure and make).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The release the MPI stacks of Debian 12 carry.
UCX_SUITE=bookworm
UCX_VERSION=1.13.1-1

apt_install autoconf automake libtool pkg-config dpkg-dev g++ make

key=$UCX_VERSION-$(sha_of "$RP_ROOT/xpmem/xpmem.h" "$0")
dir=$RP_CACHE/ucx/$key

# Print the cached build and stop, when there is one.
use_cache() {
	[ -x "$dir/opt/ucx/bin/ucx_perftest" ] || return 0
	echo "$dir"
	exit 0
}

use_cache
mkdir -p "$RP_CACHE/ucx"
exec 9>"$RP_CACHE/ucx/lock"
flock 9
use_cache	# another run may have built it while this one waited

tmp=$(mktemp -d "$RP_CACHE/ucx/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

msg "ucx: fetching the source of ucx $UCX_VERSION ($UCX_SUITE)"
(cd "$tmp" && "$RP_ROOT/scripts/suite-apt.sh" --src "$UCX_SUITE" apt-get source \
	-qq --download-only "ucx=$UCX_VERSION" >&2)
# Debian's patches applied, as the package is built.
(cd "$tmp" && dpkg-source -q -x "ucx_$UCX_VERSION.dsc" src >&2)

# The shim as `make install-userspace install-xpmem PREFIX=/usr` lays it
# out (the same files as libxpmem-remoteproc-dev and libremoteproc-dev).
stage=$tmp/stage
make -s -C "$RP_ROOT/lib" install OUT="$tmp/out/lib" DESTDIR="$stage" PREFIX=/usr >&2
make -s -C "$RP_ROOT/xpmem" install OUT="$tmp/out/xpmem" LIBOUT="$tmp/out/lib" \
	DESTDIR="$stage" PREFIX=/usr >&2

msg "ucx: configuring (--with-xpmem=<staged libxpmem-remoteproc> --enable-cma)"
cd "$tmp/src"
./autogen.sh >"$tmp/autogen.log" 2>&1 || { tail -20 "$tmp/autogen.log" >&2; die "ucx: autogen.sh failed"; }
# Only what the tests use: shared memory transports (xpmem, cma, sysv,
# posix) and the tools; no CPU-specific code (the guest's CPU is emulated).
# libremoteproc.so.1 is found through -rpath-link while linking, as the
# installed package is found in the default library path.
./configure --prefix=/opt/ucx --disable-static --disable-doxygen-doc \
	--disable-numa --disable-logging --disable-debug --enable-mt --enable-cma \
	--without-java --without-go --without-cuda --without-rocm --without-verbs \
	--without-rdmacm --without-knem --without-ugni --without-fuse3 \
	--without-valgrind --without-bfd --without-avx --without-sse41 \
	--without-sse42 --without-mcpu --without-march \
	--with-xpmem="$stage/usr" LDFLAGS="-Wl,-rpath-link,$stage/usr/lib" \
	>"$tmp/configure.log" 2>&1 || { tail -20 "$tmp/configure.log" >&2; die "ucx: configure failed"; }
grep -q 'UCT modules: *<.*xpmem' "$tmp/configure.log" ||
	die "ucx: configure did not enable the xpmem transport (see $tmp/configure.log)"

msg "ucx: building"
make -j"$(nproc)" >"$tmp/make.log" 2>&1 || { tail -30 "$tmp/make.log" >&2; die "ucx: make failed"; }
make install-strip DESTDIR="$tmp/inst" >"$tmp/install.log" 2>&1 ||
	{ tail -20 "$tmp/install.log" >&2; die "ucx: make install failed"; }
[ -e "$tmp/inst/opt/ucx/lib/ucx/libuct_xpmem.so.0" ] ||
	die "ucx: the xpmem transport module was not installed"
# The headers stay, for the suite's own UCP program (tests/ucx/); the
# guest gets bin/ and lib/ only (mkinitramfs.sh).
rm -rf "$tmp/inst/opt/ucx/share" "$tmp/inst/opt/ucx/lib/cmake"
find "$tmp/inst" -name '*.la' -delete
mv "$tmp/inst" "$dir"
echo "$dir"
