/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The one place that knows about kernel versions. Force-included into every
 * object by Kbuild. Each block is keyed on a probe result from
 * rp_autoconf.h (scripts/compat-probe.sh), never on LINUX_VERSION_CODE, and
 * starts with the kernel release that made it necessary.
 */
#ifndef _REMOTE_PROC_COMPAT_H
#define _REMOTE_PROC_COMPAT_H

#include "rp_autoconf.h"

#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/sched.h>

/* 6.3 made vm_flags const and added vm_flags_set()/vm_flags_clear(). */
#ifndef RP_HAVE_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.4 added faults under the per-VMA lock and release_fault_lock(); before,
 * ->fault always ran with mmap_lock held for read.
 */
#ifdef RP_HAVE_RELEASE_FAULT_LOCK
static inline bool rp_fault_vma_locked(const struct vm_fault *vmf)
{
	return vmf->flags & FAULT_FLAG_VMA_LOCK;
}
#else
static inline void release_fault_lock(struct vm_fault *vmf)
{
	mmap_read_unlock(vmf->vma->vm_mm);
}

static inline bool rp_fault_vma_locked(const struct vm_fault *vmf)
{
	return false;
}
#endif

/* 6.1 has no generic pmdp_get_lockless(); a PMD is one word on 64-bit. */
#ifndef RP_HAVE_PMDP_GET_LOCKLESS
static inline pmd_t pmdp_get_lockless(pmd_t *pmdp)
{
	return READ_ONCE(*pmdp);
}
#endif

/*
 * 7.2 replaced zap_vma_ptes() by zap_special_vma_range(), the same for the
 * VM_PFNMAP mappings it is used on here.
 */
#if !defined(RP_HAVE_EXPORT_ZAP_VMA_PTES) && defined(RP_HAVE_EXPORT_ZAP_SPECIAL_VMA_RANGE)
static inline void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address,
				unsigned long size)
{
	zap_special_vma_range(vma, address, size);
}
#endif

/*
 * Kernels that mark anonymous inodes (S_ANON_INODE) hold an executable one
 * to be a bug (path_noexec() warns under CONFIG_VFS_DEBUG), and 7.2's
 * init_pseudo() makes every pseudo filesystem SB_I_NOEXEC: no view file
 * is mapped executable there, and the EXEC right is not offered.
 */
#ifdef RP_HAVE_S_ANON_INODE
#define RP_EXEC_MAPPINGS 0
#else
#define RP_EXEC_MAPPINGS 1
#endif

/* 6.5 dropped the vmas argument of get_user_pages_remote(). */
static inline long rp_get_user_pages_remote(struct mm_struct *mm,
					    unsigned long start,
					    unsigned long nr_pages,
					    unsigned int gup_flags,
					    struct page **pages, int *locked)
{
#ifdef RP_HAVE_GUP_REMOTE_VMAS
	return get_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL, locked);
#else
	return get_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     locked);
#endif
}

/*
 * 6.12 maps special (PFN) PMDs and calls ->huge_fault(vmf, order) for
 * VM_PFNMAP; RP_HAVE_HUGE_FAULT_ORDER is the probe for both. Up to 6.16
 * vmf_insert_pfn_pmd() takes a pfn_t.
 */
#ifdef RP_HAVE_HUGE_FAULT_ORDER
#ifdef RP_HAVE_INSERT_PFN_PMD_PFN_T
#include <linux/pfn_t.h>
static inline vm_fault_t rp_vmf_insert_pfn_pmd(struct vm_fault *vmf,
					       unsigned long pfn, bool write)
{
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
}
#else
static inline vm_fault_t rp_vmf_insert_pfn_pmd(struct vm_fault *vmf,
					       unsigned long pfn, bool write)
{
	return vmf_insert_pfn_pmd(vmf, pfn, write);
}
#endif
#endif

/*
 * Placement of new mappings: THP-aligned where THP exists (6.7 made
 * thp_get_unmapped_area() align any file, earlier only DAX); without THP
 * (PREEMPT_RT) the default, which 6.10 turned from mm->get_unmapped_area
 * into mm_get_unmapped_area().
 */
static inline unsigned long rp_get_unmapped_area(struct file *file,
						 unsigned long addr,
						 unsigned long len,
						 unsigned long pgoff,
						 unsigned long flags)
{
#if defined(CONFIG_TRANSPARENT_HUGEPAGE)
	return thp_get_unmapped_area(file, addr, len, pgoff, flags);
#elif defined(RP_HAVE_MM_GET_UNMAPPED_AREA_MM)
	return mm_get_unmapped_area(current->mm, file, addr, len, pgoff, flags);
#elif defined(RP_HAVE_EXPORT_MM_GET_UNMAPPED_AREA)
	/* 7.2 dropped the mm argument. */
	return mm_get_unmapped_area(file, addr, len, pgoff, flags);
#else
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
#endif
}

#endif /* _REMOTE_PROC_COMPAT_H */
