// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Faults and population of view mappings: map the source's current pages
 * with vmf_insert_pfn_prot() (or vmf_insert_pfn_pmd() for a THP), under
 * the mmu interval notifier sequence protocol.
 *
 * A fault runs with the caller's mmap_lock held for read, or from 6.4 with
 * only the caller VMA's lock. It never blocks
 * on the target's mmap_lock while holding it (two processes mirroring each
 * other would deadlock, rwsem fairness closing the cycle): it takes the
 * target's lock with a trylock and only looks at what is mapped there.
 * When the target must fault first, or the trylock fails, the caller's
 * lock is dropped, the target is faulted with only its own lock held, and
 * the fault is retried (VM_FAULT_RETRY). The retried fault (FAULT_FLAG_TRIED)
 * may fault the target itself under the trylock, which makes it final.
 *
 * One fault also maps the neighbours (fault_around_pages, aligned) that
 * are already present in the target, read-only; ordinary RAM in one walk
 * of the page table (insert_rest()). Populating (the POPULATE
 * ioctl, MAP_POPULATE) faults in the target ranges that lack pages, with
 * only the target's lock held, then maps what is present, batch by batch.
 */
#include <linux/file.h>
#include <linux/hmm.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>

#include "internal.h"

/* Sequence retries within one fault before letting the access retry. */
#define FAULT_MAX_TRIES 16
/* Upper bound of fault_around_pages (an on-stack array). */
#define FAULT_AROUND_MAX 32
/* Pages per populate step. */
#define POPULATE_BATCH 512

/*
 * Twice the page cache's fault-around (64 KiB): a mirror fault costs more
 * than a page-cache one (the source's page tables are walked, the
 * notifier sequence checked), so a bigger batch pays off sooner.
 */
unsigned int remote_proc_fault_around_pages = 32;
module_param_named(fault_around_pages, remote_proc_fault_around_pages, uint, 0644);
MODULE_PARM_DESC(fault_around_pages,
		 "Pages one fault maps: the faulting one and its aligned neighbours already present in the source (1-32). Default 32.");

enum snapshot {
	SNAP_OK,	/* the needed page is there as needed */
	SNAP_ABSENT,	/* the target has to fault first */
	SNAP_BUSY,	/* the notifier sequence moved on: retry */
	SNAP_NOSOURCE,	/* no source mapping (or memfd_secret): SIGBUS */
	SNAP_DENIED,	/* the source page cannot be had: SIGBUS */
	SNAP_NOMEM,
};

/*
 * A run of pages of one caller VMA within one window: page i is caller
 * address addr + i pages and target address range.start + i pages.
 * need < nr is the page a fault must map; nr means none (populate).
 */
struct batch {
	struct vm_area_struct *vma;
	struct remote_proc_window *w;
	unsigned long addr;
	unsigned long nr, need;
	bool write;		/* map writable: page need, or all (populate) */
	bool fault;		/* have the target fault page need in place */
	bool plain;		/* the source pages are ordinary RAM (see snapshot) */
	unsigned long hole;	/* SNAP_NOSOURCE: pages without a source to skip */
	unsigned long anchor;	/* insert_rest(): the page insert_one() counted */
	/* Pages mapped writable, each with a reference: see batch_dirty(). */
	DECLARE_BITMAP(dirty, POPULATE_BATCH);
	struct hmm_range range;
	unsigned long *pfns;
	unsigned long inserted;
};

static void batch_init(struct batch *b, struct vm_area_struct *vma,
		       struct remote_proc_window *w, unsigned long first_pgoff,
		       unsigned long nr, unsigned long need, unsigned long *pfns)
{
	memset(b, 0, sizeof(*b));
	b->vma = vma;
	b->w = w;
	b->addr = vma->vm_start + ((first_pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	b->nr = nr;
	b->need = need;
	b->pfns = pfns;
	b->range.notifier = &w->target->notifier;
	b->range.start = w->taddr + ((first_pgoff - w->pgoff) << PAGE_SHIFT);
	b->range.end = b->range.start + (nr << PAGE_SHIFT);
	b->range.hmm_pfns = pfns;
	b->range.pfn_flags_mask = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE;
}

/* Drop k pages from the front of b. */
static void batch_skip(struct batch *b, unsigned long k)
{
	b->addr += k << PAGE_SHIFT;
	b->range.start += k << PAGE_SHIFT;
	b->nr -= k;
	b->need -= k;
}

static bool vma_is_secret(struct vm_area_struct *vma)
{
	return vma->vm_file &&
	       file_inode(vma->vm_file)->i_sb->s_magic == SECRETMEM_MAGIC;
}

/*
 * Whether a source VMA may be mapped (or faulted on the view's behalf) at
 * all: memfd_secret() memory never, and I/O or PFN mappings (a device,
 * [vvar], another view) neither: their fault handlers may assume they run
 * in their own process, and hmm_range_fault() refuses them anyway.
 */
static bool source_vma_ok(struct vm_area_struct *tvma)
{
	return tvma && !vma_is_secret(tvma) && !(tvma->vm_flags & (VM_IO | VM_PFNMAP));
}

/*
 * Pages from target address taddr to the start of the next source VMA,
 * at most max: 0 when a VMA holds taddr. The target's mmap_lock is held.
 */
static unsigned long source_hole(struct mm_struct *tmm, unsigned long taddr,
				 unsigned long max)
{
	struct vm_area_struct *next = find_vma(tmm, taddr);

	mmap_assert_locked(tmm);
	if (next && next->vm_start <= taddr)
		return 0;
	if (!next || next->vm_start - taddr >= (max << PAGE_SHIFT))
		return max;
	return (next->vm_start - taddr) >> PAGE_SHIFT;
}

/* "prev-start-end next-start-end" around addr, for debug messages. */
static const char *vmas_around(struct mm_struct *mm, unsigned long addr,
			       char *buf, size_t len)
{
	struct vm_area_struct *next = find_vma(mm, addr), *prev;
	struct vma_iterator vmi;

	vma_iter_init(&vmi, mm, addr);
	prev = vma_prev(&vmi);
	snprintf(buf, len, "%#lx-%#lx %#lx-%#lx",
		 prev ? prev->vm_start : 0, prev ? prev->vm_end : 0,
		 next ? next->vm_start : 0, next ? next->vm_end : 0);
	return buf;
}

/*
 * Look up the batch's target pages (and fault page need in, with
 * b->fault). The target's mmap_lock is held. The batch is clipped to the
 * target VMA holding its key page: one VMA, so one secretmem check.
 */
static enum snapshot snapshot(struct mm_struct *tmm, struct batch *b)
{
	unsigned long key, *need_pfn;
	struct vm_area_struct *tvma;
	int ret;

	mmap_assert_locked(tmm);
	key = b->range.start + ((b->need < b->nr ? b->need : 0) << PAGE_SHIFT);
	tvma = vma_lookup(tmm, key);
	/* hmm_range_fault() would hand out memfd_secret() pages. */
	if (!source_vma_ok(tvma)) {
		char around[80];

		/* Populate steps over the whole hole, or the whole VMA. */
		if (!tvma)
			b->hole = source_hole(tmm, key, b->nr);
		else
			b->hole = min(b->nr, (tvma->vm_end - key) >> PAGE_SHIFT);

		/* The arguments are evaluated only when the message is on. */
		pr_debug("task %d: no source at %#lx (batch %#lx + %lu of %lu, in place %d); vmas around %s\n",
			 current->pid, key, b->range.start, b->need, b->nr, b->fault,
			 vmas_around(tmm, key, around, sizeof(around)));
		return SNAP_NOSOURCE;
	}
	/*
	 * Anonymous memory and the page cache of regular files are ordinary
	 * write-back RAM: their PTEs may be written directly (insert_rest).
	 * Driver mappings may have pages with another memory type, which
	 * only vmf_insert_pfn_prot() looks up.
	 */
	b->plain = !(tvma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)) &&
		   (vma_is_anonymous(tvma) ||
		    (tvma->vm_file && S_ISREG(file_inode(tvma->vm_file)->i_mode) &&
		     !vma_is_dax(tvma)));
	if (tvma->vm_start > b->range.start)
		batch_skip(b, (tvma->vm_start - b->range.start) >> PAGE_SHIFT);
	if (tvma->vm_end < b->range.start + (b->nr << PAGE_SHIFT))
		b->nr = (tvma->vm_end - b->range.start) >> PAGE_SHIFT;
	b->range.end = b->range.start + (b->nr << PAGE_SHIFT);

	memset(b->pfns, 0, b->nr * sizeof(*b->pfns));
	need_pfn = b->need < b->nr ? &b->pfns[b->need] : NULL;
	if (need_pfn && b->fault)
		*need_pfn = HMM_PFN_REQ_FAULT | (b->write ? HMM_PFN_REQ_WRITE : 0);
	ret = hmm_range_fault(&b->range);
	if (ret == -EBUSY)
		return SNAP_BUSY;
	if (ret == -ENOMEM)
		return SNAP_NOMEM;
	if (ret)
		return need_pfn ? SNAP_DENIED : SNAP_ABSENT;
	if (!need_pfn)
		return SNAP_OK;
	if (*need_pfn & HMM_PFN_ERROR)
		return SNAP_DENIED;
	if (!(*need_pfn & HMM_PFN_VALID) || (b->write && !(*need_pfn & HMM_PFN_WRITE)))
		return b->fault ? SNAP_DENIED : SNAP_ABSENT;
	return SNAP_OK;
}

/* Record the present pages among [lo, hi) of the batch, before their PTEs. */
static int batch_record(struct batch *b, unsigned long lo, unsigned long hi)
{
	return remote_proc_target_record(b->w->target,
					 (b->range.start >> PAGE_SHIFT) + lo,
					 hi - lo, b->pfns + lo);
}

/*
 * The protection of page i: writable only where asked and where the source
 * may write. A page mapped writable gets a reference here, while the
 * sequence guarantees it is still the source's, and is marked dirty by
 * batch_dirty() once target->lock is dropped.
 */
static pgprot_t batch_prot(struct batch *b, unsigned long i)
{
	if (b->write && (i == b->need || b->need >= b->nr) &&
	    (b->pfns[i] & HMM_PFN_WRITE)) {
		if (!__test_and_set_bit(i, b->dirty))
			get_page(hmm_pfn_to_page(b->pfns[i]));
		return vm_get_page_prot(b->vma->vm_flags);
	}
	return b->vma->vm_page_prot;	/* read-only: write-notify is on */
}

/*
 * Mark dirty the pages batch_prot() mapped writable and drop their
 * references. Never under target->lock (nor a page-table lock): a
 * filesystem's ->dirty_folio may allocate, and reclaim may invalidate the
 * target. A page written meanwhile stays the source's until this reference
 * goes; one cleaned or truncated meanwhile had its entry zapped by the
 * invalidation that came with it, so its next write faults again.
 */
static void batch_dirty(struct batch *b)
{
	unsigned long i;

	lockdep_assert_not_held(&b->w->target->lock);
	for_each_set_bit(i, b->dirty, POPULATE_BATCH) {
		struct page *page = hmm_pfn_to_page(b->pfns[i]);

		set_page_dirty_lock(page);
		put_page(page);
		__clear_bit(i, b->dirty);
	}
}

/* What maps the 2 MiB of a mapping around an address. */
enum pmd_state {
	PMD_NO_TABLE,	/* nothing: a page table must be built first */
	PMD_TABLE,	/* a page table of 4 KiB entries */
	PMD_HUGE,	/* a 2 MiB entry (view_huge_fault()) */
};

/*
 * Look without locks. The levels above the PMD stay while the caller
 * holds its mmap_lock or VMA lock. A page table stays too, and becomes
 * nothing else; nothing becomes a 2 MiB entry but under the view's
 * pgtable_lock and target->lock (view_huge_fault()); a 2 MiB entry may be
 * zapped at any time.
 */
static enum pmd_state pmd_state(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t pmd;

	if (pgd_none(*pgd))
		return PMD_NO_TABLE;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return PMD_NO_TABLE;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud))
		return PMD_NO_TABLE;
	pmd = pmdp_get_lockless(pmd_offset(pud, addr));
	if (pmd_none(pmd))
		return PMD_NO_TABLE;
	return pmd_leaf(pmd) ? PMD_HUGE : PMD_TABLE;
}

static int build_table_pte(pte_t *pte, unsigned long addr, void *data)
{
	return 0;	/* the table is what was wanted */
}

/*
 * Build the page tables the batch's present pages need, before
 * target->lock is taken: nothing allocates under it (reclaim may
 * invalidate the target, which takes it), and page tables are charged to
 * the caller's memory cgroup like any other. 2 MiB ranges a huge entry
 * maps need none; the view's pgtable_lock keeps one from appearing while
 * the table is built. Returns 0, -ENOMEM, or -EINTR on a fatal signal
 * (another process may hold pgtable_lock through its cgroup's reclaim).
 */
static int batch_build_tables(struct batch *b)
{
	struct remote_proc_vfile *vf = b->vma->vm_file->private_data;
	struct mm_struct *mm = b->vma->vm_mm;
	unsigned long i, j, k, end = b->addr + (b->nr << PAGE_SHIFT);
	bool locked = false;
	int ret = 0;

	lockdep_assert_not_held(&b->w->target->lock);
	for (i = 0; i < b->nr && !ret; i = j) {
		unsigned long addr = b->addr + (i << PAGE_SHIFT);

		j = (pmd_addr_end(addr, end) - b->addr) >> PAGE_SHIFT;
		for (k = i; k < j && k != b->need && !(b->pfns[k] & HMM_PFN_VALID); k++)
			;
		if (k == j || pmd_state(mm, addr) != PMD_NO_TABLE)
			continue;	/* nothing to map, or a table already */
		if (!locked) {
			if (mutex_lock_killable(&vf->view->pgtable_lock))
				return -EINTR;
			locked = true;
			if (pmd_state(mm, addr) != PMD_NO_TABLE)
				continue;
		}
		ret = apply_to_page_range(mm, addr, PAGE_SIZE, build_table_pte, NULL);
	}
	if (locked)
		mutex_unlock(&vf->view->pgtable_lock);
	return ret ? -ENOMEM : 0;
}

/* Map page i of the batch (recorded already); the caller holds target->lock. */
static vm_fault_t insert_one(struct batch *b, unsigned long i)
{
	vm_fault_t ret;

	/* Its page table exists (PMD_TABLE): nothing is allocated. */
	ret = vmf_insert_pfn_prot(b->vma, b->addr + (i << PAGE_SHIFT),
				  page_to_pfn(hmm_pfn_to_page(b->pfns[i])),
				  batch_prot(b, i));
	if (ret == VM_FAULT_NOPAGE)
		b->inserted++;
	return ret;
}

/*
 * apply_to_page_range() callback for ordinary RAM: map page i if it is
 * present in the source and nothing is mapped there yet (the pages
 * insert_one() mapped are skipped that way). Where populate asks for
 * write, a read-only PTE of the same page is made writable in place.
 * Runs under the page-table lock.
 */
static int fill_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct batch *b = data;
	unsigned long i = (addr - b->addr) >> PAGE_SHIFT;
	unsigned long pfn;
	pte_t old = ptep_get(pte), entry;

	if (!(b->pfns[i] & HMM_PFN_VALID))
		return 0;
	pfn = page_to_pfn(hmm_pfn_to_page(b->pfns[i]));
	if (!pte_none(old) &&
	    !(b->write && b->need >= b->nr && pte_present(old) && !pte_write(old) &&
	      pte_pfn(old) == pfn && (b->pfns[i] & HMM_PFN_WRITE)))
		return 0;
	entry = pte_mkspecial(pfn_pte(pfn, batch_prot(b, i)));
	set_pte_at(b->vma->vm_mm, addr, pte, entry);
	update_mmu_cache(b->vma, addr, pte);
	/* insert_one() counted the anchor already. */
	if (pte_none(old) || i != b->anchor)
		b->inserted++;
	return 0;
}

/*
 * Walk every entry of one page table that exists (PMD_TABLE, under
 * target->lock), empty ones included: nothing is allocated, and no huge
 * PMD is met.
 */
static int fill_range(struct batch *b, unsigned long i, unsigned long j)
{
	return apply_to_page_range(b->vma->vm_mm, b->addr + (i << PAGE_SHIFT),
				   (j - i) << PAGE_SHIFT, fill_pte, b);
}

/*
 * Map every other present page of the batch, one page-table page (PMD)
 * at a time: an anchor page through vmf_insert_pfn_prot(), which applies
 * the core's checks, then, for ordinary RAM, the rest of that page table
 * in one locked walk. Only ranges whose page table batch_build_tables()
 * built are mapped: nothing allocates, and no walk meets a huge PMD.
 * Neighbours are a bonus: the first trouble ends it.
 */
static void insert_rest(struct batch *b)
{
	unsigned long i = 0, j, k, anchor, end = b->addr + (b->nr << PAGE_SHIFT);

	for (; i < b->nr; i = j) {
		unsigned long addr = b->addr + (i << PAGE_SHIFT);

		/* Pages [i, j) share a page table, unless a PMD maps them. */
		j = (pmd_addr_end(addr, end) - b->addr) >> PAGE_SHIFT;
		if (pmd_state(b->vma->vm_mm, addr) != PMD_TABLE)
			continue;
		if (b->need >= i && b->need < j) {
			anchor = b->need;	/* mapped already */
		} else {
			for (anchor = i; anchor < j && !(b->pfns[anchor] & HMM_PFN_VALID);
			     anchor++)
				;
			if (anchor == j)
				continue;
		}
		/* Every page of [i, j) that may get a PTE, before any PTE. */
		if (batch_record(b, i, j))
			return;
		b->anchor = anchor;
		if (anchor != b->need && insert_one(b, anchor) != VM_FAULT_NOPAGE)
			return;
		if (b->plain) {
			fill_range(b, i, j);
			continue;
		}
		/* Other memory: each page looked up by the core. */
		for (k = i; k < j; k++)
			if (k != anchor && k != b->need && (b->pfns[k] & HMM_PFN_VALID) &&
			    insert_one(b, k) != VM_FAULT_NOPAGE)
				return;
	}
}

/*
 * Install the batch under target->lock if the sequence still holds: page
 * need first, then every other present page. Returns 0 with *ret set,
 * -EAGAIN to start over, -ESTALE when the window was revoked (the view
 * may have a new window there), -ENOMEM when the xarray slot of page need
 * must be allocated first (outside the lock), -ENOENT when its page table
 * must be built first (a huge entry was zapped meanwhile).
 */
static int insert_locked(struct batch *b, vm_fault_t *ret)
{
	struct remote_proc_target *t = b->w->target;

	lockdep_assert_held(&t->lock);
	if (mmu_interval_read_retry(&t->notifier, b->range.notifier_seq))
		return -EAGAIN;
	if (b->w->revoked)
		return -ESTALE;
	if (t->dead) {
		remote_proc_stat_add(RP_STAT_SIGBUS_DEAD, 1);
		*ret = VM_FAULT_SIGBUS;
		return 0;
	}

	*ret = VM_FAULT_NOPAGE;
	if (b->need < b->nr) {
		switch (pmd_state(b->vma->vm_mm, b->addr + (b->need << PAGE_SHIFT))) {
		case PMD_HUGE:
			return 0;	/* a racing huge fault mapped it */
		case PMD_NO_TABLE:
			return -ENOENT;
		case PMD_TABLE:
			break;
		}
		if (batch_record(b, b->need, b->need + 1))
			return -ENOMEM;
		*ret = insert_one(b, b->need);
		if (*ret != VM_FAULT_NOPAGE)
			return 0;
	}
	insert_rest(b);
	return 0;
}

/*
 * Drop the caller's lock, which is all that kept the mapping, its file and
 * so this module alive: *pinned gets a reference to the file, which the
 * fault drops (fput()) once it is done with the module's code and data.
 * vmf->vma must not be used afterwards.
 */
static void release_fault_lock_pinned(struct vm_fault *vmf, struct file **pinned)
{
	*pinned = get_file(vmf->vma->vm_file);
	release_fault_lock(vmf);
}

/*
 * Drop the caller's lock, fault the target with only its own lock held,
 * and have the core retry.
 */
static vm_fault_t fault_target_unlocked(struct vm_fault *vmf,
					struct mm_struct *tmm, unsigned long taddr,
					bool write, struct file **pinned)
{
	bool unlocked = false;

	remote_proc_stat_add(RP_STAT_RETRIES, 1);
	release_fault_lock_pinned(vmf, pinned);
	if (!mmap_read_lock_killable(tmm)) {
		/*
		 * The retried fault finds out whether this worked. Never
		 * run the fault handler of a VMA the view would not map.
		 */
		if (source_vma_ok(vma_lookup(tmm, taddr)))
			fixup_user_fault(tmm, taddr, write ? FAULT_FLAG_WRITE : 0,
					 &unlocked);
		mmap_read_unlock(tmm);
	}
	return VM_FAULT_RETRY;
}

/* Pages [first, first + nr) around pgoff: aligned, within vma and w. */
static unsigned long around(struct vm_area_struct *vma,
			    struct remote_proc_window *w, unsigned long pgoff,
			    unsigned long *nr)
{
	unsigned long span = clamp_val(READ_ONCE(remote_proc_fault_around_pages),
				       1, FAULT_AROUND_MAX);
	unsigned long first = round_down(pgoff, span);
	unsigned long last = first + span - 1;

	first = max3(first, vma->vm_pgoff, w->pgoff);
	last = min3(last, vma->vm_pgoff + vma_pages(vma) - 1,
		    w->pgoff + w->nr_pages - 1);
	*nr = last - first + 1;
	return first;
}

/*
 * Sets *stale (caller lock still held) when w was revoked meanwhile, and
 * *pinned when it dropped the caller's lock.
 */
static vm_fault_t fault_window(struct vm_fault *vmf,
			       struct remote_proc_window *w, bool write,
			       bool *stale, struct file **pinned)
{
	struct remote_proc_target *t = w->target;
	struct mm_struct *tmm = t->mm;
	unsigned long pfns[FAULT_AROUND_MAX];
	unsigned long first, nr, taddr;
	/* The caller holds the source's mmap_lock: a self mirror, under it. */
	bool tmm_locked = tmm == vmf->vma->vm_mm && !rp_fault_vma_locked(vmf);
	bool can_retry = vmf->flags & FAULT_FLAG_ALLOW_RETRY;
	enum snapshot snap;
	struct batch b;
	vm_fault_t ret;
	int tries = 0, err;

	first = around(vmf->vma, w, vmf->pgoff, &nr);
	taddr = w->taddr + ((vmf->pgoff - w->pgoff) << PAGE_SHIFT);
	if (!mmget_not_zero(tmm)) {
		remote_proc_stat_add(RP_STAT_SIGBUS_DEAD, 1);
		return VM_FAULT_SIGBUS;
	}

again:
	if (++tries > FAULT_MAX_TRIES) {
		/* The target keeps changing: let the access try again. */
		if (can_retry && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT)) {
			release_fault_lock_pinned(vmf, pinned);
			ret = VM_FAULT_RETRY;
		} else {
			ret = VM_FAULT_NOPAGE;
		}
		goto out;
	}
	batch_init(&b, vmf->vma, w, first, nr, vmf->pgoff - first, pfns);
	b.write = write;
	/* The second attempt, or a caller that cannot retry, faults in place. */
	b.fault = (vmf->flags & FAULT_FLAG_TRIED) || !can_retry;
	b.range.notifier_seq = mmu_interval_read_begin(&t->notifier);

	if (!tmm_locked && !mmap_read_trylock(tmm)) {
		snap = SNAP_ABSENT;
	} else {
		snap = snapshot(tmm, &b);
		if (!tmm_locked)
			mmap_read_unlock(tmm);
	}

	switch (snap) {
	case SNAP_OK:
		err = batch_build_tables(&b);
		if (err) {
			/* A fatal signal: the task dies on its way out. */
			ret = err == -EINTR ? VM_FAULT_NOPAGE : VM_FAULT_OOM;
			goto out;
		}
		break;
	case SNAP_BUSY:
		remote_proc_stat_add(RP_STAT_SEQ_RETRIES, 1);
		goto again;
	case SNAP_NOMEM:
		ret = VM_FAULT_OOM;
		goto out;
	case SNAP_NOSOURCE:
		remote_proc_stat_add(RP_STAT_SIGBUS_SOURCE, 1);
		ret = VM_FAULT_SIGBUS;
		goto out;
	case SNAP_DENIED:
		remote_proc_stat_add(RP_STAT_SIGBUS_HMM, 1);
		ret = VM_FAULT_SIGBUS;
		goto out;
	case SNAP_ABSENT:
		if (!can_retry) {
			/* Cannot drop the caller's lock to wait: refuse. */
			remote_proc_stat_add(RP_STAT_SIGBUS_NORETRY, 1);
			ret = VM_FAULT_SIGBUS;
		} else if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT) {
			ret = VM_FAULT_RETRY;	/* lock stays held */
		} else {
			ret = fault_target_unlocked(vmf, tmm, taddr, write, pinned);
		}
		goto out;
	}

	mutex_lock(&t->lock);
	err = insert_locked(&b, &ret);
	mutex_unlock(&t->lock);
	batch_dirty(&b);
	switch (err) {
	case 0:
		remote_proc_stat_add(RP_STAT_FAULT_PAGES, b.inserted);
		goto out;
	case -EAGAIN:
		remote_proc_stat_add(RP_STAT_SEQ_RETRIES, 1);
		goto again;
	case -ENOENT:
		goto again;	/* build the page table */
	case -ESTALE:
		*stale = true;
		ret = VM_FAULT_NOPAGE;
		goto out;
	default:
		/*
		 * Reserve the slot where reclaim is allowed. An unused
		 * reservation holds no page bits: invalidations skip it.
		 */
		if (!remote_proc_target_reserve(t, taddr >> PAGE_SHIFT))
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
	struct file *pinned = NULL;
	struct remote_proc_window *w;
	vm_fault_t ret;
	int tries;

	remote_proc_stat_add(RP_STAT_FAULTS, 1);
	/* A window revoked under us may have left a remainder: look again. */
	for (tries = 0; tries < FAULT_MAX_TRIES; tries++) {
		bool stale = false;

		w = remote_proc_window_lookup(vf->view, vmf->pgoff);
		if (!w) {
			remote_proc_stat_add(RP_STAT_SIGBUS_HOLE, 1);
			return VM_FAULT_SIGBUS;		/* a hole of the view */
		}
		if ((write && !(w->rights & REMOTE_PROC_RIGHT_WRITE)) ||
		    (exec && !(w->rights & REMOTE_PROC_RIGHT_EXEC))) {
			remote_proc_stat_add(RP_STAT_SIGBUS_RIGHTS, 1);
			ret = VM_FAULT_SIGBUS;
		} else {
			ret = fault_window(vmf, w, write, &stale, &pinned);
		}
		remote_proc_window_put(w);
		if (pinned) {
			/*
			 * The last thing done here: fput() defers the file's
			 * release (and so the module's unload) to the return
			 * to user space, or, in a kernel thread, to a worker
			 * a jiffy later: only the few instructions of this
			 * return remain, as in the core's own fault paths.
			 */
			fput(pinned);
			return ret;
		}
		if (!stale)
			return ret;
	}
	return VM_FAULT_NOPAGE;	/* let the access try again */
}

/* Drop the read-only PTE a write hit, so that the access faults afresh. */
static vm_fault_t mkwrite_refault(struct vm_fault *vmf)
{
	zap_vma_ptes(vmf->vma, vmf->address & PAGE_MASK, PAGE_SIZE);
	return VM_FAULT_NOPAGE;
}

/*
 * The write half of view_pfn_mkwrite() for window w: look at the source
 * page with its lock trylocked (or held: a self mirror), faulting it for
 * write in place, which breaks copy-on-write in the source. Returns 0
 * when the PTE may become writable in place, or a fault code.
 */
static vm_fault_t mkwrite_window(struct vm_fault *vmf, struct remote_proc_window *w)
{
	struct remote_proc_target *t = w->target;
	struct mm_struct *tmm = t->mm;
	bool tmm_locked = tmm == vmf->vma->vm_mm && !rp_fault_vma_locked(vmf);
	unsigned long hpfn, taddr = w->taddr + ((vmf->pgoff - w->pgoff) << PAGE_SHIFT);
	struct hmm_range range = {
		.notifier = &t->notifier,
		.start = taddr,
		.end = taddr + PAGE_SIZE,
		.hmm_pfns = &hpfn,
		.default_flags = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE,
	};
	vm_fault_t ret = VM_FAULT_NOPAGE;
	struct page *dirty = NULL;
	int tries, err;

	if (!mmget_not_zero(tmm)) {
		remote_proc_stat_add(RP_STAT_SIGBUS_DEAD, 1);
		return VM_FAULT_SIGBUS;
	}
	for (tries = 0; tries < FAULT_MAX_TRIES; tries++) {
		range.notifier_seq = mmu_interval_read_begin(&t->notifier);
		if (!tmm_locked && !mmap_read_trylock(tmm)) {
			/* Busy: the next fault waits for the source's lock. */
			ret = mkwrite_refault(vmf);
			goto out;
		}
		hpfn = 0;
		err = source_vma_ok(vma_lookup(tmm, taddr)) ? hmm_range_fault(&range) : -EFAULT;
		if (!tmm_locked)
			mmap_read_unlock(tmm);
		if (err == -EBUSY)
			continue;
		if (err == -ENOMEM) {
			ret = VM_FAULT_OOM;
			goto out;
		}
		if (err || !(hpfn & HMM_PFN_WRITE)) {
			/* The source may not write there (or has no page). */
			remote_proc_stat_add(RP_STAT_SIGBUS_HMM, 1);
			ret = VM_FAULT_SIGBUS;
			goto out;
		}
		/*
		 * Another page than the one mapped: the source broke its
		 * copy-on-write just now, and its invalidation zapped our
		 * PTE. The access faults again and maps the new page.
		 */
		if (page_to_pfn(hmm_pfn_to_page(hpfn)) != pte_pfn(vmf->orig_pte))
			goto out;

		mutex_lock(&t->lock);
		if (mmu_interval_read_retry(&t->notifier, range.notifier_seq)) {
			mutex_unlock(&t->lock);
			remote_proc_stat_add(RP_STAT_SEQ_RETRIES, 1);
			continue;
		}
		if (!w->revoked && !t->dead) {
			/* As batch_prot(): held now, dirtied after the lock. */
			dirty = hmm_pfn_to_page(hpfn);
			get_page(dirty);
			ret = 0;
		}
		mutex_unlock(&t->lock);
		if (dirty) {
			set_page_dirty_lock(dirty);
			put_page(dirty);
		}
		goto out;
	}
	ret = mkwrite_refault(vmf);
out:
	mmput_async(tmm);
	return ret;
}

/*
 * A write hit a read-only PTE of a view mapping (write-notify is on: the
 * core never makes these writable by itself). It must make progress in
 * this one fault: an instruction that reads and writes the page (add,
 * xchg, rep movs within the page) restarts with its read, so a PTE merely
 * dropped here would be mapped read-only again by that read, forever.
 * When the source page is still the one mapped and the source may write
 * it, answer 0: the core then makes the PTE writable in place, re-checking
 * under the page-table lock that it did not change meanwhile (an
 * invalidation zaps it before the source page changes). Only a needed
 * copy-on-write break in the source, a busy source or a revoked window
 * make the access fault again.
 */
static vm_fault_t view_pfn_mkwrite(struct vm_fault *vmf)
{
	struct remote_proc_vfile *vf = vmf->vma->vm_file->private_data;
	struct remote_proc_window *w;
	vm_fault_t ret;

	remote_proc_stat_add(RP_STAT_MKWRITES, 1);
	w = remote_proc_window_lookup(vf->view, vmf->pgoff);
	if (!w)
		return mkwrite_refault(vmf);	/* revoked: the fault decides */
	if (!(w->rights & REMOTE_PROC_RIGHT_WRITE)) {
		remote_proc_stat_add(RP_STAT_SIGBUS_RIGHTS, 1);
		ret = VM_FAULT_SIGBUS;
	} else {
		ret = mkwrite_window(vmf, w);
	}
	remote_proc_window_put(w);
	return ret;
}

#ifdef RP_HAVE_HUGE_FAULT_ORDER
/*
 * Map a whole THP of the source with one PMD. Runs under the VMA lock
 * only, or under mmap_lock: it never waits for anything the PTE path would
 * not, and answers VM_FAULT_FALLBACK (the core then faults 4 KiB pages)
 * whenever the source is not a PMD-mapped THP right now.
 */
static vm_fault_t view_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct remote_proc_vfile *vf = vmf->vma->vm_file->private_data;
	unsigned long haddr = vmf->address & PMD_MASK, pgoff, taddr, hpfn = 0;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct remote_proc_window *w;
	struct remote_proc_target *t;
	struct hmm_range range = {};
	struct page *dirty = NULL;
	vm_fault_t ret = VM_FAULT_FALLBACK;
	bool locked = false;
	pmd_t pmd;

	/*
	 * Where a PMD entry needs a deposited page table, inserting one
	 * allocates, which nothing may do under target->lock.
	 */
	if (order != PMD_ORDER || arch_needs_pgtable_deposit())
		return VM_FAULT_FALLBACK;
	/*
	 * The core does not check that the 2 MiB lie inside the VMA (for
	 * file VMAs that is the handler's job): a PMD reaching past vm_end
	 * would map the source into whatever is mapped there next.
	 */
	if (haddr < vmf->vma->vm_start || haddr + PMD_SIZE > vmf->vma->vm_end)
		goto out_count;
	pgoff = vmf->vma->vm_pgoff + ((haddr - vmf->vma->vm_start) >> PAGE_SHIFT);
	w = remote_proc_window_lookup(vf->view, pgoff);
	if (!w)
		goto out_count;
	t = w->target;
	taddr = w->taddr + ((pgoff - w->pgoff) << PAGE_SHIFT);
	if (pgoff + HPAGE_PMD_NR > w->pgoff + w->nr_pages ||
	    !IS_ALIGNED(taddr, PMD_SIZE) ||
	    (write && !(w->rights & REMOTE_PROC_RIGHT_WRITE)) ||
	    ((vmf->vma->vm_flags & VM_EXEC) && !(w->rights & REMOTE_PROC_RIGHT_EXEC)) ||
	    !mmget_not_zero(t->mm))
		goto out_put_window;

	range.notifier = &t->notifier;
	range.start = taddr;
	range.end = taddr + PAGE_SIZE;
	range.hmm_pfns = &hpfn;
	range.notifier_seq = mmu_interval_read_begin(&t->notifier);
	if (mmap_read_trylock(t->mm)) {
		struct vm_area_struct *tvma = vma_lookup(t->mm, taddr);

		locked = source_vma_ok(tvma) && !hmm_range_fault(&range);
		mmap_read_unlock(t->mm);
	}
	if (!locked || !(hpfn & HMM_PFN_VALID) ||
	    hmm_pfn_to_map_order(hpfn) != PMD_ORDER ||
	    (write && !(hpfn & HMM_PFN_WRITE)) ||
	    !IS_ALIGNED(page_to_pfn(hmm_pfn_to_page(hpfn)), HPAGE_PMD_NR))
		goto out_mmput;

	if (mutex_lock_killable(&vf->view->pgtable_lock)) {
		ret = VM_FAULT_NOPAGE;	/* a fatal signal: the task dies */
		goto out_mmput;
	}
	mutex_lock(&t->lock);
	if (mmu_interval_read_retry(&t->notifier, range.notifier_seq) || w->revoked ||
	    t->dead)
		goto out_unlock;
	/*
	 * Every PTE or PMD of this range is inserted under t->lock, and page
	 * tables are built under pgtable_lock, so what is here now stays
	 * until the insert: nothing (map it), a PMD of this very page (a
	 * write makes it writable in place, in one fault), or a page table
	 * of 4 KiB entries (stay with those). A write over anything else
	 * would trip the core's check of the PMD's pfn.
	 */
	pmd = pmdp_get_lockless(vmf->pmd);
	if (!pmd_none(pmd) && !(pmd_leaf(pmd) &&
				pmd_pfn(pmd) == page_to_pfn(hmm_pfn_to_page(hpfn))))
		goto out_unlock;
	/*
	 * Only a THP of anonymous memory or of a file: never the huge zero
	 * page (the one folio with neither), which the core maps with a
	 * deposited page table and whose PMDs zap_huge_pmd() (7.2) always
	 * withdraws one for, even in a VMA like this one, where nothing was
	 * deposited. Its 4 KiB pages serve the same reads. Stable here: the
	 * source still maps the folio (no invalidation since the walk).
	 */
	if (!READ_ONCE(page_folio(hmm_pfn_to_page(hpfn))->mapping))
		goto out_unlock;
	if (remote_proc_target_record(t, taddr >> PAGE_SHIFT, HPAGE_PMD_NR, NULL))
		goto out_unlock;
	if (write) {
		/* As batch_prot(): held now, dirtied after the lock. */
		dirty = hmm_pfn_to_page(hpfn);
		get_page(dirty);
	}
	ret = rp_vmf_insert_pfn_pmd(vmf, page_to_pfn(hmm_pfn_to_page(hpfn)), write);
	if (ret == VM_FAULT_NOPAGE)
		remote_proc_stat_add(RP_STAT_PMD_FAULTS, 1);
out_unlock:
	mutex_unlock(&t->lock);
	mutex_unlock(&vf->view->pgtable_lock);
	if (dirty) {
		set_page_dirty_lock(dirty);
		put_page(dirty);
	}
out_mmput:
	mmput_async(t->mm);
out_put_window:
	remote_proc_window_put(w);
out_count:
	if (ret == VM_FAULT_FALLBACK)
		remote_proc_stat_add(RP_STAT_PMD_FALLBACKS, 1);
	return ret;
}
#endif

/*
 * mprotect() can never add a right that a window in the range lacks,
 * whether the window was there at mmap() time or added since (-EACCES).
 */
static int view_mprotect(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, unsigned long newflags)
{
	struct remote_proc_vfile *vf = vma->vm_file->private_data;
	unsigned long first = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);

	return remote_proc_view_check_rights(vf->view, first,
					     first + ((end - start) >> PAGE_SHIFT) - 1,
					     newflags);
}

#ifdef RP_HAVE_RELEASE_FAULT_LOCK
/*
 * Maps nothing: it runs under RCU, where nothing can wait for the source,
 * and view_fault() does its own fault-around. Having it tells the core
 * that ->fault copes with the per-VMA lock alone (vmf_can_call_fault()),
 * which spares every fault a second round under mmap_lock.
 */
static vm_fault_t view_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				 pgoff_t end_pgoff)
{
	return 0;
}
#endif

const struct vm_operations_struct remote_proc_vm_ops = {
	.fault = view_fault,
#ifdef RP_HAVE_RELEASE_FAULT_LOCK
	.map_pages = view_map_pages,
#endif
	.pfn_mkwrite = view_pfn_mkwrite,
	.mprotect = view_mprotect,
#ifdef RP_HAVE_HUGE_FAULT_ORDER
	.huge_fault = view_huge_fault,
#endif
};

/* --- populate -------------------------------------------------------------- */

/*
 * Map the present pages of one batch; the caller holds its mmap_lock for
 * read. Returns the pages the batch covered (at least one: a page without
 * a source mapping is stepped over), -ESTALE when the window was
 * revoked meanwhile, -ENOMEM when no page table could be built, or -EINTR
 * on a fatal signal.
 */
static long populate_batch(struct batch *b)
{
	struct remote_proc_target *t = b->w->target;
	struct mm_struct *tmm = t->mm;
	bool same_mm = tmm == b->vma->vm_mm;
	struct batch orig = *b;
	vm_fault_t ret;
	int tries, err;

	for (tries = 0; tries < FAULT_MAX_TRIES; tries++) {
		*b = orig;	/* snapshot() may have clipped an attempt */
		b->range.notifier_seq = mmu_interval_read_begin(&t->notifier);
		if (!same_mm && !mmap_read_trylock(tmm))
			continue;
		err = snapshot(tmm, b);
		if (!same_mm)
			mmap_read_unlock(tmm);
		if (err == SNAP_BUSY)
			continue;
		if (err == SNAP_NOSOURCE)
			return max(b->hole, 1UL);	/* no source mapping there */
		if (err != SNAP_OK)
			return 1;
		err = batch_build_tables(b);
		if (err)
			return err;
		mutex_lock(&t->lock);
		err = insert_locked(b, &ret);
		mutex_unlock(&t->lock);
		batch_dirty(b);
		if (err == -ESTALE)
			return -ESTALE;
		if (err != -EAGAIN && err != -ENOENT)
			break;
	}
	/* Through the end of what snapshot() kept (it clips to one VMA). */
	return ((b->addr - orig.addr) >> PAGE_SHIFT) + b->nr;
}

/*
 * Whether the source has every page of [taddr, taddr + nr pages) present,
 * and writable for write, so that populating it needs no fault. Only a
 * look at the page tables: a page-table walk without the page references
 * get_user_pages_remote() takes and drops. The source's mmap_lock is
 * held; seq was read before it was taken.
 */
static bool source_has_all(struct remote_proc_target *t, unsigned long seq,
			   unsigned long taddr, unsigned long nr, bool write,
			   unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = &t->notifier,
		.notifier_seq = seq,
		.start = taddr,
		.end = taddr + (nr << PAGE_SHIFT),
		.hmm_pfns = pfns,
	};
	unsigned long i;

	mmap_assert_locked(t->mm);
	memset(pfns, 0, nr * sizeof(*pfns));
	if (hmm_range_fault(&range))
		return false;
	for (i = 0; i < nr; i++)
		if (!(pfns[i] & HMM_PFN_VALID) || (write && !(pfns[i] & HMM_PFN_WRITE)))
			return false;
	return true;
}

/*
 * Populate [addr, addr + len) of the calling process's mappings of file's
 * view: fault the source pages in (with only the source's lock held), then
 * map them. Holes and pages the source cannot provide are skipped. Returns
 * 0 with *populated set to the pages mapped, -ENXIO when the range is not
 * a mapping of this view, -EACCES for write with a read-only mapping,
 * -EINTR on a fatal signal.
 */
long remote_proc_populate(struct file *file, unsigned long addr,
			  unsigned long len, bool write, u64 *populated)
{
	struct remote_proc_view *v = ((struct remote_proc_vfile *)file->private_data)->view;
	struct mm_struct *mm = current->mm;
	unsigned long end = addr + len, *pfns;
	long ret = 0;

	*populated = 0;
	pfns = kmalloc_array(POPULATE_BATCH, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;

	while (addr < end) {
		struct remote_proc_window *w;
		struct vm_area_struct *vma;
		unsigned long pgoff, nr, span, skip, taddr;
		struct mm_struct *tmm;
		struct batch b;
		int locked = 1;
		long covered = 0;

		/* Holes are stepped over whole, but a kill ends it anywhere. */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (mmap_read_lock_killable(mm)) {
			ret = -EINTR;
			break;
		}
		vma = vma_lookup(mm, addr);
		if (!vma || !vma->vm_file || file_inode(vma->vm_file) != file_inode(file)) {
			mmap_read_unlock(mm);
			ret = -ENXIO;
			break;
		}
		if (write && !(vma->vm_flags & VM_WRITE)) {
			mmap_read_unlock(mm);
			ret = -EACCES;
			break;
		}
		pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
		/* Pages of this mapping still to do. */
		span = (min(end, vma->vm_end) - addr) >> PAGE_SHIFT;
		mmap_read_unlock(mm);

		w = remote_proc_window_lookup(v, pgoff);
		if (!w || (write && !(w->rights & REMOTE_PROC_RIGHT_WRITE))) {
			/* A hole, or not writable: on to the next window. */
			skip = w ? w->pgoff + w->nr_pages - pgoff :
				   remote_proc_view_next_window(v, pgoff) - pgoff;
			if (w)
				remote_proc_window_put(w);
			addr += min(skip, span) << PAGE_SHIFT;
			continue;
		}
		span = min(span, w->pgoff + w->nr_pages - pgoff);
		nr = min_t(unsigned long, POPULATE_BATCH, span);
		taddr = w->taddr + ((pgoff - w->pgoff) << PAGE_SHIFT);
		tmm = w->target->mm;

		/*
		 * Fault the source in where needed, holding only its own
		 * lock; step over a part without source VMAs whole.
		 */
		skip = span;		/* a source that is gone has nothing */
		if (mmget_not_zero(tmm)) {
			unsigned long seq = mmu_interval_read_begin(&w->target->notifier);

			if (!mmap_read_lock_killable(tmm)) {
				skip = source_hole(tmm, taddr, span);
				if (!skip &&
				    !source_has_all(w->target, seq, taddr, nr, write, pfns))
					rp_get_user_pages_remote(tmm, taddr, nr,
								 write ? FOLL_WRITE : 0, NULL,
								 &locked);
				if (locked)
					mmap_read_unlock(tmm);
			}
			mmput(tmm);
		}
		if (skip) {
			remote_proc_window_put(w);
			addr += skip << PAGE_SHIFT;
			continue;
		}

		/* Then map what is there, in the (re-checked) mapping. */
		if (mmap_read_lock_killable(mm)) {
			remote_proc_window_put(w);
			ret = -EINTR;
			break;
		}
		vma = vma_lookup(mm, addr);
		if (vma && vma->vm_file && file_inode(vma->vm_file) == file_inode(file) &&
		    vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) == pgoff &&
		    addr + (nr << PAGE_SHIFT) <= vma->vm_end) {
			batch_init(&b, vma, w, pgoff, nr, nr, pfns);
			b.write = write;
			covered = populate_batch(&b);
			*populated += b.inserted;
			remote_proc_stat_add(RP_STAT_POPULATE_PAGES, b.inserted);
			/* A revoked window: look the offsets up again. */
			if (covered > 0)
				nr = covered;
			else
				nr = 0;
		}
		mmap_read_unlock(mm);
		remote_proc_window_put(w);
		if (covered == -ENOMEM || covered == -EINTR) {
			ret = covered;
			break;
		}
		addr += nr << PAGE_SHIFT;
	}
	kfree(pfns);
	return ret;
}

struct populate_work {
	struct callback_head cb;
	struct file *file;
	unsigned long addr, len;
};

static void populate_work_fn(struct callback_head *cb)
{
	struct populate_work *pw = container_of(cb, struct populate_work, cb);
	u64 populated;

	remote_proc_populate(pw->file, pw->addr, pw->len, false, &populated);
	fput(pw->file);
	kfree(pw);
}

/*
 * MAP_POPULATE: the core skips VM_PFNMAP mappings when it populates, and
 * ->mmap() runs before the mapping is visible to invalidations. So the
 * mapping is populated on the way back to user space, after mmap() has
 * finished and before it returns to the caller.
 */
void remote_proc_populate_on_return(struct file *file, unsigned long addr,
				    unsigned long len)
{
	struct populate_work *pw = kmalloc(sizeof(*pw), GFP_KERNEL);

	if (!pw)
		return;		/* populating is an optimisation */
	init_task_work(&pw->cb, populate_work_fn);
	pw->file = get_file(file);
	pw->addr = addr;
	pw->len = len;
	if (task_work_add(current, &pw->cb, TWA_RESUME)) {
		fput(pw->file);
		kfree(pw);
	}
}
