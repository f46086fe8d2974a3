// SPDX-License-Identifier: GPL-2.0
/* 6.4 added per-VMA-lock faults and release_fault_lock(). */
#include <linux/mm.h>

void probe(struct vm_fault *vmf);
void probe(struct vm_fault *vmf)
{
	release_fault_lock(vmf);
}
