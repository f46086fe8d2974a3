#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the uapi layout check as 64-bit C, 32-bit C and C++.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-../../build/abi}
mkdir -p "$out"
inc=(-I../../uapi)
gcc -std=c11 -Wall -Werror -m64 "${inc[@]}" -o "$out/abi64" uapi_abi.c
gcc -std=c11 -Wall -Werror -m32 "${inc[@]}" -o "$out/abi32" uapi_abi.c
g++ -std=c++17 -Wall -Werror -x c++ -D_Static_assert=static_assert -fsyntax-only \
	"${inc[@]}" uapi_abi.c
"$out/abi64"
"$out/abi32"
