// SPDX-License-Identifier: GPL-2.0
/* 6.3 made vma->vm_flags const and added vm_flags_set() and friends. */
#include <linux/mm.h>

void probe(struct vm_area_struct *vma);
void probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_PFNMAP);
	vm_flags_clear(vma, VM_MAYWRITE);
}
