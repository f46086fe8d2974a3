// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Targets: attaching to an address space through its /proc/PID/mem file,
 * the mmu interval notifier that keeps every view of it coherent, and the
 * zap of mirror page-table entries.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/hmm.h>
#include <linux/mount.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "internal.h"

/* Whether a task with that pid exists in the caller's pid namespace. */
static bool pid_exists(pid_t nr)
{
	bool found;

	rcu_read_lock();
	found = pid_task(find_vpid(nr), PIDTYPE_PID);
	rcu_read_unlock();
	return found;
}

/*
 * Open /proc/<pid>/mem (pid 0: /proc/self/mem) with the caller's
 * credentials, in a private procfs instance: it resolves pids in the
 * caller's pid namespace whatever is (or is not) mounted on its /proc.
 */
struct file *remote_proc_open_mem(pid_t pid, bool writable)
{
	struct vfsmount *mnt;
	struct path root;
	struct file *f;
	char name[24];

	if (pid)
		snprintf(name, sizeof(name), "%d/mem", pid);
	else
		strscpy(name, "self/mem", sizeof(name));
	mnt = vfs_kern_mount(remote_proc_procfs_type, 0, "proc", NULL);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	root.mnt = mnt;
	root.dentry = mnt->mnt_root;
	f = file_open_root(&root, name, writable ? O_RDWR : O_RDONLY, 0);
	mntput(mnt);	/* an open file holds its own reference */
	/*
	 * procfs answers ENOENT also when it cannot allocate the entry's
	 * inode: ESRCH only for a pid that is not there.
	 */
	if (IS_ERR(f) && PTR_ERR(f) == -ENOENT)
		return ERR_PTR(pid && !pid_exists(pid) ? -ESRCH : -ENOMEM);
	return f;
}

/* The struct pid of the process (or thread) directory the mem file is in. */
static struct pid *memfile_pid(struct file *memfile)
{
	struct dentry *parent = dget_parent(memfile->f_path.dentry);
	struct pid_namespace *ns = proc_pid_ns(file_inode(memfile)->i_sb);
	char name[16];
	struct pid *pid;
	int nr;

	spin_lock(&parent->d_lock);
	strscpy(name, parent->d_name.name, sizeof(name));
	spin_unlock(&parent->d_lock);
	dput(parent);
	if (kstrtoint(name, 10, &nr) || nr <= 0)
		return NULL;

	rcu_read_lock();
	pid = get_pid(find_pid_ns(nr, ns));
	rcu_read_unlock();
	return pid;
}

pid_t remote_proc_target_vnr(struct remote_proc_target *t)
{
	struct task_struct *task;
	pid_t nr = 0;

	if (!t->pid)
		return 0;
	task = get_pid_task(t->pid, PIDTYPE_PID);
	if (task) {
		nr = task_tgid_vnr(task);
		put_task_struct(task);
	}
	return nr;
}

bool remote_proc_target_dead(struct remote_proc_target *t)
{
	return READ_ONCE(t->dead);
}

/* Dead, and every view mapping of it zapped: what users are told. */
bool remote_proc_target_gone(struct remote_proc_target *t)
{
	return READ_ONCE(t->gone);
}

/* Zap every view mapping of target range [start, end). */
static void target_zap(struct remote_proc_target *t, unsigned long start,
		       unsigned long end)
{
	bool dead = READ_ONCE(t->dead);
	struct remote_proc_window *w;

	down_read(&t->windows_lock);
	list_for_each_entry(w, &t->windows, target_node) {
		/* Pages [first, last] of the target that w shows. */
		unsigned long wfirst = w->taddr >> PAGE_SHIFT;
		unsigned long first = max(start >> PAGE_SHIFT, wfirst);
		unsigned long last = min((end - 1) >> PAGE_SHIFT,
					 wfirst + w->nr_pages - 1);

		if (first <= last)
			remote_proc_view_zap(w->view, w->pgoff + (first - wfirst),
					     last - first + 1);
	}
	/*
	 * The source went away: report it (poll, query) only now that its
	 * PTEs are gone, so that a consumer told gets SIGBUS, not old data.
	 */
	if (dead) {
		WRITE_ONCE(t->gone, true);
		list_for_each_entry(w, &t->windows, target_node)
			remote_proc_view_wake(w->view);
	}
	up_read(&t->windows_lock);
}

struct zap_request {
	struct work_struct work;
	struct completion done;
	struct remote_proc_target *target;
	unsigned long start, end;
};

static void zap_work(struct work_struct *work)
{
	struct zap_request *zr = container_of(work, struct zap_request, work);

	target_zap(zr->target, zr->start, zr->end);
	complete(&zr->done);
}

/*
 * Zap in the worker and wait: the mirror PTEs are gone when this returns,
 * as the notifier contract requires, and the caller-mm invalidation the zap
 * causes does not nest inside the target-mm invalidation we are called
 * from (see the locking comment in internal.h).
 */
static void target_zap_sync(struct remote_proc_target *t, unsigned long start,
			    unsigned long end)
{
	struct zap_request zr = {
		.target = t,
		.start = start,
		.end = end,
	};

	INIT_WORK_ONSTACK(&zr.work, zap_work);
	init_completion(&zr.done);
	queue_work(remote_proc_zap_wq, &zr.work);
	wait_for_completion(&zr.done);
	destroy_work_on_stack(&zr.work);
}

/*
 * target->populated holds one value entry per RP_CHUNK_PAGES target pages,
 * a bit per page: index = page >> RP_CHUNK_SHIFT. One store records what
 * a fault maps, and every page keeps its own bit, so an invalidation finds
 * exactly the pages it covers.
 */
#define RP_CHUNK_SHIFT	5
#define RP_CHUNK_PAGES	BIT(RP_CHUNK_SHIFT)

/* The bits of pages [first, last] that fall into chunk. */
static unsigned long chunk_bits(unsigned long chunk, unsigned long first,
				unsigned long last)
{
	unsigned long lo = max(first, chunk << RP_CHUNK_SHIFT);
	unsigned long hi = min(last, ((chunk + 1) << RP_CHUNK_SHIFT) - 1);

	return GENMASK(hi & (RP_CHUNK_PAGES - 1), lo & (RP_CHUNK_PAGES - 1));
}

static unsigned long entry_bits(void *entry)
{
	/* A reserved slot (xa_reserve()) holds no page yet. */
	return xa_is_value(entry) ? xa_to_value(entry) : 0;
}

/*
 * Note that target pages [first, first + nr) may get mapped, before their
 * PTEs are inserted: all of them, or with pfns those that hmm_range_fault()
 * found valid. Under one xarray lock; nodes are allocated between rounds,
 * without reclaim. The caller holds t->lock. Returns 0 or -ENOMEM.
 */
int remote_proc_target_record(struct remote_proc_target *t, unsigned long first,
			      unsigned long nr, const unsigned long *pfns)
{
	XA_STATE(xas, &t->populated, first >> RP_CHUNK_SHIFT);
	unsigned long i = 0, j, end, bits, old;

	lockdep_assert_held(&t->lock);
	do {
		xas_lock(&xas);
		for (; i < nr; i = end) {
			unsigned long page = first + i;

			end = min(nr, i + RP_CHUNK_PAGES - (page & (RP_CHUNK_PAGES - 1)));
			bits = 0;
			for (j = i; j < end; j++)
				if (!pfns || (pfns[j] & HMM_PFN_VALID))
					bits |= BIT((first + j) & (RP_CHUNK_PAGES - 1));
			if (!bits)
				continue;
			xas_set(&xas, page >> RP_CHUNK_SHIFT);
			old = entry_bits(xas_load(&xas));
			if ((old | bits) == old)
				continue;
			xas_store(&xas, xa_mk_value(old | bits));
			if (xas_error(&xas))
				break;
		}
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT));
	return xas_error(&xas);
}

/*
 * Allocate the slot that records target page "page", where reclaim is
 * allowed (outside t->lock). Returns 0 or -ENOMEM.
 */
int remote_proc_target_reserve(struct remote_proc_target *t, unsigned long page)
{
	return xa_reserve(&t->populated, page >> RP_CHUNK_SHIFT, GFP_KERNEL_ACCOUNT);
}

/* Whether any of the pages [first, last] may be mapped. */
static bool target_recorded(struct remote_proc_target *t, unsigned long first,
			    unsigned long last)
{
	XA_STATE(xas, &t->populated, first >> RP_CHUNK_SHIFT);
	bool found = false;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, last >> RP_CHUNK_SHIFT) {
		if (xas_retry(&xas, entry))
			continue;
		if (entry_bits(entry) & chunk_bits(xas.xa_index, first, last)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Forget that pages [first, last] may be mapped: their PTEs are gone. */
static void target_forget(struct remote_proc_target *t, unsigned long first,
			  unsigned long last)
{
	XA_STATE(xas, &t->populated, first >> RP_CHUNK_SHIFT);
	unsigned long bits;
	void *entry;

	xas_lock(&xas);
	xas_for_each(&xas, entry, last >> RP_CHUNK_SHIFT) {
		if (!xa_is_value(entry))
			continue;
		bits = xa_to_value(entry) & ~chunk_bits(xas.xa_index, first, last);
		if (bits != xa_to_value(entry))
			xas_store(&xas, bits ? xa_mk_value(bits) : NULL);
	}
	xas_unlock(&xas);
}

static bool target_invalidate(struct mmu_interval_notifier *mni,
			      const struct mmu_notifier_range *range,
			      unsigned long cur_seq)
{
	struct remote_proc_target *t =
		container_of(mni, struct remote_proc_target, notifier);
	bool blockable = mmu_notifier_range_blockable(range);
	bool release = range->event == MMU_NOTIFY_RELEASE;
	unsigned long first = range->start >> PAGE_SHIFT;
	unsigned long last = (range->end - 1) >> PAGE_SHIFT;
	bool populated;

	remote_proc_stat_add(RP_STAT_INVALIDATIONS, 1);
	if (blockable) {
		mutex_lock(&t->lock);
	} else if (!mutex_trylock(&t->lock)) {
		remote_proc_stat_add(RP_STAT_NONBLOCK_REFUSED, 1);
		return false;
	}

	/* From here until the invalidation ends, no fault inserts anything. */
	mmu_interval_set_seq(mni, cur_seq);
	if (release)
		WRITE_ONCE(t->dead, true);
	/*
	 * The entries of the range stay until its PTEs are zapped: an
	 * overlapping invalidation running meanwhile must see them and zap
	 * (and wait) itself, not return while our zap is still under way.
	 */
	populated = target_recorded(t, first, last);
	mutex_unlock(&t->lock);

	if (populated && !blockable) {
		/* Zapping sleeps: let the (OOM reaper) caller retry. */
		remote_proc_stat_add(RP_STAT_NONBLOCK_REFUSED, 1);
		return false;
	}
	/* On release, also to wake the pollers of views using this target. */
	if (populated || release)
		target_zap_sync(t, range->start, range->end);
	if (populated) {
		remote_proc_stat_add(RP_STAT_ZAPS, 1);
		target_forget(t, first, last);
	}
	return true;
}

static const struct mmu_interval_notifier_ops target_notifier_ops = {
	.invalidate = target_invalidate,
};

/*
 * Attach to the address space bound by memfile, a /proc/PID/mem file.
 * Returns a target with one reference, or an ERR_PTR.
 */
struct remote_proc_target *remote_proc_target_attach(struct file *memfile)
{
	struct mm_struct *mm = memfile->private_data;
	struct remote_proc_target *t;
	int ret;

	/* A kernel thread or an exited task has no mm to bind. */
	if (!mm)
		return ERR_PTR(-ESRCH);

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	kref_init(&t->kref);
	mutex_init(&t->lock);
	xa_init(&t->populated);
	init_rwsem(&t->windows_lock);
	INIT_LIST_HEAD(&t->windows);

	if (!mmget_not_zero(mm)) {
		ret = -ESRCH;
		goto err_free;
	}
	/* Never with any lock held: the first insert on an mm takes them all. */
	ret = mmu_interval_notifier_insert(&t->notifier, mm, 0,
					   ULONG_MAX & PAGE_MASK,
					   &target_notifier_ops);
	mmput(mm);
	if (ret)
		goto err_free;

	mmgrab(mm);
	t->mm = mm;
	t->memfile = get_file(memfile);
	t->pid = memfile_pid(memfile);
	return t;

err_free:
	kfree(t);
	return ERR_PTR(ret);
}

static void target_release_work(struct work_struct *work)
{
	struct remote_proc_target *t =
		container_of(work, struct remote_proc_target, release_work);

	mmu_interval_notifier_remove(&t->notifier);
	xa_destroy(&t->populated);
	fput(t->memfile);
	put_pid(t->pid);
	mmdrop(t->mm);
	/* poll and QUERY read t->gone through windows under RCU. */
	kfree_rcu(t, rcu);
}

/*
 * The last reference can go from paths that hold a caller's mmap_lock (a
 * fault holding the last window reference), where waiting for in-flight
 * invalidations in mmu_interval_notifier_remove() is unwelcome: free in
 * a workqueue. Not the zap workqueue: the invalidations waited for may
 * themselves wait for zaps queued behind this work (or for its
 * max_active slots, or its rescuer). Module exit drains both.
 */
static void target_release(struct kref *kref)
{
	struct remote_proc_target *t =
		container_of(kref, struct remote_proc_target, kref);

	WARN_ON_ONCE(!list_empty(&t->windows));
	INIT_WORK(&t->release_work, target_release_work);
	queue_work(remote_proc_release_wq, &t->release_work);
}

void remote_proc_target_put(struct remote_proc_target *t)
{
	kref_put(&t->kref, target_release);
}

void remote_proc_target_get(struct remote_proc_target *t)
{
	kref_get(&t->kref);
}

/* Make w's range of t (w->target, counted) reachable by invalidations. */
void remote_proc_target_link(struct remote_proc_target *t,
			     struct remote_proc_window *w)
{
	down_write(&t->windows_lock);
	list_add_tail(&w->target_node, &t->windows);
	up_write(&t->windows_lock);
}

/*
 * Revoke w: no fault can install a page of it after this returns (faults
 * check revoked under target->lock before inserting). It stays linked, so
 * invalidations still zap what it mapped, until the caller has zapped the
 * view range and unlinks it.
 */
void remote_proc_target_revoke(struct remote_proc_target *t,
			       struct remote_proc_window *w)
{
	mutex_lock(&t->lock);
	w->revoked = true;
	mutex_unlock(&t->lock);
}

/* Revoke w and make it unreachable by invalidations: nothing maps it. */
void remote_proc_target_unlink(struct remote_proc_target *t,
			       struct remote_proc_window *w)
{
	remote_proc_target_revoke(t, w);
	down_write(&t->windows_lock);
	list_del_init(&w->target_node);
	up_write(&t->windows_lock);
}
