#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh KERNEL INITRD OUTDIR TIMEOUT [EXTRA KERNEL ARGS...]
#
# Boot KERNEL with INITRD under QEMU (TCG: no KVM here) with two NUMA nodes
# (one CPU socket each, so the scheduler topology stays sane).
# ttyS0 (the console) goes to OUTDIR/console.log, ttyS1 (test results) to
# OUTDIR/result.ktap. Exits with QEMU's status, or 124 on timeout.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 outdir=$3 timeout=$4
shift 4
mkdir -p "$outdir"
rm -f "$outdir/console.log" "$outdir/result.ktap"

# Any WARN, oops, soft lockup or hung task ends the run at once; panic=-1
# reboots, which -no-reboot turns into a QEMU exit. Soft lockups and RCU
# stalls are reported after 60 s instead of 20 s: an emulated CPU on this
# shared 2-core host can go that long without its host thread running or
# while the kernel does seconds of emulated work per call (a compaction
# zeroing the pages it migrates to), and a real lockup still ends the run.
append="console=ttyS0,115200 rdinit=/init panic=-1 oops=panic panic_on_warn=1"
append+=" softlockup_panic=1 hung_task_panic=1 mitigations=off"
append+=" watchdog_thresh=30 rcupdate.rcu_cpu_stall_timeout=60"
append+=" kfence.sample_interval=100 secretmem.enable=1 $*"

# One guest at a time on this machine (2 cores): concurrent runs queue here.
exec 9>"${TMPDIR:-/tmp}/remote-proc-qemu.lock"
flock 9

timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -nodefaults -nographic -no-reboot \
	-machine q35 -accel tcg,thread=multi -cpu max,la57=off -smp 2,sockets=2,cores=1,threads=1 -m 2G \
	-object memory-backend-ram,id=m0,size=1G \
	-numa node,nodeid=0,cpus=0,memdev=m0 \
	-object memory-backend-ram,id=m1,size=1G \
	-numa node,nodeid=1,cpus=1,memdev=m1 \
	-chardev file,id=con,path="$outdir/console.log" -serial chardev:con \
	-chardev file,id=res,path="$outdir/result.ktap" -serial chardev:res \
	-monitor none -kernel "$kernel" -initrd "$initrd" -append "$append" \
	</dev/null
