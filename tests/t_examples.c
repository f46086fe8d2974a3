// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * examples/: the programs a new user copies first, built as such a user
 * builds them (pkg-config against the library staged as installed, see
 * tests/Makefile) and run here as root and as an ordinary user of the
 * device group: each must work and say what it claims.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/proc.h"
#include "lib/rpt.h"

#define EXAMPLES "/usr/lib/remote-proc/examples/"

static struct rpt_proc P;

#define ASSERT_OUT(needle) RPT_ASSERT_OUT(&P, needle)
#define ASSERT_ERR(needle) RPT_ASSERT_ERR(&P, needle)

static int run(int uid, const char *prog, const char *arg1, const char *arg2)
{
	char path[128];
	char *argv[] = { path, (char *)arg1, (char *)arg2, NULL };

	snprintf(path, sizeof(path), EXAMPLES "%s", prog);
	rpt_proc_start(&P, uid, false, argv);
	return rpt_proc_finish(&P, 60000);
}

/* The lines of want appear in the output in this order. */
static void assert_in_order(const char *const *want, int n)
{
	const char *at = P.obuf;

	for (int i = 0; i < n; i++) {
		const char *f = strstr(at, want[i]);

		KT_ASSERT_MSG(f, "no \"%s\" (in order) in stdout:\n%s\nstderr:\n%s",
			      want[i], P.obuf, P.ebuf);
		at = f + strlen(want[i]);
	}
}

/* The device node as the guest boots with it (root only), also after a failure. */
static void device_root_only(void *unused)
{
	if (chown(RPT_DEV, 0, 0) || chmod(RPT_DEV, 0600))
		kt_diag("could not restore %s", RPT_DEV);
}

static void share_device(void)
{
	rpt_share_device();
	kt_set_cleanup(device_root_only, NULL);
}

static volatile uint64_t value = 0x1122334455667788ull;

KT_TEST(peek, "examples/peek prints the value at an address of another process")
{
	char pid[16], addr[32], want[128];
	int status;
	pid_t child;

	rpt_need_module();
	child = fork();
	KT_ASSERT(child >= 0);
	if (child == 0) {
		value = 0x0123456789abcdefull;	/* differs from this process's */
		pause();
		_exit(0);
	}
	usleep(100000);
	snprintf(pid, sizeof(pid), "%d", (int)child);
	snprintf(addr, sizeof(addr), "%lx", (unsigned long)&value);
	status = run(-1, "peek", pid, addr);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	KT_ASSERT_MSG(status == 0, "exit %d: %s%s", status, P.obuf, P.ebuf);
	snprintf(want, sizeof(want), "%s 0x%s: 0x0123456789abcdef\n", pid, addr);
	ASSERT_OUT(want);
}

KT_TEST(peek_errors, "examples/peek: usage, no such process, an unmapped address (SIGBUS)")
{
	char pid[16];

	rpt_need_module();
	KT_ASSERT_EQ(run(-1, "peek", "1", NULL), 2);
	ASSERT_ERR("usage: peek PID ADDR");
	KT_ASSERT_EQ(run(-1, "peek", "999999", "1000"), 1);
	ASSERT_ERR("peek: attach: No such process");
	/* Address 0x1000 is never mapped: the load raises SIGBUS, as documented. */
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	KT_ASSERT_EQ(run(-1, "peek", pid, "1000"), 128 + SIGBUS);
}

/* The child's line may come before or after the parent's second one. */
static const char *const counter_lines[] = {
	"parent: the child's counter is 7\n",
	"parent: stored 42 into the child's page\n",
	"parent: the child saw it and exited\n",
};
static const char *const counter_child[] = {
	"parent: the child's counter is 7\n",
	"child:  my counter became 42\n",
};

KT_TEST(counter, "examples/counter writes into its child's memory, and the child sees it")
{
	rpt_need_module();
	KT_ASSERT_MSG(run(-1, "counter", NULL, NULL) == 0, "%s%s", P.obuf, P.ebuf);
	assert_in_order(counter_lines, 3);
	assert_in_order(counter_child, 2);
}

KT_TEST(counter_user_yama1, "examples/counter as an ordinary user with Yama's ptrace_scope 1 (a parent may attach to its child)")
{
	share_device();
	rpt_set_yama(1);
	KT_ASSERT_MSG(run(RPT_USER, "counter", NULL, NULL) == 0, "%s%s", P.obuf, P.ebuf);
	assert_in_order(counter_lines, 3);
	assert_in_order(counter_child, 2);
	rpt_restore_yama();
	device_root_only(NULL);
}

static const char *const share_lines[] = {
	"consumer: the view says \"hello from the owner\"\n",
	"owner:    revoking the window\n",
	"consumer: the owner revoked the window\n",
	"consumer: reading it now raises SIGBUS\n",
};

KT_TEST(share, "examples/share lends a page through a view and revokes it")
{
	rpt_need_module();
	KT_ASSERT_MSG(run(-1, "share", NULL, NULL) == 0, "%s%s", P.obuf, P.ebuf);
	assert_in_order(share_lines, 4);
}

KT_TEST(share_user, "examples/share as an ordinary user of the device group")
{
	share_device();
	KT_ASSERT_MSG(run(RPT_USER, "share", NULL, NULL) == 0, "%s%s", P.obuf, P.ebuf);
	assert_in_order(share_lines, 4);
	device_root_only(NULL);
}
