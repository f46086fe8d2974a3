// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The permission matrix: attaching needs exactly what opening
 * /proc/PID/mem needs (the ptrace-attach check with LSMs and Yama).
 *
 * Unprivileged callers run in forked children that drop to uid 1000 (in
 * group "remoteproc", which gets the device node as the udev rule does).
 * Targets of another user are exec'ed after setuid(), because a process
 * that dropped root is not dumpable until it execs.
 */
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

#define USER 1000
#define OTHER 1001
#define GROUP 990	/* "remoteproc" in the guest's /etc/group */
#define YAMA "/proc/sys/kernel/yama/ptrace_scope"

static long long yama_saved = -1;

static void restore_yama(void *arg)
{
	char v[24];

	if (yama_saved >= 0) {
		snprintf(v, sizeof(v), "%lld", yama_saved);
		rpt_write_file(YAMA, v);
	}
}

static void set_yama(int scope)
{
	char v[24];

	if (access(YAMA, F_OK))
		kt_skip("Yama is not enabled in this kernel");
	if (yama_saved < 0)
		yama_saved = rpt_read_ll(YAMA);
	kt_set_cleanup(restore_yama, NULL);
	snprintf(v, sizeof(v), "%d", scope);
	KT_ASSERT_EQ(rpt_write_file(YAMA, v), 0);
}

/* What the packaging's udev rule does: group "remoteproc", mode 0660. */
static void share_device(void)
{
	rpt_need_module();
	KT_ASSERT_OK(chown(RPT_DEV, 0, GROUP));
	KT_ASSERT_OK(chmod(RPT_DEV, 0660));
}

/* Become uid/gid, in the device's group, keeping only the capabilities in caps. */
static void become(int uid, uint32_t caps)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	gid_t groups[1] = { GROUP };

	if (caps)
		KT_ASSERT_OK(prctl(PR_SET_KEEPCAPS, 1));
	KT_ASSERT_OK(setgroups(1, groups));
	KT_ASSERT_OK(setgid(uid));
	KT_ASSERT_OK(setuid(uid));
	d[0].effective = d[0].permitted = caps;
	KT_ASSERT_OK(syscall(SYS_capset, &h, d));
}

struct attempt {
	pid_t target;
	uint64_t addr, expect;	/* read through the mirror when attached */
	int uid;
	uint32_t caps;
};

/*
 * In the child: attach as the given user; exit 0 when attached and the
 * mirror shows the expected word, the errno otherwise (200: wrong data).
 */
static void attempt_child(void *arg)
{
	struct attempt *at = arg;
	uint64_t v = 0;
	int dev, m;

	become(at->uid, at->caps);
	dev = rpt_dev();
	m = rpt_attach_pid(dev, at->target, 0);
	if (m < 0)
		_exit(-m);
	if (pread(m, &v, 8, at->addr) != 8 || v != at->expect)
		_exit(200);
	_exit(0);
}

/* 0 if a caller of uid with caps may attach to t, else the errno. */
static int try_attach(struct rpt_target *t, int uid, uint32_t caps)
{
	struct attempt at = { .target = t->pid, .uid = uid, .caps = caps };
	int status;

	at.addr = rpt_target_anon(t, PG);
	at.expect = 0x5ec0000000000000ull | t->pid;
	rpt_do(t, RPT_OP_STORE, at.addr, at.expect, 0, 0, NULL);
	status = kt_run_child(attempt_child, &at);
	KT_ASSERT_MSG(WIFEXITED(status), "attempt died: 0x%x", status);
	return WEXITSTATUS(status);
}

KT_TEST(other_uid_denied, "an unprivileged user cannot attach to another user's process")
{
	struct rpt_target t;

	share_device();
	rpt_target_exec(&t, "/tests/rpt_target", OTHER, OTHER);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), EACCES);
	rpt_target_kill(&t);
}

KT_TEST(same_uid_allowed, "an unprivileged user can attach to their own process (Yama off)")
{
	struct rpt_target t;

	share_device();
	set_yama(0);
	rpt_target_exec(&t, "/tests/rpt_target", USER, USER);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), 0);
	rpt_target_kill(&t);
	restore_yama(NULL);
}

KT_TEST(root_allowed, "root (CAP_SYS_PTRACE and DAC override) can attach to any user's process")
{
	struct rpt_target t;
	int dev = rpt_dev(), m;

	rpt_target_exec(&t, "/tests/rpt_target", OTHER, OTHER);
	m = rpt_attach_pid(dev, t.pid, REMOTE_PROC_ATTACH_WRITE);
	KT_ASSERT(m >= 0);
	rpt_target_kill(&t);
}

KT_TEST(nondumpable_denied, "a non-dumpable target is denied to an unprivileged caller of the same uid")
{
	struct rpt_target t;

	share_device();
	set_yama(0);
	rpt_target_exec(&t, "/tests/rpt_target", USER, USER);
	rpt_do(&t, RPT_OP_DUMPABLE, 0, 0, 0, 0, NULL);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), EACCES);
	rpt_do(&t, RPT_OP_DUMPABLE, 1, 0, 0, 0, NULL);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), 0);
	rpt_target_kill(&t);
	restore_yama(NULL);
}

KT_TEST(setuid_target_denied, "a setuid-root target started by the same user is denied to that user")
{
	struct rpt_target t;

	share_device();
	set_yama(0);
	rpt_target_exec(&t, "/tests/rpt_target_suid", USER, USER);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), EACCES);
	rpt_target_kill(&t);
	restore_yama(NULL);
}

/* Yama scope 1: only ancestors (or a declared tracer) may attach. */
static void yama1_child(void *arg)
{
	struct rpt_target *stranger = arg, own;
	struct attempt at = { .uid = USER };
	int dev, m;

	become(USER, 0);
	dev = rpt_dev();
	KT_ASSERT_EQ(rpt_attach_pid(dev, stranger->pid, 0), -EACCES);
	rpt_target_exec(&own, "/tests/rpt_target", -1, -1);
	at.addr = rpt_target_anon(&own, PG);
	rpt_do(&own, RPT_OP_STORE, at.addr, 7, 0, 0, NULL);
	m = rpt_attach_pid(dev, own.pid, 0);
	KT_ASSERT_MSG(m >= 0, "attach to own child: %s", strerror(-m));
	KT_ASSERT_EQ(pread(m, &at.expect, 8, at.addr), 8);
	KT_ASSERT_EQ(at.expect, 7);
	rpt_target_kill(&own);
	_exit(0);
}

KT_TEST(yama_scope_1, "Yama ptrace_scope 1: a non-descendant is denied, a descendant allowed")
{
	struct rpt_target t;
	int status;

	share_device();
	set_yama(1);
	rpt_target_exec(&t, "/tests/rpt_target", USER, USER);
	status = kt_run_child(yama1_child, &t);
	KT_ASSERT(WIFEXITED(status));
	KT_ASSERT_EQ(WEXITSTATUS(status), 0);
	rpt_target_kill(&t);
	restore_yama(NULL);
}

KT_TEST(yama_scope_2, "Yama ptrace_scope 2: denied without CAP_SYS_PTRACE, allowed with it")
{
	struct rpt_target t;

	share_device();
	set_yama(2);
	rpt_target_exec(&t, "/tests/rpt_target", USER, USER);
	KT_ASSERT_EQ(try_attach(&t, USER, 0), EACCES);
	KT_ASSERT_EQ(try_attach(&t, USER, 1u << CAP_SYS_PTRACE), 0);
	rpt_target_kill(&t);
	restore_yama(NULL);
}

/* Attach as USER to its own child, then have it exec a setuid binary. */
static void exec_child(void *arg)
{
	struct remote_proc_query q;
	struct rpt_target own;
	volatile uint64_t *p;
	uint64_t a, v;
	int dev, m;

	become(USER, 0);
	dev = rpt_dev();
	rpt_target_exec(&own, "/tests/rpt_target", -1, -1);
	a = rpt_target_anon(&own, PG);
	rpt_do(&own, RPT_OP_STORE, a, 8, 0, 0, NULL);
	m = rpt_attach_pid(dev, own.pid, 0);
	KT_ASSERT(m >= 0);
	p = rpt_map(m, a, PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(rpt_load(p), 8);
	rpt_do(&own, RPT_OP_EXEC, 0, 0, 0, 0, "/tests/rpt_target_suid");
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_EQ(pread(m, &v, 8, a), 0);
	KT_ASSERT_OK(ioctl(m, REMOTE_PROC_IOC_QUERY, &q));
	KT_ASSERT(q.flags & REMOTE_PROC_QUERY_DEAD);
	KT_ASSERT_EQ(rpt_attach_pid(dev, own.pid, 0), -EACCES);
	rpt_target_kill(&own);
	_exit(0);
}

KT_TEST(setuid_exec_revokes, "a target that execs a setuid binary after attach revokes the mirror")
{
	int status;

	share_device();
	set_yama(0);
	status = kt_run_child(exec_child, NULL);
	KT_ASSERT(WIFEXITED(status));
	KT_ASSERT_EQ(WEXITSTATUS(status), 0);
	restore_yama(NULL);
}

struct passed {
	int dev, mem;
	uint64_t addr;
};

static void passed_fd_child(void *arg)
{
	struct passed *ps = arg;
	uint64_t v = 0;
	int m;

	become(USER, 0);
	/* Received (here: inherited) mem fd of a root process: a capability. */
	m = rpt_attach_memfd(ps->dev, ps->mem, 0);
	KT_ASSERT_MSG(m >= 0, "attach with a passed mem fd: %s", strerror(-m));
	KT_ASSERT_EQ(pread(m, &v, 8, ps->addr), 8);
	_exit(v == 0x77 ? 0 : 200);
}

KT_TEST(mem_fd_is_a_capability, "a mem fd opened by a privileged process lets its holder attach")
{
	struct rpt_target t;
	struct passed ps;
	int status;

	share_device();
	rpt_target_fork(&t);	/* root's process */
	ps.addr = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, ps.addr, 0x77, 0, 0, NULL);
	ps.dev = rpt_dev();
	ps.mem = rpt_open_mem(t.pid, O_RDONLY);
	status = kt_run_child(passed_fd_child, &ps);
	KT_ASSERT(WIFEXITED(status));
	KT_ASSERT_EQ(WEXITSTATUS(status), 0);
	rpt_target_kill(&t);
}

KT_TEST(device_node_gate, "without access to the device node, an unprivileged user cannot open it")
{
	int status;
	pid_t pid;

	rpt_need_module();
	KT_ASSERT_OK(chown(RPT_DEV, 0, 0));
	KT_ASSERT_OK(chmod(RPT_DEV, 0600));
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		become(USER, 0);
		_exit(open(RPT_DEV, O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT_EQ(WEXITSTATUS(status), 0);
}
