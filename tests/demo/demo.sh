#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The remote-proc authors.
#
# The narrated scenario of `make demo`, run in the QEMU guest by /init
# (kernel option rp.demo=1) with the console as its output. Every step
# checks what it shows; the script exits 0 only if all of them worked.
# rp.color=1 on the kernel command line turns on ANSI colors.
set -u

RP=remote-proc
TLOG=/tmp/target.log
color=never
if grep -q 'rp.color=1' /proc/cmdline; then
	color=always
	B=$(printf '\033[1m') G=$(printf '\033[32m') R=$(printf '\033[31m')
	C=$(printf '\033[36m') N=$(printf '\033[0m')
else
	B= G= R= C= N=
fi

step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
say() { printf '   %s\n' "$*"; }
good() { printf '%s   ok: %s%s\n' "$G" "$*" "$N"; }
fail() {
	printf '%sDEMO FAILED: %s%s\n' "$R" "$*" "$N"
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
	# What the target said and what the kernel said, for a diagnosis.
	printf -- '--- the target'"'"'s log (%s):\n' "$TLOG"
	cat "$TLOG" 2>/dev/null
	printf -- '--- the last kernel messages:\n'
	dmesg 2>/dev/null | tail -n 30
	exit 1
}
# show CMD...: print the command as typed, then run it.
typed() { printf '%s$ %s%s\n' "$C" "$*" "$N"; }
show() { typed "$@"; "$@"; }
# record FILE: tee to FILE. RP_DEMO_SLOW=1 (the suite's t_demo) starts it a
# second late, as a loaded machine may: no step may take what an earlier
# step left behind for this step's output.
record() {
	[ "${RP_DEMO_SLOW:-0}" = 1 ] && sleep 1
	tee "$1"
}
# wait_line FILE TEXT: wait up to 10 s for TEXT to appear in FILE.
wait_line() {
	for _ in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

step "remote-proc demo on Linux $(uname -r)"
say "remote-proc lets one process map another process's memory: no copies,"
say "and never a stale page. We start a small target program, then use the"
say "remote-proc command on it while it runs."

step "1. Load the kernel module"
show modprobe remote_proc || fail "modprobe remote_proc failed"
show ls -l /dev/remote-proc || fail "no /dev/remote-proc"

step "2. Start the target"
/tests/rp_demo_target -t 200 >"$TLOG" 2>&1 &
wait_line "$TLOG" 'marker=' || fail "the target did not start"
# Its first line is "pid=... counter=0x... message=0x... mailbox=0x... ...".
eval "$(head -n 1 "$TLOG")"
say "The target (pid $pid) adds 1 to a counter every 0.2 s and writes"
say "\"tick NNNNNN\" into a message next to it. It told us where they are:"
say "counter $counter, message $message, mailbox $mailbox,"
say "and a 16 KiB scratch region at $scratch holding a marker string."

step "3. Which of its memory can be mirrored?"
show $RP maps "$pid" || fail "maps failed"

step "4. Watch the counter and the message change, live"
say "remote-proc maps the target's page and reads it in place at every"
say "refresh: nothing is copied by the kernel and the target never stops."
show $RP watch --color=$color -i 0.5 -n 6 "$pid" "$counter" 40 || fail "watch failed"
v1=$($RP peek -d "$pid" "$counter") && sleep 0.5 && v2=$($RP peek -d "$pid" "$counter") ||
	fail "peek failed"
[ "$v2" -gt "$v1" ] || fail "the counter did not move ($v1, then $v2)"
good "the counter went from $v1 to $v2 while we looked"

step "5. Write into the target: poke its mailbox"
show $RP poke "$pid" "$mailbox" 42 || fail "poke failed"
wait_line "$TLOG" 'mailbox now holds 42' || fail "the target did not see the poke"
say "The target printed:"
say "  $(grep 'mailbox now holds' "$TLOG")"
show $RP peek -d "$pid" "$mailbox" || fail "peek failed"
good "one 64-bit store through the mapping, seen by the target at once"

step "6. Find a pattern anywhere in its memory"
typed $RP find "$pid" REMOTE-PROC-DEMO-MARKER
$RP find "$pid" REMOTE-PROC-DEMO-MARKER >/tmp/find.out
st=$?
cat /tmp/find.out
[ $st = 0 ] || fail "find exited with $st"
found=$(sed -n '1s/ .*//p' /tmp/find.out)
[ "$((found))" = "$((marker))" ] || fail "find reported $found, the marker is at $marker"
good "the marker is where the target put it ($marker)"

step "7. The target unmaps its scratch region while we watch it"
say "Its pages are revoked from our mapping before the munmap completes;"
say "remote-proc reports that instead of showing old data or crashing."
typed $RP watch --color=$color -i 0.3 -n 8 "$pid" "$marker" 32
# Each watch writes to files of its own, removed first: a file left by an
# earlier step must never be taken for this watch's output.
rm -f /tmp/watch7.out /tmp/watch7.st
{
	$RP watch --color=$color -i 0.3 -n 8 "$pid" "$marker" 32
	echo $? >/tmp/watch7.st
} | record /tmp/watch7.out &
wait_line /tmp/watch7.out 'refresh 2' || fail "watch did not start"
kill -USR1 "$pid"
wait $!
[ "$(cat /tmp/watch7.st)" = 0 ] || fail "watch exited with $(cat /tmp/watch7.st)"
grep -q 'revoked: not mapped in the target' /tmp/watch7.out || fail "no revocation reported"
say "The target printed:"
say "  $(grep 'unmapped my scratch' "$TLOG")"
show $RP dump "$pid" "$scratch" 32
st=$?
[ $st = 3 ] || fail "dump of the unmapped region exited with $st, not 3"
good "the unmapped region reads as unreadable, exit status 3"

step "8. Share one range with another program, then take it back"
say "A view gives a second program an fd onto chosen ranges and nothing"
say "else: here the page holding the counter and the message, read-only."
say "The owner revokes it after 3 s; the program, which waits for that with"
say "'view watch', can no longer read it (exit status 3); the target runs on."
consumer='remote-proc view dump 0 32 && remote-proc view watch; remote-proc view dump 0 32'
typed $RP view share --revoke-after 3 "$pid" "$message" 16 -- sh -c "'$consumer'"
rm -f /tmp/share8.out /tmp/share8.st
{
	$RP view share --revoke-after 3 "$pid" "$message" 16 -- sh -c "$consumer" 2>&1
	echo $? >/tmp/share8.st
} | record /tmp/share8.out
[ "$(cat /tmp/share8.st)" = 3 ] || fail "view share exited with $(cat /tmp/share8.st), not 3"
grep -q 'tick' /tmp/share8.out || fail "the program did not read the message through the view"
grep -q "after 3 s: revoked the view" /tmp/share8.out || fail "the view was not revoked"
grep -q 'unreadable (32 bytes)' /tmp/share8.out || fail "the revoked view was still readable"
kill -0 "$pid" 2>/dev/null || fail "the target did not survive the revocation"
good "the program read the message, then lost it at the revocation (exit status 3)"

step "9. The target exits while we watch it"
typed $RP watch --color=$color -i 0.5 "$pid" "$counter" 16
rm -f /tmp/watch9.out /tmp/watch9.st
{
	$RP watch --color=$color -i 0.5 "$pid" "$counter" 16
	echo $? >/tmp/watch9.st
} | record /tmp/watch9.out &
wait_line /tmp/watch9.out 'refresh 3' || fail "watch did not start"
kill -TERM "$pid"
wait $!
[ "$(cat /tmp/watch9.st)" = 4 ] || fail "watch exited with $(cat /tmp/watch9.st), not 4"
grep -q "process $pid exited" /tmp/watch9.out || fail "the exit was not reported"
say "The target printed:"
say "  $(tail -n 1 "$TLOG")"
good "watch noticed the exit at once (exit status 4)"
pid=

step "Done: every step worked."
say "To try next, on your machine (see README, Install on your machine):"
say "  remote-proc maps PID             what of a process can be mirrored"
say "  remote-proc find PID 'text'      where a string or bytes are"
say "  remote-proc watch PID ADDR LEN   memory changing live"
say "  remote-proc view share PID ADDR LEN -- COMMAND"
say "                                   share a range, revocably"
say "  man remote-proc; examples/ for the library (libremoteproc)"
exit 0
