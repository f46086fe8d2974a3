// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * A target killed by the OOM killer while a mirror has its pages mapped:
 * the OOM reaper invalidates without blocking, which the module must
 * refuse (it would have to sleep to zap); the victim still exits and the
 * mirror goes dead. The kernel's OOM report (with its stack dump) is
 * expected here; the markers tell the host's log scan so.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

static void kmsg(const char *line)
{
	KT_ASSERT_EQ(rpt_write_file("/dev/kmsg", line), 0);
}

KT_TEST_TIMEOUT(oom_victim, 300, "an OOM-killed target with a populated mirror dies, and the mirror goes dead")
{
	struct remote_proc_query q;
	struct rpt_mirror m;
	char path[64];
	volatile uint64_t *p;
	uint64_t a, v;
	int status;

	/* This process and the children it forks are never the victim... */
	KT_ASSERT_EQ(rpt_write_file("/proc/self/oom_score_adj", "-1000"), 0);
	system("swapoff -a 2>/dev/null");
	rpt_mirror_start(&m, 0);
	/* ...the target is. */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", m.t.pid);
	KT_ASSERT_EQ(rpt_write_file(path, "1000"), 0);

	a = rpt_target_anon(&m.t, 256 * PG);
	rpt_stamp(&m, a, 256 * PG, 1);
	p = rpt_mirror_map(&m, a, 256 * PG, PROT_READ);
	for (uint64_t o = 0; o < 256 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 1));

	kmsg("remote-proc-test: expect oom");
	rpt_call(&m.t, RPT_OP_HOG, 0, 0, 0, 0, NULL, NULL);
	KT_ASSERT_EQ(waitpid(m.t.pid, &status, 0), m.t.pid);
	kmsg("remote-proc-test: end oom");
	m.t.pid = 0;
	KT_ASSERT_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "target ended with 0x%x, not by the OOM killer", status);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_OK(ioctl(m.fd, REMOTE_PROC_IOC_QUERY, &q));
	KT_ASSERT(q.flags & REMOTE_PROC_QUERY_DEAD);
	close(m.fd);
	close(m.dev);
}
