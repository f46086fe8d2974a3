// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Control fds of views: REMOTE_PROC_IOC_MAP (windows onto a mirror's
 * target or the caller's own memory), UNMAP (revocation), LOCK (sealing),
 * ACCESS_FD and QUERY.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "internal.h"

/* The target behind a mirror fd, with a reference; or an ERR_PTR. */
static struct remote_proc_target *mirror_target(int fd, bool write)
{
	struct remote_proc_target *t = ERR_PTR(-EBADF);
	struct remote_proc_window *w;
	struct remote_proc_view *v;
	struct file *f;

	f = fget(fd);
	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &remote_proc_access_fops)
		goto out_put_file;
	v = ((struct remote_proc_vfile *)f->private_data)->view;
	if (!v->mirror)
		goto out_put_file;
	if (write && !(f->f_mode & FMODE_WRITE)) {
		t = ERR_PTR(-EACCES);
		goto out_put_file;
	}
	w = remote_proc_window_lookup(v, 0);
	if (!w)
		goto out_put_file;
	t = w->target;
	remote_proc_target_get(t);
	remote_proc_window_put(w);
out_put_file:
	fput(f);
	return t;
}

/*
 * The calling process's own address space as a target, cached per view.
 * Attaching registers an mmu notifier, which may take the caller's
 * mmap_lock for writing: that happens outside v->lock.
 */
static struct remote_proc_target *self_target(struct remote_proc_view *v)
{
	struct remote_proc_target *t, *old = NULL;
	struct file *memfile;

	mutex_lock(&v->lock);
	t = v->self_target;
	if (t && t->mm == current->mm && !remote_proc_target_dead(t))
		remote_proc_target_get(t);
	else
		t = NULL;
	mutex_unlock(&v->lock);
	if (t)
		return t;

	memfile = remote_proc_open_mem(0, true);
	if (IS_ERR(memfile))
		return ERR_CAST(memfile);
	t = remote_proc_target_attach(memfile);
	fput(memfile);
	if (IS_ERR(t))
		return t;

	mutex_lock(&v->lock);
	old = v->self_target;
	remote_proc_target_get(t);
	v->self_target = t;
	mutex_unlock(&v->lock);
	if (old)
		remote_proc_target_put(old);
	return t;
}

#define MAP_RIGHTS (REMOTE_PROC_RIGHT_READ | REMOTE_PROC_RIGHT_WRITE | \
		    REMOTE_PROC_RIGHT_EXEC)

static long control_map(struct remote_proc_view *v, unsigned int cmd,
			unsigned long arg)
{
	struct remote_proc_target *t;
	struct remote_proc_map m;
	bool self;
	int ret;

	ret = remote_proc_copy_in(&m, sizeof(m), REMOTE_PROC_MAP_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	self = m.flags & REMOTE_PROC_MAP_SELF;
	if ((m.flags & ~REMOTE_PROC_MAP_SELF) || m.__reserved0 ||
	    !remote_proc_reserved_zero(m.__reserved1, sizeof(m.__reserved1)) ||
	    (m.rights & ~MAP_RIGHTS) || !(m.rights & REMOTE_PROC_RIGHT_READ) ||
	    (self && m.source != -1))
		return -EINVAL;
	ret = remote_proc_check_range(m.offset, m.length, (u64)v->nr_pages << PAGE_SHIFT);
	if (!ret)
		ret = remote_proc_check_range(m.source_addr, m.length, TASK_SIZE_MAX);
	if (ret)
		return ret;
	/* A right no mapping of this kernel could use (REMOTE_PROC_FEATURE_EXEC). */
	if (!RP_EXEC_MAPPINGS && (m.rights & REMOTE_PROC_RIGHT_EXEC))
		return -EOPNOTSUPP;

	t = self ? self_target(v) :
		   mirror_target(m.source, m.rights & REMOTE_PROC_RIGHT_WRITE);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (remote_proc_target_dead(t)) {
		ret = -ESRCH;
		goto out_put_target;
	}

	mutex_lock(&v->lock);
	if (v->sealed)
		ret = -EPERM;
	else
		ret = remote_proc_view_add_window(v, t, m.offset >> PAGE_SHIFT,
						  m.length >> PAGE_SHIFT, m.source_addr,
						  m.rights);
	mutex_unlock(&v->lock);
out_put_target:
	remote_proc_target_put(t);
	return ret;
}

static long control_unmap(struct remote_proc_view *v, unsigned int cmd,
			  unsigned long arg)
{
	struct remote_proc_unmap u;
	int ret;

	ret = remote_proc_copy_in(&u, sizeof(u), REMOTE_PROC_UNMAP_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (u.flags || u.__reserved0 ||
	    !remote_proc_reserved_zero(u.__reserved1, sizeof(u.__reserved1)))
		return -EINVAL;
	ret = remote_proc_check_range(u.offset, u.length, (u64)v->nr_pages << PAGE_SHIFT);
	if (ret)
		return ret;

	mutex_lock(&v->lock);
	if (v->sealed)
		ret = -EPERM;
	else
		ret = remote_proc_view_unmap(v, u.offset >> PAGE_SHIFT,
					     ((u.offset + u.length) >> PAGE_SHIFT) - 1);
	mutex_unlock(&v->lock);
	return ret;
}

static long control_lock(struct remote_proc_view *v, unsigned int cmd,
			 unsigned long arg)
{
	struct remote_proc_lock l;
	int ret;

	ret = remote_proc_copy_in(&l, sizeof(l), REMOTE_PROC_LOCK_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (l.flags || l.__reserved0 ||
	    !remote_proc_reserved_zero(l.__reserved1, sizeof(l.__reserved1)))
		return -EINVAL;
	mutex_lock(&v->lock);
	v->sealed = true;
	mutex_unlock(&v->lock);
	return 0;
}

static long control_access_fd(struct remote_proc_view *v, unsigned int cmd,
			      unsigned long arg)
{
	struct remote_proc_access_fd a;
	struct file *file;
	int ret, fd;

	ret = remote_proc_copy_in(&a, sizeof(a), REMOTE_PROC_ACCESS_FD_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if ((a.flags & ~REMOTE_PROC_ACCESS_WRITE) || a.__reserved0 ||
	    !remote_proc_reserved_zero(a.__reserved1, sizeof(a.__reserved1)))
		return -EINVAL;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = remote_proc_view_file(v, &remote_proc_access_fops,
				     a.flags & REMOTE_PROC_ACCESS_WRITE);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

static long control_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_view *v = ((struct remote_proc_vfile *)file->private_data)->view;

	if (_IOC_TYPE(cmd) != REMOTE_PROC_IOC_TYPE)
		return -ENOTTY;
	if (_IOC_NR(cmd) == _REMOTE_PROC_IOC_QUERY && _IOC_DIR(cmd) == _IOC_READ)
		return remote_proc_view_query(file, cmd, arg);
	if (_IOC_DIR(cmd) != _IOC_WRITE)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _REMOTE_PROC_IOC_MAP:
		return control_map(v, cmd, arg);
	case _REMOTE_PROC_IOC_UNMAP:
		return control_unmap(v, cmd, arg);
	case _REMOTE_PROC_IOC_LOCK:
		return control_lock(v, cmd, arg);
	case _REMOTE_PROC_IOC_ACCESS_FD:
		return control_access_fd(v, cmd, arg);
	default:
		return -ENOTTY;
	}
}

const struct file_operations remote_proc_control_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
	.release = remote_proc_view_release_file,
};
