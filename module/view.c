// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Views: offset spaces made of windows onto targets (their layout is in
 * window.c, their control fds in control.c), the files that refer to
 * them, and their access fds (mmap, read/write, poll, QUERY, POPULATE).
 * The mirror fd of REMOTE_PROC_IOC_ATTACH is the access fd of a sealed
 * view with a single identity window over the whole target.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "internal.h"

static void view_release(struct kref *kref)
{
	struct remote_proc_view *v = container_of(kref, struct remote_proc_view, kref);
	struct remote_proc_window *w;
	unsigned long index = 0;

	/* No fd and no mapping is left, so there is nothing to zap. */
	mutex_lock(&v->lock);
	mt_for_each(&v->windows, w, index, ULONG_MAX) {
		mtree_erase(&v->windows, w->pgoff);
		remote_proc_window_retire(w);
	}
	if (v->self_target)
		remote_proc_target_put(v->self_target);
	mutex_unlock(&v->lock);
	mtree_destroy(&v->windows);
	if (v->ctx) {
		atomic_dec(&v->ctx->nr_views);
		remote_proc_dev_ctx_put(v->ctx);
	}
	iput(v->inode);
	kfree(v);
}

static void view_put(struct remote_proc_view *v)
{
	kref_put(&v->kref, view_release);
}

static struct remote_proc_view *view_alloc(unsigned long nr_pages)
{
	struct remote_proc_view *v;
	int ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return ERR_PTR(-ENOMEM);
	kref_init(&v->kref);
	v->nr_pages = nr_pages;
	init_waitqueue_head(&v->wq);
	mutex_init(&v->lock);
	mutex_init(&v->pgtable_lock);
	mt_init_flags(&v->windows, MT_FLAGS_USE_RCU);
	v->inode = alloc_anon_inode(remote_proc_mnt->mnt_sb);
	if (IS_ERR(v->inode)) {
		ret = PTR_ERR(v->inode);
		kfree(v);
		return ERR_PTR(ret);
	}
	return v;
}

/* A new file of view v (taking a reference to it). */
struct file *remote_proc_view_file(struct remote_proc_view *v,
				   const struct file_operations *fops, bool writable)
{
	struct remote_proc_vfile *vf;
	struct file *file;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL_ACCOUNT);
	if (!vf)
		return ERR_PTR(-ENOMEM);
	ihold(v->inode);
	file = alloc_file_pseudo(v->inode, remote_proc_mnt, "[remote-proc]",
				 writable ? O_RDWR : O_RDONLY, fops);
	if (IS_ERR(file)) {
		iput(v->inode);
		kfree(vf);
		return file;
	}
	/* Lifetime of the module text: the fops live here. */
	__module_get(THIS_MODULE);
	if (fops == &remote_proc_access_fops)
		file->f_mode |= FMODE_PREAD | FMODE_PWRITE;
	kref_get(&v->kref);
	vf->view = v;
	vf->seen_generation = READ_ONCE(v->generation);
	spin_lock_init(&vf->populate_lock);
	file->private_data = vf;
	return file;
}

int remote_proc_view_release_file(struct inode *inode, struct file *file)
{
	struct remote_proc_vfile *vf = file->private_data;

	view_put(vf->view);
	kfree(vf);
	return 0;
}

/* Whether some window's source target has gone away. */
static bool view_source_dead(struct remote_proc_view *v)
{
	struct remote_proc_window *w;
	unsigned long index = 0;
	bool dead = false;

	rcu_read_lock();
	mt_for_each(&v->windows, w, index, ULONG_MAX) {
		if (remote_proc_target_gone(w->target)) {
			dead = true;
			break;
		}
	}
	rcu_read_unlock();
	return dead;
}

/* --- access fds ------------------------------------------------------------ */

/*
 * Place mappings so that address and offset agree modulo 2 MiB (then a
 * THP of the source can be mapped with one PMD), and note MAP_POPULATE,
 * which only this hook sees, for ->mmap().
 */
static unsigned long view_get_unmapped_area(struct file *file, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags)
{
	struct remote_proc_vfile *vf = file->private_data;

	addr = rp_get_unmapped_area(file, addr, len, pgoff, flags);
	if (!IS_ERR_VALUE(addr) && (flags & MAP_POPULATE)) {
		spin_lock(&vf->populate_lock);
		vf->populate_mm = current->mm;
		vf->populate_addr = addr;
		vf->populate_len = len;
		spin_unlock(&vf->populate_lock);
	}
	return addr;
}

/* Whether ->mmap() of vma follows a MAP_POPULATE request. */
static bool populate_requested(struct remote_proc_vfile *vf,
			       struct vm_area_struct *vma)
{
	bool match;

	spin_lock(&vf->populate_lock);
	match = vf->populate_mm == vma->vm_mm && vf->populate_addr == vma->vm_start &&
		vf->populate_len == vma->vm_end - vma->vm_start;
	if (vf->populate_mm == vma->vm_mm)
		vf->populate_mm = NULL;
	spin_unlock(&vf->populate_lock);
	return match;
}

static int view_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct remote_proc_vfile *vf = file->private_data;
	struct remote_proc_view *v = vf->view;
	unsigned long first = vma->vm_pgoff, last;
	bool populate = populate_requested(vf, vma);
	unsigned int missing;

	/*
	 * MAP_SHARED only. (A MAP_SHARED mapping of a read-only fd has
	 * VM_SHARED and VM_MAYWRITE cleared by the core, hence VM_MAYSHARE.)
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* Nothing lies beyond the offset space. */
	if (first >= v->nr_pages || vma_pages(vma) > v->nr_pages - first)
		return -ENXIO;
	last = first + vma_pages(vma) - 1;

	/*
	 * Rights the windows in range lack can neither be mapped nor added
	 * (nor by mprotect() later: see view_mprotect(), also for windows
	 * added after this).
	 */
	if (remote_proc_view_check_rights(v, first, last, vma->vm_flags))
		return -EACCES;
	missing = remote_proc_view_missing_rights(v, first, last);
	if (missing & REMOTE_PROC_RIGHT_WRITE)
		vm_flags_clear(vma, VM_MAYWRITE);
	if (missing & REMOTE_PROC_RIGHT_EXEC)
		vm_flags_clear(vma, VM_MAYEXEC);

	/*
	 * Special PTEs without page references (VM_PFNMAP); never copied to
	 * a forked child, never grown by mremap, never in core dumps.
	 * VM_IO makes madvise(MADV_DOFORK) fail with EINVAL instead of
	 * clearing VM_DONTCOPY.
	 */
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY);
#ifdef RP_HAVE_HUGE_FAULT_ORDER
	/*
	 * Ask for PMD faults. Whether the core consults the THP sysfs policy
	 * for a PFN mapping varies (Debian's 6.12.118 and 7.2 do not): the
	 * fault maps a 2 MiB entry only over a THP the source already has,
	 * which is where that policy applied.
	 */
	vm_flags_set(vma, VM_HUGEPAGE);
#endif
	vma->vm_ops = &remote_proc_vm_ops;
	if (populate)
		remote_proc_populate_on_return(file, vma->vm_start,
					       vma->vm_end - vma->vm_start);
	return 0;
}

/*
 * One transfer through a /proc/PID/mem file, with the checks read(2) and
 * write(2) make on it: its open mode, rw_verify_area() (which calls the
 * security hooks) and the fsnotify events.
 */
static ssize_t mem_rw(struct file *mf, char __user *buf, size_t count,
		      loff_t pos, bool write)
{
	ssize_t n;

	if (!(mf->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EACCES;
	n = rw_verify_area(write ? WRITE : READ, mf, &pos, count);
	if (n)
		return n;
	n = write ? mf->f_op->write(mf, buf, count, &pos) :
		    mf->f_op->read(mf, buf, count, &pos);
	if (n > 0) {
		if (write)
			fsnotify_modify(mf);
		else
			fsnotify_access(mf);
	}
	return n;
}

/*
 * read/write: each window's range is accessed through its source's own
 * /proc/PID/mem file, so the kernel's mem semantics (FOLL_FORCE policy,
 * EIO, short counts, 0 after exit) apply unchanged.
 */
static ssize_t view_rw(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos, bool write)
{
	struct remote_proc_view *v = ((struct remote_proc_vfile *)file->private_data)->view;
	loff_t pos = *ppos;
	ssize_t done = 0;

	if (pos < 0)
		return -EINVAL;

	while (count) {
		struct remote_proc_window *w = NULL;
		unsigned long wend, chunk = 0;
		loff_t tpos;
		ssize_t n;

		if ((pos >> PAGE_SHIFT) < v->nr_pages)
			w = remote_proc_window_lookup(v, pos >> PAGE_SHIFT);
		if (!w) {
			n = -EIO;	/* a hole of the view */
		} else if (write && !(w->rights & REMOTE_PROC_RIGHT_WRITE)) {
			n = -EACCES;
			remote_proc_window_put(w);
		} else {
			wend = (w->pgoff + w->nr_pages) << PAGE_SHIFT;
			chunk = min_t(unsigned long, count, wend - pos);
			tpos = w->taddr + (pos - ((loff_t)w->pgoff << PAGE_SHIFT));
			n = mem_rw(w->target->memfile, buf, chunk, tpos, write);
			remote_proc_window_put(w);
		}
		if (n <= 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		pos += n;
		buf += n;
		count -= n;
		if (n < chunk)
			break;
	}
	if (done > 0)
		*ppos = pos;
	return done;
}

static ssize_t view_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	return view_rw(file, buf, count, ppos, false);
}

static ssize_t view_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	return view_rw(file, (char __user *)buf, count, ppos, true);
}

/* Like /proc/PID/mem: absolute and relative seeks, no end. */
static loff_t view_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (check_add_overflow(file->f_pos, offset, &pos))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}

static __poll_t view_poll(struct file *file, poll_table *wait)
{
	struct remote_proc_vfile *vf = file->private_data;
	struct remote_proc_view *v = vf->view;
	__poll_t mask = EPOLLIN | EPOLLRDNORM;

	poll_wait(file, &v->wq, wait);
	if (file->f_mode & FMODE_WRITE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (READ_ONCE(v->generation) != READ_ONCE(vf->seen_generation))
		mask |= EPOLLPRI;
	if (view_source_dead(v))
		mask |= EPOLLHUP;
	return mask;
}

long remote_proc_view_query(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_vfile *vf = file->private_data;
	struct remote_proc_view *v = vf->view;
	struct remote_proc_query q = {};
	struct remote_proc_window *w;

	if (_IOC_SIZE(cmd) < REMOTE_PROC_QUERY_SIZE_VER0)
		return -EINVAL;

	mutex_lock(&v->lock);
	q.generation = v->generation;
	q.nr_windows = v->nr_windows;
	if (v->sealed)
		q.flags |= REMOTE_PROC_QUERY_SEALED;
	mutex_unlock(&v->lock);

	q.size = v->nr_pages << PAGE_SHIFT;
	if (file->f_op == &remote_proc_control_fops)
		q.flags |= REMOTE_PROC_QUERY_CONTROL;
	else if (file->f_mode & FMODE_WRITE)
		q.flags |= REMOTE_PROC_QUERY_WRITABLE;
	if (view_source_dead(v))
		q.flags |= REMOTE_PROC_QUERY_DEAD;
	if (v->mirror) {
		q.flags |= REMOTE_PROC_QUERY_MIRROR;
		w = remote_proc_window_lookup(v, 0);
		if (w) {
			q.pid = remote_proc_target_vnr(w->target);
			remote_proc_window_put(w);
		}
	}
	WRITE_ONCE(vf->seen_generation, q.generation);
	return remote_proc_copy_out(arg, cmd, &q, sizeof(q));
}

static long view_populate(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_populate p;
	long ret;

	ret = remote_proc_copy_in(&p, sizeof(p), REMOTE_PROC_POPULATE_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if ((p.flags & ~REMOTE_PROC_POPULATE_WRITE) || p.__reserved0 || p.populated ||
	    !remote_proc_reserved_zero(p.__reserved1, sizeof(p.__reserved1)))
		return -EINVAL;
	ret = remote_proc_check_range(p.addr, p.length, U64_MAX);
	if (ret)
		return ret;
	ret = remote_proc_populate(file, p.addr, p.length,
				   p.flags & REMOTE_PROC_POPULATE_WRITE, &p.populated);
	if (remote_proc_copy_out(arg, cmd, &p, sizeof(p)))
		return -EFAULT;
	return ret;
}

static long access_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (_IOC_TYPE(cmd) != REMOTE_PROC_IOC_TYPE)
		return -ENOTTY;
	if (_IOC_NR(cmd) == _REMOTE_PROC_IOC_QUERY && _IOC_DIR(cmd) == _IOC_READ)
		return remote_proc_view_query(file, cmd, arg);
	if (_IOC_NR(cmd) == _REMOTE_PROC_IOC_POPULATE &&
	    _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE))
		return view_populate(file, cmd, arg);
	return -ENOTTY;
}

const struct file_operations remote_proc_access_fops = {
	.owner = THIS_MODULE,
	.get_unmapped_area = view_get_unmapped_area,
	.mmap = view_mmap,
	.read = view_read,
	.write = view_write,
	.llseek = view_llseek,
	.poll = view_poll,
	.unlocked_ioctl = access_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = remote_proc_view_release_file,
};

/* --- creation -------------------------------------------------------------- */

/* An empty view and its control fd's file, counted against ctx. */
struct file *remote_proc_view_create(struct remote_proc_dev_ctx *ctx,
				     unsigned long nr_pages)
{
	struct remote_proc_view *v;
	struct file *file;

	if (atomic_inc_return(&ctx->nr_views) > remote_proc_max_views_per_fd) {
		atomic_dec(&ctx->nr_views);
		return ERR_PTR(-ENOSPC);
	}
	v = view_alloc(nr_pages);
	if (IS_ERR(v)) {
		atomic_dec(&ctx->nr_views);
		return ERR_CAST(v);
	}
	kref_get(&ctx->kref);
	v->ctx = ctx;
	file = remote_proc_view_file(v, &remote_proc_control_fops, false);
	view_put(v);
	return file;
}

/*
 * The legacy mirror: a sealed view whose offset space is t's address
 * space. The caller keeps its own reference to t.
 */
struct file *remote_proc_mirror_create(struct remote_proc_target *t,
				       bool writable)
{
	unsigned int rights = REMOTE_PROC_RIGHT_READ |
			      (RP_EXEC_MAPPINGS ? REMOTE_PROC_RIGHT_EXEC : 0);
	struct remote_proc_view *v;
	struct file *file;
	int ret;

	if (writable)
		rights |= REMOTE_PROC_RIGHT_WRITE;
	v = view_alloc(TASK_SIZE_MAX >> PAGE_SHIFT);
	if (IS_ERR(v))
		return ERR_CAST(v);
	v->mirror = true;

	mutex_lock(&v->lock);
	ret = remote_proc_view_add_window(v, t, 0, v->nr_pages, 0, rights);
	v->sealed = true;
	mutex_unlock(&v->lock);
	file = ret ? ERR_PTR(ret) : remote_proc_view_file(v, &remote_proc_access_fops, writable);
	view_put(v);
	return file;
}
