#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh OUTDIR: host-side checks of libremoteproc's packaging and ABI.
#  - the shared library's soname is libremoteproc.so.1 and it exports
#    exactly the functions of include/libremoteproc.h (and of the version
#    script), each with the version of the script's node that lists it:
#    the calls of 1.0 keep LIBREMOTEPROC_1, later ones have their own;
#  - every public function has a complete kernel-doc comment (the
#    kernel's scripts/kernel-doc, from linux-source-6.12), and its
#    section-3 page in lib/man is what that comment makes now;
#  - the public header compiles alone as C99 (-pedantic, 64 and 32-bit)
#    and as C++;
#  - after `make install DESTDIR=...`, a program builds through pkg-config,
#    against the shared library and with --static against the archive.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

out=$(realpath -m "${1:?usage: check.sh OUTDIR}")
rm -rf "$out"
mkdir -p "$out"
cd "$RP_ROOT"
hdr=include/libremoteproc.h

make -s -C lib OUT="$out/lib"
# A 32-bit build too (the packages are Multi-Arch), built and linked, not
# run (this host need not run 32-bit code): the library asserts 64-bit file
# offsets at compile time, so this fails if its build ever loses them.
make -s -C lib OUT="$out/lib32" CFLAGS="-O2 -m32" LDFLAGS=-m32 ||
	die "the library does not build for 32-bit callers"
readelf -h "$out/lib32/libremoteproc.so.1" | grep -q 'Class:[[:space:]]*ELF32' ||
	die "the 32-bit build is not 32-bit"
so=$out/lib/libremoteproc.so
readelf -d "$so" | grep -q 'Library soname: \[libremoteproc.so.1\]' ||
	die "soname is not libremoteproc.so.1"

# Functions the header declares, the library exports, the map lists.
sed -n 's/^[a-z].*[ *]\(remote_proc_[a-z_]*\)(.*/\1/p' "$hdr" | sort >"$out/declared"
objdump -T "$so" | awk '$4 == ".text" { print $6, $7 }' | sort >"$out/exported"
awk '{ print $2 }' "$out/exported" | sort >"$out/exported.names"
sed -n 's/^[[:space:]]*\(remote_proc_[a-z_]*\);/\1/p' lib/libremoteproc.map | sort >"$out/mapped"
diff -u "$out/declared" "$out/exported.names" || die "exports differ from the header"
diff -u "$out/declared" "$out/mapped" || die "the version script differs from the header"
# "VERSION name" for each name the script lists, by the node it is in.
awk '/^[A-Z0-9_.]+ *\{/ { node = $1 }
     /^[[:space:]]*remote_proc_[a-z_]*;/ { sub(/;/, "", $1); print node, $1 }' \
	lib/libremoteproc.map | sort >"$out/versioned"
diff -u "$out/versioned" "$out/exported" || die "symbol versions differ from the version script"
# The 1.0 calls, which must never move to another node.
for f in remote_proc_lib_version remote_proc_dev_open remote_proc_dev_handshake \
	remote_proc_open_mem remote_proc_attach_pid remote_proc_attach_memfd \
	remote_proc_attach_pidfd remote_proc_mirror_query remote_proc_map \
	remote_proc_unmap remote_proc_pread remote_proc_pwrite; do
	grep -qx "LIBREMOTEPROC_1 $f" "$out/exported" || die "$f is not LIBREMOTEPROC_1"
done
echo "$(wc -l <"$out/declared") functions exported ($(awk '{ print $1 }' "$out/exported" |
	sort | uniq -c | awk '{ print $1, $2 }' | paste -sd, | sed 's/,/, /g')), as the script says"

# kernel-doc, from the Debian kernel source package.
apt_install linux-source-6.12 perl
kd=$RP_CACHE/kernel-doc/$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ ! -f "$kd/scripts/kernel-doc" ]; then
	mkdir -p "$kd"
	tar -C "$kd" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz \
		linux-source-6.12/scripts/kernel-doc
fi
perl "$kd/scripts/kernel-doc" -none -Wall "$hdr" 2>"$out/kernel-doc.log"
if [ -s "$out/kernel-doc.log" ]; then
	cat "$out/kernel-doc.log"
	die "kernel-doc warnings in $hdr"
fi
n=$(grep -c '^/\*\*$' "$hdr")
[ "$n" -ge "$(wc -l <"$out/declared")" ] || die "not every function has a kernel-doc comment"
# The section-3 pages in the tree are what the kernel-doc makes now, one
# per function, and man reads each without a warning.
"$RP_ROOT/scripts/man3.sh" --check
diff -u "$out/declared" <(ls "$RP_ROOT/lib/man" | sed 's/\.3$//') ||
	die "the section-3 pages differ from the functions the header declares"

# The header alone.
for m in -m64 -m32; do
	echo '#include <libremoteproc.h>' |
		gcc -std=c99 -pedantic -Wall -Wextra -Werror $m -Iinclude -x c -fsyntax-only -
done
echo '#include <libremoteproc.h>' |
	g++ -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -x c++ -fsyntax-only -

# Installed, through pkg-config.
# Not /usr: pkg-config leaves out system directories, which would hide the flags.
prefix=/opt/remote-proc
make -s -C lib install OUT="$out/lib" DESTDIR="$out/root" PREFIX=$prefix
cat >"$out/user.c" <<'C'
#include <stdio.h>
#include <libremoteproc.h>

int main(void)
{
	int dev = remote_proc_dev_open(NULL);

	printf("libremoteproc %s: %d\n", remote_proc_lib_version(), dev);
	return 0;
}
C
export PKG_CONFIG_PATH=$out/root$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$out/root
[ "$(pkg-config --modversion libremoteproc)" = "$(sed -n \
	's/^#define LIBREMOTEPROC_VERSION_\(MAJOR\|MINOR\|PATCH\)[[:space:]]*//p' "$hdr" |
	paste -sd.)" ] || die "pkg-config version differs from the header"
# shellcheck disable=SC2046
gcc -Wall -Werror -o "$out/user-shared" "$out/user.c" $(pkg-config --cflags --libs libremoteproc)
readelf -d "$out/user-shared" | grep -q 'NEEDED.*\[libremoteproc.so.1\]' ||
	die "a program linked through pkg-config does not need libremoteproc.so.1"
LD_LIBRARY_PATH=$out/root$prefix/lib "$out/user-shared" | grep -q '^libremoteproc 1\.'
# shellcheck disable=SC2046
gcc -Wall -Werror -static -o "$out/user-static" "$out/user.c" \
	$(pkg-config --static --cflags --libs libremoteproc)
"$out/user-static" | grep -q '^libremoteproc 1\.'
echo "pkg-config: shared and static builds work"
