// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Views: create, windows (of a target, of the caller's own memory, of a
 * file), revocation, seal, access fds, query and waiting for events.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "libremoteproc.h"
#include "internal.h"

/* The library's constants are the kernel's bits; keep them in step. */
_Static_assert(REMOTE_PROC_HAS_VIEWS == REMOTE_PROC_FEATURE_VIEWS, "feature bit");
_Static_assert(REMOTE_PROC_HAS_POPULATE == REMOTE_PROC_FEATURE_POPULATE, "feature bit");
_Static_assert(REMOTE_PROC_HAS_PMD == REMOTE_PROC_FEATURE_PMD, "feature bit");
_Static_assert(REMOTE_PROC_HAS_EXEC == REMOTE_PROC_FEATURE_EXEC, "feature bit");
_Static_assert(REMOTE_PROC_VIEW_WRITABLE == REMOTE_PROC_QUERY_WRITABLE, "query flag");
_Static_assert(REMOTE_PROC_VIEW_DEAD == REMOTE_PROC_QUERY_DEAD, "query flag");
_Static_assert(REMOTE_PROC_VIEW_SEALED == REMOTE_PROC_QUERY_SEALED, "query flag");
_Static_assert(REMOTE_PROC_VIEW_MIRROR == REMOTE_PROC_QUERY_MIRROR, "query flag");
_Static_assert(REMOTE_PROC_VIEW_CONTROL == REMOTE_PROC_QUERY_CONTROL, "query flag");
_Static_assert(sizeof(struct remote_proc_view_info) == RP_VIEW_INFO_SIZE_VER0,
	       "published struct size");

#define VIEW_FLAGS (REMOTE_PROC_VIEW_WRITABLE | REMOTE_PROC_VIEW_DEAD | \
		    REMOTE_PROC_VIEW_SEALED | REMOTE_PROC_VIEW_MIRROR | \
		    REMOTE_PROC_VIEW_CONTROL)

static int ret_errno(int r)
{
	return r < 0 ? -errno : r;
}

/* PROT_* rights to the kernel's REMOTE_PROC_RIGHT_*; -EINVAL if invalid. */
static int rights_of(int prot, uint32_t *rights)
{
	if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) || !(prot & PROT_READ))
		return -EINVAL;
	*rights = REMOTE_PROC_RIGHT_READ |
		  (prot & PROT_WRITE ? REMOTE_PROC_RIGHT_WRITE : 0) |
		  (prot & PROT_EXEC ? REMOTE_PROC_RIGHT_EXEC : 0);
	return 0;
}

RP_EXPORT int remote_proc_view_create(int dev, uint64_t size)
{
	struct remote_proc_view_create vc = { .size = size };

	return ret_errno(ioctl(dev, REMOTE_PROC_IOC_VIEW_CREATE, &vc));
}

static int view_map(int ctl, uint32_t flags, int source, uint64_t addr,
		    uint64_t offset, uint64_t len, int prot)
{
	struct remote_proc_map m = {
		.flags = flags, .source = source, .source_addr = addr,
		.offset = offset, .length = len,
	};
	int ret = rights_of(prot, &m.rights);

	if (ret)
		return ret;
	return ret_errno(ioctl(ctl, REMOTE_PROC_IOC_MAP, &m));
}

RP_EXPORT int remote_proc_view_map(int ctl, uint64_t offset, int mirror,
				   uint64_t addr, uint64_t len, int rights)
{
	/* -1 means "no source" to the kernel: never pass it on. */
	if (mirror < 0)
		return -EBADF;
	return view_map(ctl, 0, mirror, addr, offset, len, rights);
}

RP_EXPORT int remote_proc_view_map_self(int ctl, uint64_t offset,
					const void *addr, size_t len,
					int rights)
{
	return view_map(ctl, REMOTE_PROC_MAP_SELF, -1, (uint64_t)(uintptr_t)addr,
			offset, len, rights);
}

RP_EXPORT int remote_proc_view_map_fd(int ctl, uint64_t offset, int fd,
				      uint64_t fd_offset, size_t len,
				      int rights, void **local)
{
	uint64_t ps = rp_page_size();
	uint32_t r;
	size_t span;
	void *p;
	int ret;

	if (!local || !len || (offset | fd_offset) & (ps - 1) ||
	    fd_offset > (uint64_t)INT64_MAX || rights_of(rights, &r))
		return -EINVAL;
	if (len > SIZE_MAX - ps)
		return -ENOMEM;
	span = (len + ps - 1) & ~(ps - 1);
	p = mmap(NULL, span, rights, MAP_SHARED, fd, (off_t)fd_offset);
	if (p == MAP_FAILED)
		return -errno;
	ret = remote_proc_view_map_self(ctl, offset, p, span, rights);
	if (ret) {
		munmap(p, span);
		return ret;
	}
	*local = p;
	return 0;
}

RP_EXPORT int remote_proc_view_unmap(int ctl, uint64_t offset, uint64_t len)
{
	struct remote_proc_unmap u = { .offset = offset, .length = len };

	return ret_errno(ioctl(ctl, REMOTE_PROC_IOC_UNMAP, &u));
}

RP_EXPORT int remote_proc_view_lock(int ctl)
{
	struct remote_proc_lock l = { 0 };

	return ret_errno(ioctl(ctl, REMOTE_PROC_IOC_LOCK, &l));
}

RP_EXPORT int remote_proc_view_access(int ctl, unsigned int flags)
{
	struct remote_proc_access_fd a = { 0 };

	if (flags & ~REMOTE_PROC_ACCESS_WRITABLE)
		return -EINVAL;
	if (flags & REMOTE_PROC_ACCESS_WRITABLE)
		a.flags = REMOTE_PROC_ACCESS_WRITE;
	return ret_errno(ioctl(ctl, REMOTE_PROC_IOC_ACCESS_FD, &a));
}

RP_EXPORT int remote_proc_view_query(int fd, struct remote_proc_view_info *info,
				     size_t size)
{
	struct remote_proc_query q = { 0 };
	struct remote_proc_view_info out = { 0 };

	if (!info || size < RP_VIEW_INFO_SIZE_VER0)
		return -EINVAL;
	if (ioctl(fd, REMOTE_PROC_IOC_QUERY, &q) < 0)
		return -errno;
	/* Bits a newer module may add mean nothing to this library's callers. */
	out.flags = q.flags & VIEW_FLAGS;
	out.size = q.size;
	out.generation = q.generation;
	out.nr_windows = q.nr_windows;
	out.pid = q.pid;
	rp_copy_out(info, size, &out, sizeof(out));
	return 0;
}

RP_EXPORT int remote_proc_view_wait(int fd, int timeout_ms,
				    struct remote_proc_view_info *info,
				    size_t size)
{
	struct remote_proc_view_info vi;
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	int n, events = 0, ret;
	char c;

	if ((info && size < RP_VIEW_INFO_SIZE_VER0) || (!info && size))
		return -EINVAL;
	if (fd < 0)
		return -EBADF;	/* poll() would skip it and just time out */
	/*
	 * A control fd has no poll(): it would only ever time out. It is
	 * the one kind of view fd that cannot be read (EINVAL); a read of
	 * nothing tells, with no side effect.
	 */
	if (read(fd, &c, 0) < 0 && errno == EINVAL)
		return -EINVAL;
	n = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	if ((pfd.revents & POLLERR) && !(pfd.revents & (POLLHUP | POLLPRI)))
		return -EIO;
	if (pfd.revents & POLLHUP)
		events |= REMOTE_PROC_EVENT_DEAD;
	/*
	 * Acknowledge only a revocation poll() reported: querying otherwise
	 * could acknowledge one that lands in between without reporting it.
	 */
	if (pfd.revents & POLLPRI) {
		ret = remote_proc_view_query(fd, &vi, sizeof(vi));
		if (ret)
			return ret;
		events |= REMOTE_PROC_EVENT_REVOKED;
		rp_copy_out(info, size, &vi, sizeof(vi));
	}
	return events;
}
