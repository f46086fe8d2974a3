#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.12, unpacked
# once into the cache) over the module, the uapi header and Kbuild files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install linux-source-6.12 perl
dir=$RP_CACHE/checkpatch/$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ ! -f "$dir/scripts/checkpatch.pl" ]; then
	rm -rf "$RP_CACHE/checkpatch"
	mkdir -p "$dir"
	tar -C "$dir" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi

cd "$RP_ROOT"
shopt -s nullglob
files=(module/*.[ch] module/compat/*.h module/compat/probes/*.c uapi/linux/*.h)
# --no-tree: out of tree; -f: whole files; the kernel's own defaults otherwise.
perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse -f \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	"${files[@]}"
