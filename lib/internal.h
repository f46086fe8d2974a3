/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The remote-proc authors. */
/* Shared between the library's sources; not installed. */
#ifndef _LIBREMOTEPROC_INTERNAL_H
#define _LIBREMOTEPROC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* Offsets of mirror fds are target addresses: 32-bit callers too need all 64 bits. */
_Static_assert(sizeof(off_t) == 8, "libremoteproc needs _FILE_OFFSET_BITS=64");

/* Built with -fvisibility=hidden: only these are exported (see libremoteproc.map). */
#define RP_EXPORT __attribute__((visibility("default")))

/* First published sizes of the structs the library fills. */
#define RP_DEV_INFO_SIZE_VER0		24
#define RP_MIRROR_INFO_SIZE_VER0	24
#define RP_VIEW_INFO_SIZE_VER0		32

static inline uint64_t rp_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (uint64_t)ps : 4096;
}

/*
 * Give the caller as much of a struct as its size holds; a caller with a
 * newer, longer struct gets zeros past what this library knows.
 */
static inline void rp_copy_out(void *dst, size_t dsize, const void *src,
			       size_t ssize)
{
	if (!dst)
		return;
	memcpy(dst, src, dsize < ssize ? dsize : ssize);
	if (dsize > ssize)
		memset((char *)dst + ssize, 0, dsize - ssize);
}

#endif /* _LIBREMOTEPROC_INTERNAL_H */
