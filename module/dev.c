// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * /dev/remote-proc: the API handshake and REMOTE_PROC_IOC_ATTACH.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include <linux/remote_proc.h>
#include "version.h"

#define SUPPORTED_FEATURES (REMOTE_PROC_FEATURE_WRITE | REMOTE_PROC_FEATURE_RW | \
			    REMOTE_PROC_FEATURE_ATTACH_PID | \
			    REMOTE_PROC_FEATURE_SELF)
#define SUPPORTED_IOCTLS (BIT_ULL(_REMOTE_PROC_IOC_API) | \
			  BIT_ULL(_REMOTE_PROC_IOC_ATTACH) | \
			  BIT_ULL(_REMOTE_PROC_IOC_QUERY))
#define ATTACH_FLAGS (REMOTE_PROC_ATTACH_WRITE | REMOTE_PROC_ATTACH_PID)

/* The ABI: sizes never change (tests/abi checks the same from userspace). */
static_assert(sizeof(struct remote_proc_api) == REMOTE_PROC_API_SIZE_VER0);
static_assert(sizeof(struct remote_proc_attach) == REMOTE_PROC_ATTACH_SIZE_VER0);
static_assert(sizeof(struct remote_proc_query) == REMOTE_PROC_QUERY_SIZE_VER0);

/* Per open of /dev/remote-proc. */
struct dev_ctx {
	struct mutex lock;	/* serialises handshakes */
	bool negotiated;
	u64 features;
	/* protected by lock */
};

/*
 * Read an extensible ioctl struct: the user's size comes from the ioctl
 * number; shorter structs are zero-extended, longer ones must have a
 * zero tail (E2BIG otherwise).
 */
int remote_proc_copy_in(void *k, size_t ksize, size_t ver0, unsigned int cmd,
			unsigned long arg)
{
	size_t usize = _IOC_SIZE(cmd);

	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(k, ksize, (void __user *)arg, usize);
}

/* Write back as much of the kernel struct as the user's struct holds. */
int remote_proc_copy_out(unsigned long arg, unsigned int cmd, const void *k,
			 size_t ksize)
{
	size_t usize = min_t(size_t, _IOC_SIZE(cmd), ksize);

	if (copy_to_user((void __user *)arg, k, usize))
		return -EFAULT;
	return 0;
}

static int dev_open(struct inode *inode, struct file *file)
{
	struct dev_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	file->private_data = ctx;
	return 0;
}

static int dev_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static long dev_api(struct dev_ctx *ctx, unsigned int cmd, unsigned long arg)
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

/*
 * Open /proc/<pid>/mem with the caller's credentials, in a private procfs
 * instance, which resolves pid in the caller's pid namespace whatever is
 * (or is not) mounted on the caller's /proc.
 */
static struct file *open_mem_by_pid(pid_t pid, bool writable)
{
	struct vfsmount *mnt;
	struct path root;
	struct file *f;
	char name[24];

	mnt = vfs_kern_mount(remote_proc_procfs_type, 0, "proc", NULL);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	root.mnt = mnt;
	root.dentry = mnt->mnt_root;
	snprintf(name, sizeof(name), "%d/mem", pid);
	f = file_open_root(&root, name, writable ? O_RDWR : O_RDONLY, 0);
	mntput(mnt);	/* an open file holds its own reference */
	if (IS_ERR(f) && PTR_ERR(f) == -ENOENT)
		return ERR_PTR(-ESRCH);
	return f;
}

static long dev_attach(struct dev_ctx *ctx, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_target *target;
	struct remote_proc_attach a;
	struct file *memfile, *file;
	bool writable;
	int ret, fd;

	ret = remote_proc_copy_in(&a, sizeof(a), REMOTE_PROC_ATTACH_SIZE_VER0,
				  cmd, arg);
	if (ret)
		return ret;
	if ((a.flags & ~ATTACH_FLAGS) || a.__reserved0 || a.__reserved1[0] ||
	    a.__reserved1[1])
		return -EINVAL;
	writable = a.flags & REMOTE_PROC_ATTACH_WRITE;

	if (a.flags & REMOTE_PROC_ATTACH_PID) {
		if (a.pid <= 0 || (a.memfd != 0 && a.memfd != -1))
			return -EINVAL;
		memfile = open_mem_by_pid(a.pid, writable);
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
	if (writable && !(memfile->f_mode & FMODE_WRITE)) {
		ret = -EACCES;
		goto out_put_memfile;
	}

	target = remote_proc_target_attach(memfile);
	if (IS_ERR(target)) {
		ret = PTR_ERR(target);
		goto out_put_memfile;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_put_target;
	}
	file = remote_proc_mirror_create(target, writable);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_put_fd;
	}
	fd_install(fd, file);
	ret = fd;
	goto out_put_target;

out_put_fd:
	put_unused_fd(fd);
out_put_target:
	remote_proc_target_put(target);
out_put_memfile:
	fput(memfile);
	return ret;
}

static long dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dev_ctx *ctx = file->private_data;
	bool negotiated;

	if (_IOC_TYPE(cmd) != REMOTE_PROC_IOC_TYPE)
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _REMOTE_PROC_IOC_API:
		if (_IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
			return -ENOTTY;
		return dev_api(ctx, cmd, arg);
	case _REMOTE_PROC_IOC_ATTACH:
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
	return dev_attach(ctx, cmd, arg);
}

const struct file_operations remote_proc_dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.release = dev_release,
	.unlocked_ioctl = dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};
