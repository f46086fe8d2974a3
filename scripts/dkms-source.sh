#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-source.sh DEST
#
# Copy what building the module needs (and nothing else: no tests, no
# userspace, no build output) into DEST, the tree dkms builds from
# (/usr/src/remote-proc-VERSION on an installed system). `make module`
# works in DEST exactly as in the repository.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dest=${1:?usage: dkms-source.sh DEST}
version=$("$RP_ROOT/scripts/version.sh")
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$RP_ROOT/dkms.conf")
[ "$conf_version" = "$version" ] ||
	die "dkms.conf has PACKAGE_VERSION=\"$conf_version\" but module/version.h says $version"

files=(Makefile Kbuild dkms.conf COPYING LICENSES/GPL-2.0 LICENSES/MIT LICENSES/Linux-syscall-note
	scripts/lib.sh scripts/version.sh scripts/build-module.sh scripts/compat-probe.sh)
dirs=(module uapi include)

mkdir -p "$dest/scripts"
cd "$RP_ROOT"
for f in "${files[@]}"; do
	[ -f "$f" ] || die "missing $f in $RP_ROOT"
	install -D -m "$([ -x "$f" ] && echo 0755 || echo 0644)" "$f" "$dest/$f"
done
# Sources only: generated files (compat/rp_autoconf.h), objects and the
# test harness's hooks (module/testing.c, built only with
# REMOTE_PROC_TESTING=1) stay out.
find "${dirs[@]}" -type f \( -name '*.[ch]' -o -name exports \) \
	! -name rp_autoconf.h ! -path module/testing.c -print0 |
	while IFS= read -r -d '' f; do
		install -D -m 0644 "$f" "$dest/$f"
	done
