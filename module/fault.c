// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Faults on view mappings: map the target's current page with
 * vmf_insert_pfn_prot(), under the mmu interval notifier sequence protocol.
 *
 * A fault runs with the caller's mmap_lock held for read. It never blocks
 * on the target's mmap_lock while holding it (two processes mirroring each
 * other would deadlock, rwsem fairness closing the cycle): it takes the
 * target's lock with a trylock and only looks at what is mapped there.
 * When the target must fault first, or the trylock fails, the caller's
 * lock is dropped, the target is faulted with only its own lock held, and
 * the fault is retried (VM_FAULT_RETRY). The retried fault (FAULT_FLAG_TRIED)
 * may fault the target itself under the trylock, which makes it final.
 */
#include <linux/hmm.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "internal.h"

/* Sequence retries within one fault before letting the access retry. */
#define FAULT_MAX_TRIES 16

enum snapshot {
	SNAP_OK,	/* hpfn maps the page as needed */
	SNAP_ABSENT,	/* the target has to fault first */
	SNAP_BUSY,	/* the notifier sequence moved on: retry */
	SNAP_DENIED,	/* no access possible: SIGBUS */
	SNAP_NOMEM,
};

static bool vma_is_secret(struct vm_area_struct *vma)
{
	return vma->vm_file &&
	       file_inode(vma->vm_file)->i_sb->s_magic == SECRETMEM_MAGIC;
}

/*
 * Look up (and, with fault, fault in) target address range->start.
 * The target's mmap_lock is held.
 */
static enum snapshot snapshot(struct mm_struct *tmm, struct hmm_range *range,
			      bool write, bool fault)
{
	struct vm_area_struct *vma;
	int ret;

	mmap_assert_locked(tmm);
	vma = vma_lookup(tmm, range->start);
	/* hmm_range_fault() would hand out memfd_secret() pages. */
	if (!vma || vma_is_secret(vma))
		return SNAP_DENIED;

	range->default_flags = 0;
	if (fault)
		range->default_flags = HMM_PFN_REQ_FAULT |
				       (write ? HMM_PFN_REQ_WRITE : 0);
	range->hmm_pfns[0] = 0;
	ret = hmm_range_fault(range);
	if (ret == -EBUSY)
		return SNAP_BUSY;
	if (ret == -ENOMEM)
		return SNAP_NOMEM;
	if (ret || (range->hmm_pfns[0] & HMM_PFN_ERROR))
		return SNAP_DENIED;
	if (!(range->hmm_pfns[0] & HMM_PFN_VALID) ||
	    (write && !(range->hmm_pfns[0] & HMM_PFN_WRITE)))
		return fault ? SNAP_DENIED : SNAP_ABSENT;
	return SNAP_OK;
}

/*
 * Install the page under target->lock if the sequence still holds.
 * Returns 0 with *ret set, -EAGAIN to start over, -ESTALE when the window
 * was revoked (the view may have a new window there), -ENOMEM when the
 * xarray slot must be allocated first (outside the lock).
 */
static int insert_locked(struct vm_fault *vmf, struct remote_proc_window *w,
			 struct hmm_range *range, bool write, vm_fault_t *ret)
{
	struct remote_proc_target *t = w->target;
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = hmm_pfn_to_page(range->hmm_pfns[0]);
	unsigned int noreclaim;
	pgprot_t prot;

	lockdep_assert_held(&t->lock);
	if (mmu_interval_read_retry(&t->notifier, range->notifier_seq))
		return -EAGAIN;
	if (w->revoked)
		return -ESTALE;
	if (t->dead) {
		*ret = VM_FAULT_SIGBUS;
		return 0;
	}

	/* Record the page before mapping it, so invalidations find it. */
	if (xa_is_err(xa_store(&t->populated, range->start >> PAGE_SHIFT,
			       xa_mk_value(0), GFP_NOWAIT | __GFP_NOWARN)))
		return -ENOMEM;

	/*
	 * Writable only for write faults on pages the target may write:
	 * written pages are marked dirty here, while the sequence
	 * guarantees the page is still the target's.
	 */
	if (write) {
		set_page_dirty(page);
		prot = vm_get_page_prot(vma->vm_flags);
	} else {
		prot = vma->vm_page_prot;	/* read-only: write-notify is on */
	}

	/* Page-table allocation must not reclaim: reclaim invalidates. */
	noreclaim = memalloc_noreclaim_save();
	*ret = vmf_insert_pfn_prot(vma, vmf->address & PAGE_MASK,
				   page_to_pfn(page), prot);
	memalloc_noreclaim_restore(noreclaim);
	return 0;
}

/*
 * Drop the caller's lock, fault the target with only its own lock held,
 * and have the core retry. vmf->vma must not be used afterwards.
 */
static vm_fault_t fault_target_unlocked(struct vm_fault *vmf,
					struct mm_struct *tmm,
					unsigned long taddr, bool write)
{
	bool unlocked = false;

	release_fault_lock(vmf);
	if (!mmap_read_lock_killable(tmm)) {
		/* The retried fault finds out whether this worked. */
		fixup_user_fault(tmm, taddr, write ? FAULT_FLAG_WRITE : 0,
				 &unlocked);
		mmap_read_unlock(tmm);
	}
	return VM_FAULT_RETRY;
}

/* Returns -ESTALE (caller lock still held) when w was revoked meanwhile. */
static vm_fault_t fault_window(struct vm_fault *vmf,
			       struct remote_proc_window *w, bool write,
			       bool *stale)
{
	struct remote_proc_target *t = w->target;
	struct mm_struct *tmm = t->mm;
	unsigned long taddr = w->taddr + ((vmf->pgoff - w->pgoff) << PAGE_SHIFT);
	bool same_mm = tmm == vmf->vma->vm_mm;
	bool can_retry = vmf->flags & FAULT_FLAG_ALLOW_RETRY;
	/* The second attempt, or a caller that cannot retry, faults in place. */
	bool fault_in_place = (vmf->flags & FAULT_FLAG_TRIED) || !can_retry;
	unsigned long hpfn;
	struct hmm_range range = {
		.notifier = &t->notifier,
		.start = taddr,
		.end = taddr + PAGE_SIZE,
		.hmm_pfns = &hpfn,
	};
	enum snapshot snap;
	vm_fault_t ret;
	int tries = 0;

	if (!mmget_not_zero(tmm))
		return VM_FAULT_SIGBUS;

again:
	if (++tries > FAULT_MAX_TRIES) {
		/* The target keeps changing: let the access try again. */
		if (can_retry && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT)) {
			release_fault_lock(vmf);
			ret = VM_FAULT_RETRY;
		} else {
			ret = VM_FAULT_NOPAGE;
		}
		goto out;
	}
	range.notifier_seq = mmu_interval_read_begin(&t->notifier);

	if (!same_mm && !mmap_read_trylock(tmm)) {
		snap = SNAP_ABSENT;
	} else {
		snap = snapshot(tmm, &range, write, fault_in_place);
		if (!same_mm)
			mmap_read_unlock(tmm);
	}

	switch (snap) {
	case SNAP_OK:
		break;
	case SNAP_BUSY:
		goto again;
	case SNAP_NOMEM:
		ret = VM_FAULT_OOM;
		goto out;
	case SNAP_DENIED:
		ret = VM_FAULT_SIGBUS;
		goto out;
	case SNAP_ABSENT:
		if (!can_retry) {
			/* Cannot drop the caller's lock to wait: refuse. */
			ret = VM_FAULT_SIGBUS;
		} else if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT) {
			ret = VM_FAULT_RETRY;	/* lock stays held */
		} else {
			ret = fault_target_unlocked(vmf, tmm, taddr, write);
		}
		goto out;
	}

	mutex_lock(&t->lock);
	switch (insert_locked(vmf, w, &range, write, &ret)) {
	case 0:
		mutex_unlock(&t->lock);
		goto out;
	case -EAGAIN:
		mutex_unlock(&t->lock);
		goto again;
	case -ESTALE:
		mutex_unlock(&t->lock);
		*stale = true;
		ret = VM_FAULT_NOPAGE;
		goto out;
	default:
		/*
		 * Reserve the slot where reclaim is allowed. An unused
		 * reservation only makes a later invalidation zap for nothing.
		 */
		mutex_unlock(&t->lock);
		if (!xa_reserve(&t->populated, taddr >> PAGE_SHIFT, GFP_KERNEL))
			goto again;
		ret = VM_FAULT_OOM;
		goto out;
	}

out:
	mmput_async(tmm);
	return ret;
}

static vm_fault_t view_fault(struct vm_fault *vmf)
{
	struct remote_proc_vfile *vf = vmf->vma->vm_file->private_data;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool exec = vmf->vma->vm_flags & VM_EXEC;
	struct remote_proc_window *w;
	vm_fault_t ret;
	int tries;

	/* A window revoked under us may have left a remainder: look again. */
	for (tries = 0; tries < FAULT_MAX_TRIES; tries++) {
		bool stale = false;

		w = remote_proc_window_lookup(vf->view, vmf->pgoff);
		if (!w)
			return VM_FAULT_SIGBUS;		/* a hole of the view */
		if ((write && !(w->rights & REMOTE_PROC_RIGHT_WRITE)) ||
		    (exec && !(w->rights & REMOTE_PROC_RIGHT_EXEC)))
			ret = VM_FAULT_SIGBUS;
		else
			ret = fault_window(vmf, w, write, &stale);
		remote_proc_window_put(w);
		if (!stale)
			return ret;
	}
	return VM_FAULT_NOPAGE;	/* let the access try again */
}

/*
 * A write hit a read-only mirror PTE. Drop it so that the access faults
 * again as a write, which maps the page writable only if the target may
 * write it (after its own copy-on-write break, if any). Without this
 * hook the core would silently make the PTE writable.
 */
static vm_fault_t view_pfn_mkwrite(struct vm_fault *vmf)
{
	zap_vma_ptes(vmf->vma, vmf->address & PAGE_MASK, PAGE_SIZE);
	return VM_FAULT_NOPAGE;
}

const struct vm_operations_struct remote_proc_vm_ops = {
	.fault = view_fault,
	.pfn_mkwrite = view_pfn_mkwrite,
};
