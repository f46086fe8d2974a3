// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Views: offset spaces made of windows onto targets, their control fds
 * (MAP, UNMAP, LOCK, ACCESS_FD) and their access fds (mmap, read/write,
 * poll). The mirror fd of REMOTE_PROC_IOC_ATTACH is the access fd of a
 * sealed view with a single identity window over the whole target.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

static const struct file_operations access_fops;
static const struct file_operations control_fops;

struct remote_proc_window *remote_proc_window_lookup(struct remote_proc_view *v,
						     unsigned long pgoff)
{
	struct remote_proc_window *w;

	rcu_read_lock();
	do {
		/*
		 * A window on its way out (its last reference gone) has
		 * already been replaced in the tree: by a remainder when an
		 * UNMAP cut it, or by nothing. Look again.
		 */
		w = mtree_load(&v->windows, pgoff);
	} while (w && !kref_get_unless_zero(&w->kref));
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

static unsigned long window_last(const struct remote_proc_window *w)
{
	return w->pgoff + w->nr_pages - 1;
}

/* Remove every mapping PTE of view pages [pgoff, pgoff + nr_pages). */
void remote_proc_view_zap(struct remote_proc_view *v, unsigned long pgoff,
			  unsigned long nr_pages)
{
	unmap_mapping_pages(v->inode->i_mapping, pgoff, nr_pages, true);
}

void remote_proc_view_wake(struct remote_proc_view *v)
{
	wake_up_all(&v->wq);
}

/* A window onto t (taking a target reference), not yet in any tree or list. */
static struct remote_proc_window *window_alloc(struct remote_proc_view *v,
					       struct remote_proc_target *t,
					       unsigned long pgoff,
					       unsigned long nr_pages,
					       unsigned long taddr,
					       unsigned int rights)
{
	struct remote_proc_window *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	kref_init(&w->kref);
	remote_proc_target_get(t);
	w->target = t;
	w->view = v;
	w->pgoff = pgoff;
	w->nr_pages = nr_pages;
	w->taddr = taddr;
	w->rights = rights;
	INIT_LIST_HEAD(&w->target_node);
	return w;
}

/* Add a window onto t; on success the view owns the window's reference. */
static int view_add_window(struct remote_proc_view *v,
			   struct remote_proc_target *t, unsigned long pgoff,
			   unsigned long nr_pages, unsigned long taddr,
			   unsigned int rights)
{
	struct remote_proc_window *w;
	int ret;

	lockdep_assert_held(&v->lock);
	if (v->nr_windows >= remote_proc_max_windows_per_view)
		return -ENOSPC;
	w = window_alloc(v, t, pgoff, nr_pages, taddr, rights);
	if (!w)
		return -ENOMEM;
	/* -EEXIST when the range overlaps a window. */
	ret = mtree_insert_range(&v->windows, pgoff, pgoff + nr_pages - 1, w,
				 GFP_KERNEL);
	if (ret) {
		remote_proc_window_put(w);
		return ret;
	}
	remote_proc_target_link(t, w);
	v->nr_windows++;
	return 0;
}

/* Revoke a window already out of the view's tree, and drop it. */
static void window_retire(struct remote_proc_window *w)
{
	remote_proc_target_unlink(w->target, w);
	remote_proc_window_put(w);
}

/*
 * Revoke view pages [first, last]. Windows inside go; windows partly
 * inside are replaced by their remainders, which are linked to their
 * target before the old window is revoked, so invalidations always find a
 * window for every mapped page and a lookup never sees a hole where a
 * remainder stays. Nothing changes on failure.
 */
static int view_unmap(struct remote_proc_view *v, unsigned long first,
		      unsigned long last)
{
	struct remote_proc_window *w, **old, **rem;
	unsigned long index = first;
	unsigned int nr_old = 0, nr_rem = 0, i, j;
	int ret = 0;

	lockdep_assert_held(&v->lock);
	mt_for_each(&v->windows, w, index, last) {
		nr_old++;
		nr_rem += (w->pgoff < first) + (window_last(w) > last);
	}
	if (!nr_old)
		return -ENOENT;
	/* Only a cut that adds windows can exceed the cap. */
	if (nr_rem > nr_old &&
	    v->nr_windows - nr_old + nr_rem > remote_proc_max_windows_per_view)
		return -ENOSPC;

	old = kcalloc(nr_old, sizeof(*old), GFP_KERNEL);
	rem = kcalloc(2 * nr_old, sizeof(*rem), GFP_KERNEL);
	if (!old || !rem) {
		ret = -ENOMEM;
		goto out_free_arrays;
	}

	/* Prepare every remainder first: the only allocations that fail. */
	index = first;
	i = 0;
	mt_for_each(&v->windows, w, index, last) {
		unsigned long tail = last + 1 - w->pgoff;	/* pages before the right part */

		old[i] = w;
		if (w->pgoff < first)
			rem[2 * i] = window_alloc(v, w->target, w->pgoff, first - w->pgoff,
						  w->taddr, w->rights);
		if (window_last(w) > last)
			rem[2 * i + 1] = window_alloc(v, w->target, last + 1,
						      window_last(w) - last,
						      w->taddr + (tail << PAGE_SHIFT),
						      w->rights);
		if ((w->pgoff < first && !rem[2 * i]) ||
		    (window_last(w) > last && !rem[2 * i + 1])) {
			ret = -ENOMEM;
			goto out_free_remainders;
		}
		i++;
	}

	/* Overwrite in place: remainders first, then the revoked middle. */
	for (i = 0; i < nr_old; i++) {
		w = old[i];
		for (j = 2 * i; j < 2 * i + 2; j++) {
			if (!rem[j])
				continue;
			ret = mtree_store_range(&v->windows, rem[j]->pgoff,
						window_last(rem[j]), rem[j], GFP_KERNEL);
			if (ret)
				goto out_restore;
		}
		ret = mtree_store_range(&v->windows, max(first, w->pgoff),
					min(last, window_last(w)), NULL, GFP_KERNEL);
		if (ret)
			goto out_restore;
	}

	for (i = 0; i < nr_old; i++) {
		for (j = 2 * i; j < 2 * i + 2; j++)
			if (rem[j])
				remote_proc_target_link(old[i]->target, rem[j]);
		window_retire(old[i]);
	}
	remote_proc_stat_add(RP_STAT_REVOKES, nr_old);
	v->nr_windows += nr_rem - nr_old;
	/* Revoked: no fault can install a page of it; remove what is mapped. */
	remote_proc_view_zap(v, first, last - first + 1);
	WRITE_ONCE(v->generation, v->generation + 1);
	remote_proc_view_wake(v);
	goto out_free_arrays;

out_restore:
	/*
	 * Put every old window back over its whole range. A fault may have
	 * seen a remainder meanwhile; its PTE matches the old window's.
	 */
	for (i = 0; i < nr_old; i++)
		mtree_store_range(&v->windows, old[i]->pgoff, window_last(old[i]),
				  old[i], GFP_KERNEL | __GFP_NOFAIL);
out_free_remainders:
	for (j = 0; j < 2 * nr_old; j++)
		if (rem[j])
			remote_proc_window_put(rem[j]);
out_free_arrays:
	kfree(old);
	kfree(rem);
	return ret;
}

static void view_release(struct kref *kref)
{
	struct remote_proc_view *v = container_of(kref, struct remote_proc_view, kref);
	struct remote_proc_window *w;
	unsigned long index = 0;

	/* No fd and no mapping is left, so there is nothing to zap. */
	mutex_lock(&v->lock);
	mt_for_each(&v->windows, w, index, ULONG_MAX) {
		mtree_erase(&v->windows, w->pgoff);
		window_retire(w);
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

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	kref_init(&v->kref);
	v->nr_pages = nr_pages;
	init_waitqueue_head(&v->wq);
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

/* A new file of view v (taking a reference to it). */
static struct file *view_file(struct remote_proc_view *v,
			      const struct file_operations *fops, bool writable)
{
	struct remote_proc_vfile *vf;
	struct file *file;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
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
	if (fops == &access_fops)
		file->f_mode |= FMODE_PREAD | FMODE_PWRITE;
	kref_get(&v->kref);
	vf->view = v;
	vf->seen_generation = READ_ONCE(v->generation);
	spin_lock_init(&vf->populate_lock);
	file->private_data = vf;
	return file;
}

static int view_release_file(struct inode *inode, struct file *file)
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
	unsigned long first = vma->vm_pgoff, index = first, last;
	bool populate = populate_requested(vf, vma);
	unsigned int missing = 0;
	struct remote_proc_window *w;

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

	/* Rights the windows in range lack can neither be mapped nor added. */
	rcu_read_lock();
	mt_for_each(&v->windows, w, index, last)
		missing |= ~w->rights;
	rcu_read_unlock();
	if (((vma->vm_flags & VM_WRITE) && (missing & REMOTE_PROC_RIGHT_WRITE)) ||
	    ((vma->vm_flags & VM_EXEC) && (missing & REMOTE_PROC_RIGHT_EXEC)))
		return -EACCES;
	if (missing & REMOTE_PROC_RIGHT_WRITE)
		vm_flags_clear(vma, VM_MAYWRITE);
	if (missing & REMOTE_PROC_RIGHT_EXEC)
		vm_flags_clear(vma, VM_MAYEXEC);

	/*
	 * Special PTEs without page references (VM_PFNMAP); never copied to
	 * a forked child, never grown by mremap, never in core dumps.
	 */
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY);
#ifdef RP_HAVE_HUGE_FAULT_ORDER
	/*
	 * Ask for PMD faults where the source has THPs; the core still obeys
	 * transparent_hugepage=never.
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
		struct file *mf;
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

static long view_query(struct file *file, unsigned int cmd, unsigned long arg)
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
	if (file->f_op == &control_fops)
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

/* Check a page-aligned, non-wrapping, non-empty [start, start + len) <= limit. */
static int check_range(u64 start, u64 len, u64 limit)
{
	u64 end;

	if (!len || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(len))
		return -EINVAL;
	if (check_add_overflow(start, len, &end) || end > limit)
		return -EOVERFLOW;
	return 0;
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
	ret = check_range(p.addr, p.length, U64_MAX);
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
		return view_query(file, cmd, arg);
	if (_IOC_NR(cmd) == _REMOTE_PROC_IOC_POPULATE &&
	    _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE))
		return view_populate(file, cmd, arg);
	return -ENOTTY;
}

static const struct file_operations access_fops = {
	.owner = THIS_MODULE,
	.get_unmapped_area = view_get_unmapped_area,
	.mmap = view_mmap,
	.read = view_read,
	.write = view_write,
	.llseek = view_llseek,
	.poll = view_poll,
	.unlocked_ioctl = access_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = view_release_file,
};

/* --- control fds ----------------------------------------------------------- */

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
	if (f->f_op != &access_fops)
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

	memfile = remote_proc_open_mem("self/mem", true);
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
	ret = check_range(m.offset, m.length, (u64)v->nr_pages << PAGE_SHIFT);
	if (!ret)
		ret = check_range(m.source_addr, m.length, TASK_SIZE_MAX);
	if (ret)
		return ret;

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
		ret = view_add_window(v, t, m.offset >> PAGE_SHIFT,
				      m.length >> PAGE_SHIFT, m.source_addr, m.rights);
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
	ret = check_range(u.offset, u.length, (u64)v->nr_pages << PAGE_SHIFT);
	if (ret)
		return ret;

	mutex_lock(&v->lock);
	if (v->sealed)
		ret = -EPERM;
	else
		ret = view_unmap(v, u.offset >> PAGE_SHIFT,
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
	file = view_file(v, &access_fops, a.flags & REMOTE_PROC_ACCESS_WRITE);
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
		return view_query(file, cmd, arg);
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

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
	.release = view_release_file,
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
	file = view_file(v, &control_fops, false);
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
	unsigned int rights = REMOTE_PROC_RIGHT_READ | REMOTE_PROC_RIGHT_EXEC;
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
	ret = view_add_window(v, t, 0, v->nr_pages, 0, rights);
	v->sealed = true;
	mutex_unlock(&v->lock);
	file = ret ? ERR_PTR(ret) : view_file(v, &access_fops, writable);
	view_put(v);
	return file;
}
