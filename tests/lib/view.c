// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ktap.h"
#include "view.h"

static int result(int r)
{
	return r < 0 ? -errno : r;
}

int rpt_view_create(int dev, uint64_t size)
{
	struct remote_proc_view_create vc = { .size = size };

	return result(ioctl(dev, REMOTE_PROC_IOC_VIEW_CREATE, &vc));
}

int rpt_view_map(int ctl, int source, unsigned int flags, unsigned int rights,
		 uint64_t source_addr, uint64_t offset, uint64_t length)
{
	struct remote_proc_map m = {
		.flags = flags, .rights = rights, .source = source,
		.source_addr = source_addr, .offset = offset, .length = length,
	};

	return result(ioctl(ctl, REMOTE_PROC_IOC_MAP, &m));
}

int rpt_view_map_self(int ctl, const void *p, uint64_t offset, uint64_t length,
		      unsigned int rights)
{
	return rpt_view_map(ctl, -1, REMOTE_PROC_MAP_SELF, rights,
			    (uint64_t)(uintptr_t)p, offset, length);
}

int rpt_view_unmap(int ctl, uint64_t offset, uint64_t length)
{
	struct remote_proc_unmap u = { .offset = offset, .length = length };

	return result(ioctl(ctl, REMOTE_PROC_IOC_UNMAP, &u));
}

int rpt_view_lock(int ctl)
{
	struct remote_proc_lock l = { 0 };

	return result(ioctl(ctl, REMOTE_PROC_IOC_LOCK, &l));
}

int rpt_view_access(int ctl, int write)
{
	struct remote_proc_access_fd a = { .flags = write ? REMOTE_PROC_ACCESS_WRITE : 0 };

	return result(ioctl(ctl, REMOTE_PROC_IOC_ACCESS_FD, &a));
}

struct remote_proc_query rpt_query(int fd)
{
	struct remote_proc_query q;

	memset(&q, 0xaa, sizeof(q));
	KT_ASSERT_MSG(ioctl(fd, REMOTE_PROC_IOC_QUERY, &q) == 0, "QUERY: %s",
		      strerror(errno));
	return q;
}
