// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * /dev/remote-proc: the API handshake, REMOTE_PROC_IOC_ATTACH and
 * REMOTE_PROC_IOC_VIEW_CREATE.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "version.h"

#ifdef RP_HAVE_HUGE_FAULT_ORDER
#define FEATURE_PMD REMOTE_PROC_FEATURE_PMD
#else
#define FEATURE_PMD 0
#endif
#if RP_EXEC_MAPPINGS
#define FEATURE_EXEC REMOTE_PROC_FEATURE_EXEC
#else
#define FEATURE_EXEC 0
#endif
#define SUPPORTED_FEATURES (REMOTE_PROC_FEATURE_WRITE | REMOTE_PROC_FEATURE_RW | \
			    REMOTE_PROC_FEATURE_ATTACH_PID | \
			    REMOTE_PROC_FEATURE_SELF | REMOTE_PROC_FEATURE_VIEWS | \
			    REMOTE_PROC_FEATURE_POPULATE | FEATURE_PMD | FEATURE_EXEC)
#define SUPPORTED_IOCTLS (BIT_ULL(_REMOTE_PROC_IOC_API) | \
			  BIT_ULL(_REMOTE_PROC_IOC_ATTACH) | \
			  BIT_ULL(_REMOTE_PROC_IOC_QUERY) | \
			  BIT_ULL(_REMOTE_PROC_IOC_VIEW_CREATE) | \
			  BIT_ULL(_REMOTE_PROC_IOC_MAP) | \
			  BIT_ULL(_REMOTE_PROC_IOC_UNMAP) | \
			  BIT_ULL(_REMOTE_PROC_IOC_LOCK) | \
			  BIT_ULL(_REMOTE_PROC_IOC_ACCESS_FD) | \
			  BIT_ULL(_REMOTE_PROC_IOC_POPULATE))
#define ATTACH_FLAGS (REMOTE_PROC_ATTACH_WRITE | REMOTE_PROC_ATTACH_PID)

/* The ABI: sizes never change (tests/abi checks the same from userspace). */
static_assert(sizeof(struct remote_proc_api) == REMOTE_PROC_API_SIZE_VER0);
static_assert(sizeof(struct remote_proc_attach) == REMOTE_PROC_ATTACH_SIZE_VER0);
static_assert(sizeof(struct remote_proc_query) == REMOTE_PROC_QUERY_SIZE_VER1);
static_assert(sizeof(struct remote_proc_view_create) == REMOTE_PROC_VIEW_CREATE_SIZE_VER0);
static_assert(sizeof(struct remote_proc_map) == REMOTE_PROC_MAP_SIZE_VER0);
static_assert(sizeof(struct remote_proc_unmap) == REMOTE_PROC_UNMAP_SIZE_VER0);
static_assert(sizeof(struct remote_proc_lock) == REMOTE_PROC_LOCK_SIZE_VER0);
static_assert(sizeof(struct remote_proc_access_fd) == REMOTE_PROC_ACCESS_FD_SIZE_VER0);
static_assert(sizeof(struct remote_proc_populate) == REMOTE_PROC_POPULATE_SIZE_VER0);

unsigned int remote_proc_max_windows_per_view = 4096;
module_param_named(max_windows_per_view, remote_proc_max_windows_per_view, uint, 0644);
MODULE_PARM_DESC(max_windows_per_view, "Most windows one view may have (ENOSPC beyond). Default 4096.");

unsigned int remote_proc_max_views_per_fd = 256;
module_param_named(max_views_per_fd, remote_proc_max_views_per_fd, uint, 0644);
MODULE_PARM_DESC(max_views_per_fd,
		 "Most views alive that one open of /dev/remote-proc may have created (ENOSPC beyond). Default 256.");

static void dev_ctx_release(struct kref *kref)
{
	kfree(container_of(kref, struct remote_proc_dev_ctx, kref));
}

void remote_proc_dev_ctx_put(struct remote_proc_dev_ctx *ctx)
{
	kref_put(&ctx->kref, dev_ctx_release);
}

static int dev_open(struct inode *inode, struct file *file)
{
	struct remote_proc_dev_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	kref_init(&ctx->kref);
	mutex_init(&ctx->lock);
	file->private_data = ctx;
	return 0;
}

static int dev_release(struct inode *inode, struct file *file)
{
	remote_proc_dev_ctx_put(file->private_data);
	return 0;
}

static long dev_api(struct remote_proc_dev_ctx *ctx, unsigned int cmd,
		    unsigned long arg)
{
	struct remote_proc_api a;
	u64 wanted;
	int ret;

	ret = remote_proc_copy_in(&a, sizeof(a), REMOTE_PROC_API_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (a.api != REMOTE_PROC_API || a.__reserved0 ||
	    (a.features & ~SUPPORTED_FEATURES))
		return -EINVAL;

	wanted = a.features;
	a.features = SUPPORTED_FEATURES;
	a.ioctls = SUPPORTED_IOCTLS;
	a.version = REMOTE_PROC_VERSION_CODE;
	ret = remote_proc_copy_out(arg, cmd, &a, sizeof(a));
	if (ret)
		return ret;

	mutex_lock(&ctx->lock);
	ctx->features = wanted;
	ctx->negotiated = true;
	mutex_unlock(&ctx->lock);
	return 0;
}

/* Install file as a new close-on-exec fd, or drop it on failure. */
static int install_fd(struct file *file)
{
	int fd;

	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	fd_install(fd, file);
	return fd;
}

static long dev_attach(unsigned int cmd, unsigned long arg)
{
	struct remote_proc_target *target;
	struct remote_proc_attach a;
	struct file *memfile, *file;
	bool writable;
	int ret;

	ret = remote_proc_copy_in(&a, sizeof(a), REMOTE_PROC_ATTACH_SIZE_VER0,
				  cmd, arg);
	if (ret)
		return ret;
	if ((a.flags & ~ATTACH_FLAGS) || a.__reserved0 ||
	    !remote_proc_reserved_zero(a.__reserved1, sizeof(a.__reserved1)))
		return -EINVAL;
	writable = a.flags & REMOTE_PROC_ATTACH_WRITE;

	if (a.flags & REMOTE_PROC_ATTACH_PID) {
		if (a.pid <= 0 || (a.memfd != 0 && a.memfd != -1))
			return -EINVAL;
		memfile = remote_proc_open_mem(a.pid, writable);
		if (IS_ERR(memfile))
			return PTR_ERR(memfile);
	} else {
		if (a.pid)
			return -EINVAL;
		memfile = fget(a.memfd);
		if (!memfile)
			return -EBADF;
	}
	if (memfile->f_op != remote_proc_mem_fops) {
		ret = -EBADF;
		goto out_put_memfile;
	}
	/* The mem file grants what it was opened for, and no more. */
	if (!(memfile->f_mode & FMODE_READ) ||
	    (writable && !(memfile->f_mode & FMODE_WRITE))) {
		ret = -EACCES;
		goto out_put_memfile;
	}

	target = remote_proc_target_attach(memfile);
	if (IS_ERR(target)) {
		ret = PTR_ERR(target);
		goto out_put_memfile;
	}
	file = remote_proc_mirror_create(target, writable);
	remote_proc_target_put(target);
	ret = install_fd(file);

out_put_memfile:
	fput(memfile);
	return ret;
}

static long dev_view_create(struct remote_proc_dev_ctx *ctx, unsigned int cmd,
			    unsigned long arg)
{
	struct remote_proc_view_create vc;
	unsigned long nr_pages;
	int ret;

	ret = remote_proc_copy_in(&vc, sizeof(vc), REMOTE_PROC_VIEW_CREATE_SIZE_VER0,
				  cmd, arg);
	if (ret)
		return ret;
	if (vc.flags || vc.__reserved0 ||
	    !remote_proc_reserved_zero(vc.__reserved1, sizeof(vc.__reserved1)))
		return -EINVAL;
	if (!vc.size)
		vc.size = TASK_SIZE_MAX;
	if (!PAGE_ALIGNED(vc.size) || vc.size > TASK_SIZE_MAX)
		return -EINVAL;
	nr_pages = vc.size >> PAGE_SHIFT;

	return install_fd(remote_proc_view_create(ctx, nr_pages));
}

static long dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_dev_ctx *ctx = file->private_data;
	bool negotiated;

	if (_IOC_TYPE(cmd) != REMOTE_PROC_IOC_TYPE)
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _REMOTE_PROC_IOC_API:
		if (_IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
			return -ENOTTY;
		return dev_api(ctx, cmd, arg);
	case _REMOTE_PROC_IOC_ATTACH:
	case _REMOTE_PROC_IOC_VIEW_CREATE:
		if (_IOC_DIR(cmd) != _IOC_WRITE)
			return -ENOTTY;
		break;
	default:
		return -ENOTTY;
	}

	mutex_lock(&ctx->lock);
	negotiated = ctx->negotiated;
	mutex_unlock(&ctx->lock);
	if (!negotiated)
		return -EBADFD;
	if (_IOC_NR(cmd) == _REMOTE_PROC_IOC_ATTACH)
		return dev_attach(cmd, arg);
	return dev_view_create(ctx, cmd, arg);
}

const struct file_operations remote_proc_dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.release = dev_release,
	.unlocked_ioctl = dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};
