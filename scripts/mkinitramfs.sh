#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KREL MODROOT KO TESTDIR OUTPUT [DKMS_KO]
#
# Pack the test guest's initramfs:
#   /init                 static PID 1 (tests/qemu/init.c)
#   /tests                test programs and their run list
#   /lib/modules/KREL     remote_proc.ko in extra/, plus the distro modules
#                         the tests need (from MODROOT/lib/modules/KREL),
#                         depmod'd so that modprobe works as on a real system;
#                         DKMS_KO (the module as dkms installed it) in
#                         updates/dkms/, for t_dkms
#   /etc/depmod.d         an override that makes modprobe pick extra/ (the
#                         build with test hooks) over updates/dkms/
#   /sbin/kmod            modprobe, insmod, rmmod, lsmod, modinfo
#   /bin/busybox          a shell and tools for the tests
#   /usr/bin, /usr/lib    libremoteproc and remote-proc (TESTDIR/sysroot)
#   /opt/ucx              UCX built over libxpmem-remoteproc, when RP_UCX_DIR
#                         names a scripts/build-ucx.sh output (for t_ucx)
# plus the shared libraries all of these need.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

krel=$1 modroot=$2 ko=$3 testdir=$4 out=$5 dkms_ko=${6:-}
# Distro modules the tests use when present (built in on the debug kernel).
guest_mods="zram ext4 loop"

st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
chmod 755 "$st"		# the guest's root directory
mkdir -p "$st"/{bin,sbin,etc/depmod.d,proc,sys,dev,tmp,run,tests} \
	"$st/lib/modules/$krel/extra" "$st/usr/bin" "$st/usr/sbin"

cp "$testdir/init" "$st/init"
find "$testdir" -maxdepth 1 -type f ! -name init -exec cp {} "$st/tests/" \;
# Helpers named *_suid are setuid root (all files are root-owned, see cpio).
for f in "$st"/tests/*_suid; do
	[ -f "$f" ] && chmod 4755 "$f"
done

# The userspace library and CLI, laid out as `make install` does
# (tests/Makefile stages them in TESTDIR/sysroot): /usr/bin, /usr/lib.
if [ -d "$testdir/sysroot" ]; then
	cp -a "$testdir/sysroot/." "$st/"
fi

cp /bin/busybox "$st/bin/busybox"
for a in $(/bin/busybox --list); do
	case "$a" in
	busybox|init|linuxrc|modprobe|insmod|rmmod|lsmod|modinfo|depmod) ;;
	*) ln -sf busybox "$st/bin/$a" ;;
	esac
done
cp "$(command -v kmod)" "$st/sbin/kmod"
for a in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf kmod "$st/sbin/$a"
done

if [ -n "${RP_UCX_DIR:-}" ]; then
	[ -x "$RP_UCX_DIR/opt/ucx/bin/ucx_perftest" ] || die "no UCX build in $RP_UCX_DIR"
	mkdir -p "$st/opt/ucx"
	cp -a "$RP_UCX_DIR/opt/ucx/bin" "$RP_UCX_DIR/opt/ucx/lib" "$st/opt/ucx/"
	rm -rf "$st/opt/ucx/lib/pkgconfig"
fi

# Shared libraries of every dynamic executable and library in the image
# (those the image carries itself resolved there, and not copied twice).
for f in "$st"/sbin/kmod "$st"/tests/* "$st"/usr/lib/*.so* "$st"/opt/ucx/bin/* \
		"$st"/opt/ucx/lib/*.so* "$st"/opt/ucx/lib/ucx/*.so*; do
	[ -f "$f" ] || continue
	LD_LIBRARY_PATH="$st/usr/lib:$st/opt/ucx/lib" ldd "$f" 2>/dev/null |
		grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$st/" || true
done | sort -u | while read -r lib; do
	mkdir -p "$st$(dirname "$lib")"
	cp -L "$lib" "$st$lib"
done

# The module under test, where modules built out of tree go.
cp "$ko" "$st/lib/modules/$krel/extra/remote_proc.ko"
# The dkms build, where dkms installs it (possibly compressed: .ko.xz).
# depmod's default order prefers updates/; the override keeps the suite on
# the build under test until t_dkms lifts it.
if [ -n "$dkms_ko" ]; then
	mkdir -p "$st/lib/modules/$krel/updates/dkms"
	cp "$dkms_ko" "$st/lib/modules/$krel/updates/dkms/"
fi
echo "override remote_proc * extra" > "$st/etc/depmod.d/remote-proc-harness.conf"

# Distro modules and their dependencies.
src=$modroot/lib/modules/$krel
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$src/$f" ] && cp "$src/$f" "$st/lib/modules/$krel/"
done
for m in $guest_mods; do
	modprobe -d "$modroot" -S "$krel" --show-depends "$m" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }' |
		while read -r f; do
			rel=${f#"$modroot"}
			mkdir -p "$st$(dirname "$rel")"
			cp "$f" "$st$rel"
		done
done
depmod -b "$st" -C "$st/etc/depmod.d" "$krel"

cat > "$st/etc/passwd" <<'PW'
root:x:0:0:root:/tmp:/bin/sh
rpuser:x:1000:1000:remote-proc test user:/tmp:/bin/sh
rpother:x:1001:1001:remote-proc other user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$st/etc/group" <<'GR'
root:x:0:
rpuser:x:1000:
rpother:x:1001:
remoteproc:x:990:rpuser,rpother
nogroup:x:65534:
GR

(cd "$st" && find . -print0 | cpio --null -o -H newc --quiet --owner=0:0) |
	gzip -1 > "$out"
