#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the project version (major.minor.patch) from module/version.h.
h=$(dirname "$0")/../module/version.h
v() { sed -n "s/^#define REMOTE_PROC_VERSION_$1 \([0-9]*\)$/\1/p" "$h"; }
echo "$(v MAJOR).$(v MINOR).$(v PATCH)"
