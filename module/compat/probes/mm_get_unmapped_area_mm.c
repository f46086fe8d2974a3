// SPDX-License-Identifier: GPL-2.0
/* 6.10 to 7.1: mm_get_unmapped_area() takes the mm first; 7.2 dropped it. */
#include <linux/mm.h>
#include <linux/sched.h>

unsigned long probe(struct file *file);
unsigned long probe(struct file *file)
{
	return mm_get_unmapped_area(current->mm, file, 0, PAGE_SIZE, 0, 0);
}
