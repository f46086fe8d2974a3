// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * What a mirror refuses to show (SIGBUS, never a kernel warning), and the
 * module's lifetime against mappings.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

KT_FIXTURE(rf) {
	struct rpt_mirror m;
};

KT_SETUP(rf)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
}

KT_TEARDOWN(rf)
{
	rpt_mirror_stop(&self->m);
}

KT_TEST_F(rf, memfd_secret, "memfd_secret() memory gives SIGBUS through the mirror; pread fails as on /proc/PID/mem")
{
	int err = 0, mem;
	uint64_t a, v = 0;
	volatile uint64_t *p;
	ssize_t r1, r2;

	a = rpt_call(&self->m.t, RPT_OP_SECRET, PG, 0, 0, 0, NULL, &err);
	if (a == (uint64_t)-1)
		kt_skip("memfd_secret unavailable: %s", strerror(err));
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0x5a5a5a5a5a5a5a5aull);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_store(p, 1), SIGBUS);
	mem = rpt_open_mem(self->m.t.pid, O_RDONLY);
	r1 = pread(mem, &v, 8, a);
	r2 = pread(self->m.fd, &v, 8, a);
	KT_ASSERT_EQ(r1, -1);
	KT_ASSERT_EQ(r2, -1);
	KT_ASSERT_EQ(errno, EIO);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0x5a5a5a5a5a5a5a5aull);
}

/* Start address of the mapping named name in /proc/pid/maps, or 0. */
static uint64_t named_mapping(pid_t pid, const char *name)
{
	char path[64], line[512];
	uint64_t start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, name)) {
			start = strtoull(line, NULL, 16);
			break;
		}
	fclose(f);
	return start;
}

KT_TEST_F(rf, pfnmap_vvar, "the target's [vvar] (VM_IO/VM_PFNMAP) gives SIGBUS")
{
	uint64_t a = named_mapping(self->m.t.pid, "[vvar]"), v;
	volatile uint64_t *p;

	KT_ASSERT_MSG(a, "target has no [vvar]");
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
}

KT_TEST_F(rf, pfnmap_other_mirror, "a mirror the target itself maps (of a third process) gives SIGBUS: no recursion")
{
	struct rpt_target third;
	uint64_t a3, a, v;
	volatile uint64_t *p;

	rpt_target_fork(&third);
	a3 = rpt_target_anon(&third, PG);
	rpt_do(&third, RPT_OP_STORE, a3, 91, 0, 0, NULL);
	a = rpt_do(&self->m.t, RPT_OP_MAP_MIRROR, third.pid, a3, PG, 0, NULL);
	/* The target sees the third process's page through its mirror... */
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 91);
	/* ...but a mirror of the target does not show a mirror. */
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	rpt_target_kill(&third);
}

KT_TEST_F(rf, unload_refused_while_mapped, "the module cannot be unloaded while a mapping exists, even with every fd closed")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 92, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(p), 92);
	close(self->m.fd);
	close(self->m.dev);
	self->m.fd = self->m.dev = -1;
	KT_ASSERT_EQ(rpt_rmmod(), -EWOULDBLOCK);
	KT_ASSERT_EQ(rpt_load(p), 92);
	KT_ASSERT_OK(munmap((void *)p, PG));
	/* The last reference goes away asynchronously (target teardown). */
	for (int i = 0; i < 100 && rpt_module_refcnt() > 0; i++)
		usleep(10000);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
}
