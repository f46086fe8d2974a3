// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libremoteproc 1.1: views, windows, revocation, seal, access fds, query
 * and waiting for events; every call with its error paths, through the
 * shared library as installed in the guest. The fd-source helper and
 * populate are in t_lib_share.c.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libremoteproc.h"

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/lview.h"
#include "lib/rpt.h"


static bool cloexec(int fd)
{
	return fcntl(fd, F_GETFD) & FD_CLOEXEC;
}

/* The 64-bit word at view offset off, through a fresh mapping of acc. */
static int view_word(int acc, uint64_t off, uint64_t *v)
{
	void *p;
	int sig;

	KT_ASSERT_EQ(remote_proc_map(acc, off, 8, PROT_READ, 0, &p), 0);
	sig = rpt_try_load(p, v);
	remote_proc_unmap(p, 8);
	return sig;
}
KT_TEST(symbol_versions, "the 1.0 calls keep LIBREMOTEPROC_1, the new ones are LIBREMOTEPROC_1.1")
{
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_map", "LIBREMOTEPROC_1"));
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_mirror_query", "LIBREMOTEPROC_1"));
	KT_ASSERT(!dlvsym(RTLD_DEFAULT, "remote_proc_map", "LIBREMOTEPROC_1.1"));
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_view_create", "LIBREMOTEPROC_1.1"));
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_view_wait", "LIBREMOTEPROC_1.1"));
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_populate", "LIBREMOTEPROC_1.1"));
	KT_ASSERT(!dlvsym(RTLD_DEFAULT, "remote_proc_view_create", "LIBREMOTEPROC_1"));
	KT_ASSERT(dlvsym(RTLD_DEFAULT, "remote_proc_lib_version_number", "LIBREMOTEPROC_1.2"));
	KT_ASSERT(!dlvsym(RTLD_DEFAULT, "remote_proc_lib_version_number", "LIBREMOTEPROC_1.1"));
	KT_ASSERT(remote_proc_lib_version_number() >= REMOTE_PROC_VERSION(1, 1, 0));
}

KT_TEST(view_create, "view_create: an empty close-on-exec control fd; -EINVAL, -EBADFD, -ENOTTY, -EBADF")
{
	struct remote_proc_view_info vi;
	int dev = lib_dev(), raw, null, ctl;

	ctl = remote_proc_view_create(dev, 16 * PG);
	KT_ASSERT(ctl >= 0);
	KT_ASSERT(cloexec(ctl));
	vi = vquery(ctl);
	KT_ASSERT_EQ(vi.flags, REMOTE_PROC_VIEW_CONTROL);
	KT_ASSERT_EQ(vi.size, 16 * PG);
	KT_ASSERT_EQ(vi.generation, 0);
	KT_ASSERT_EQ(vi.nr_windows, 0);
	KT_ASSERT_EQ(vi.pid, 0);
	close(ctl);
	ctl = remote_proc_view_create(dev, 0);	/* the largest */
	KT_ASSERT(ctl >= 0);
	KT_ASSERT(vquery(ctl).size >= 1ull << 46);
	close(ctl);
	KT_ASSERT_EQ(remote_proc_view_create(dev, PG + 1), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_create(dev, 1ull << 62), -EINVAL);
	raw = remote_proc_dev_open(NULL);
	KT_ASSERT_EQ(remote_proc_view_create(raw, PG), -EBADFD);
	null = open("/dev/null", O_RDWR);
	KT_ASSERT_EQ(remote_proc_view_create(null, PG), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_create(-1, PG), -EBADF);
	close(null);
	close(raw);
	close(dev);
}

KT_TEST_F(lv, view_map_target, "view_map: a window of a target's range, read and written through the view")
{
	struct rpt_target t;
	uint64_t a, v = 0;
	uint64_t *p;
	int m;

	rpt_target_fork(&t);
	a = rpt_target_anon(&t, 4 * PG);
	rpt_do(&t, RPT_OP_STORE, a + PG + 8, 0x77, 0, 0, NULL);
	m = remote_proc_attach_pid(self->dev, t.pid, REMOTE_PROC_MIRROR_WRITE);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, 8 * PG, m, a, 4 * PG, RW), 0);
	close(m);	/* the window keeps the target */
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 1);
	KT_ASSERT_EQ(remote_proc_map(self->acc, 9 * PG + 8, 8, RW, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p), 0x77);
	KT_ASSERT_EQ(rpt_try_store(p, 0x78), 0);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a + PG + 8, 0, 0, 0, NULL), 0x78);
	KT_ASSERT_EQ(remote_proc_pread(self->acc, 9 * PG + 8, &v, 8), 8);
	KT_ASSERT_EQ(v, 0x78);
	KT_ASSERT_EQ(remote_proc_pread(self->acc, 7 * PG, &v, 8), -EIO);	/* a hole */
	rpt_do(&t, RPT_OP_MUNMAP, a, 4 * PG, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	remote_proc_unmap(p, 8);
	rpt_target_kill(&t);
}

KT_TEST_F(lv, view_map_errors, "view_map: each documented errno, and the view stays unchanged")
{
	struct rpt_target t;
	int ro, null = open("/dev/null", O_RDONLY);
	uint64_t a;

	rpt_target_fork(&t);
	a = rpt_target_anon(&t, 4 * PG);
	ro = remote_proc_attach_pid(self->dev, t.pid, 0);
	KT_ASSERT(ro >= 0);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, 0, ro, a, PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, 0, ro, a, PG, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a, PG, PROT_WRITE), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a, PG, PROT_READ | 0x8), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG + 1, ro, a, PG, PROT_READ), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a + 1, PG, PROT_READ), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a, 0, PROT_READ), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, 0, ro, a + PG, PG, PROT_READ), -EEXIST);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, VSIZE - PG, ro, a, 2 * PG, PROT_READ),
		     -EOVERFLOW);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, -1, a, PG, PROT_READ), -EBADF);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, null, a, PG, PROT_READ), -EBADF);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, self->acc, a, PG, PROT_READ), -EBADF);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a, PG, RW), -EACCES);
	KT_ASSERT_EQ(remote_proc_view_map(self->acc, PG, ro, a, PG, PROT_READ), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_map(-1, PG, ro, a, PG, PROT_READ), -EBADF);
	rpt_target_exit(&t);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, PG, ro, a, PG, PROT_READ), -ESRCH);
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 1);
	KT_ASSERT_EQ(vquery(self->ctl).generation, 0);
	close(ro);
	close(null);
}

KT_TEST_F(lv, view_map_self, "view_map_self: the caller's own memory at the chosen offset, both ways")
{
	uint64_t v;
	uint64_t *p;

	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 32 * PG, self->mem + 4 * PG, 4 * PG, RW),
		     0);
	KT_ASSERT_EQ(remote_proc_map(self->acc, 32 * PG, 4 * PG, RW, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + PG / 8), 0x1005);
	KT_ASSERT_EQ(rpt_try_store(p + 2 * PG / 8 + 1, 99), 0);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 6 * PG + 8), 99);
	*(uint64_t *)(self->mem + 7 * PG + 16) = 98;
	KT_ASSERT_EQ(rpt_load(p + 3 * PG / 8 + 2), 98);
	KT_ASSERT_EQ(view_word(self->acc, 36 * PG, &v), SIGBUS);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 40 * PG, self->mem + 8, PG, RW), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 40 * PG, self->mem, PG - 8, RW), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 34 * PG, self->mem, PG, RW), -EEXIST);
	remote_proc_unmap(p, 4 * PG);
}

KT_TEST_F(lv, view_unmap, "view_unmap revokes at once and cuts windows; each documented errno")
{
	uint64_t v;
	uint64_t *p;

	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, 8 * PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_map(self->acc, 0, 8 * PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + 3 * PG / 8), 0x1003);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 2 * PG, 2 * PG), 0);
	KT_ASSERT_EQ(rpt_try_load(p + 3 * PG / 8, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(p + 2 * PG / 8, &v), SIGBUS);
	KT_ASSERT_EQ(remote_proc_pread(self->acc, 2 * PG, &v, 8), -EIO);
	KT_ASSERT_EQ(rpt_load(p + PG / 8), 0x1001);
	KT_ASSERT_EQ(rpt_load(p + 4 * PG / 8), 0x1004);
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 2);
	KT_ASSERT_EQ(vquery(self->ctl).generation, 1);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 2 * PG, 2 * PG), -ENOENT);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, PG + 8, PG), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 0, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, VSIZE - PG, 2 * PG), -EOVERFLOW);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->acc, 0, PG), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_unmap(-1, 0, PG), -EBADF);
	KT_ASSERT_EQ(vquery(self->ctl).generation, 1);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 0, VSIZE), 0);
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 0);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	remote_proc_unmap(p, 8 * PG);
}

KT_TEST_F(lv, view_lock, "view_lock seals the layout: map and unmap fail with -EPERM, reads go on")
{
	uint64_t v;

	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_lock(self->ctl), 0);
	KT_ASSERT(vquery(self->ctl).flags & REMOTE_PROC_VIEW_SEALED);
	KT_ASSERT(vquery(self->acc).flags & REMOTE_PROC_VIEW_SEALED);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, PG, self->mem, PG, PROT_READ), -EPERM);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 0, PG), -EPERM);
	KT_ASSERT_EQ(remote_proc_view_lock(self->ctl), 0);
	KT_ASSERT_EQ(remote_proc_view_lock(self->acc), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_lock(-1), -EBADF);
	KT_ASSERT_EQ(view_word(self->acc, 0, &v), 0);
	KT_ASSERT_EQ(v, 0x1000);
}

KT_TEST_F(lv, view_access, "view_access: read-only or writable close-on-exec fds that cannot change the layout")
{
	int ro = remote_proc_view_access(self->ctl, 0);
	uint64_t v = 5;
	void *p;

	KT_ASSERT(ro >= 0);
	KT_ASSERT(cloexec(ro) && cloexec(self->acc));
	KT_ASSERT_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	KT_ASSERT_EQ(fcntl(self->acc, F_GETFL) & O_ACCMODE, O_RDWR);
	KT_ASSERT_EQ(vquery(ro).flags, 0);
	KT_ASSERT_EQ(vquery(self->acc).flags, REMOTE_PROC_VIEW_WRITABLE);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, PG, RW), 0);
	KT_ASSERT_EQ(remote_proc_map(ro, 0, PG, RW, 0, &p), -EACCES);
	KT_ASSERT_EQ(remote_proc_pwrite(ro, 0, &v, 8), -EBADF);
	KT_ASSERT_EQ(remote_proc_pwrite(self->acc, 8, &v, 8), 8);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 8), 5);
	KT_ASSERT_EQ(remote_proc_view_access(self->ctl, 0x2), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_access(ro, 0), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_access(-1, 0), -EBADF);
	close(ro);
}

KT_TEST_F(lv, view_query, "view_query on control, access and mirror fds; sizes; it acknowledges revocations")
{
	struct {
		struct remote_proc_view_info vi;
		uint64_t newer;
	} big;
	struct pollfd pfd = { .fd = self->acc, .events = POLLPRI };
	struct remote_proc_view_info vi;
	int null = open("/dev/null", O_RDONLY), m;

	m = remote_proc_attach_pid(self->dev, getpid(), 0);
	KT_ASSERT(m >= 0);
	vi = vquery(m);
	KT_ASSERT_EQ(vi.flags, REMOTE_PROC_VIEW_MIRROR | REMOTE_PROC_VIEW_SEALED);
	KT_ASSERT_EQ(vi.pid, getpid());
	KT_ASSERT_EQ(vi.nr_windows, 1);
	memset(&big, 0xaa, sizeof(big));
	KT_ASSERT_EQ(remote_proc_view_query(self->ctl, &big.vi, sizeof(big)), 0);
	KT_ASSERT_EQ(big.newer, 0);
	KT_ASSERT_EQ(big.vi.size, VSIZE);
	KT_ASSERT_EQ(remote_proc_view_query(self->ctl, &vi, 24), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_query(self->ctl, NULL, sizeof(vi)), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_query(null, &vi, sizeof(vi)), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_view_query(-1, &vi, sizeof(vi)), -EBADF);
	/* A revocation shows as POLLPRI until a query reads the generation. */
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 0, PG), 0);
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 1);
	KT_ASSERT(pfd.revents & POLLPRI);
	KT_ASSERT_EQ(vquery(self->acc).generation, 1);
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 0);
	close(m);
	close(null);
}

KT_TEST_F(lv, wait_revoked, "view_wait reports each revocation once, with the acknowledged state; wakes a waiter")
{
	struct remote_proc_view_info vi;
	uint64_t t0;
	pid_t pid;

	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, 16 * PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, NULL, 0), 0);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 0, PG), 0);
	memset(&vi, 0xaa, sizeof(vi));
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, &vi, sizeof(vi)),
		     REMOTE_PROC_EVENT_REVOKED);
	KT_ASSERT_EQ(vi.generation, 1);
	KT_ASSERT_EQ(vi.nr_windows, 1);
	KT_ASSERT_EQ(vi.flags, REMOTE_PROC_VIEW_WRITABLE);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, &vi, sizeof(vi)), 0);
	/* Two revocations before a wait: reported together. */
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, PG, PG), 0);
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 2 * PG, PG), 0);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 100, &vi, sizeof(vi)),
		     REMOTE_PROC_EVENT_REVOKED);
	KT_ASSERT_EQ(vi.generation, 3);
	/* Each access fd acknowledges for itself. */
	{
		int acc2 = remote_proc_view_access(self->ctl, 0);

		KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 3 * PG, PG), 0);
		KT_ASSERT_EQ(remote_proc_view_wait(acc2, 0, NULL, 0), REMOTE_PROC_EVENT_REVOKED);
		KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, NULL, 0),
			     REMOTE_PROC_EVENT_REVOKED);
		close(acc2);
	}
	/* The time runs out. */
	t0 = kt_now_ns();
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 300, NULL, 0), 0);
	KT_ASSERT((kt_now_ns() - t0) / 1000000 >= 290);
	/*
	 * A waiter is woken by a revocation in another process, made at
	 * least 200 ms after t0 (taken before the fork: the parent may run
	 * late after it, the child's sleep cannot start early).
	 */
	fflush(stdout);
	t0 = kt_now_ns();
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		usleep(200000);
		_exit(remote_proc_view_unmap(self->ctl, 8 * PG, PG) ? 1 : 0);
	}
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 10000, &vi, sizeof(vi)),
		     REMOTE_PROC_EVENT_REVOKED);
	KT_ASSERT((kt_now_ns() - t0) / 1000000 >= 150);
	KT_ASSERT_EQ(vi.generation, 5);
	KT_ASSERT_EQ(waitpid(pid, NULL, 0), pid);
}

KT_TEST_F(lv, wait_dead, "view_wait reports a dead source, for good, on access and mirror fds")
{
	struct rpt_target t;
	int m, n;
	pid_t pid;

	rpt_target_fork(&t);
	m = remote_proc_attach_pid(self->dev, t.pid, 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(remote_proc_view_map(self->ctl, 0, m, rpt_target_anon(&t, PG), PG,
					  PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, PG, self->mem, PG, PROT_READ), 0);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, NULL, 0), 0);
	KT_ASSERT_EQ(remote_proc_view_wait(m, 0, NULL, 0), 0);
	fflush(stdout);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		usleep(200000);
		kill(t.pid, SIGKILL);
		_exit(0);
	}
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 10000, NULL, 0), REMOTE_PROC_EVENT_DEAD);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 10000, NULL, 0), REMOTE_PROC_EVENT_DEAD);
	KT_ASSERT_EQ(remote_proc_view_wait(m, 1000, NULL, 0), REMOTE_PROC_EVENT_DEAD);
	KT_ASSERT(vquery(self->acc).flags & REMOTE_PROC_VIEW_DEAD);
	/* Both at once: a revocation after the death. */
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, PG, PG), 0);
	n = remote_proc_view_wait(self->acc, 0, NULL, 0);
	KT_ASSERT_EQ(n, REMOTE_PROC_EVENT_DEAD | REMOTE_PROC_EVENT_REVOKED);
	waitpid(pid, NULL, 0);
	waitpid(t.pid, NULL, 0);
	t.pid = 0;
	close(m);
}

static void on_alarm(int sig)
{
	(void)sig;
}

KT_TEST_F(lv, wait_errors, "view_wait: -EINVAL for control fds and bad sizes, -EBADF, -EINTR")
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct remote_proc_view_info vi;

	KT_ASSERT_EQ(remote_proc_view_wait(self->ctl, 0, NULL, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, &vi, 16), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, NULL, sizeof(vi)), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_wait(-1, 0, NULL, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_view_wait(900, 0, NULL, 0), -EBADF);
	sigemptyset(&sa.sa_mask);
	KT_ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	KT_ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 5000, NULL, 0), -EINTR);
}
