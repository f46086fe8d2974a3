#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh WORKDIR
#
# `make install` and `make uninstall` into a DESTDIR (no root side effects):
# the exact list of installed files for the default PREFIX and for a
# distribution layout, file modes, the udev rule and sysusers.d group
# agreeing, pkg-config paths, and an uninstall that leaves no file behind.
# Also checks that dkms.conf's version is module/version.h's.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

work=${1:?usage: install.sh WORKDIR}
rm -rf "$work"
mkdir -p "$work"
cd "$RP_ROOT"

version=$(scripts/version.sh)
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ "$conf_version" = "$version" ] ||
	die "dkms.conf PACKAGE_VERSION \"$conf_version\" != module/version.h $version"
msg "dkms.conf version $conf_version matches module/version.h"

kdir=
for d in /usr/src/linux-headers-*; do
	[ -f "$d/Module.symvers" ] && { kdir=$d; break; }
done
[ -n "$kdir" ] || die "no kernel header tree installed (apt install linux-headers-<release>)"
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
lv() { sed -n "s/^#define LIBREMOTEPROC_VERSION_$1[[:space:]]*\([0-9]*\)$/\1/p" include/libremoteproc.h; }
libver=$(lv MAJOR).$(lv MINOR).$(lv PATCH)

# files DIR: every non-directory under DIR, with its type and mode.
files() {
	(cd "$1" && find . ! -type d -printf '%y %m %p\n' | sort -k3)
}

# round NAME EXPECTED-LIST MAKE-VARS...
round() {
	local name=$1 want=$2 dest=$work/$1
	shift 2
	make -s install DESTDIR="$dest" KDIR="$kdir" "$@" >"$work/$name.log" 2>&1 ||
		{ cat "$work/$name.log" >&2; die "$name: make install failed"; }
	files "$dest" > "$work/$name.got"
	sort -k3 <<<"$want" > "$work/$name.want"
	diff -u "$work/$name.want" "$work/$name.got" >&2 ||
		die "$name: installed files differ from the expected list (- expected, + got)"
	msg "$name: $(wc -l < "$work/$name.got") files as expected"

	# The device policy: the rule's group is the one sysusers.d creates.
	local rule sysusers
	rule=$(find "$dest" -name 60-remote-proc.rules)
	sysusers=$(find "$dest" -path '*/sysusers.d/remote-proc.conf')
	grep -qE '^KERNEL=="remote-proc",.*GROUP="remoteproc", MODE="0660"$' "$rule" ||
		die "$name: udev rule does not give remoteproc 0660: $(grep -v '^#' "$rule")"
	grep -qx 'g remoteproc -' "$sysusers" || die "$name: sysusers.d does not create remoteproc"

	# Both headers through the pkg-config file alone: the uapi header is in
	# the project's own directory (include/remote-proc/linux), not in the
	# kernel headers' include/linux.
	local cflags
	cflags=$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 \
		PKG_CONFIG_LIBDIR=$(dirname "$(find "$dest" -name libremoteproc.pc)") \
		pkg-config --cflags libremoteproc)
	# shellcheck disable=SC2086
	printf '#include <libremoteproc.h>\n#include <linux/remote_proc.h>\nint v = REMOTE_PROC_API;\n' |
		gcc -Wall -Werror -fsyntax-only -x c - $cflags ||
		die "$name: <linux/remote_proc.h> is not found through pkg-config --cflags libremoteproc ($cflags)"

	make -s uninstall DESTDIR="$dest" KDIR="$kdir" "$@" >>"$work/$name.log" 2>&1 ||
		{ cat "$work/$name.log" >&2; die "$name: make uninstall failed"; }
	if [ -n "$(find "$dest" ! -type d)" ]; then
		find "$dest" ! -type d >&2
		die "$name: make uninstall left files behind"
	fi
	msg "$name: make uninstall removed every file"
}

# man3 PREFIX: the library's section-3 pages as installed under PREFIX.
man3() {
	local p
	for p in "$RP_ROOT"/lib/man/*.3; do
		echo "f 644 ./$1/share/man/man3/${p##*/}"
	done
}

round default "\
$(man3 usr/local)
f 644 ./lib/modules/$krel/extra/remote_proc.ko
f 755 ./usr/local/bin/remote-proc
f 644 ./usr/local/include/libremoteproc.h
f 644 ./usr/local/include/remote-proc/linux/remote_proc.h
f 644 ./usr/local/lib/libremoteproc.a
l 777 ./usr/local/lib/libremoteproc.so
l 777 ./usr/local/lib/libremoteproc.so.$(lv MAJOR)
f 755 ./usr/local/lib/libremoteproc.so.$libver
f 644 ./usr/local/lib/pkgconfig/libremoteproc.pc
f 644 ./usr/local/lib/sysusers.d/remote-proc.conf
f 644 ./usr/local/lib/udev/rules.d/60-remote-proc.rules
f 644 ./usr/local/share/bash-completion/completions/remote-proc
f 644 ./usr/local/share/man/man1/remote-proc.1"

# A distribution's layout, with the optional modules-load.d file.
ma=$(gcc -print-multiarch)
round distro "\
$(man3 usr)
f 644 ./lib/modules/$krel/extra/remote_proc.ko
f 755 ./usr/bin/remote-proc
f 644 ./usr/include/libremoteproc.h
f 644 ./usr/include/remote-proc/linux/remote_proc.h
f 644 ./usr/lib/$ma/libremoteproc.a
l 777 ./usr/lib/$ma/libremoteproc.so
l 777 ./usr/lib/$ma/libremoteproc.so.$(lv MAJOR)
f 755 ./usr/lib/$ma/libremoteproc.so.$libver
f 644 ./usr/lib/$ma/pkgconfig/libremoteproc.pc
f 644 ./usr/lib/modules-load.d/remote-proc.conf
f 644 ./usr/lib/sysusers.d/remote-proc.conf
f 644 ./usr/lib/udev/rules.d/60-remote-proc.rules
f 644 ./usr/share/bash-completion/completions/remote-proc
f 644 ./usr/share/man/man1/remote-proc.1" \
	PREFIX=/usr LIBDIR=/usr/lib/$ma MODULES_LOAD=yes

# libxpmem-remoteproc, installed on its own (make install-xpmem).
dest=$work/xpmem
make -s install-xpmem DESTDIR="$dest" PREFIX=/usr LIBDIR=/usr/lib/$ma >"$work/xpmem.log" 2>&1 ||
	{ cat "$work/xpmem.log" >&2; die "make install-xpmem failed"; }
files "$dest" > "$work/xpmem.got"
sort -k3 > "$work/xpmem.want" <<EOF2
f 644 ./usr/include/xpmem.h
l 777 ./usr/lib/$ma/libxpmem.so
l 777 ./usr/lib/$ma/libxpmem.so.0
f 755 ./usr/lib/$ma/libxpmem.so.0.1.0
f 644 ./usr/lib/$ma/pkgconfig/cray-xpmem.pc
EOF2
diff -u "$work/xpmem.want" "$work/xpmem.got" >&2 ||
	die "install-xpmem: installed files differ from the expected list"
grep -qx "libdir=/usr/lib/$ma" "$dest/usr/lib/$ma/pkgconfig/cray-xpmem.pc" ||
	die "cray-xpmem.pc: wrong libdir"
make -s uninstall-xpmem DESTDIR="$dest" PREFIX=/usr LIBDIR=/usr/lib/$ma >>"$work/xpmem.log" 2>&1 ||
	die "make uninstall-xpmem failed"
[ -z "$(find "$dest" ! -type d)" ] || die "make uninstall-xpmem left files behind"
msg "install-xpmem: 5 files as expected, all removed again"

# The pkg-config file names the directories of its install.
make -s -C lib install OUT="$RP_ROOT/build/lib" DESTDIR="$work/pc" PREFIX=/usr \
	LIBDIR=/usr/lib/$ma >/dev/null
pc=$work/pc/usr/lib/$ma/pkgconfig/libremoteproc.pc
grep -qx "libdir=/usr/lib/$ma" "$pc" || die "libremoteproc.pc: wrong libdir: $(grep libdir= "$pc")"
grep -qx "Version: $libver" "$pc" || die "libremoteproc.pc: wrong version"
msg "libremoteproc.pc names /usr/lib/$ma and version $libver"
