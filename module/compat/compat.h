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
#ifndef RP_HAVE_RELEASE_FAULT_LOCK
static inline void release_fault_lock(struct vm_fault *vmf)
{
	mmap_read_unlock(vmf->vma->vm_mm);
}
#endif

#endif /* _REMOTE_PROC_COMPAT_H */
