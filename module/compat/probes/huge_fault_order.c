// SPDX-License-Identifier: GPL-2.0
/*
 * 6.12 added huge PFN mappings (pmd_special) and lets ->huge_fault run for
 * VM_PFNMAP; ->huge_fault takes an order since 6.6. Only the combination is
 * usable here, so the probe needs both.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>

#ifndef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#error "no huge PFN mappings"
#endif

static vm_fault_t hf(struct vm_fault *vmf, unsigned int order)
{
	return VM_FAULT_FALLBACK;
}

const struct vm_operations_struct probe_ops = {
	.huge_fault = hf,
};
