// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Every allocation an operation makes, failed in turn: with
 * /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION, failslab and
 * fail_page_alloc; the debug kernel), the Nth fault-injection point of
 * the call fails, for N = 1, 2, ... until the call no longer reaches N.
 * Each injected failure must give a documented errno (or be absorbed)
 * and leave nothing half-done: the view's layout is unchanged after a
 * failed MAP or UNMAP, every fd and mapping still works, and after the
 * sweep the module's reference count is back where it was (kmemleak,
 * scanned after the suite, sees the rest).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define FAIL_NTH "/proc/thread-self/fail-nth"
#define MAX_NTH 400

/* Fail sleeping allocations too, silently (a stack per failure would be a splat). */
static void failnth_setup(void)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};
	const char *usercopy = "/sys/kernel/debug/fail_usercopy/verbose";

	if (access(FAIL_NTH, F_OK))
		kt_skip("kernel without fault injection (%s): only the debug kernel has it",
			rpt_kernel_release());
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		KT_ASSERT_MSG(rpt_write_file(knobs[i][0], knobs[i][1]) == 0, "%s", knobs[i][0]);
	/* Copies to and from user space are injection points too, where configured. */
	if (!access(usercopy, F_OK))
		KT_ASSERT_EQ(rpt_write_file(usercopy, "0"), 0);
}

static int fail_nth_fd(void)
{
	int fd = open(FAIL_NTH, O_RDWR);

	KT_ASSERT(fd >= 0);
	return fd;
}

/* Arm the Nth injection point of this thread. */
static void arm(int fd, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	KT_ASSERT_EQ(pwrite(fd, buf, len, 0), len);
}

/*
 * Disarm; whether the armed point was reached by the call (then it
 * failed). Reading fail-nth copies out, which is an injection point too:
 * when that copy was the armed point, the read fails with EFAULT and the
 * call did not reach it. Writing 0 likewise may fail; disarmed either way.
 */
static bool disarm(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	KT_ASSERT_MSG(n > 0 || errno == EFAULT, "reading fail-nth: %s", strerror(errno));
	if (pwrite(fd, "0", 1, 0) != 1)
		KT_ASSERT_EQ(errno, EFAULT);
	return n > 0 && atoi(buf) == 0;
}

static bool documented(int e)
{
	return e == ENOMEM || e == EINTR || e == EFAULT || e == ENFILE || e == EMFILE ||
	       e == EAGAIN;
}

struct sweep {
	const char *what;
	int injected;		/* failures injected */
	int failed;		/* of them, reported to the caller */
};

/*
 * Run op (which returns a result >= 0 or -errno and undoes its own
 * success through undo) once per injection point.
 */
static void sweep(struct sweep *s, int fd, long (*op)(void *), void (*undo)(void *, long),
		  void (*check)(void *), void *arg)
{
	for (int n = 1; n <= MAX_NTH; n++) {
		long r;
		bool reached;

		arm(fd, n);
		r = op(arg);
		reached = disarm(fd);
		KT_ASSERT_MSG(r >= 0 || documented((int)-r), "%s, failure %d: undocumented %s",
			      s->what, n, strerrorname_np((int)-r) ?: "?");
		if (r >= 0 && undo)
			undo(arg, r);
		if (check)
			check(arg);
		if (!reached) {
			KT_ASSERT_MSG(r >= 0, "%s failed (%s) with no failure injected", s->what,
				      strerrorname_np((int)-r) ?: "?");
			kt_diag("%s: %d injection points, %d failures reported", s->what,
				s->injected, s->failed);
			return;
		}
		s->injected++;
		s->failed += r < 0;
	}
	kt_fail(__FILE__, __LINE__, "%s: more than %d injection points", s->what, MAX_NTH);
}

struct ctx {
	struct rpt_mirror m;
	uint64_t a;		/* 16 pages in the target, stamped */
	int ctl, acc;
	int memfd;
	volatile uint64_t *map;	/* a mapping of the view: offsets [0, 16 pages) */
};

static long errno_of(long r)
{
	return r < 0 ? -errno : r;
}

static void close_fd(void *arg, long fd)
{
	close((int)fd);
}

static long op_attach_pid(void *arg)
{
	struct ctx *c = arg;

	return rpt_attach_pid(c->m.dev, c->m.t.pid, REMOTE_PROC_ATTACH_WRITE);
}

static long op_attach_memfd(void *arg)
{
	struct ctx *c = arg;

	return rpt_attach_memfd(c->m.dev, c->memfd, 0);
}

static long op_view_create(void *arg)
{
	struct ctx *c = arg;

	return rpt_view_create(c->m.dev, 64 * PG);
}

static long op_access_fd(void *arg)
{
	struct ctx *c = arg;

	return rpt_view_access(c->ctl, 1);
}

/* MAP over a hole of the view (pages 16..31), undone by UNMAP. */
static long op_map(void *arg)
{
	struct ctx *c = arg;

	return rpt_view_map(c->ctl, c->m.fd, 0, RW, c->a, 16 * PG, 16 * PG);
}

static void undo_map(void *arg, long r)
{
	struct ctx *c = arg;

	KT_ASSERT_EQ(rpt_view_unmap(c->ctl, 16 * PG, 16 * PG), 0);
}

/* UNMAP that cuts the window [0, 16) in three, undone by two MAPs. */
static long op_unmap(void *arg)
{
	struct ctx *c = arg;

	return rpt_view_unmap(c->ctl, 4 * PG, 4 * PG);
}

static void undo_unmap(void *arg, long r)
{
	struct ctx *c = arg;

	KT_ASSERT_EQ(rpt_view_unmap(c->ctl, 0, 16 * PG), 0);
	KT_ASSERT_EQ(rpt_view_map(c->ctl, c->m.fd, 0, RW, c->a, 0, 16 * PG), 0);
}

/* The view shows the target's 16 pages at [0, 16) and nothing at [16, 32). */
static void check_layout(void *arg)
{
	struct ctx *c = arg;
	struct remote_proc_query q = rpt_query(c->ctl);
	uint64_t v;

	KT_ASSERT_EQ(q.nr_windows, 1);
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(rpt_load(MW(c->map, c->a, c->a + i * PG)), rpt_stamp_of(c->a + i * PG, 9));
	KT_ASSERT_EQ(rpt_try_load((char *)c->map + 16 * PG, &v), SIGBUS);
}

static long op_populate(void *arg)
{
	struct ctx *c = arg;
	struct remote_proc_populate p = { .addr = (uintptr_t)c->map, .length = 32 * PG,
					  .flags = REMOTE_PROC_POPULATE_WRITE };

	return errno_of(ioctl(c->acc, REMOTE_PROC_IOC_POPULATE, &p));
}

static void unpopulate(void *arg)
{
	struct ctx *c = arg;

	/* Zap what populate mapped (the target's mprotect invalidates). */
	rpt_do(&c->m.t, RPT_OP_MPROTECT, c->a, 16 * PG, PROT_READ, 0, NULL);
	rpt_do(&c->m.t, RPT_OP_MPROTECT, c->a, 16 * PG, PROT_READ | PROT_WRITE, 0, NULL);
	check_layout(c);
}

static long op_mmap_populate(void *arg)
{
	struct ctx *c = arg;
	void *p = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       c->acc, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 32 * PG);
	return 0;
}

static long op_first_touch(void *arg)
{
	struct ctx *c = arg;
	volatile uint64_t *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
				    c->acc, 0);
	long r;

	if (p == MAP_FAILED)
		return -errno;
	/* A fault that cannot allocate is retried by the core: it succeeds. */
	r = rpt_load(MW(p, c->a, c->a + 5 * PG)) == rpt_stamp_of(c->a + 5 * PG, 9) ? 0 : -EIO;
	*MW(p, c->a, c->a + 6 * PG) = rpt_stamp_of(c->a + 6 * PG, 9);
	munmap((void *)p, 16 * PG);
	return r;
}

KT_TEST_TIMEOUT(sweep_all, 900, "every injected allocation failure of attach, view create, MAP, UNMAP, ACCESS_FD, POPULATE, mmap and a first fault: a documented errno, nothing half-done")
{
	static struct ctx c;
	int fd, refs;
	struct sweep s[] = {
		{ "attach by pid" }, { "attach by mem fd" }, { "view create" },
		{ "ACCESS_FD" }, { "MAP" }, { "UNMAP (cut)" }, { "POPULATE" },
		{ "mmap MAP_POPULATE" }, { "first fault" },
	};

	failnth_setup();
	rpt_mirror_start(&c.m, REMOTE_PROC_ATTACH_WRITE);
	refs = rpt_module_refcnt();
	c.a = rpt_target_anon(&c.m.t, 16 * PG);
	rpt_stamp(&c.m, c.a, 16 * PG, 9);
	c.memfd = rpt_open_mem(c.m.t.pid, O_RDONLY);
	KT_ASSERT(c.memfd >= 0);
	c.ctl = rpt_view_create(c.m.dev, 64 * PG);
	KT_ASSERT(c.ctl >= 0);
	KT_ASSERT_EQ(rpt_view_map(c.ctl, c.m.fd, 0, RW, c.a, 0, 16 * PG), 0);
	c.acc = rpt_view_access(c.ctl, 1);
	KT_ASSERT(c.acc >= 0);
	c.map = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, c.acc, 0);
	KT_ASSERT(c.map != MAP_FAILED);
	check_layout(&c);

	fd = fail_nth_fd();
	sweep(&s[0], fd, op_attach_pid, close_fd, NULL, &c);
	sweep(&s[1], fd, op_attach_memfd, close_fd, NULL, &c);
	sweep(&s[2], fd, op_view_create, close_fd, NULL, &c);
	sweep(&s[3], fd, op_access_fd, close_fd, NULL, &c);
	sweep(&s[4], fd, op_map, undo_map, check_layout, &c);
	sweep(&s[5], fd, op_unmap, undo_unmap, check_layout, &c);
	sweep(&s[6], fd, op_populate, NULL, unpopulate, &c);
	sweep(&s[7], fd, op_mmap_populate, NULL, check_layout, &c);
	sweep(&s[8], fd, op_first_touch, NULL, check_layout, &c);
	close(fd);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		KT_ASSERT_MSG(s[i].injected > 0, "%s: no injection point at all", s[i].what);

	munmap((void *)c.map, 32 * PG);
	close(c.acc);
	close(c.ctl);
	close(c.memfd);
	/* Every object made and dropped on the way is gone. */
	KT_ASSERT_EQ(rpt_module_refcnt(), refs);
	rpt_mirror_stop(&c.m);
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
