// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Module entry: registers /dev/remote-proc. Unrelated to the kernel's
 * remoteproc (co-processor) framework.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/page_table_check.h>
#include <linux/pseudo_fs.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "version.h"

/* Not registered anywhere; only for the files' s_magic. */
#define REMOTE_PROC_FS_MAGIC 0x52505643

/* f_op of /proc/PID/mem files: what ATTACH accepts as a credential. */
const struct file_operations *remote_proc_mem_fops;
/* procfs, for opening /proc/<pid>/mem in the caller's pid namespace. */
struct file_system_type *remote_proc_procfs_type;
/* Private pseudo filesystem holding one inode per view. */
struct vfsmount *remote_proc_mnt;
/* Mirror zaps requested by invalidations. */
struct workqueue_struct *remote_proc_zap_wq;
/* Target teardown, which waits for invalidations (so for zaps). */
struct workqueue_struct *remote_proc_release_wq;

static int remote_proc_fs_init_fs_context(struct fs_context *fc)
{
	if (!init_pseudo(fc, REMOTE_PROC_FS_MAGIC))
		return -ENOMEM;
	/*
	 * Where view files can never be executable (no EXEC feature), say
	 * so the kernel's way: mmap(PROT_EXEC) fails with EPERM, whether or
	 * not this kernel's init_pseudo() already did it.
	 */
	if (!RP_EXEC_MAPPINGS)
		fc->s_iflags |= SB_I_NOEXEC;
	return 0;
}

static struct file_system_type remote_proc_fs_type = {
	.name = "remote_proc",
	.init_fs_context = remote_proc_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/*
 * Learn the identity of /proc/PID/mem files (their f_op) from our own, in
 * a private procfs mount, so that it works whatever /proc of the loading
 * process looks like.
 */
static int capture_proc_mem(void)
{
	struct vfsmount *mnt;
	struct path root;
	struct file *f;

	/* procfs is built in: this takes no module reference to drop later. */
	remote_proc_procfs_type = get_fs_type("proc");
	if (!remote_proc_procfs_type)
		return -ENODEV;
	mnt = vfs_kern_mount(remote_proc_procfs_type, 0, "proc", NULL);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	root.mnt = mnt;
	root.dentry = mnt->mnt_root;
	f = file_open_root(&root, "self/mem", O_RDONLY, 0);
	mntput(mnt);
	if (IS_ERR(f))
		return PTR_ERR(f);
	remote_proc_mem_fops = f->f_op;
	fput(f);
	return 0;
}

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

/*
 * page_table_check=on BUG()s as soon as an anonymous page has a writable
 * PTE and any other PTE: its invariant is that anonymous memory is private
 * to one mm, which a mirror of anonymous memory breaks by design (both
 * the target's PTE and the mirror's are legitimate). The combination is
 * refused at load time rather than crashing at the first mirrored write.
 */
static bool page_table_check_on(void)
{
#ifdef CONFIG_PAGE_TABLE_CHECK
	return !static_branch_likely(&page_table_check_disabled);
#else
	return false;
#endif
}

static int __init remote_proc_init(void)
{
	int ret;

	if (page_table_check_on()) {
		pr_err("not loaded: page_table_check=on forbids what a mirror of anonymous memory is (a page mapped by two processes, one of them writable)\n");
		return -EOPNOTSUPP;
	}

	ret = capture_proc_mem();
	if (ret) {
		pr_err("cannot open /proc/self/mem: %d\n", ret);
		return ret;
	}

	remote_proc_zap_wq = alloc_workqueue("remote_proc", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!remote_proc_zap_wq)
		return -ENOMEM;
	remote_proc_release_wq = alloc_workqueue("remote_proc_release", WQ_UNBOUND, 0);
	if (!remote_proc_release_wq) {
		ret = -ENOMEM;
		goto err_destroy_zap_wq;
	}

	remote_proc_mnt = kern_mount(&remote_proc_fs_type);
	if (IS_ERR(remote_proc_mnt)) {
		ret = PTR_ERR(remote_proc_mnt);
		goto err_destroy_release_wq;
	}

	ret = remote_proc_stats_init();
	if (ret)
		goto err_unmount;

	ret = misc_register(&remote_proc_misc);
	if (ret)
		goto err_stats_exit;

	pr_info("version %s loaded, /dev/%s\n", REMOTE_PROC_VERSION,
		remote_proc_misc.name);
	return 0;

err_stats_exit:
	remote_proc_stats_exit();
err_unmount:
	kern_unmount(remote_proc_mnt);
err_destroy_release_wq:
	destroy_workqueue(remote_proc_release_wq);
err_destroy_zap_wq:
	destroy_workqueue(remote_proc_zap_wq);
	return ret;
}

static void __exit remote_proc_exit(void)
{
	misc_deregister(&remote_proc_misc);
	remote_proc_stats_exit();
	/* Runs pending target teardowns; no fd or mapping is left. */
	destroy_workqueue(remote_proc_release_wq);
	destroy_workqueue(remote_proc_zap_wq);
	kern_unmount(remote_proc_mnt);
	/* Windows and targets are freed with kfree_rcu(). */
	rcu_barrier();
}

module_init(remote_proc_init);
module_exit(remote_proc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The remote-proc authors");
MODULE_DESCRIPTION("Zero-copy, coherent access to another process's memory");
MODULE_VERSION(REMOTE_PROC_VERSION);
