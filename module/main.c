// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Module entry: registers /dev/remote-proc. Unrelated to the kernel's
 * remoteproc (co-processor) framework.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>

#include "internal.h"
#include "version.h"

/*
 * Root-only by default; packaging ships a udev rule that hands the node to a
 * dedicated group. Per-target permission is checked at attach time.
 */
static struct miscdevice remote_proc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "remote-proc",
	.fops = &remote_proc_dev_fops,
	.mode = 0600,
};

static int __init remote_proc_init(void)
{
	int ret;

	ret = misc_register(&remote_proc_misc);
	if (ret)
		return ret;

	pr_info("version %s loaded, /dev/%s\n", REMOTE_PROC_VERSION,
		remote_proc_misc.name);
	return 0;
}

static void __exit remote_proc_exit(void)
{
	misc_deregister(&remote_proc_misc);
}

module_init(remote_proc_init);
module_exit(remote_proc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The remote-proc authors");
MODULE_DESCRIPTION("Zero-copy, coherent access to another process's memory");
MODULE_VERSION(REMOTE_PROC_VERSION);
