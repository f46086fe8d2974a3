// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Attaching: by /proc/PID/mem fd and by pid, writable or not, and every
 * kind of bad target.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/rpt.h"
#include "lib/target.h"

static struct remote_proc_query query(int m)
{
	struct remote_proc_query q;

	memset(&q, 0xaa, sizeof(q));
	KT_ASSERT_OK(ioctl(m, REMOTE_PROC_IOC_QUERY, &q));
	return q;
}

KT_TEST(attach_by_memfd, "a /proc/PID/mem fd attaches; the mirror fd is close-on-exec and read-only")
{
	struct rpt_target t;
	int dev = rpt_dev(), mem, m;
	struct remote_proc_query q;

	rpt_target_fork(&t);
	mem = rpt_open_mem(t.pid, O_RDONLY);
	KT_ASSERT(mem >= 0);
	m = rpt_attach_memfd(dev, mem, 0);
	KT_ASSERT_MSG(m >= 0, "attach: %s", strerror(-m));
	KT_ASSERT_EQ(fcntl(m, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	KT_ASSERT_EQ(fcntl(m, F_GETFL) & O_ACCMODE, O_RDONLY);
	q = query(m);
	KT_ASSERT_EQ(q.pid, t.pid);
	KT_ASSERT_EQ(q.flags, REMOTE_PROC_QUERY_MIRROR | REMOTE_PROC_QUERY_SEALED);
	KT_ASSERT_EQ(q.nr_windows, 1);
	KT_ASSERT_EQ(q.generation, 0);
	KT_ASSERT(q.size >= (1ull << 47) - 4096);
	KT_ASSERT_EQ(q.__reserved0, 0);
	rpt_target_kill(&t);
}

KT_TEST(attach_by_pid, "attaching by pid gives the same kind of mirror")
{
	struct rpt_target t;
	int dev = rpt_dev(), m;

	rpt_target_fork(&t);
	m = rpt_attach_pid(dev, t.pid, 0);
	KT_ASSERT_MSG(m >= 0, "attach: %s", strerror(-m));
	KT_ASSERT_EQ(fcntl(m, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	KT_ASSERT_EQ(query(m).pid, t.pid);
	rpt_target_kill(&t);
}

KT_TEST(attach_writable, "ATTACH_WRITE gives an O_RDWR mirror, by pid and by a read-write mem fd")
{
	struct rpt_target t;
	int dev = rpt_dev(), mem, m;

	rpt_target_fork(&t);
	m = rpt_attach_pid(dev, t.pid, REMOTE_PROC_ATTACH_WRITE);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(fcntl(m, F_GETFL) & O_ACCMODE, O_RDWR);
	KT_ASSERT_EQ(query(m).flags, REMOTE_PROC_QUERY_WRITABLE | REMOTE_PROC_QUERY_MIRROR |
		     REMOTE_PROC_QUERY_SEALED);
	close(m);
	mem = rpt_open_mem(t.pid, O_RDWR);
	m = rpt_attach_memfd(dev, mem, REMOTE_PROC_ATTACH_WRITE);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(fcntl(m, F_GETFL) & O_ACCMODE, O_RDWR);
	rpt_target_kill(&t);
}

KT_TEST(attach_write_needs_writable_memfd, "ATTACH_WRITE with a read-only mem fd fails with EACCES")
{
	struct rpt_target t;
	int dev = rpt_dev(), mem;

	rpt_target_fork(&t);
	mem = rpt_open_mem(t.pid, O_RDONLY);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, mem, REMOTE_PROC_ATTACH_WRITE), -EACCES);
	rpt_target_kill(&t);
}

KT_TEST(attach_not_memfd, "fds that are not /proc/PID/mem files, or not open, fail with EBADF")
{
	int dev = rpt_dev(), fd;
	char path[64];

	fd = open("/dev/null", O_RDWR);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, fd, 0), -EBADF);
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/maps", getpid());
	fd = open(path, O_RDONLY);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, fd, 0), -EBADF);
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", getpid());
	fd = open(path, O_RDONLY);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, fd, 0), -EBADF);
	close(fd);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, dev, 0), -EBADF);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, 999, 0), -EBADF);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, -1, 0), -EBADF);
}

KT_TEST(attach_no_such_pid, "a pid that does not exist fails with ESRCH")
{
	int dev = rpt_dev();
	pid_t pid = fork();

	KT_ASSERT(pid >= 0);
	if (pid == 0)
		_exit(0);
	KT_ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	KT_ASSERT_EQ(rpt_attach_pid(dev, pid, 0), -ESRCH);
	KT_ASSERT_EQ(rpt_attach_pid(dev, 4194304, 0), -ESRCH);
}

KT_TEST(attach_kernel_thread, "a kernel thread (kthreadd) fails with ESRCH, by pid and by mem fd")
{
	int dev = rpt_dev(), mem;

	KT_ASSERT_EQ(rpt_attach_pid(dev, 2, 0), -ESRCH);
	/* Newer kernels refuse the open already, with the same errno. */
	mem = rpt_open_mem(2, O_RDONLY);
	if (mem < 0)
		KT_ASSERT_EQ(mem, -ESRCH);
	else
		KT_ASSERT_EQ(rpt_attach_memfd(dev, mem, 0), -ESRCH);
}

KT_TEST(attach_zombie, "a zombie fails with ESRCH, by pid and by mem fd")
{
	int dev = rpt_dev(), mem;
	siginfo_t si;
	pid_t pid = fork();

	KT_ASSERT(pid >= 0);
	if (pid == 0)
		_exit(0);
	/* Wait for the exit without reaping. */
	KT_ASSERT_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	KT_ASSERT_EQ(rpt_attach_pid(dev, pid, 0), -ESRCH);
	mem = rpt_open_mem(pid, O_RDONLY);
	if (mem < 0)
		KT_ASSERT_EQ(mem, -ESRCH);
	else
		KT_ASSERT_EQ(rpt_attach_memfd(dev, mem, 0), -ESRCH);
	waitpid(pid, NULL, 0);
}

KT_TEST(attach_exited_after_open, "a mem fd whose process exited since open fails with ESRCH")
{
	struct rpt_target t;
	int dev = rpt_dev(), mem;

	rpt_target_fork(&t);
	mem = rpt_open_mem(t.pid, O_RDONLY);
	KT_ASSERT(mem >= 0);
	rpt_target_exit(&t);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, mem, 0), -ESRCH);
}

KT_TEST(attach_exec_after_open, "a mem fd opened before the target exec'd fails with ESRCH (the old image is gone)")
{
	struct rpt_target t;
	int dev = rpt_dev(), mem, m;

	rpt_target_fork(&t);
	mem = rpt_open_mem(t.pid, O_RDONLY);
	KT_ASSERT(mem >= 0);
	rpt_do(&t, RPT_OP_EXEC, 0, 0, 0, 0, "/tests/rpt_target");
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_GETPID, 0, 0, 0, 0, NULL), t.pid);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, mem, 0), -ESRCH);
	/* The new image can be attached to afresh. */
	m = rpt_attach_pid(dev, t.pid, 0);
	KT_ASSERT(m >= 0);
	rpt_target_kill(&t);
}

KT_TEST(attach_memfd_of_thread, "a thread's /proc/PID/task/TID/mem attaches and reports the process's pid")
{
	int dev = rpt_dev(), mem, m;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/mem", getpid());
	mem = open(path, O_RDONLY);
	KT_ASSERT(mem >= 0);
	m = rpt_attach_memfd(dev, mem, 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(query(m).pid, getpid());
}

KT_TEST(attach_self, "a process may attach to itself and read its own memory through the mirror")
{
	static volatile uint64_t word = 0x1122334455667788ull;
	uint64_t page = (uint64_t)(uintptr_t)&word & ~4095ull;
	int dev = rpt_dev(), m;
	volatile uint64_t *p;
	char *map;

	m = rpt_attach_pid(dev, getpid(), REMOTE_PROC_ATTACH_WRITE);
	KT_ASSERT(m >= 0);
	map = rpt_map(m, page, 4096, PROT_READ | PROT_WRITE);
	KT_ASSERT(map != MAP_FAILED);
	p = (volatile uint64_t *)(map + ((uintptr_t)&word - page));
	KT_ASSERT_EQ(rpt_load(p), 0x1122334455667788ull);
	word = 42;
	KT_ASSERT_EQ(rpt_load(p), 42);
	KT_ASSERT_EQ(rpt_try_store(p, 43), 0);
	KT_ASSERT_EQ(word, 43);
}

KT_TEST(attach_self_recursion, "the mirror's own mapping seen through the mirror gives SIGBUS, not recursion")
{
	int dev = rpt_dev(), m;
	char *map, *inner;
	uint64_t v;

	m = rpt_attach_pid(dev, getpid(), 0);
	KT_ASSERT(m >= 0);
	map = rpt_map(m, 0x10000, 4096, PROT_READ);
	KT_ASSERT(map != MAP_FAILED);
	/* A second mapping of the mirror, over the first one's addresses. */
	inner = rpt_map(m, (uint64_t)(uintptr_t)map, 4096, PROT_READ);
	KT_ASSERT(inner != MAP_FAILED);
	KT_ASSERT_EQ(rpt_try_load(inner, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(map, &v), SIGBUS);	/* 0x10000: a hole */
}

KT_TEST(attach_many, "many mirrors of one target, and of many targets, coexist and close cleanly")
{
	struct rpt_target t[4];
	int dev = rpt_dev(), m[32], i;

	for (i = 0; i < 4; i++)
		rpt_target_fork(&t[i]);
	for (i = 0; i < 32; i++) {
		m[i] = rpt_attach_pid(dev, t[i % 4].pid, i & 1 ? REMOTE_PROC_ATTACH_WRITE : 0);
		KT_ASSERT(m[i] >= 0);
	}
	for (i = 0; i < 32; i++)
		close(m[i]);
	for (i = 0; i < 4; i++)
		rpt_target_kill(&t[i]);
}

KT_TEST(attach_fd_limit, "ATTACH with a full fd table fails with EMFILE and leaves nothing attached")
{
	struct rlimit rl = { 16, 16 };
	int dev = rpt_dev(), m, n = 0, fds[32];

	KT_ASSERT_OK(setrlimit(RLIMIT_NOFILE, &rl));
	while ((m = rpt_attach_pid(dev, getpid(), 0)) >= 0)
		fds[n++] = m;
	KT_ASSERT_EQ(m, -EMFILE);
	KT_ASSERT(n > 0 && n < 16);
	close(fds[0]);
	m = rpt_attach_pid(dev, getpid(), 0);
	KT_ASSERT(m >= 0);
}
