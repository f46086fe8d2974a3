// SPDX-License-Identifier: GPL-2.0
/*
 * Kernels that mark anonymous inodes (S_ANON_INODE, seen on 7.2) also give
 * every pseudo filesystem SB_I_NOEXEC (init_pseudo()).
 */
#include <linux/fs.h>

int probe(struct inode *inode);
int probe(struct inode *inode)
{
	return IS_ANON_FILE(inode);
}
