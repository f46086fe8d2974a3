// SPDX-License-Identifier: GPL-2.0
/* vmf_insert_pfn_pmd() takes a pfn_t up to 6.16 and an unsigned long after. */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

vm_fault_t probe(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t probe(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);
}
