/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * What the libremoteproc view tests (t_lib_views, t_lib_share) share: a
 * device fd after a views handshake, a view query, and the "lv" fixture.
 * Included by one test program each; static, like the tests' own helpers.
 */
#ifndef RPT_LVIEW_H
#define RPT_LVIEW_H

#include <string.h>
#include <sys/mman.h>

#include "libremoteproc.h"

#include "ktap.h"
#include "rpt.h"

#define RW (PROT_READ | PROT_WRITE)
#define VSIZE (256 * PG)

/* A device fd that passed a handshake asking for views. */
static int lib_dev(void)
{
	int dev;

	rpt_need_module();
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT_MSG(dev >= 0, "remote_proc_dev_open: %s", strerror(-dev));
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, REMOTE_PROC_HAS_VIEWS, NULL, 0), 0);
	return dev;
}

static struct remote_proc_view_info vquery(int fd)
{
	struct remote_proc_view_info vi;

	memset(&vi, 0xaa, sizeof(vi));
	KT_ASSERT_EQ(remote_proc_view_query(fd, &vi, sizeof(vi)), 0);
	return vi;
}

KT_FIXTURE(lv) {
	int dev, ctl, acc;	/* acc: a writable access fd */
	char *mem;		/* 64 pages of the test's own memory, stamped */
};

KT_SETUP(lv)
{
	self->dev = lib_dev();
	self->ctl = remote_proc_view_create(self->dev, VSIZE);
	KT_ASSERT_MSG(self->ctl >= 0, "view_create: %s", strerror(-self->ctl));
	self->acc = remote_proc_view_access(self->ctl, REMOTE_PROC_ACCESS_WRITABLE);
	KT_ASSERT(self->acc >= 0);
	self->mem = mmap(NULL, 64 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(self->mem != MAP_FAILED);
	for (int i = 0; i < 64; i++)
		*(uint64_t *)(self->mem + i * PG) = 0x1000 + i;
}

KT_TEARDOWN(lv)
{
	close(self->acc);
	close(self->ctl);
	close(self->dev);
}

#endif
