// SPDX-License-Identifier: GPL-2.0
/*
 * Must compile on every kernel: when it does not, the toolchain cannot
 * build against this tree at all (wrong compiler, missing tools), and no
 * other probe's failure says anything about the kernel's API.
 */
#include <linux/module.h>

int probe(int x);
int probe(int x)
{
	return x + 1;
}
