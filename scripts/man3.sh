#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# man3.sh [--check]
#
# Section-3 man pages of libremoteproc, one per public function, made from
# the kernel-doc comments of include/libremoteproc.h with the kernel's own
# scripts/kernel-doc (from Debian's linux-source-6.12, as the library's
# host check uses it) into lib/man/. The pages are kept in the tree, so
# that building and packaging need no kernel source; --check regenerates
# them into a scratch directory and fails if the tree's pages differ (the
# header changed and they were not regenerated).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

hdr=$RP_ROOT/include/libremoteproc.h
dest=$RP_ROOT/lib/man
check=0
[ "${1:-}" = --check ] && check=1

apt_install linux-source-6.12 perl groff-base man-db >/dev/null
kd=$RP_CACHE/kernel-doc/$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ ! -f "$kd/scripts/kernel-doc" ]; then
	mkdir -p "$kd"
	tar -C "$kd" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz \
		linux-source-6.12/scripts/kernel-doc
fi

# The library's version from the header; the date is the day the pages
# were last regenerated with a change (--check ignores it).
v() { sed -n "s/^#define LIBREMOTEPROC_VERSION_$1[[:space:]]*\([0-9]*\)$/\1/p" "$hdr"; }
version=$(v MAJOR).$(v MINOR).$(v PATCH)
[ "$version" != .. ] || die "no LIBREMOTEPROC_VERSION_* in $hdr"
date=$(date -u +%Y-%m-%d)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
funcs=$(sed -n 's/^[a-z].*[ *]\(remote_proc_[a-z_]*\)(.*/\1/p' "$hdr" | sort)
for f in $funcs; do
	# The prototype as the header writes it (\\n between its lines).
	proto=$(awk -v f="$f" '
		!p && $0 ~ "^[a-z].*[ *]" f "\\(" { p = 1 }
		p { if (s != "") { sub(/^[ \t]+/, "    "); s = s "\\n" } s = s $0 }
		p && /;[ \t]*$/ { print s; exit }' "$hdr")
	[ -n "$proto" ] || die "no prototype of $f in $hdr"
	perl "$kd/scripts/kernel-doc" -man -function "$f" "$hdr" 2>"$out/$f.log" |
		awk -v f="$f" -v v="$version" -v d="$date" -v proto="$proto" '
		NR == 1 {
			print ".\\\" Generated from include/libremoteproc.h by scripts/man3.sh; do not edit."
			printf ".TH %s 3 \"%s\" \"libremoteproc %s\" \"libremoteproc manual\"\n", toupper(f), d, v
			next
		}
		/^\.SH SYNOPSIS$/ {
			print; print ".nf"; print ".B #include <libremoteproc.h>"; print ".PP"
			gsub(/\\/, "\\e", proto); gsub(/-/, "\\-", proto)
			n = split(proto, line, "\n")
			for (i = 1; i <= n; i++)
				print ".B \"" line[i] "\""
			print ".fi"
			print ".PP"; print "Link with \\fI\\-lremoteproc\\fP (pkg-config libremoteproc)."
			syn = 1; next
		}
		syn && /^\.SH / { syn = 0 }
		syn { next }
		{ print }
		END {
			print ".SH SEE ALSO"
			print ".BR remote-proc (1),"
			print ".BR process_vm_readv (2),"
			print "and the other remote_proc_* pages; examples in"
			print "/usr/share/doc/libremoteproc-dev/examples."
		}' >"$out/$f.3"
	[ -s "$out/$f.log" ] && { cat "$out/$f.log"; die "kernel-doc warned on $f"; }
	grep -q '^\.SH NAME' "$out/$f.3" || die "no kernel-doc comment for $f"
	# As lintian checks pages: no warning from man or groff.
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$out/$f.3" 2>&1 >/dev/null)
	[ -z "$w" ] || die "man warns on $f.3: $w"
	rm -f "$out/$f.log"
done

# pages DIR: the pages of DIR without their date, one stream.
pages() {
	local p
	for p in "$1"/*.3; do
		echo "== ${p##*/}"
		sed '/^\.TH /s/ "[0-9-]*" / DATE /' "$p"
	done
}
if [ $check = 1 ]; then
	diff -u <(pages "$dest") <(pages "$out") || die "lib/man is out of date: run scripts/man3.sh"
	echo "lib/man: $(ls "$out" | wc -l) pages, as the header's kernel-doc makes them"
else
	if compgen -G "$dest/*.3" >/dev/null && diff <(pages "$dest") <(pages "$out") >/dev/null; then
		echo "lib/man: up to date"
		exit 0
	fi
	rm -rf "$dest"
	mkdir -p "$dest"
	cp "$out"/*.3 "$dest/"
	echo "lib/man: $(ls "$dest" | wc -l) pages written"
fi
