/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * xpmem.h - XPMEM's userspace API, provided by libxpmem-remoteproc
 * (libxpmem.so.0) over remote-proc, so that programs written for XPMEM
 * (MPI single-copy transports) build and run unmodified.
 *
 * A process exports a range of its address space as a segment
 * (xpmem_make), another obtains access to it (xpmem_get) and maps parts of
 * it (xpmem_attach). Calls return -1 (xpmem_attach: (void *)-1) and set
 * errno on failure. The differences from XPMEM's own module are listed in
 * the README ("MPI users: XPMEM compatibility").
 */
#ifndef XPMEM_REMOTEPROC_H
#define XPMEM_REMOTEPROC_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A segment id (any process may use it) and an access permit id (only
 * the process that obtained it). Both are positive on success. */
typedef __s64 xpmem_segid_t;
typedef __s64 xpmem_apid_t;

/* What xpmem_attach() maps: the segment of apid, from offset on. */
struct xpmem_addr {
	xpmem_apid_t apid;
	off_t offset;
};

/* xpmem_make()'s size to export the whole address space from vaddr 0. */
#define XPMEM_MAXADDR_SIZE	((size_t)(-1L))

/* xpmem_get() flags: the access asked for. */
#define XPMEM_RDONLY		0x1
#define XPMEM_RDWR		0x2

/* Permit types: XPMEM_PERMIT_MODE, the permit value being a mode such as
 * (void *)0600, checked against the maker's uid and gid. */
#define XPMEM_PERMIT_MODE	0x1

/* XPMEM's errno for a process without an XPMEM context; defined for
 * source compatibility (this library never needs to return it). */
#define XPMEM_ERRNO_NOPROC	2004

int xpmem_version(void);
/* Not in XPMEM's header, but exported by its library: configure scripts
 * (UCX's) link against xpmem_init. */
int xpmem_init(void);
xpmem_segid_t xpmem_make(void *vaddr, size_t size, int permit_type, void *permit_value);
int xpmem_remove(xpmem_segid_t segid);
xpmem_apid_t xpmem_get(xpmem_segid_t segid, int flags, int permit_type, void *permit_value);
int xpmem_release(xpmem_apid_t apid);
void *xpmem_attach(struct xpmem_addr addr, size_t size, void *vaddr);
int xpmem_detach(void *vaddr);
int xpmem_ioctl(int cmd, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* XPMEM_REMOTEPROC_H */
