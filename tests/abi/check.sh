#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the uapi layout as 64-bit C (built and run), 32-bit C and C++
# (compiled: every check is a static assertion).
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-../../build/abi}
mkdir -p "$out"
inc=(-I../../uapi)
gcc -std=c11 -Wall -Werror -m64 "${inc[@]}" -o "$out/abi64" uapi_abi.c
# The 32-bit layout is proven by the static assertions at compile time:
# the host need not be able to run 32-bit code.
gcc -std=c11 -Wall -Werror -m32 "${inc[@]}" -c -o "$out/abi32.o" uapi_abi.c
g++ -std=c++17 -Wall -Werror -x c++ -D_Static_assert=static_assert -fsyntax-only \
	"${inc[@]}" uapi_abi.c
"$out/abi64"
