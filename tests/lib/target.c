// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "ktap.h"
#include "target.h"

#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE (1 << 1)
#endif

struct req {
	uint32_t op;
	uint32_t pad;
	uint64_t a, b, c, d;
	char path[256];
};

struct resp {
	int64_t ret;
	int32_t err;
	uint32_t pad;
};

volatile uint64_t rpt_bench_sink;

uint64_t rpt_sum64(const void *p, uint64_t len)
{
	const uint64_t *w = p;
	uint64_t s = 0;

	for (uint64_t i = 0; i < len / 8; i++)
		s += w[i];
	return s;
}

uint64_t rpt_rand64(const void *p, uint64_t len, uint64_t count, uint64_t seed)
{
	const volatile uint64_t *w = p;
	uint64_t s = 0, x = seed | 1, n = len / 8;

	for (uint64_t i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s += w[x % n];
	}
	return s;
}

static long do_move_page(uint64_t addr, int node)
{
	void *pages[1] = { (void *)(uintptr_t)addr };
	int nodes[1] = { node }, status[1] = { -1 };

	if (syscall(SYS_move_pages, 0, 1, pages, node >= 0 ? nodes : NULL,
		    status, MPOL_MF_MOVE) < 0)
		return -1;
	if (status[0] < 0) {
		errno = -status[0];
		return -1;
	}
	return status[0];
}

/* RPT_OP_THREAD's thread: it waits for a byte on a pipe, then exits. */
static pthread_t op_thread;
static int op_thread_pipe[2] = { -1, -1 };
static volatile pid_t op_thread_tid;

static void *op_thread_fn(void *arg)
{
	char c;

	(void)arg;
	op_thread_tid = (pid_t)syscall(SYS_gettid);
	while (read(op_thread_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int64_t thread_start(void)
{
	if (op_thread_pipe[0] >= 0 || pipe2(op_thread_pipe, O_CLOEXEC))
		return -1;
	op_thread_tid = 0;
	if (pthread_create(&op_thread, NULL, op_thread_fn, NULL)) {
		close(op_thread_pipe[0]);
		close(op_thread_pipe[1]);
		op_thread_pipe[0] = op_thread_pipe[1] = -1;
		return -1;
	}
	while (!op_thread_tid)
		usleep(1000);
	return op_thread_tid;
}

static int64_t thread_end(void)
{
	if (op_thread_pipe[0] < 0 || write(op_thread_pipe[1], "x", 1) != 1)
		return -1;
	pthread_join(op_thread, NULL);
	close(op_thread_pipe[0]);
	close(op_thread_pipe[1]);
	op_thread_pipe[0] = op_thread_pipe[1] = -1;
	return 0;
}

static int64_t serve(struct req *r, int sock)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)r->a;
	int64_t ret = 0;
	int fd = -1;
	void *m;

	switch (r->op) {
	case RPT_OP_PING:
		return 0;
	case RPT_OP_GETPID:
		return getpid();
	case RPT_OP_MMAP:
		if (r->path[0]) {
			fd = open(r->path, O_RDWR | O_CREAT, 0644);
			if (fd < 0)
				return -1;
		}
		m = mmap((void *)(uintptr_t)r->a, r->b, r->c, r->d, fd, 0);
		if (fd >= 0)
			close(fd);
		return m == MAP_FAILED ? -1 : (int64_t)(uintptr_t)m;
	case RPT_OP_MUNMAP:
		return munmap((void *)p, r->b);
	case RPT_OP_MPROTECT:
		return mprotect((void *)p, r->b, r->c);
	case RPT_OP_MADVISE:
		return madvise((void *)p, r->b, r->c);
	case RPT_OP_MREMAP:
		m = r->d ? mremap((void *)p, r->b, r->c, MREMAP_MAYMOVE | MREMAP_FIXED,
				  (void *)(uintptr_t)r->d) :
			   mremap((void *)p, r->b, r->c, MREMAP_MAYMOVE);
		return m == MAP_FAILED ? -1 : (int64_t)(uintptr_t)m;
	case RPT_OP_STORE:
		*p = r->b;
		return 0;
	case RPT_OP_LOAD:
		return *p;
	case RPT_OP_FILL:
		memset((void *)p, (int)r->c, r->b);
		return 0;
	case RPT_OP_SUM:
		for (uint64_t i = 0; i < r->b / 8; i++)
			ret += p[i];
		return ret;
	case RPT_OP_FORK:
		ret = fork();
		if (ret == 0) {
			close(sock);
			for (;;)
				pause();
		}
		return ret;
	case RPT_OP_EXEC: {
		char fdarg[16];

		snprintf(fdarg, sizeof(fdarg), "%d", sock);
		execl(r->path, r->path, "--rpt-target", fdarg, (char *)NULL);
		return -1;
	}
	case RPT_OP_EXIT:
		_exit((int)r->a);
	case RPT_OP_TRUNCATE:
		return truncate(r->path, r->a);
	case RPT_OP_MOVE_PAGE:
		return do_move_page(r->a, (int)r->b);
	case RPT_OP_SECRET:
		fd = syscall(SYS_memfd_secret, 0);
		if (fd < 0)
			return -1;
		if (ftruncate(fd, r->a)) {
			close(fd);
			return -1;
		}
		m = mmap(NULL, r->a, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			return -1;
		memset(m, 0x5a, r->a);
		return (int64_t)(uintptr_t)m;
	case RPT_OP_DUMPABLE:
		return prctl(PR_SET_DUMPABLE, r->a, 0, 0, 0);
	case RPT_OP_MAP_MIRROR: {
		struct remote_proc_api api = { .api = REMOTE_PROC_API };
		struct remote_proc_attach at = {
			.flags = REMOTE_PROC_ATTACH_PID, .memfd = -1, .pid = (int)r->a,
		};
		int dev = open("/dev/remote-proc", O_RDWR | O_CLOEXEC);

		if (dev < 0)
			return -1;
		if (ioctl(dev, REMOTE_PROC_IOC_API, &api) ||
		    (fd = ioctl(dev, REMOTE_PROC_IOC_ATTACH, &at)) < 0) {
			close(dev);
			return -1;
		}
		close(dev);
		m = mmap(NULL, r->c, PROT_READ, MAP_SHARED, fd, (off_t)r->b);
		close(fd);
		return m == MAP_FAILED ? -1 : (int64_t)(uintptr_t)m;
	}
	case RPT_OP_HOG:
		m = mmap(NULL, 1ull << 36, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			return -1;
		for (uint64_t o = 0;; o += 4096)
			((volatile char *)m)[o] = 1;
	case RPT_OP_TIME_SUM: {
		uint64_t t0 = kt_now_ns();

		rpt_bench_sink += rpt_sum64((const void *)p, r->b);
		return (int64_t)(kt_now_ns() - t0);
	}
	case RPT_OP_TIME_RAND: {
		uint64_t t0 = kt_now_ns();

		rpt_bench_sink += rpt_rand64((const void *)p, r->b, r->c, r->d);
		return (int64_t)(kt_now_ns() - t0);
	}
	case RPT_OP_TIME_MUNMAP: {
		uint64_t t0 = kt_now_ns();

		if (munmap((void *)p, r->b))
			return -1;
		return (int64_t)(kt_now_ns() - t0);
	}
	case RPT_OP_MSYNC:
		return msync((void *)p, r->b, MS_SYNC);
	case RPT_OP_THREAD:
		return r->a ? thread_start() : thread_end();
	}
	errno = EINVAL;
	return -1;
}

void rpt_target_loop(int sock)
{
	struct req r;
	struct resp s;

	/* Die with the test, whatever happens to it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		ssize_t n = recv(sock, &r, sizeof(r), 0);

		if (n != sizeof(r))
			_exit(n == 0 ? 0 : 3);
		r.path[sizeof(r.path) - 1] = 0;
		memset(&s, 0, sizeof(s));
		errno = 0;
		s.ret = serve(&r, sock);
		s.err = s.ret == -1 ? errno : 0;
		if (send(sock, &s, sizeof(s), 0) != sizeof(s))
			_exit(4);
	}
}

void rpt_target_main(int argc, char **argv)
{
	struct resp hello = { 0 };
	int sock;

	if (argc != 3 || strcmp(argv[1], "--rpt-target"))
		return;
	/* Announce the new image: the answer to RPT_OP_EXEC, or to the spawn. */
	sock = atoi(argv[2]);
	if (send(sock, &hello, sizeof(hello), 0) != sizeof(hello))
		_exit(4);
	rpt_target_loop(sock);
}

static void make_pair(int sv[2])
{
	KT_ASSERT_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
}

void rpt_target_fork(struct rpt_target *t)
{
	int sv[2];

	make_pair(sv);
	fflush(stdout);
	t->pid = fork();
	KT_ASSERT(t->pid >= 0);
	if (t->pid == 0) {
		close(sv[0]);
		rpt_target_loop(sv[1]);
	}
	close(sv[1]);
	t->sock = sv[0];
}

void rpt_target_exec(struct rpt_target *t, const char *path, int uid, int gid)
{
	char fdarg[16];
	int sv[2];

	make_pair(sv);
	fflush(stdout);
	t->pid = fork();
	KT_ASSERT(t->pid >= 0);
	if (t->pid == 0) {
		close(sv[0]);
		if (gid >= 0 && (setgroups(0, NULL) || setgid(gid)))
			_exit(5);
		if (uid >= 0 && setuid(uid))
			_exit(5);
		snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
		execl(path, path, "--rpt-target", fdarg, (char *)NULL);
		_exit(6);
	}
	close(sv[1]);
	t->sock = sv[0];
	/* Wait until the exec'ed helper says hello. */
	{
		struct resp hello;

		KT_ASSERT_MSG(recv(t->sock, &hello, sizeof(hello), 0) == sizeof(hello),
			      "target %s did not start", path);
	}
}

int64_t rpt_call(struct rpt_target *t, enum rpt_op op, uint64_t a, uint64_t b,
		 uint64_t c, uint64_t d, const char *path, int *err)
{
	struct req r = { .op = op, .a = a, .b = b, .c = c, .d = d };
	struct resp s;

	if (path)
		snprintf(r.path, sizeof(r.path), "%s", path);
	KT_ASSERT_MSG(send(t->sock, &r, sizeof(r), 0) == sizeof(r),
		      "send to target: %s", strerror(errno));
	if (op == RPT_OP_EXIT || op == RPT_OP_HOG)
		return 0;
	if (recv(t->sock, &s, sizeof(s), 0) != sizeof(s)) {
		if (err)
			*err = EPIPE;
		return -1;
	}
	if (err)
		*err = s.err;
	return s.ret;
}

int64_t rpt_do(struct rpt_target *t, enum rpt_op op, uint64_t a, uint64_t b,
	       uint64_t c, uint64_t d, const char *path)
{
	int err = 0;
	int64_t ret = rpt_call(t, op, a, b, c, d, path, &err);

	KT_ASSERT_MSG(!(ret == -1 && err), "target op %d failed: %s", op,
		      strerror(err));
	return ret;
}

uint64_t rpt_target_anon(struct rpt_target *t, uint64_t len)
{
	return rpt_do(t, RPT_OP_MMAP, 0, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, NULL);
}

void rpt_target_exit(struct rpt_target *t)
{
	int status;

	rpt_call(t, RPT_OP_EXIT, 0, 0, 0, 0, NULL, NULL);
	KT_ASSERT_EQ(waitpid(t->pid, &status, 0), t->pid);
	close(t->sock);
	t->pid = 0;
}

void rpt_target_kill(struct rpt_target *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		close(t->sock);
		t->pid = 0;
	}
}
