/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
#ifndef _REMOTE_PROC_INTERNAL_H
#define _REMOTE_PROC_INTERNAL_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/remote_proc.h>

struct remote_proc_view;

/*
 * An attached address space: the mm bound by a /proc/PID/mem file, watched
 * by one mmu interval notifier over the whole address space. Windows of
 * views refer to it; it lives until the last window is gone.
 *
 * Locking order:
 *
 *   caller mmap_lock or VMA lock (read; held by the core around ->fault)
 *     target mmap_lock (read; only mmap_read_trylock() while a caller's
 *                       lock is held, see fault.c)
 *     view->pgtable_lock (page tables built, with reclaim; huge entries)
 *       target->lock
 *         caller page-table lock (vmf_insert_pfn_prot, apply_to_page_range)
 *         target->populated xa_lock
 *
 *   view->lock
 *     target->windows_lock (write: windows added or removed)
 *       target->lock (window->revoked)
 *
 *   target->windows_lock (read: held by the zap worker across zaps)
 *     view mapping i_mmap_rwsem (read; unmap_mapping_range)
 *       caller page-table locks, the caller mm's mmu notifiers
 *
 * target->lock is the notifier "user lock": the invalidate callback takes
 * it to publish the new sequence, and a fault takes it to check the
 * sequence and insert the PTE. Nothing allocates under it (reclaim can
 * invalidate and take it again): the page tables of a batch are built
 * before it is taken, and xarray nodes are preallocated outside it.
 *
 * The zap of mirror PTEs never runs under target->lock and never in the
 * invalidating task itself: the callback hands it to remote_proc_zap_wq
 * and waits for it. A zap invalidates the caller's mm in turn; doing it in
 * the callback's own context would nest one mmu_notifier invalidation
 * inside another, which lockdep (rightly, for its fake notifier lock)
 * reports as recursion. Nested invalidations triggered by such a zap
 * cover only mirror (VM_PFNMAP) ranges, where nothing is ever populated,
 * so they return early and never queue a zap of their own: the chain
 * stops after one level, also for mutual and self mirrors. Nothing on the
 * zap workqueue waits for other work: target teardown, whose
 * mmu_interval_notifier_remove() waits for invalidations in flight (so
 * for their zaps), runs on remote_proc_release_wq.
 *
 * A write to a read-only view PTE (->pfn_mkwrite) holds what a fault
 * holds and takes the same locks in the same order: the target's
 * mmap_lock by trylock only, then target->lock.
 *
 * Revoking a window: revoked is set under target->lock, the view range is
 * zapped, and only then is the window unlinked from target->windows; a
 * new window is linked before it is published in the view's tree. So an
 * invalidation always finds every window that may map a page it covers.
 */
struct remote_proc_target {
	struct kref kref;
	struct mm_struct *mm;		/* mmgrab()ed */
	struct file *memfile;		/* the /proc/PID/mem file attached with */
	struct pid *pid;		/* the task whose mem file it is */
	struct mmu_interval_notifier notifier;

	struct mutex lock;		/* the notifier "user lock" */
	/*
	 * Target pages that may be mapped by some view of this target: a
	 * bit per page, in value entries of 32 pages (target.c). Set under
	 * lock before a PTE is inserted, cleared by an invalidation only
	 * once its zap is done (so a clear bit means no PTE). Lets
	 * invalidations of never-mirrored ranges return early; and since
	 * pages of VM_PFNMAP source ranges are never recorded, it is what
	 * ends the chain of nested invalidations described above. A bit
	 * per page, not a mark per chunk: a chunk could straddle a mirror
	 * VMA.
	 */
	struct xarray populated;
	bool dead;			/* the mm went away (exit, exec) */
	bool gone;			/* dead, and every view mapping zapped */
	/* protected by lock */

	struct rw_semaphore windows_lock;
	struct list_head windows;	/* remote_proc_window.target_node */
	/* protected by windows_lock */

	struct work_struct release_work;
	struct rcu_head rcu;		/* freed after readers of windows' targets */
};

/* One range of a view backed by a range of a target. */
struct remote_proc_window {
	struct kref kref;
	struct remote_proc_view *view;		/* not counted: the view owns us */
	struct remote_proc_target *target;	/* counted */
	struct remote_proc_user *user;		/* charged with this window */
	unsigned long pgoff;		/* first view page */
	unsigned long nr_pages;
	unsigned long taddr;		/* target address of the first page */
	unsigned int rights;		/* REMOTE_PROC_RIGHT_* (uapi) */
	bool revoked;			/* protected by target->lock */
	struct list_head target_node;	/* protected by target->windows_lock */
	struct rcu_head rcu;
};

/*
 * Per open of /dev/remote-proc. Views created through it keep it alive, to
 * count them against max_views_per_fd.
 */
struct remote_proc_dev_ctx {
	struct kref kref;
	atomic_t nr_views;
	struct mutex lock;		/* serialises handshakes */
	bool negotiated;
	u64 features;
	/* protected by lock */
};

/*
 * A view: an offset space (the offsets of its fds) made of windows. The
 * legacy mirror fd is a sealed view with one identity window over a whole
 * target. Its inode's i_mapping lists every mapping of every fd of the
 * view, which is what revocation and invalidation zap.
 */
struct remote_proc_view {
	struct kref kref;
	struct inode *inode;		/* private to this view */
	unsigned long nr_pages;		/* size of the offset space */
	bool mirror;			/* made by ATTACH */
	struct remote_proc_dev_ctx *ctx; /* counted, for views made by VIEW_CREATE */
	wait_queue_head_t wq;		/* poll: revocations, dead sources */

	/*
	 * Page tables of the view's mappings are built, and 2 MiB entries
	 * installed, under it: a table is never built where a huge entry
	 * appears meanwhile (fault.c).
	 */
	struct mutex pgtable_lock;

	struct mutex lock;		/* serialises layout changes */
	struct maple_tree windows;	/* view pgoff -> window; RCU lookups */
	unsigned int nr_windows;
	bool sealed;
	u64 generation;			/* revoking UNMAPs; read locklessly */
	struct remote_proc_target *self_target;	/* MAP_SELF cache, counted */
	/* protected by lock */
};

/* Per open file of a view (access, mirror or control fd). */
struct remote_proc_vfile {
	struct remote_proc_view *view;	/* counted */
	u64 seen_generation;		/* last one QUERY returned, for poll */

	/*
	 * MAP_POPULATE is seen by get_unmapped_area(), the new VMA by
	 * ->mmap(): the request is noted in between (both run under the
	 * mapping process's mmap_lock).
	 */
	spinlock_t populate_lock;
	struct mm_struct *populate_mm;	/* not counted: compared only */
	unsigned long populate_addr, populate_len;
	/* protected by populate_lock */
};

/* main.c */
extern const struct file_operations *remote_proc_mem_fops;
extern struct file_system_type *remote_proc_procfs_type;
extern struct vfsmount *remote_proc_mnt;
extern struct workqueue_struct *remote_proc_zap_wq;
extern struct workqueue_struct *remote_proc_release_wq;

/* dev.c */
extern const struct file_operations remote_proc_dev_fops;
void remote_proc_dev_ctx_put(struct remote_proc_dev_ctx *ctx);
extern unsigned int remote_proc_max_windows_per_view;
extern unsigned int remote_proc_max_views_per_fd;

/* target.c */
struct file *remote_proc_open_mem(pid_t pid, bool writable);
struct remote_proc_target *remote_proc_target_attach(struct file *memfile);
void remote_proc_target_get(struct remote_proc_target *t);
void remote_proc_target_put(struct remote_proc_target *t);
bool remote_proc_target_dead(struct remote_proc_target *t);
bool remote_proc_target_gone(struct remote_proc_target *t);
pid_t remote_proc_target_vnr(struct remote_proc_target *t);
void remote_proc_target_link(struct remote_proc_target *t,
			     struct remote_proc_window *w);
void remote_proc_target_revoke(struct remote_proc_target *t,
			       struct remote_proc_window *w);
void remote_proc_target_unlink(struct remote_proc_target *t,
			       struct remote_proc_window *w);
int remote_proc_target_record(struct remote_proc_target *t, unsigned long first,
			      unsigned long nr, const unsigned long *pfns);
int remote_proc_target_reserve(struct remote_proc_target *t, unsigned long page);

/* window.c: the layout of views */
struct remote_proc_window *remote_proc_window_lookup(struct remote_proc_view *v,
						     unsigned long pgoff);
void remote_proc_window_put(struct remote_proc_window *w);
void remote_proc_window_retire(struct remote_proc_window *w);
int remote_proc_view_add_window(struct remote_proc_view *v,
				struct remote_proc_target *t, unsigned long pgoff,
				unsigned long nr_pages, unsigned long taddr,
				unsigned int rights);
int remote_proc_view_unmap(struct remote_proc_view *v, unsigned long first,
			   unsigned long last);
void remote_proc_view_zap(struct remote_proc_view *v, unsigned long pgoff,
			  unsigned long nr_pages);
void remote_proc_view_wake(struct remote_proc_view *v);
unsigned long remote_proc_view_next_window(struct remote_proc_view *v,
					   unsigned long pgoff);
unsigned int remote_proc_view_missing_rights(struct remote_proc_view *v,
					     unsigned long first,
					     unsigned long last);
int remote_proc_view_check_rights(struct remote_proc_view *v, unsigned long first,
				  unsigned long last, unsigned long vm_flags);

/* view.c: views, their files and access fds */
extern const struct file_operations remote_proc_access_fops;
struct file *remote_proc_mirror_create(struct remote_proc_target *t,
				       bool writable);
struct file *remote_proc_view_create(struct remote_proc_dev_ctx *ctx,
				     unsigned long nr_pages);
struct file *remote_proc_view_file(struct remote_proc_view *v,
				   const struct file_operations *fops, bool writable);
int remote_proc_view_release_file(struct inode *inode, struct file *file);
long remote_proc_view_query(struct file *file, unsigned int cmd, unsigned long arg);

/* control.c: control fds of views */
extern const struct file_operations remote_proc_control_fops;

/* fault.c */
extern const struct vm_operations_struct remote_proc_vm_ops;
extern unsigned int remote_proc_fault_around_pages;
long remote_proc_populate(struct file *file, unsigned long addr,
			  unsigned long len, bool write, u64 *populated);
void remote_proc_populate_on_return(struct file *file, unsigned long addr,
				    unsigned long len);

/* user.c: windows counted per user */
struct remote_proc_user;
extern unsigned int remote_proc_max_windows_per_user;
struct remote_proc_user *remote_proc_user_charge(void);
void remote_proc_user_uncharge(struct remote_proc_user *u);

/* stats.c: event counters, shown in debugfs remote_proc/stats */
enum remote_proc_stat {
	RP_STAT_FAULTS,		/* ->fault calls */
	RP_STAT_MKWRITES,	/* ->pfn_mkwrite calls (writes to read-only PTEs) */
	RP_STAT_FAULT_PAGES,	/* PTEs installed by faults (with fault-around) */
	RP_STAT_PMD_FAULTS,	/* PMDs installed by ->huge_fault */
	RP_STAT_PMD_FALLBACKS,	/* ->huge_fault calls answered with a fallback */
	RP_STAT_POPULATE_PAGES,	/* PTEs installed by populate */
	RP_STAT_RETRIES,	/* faults retried with the caller's lock dropped */
	RP_STAT_SEQ_RETRIES,	/* notifier sequence collisions */
	RP_STAT_INVALIDATIONS,	/* invalidate callbacks */
	RP_STAT_ZAPS,		/* invalidations that had mirror PTEs to zap */
	RP_STAT_NONBLOCK_REFUSED, /* non-blocking invalidations refused */
	RP_STAT_REVOKES,	/* windows revoked by UNMAP */
	/* Why faults raised SIGBUS: */
	RP_STAT_SIGBUS_HOLE,	/* no window */
	RP_STAT_SIGBUS_RIGHTS,	/* the window lacks the right */
	RP_STAT_SIGBUS_SOURCE,	/* no source mapping there, or memfd_secret */
	RP_STAT_SIGBUS_HMM,	/* the source page cannot be had (hmm error) */
	RP_STAT_SIGBUS_NORETRY,	/* caller could not retry, source page absent */
	RP_STAT_SIGBUS_DEAD,	/* the source is gone */
	RP_NR_STATS
};

DECLARE_PER_CPU(u64 [RP_NR_STATS], remote_proc_stats);

static inline void remote_proc_stat_add(enum remote_proc_stat s, u64 n)
{
	this_cpu_add(remote_proc_stats[s], n);
}

int remote_proc_stats_init(void);
void remote_proc_stats_exit(void);

/* uapi.c: the conventions every ioctl follows */
int remote_proc_copy_in(void *k, size_t ksize, size_t ver0, unsigned int cmd,
			unsigned long arg);
int remote_proc_copy_out(unsigned long arg, unsigned int cmd, const void *k,
			 size_t ksize);
bool remote_proc_reserved_zero(const void *p, size_t len);
int remote_proc_check_range(u64 start, u64 len, u64 limit);

#endif /* _REMOTE_PROC_INTERNAL_H */
