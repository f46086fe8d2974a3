// SPDX-License-Identifier: GPL-2.0
/* 6.12 moved FMODE_UNSIGNED_OFFSET to file_operations.fop_flags. */
#include <linux/fs.h>

const struct file_operations probe_fops = {
	.fop_flags = FOP_UNSIGNED_OFFSET,
};
