// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The uapi conventions every ioctl follows: extensible structs copied in
 * and out by the size in the ioctl number, reserved fields that must be
 * zero, and page-aligned ranges that must not wrap.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * Read an extensible ioctl struct: the user's size comes from the ioctl
 * number; shorter structs are zero-extended, longer ones must have a
 * zero tail (E2BIG otherwise).
 */
int remote_proc_copy_in(void *k, size_t ksize, size_t ver0, unsigned int cmd,
			unsigned long arg)
{
	size_t usize = _IOC_SIZE(cmd);

	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(k, ksize, (void __user *)arg, usize);
}

/* Write back as much of the kernel struct as the user's struct holds. */
int remote_proc_copy_out(unsigned long arg, unsigned int cmd, const void *k,
			 size_t ksize)
{
	size_t usize = min_t(size_t, _IOC_SIZE(cmd), ksize);

	if (copy_to_user((void __user *)arg, k, usize))
		return -EFAULT;
	return 0;
}

/* Whether a reserved area is all zero. */
bool remote_proc_reserved_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* Check a page-aligned, non-wrapping, non-empty [start, start + len) <= limit. */
int remote_proc_check_range(u64 start, u64 len, u64 limit)
{
	u64 end;

	if (!len || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(len))
		return -EINVAL;
	if (check_add_overflow(start, len, &end) || end > limit)
		return -EOVERFLOW;
	return 0;
}
