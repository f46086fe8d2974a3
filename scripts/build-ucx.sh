#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-ucx.sh
#
# Build UCX, the XPMEM client the suite runs over libxpmem-remoteproc, from
# Debian's source package and unmodified, the way a user of the packages
# builds it: `apt-get source ucx` from bookworm (a private deb-src list, see
# scripts/suite-apt.sh --src), autoreconf, and a plain configure that finds
# XPMEM through pkg-config's cray-xpmem, as on a machine where
# libxpmem-remoteproc-dev is installed: the packages are built (mkdeb.sh)
# and unpacked with dpkg-deb into a root that pkg-config and the linker are
# pointed at (the host's own /usr is not touched). Then make install-strip
# with prefix /opt/ucx. Prints the directory whose opt/ucx mkinitramfs.sh
# copies into the guest.
#
# Cached in $RP_CACHE/ucx/<version>-<hash of xpmem.h and this script> and
# reused: UCX links libxpmem.so.0 dynamically, so a change of the shim's
# code needs no rebuild, a change of its header does. A cold build takes
# about 5 minutes on an idle 2-core machine (mostly configure and make).
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

# The libraries' packages, unpacked as dpkg would install them.
msg "ucx: building the packages (mkdeb.sh) and unpacking the libraries'"
"$RP_ROOT/scripts/mkdeb.sh" "$tmp/debs" >&2
root=$tmp/root
for p in libremoteproc1 libremoteproc-dev libxpmem-remoteproc0 libxpmem-remoteproc-dev; do
	deb=$(echo "$tmp/debs/${p}_"*.deb)
	[ -f "$deb" ] || die "ucx: mkdeb.sh built no $p package"
	dpkg-deb -x "$deb" "$root"
done
libdir=$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# pkg-config sees only the unpacked packages, with their paths under $root
# (the system directories kept, as they are the packages' own here).
export PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$libdir/pkgconfig
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
pkg-config --exists cray-xpmem || die "ucx: libxpmem-remoteproc-dev has no cray-xpmem.pc"

msg "ucx: configuring (XPMEM through pkg-config cray-xpmem; --enable-cma)"
cd "$tmp/src"
./autogen.sh >"$tmp/autogen.log" 2>&1 || { tail -20 "$tmp/autogen.log" >&2; die "ucx: autogen.sh failed"; }
# Only what the tests use: shared memory transports (xpmem, cma, sysv,
# posix) and the tools; no CPU-specific code (the guest's CPU is emulated).
# libremoteproc.so.1, which libxpmem.so.0 needs, is found through
# -rpath-link while linking, as the installed package is found in the
# default library path.
./configure --prefix=/opt/ucx --disable-static --disable-doxygen-doc \
	--disable-numa --disable-logging --disable-debug --enable-mt --enable-cma \
	--without-java --without-go --without-cuda --without-rocm --without-verbs \
	--without-rdmacm --without-knem --without-ugni --without-fuse3 \
	--without-valgrind --without-bfd --without-avx --without-sse41 \
	--without-sse42 --without-mcpu --without-march \
	LDFLAGS="-Wl,-rpath-link,$libdir" \
	>"$tmp/configure.log" 2>&1 || { tail -20 "$tmp/configure.log" >&2; die "ucx: configure failed"; }
grep -q 'UCT modules: *<.*xpmem' "$tmp/configure.log" ||
	die "ucx: configure did not enable the xpmem transport (see $tmp/configure.log)"
grep -q "^XPMEM_CFLAGS = -I$root/usr/include" src/uct/sm/mm/xpmem/Makefile ||
	die "ucx: configure did not take XPMEM from the unpacked libxpmem-remoteproc-dev"

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
