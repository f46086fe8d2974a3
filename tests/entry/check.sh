#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/entry/check.sh WORKDIR
#
# Entry points a new user hits first, where they go wrong:
# - a checkout whose path contains a space: every entry point that cannot
#   work there (make and kbuild split such paths) must refuse at once with
#   one sentence naming the path, and build nothing; the library, whose
#   Makefile uses relative paths only, must build there;
# - `make` where the running kernel has no headers: the message names the
#   package to install and the header trees that are installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:?usage: check.sh WORKDIR}
tree="$work/with space/remote-proc"
sentence='contains a space, which make and kbuild cannot handle: move or clone remote-proc to a path without spaces'

rm -rf "$work"
mkdir -p "$tree"
git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar -c) | tar -x -C "$tree"

fail=0
refuses() {
	local out rc=0
	out=$(cd "$tree" && timeout 20 "$@" 2>&1) || rc=$?
	if [ $rc = 0 ] || ! grep -qF "$sentence" <<<"$out" ||
		[ "$(grep -vcE '^make(\[[0-9]+\])?: (Entering|Leaving) directory' <<<"$out")" != 1 ] ||
		[ -e "$tree/build" ]; then
		echo "not refused as expected: $* (exit $rc):"
		sed 's/^/    /' <<<"$out" | head -10
		fail=1
	else
		echo "refused: $*"
	fi
	rm -rf "$tree/build"
}
refuses make
refuses make userspace
refuses make check
refuses make demo
refuses make deb
refuses make install DESTDIR="$work/dest"
refuses make -C cli
refuses make -C tests
refuses scripts/check.sh
refuses scripts/build-module.sh /usr/src/none

# Supported there: the library on its own.
if (cd "$tree" && make -s -C lib OUT="../build/lib") >"$work/lib.log" 2>&1 &&
	[ -f "$tree/build/lib/libremoteproc.so.1" ]; then
	echo "built: make -C lib"
else
	echo "make -C lib failed in a path with a space:"
	tail -10 "$work/lib.log"
	fail=1
fi
# A missing header tree: no placeholder, the real package name, the trees.
out=$(cd "$root" && make -s module KDIR=/nonexistent 2>&1) && {
	echo "make module KDIR=/nonexistent succeeded"
	fail=1
}
want="apt install linux-headers-$(uname -r)"
if ! grep -qF "$want" <<<"$out" || grep -q '<release>' <<<"$out"; then
	echo "the missing-headers message lacks '$want' or has a placeholder:"
	echo "    $out"
	fail=1
fi
for d in /usr/src/linux-headers-*/include/generated/utsrelease.h; do
	[ -f "$d" ] || continue
	d=${d%/include/generated/utsrelease.h}
	grep -qF "$d" <<<"$out" || { echo "the message does not list $d"; fail=1; }
done
rm -rf "$work"
exit $fail
