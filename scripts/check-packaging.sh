#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-packaging.sh (make check-packaging): install the Debian packages on
# this machine, check them, purge them, and check that nothing is left.
# Needs root (or sudo); changes the machine while it runs and restores it
# afterwards, also when a step fails.
#
#  1. make deb (build/deb/: the source package and the .debs), and lintian
#     on the upload (.changes: source, binaries, buildinfo) at the pedantic
#     level: any error, warning, info or pedantic finding fails the check
#     (scripts/lintian.sh)
#  2. dpkg -i remote-proc-dkms, libremoteproc1, libremoteproc-dev and
#     remote-proc-utils; dkms must build and install the module for every
#     distribution kernel of scripts/kernels.conf (their headers are
#     installed first). autoinstall_all_kernels=y makes the dkms postinst
#     build for all kernels with headers, not only the running and the
#     newest one, so the result does not depend on the machine's kernel.
#  3. check dkms status, the installed modules and depmod's index, the
#     group remoteproc, the udev rule, the command, and a program built
#     through pkg-config against the -dev package
#  4. dpkg --purge all four
#  5. "Nothing left behind": the files under the directories the packages
#     and dkms write to are the same as before installing, except
#       - depmod's index files (/lib/modules/*/modules.*), which dkms
#         regenerates; no index may mention remote_proc any more;
#       - dkms's module signing key /var/lib/dkms/mok.{key,pub}, created by
#         dkms on its first signed build and kept for every dkms module
#         (users enroll it with mokutil);
#     and dkms knows no remote-proc. The group remoteproc stays after the
#     purge (Debian keeps system groups: files may still belong to it);
#     the check asserts that it does.
#  6. cleanup (also on failure): purge, remove what the test created that
#     the packages leave by design (the group, a new MOK key pair, new
#     depmod index files), so the machine is as before.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(remote-proc-dkms libremoteproc1 libremoteproc-dev remote-proc-utils libxpmem-remoteproc0
	libxpmem-remoteproc-dev)
group=remoteproc
version=$("$RP_ROOT/scripts/version.sh")
work=$RP_ROOT/build/check-packaging
watch=(/usr/src /lib/modules /var/lib/dkms /etc /usr/bin /usr/include /usr/lib/udev/rules.d
	/usr/lib/sysusers.d /usr/lib/modules-load.d /usr/share/doc /usr/share/man/man1
	/usr/share/man/man3
	"/usr/lib/$(gcc -print-multiarch)")

[ "$(id -u)" = 0 ] || exec sudo -E "$0" "$@"

# One run at a time on a machine (dpkg, dkms and the group are global).
exec 9>/run/lock/remote-proc-check-packaging.lock
flock 9

for p in "${pkgs[@]}"; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
		die "$p is installed on this machine: purge it first (dpkg --purge ${pkgs[*]})"
	fi
done
[ ! -e "/usr/src/remote-proc-$version" ] && [ ! -e /var/lib/dkms/remote-proc ] ||
	die "remote-proc is already known to dkms here (make dkms-uninstall, or dkms remove remote-proc/$version --all)"

kernels_load
abis=()
for k in "${RP_KERNEL_NAMES[@]}"; do
	# Kernels of the host's own suite: their headers can live on the host.
	[ "${RP_KERNEL_SUITE[$k]}" = "$(host_suite)" ] && abis+=("${RP_KERNEL_ABI[$k]}")
done
apt_install dkms systemd gcc pkg-config $(printf 'linux-headers-%s ' "${abis[@]}")

rm -rf "$work"
mkdir -p "$work"
"$RP_ROOT/scripts/mkdeb.sh" >"$work/mkdeb.log" 2>&1 ||
	{ cat "$work/mkdeb.log" >&2; die "make deb failed"; }
debs=()
for p in "${pkgs[@]}"; do
	f=$(ls "$RP_ROOT"/build/deb/"${p}"_*.deb 2>/dev/null | head -1)
	[ -n "$f" ] || die "make deb did not produce $p"
	debs+=("$f")
done
"$RP_ROOT/scripts/lintian.sh" "$RP_ROOT"/build/deb/remote-proc_*.changes >"$work/lintian.log" 2>&1 ||
	{ cat "$work/lintian.log" >&2; die "lintian has findings on the upload (log: $work/lintian.log)"; }
msg "lintian: the source and binary upload is clean (pedantic)"

# snapshot FILE: every file, link and directory under the watched
# directories (depmod's indexes aside), one per line.
snapshot() {
	find "${watch[@]}" -xdev \( -type f -o -type l -o -type d \) -printf '%y %p\n' 2>/dev/null |
		grep -vE '^f /lib/modules/[^/]+/modules\.[a-z.]+$' |
		grep -vxE 'f /var/lib/dkms/mok\.(key|pub)' | sort > "$1"
}
had_group=0
getent group "$group" >/dev/null && had_group=1
had_key=0
[ -e /var/lib/dkms/mok.key ] && had_key=1
ls -d /lib/modules/*/modules.* 2>/dev/null | sort > "$work/index.before" || true
snapshot "$work/before"

cleanup() {
	local rc=$?
	set +e
	dpkg --purge "${pkgs[@]}" >>"$work/cleanup.log" 2>&1
	if [ -e /var/lib/dkms/remote-proc ]; then
		dkms remove -m remote-proc -v "$version" --all >>"$work/cleanup.log" 2>&1
		rm -rf /var/lib/dkms/remote-proc
	fi
	[ $had_group = 0 ] && getent group "$group" >/dev/null && groupdel "$group"
	[ $had_key = 0 ] && rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	ls -d /lib/modules/*/modules.* 2>/dev/null | sort |
		comm -13 "$work/index.before" - | xargs -r rm -f
	[ $rc = 0 ] || warn "packaging check failed; the machine was restored (logs: $work)"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

msg "dpkg -i ${pkgs[*]}"
t0=$(date +%s)
autoinstall_all_kernels=y dpkg -i "${debs[@]}" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; die "dpkg -i failed"; }
msg "installed in $(( $(date +%s) - t0 )) s"

# dkms built and installed the module for every distribution kernel.
status=$(dkms status -m remote-proc -v "$version" 2>/dev/null)
echo "$status" > "$work/dkms-status"
for abi in "${abis[@]}"; do
	grep -qxF "remote-proc/$version, $abi, $(uname -m): installed" <<<"$status" ||
		die "dkms did not install the module for $abi; dkms status says: $status"
	ko=$(ls /lib/modules/"$abi"/updates/dkms/remote_proc.ko* 2>/dev/null | head -1)
	[ -n "$ko" ] || die "no /lib/modules/$abi/updates/dkms/remote_proc.ko*"
	[ "$(modinfo -k "$abi" -F filename remote_proc)" = "$ko" ] ||
		die "modprobe would not load $ko on $abi (modinfo: $(modinfo -k "$abi" -F filename remote_proc))"
	[ "$(modinfo -F version "$ko")" = "$version" ] || die "$ko is not version $version"
	msg "dkms: $abi installed ($ko)"
done

# The dkms source is the module's build only: no test hooks.
[ -f "/usr/src/remote-proc-$version/module/main.c" ] ||
	die "no module source in /usr/src/remote-proc-$version"
[ ! -e "/usr/src/remote-proc-$version/module/testing.c" ] ||
	die "the dkms source ships the test-only module/testing.c"

getent group "$group" >/dev/null || die "postinst did not create the group $group"
rule=/usr/lib/udev/rules.d/60-remote-proc.rules
grep -q "GROUP=\"$group\", MODE=\"0660\"" "$rule" || die "$rule does not set group $group, 0660"
remote-proc --version >"$work/cli.log" 2>&1 || { cat "$work/cli.log" >&2; die "remote-proc --version failed"; }
compgen -G "/usr/share/doc/remote-proc-utils/README*" >/dev/null ||
	die "no README in /usr/share/doc/remote-proc-utils"
# The files under docs/ that the README links to, as docs/NAME there
# (dh_compress may have compressed them).
for f in "$RP_ROOT"/docs/*; do
	compgen -G "/usr/share/doc/remote-proc-utils/docs/${f##*/}*" >/dev/null ||
		die "no docs/${f##*/} in /usr/share/doc/remote-proc-utils"
done
for p in "${pkgs[@]}"; do
	grep -q '^License: GPL-2 with Linux-syscall-note exception or MIT' "/usr/share/doc/$p/copyright" ||
		die "/usr/share/doc/$p/copyright does not state the uapi header's licence"
done
[ -f /usr/include/remote-proc/linux/remote_proc.h ] && [ ! -e /usr/include/linux/remote_proc.h ] ||
	die "the uapi header is not (only) in /usr/include/remote-proc/linux"
[ -f /usr/share/bash-completion/completions/remote-proc ] ||
	die "remote-proc-utils installs no bash completion"
man -w remote-proc >/dev/null 2>&1 || [ -f /usr/share/man/man1/remote-proc.1.gz ] ||
	die "no man page remote-proc(1)"
for p in "$RP_ROOT"/lib/man/*.3; do
	[ -f "/usr/share/man/man3/${p##*/}.gz" ] || die "no man page ${p##*/} (libremoteproc-dev)"
done
cat > "$work/prog.c" <<'EOF'
#include <stdio.h>
#include <libremoteproc.h>
#include <linux/remote_proc.h>

int main(void)
{
	printf("%s\n", remote_proc_lib_version());
	return REMOTE_PROC_API ? 0 : 1;
}
EOF
# shellcheck disable=SC2046
gcc -o "$work/prog" "$work/prog.c" $(pkg-config --cflags --libs libremoteproc) ||
	die "a program does not build against libremoteproc-dev through pkg-config"
"$work/prog" >"$work/prog.out" || die "a program linked to libremoteproc1 does not run"
# An XPMEM client finds the XPMEM library the way UCX's configure does.
cat > "$work/xp.c" <<'XP'
#include <xpmem.h>

int main(void)
{
	return xpmem_version() > 0 && xpmem_make(0, 0, 0, 0) == -1 ? 0 : 1;
}
XP
# shellcheck disable=SC2046
gcc -o "$work/xp" "$work/xp.c" $(pkg-config --cflags --libs cray-xpmem) ||
	die "a program does not build against libxpmem-remoteproc-dev through pkg-config cray-xpmem"
"$work/xp" || die "a program linked to libxpmem.so.0 does not run"
readelf -d "$work/xp" | grep -q 'NEEDED.*\[libxpmem\.so\.0\]' ||
	die "the XPMEM client does not link libxpmem.so.0"
ex=/usr/share/doc/libremoteproc-dev/examples
[ -f "$ex/Makefile" ] && [ -f "$ex/peek.c" ] || die "libremoteproc-dev has no examples in $ex"
mkdir -p "$work/examples"
make -s -C "$ex" OUT="$work/examples" CFLAGS="-O2 -Werror" >"$work/examples.log" 2>&1 ||
	{ cat "$work/examples.log" >&2; die "the examples of libremoteproc-dev do not build through pkg-config"; }
for p in peek counter share; do
	readelf -d "$work/examples/$p" | grep -q 'NEEDED.*\[libremoteproc\.so\.1\]' ||
		die "example $p does not link libremoteproc.so.1"
done
msg "library $(cat "$work/prog.out"), its section-3 pages, command, man page, udev rule and group $group in place; libxpmem.so.0 links and runs; the examples build from $ex"

msg "dpkg --purge ${pkgs[*]}"
dpkg --purge "${pkgs[@]}" >"$work/purge.log" 2>&1 ||
	{ cat "$work/purge.log" >&2; die "dpkg --purge failed"; }

snapshot "$work/after"
if ! diff -u "$work/before" "$work/after" > "$work/leftovers.diff"; then
	grep -E '^[-+][^-+]' "$work/leftovers.diff" >&2
	die "the purge left the machine different (- missing now, + left behind)"
fi
left=$(dkms status -m remote-proc 2>/dev/null)
[ -z "$left" ] || die "dkms still knows remote-proc: $left"
if grep -l remote_proc /lib/modules/*/modules.dep 2>/dev/null; then
	die "depmod's index still lists remote_proc"
fi
getent group "$group" >/dev/null ||
	die "the group $group disappeared on purge (system groups are kept by design)"
msg "purge left nothing behind (the group $group is kept by design)"
echo "packaging: $(wc -l < "$work/before") paths compared, 0 left behind"
