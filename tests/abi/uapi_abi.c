// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The uapi header's layout, checked at compile time and again at run time.
 * Built -m64 and -m32 (and as C++) by tests/abi/check.sh: identical sizes
 * and offsets on both are what lets compat_ptr_ioctl() pass the structs
 * through unchanged.
 */
#include <stddef.h>
#include <stdio.h>

#include <linux/remote_proc.h>

#define CHECK_SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), #type " size")
#define CHECK_OFF(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field)

CHECK_SIZE(remote_proc_api, REMOTE_PROC_API_SIZE_VER0);
CHECK_OFF(remote_proc_api, api, 0);
CHECK_OFF(remote_proc_api, features, 8);
CHECK_OFF(remote_proc_api, ioctls, 16);
CHECK_OFF(remote_proc_api, version, 24);
CHECK_OFF(remote_proc_api, __reserved0, 28);

CHECK_SIZE(remote_proc_attach, REMOTE_PROC_ATTACH_SIZE_VER0);
CHECK_OFF(remote_proc_attach, flags, 0);
CHECK_OFF(remote_proc_attach, memfd, 4);
CHECK_OFF(remote_proc_attach, pid, 8);
CHECK_OFF(remote_proc_attach, __reserved0, 12);
CHECK_OFF(remote_proc_attach, __reserved1, 16);

CHECK_SIZE(remote_proc_query, REMOTE_PROC_QUERY_SIZE_VER0);
CHECK_OFF(remote_proc_query, flags, 0);
CHECK_OFF(remote_proc_query, pid, 8);
CHECK_OFF(remote_proc_query, __reserved0, 12);
CHECK_OFF(remote_proc_query, size, 16);

/* The ioctl numbers encode the sizes; they must not depend on the ABI. */
_Static_assert(REMOTE_PROC_IOC_API == 0xc020d500u, "IOC_API");
_Static_assert(REMOTE_PROC_IOC_ATTACH == 0x4020d501u, "IOC_ATTACH");
_Static_assert(REMOTE_PROC_IOC_QUERY == 0x8018d502u, "IOC_QUERY");

int main(void)
{
	printf("uapi ABI ok (%zu-bit): api %zu, attach %zu, query %zu bytes\n",
	       sizeof(void *) * 8, sizeof(struct remote_proc_api),
	       sizeof(struct remote_proc_attach), sizeof(struct remote_proc_query));
	return 0;
}
