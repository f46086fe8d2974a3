#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/completion/check.sh WORKDIR
#
# dist/remote-proc.bash, the bash completion the packages install, driven
# as bash drives it (COMP_WORDS, COMP_CWORD, then the function complete(1)
# names) against the command built here: commands, view subcommands, each
# command's options as its --help lists them, option values, PIDs and the
# target's addresses, [names] and file basenames from /proc/PID/maps, the command after view share's --.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

work=${1:?usage: check.sh WORKDIR}
rm -rf "$work"
mkdir -p "$work"
make -s -C "$RP_ROOT" userspace >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; die "the command does not build"; }
export PATH=$RP_ROOT/build/cli:$PATH

# A target whose maps the completion reads: this shell's child.
sleep 600 &
target=$!
trap 'kill $target 2>/dev/null' EXIT
heap_or_stack=$(awk '$6 == "[stack]" { print $6; exit }' "/proc/$target/maps")
first=0x$(sed -n '1s/-.*//p' "/proc/$target/maps")
[ -n "$heap_or_stack" ] || die "no [stack] in /proc/$target/maps"
libc=$(awk '$6 ~ /\/libc[.-]/ { n = split($6, p, "/"); print p[n]; exit }' "/proc/$target/maps")
[ -n "$libc" ] || die "no libc in /proc/$target/maps"

fails=0
# want EXPECTED-WORDS -- WORDS...: completing the last word of WORDS offers
# exactly EXPECTED-WORDS (sorted, space-separated); "has:W" instead checks
# that W is among them, "none" that nothing is offered.
want() {
	local expect=$1 got
	shift 2
	got=$(bash -c '. "$1"; shift
		complete -p remote-proc >/dev/null || exit 9
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _remote_proc
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | paste -sd" "' \
		_ "$RP_ROOT/dist/remote-proc.bash" "$@") || got="(exit $?)"
	case "$expect" in
	has:*) [[ " $got " == *" ${expect#has:} "* ]] && return 0 ;;
	none) [ -z "$got" ] && return 0 ;;
	*) [ "$got" = "$expect" ] && return 0 ;;
	esac
	echo "completing '$*': expected $expect, got '$got'"
	fails=$((fails + 1))
}

want "dump" -- remote-proc d
want "peek poke" -- remote-proc p
want "maps" -- remote-proc --device /dev/remote-proc m
want "share" -- remote-proc view sh
want "dump" -- remote-proc help du
want "has:--version" -- remote-proc --
want "has:--proc-mem" -- remote-proc --
want "dump" -- remote-proc --proc-mem du
want "peek" -- remote-proc --proc-mem p
want "dump find help maps peek poke view watch" -- remote-proc ""
want "dump find help maps peek watch" -- remote-proc --proc-mem ""
want "has:--output" -- remote-proc dump --
want "has:--no-squeeze" -- remote-proc dump --
want "has:--width" -- remote-proc peek -
want "has:--revoke-after" -- remote-proc view share --
want "has:$target" -- remote-proc peek ""
want "has:$target" -- remote-proc dump -o out.bin ""
want "has:$first" -- remote-proc dump "$target" ""
want "has:$first" -- remote-proc dump -v "$target" 0x
want "has:$heap_or_stack" -- remote-proc peek "$target" "["
want "has:sleep" -- remote-proc peek "$target" "sle"
want "has:$libc" -- remote-proc dump "$target" "${libc%%.*}"
want "none" -- remote-proc peek "$target" "sleep+"
want "none" -- remote-proc dump "$target" "$first" ""
want "none" -- remote-proc find "$target" ""
want "has:$target" -- remote-proc view share --rw ""
want "has:$first" -- remote-proc view share "$target" ""
want "has:$target" -- remote-proc view share "$target" "$first" 4096 ""
want "has:$RP_ROOT/tests/completion/check.sh" -- remote-proc dump -o "$RP_ROOT/tests/completion/ch"
want "has:bash" -- remote-proc view share "$target" "$first" 4096 -- bas
want "none" -- remote-proc nosuchcommand ""

# Every option of every command's --help is offered.
for cmd in maps dump peek poke watch find "view share" "view info" "view watch" "view dump"; do
	# shellcheck disable=SC2086
	for opt in $(remote-proc $cmd --help | sed -n 's/^ \{1,\}\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
		# shellcheck disable=SC2086
		want "has:$opt" -- remote-proc $cmd --
	done
done

[ $fails = 0 ] || die "$fails completions wrong"
echo "bash completion: commands, options, values, PIDs and addresses as expected"
