#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/clidoc/check.sh WORKDIR
#
# The man page (cli/remote-proc.1) and the command's --help texts say the
# same thing where it can be checked mechanically:
# - the commands and view subcommands are the same in both;
# - every option a command's --help lists is in that command's entry of
#   the man page (its short form, or its long one where it has none), and
#   every option of an entry's synopsis line is in the command's --help;
# - the exit statuses are the same in both;
# - the permission rule names the same conditions (Yama's scopes, the
#   descendant rule, PR_SET_PTRACER, CAP_SYS_PTRACE) in both.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

work=${1:?usage: check.sh WORKDIR}
rm -rf "$work"
mkdir -p "$work"
make -s -C "$RP_ROOT" userspace >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; die "the command does not build"; }
rp=$RP_ROOT/build/cli/remote-proc
man=$RP_ROOT/cli/remote-proc.1
fails=0
bad() {
	echo "$*"
	fails=$((fails + 1))
}

# The man page as plain lines: font escapes and \- removed.
sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' "$man" >"$work/man.txt"

# Commands: "  name ..." under Commands: in --help; ".TP" + "name" entries in
# the man page (view subcommands as "view name").
# (view is listed by its subcommands.)
"$rp" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\{1,\}\) .*/\1/p' | grep -vx view >"$work/help.cmds"
"$rp" view --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z]\{1,\}\) .*/view \1/p' |
	sort >>"$work/help.cmds"
sort -u -o "$work/help.cmds" "$work/help.cmds"
awk 'prev == ".TP" && /^[a-z]+( [a-z]+)?( |$)/ {
	if ($1 == "view" && $2 ~ /^[a-z]+$/) print $1 " " $2; else print $1 }
     { prev = $0 }' "$work/man.txt" | sort -u >"$work/man.cmds"
diff -u "$work/help.cmds" "$work/man.cmds" >"$work/cmds.diff" ||
	bad "commands differ between --help (-) and the man page (+): $(cat "$work/cmds.diff")"

# entry CMD: the man page's entry for CMD, from its .TP line to the next
# command's (or the next section).
entry() {
	awk -v cmd="$1" '
	    /^\.SH/ { on = 0 }
	    prev == ".TP" && /^[a-z]+( [a-z]+)?( |$)/ {
		name = ($1 == "view" && $2 ~ /^[a-z]+$/) ? $1 " " $2 : $1
		on = (name == cmd)
	    }
	    on { print }
	    { prev = $0 }' "$work/man.txt"
}

while read -r cmd; do
	[ "$cmd" = help ] && continue
	# shellcheck disable=SC2086
	"$rp" $cmd --help >"$work/h" || { bad "$cmd --help failed"; continue; }
	entry "$cmd" >"$work/e"
	[ -s "$work/e" ] || { bad "$cmd: no man page entry"; continue; }
	# Each option line of --help: "  -x, --long..." or "      --long...".
	sed -n 's/^ \{1,\}\(-[A-Za-z0-9]\)\{0,1\}\(, \)\{0,1\}\(--[a-z][a-z-]*\).*/\1 \3/p' \
		"$work/h" >"$work/opts"
	while read -r a b; do
		[ "$a" = --help ] || [ "$b" = --help ] && continue
		if [ -n "$b" ]; then	# short and long
			grep -qE -- "(^|[^A-Za-z0-9-])$a([^A-Za-z0-9-]|$)" "$work/e" ||
				grep -qF -- "$b" "$work/e" ||
				bad "$cmd: $a, $b is in --help, not in the man page's entry"
		else
			grep -qF -- "$a" "$work/e" ||
				bad "$cmd: $a is in --help, not in the man page's entry"
		fi
	done <"$work/opts"
	# Every option of the synopsis line is in --help.
	for o in $(head -1 "$work/e" | grep -oE -- '(^|[[ |])--?[A-Za-z0-9][a-z-]*' | sed 's/^[[ |]//'); do
		case "$o" in --) continue ;; esac
		grep -qE -- "(^|[ ,])$o([ ,=]|$)" "$work/h" ||
			bad "$cmd: $o is in the man page's synopsis, not in --help"
	done
done <"$work/help.cmds"

# Exit statuses: "  N  text" in --help, ".TP" + "N" in the man page.
"$rp" --help | sed -n '/^Exit status:/,/^$/s/^  \([0-9]\{1,\}\)  .*/\1/p' | sort -u >"$work/help.exit"
sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$work/man.txt" |
	awk 'prev == ".TP" && /^(\.B )?[0-9]+$/ { print $NF } { prev = $0 }' | sort -u >"$work/man.exit"
diff -u "$work/help.exit" "$work/man.exit" >"$work/exit.diff" ||
	bad "exit statuses differ between --help (-) and the man page (+): $(cat "$work/exit.diff")"
[ -s "$work/help.exit" ] || bad "no exit statuses in --help"

# The permission rule.
"$rp" --help | sed -n '/^Permissions:/,/^$/p' | tr -s ' \n' '  ' >"$work/help.perm"
sed -n '/^\.SH PERMISSIONS/,/^\.SH/p' "$work/man.txt" | tr -s ' \n' '  ' >"$work/man.perm"
for w in "/proc/PID/mem" "ptrace_scope" "descendant" "PR_SET_PTRACER" "CAP_SYS_PTRACE" \
	"non-dumpable" "setuid" "another user"; do
	for f in help man; do
		grep -qF -- "$w" "$work/$f.perm" || bad "the permission rule in $f does not mention $w"
	done
done

[ $fails = 0 ] || die "$fails disagreements between the man page and --help"
echo "man page and --help agree: $(wc -l <"$work/help.cmds") commands, their options, exit statuses, permissions"
