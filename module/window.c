// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The layout of a view: its windows in a maple tree keyed by view page,
 * looked up under RCU by faults; adding and revoking (cutting) windows
 * in the order that keeps every mapped page reachable by invalidations;
 * and the rights a range of windows grants.
 */
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "internal.h"

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
	remote_proc_user_uncharge(w->user);
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

/*
 * The first view page at or after pgoff that some window holds (pgoff
 * itself when one was added there meanwhile), or the view's end.
 */
unsigned long remote_proc_view_next_window(struct remote_proc_view *v,
					   unsigned long pgoff)
{
	struct remote_proc_window *w;
	unsigned long index = pgoff, next;

	rcu_read_lock();
	w = mt_find(&v->windows, &index, ULONG_MAX);
	next = w ? max(w->pgoff, pgoff) : max(v->nr_pages, pgoff);
	rcu_read_unlock();
	return next;
}

/*
 * REMOTE_PROC_RIGHT_* that some window of view pages [first, last] lacks.
 * Windows added later are checked by the faults themselves.
 */
unsigned int remote_proc_view_missing_rights(struct remote_proc_view *v,
					     unsigned long first,
					     unsigned long last)
{
	struct remote_proc_window *w;
	unsigned long index = first;
	unsigned int missing = 0;

	rcu_read_lock();
	mt_for_each(&v->windows, w, index, last)
		missing |= ~w->rights;
	rcu_read_unlock();
	return missing;
}

/* Whether a mapping with vm_flags may show view pages [first, last]. */
int remote_proc_view_check_rights(struct remote_proc_view *v, unsigned long first,
				  unsigned long last, unsigned long vm_flags)
{
	unsigned int missing = remote_proc_view_missing_rights(v, first, last);

	if (((vm_flags & VM_WRITE) && (missing & REMOTE_PROC_RIGHT_WRITE)) ||
	    ((vm_flags & VM_EXEC) && (missing & REMOTE_PROC_RIGHT_EXEC)))
		return -EACCES;
	return 0;
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

/*
 * A window onto t (taking a target reference), not yet in any tree or
 * list, charged to the calling user. ERR_PTR(-ENOSPC) when the user has
 * max_windows_per_user already, or ERR_PTR(-ENOMEM).
 */
static struct remote_proc_window *window_alloc(struct remote_proc_view *v,
					       struct remote_proc_target *t,
					       unsigned long pgoff,
					       unsigned long nr_pages,
					       unsigned long taddr,
					       unsigned int rights)
{
	struct remote_proc_user *u = remote_proc_user_charge();
	struct remote_proc_window *w;

	if (IS_ERR(u))
		return ERR_CAST(u);
	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w) {
		remote_proc_user_uncharge(u);
		return ERR_PTR(-ENOMEM);
	}
	w->user = u;
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

/*
 * Drop a window already out of the view's tree and no longer mapped (or
 * never published): unlinked from its target, it is invisible to
 * invalidations.
 */
void remote_proc_window_retire(struct remote_proc_window *w)
{
	remote_proc_target_unlink(w->target, w);
	remote_proc_window_put(w);
}

/* Add a window onto t; on success the view owns the window's reference. */
int remote_proc_view_add_window(struct remote_proc_view *v,
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
	if (IS_ERR(w))
		return PTR_ERR(w);
	/*
	 * Reachable by invalidations before any fault can find it: a page a
	 * fault maps through it is always zapped when the source changes.
	 */
	remote_proc_target_link(t, w);
	/* -EEXIST when the range overlaps a window. */
	ret = mtree_insert_range(&v->windows, pgoff, pgoff + nr_pages - 1, w,
				 GFP_KERNEL_ACCOUNT);
	if (ret) {
		remote_proc_window_retire(w);
		return ret;
	}
	v->nr_windows++;
	return 0;
}

/*
 * Revoke view pages [first, last]. Windows inside go; windows partly
 * inside are replaced by their remainders, which are linked to their
 * target before the old window is revoked, so invalidations always find a
 * window for every mapped page and a lookup never sees a hole where a
 * remainder stays. Nothing changes on failure.
 */
int remote_proc_view_unmap(struct remote_proc_view *v, unsigned long first,
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
		struct remote_proc_window *r;

		old[i] = w;
		for (j = 2 * i; j < 2 * i + 2; j++) {
			if (j == 2 * i && w->pgoff < first)
				r = window_alloc(v, w->target, w->pgoff, first - w->pgoff,
						 w->taddr, w->rights);
			else if (j == 2 * i + 1 && window_last(w) > last)
				r = window_alloc(v, w->target, last + 1, window_last(w) - last,
						 w->taddr + (tail << PAGE_SHIFT), w->rights);
			else
				continue;
			if (IS_ERR(r)) {
				ret = PTR_ERR(r);
				goto out_free_remainders;
			}
			rem[j] = r;
		}
		i++;
	}

	/*
	 * Remainders are linked to their targets before a fault can find
	 * them in the tree, like any new window.
	 */
	for (j = 0; j < 2 * nr_old; j++)
		if (rem[j])
			remote_proc_target_link(rem[j]->target, rem[j]);

	/* Overwrite in place: remainders first, then the revoked middle. */
	for (i = 0; i < nr_old; i++) {
		w = old[i];
		for (j = 2 * i; j < 2 * i + 2; j++) {
			if (!rem[j])
				continue;
			ret = mtree_store_range(&v->windows, rem[j]->pgoff,
						window_last(rem[j]), rem[j], GFP_KERNEL_ACCOUNT);
			if (ret)
				goto out_restore;
		}
		ret = mtree_store_range(&v->windows, max(first, w->pgoff),
					min(last, window_last(w)), NULL, GFP_KERNEL_ACCOUNT);
		if (ret)
			goto out_restore;
	}

	/*
	 * Revoke (no fault installs a page of the old windows from here on),
	 * zap what is mapped, and only then unlink them from their targets:
	 * until the zap is done an invalidation of a source page must still
	 * find the window that may map it, or the view would keep showing a
	 * page the source has freed.
	 */
	for (i = 0; i < nr_old; i++)
		remote_proc_target_revoke(old[i]->target, old[i]);
	remote_proc_view_zap(v, first, last - first + 1);
	for (i = 0; i < nr_old; i++)
		remote_proc_window_retire(old[i]);
	remote_proc_stat_add(RP_STAT_REVOKES, nr_old);
	v->nr_windows += nr_rem - nr_old;
	WRITE_ONCE(v->generation, v->generation + 1);
	remote_proc_view_wake(v);
	goto out_free_arrays;

out_restore:
	/*
	 * Put every old window back over its whole range. A fault may have
	 * seen a remainder meanwhile; its PTE matches the old window's, which
	 * stayed linked throughout.
	 */
	for (i = 0; i < nr_old; i++)
		mtree_store_range(&v->windows, old[i]->pgoff, window_last(old[i]),
				  old[i], GFP_KERNEL | __GFP_NOFAIL);
	for (j = 0; j < 2 * nr_old; j++)
		if (rem[j]) {
			remote_proc_window_retire(rem[j]);
			rem[j] = NULL;
		}
out_free_remainders:
	for (j = 0; j < 2 * nr_old; j++)
		if (rem[j])
			remote_proc_window_put(rem[j]);
out_free_arrays:
	kfree(old);
	kfree(rem);
	return ret;
}
