#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [KERNEL...]      run the test suite on the given kernels
#                           (names from scripts/kernels.conf; default: all)
# check.sh --harness        prove the harness fails on an injected kernel WARN
# check.sh --bench [KERNEL...]  run the benchmark (default: the distro kernels)
#
# For each kernel: fetch it (or build the debug kernel), build the module
# against its headers, build it once more through dkms in a private dkms
# tree (a host check), pack an initramfs with the test programs and both
# modules, boot it in
# QEMU, read the KTAP results from the second serial port and scan the
# console for kernel splats. Prints a table and a final
# "N passed, N failed, N skipped" line; exits non-zero on any failed test,
# missing kernel, boot failure, timeout or splat.
#
# Environment: RP_CACHE (cache dir), RP_TIMEOUT (seconds per kernel),
# RP_STRESS_SECONDS (stress test duration), RP_VERBOSE=1 (stream console),
# RP_FUZZ_SECONDS and RP_FUZZ_SEED (t_fuzz's duration, default 60, and seed),
# RP_ONLY=<program> and RP_TEST=<test> (run only those, for debugging),
# RP_CHECK_PACKAGING=0 (leave out the Debian package install test);
# for --bench: RP_BENCH_MIB (region size), RP_BENCH_REPS (runs per figure,
# the median is kept; default 5), RP_BENCH_ARGS (extra kernel command line, e.g.
# remote_proc.fault_around_pages=32).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Kernel log lines that fail a run. The unsigned/out-of-tree module taint
# notices are expected and match none of these.
SPLATS='WARNING:|BUG:|Oops|KASAN|Kernel panic|general protection fault|Call Trace:'
SPLATS+='|blocked for more than|soft lockup|hard LOCKUP|possible recursive locking'
SPLATS+='|circular locking dependency|inconsistent lock state|suspicious RCU usage'
SPLATS+='|unreferenced object|suspected memory leaks|UBSAN:|list_add corruption'
SPLATS+='|list_del corruption|rcu: INFO:|self-detected stall|kernel BUG'

harness=0 bench=0
case "${1:-}" in
--harness) harness=1; shift ;;
--bench) bench=1; shift ;;
esac

kernels_load
want=("$@")
if [ ${#want[@]} -eq 0 ]; then
	want=("${RP_KERNEL_NAMES[@]}")
	[ $harness = 1 ] && want=("${RP_KERNEL_NAMES[0]}")
	# Figures from a KASAN kernel mean nothing: distro kernels only.
	[ $bench = 1 ] && want=(6.1 6.12 6.12-rt)
fi
for k in "${want[@]}"; do
	[ -n "${RP_KERNEL_ABI[$k]:-}" ] ||
		die "unknown kernel '$k' (known: ${RP_KERNEL_NAMES[*]})"
done

msg "installing host packages"
apt_install qemu-system-x86 busybox-static kmod libkmod-dev cpio gzip \
	xz-utils bc flex bison libelf-dev libssl-dev build-essential \
	gcc-multilib dkms openssl

msg "building test programs"
make -s -C "$RP_ROOT/tests" OUT="$RP_ROOT/build/tests" >/dev/null ||
	die "test programs failed to build"

mkdir -p "$RP_ROOT/build"
declare -A row_rel row_cc row_build row_boot row_pass row_fail row_skip row_splat row_time
total_pass=0 total_fail=0 total_skip=0 bad=0

# Host-side checks, each counted as one test.
host_check() {
	local name=$1
	shift
	if "$@" >"$RP_ROOT/build/check-$name.log" 2>&1; then
		total_pass=$((total_pass + 1))
		msg "host: $name ok"
	else
		total_fail=$((total_fail + 1))
		warn "host: $name FAILED:"
		tail -40 "$RP_ROOT/build/check-$name.log" >&2
		return 1
	fi
}

# UCX built unmodified from Debian's source over libxpmem-remoteproc, and the
# suite's UCP program against it (t_ucx and the benchmark run them in the
# guest); cached after the first run (scripts/build-ucx.sh). A failure here
# fails this host check and, in the guest, t_ucx. host_check runs it in
# this shell, so RP_UCX_DIR (the build, for mkinitramfs.sh) is set here.
build_ucx() {
	RP_UCX_DIR=$("$RP_ROOT/scripts/build-ucx.sh") &&
		make -s -C "$RP_ROOT/tests" ucx OUT="$RP_ROOT/build/tests" UCX_DIR="$RP_UCX_DIR"
}
rm -f "$RP_ROOT/build/tests/rp_ucx_check"
msg "building UCX over libxpmem-remoteproc (cached after the first run)"
if host_check ucx build_ucx; then
	export RP_UCX_DIR
else
	unset RP_UCX_DIR
fi

# kernel_cc CONFIG: the compiler a kernel's .config names, without the cross
# prefix (gcc-14 for "x86_64-linux-gnu-gcc-14 (Debian ...) ..."); empty if none.
kernel_cc() {
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*-linux-gnu-\)\{0,1\}\([^ ]*\) .*/\2/p' "$1" 2>/dev/null
}

# run_kernel NAME [EXTRA KERNEL ARGS]: one boot, results into the row_* tables.
run_kernel() {
	local name=$1 out=$RP_ROOT/build/check/$1 t0 ko krel rc
	shift
	t0=$(date +%s)
	row_rel[$name]=${RP_KERNEL_ABI[$name]} row_cc[$name]=- row_build[$name]=FAIL
	row_boot[$name]=- row_pass[$name]=0
	row_fail[$name]=0 row_skip[$name]=0 row_splat[$name]=- row_time[$name]=0
	rm -rf "$out"
	mkdir -p "$out"

	msg "[$name] preparing kernel"
	if ! prepare_kernel "$name"; then
		row_build[$name]="no kernel"
		return 1
	fi
	msg "[$name] building module against $KDIR${RP_RUN[0]:+ in the ${RP_KERNEL_SUITE[$name]} chroot}"
	ko=$("${RP_RUN[@]}" "$RP_ROOT/scripts/build-module.sh" "$KDIR" --testing) || return 1
	row_build[$name]=ok
	krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$KDIR_HOST/include/generated/utsrelease.h")
	row_cc[$name]=$(kernel_cc "$KDIR_HOST/.config")
	row_rel[$name]=$krel
	# The module as dkms builds, signs and installs it, for t_dkms. A dkms
	# failure is a failed host check and a failed kernel.
	local dkms_ko=
	if [ $bench = 0 ]; then
		msg "[$name] building the module through dkms (private dkms tree)"
		host_check "dkms-$name" "${RP_RUN[@]}" "$RP_ROOT/scripts/dkms-build.sh" "$out/dkms" "$KDIR"
		dkms_ko=$(find "$out/dkms/lib/modules/$krel/updates/dkms" -name 'remote_proc.ko*' \
			-print -quit 2>/dev/null)
		if [ -z "$dkms_ko" ]; then
			row_build[$name]="dkms FAIL"
			return 1
		fi
	fi
	"$RP_ROOT/scripts/mkinitramfs.sh" "$krel" "$MODROOT" "$ko" \
		"$RP_ROOT/build/tests" "$out/initrd.gz" ${dkms_ko:+"$dkms_ko"} || return 1

	msg "[$name] booting $krel (limit ${RP_TIMEOUT:-1500} s)"
	if [ "${RP_VERBOSE:-0}" = 1 ]; then
		touch "$out/console.log"
		tail -n +1 -F "$out/console.log" 2>/dev/null &
		local tailpid=$!
	fi
	"$RP_ROOT/scripts/run-qemu.sh" "$VMLINUZ" "$out/initrd.gz" "$out" \
		"${RP_TIMEOUT:-1500}" "$@" rp.stress="${RP_STRESS_SECONDS:-60}" \
		rp.fuzz="${RP_FUZZ_SECONDS:-60}" \
		${RP_ONLY:+rp.only=$RP_ONLY} ${RP_TEST:+rp.test=$RP_TEST} \
		${RP_STRESS_SEED:+rp.seed=$RP_STRESS_SEED} \
		${RP_FUZZ_SEED:+rp.fuzz_seed=$RP_FUZZ_SEED}
	rc=$?
	[ "${RP_VERBOSE:-0}" = 1 ] && kill "$tailpid" 2>/dev/null
	row_time[$name]=$(( $(date +%s) - t0 ))

	local res=$out/result.ktap con=$out/console.log
	touch "$res" "$con"
	# Leaf results: the indented lines are the tests of each program;
	# top-level results without subtests (kmemleak) count as tests too.
	row_pass[$name]=$(grep -cE '^  ok [0-9]+ ' "$res" | tr -d '\n')
	row_skip[$name]=$(grep -cE '^  ok [0-9]+ .*# SKIP' "$res" | tr -d '\n')
	row_pass[$name]=$(( row_pass[$name] - row_skip[$name] + $(grep -cE '^ok [0-9]+ kmemleak' "$res") ))
	row_fail[$name]=$(( $(grep -cE '^  not ok [0-9]+ ' "$res") + $(grep -cE '^not ok [0-9]+ kmemleak' "$res") ))

	if [ $rc = 124 ] || [ $rc = 137 ]; then
		row_boot[$name]=timeout
	elif grep -q '^# remote-proc-harness: done' "$res"; then
		row_boot[$name]=ok
	elif grep -q 'Kernel panic' "$con"; then
		row_boot[$name]=panic
	else
		row_boot[$name]="no result"
	fi
	# An OOM test brackets the kernel's OOM report (which dumps a stack)
	# with markers; only the stack-dump header is tolerated in between.
	awk '/remote-proc-test: expect oom/ { w = 1 }
	     /remote-proc-test: end oom/ { w = 0 }
	     { if (w && /Call Trace:/) print NR ": (expected in OOM report)"; else print NR ": " $0 }' \
		"$con" | grep -aE "$SPLATS" > "$out/splats.txt"
	row_splat[$name]=$(wc -l < "$out/splats.txt")

	# Show what went wrong right away.
	if [ "${row_fail[$name]}" != 0 ]; then
		warn "[$name] failed tests, with the diagnostics printed before each:"
		awk '/^ *# / { d[n++ % 40] = $0; next }
		     /^ *not ok / { for (i = (n > 40 ? n - 40 : 0); i < n; i++) print d[i % 40];
				    print; n = 0; next }
		     /^ *ok / { n = 0 }' "$res" >&2
	fi
	if [ "${row_splat[$name]}" != 0 ]; then
		warn "[$name] kernel splats (full log: $con):"
		head -20 "$out/splats.txt" >&2
		grep -naE -A25 "$SPLATS" "$con" | head -80 >&2
	fi
	if [ "${row_boot[$name]}" != ok ]; then
		warn "[$name] run did not complete (${row_boot[$name]}); console tail:"
		tail -30 "$con" >&2
	fi
	[ "${row_boot[$name]}" = ok ] && [ "${row_fail[$name]}" = 0 ] &&
		[ "${row_splat[$name]}" = 0 ]
}

print_table() {
	local k
	printf '\n%-9s %-24s %-8s %-9s %-9s %6s %6s %7s %6s %6s\n' kernel release compiler \
		build boot passed failed skipped splats time
	for k in "$@"; do
		printf '%-9s %-24s %-8s %-9s %-9s %6s %6s %7s %6s %5ss\n' "$k" \
			"${row_rel[$k]}" "${row_cc[$k]}" "${row_build[$k]}" \
			"${row_boot[$k]}" "${row_pass[$k]}" "${row_fail[$k]}" \
			"${row_skip[$k]}" "${row_splat[$k]}" "${row_time[$k]}"
	done
	echo
}

# short_name ABI: 6.1.0-56-cloud-amd64 -> 6.1-cloud, 7.2.13+deb14-amd64 -> 7.2.
short_name() {
	local v=${1%%[-+]*} f=${1%-amd64}
	f=${f##*-}
	case "$f" in amd64|[0-9]*|deb*) f= ;; esac
	echo "${v%.*}${f:+-$f}"
}

# build/check/matrix.tsv, for scripts/matrix.sh (the matrix in
# docs/testing.txt): one row per booted kernel, then one per kernel only
# compiled for.
write_matrix() {
	local k suite abis abi root cfg res
	{
		echo "# $(date -u +%Y-%m-%d), commit $(git -C "$RP_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $total_pass passed, $total_fail failed, $total_skip skipped in all (host checks included)"
		for k in "$@"; do
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" \
				"${RP_KERNEL_SUITE[$k]}" "${row_rel[$k]}" "${row_cc[$k]}" \
				"${row_build[$k]}" "${row_boot[$k]}" "${row_pass[$k]}" \
				"${row_fail[$k]}" "${row_skip[$k]}" "${row_splat[$k]}"
		done
		while read -r suite abis; do
			case "$suite" in ''|'#'*) continue ;; esac
			res=${build_only_result[$suite]:-}
			[ -n "$res" ] || continue
			root=
			[ "$suite" = "$(host_suite)" ] ||
				root=$("$RP_ROOT/scripts/in-chroot.sh" --root "$suite" 2>/dev/null) || true
			for abi in $abis; do
				cfg=$root/usr/src/linux-headers-$abi/.config
				printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\n' "$(short_name "$abi")" "$suite" \
					"$abi" "$(kernel_cc "$cfg")" "$res" "not run"
			done
		done < "$RP_ROOT/scripts/build-kernels.conf"
	} > "$RP_ROOT/build/check/matrix.tsv"
}

# A few lines per failed kernel, right above the final line (a log that
# keeps only its tail still names the cause): the failed tests, the first
# splat with its RIP and the top of its call trace.
digest() {
	local k con first
	for k in "$@"; do
		con=$RP_ROOT/build/check/$k/console.log
		[ "${row_boot[$k]}" = ok ] && [ "${row_fail[$k]}" = 0 ] &&
			[ "${row_splat[$k]}" = 0 ] && continue
		echo "[$k] ${row_boot[$k]}; failed: $(grep -aE '^ *not ok ' \
			"$RP_ROOT/build/check/$k/result.ktap" 2>/dev/null |
			sed -E 's/^ *not ok [0-9]+ //; s/ .*//' | tr '\n' ' ')"
		[ -f "$con" ] || continue
		# From the first splat on (an expected OOM report is not one).
		first=$(head -1 "$RP_ROOT/build/check/$k/splats.txt" 2>/dev/null | cut -d: -f1)
		tail -n +"${first:-1}" "$con" |
			grep -aE "$SPLATS| Comm: |RIP: |^\[ *[0-9.]+\]  [a-z_0-9.]+\+0x" |
			grep -avE 'Call Trace:|expect oom' | head -14 | cut -c1-150
	done
}

if [ $harness = 1 ]; then
	k=${want[0]}
	detected=0
	msg "harness self-check on $k: WARN injected, panic_on_warn=0 (only the log scan can catch it)"
	run_kernel "$k" rp.inject=warn panic_on_warn=0 && ok1=1 || ok1=0
	print_table "$k"
	[ $ok1 = 0 ] && [ "${row_splat[$k]}" != 0 ] && detected=$((detected + 1))
	msg "harness self-check on $k: WARN injected, panic_on_warn=1 (the guest panics)"
	run_kernel "$k" rp.inject=warn && ok2=1 || ok2=0
	print_table "$k"
	[ $ok2 = 0 ] && [ "${row_splat[$k]}" != 0 ] && [ "${row_boot[$k]}" != ok ] &&
		detected=$((detected + 1))
	if [ $detected = 2 ]; then
		echo "harness self-check: both injected WARNs were reported as failures on $k"
		echo "2 passed, 0 failed"
		exit 0
	fi
	echo "harness self-check: an injected WARN was NOT reported as a failure on $k"
	echo "$detected passed, $((2 - detected)) failed"
	exit 1
fi

if [ $bench = 1 ]; then
	mkdir -p "$RP_ROOT/build/bench"
	ran=0
	for k in "${want[@]}"; do
		rm -f "$RP_ROOT/build/bench/$k.txt" "$RP_ROOT/build/bench/$k.json"
		if run_kernel "$k" rp.only=rp_bench,rp_ucx_bench rp.bench_mib="${RP_BENCH_MIB:-128}" \
				rp.bench_reps="${RP_BENCH_REPS:-5}" ${RP_BENCH_ARGS:-}; then
			ran=$((ran + 1))
			grep -a '^  # bench-json: ' "$RP_ROOT/build/check/$k/result.ktap" |
				sed 's/^  # bench-json: //' > "$RP_ROOT/build/bench/$k.json"
			grep -a '^  # ' "$RP_ROOT/build/check/$k/result.ktap" |
				grep -v -e 'bench-json' -e '^  # bench: ' |
				sed 's/^  # //' > "$RP_ROOT/build/bench/$k.txt"
		fi
	done
	for k in "${want[@]}"; do
		echo
		echo "=== $k (${row_rel[$k]}) ==="
		if [ -s "$RP_ROOT/build/bench/$k.txt" ]; then
			cat "$RP_ROOT/build/bench/$k.txt"
		else
			echo "benchmark did not run (${row_boot[$k]}); see build/check/$k/console.log"
		fi
	done
	print_table "${want[@]}"
	echo "JSON: build/bench/<kernel>.json"
	echo "$ran passed, $(( ${#want[@]} - ran )) failed"
	[ $ran = ${#want[@]} ]
	exit
fi

host_check checkpatch "$RP_ROOT/scripts/checkpatch.sh"
host_check uapi-abi "$RP_ROOT/tests/abi/check.sh" "$RP_ROOT/build/abi"
host_check libremoteproc "$RP_ROOT/tests/libcheck/check.sh" "$RP_ROOT/build/libcheck"
host_check entry "$RP_ROOT/tests/entry/check.sh" "$RP_ROOT/build/entry"
host_check completion "$RP_ROOT/tests/completion/check.sh" "$RP_ROOT/build/completion"
host_check clidoc "$RP_ROOT/tests/clidoc/check.sh" "$RP_ROOT/build/clidoc"

for k in "${want[@]}"; do
	# shellcheck disable=SC2086 # kernels.conf's boot arguments, split
	run_kernel "$k" ${RP_KERNEL_ARGS[$k]} || bad=1
	total_pass=$((total_pass + row_pass[$k]))
	total_fail=$((total_fail + row_fail[$k]))
	total_skip=$((total_skip + row_skip[$k]))
	# A kernel that did not build, boot or finish counts as one failure.
	if [ "${row_boot[$k]}" != ok ] || [ "${row_splat[$k]}" != 0 ]; then
		[ "${row_fail[$k]}" = 0 ] && total_fail=$((total_fail + 1))
	fi
done

# Every installed header tree (all test kernels by now) must compile it.
host_check build-all "$RP_ROOT/scripts/build-all.sh"
# So must the flavours that are not booted (scripts/build-kernels.conf).
declare -A build_only_result=()
while read -r suite abis; do
	case "$suite" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086 # the suite's ABIs, split
	if host_check "build-$suite" "$RP_ROOT/scripts/build-only.sh" "$suite" $abis </dev/null; then
		build_only_result[$suite]=ok
	else
		build_only_result[$suite]=FAIL
	fi
done < "$RP_ROOT/scripts/build-kernels.conf"
# make install / uninstall into a DESTDIR (needs a header tree: after the kernels).
host_check install "$RP_ROOT/tests/packaging/install.sh" "$RP_ROOT/build/install"

# The Debian packages, installed on this machine and purged again (about
# 100 s). Full runs only: a run limited to some kernels or tests (or with
# RP_CHECK_PACKAGING=0) reports it as skipped.
if [ $# = 0 ] && [ -z "${RP_ONLY:-}${RP_TEST:-}" ] && [ "${RP_CHECK_PACKAGING:-1}" != 0 ]; then
	host_check packaging "$RP_ROOT/scripts/check-packaging.sh"
else
	total_skip=$((total_skip + 1))
	warn "host: packaging SKIPPED (full runs only; run it with: make check-packaging)"
fi

print_table "${want[@]}"
write_matrix "${want[@]}"
digest "${want[@]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ $bad = 0 ] && [ $total_fail = 0 ]
