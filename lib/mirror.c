// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Mirror fds: query, mappings, and /proc/PID/mem-style reads and writes.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "libremoteproc.h"
#include "internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

_Static_assert(REMOTE_PROC_MIRROR_WRITABLE == REMOTE_PROC_QUERY_WRITABLE, "query flag");
_Static_assert(REMOTE_PROC_MIRROR_DEAD == REMOTE_PROC_QUERY_DEAD, "query flag");
_Static_assert(REMOTE_PROC_POPULATE_FOR_WRITE == REMOTE_PROC_POPULATE_WRITE, "populate flag");
_Static_assert(sizeof(struct remote_proc_dev_info) == RP_DEV_INFO_SIZE_VER0,
	       "published struct size");
_Static_assert(sizeof(struct remote_proc_mirror_info) == RP_MIRROR_INFO_SIZE_VER0,
	       "published struct size");

RP_EXPORT const char *remote_proc_lib_version(void)
{
	return STR(LIBREMOTEPROC_VERSION_MAJOR) "."
	       STR(LIBREMOTEPROC_VERSION_MINOR) "."
	       STR(LIBREMOTEPROC_VERSION_PATCH);
}

RP_EXPORT uint32_t remote_proc_lib_version_number(void)
{
	return LIBREMOTEPROC_VERSION_NUMBER;
}

RP_EXPORT int remote_proc_mirror_query(int mirror,
				       struct remote_proc_mirror_info *info,
				       size_t size)
{
	struct remote_proc_query q = { 0 };
	struct remote_proc_mirror_info out = { 0 };

	if (!info || size < RP_MIRROR_INFO_SIZE_VER0)
		return -EINVAL;
	if (ioctl(mirror, REMOTE_PROC_IOC_QUERY, &q) < 0)
		return -errno;
	/* The flags of 1.0; views added more, which mirrors always have. */
	out.flags = q.flags & (REMOTE_PROC_MIRROR_WRITABLE | REMOTE_PROC_MIRROR_DEAD);
	out.size = q.size;
	out.pid = q.pid;
	rp_copy_out(info, size, &out, sizeof(out));
	return 0;
}

RP_EXPORT int remote_proc_map(int mirror, uint64_t addr, size_t len, int prot,
			      unsigned int flags, void **ptr)
{
	uint64_t ps = rp_page_size(), off = addr & (ps - 1), base = addr - off;
	uint64_t span;
	void *p;

	if (!ptr || !len || (flags & ~REMOTE_PROC_MMAP_POPULATE) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	/* The range, rounded out to pages, must fit a file offset. */
	if (len > INT64_MAX - off - ps || base > (uint64_t)INT64_MAX - (len + off))
		return -ENXIO;
	span = (len + off + ps - 1) & ~(ps - 1);
	if (span > SIZE_MAX)
		return -ENOMEM;
	p = mmap(NULL, (size_t)span, prot,
		 MAP_SHARED | (flags & REMOTE_PROC_MMAP_POPULATE ? MAP_POPULATE : 0),
		 mirror, (off_t)base);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = (char *)p + off;
	return 0;
}

RP_EXPORT int remote_proc_unmap(void *ptr, size_t len)
{
	uintptr_t ps = (uintptr_t)rp_page_size(), a = (uintptr_t)ptr;
	uintptr_t off = a & (ps - 1);

	if (!ptr || !len || len > SIZE_MAX - off - ps)
		return -EINVAL;
	if (munmap((void *)(a - off), (len + off + ps - 1) & ~(ps - 1)))
		return -errno;
	return 0;
}

RP_EXPORT int remote_proc_populate(int fd, const void *addr, size_t len,
				   unsigned int flags, uint64_t *populated)
{
	uintptr_t ps = (uintptr_t)rp_page_size(), a = (uintptr_t)addr;
	uintptr_t off = a & (ps - 1);
	struct remote_proc_populate pp = { 0 };
	int ret = 0;

	if (populated)
		*populated = 0;
	if (!len || (flags & ~REMOTE_PROC_POPULATE_FOR_WRITE))
		return -EINVAL;
	/* The kernel checks that the range does not wrap; just do not wrap here. */
	if (len > SIZE_MAX - off - ps)
		return -EOVERFLOW;
	pp.addr = a - off;
	pp.length = (len + off + ps - 1) & ~(ps - 1);
	if (flags & REMOTE_PROC_POPULATE_FOR_WRITE)
		pp.flags = REMOTE_PROC_POPULATE_WRITE;
	if (ioctl(fd, REMOTE_PROC_IOC_POPULATE, &pp) < 0)
		ret = -errno;
	if (populated)
		*populated = pp.populated;
	return ret;
}

/*
 * A short count means the range ran into memory that cannot be accessed;
 * one more call at the new position tells whether that is so (EIO, or 0
 * when the target is gone) or the kernel just stopped early.
 */
static ssize_t transfer(int mirror, uint64_t addr, void *buf, size_t len,
			int write)
{
	size_t done = 0;

	if (len > SSIZE_MAX)
		return -EINVAL;
	while (done < len) {
		uint64_t pos = addr + done;
		ssize_t n;

		if (pos < addr || pos > (uint64_t)INT64_MAX)
			return done ? (ssize_t)done : -EINVAL;
		n = write ? pwrite(mirror, (const char *)buf + done, len - done, (off_t)pos) :
			    pread(mirror, (char *)buf + done, len - done, (off_t)pos);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (done)
			break;
		/* Nothing at all: end of file is a target that has gone. */
		return n == 0 ? -ESRCH : -errno;
	}
	return (ssize_t)done;
}

RP_EXPORT ssize_t remote_proc_pread(int mirror, uint64_t addr, void *buf,
				    size_t len)
{
	return transfer(mirror, addr, buf, len, 0);
}

RP_EXPORT ssize_t remote_proc_pwrite(int mirror, uint64_t addr,
				     const void *buf, size_t len)
{
	return transfer(mirror, addr, (void *)buf, len, 1);
}
