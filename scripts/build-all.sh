#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile the module against every kernel build tree installed on this
# machine (/usr/src/linux-headers-*, plus the cached debug kernel), without
# booting anything. Prints one line per tree; fails if any build fails.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

trees=()
for d in /usr/src/linux-headers-*; do
	[ -f "$d/Module.symvers" ] && trees+=("$d")
done
for d in "$RP_CACHE"/debug-kernel/*/build; do
	[ -f "$d/../done" ] && trees+=("$d")
done
[ ${#trees[@]} -gt 0 ] || die "no kernel header trees installed (apt install linux-headers-<release>)"

fail=0
for d in "${trees[@]}"; do
	start=$(date +%s.%N)
	if "$RP_ROOT/scripts/build-module.sh" "$d" >/dev/null 2>"$RP_ROOT/build/build-all.err"; then
		printf 'ok     %5.1fs  %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$d"
	else
		printf 'FAILED         %s\n' "$d"
		sed 's/^/    /' "$RP_ROOT/build/build-all.err"
		fail=1
	fi
done
rm -f "$RP_ROOT/build/build-all.err"
exit $fail
