// SPDX-License-Identifier: GPL-2.0
/* Newer kernels than 6.1 have a generic pmdp_get_lockless(). */
#include <linux/pgtable.h>

pmd_t probe(pmd_t *pmdp);
pmd_t probe(pmd_t *pmdp)
{
	return pmdp_get_lockless(pmdp);
}
