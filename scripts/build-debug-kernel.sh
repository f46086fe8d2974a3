#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug 6.12 kernel used by `make check`, from Debian's
# linux-source-6.12 package and tests/qemu/debug-kernel.config.
#
# The result is cached under $RP_CACHE/debug-kernel/<source version>-<hash>,
# where the hash covers the config fragment and RECIPE below, and is reused
# until either changes. Bump RECIPE when a change here changes the kernel.
# On success the build directory (usable as KDIR for out-of-tree modules) is
# printed on stdout; the installed module tree is in ../modroot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

frag=$RP_ROOT/tests/qemu/debug-kernel.config
RECIPE=1
apt_install linux-source-6.12 bc bison flex libelf-dev libssl-dev xz-utils \
	build-essential

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$srcver-$( (cat "$frag"; echo "recipe $RECIPE") | sha256sum | cut -c1-12)
top=$RP_CACHE/debug-kernel/$key
if [ -f "$top/done" ]; then
	echo "$top/build"
	exit 0
fi

msg "building debug kernel $key (about 15 minutes on 2 cores)"
rm -rf "$top"
mkdir -p "$top"
tar -C "$top" -xf /usr/src/linux-source-6.12.tar.xz
mv "$top"/linux-source-6.12 "$top/src"

mkdir -p "$top/build"
make -s -C "$top/src" O="$top/build" KCONFIG_ALLCONFIG="$frag" allnoconfig \
	>"$top/config.log" 2>&1 || { cat "$top/config.log"; die "allnoconfig failed"; }
make -s -C "$top/src" O="$top/build" olddefconfig >>"$top/config.log" 2>&1

# Every symbol of the fragment must have survived dependency resolution.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) want="# ${line%=n} is not set" ;;
	CONFIG_*) want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" "$top/build/.config"; then
		warn "debug config: wanted '$line', got: $(grep -E "^(# )?${line%%=*}[= ]" "$top/build/.config" || echo absent)"
		bad=1
	fi
done < "$frag"
[ $bad = 0 ] || die "debug kernel config lost symbols (see above)"

start=$(date +%s)
if ! make -C "$top/src" O="$top/build" -j"$(nproc)" bzImage modules \
	>"$top/build.log" 2>&1; then
	tail -40 "$top/build.log" >&2
	die "debug kernel build failed (log: $top/build.log)"
fi
msg "debug kernel built in $(( $(date +%s) - start )) s"
make -s -C "$top/src" O="$top/build" INSTALL_MOD_PATH="$top/modroot" \
	modules_install >>"$top/build.log" 2>&1 || die "modules_install failed"

# Keep only the current build in the cache.
for old in "$RP_CACHE"/debug-kernel/*; do
	[ "$old" = "$top" ] || rm -rf "$old"
done
touch "$top/done"
echo "$top/build"
