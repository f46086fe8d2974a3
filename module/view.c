// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Views and their fds: an offset space made of windows onto targets. The
 * mirror fd of REMOTE_PROC_IOC_ATTACH is a view with a single identity
 * window over the whole target address space.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include <linux/remote_proc.h>

struct remote_proc_window *remote_proc_window_lookup(struct remote_proc_view *v,
						     unsigned long pgoff)
{
	struct remote_proc_window *w;

	rcu_read_lock();
	w = mtree_load(&v->windows, pgoff);
	if (w && !kref_get_unless_zero(&w->kref))
		w = NULL;
	rcu_read_unlock();
	return w;
}

static void window_release(struct kref *kref)
{
	struct remote_proc_window *w =
		container_of(kref, struct remote_proc_window, kref);

	remote_proc_target_put(w->target);
	kfree_rcu(w, rcu);
}

void remote_proc_window_put(struct remote_proc_window *w)
{
	kref_put(&w->kref, window_release);
}

/* Remove every mirror PTE of view pages [pgoff, pgoff + nr_pages). */
void remote_proc_view_zap(struct remote_proc_view *v, unsigned long pgoff,
			  unsigned long nr_pages)
{
	unmap_mapping_pages(v->inode->i_mapping, pgoff, nr_pages, true);
}

/* Add a window; on success the view owns the window's reference. */
static int view_add_window(struct remote_proc_view *v,
			   struct remote_proc_target *t, unsigned long pgoff,
			   unsigned long nr_pages, unsigned long taddr,
			   unsigned int rights)
{
	struct remote_proc_window *w;
	int ret;

	lockdep_assert_held(&v->lock);
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	kref_init(&w->kref);
	w->view = v;
	w->pgoff = pgoff;
	w->nr_pages = nr_pages;
	w->taddr = taddr;
	w->rights = rights;
	INIT_LIST_HEAD(&w->target_node);

	ret = mtree_insert_range(&v->windows, pgoff, pgoff + nr_pages - 1, w,
				 GFP_KERNEL);
	if (ret) {
		kfree(w);
		return ret;
	}
	remote_proc_target_link(t, w);
	return 0;
}

/* Revoke and drop a window that is in the view's tree. */
static void view_remove_window(struct remote_proc_view *v,
			       struct remote_proc_window *w, bool zap)
{
	lockdep_assert_held(&v->lock);
	mtree_erase(&v->windows, w->pgoff);
	remote_proc_target_unlink(w->target, w);
	if (zap)
		remote_proc_view_zap(v, w->pgoff, w->nr_pages);
	remote_proc_window_put(w);
}

static void view_release(struct kref *kref)
{
	struct remote_proc_view *v = container_of(kref, struct remote_proc_view, kref);
	struct remote_proc_window *w;
	unsigned long index = 0;

	/* No fd and no mapping is left, so there is nothing to zap. */
	mutex_lock(&v->lock);
	mt_for_each(&v->windows, w, index, ULONG_MAX)
		view_remove_window(v, w, false);
	mutex_unlock(&v->lock);
	mtree_destroy(&v->windows);
	iput(v->inode);
	kfree(v);
}

static void view_put(struct remote_proc_view *v)
{
	kref_put(&v->kref, view_release);
}

static struct remote_proc_view *view_create(unsigned long nr_pages)
{
	struct remote_proc_view *v;
	int ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	kref_init(&v->kref);
	v->nr_pages = nr_pages;
	mutex_init(&v->lock);
	mt_init_flags(&v->windows, MT_FLAGS_USE_RCU);
	v->inode = alloc_anon_inode(remote_proc_mnt->mnt_sb);
	if (IS_ERR(v->inode)) {
		ret = PTR_ERR(v->inode);
		kfree(v);
		return ERR_PTR(ret);
	}
	return v;
}

static int view_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct remote_proc_view *v = file->private_data;

	/*
	 * MAP_SHARED only. (A MAP_SHARED mapping of a read-only fd has
	 * VM_SHARED and VM_MAYWRITE cleared by the core, hence VM_MAYSHARE.)
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* Nothing lies beyond the offset space. */
	if (vma->vm_pgoff >= v->nr_pages ||
	    vma_pages(vma) > v->nr_pages - vma->vm_pgoff)
		return -ENXIO;

	/*
	 * Special PTEs without page references (VM_PFNMAP); never copied to
	 * a forked child, never grown by mremap, never in core dumps.
	 */
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY);
	vma->vm_ops = &remote_proc_vm_ops;
	return 0;
}

/*
 * read/write: each window's range is accessed through the target's own
 * /proc/PID/mem file, so the kernel's mem semantics (FOLL_FORCE policy,
 * EIO, short counts, 0 after exit) apply unchanged.
 */
static ssize_t view_rw(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos, bool write)
{
	struct remote_proc_view *v = file->private_data;
	loff_t pos = *ppos;
	ssize_t done = 0;

	if (pos < 0)
		return -EINVAL;

	while (count) {
		struct remote_proc_window *w;
		struct file *mf;
		unsigned long wend, chunk;
		loff_t tpos;
		ssize_t n;

		w = remote_proc_window_lookup(v, pos >> PAGE_SHIFT);
		if (!w) {
			n = -EIO;	/* a hole of the view */
		} else {
			wend = (w->pgoff + w->nr_pages) << PAGE_SHIFT;
			chunk = min_t(unsigned long, count, wend - pos);
			tpos = w->taddr + (pos - ((loff_t)w->pgoff << PAGE_SHIFT));
			mf = w->target->memfile;
			n = write ? mf->f_op->write(mf, buf, chunk, &tpos) :
				    mf->f_op->read(mf, buf, chunk, &tpos);
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

static int view_release_file(struct inode *inode, struct file *file)
{
	view_put(file->private_data);
	return 0;
}

static long view_query(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct remote_proc_view *v = file->private_data;
	struct remote_proc_query q = {};
	struct remote_proc_window *w;

	w = remote_proc_window_lookup(v, 0);
	if (w) {
		if (file->f_mode & FMODE_WRITE)
			q.flags |= REMOTE_PROC_QUERY_WRITABLE;
		if (remote_proc_target_dead(w->target))
			q.flags |= REMOTE_PROC_QUERY_DEAD;
		q.pid = remote_proc_target_vnr(w->target);
		remote_proc_window_put(w);
	}
	q.size = v->nr_pages << PAGE_SHIFT;
	return remote_proc_copy_out(arg, cmd, &q, sizeof(q));
}

long remote_proc_view_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	if (_IOC_TYPE(cmd) != REMOTE_PROC_IOC_TYPE)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _REMOTE_PROC_IOC_QUERY:
		if (_IOC_DIR(cmd) != _IOC_READ)
			return -ENOTTY;
		if (_IOC_SIZE(cmd) < REMOTE_PROC_QUERY_SIZE_VER0)
			return -EINVAL;
		return view_query(file, cmd, arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations view_fops = {
	.owner = THIS_MODULE,
	.mmap = view_mmap,
	.read = view_read,
	.write = view_write,
	.llseek = view_llseek,
	.unlocked_ioctl = remote_proc_view_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = view_release_file,
};

/* A file of view v (which it holds a reference to), open for mode. */
static struct file *view_file(struct remote_proc_view *v, bool writable)
{
	struct file *file;

	ihold(v->inode);
	file = alloc_file_pseudo(v->inode, remote_proc_mnt, "[remote-proc]",
				 writable ? O_RDWR : O_RDONLY, &view_fops);
	if (IS_ERR(file)) {
		iput(v->inode);
		return file;
	}
	/* Lifetime of the module text: view_fops lives here. */
	__module_get(THIS_MODULE);
	file->f_mode |= FMODE_PREAD | FMODE_PWRITE;
	kref_get(&v->kref);
	file->private_data = v;
	return file;
}

/*
 * The legacy mirror: a view whose offset space is t's address space. The
 * caller keeps its own reference to t.
 */
struct file *remote_proc_mirror_create(struct remote_proc_target *t,
				       bool writable)
{
	unsigned int rights = REMOTE_PROC_RIGHT_READ | REMOTE_PROC_RIGHT_EXEC;
	struct remote_proc_view *v;
	struct file *file;
	int ret;

	if (writable)
		rights |= REMOTE_PROC_RIGHT_WRITE;
	v = view_create(TASK_SIZE_MAX >> PAGE_SHIFT);
	if (IS_ERR(v))
		return ERR_CAST(v);

	mutex_lock(&v->lock);
	ret = view_add_window(v, t, 0, v->nr_pages, 0, rights);
	mutex_unlock(&v->lock);
	if (ret) {
		file = ERR_PTR(ret);
		goto out_put_view;
	}
	file = view_file(v, writable);
out_put_view:
	view_put(v);
	return file;
}
