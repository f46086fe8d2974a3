// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The uapi header's layout, checked at compile time by static assertions.
 * Compiled -m64 and -m32 (and as C++) by tests/abi/check.sh, which runs
 * only the 64-bit build: identical sizes and offsets on both are what lets
 * compat_ptr_ioctl() pass the structs through unchanged.
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

CHECK_SIZE(remote_proc_query, REMOTE_PROC_QUERY_SIZE_VER1);
CHECK_OFF(remote_proc_query, flags, 0);
CHECK_OFF(remote_proc_query, pid, 8);
CHECK_OFF(remote_proc_query, __reserved0, 12);
CHECK_OFF(remote_proc_query, size, 16);
_Static_assert(offsetof(struct remote_proc_query, generation) ==
	       REMOTE_PROC_QUERY_SIZE_VER0, "ver1 fields follow ver0");
CHECK_OFF(remote_proc_query, generation, 24);
CHECK_OFF(remote_proc_query, nr_windows, 32);
CHECK_OFF(remote_proc_query, __reserved1, 36);

CHECK_SIZE(remote_proc_view_create, REMOTE_PROC_VIEW_CREATE_SIZE_VER0);
CHECK_OFF(remote_proc_view_create, flags, 0);
CHECK_OFF(remote_proc_view_create, size, 8);
CHECK_OFF(remote_proc_view_create, __reserved1, 16);

CHECK_SIZE(remote_proc_map, REMOTE_PROC_MAP_SIZE_VER0);
CHECK_OFF(remote_proc_map, flags, 0);
CHECK_OFF(remote_proc_map, rights, 4);
CHECK_OFF(remote_proc_map, source, 8);
CHECK_OFF(remote_proc_map, __reserved0, 12);
CHECK_OFF(remote_proc_map, source_addr, 16);
CHECK_OFF(remote_proc_map, offset, 24);
CHECK_OFF(remote_proc_map, length, 32);
CHECK_OFF(remote_proc_map, __reserved1, 40);

CHECK_SIZE(remote_proc_unmap, REMOTE_PROC_UNMAP_SIZE_VER0);
CHECK_OFF(remote_proc_unmap, offset, 8);
CHECK_OFF(remote_proc_unmap, length, 16);
CHECK_OFF(remote_proc_unmap, __reserved1, 24);

CHECK_SIZE(remote_proc_lock, REMOTE_PROC_LOCK_SIZE_VER0);
CHECK_SIZE(remote_proc_access_fd, REMOTE_PROC_ACCESS_FD_SIZE_VER0);
CHECK_OFF(remote_proc_access_fd, __reserved1, 8);

CHECK_SIZE(remote_proc_populate, REMOTE_PROC_POPULATE_SIZE_VER0);
CHECK_OFF(remote_proc_populate, addr, 0);
CHECK_OFF(remote_proc_populate, length, 8);
CHECK_OFF(remote_proc_populate, flags, 16);
CHECK_OFF(remote_proc_populate, __reserved0, 20);
CHECK_OFF(remote_proc_populate, populated, 24);
CHECK_OFF(remote_proc_populate, __reserved1, 32);

/* The ioctl numbers encode the sizes; they must not depend on the ABI. */
_Static_assert(REMOTE_PROC_IOC_API == 0xc020d500u, "IOC_API");
_Static_assert(REMOTE_PROC_IOC_ATTACH == 0x4020d501u, "IOC_ATTACH");
_Static_assert(REMOTE_PROC_IOC_QUERY == 0x8028d502u, "IOC_QUERY");
_Static_assert(REMOTE_PROC_IOC_VIEW_CREATE == 0x4020d503u, "IOC_VIEW_CREATE");
_Static_assert(REMOTE_PROC_IOC_MAP == 0x4038d504u, "IOC_MAP");
_Static_assert(REMOTE_PROC_IOC_UNMAP == 0x4028d505u, "IOC_UNMAP");
_Static_assert(REMOTE_PROC_IOC_LOCK == 0x4018d506u, "IOC_LOCK");
_Static_assert(REMOTE_PROC_IOC_ACCESS_FD == 0x4018d507u, "IOC_ACCESS_FD");
_Static_assert(REMOTE_PROC_IOC_POPULATE == 0xc030d508u, "IOC_POPULATE");

int main(void)
{
	printf("uapi ABI ok (%zu-bit): api %zu, attach %zu, query %zu, map %zu bytes\n",
	       sizeof(void *) * 8, sizeof(struct remote_proc_api),
	       sizeof(struct remote_proc_attach), sizeof(struct remote_proc_query),
	       sizeof(struct remote_proc_map));
	return 0;
}
