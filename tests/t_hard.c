// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The shapes users and attackers produce: mapping lengths that end inside
 * a THP, instructions that read and write one page, hundreds of mirrors
 * closed at once, rights added by mprotect() after the fact, madvise()
 * against the fork promise, populating huge empty ranges, write-only mem
 * files, and races of revocation against the source's own unmapping.
 * Each test here failed on the module before its fix.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define H (2ull << 20)

KT_FIXTURE(hd) {
	struct rpt_mirror m;
};

KT_SETUP(hd)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
}

KT_TEARDOWN(hd)
{
	rpt_mirror_stop(&self->m);
}

static bool kernel_tainted_by_warn(void)
{
	return rpt_read_ll("/proc/sys/kernel/tainted") & (1 << 9);	/* TAINT_WARN */
}

/* --- huge mappings ------------------------------------------------------- */

/* Two THPs at a 2 MiB aligned target address, stamped with salt. */
static uint64_t target_thps(struct rpt_mirror *m, uint64_t salt)
{
	uint64_t raw, a;

	if (!rpt_have_pmd(m->dev))
		kt_skip("kernel without huge PFN mappings (%s): 4 KiB entries only",
			rpt_kernel_release());
	rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	raw = rpt_target_anon(&m->t, 3 * H);
	a = (raw + H - 1) & ~(H - 1);
	rpt_do(&m->t, RPT_OP_MADVISE, a, 2 * H, MADV_HUGEPAGE, 0, NULL);
	rpt_stamp(m, a, 2 * H, salt);
	KT_ASSERT_MSG(rpt_is_thp(m->t.pid, a) && rpt_is_thp(m->t.pid, a + H), "no THPs were allocated");
	return a;
}

/* A 2 MiB aligned range of 8 MiB of PROT_NONE address space of ours. */
static char *reserve_aligned(void)
{
	char *r = mmap(NULL, 10 * H, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_ASSERT(r != MAP_FAILED);
	return (char *)(((uintptr_t)r + H - 1) & ~(H - 1));
}

KT_TEST_F_TIMEOUT(hd, pmd_lengths, 200, "mappings of 1 page to 3 MiB + 1 page over THPs: every page right, nothing past the end")
{
	const uint64_t lens[] = { PG, H - PG, H, H + PG, 3 * H / 2, 3 * H / 2 + PG,
				  2 * H - PG, 2 * H };
	uint64_t a = target_thps(&self->m, 11), v;
	char *b = reserve_aligned();

	for (unsigned int i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint64_t len = lens[i];
		char *p = mmap(b, len, PROT_READ, MAP_SHARED | MAP_FIXED, self->m.fd, (off_t)a);

		KT_ASSERT(p == b);
		/* The last page first: its 2 MiB are partly outside. */
		KT_ASSERT_EQ(rpt_load(p + len - PG), rpt_stamp_of(a + len - PG, 11));
		for (uint64_t o = 0; o < len; o += PG)
			KT_ASSERT_EQ(rpt_load(p + o), rpt_stamp_of(a + o, 11));
		/* Past the end lies our PROT_NONE reservation. */
		KT_ASSERT_MSG(rpt_try_load(p + len, &v) == SIGSEGV,
			      "length %#llx: the page past the end reads %#llx",
			      (unsigned long long)len, (unsigned long long)v);
		KT_ASSERT(mmap(b, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			       -1, 0) == b);
	}
}

KT_TEST_F(hd, pmd_past_vma_end, "a 3 MiB read-only mapping over THPs: nothing of the target leaks past its end, nothing is written")
{
	uint64_t a = target_thps(&self->m, 12), v = 0;
	char *b = reserve_aligned(), *p, *q;

	KT_ASSERT_OK(munmap(b, 4 * H));
	p = mmap(b, 3 * H / 2, PROT_READ, MAP_SHARED | MAP_FIXED, self->m.fd, (off_t)a);
	KT_ASSERT(p == b);
	KT_ASSERT_EQ(rpt_load(p + H), rpt_stamp_of(a + H, 12));
	/* No VMA there: SIGSEGV, not the target's bytes. */
	KT_ASSERT_MSG(rpt_try_load(p + 3 * H / 2 + 2 * PG, &v) == SIGSEGV,
		      "past the end: read %#llx", (unsigned long long)v);
	q = mmap(p + 3 * H / 2, H / 2, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KT_ASSERT(q == p + 3 * H / 2);
	KT_ASSERT_EQ(rpt_load(q + 2 * PG), 0);
	*(volatile uint64_t *)(q + 2 * PG) = 5;
	KT_ASSERT_EQ(rpt_tload(&self->m, a + 3 * H / 2 + 2 * PG), rpt_stamp_of(a + 3 * H / 2 + 2 * PG, 12));
	KT_ASSERT_OK(munmap(q, H / 2));
	KT_ASSERT_OK(munmap(p, 3 * H / 2));
}

struct pmd_race {
	int fd;
	char *b;
	uint64_t a;
	atomic_bool stop;
};

static void *pmd_race_mapper(void *arg)
{
	struct pmd_race *r = arg;

	while (!atomic_load(&r->stop))
		if (mmap(r->b, H, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
			 r->fd, (off_t)r->a) != r->b)
			abort();
	return NULL;
}

KT_TEST_F_TIMEOUT(hd, pmd_write_vs_populate, 120, "write faults racing MAP_POPULATE of the same 2 MiB: no kernel warning, data right")
{
	struct pmd_race r = { .fd = self->m.fd };
	uint64_t t0 = kt_now_ns(), n = 0;
	pthread_t th;

	r.a = target_thps(&self->m, 13);
	r.b = reserve_aligned();
	KT_ASSERT(mmap(r.b, H, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, r.fd,
		       (off_t)r.a) == r.b);
	KT_ASSERT(!kernel_tainted_by_warn());
	KT_ASSERT_EQ(pthread_create(&th, NULL, pmd_race_mapper, &r), 0);
	while (kt_now_ns() - t0 < 3000000000ull) {
		uint64_t o = (n++ % 512) * PG;

		*(volatile uint64_t *)(r.b + o) = n;
		KT_ASSERT_EQ(*(volatile uint64_t *)(r.b + o), n);
	}
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	KT_ASSERT_MSG(!kernel_tainted_by_warn(), "the kernel warned (see the console)");
}

/* --- instructions that read and write one page -------------------------- */

enum rmw { RMW_ADD, RMW_INC, RMW_XCHG, RMW_CMPXCHG, RMW_MOVSB, RMW_NR };
static const char *const rmw_names[RMW_NR] = {
	"addl", "incq", "xchg", "lock cmpxchg", "rep movsb",
};

enum rmw_before { FIRST_TOUCH, AFTER_READ, AFTER_INVALIDATION, ON_ZERO_PAGE, NR_BEFORE };
static const char *const before_names[NR_BEFORE] = {
	"on first touch", "after a read", "after an invalidation",
	"after a read of the target's zero page",
};

struct rmw_arg {
	struct rpt_mirror *m;
	int fd;			/* mirror or access fd */
	off_t off;		/* its offset showing target address ta */
	uint64_t ta;
	enum rmw op;
	enum rmw_before before;
};

/*
 * In a child (mirror mappings are not inherited): map the page, bring its
 * PTE into the state asked for, then run one instruction on its first
 * word.
 */
static void rmw_child(void *arg)
{
	struct rmw_arg *r = arg;
	volatile uint64_t *p;
	uint64_t v = 7;

	signal(SIGALRM, SIG_DFL);	/* the harness's handler only notes it */
	alarm(10);			/* a livelock ends here, as SIGALRM */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, r->off);
	if (p == MAP_FAILED)
		exit(5);
	if (r->before == AFTER_INVALIDATION) {
		*p = *p;	/* a writable PTE, which the target's mprotect zaps */
		rpt_do(&r->m->t, RPT_OP_MPROTECT, r->ta, PG, PROT_READ, 0, NULL);
		rpt_do(&r->m->t, RPT_OP_MPROTECT, r->ta, PG, PROT_READ | PROT_WRITE, 0, NULL);
	}
	if (r->before != FIRST_TOUCH)
		(void)*p;	/* a read-only PTE */
	switch (r->op) {
	case RMW_ADD:
		__asm__ volatile("addl $1, %0" : "+m"(*(volatile uint32_t *)p));
		break;
	case RMW_INC:
		__asm__ volatile("incq %0" : "+m"(*p));
		break;
	case RMW_XCHG:
		__asm__ volatile("xchgq %0, %1" : "+r"(v), "+m"(*p));
		break;
	case RMW_CMPXCHG:
		__sync_val_compare_and_swap(p, *p, *p + 1);
		break;
	case RMW_MOVSB: {
		/* Copy the word within its page, then store it back plus one. */
		void *dst = (char *)p + PG / 2;
		const void *src = (const void *)p;
		unsigned long n = 8;

		__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
		*p = *(volatile uint64_t *)((char *)p + PG / 2) + 1;
		break;
	}
	default:
		abort();
	}
	exit(0);
}

/* Every instruction form in every PTE state, on the page at fd's off. */
static void rmw_all(struct rpt_mirror *m, int fd, off_t off, uint64_t ta)
{
	struct rmw_arg r = { .m = m, .fd = fd, .off = off, .ta = ta };

	for (r.op = 0; r.op < RMW_NR; r.op++)
		for (r.before = 0; r.before < NR_BEFORE; r.before++) {
			uint64_t was = 100 * r.op + r.before, want, got;
			int sig;

			rpt_do(&m->t, RPT_OP_MADVISE, ta, PG, MADV_DONTNEED, 0, NULL);
			if (r.before == ON_ZERO_PAGE)	/* copy-on-write in the target first */
				was = rpt_do(&m->t, RPT_OP_LOAD, ta, 0, 0, 0, NULL);
			else
				rpt_do(&m->t, RPT_OP_STORE, ta, was, 0, 0, NULL);
			want = r.op == RMW_XCHG ? 7 : was + 1;
			sig = kt_child_signal(rmw_child, &r);
			KT_ASSERT_MSG(sig == 0, "%s %s: the child died of signal %d%s",
				      rmw_names[r.op], before_names[r.before], sig,
				      sig == SIGALRM ? " (no progress in 10 s: livelock)" : "");
			got = rpt_tload(m, ta);
			KT_ASSERT_MSG(got == want, "%s %s: the target has %#llx, not %#llx",
				      rmw_names[r.op], before_names[r.before],
				      (unsigned long long)got, (unsigned long long)want);
		}
}

KT_TEST_F_TIMEOUT(hd, rmw_mirror, 300, "add, inc, xchg, lock cmpxchg, rep movsb on one mirror page all complete")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);

	rmw_all(&self->m, self->m.fd, (off_t)a, a);
}

KT_TEST_F_TIMEOUT(hd, rmw_view, 300, "the same instructions on a view mapping of a writable window")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	int ctl = rpt_view_create(self->m.dev, 4 * PG), acc;

	KT_ASSERT(ctl >= 0);
	KT_ASSERT_EQ(rpt_view_map(ctl, self->m.fd, 0, RW, a, PG, PG), 0);
	acc = rpt_view_access(ctl, 1);
	KT_ASSERT(acc >= 0);
	rmw_all(&self->m, acc, PG, a);
	close(acc);
	close(ctl);
}

KT_TEST_F(hd, write_after_read_one_step, "a store to a page mapped read-only by a read costs one mkwrite and no fault")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	pid_t child;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 1, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(p), 1);
	rpt_stats_reset();
	*p = 2;
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	KT_ASSERT_EQ(rpt_stat("mkwrites"), 1);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 2);
	/* A page the target shares with its fork: its copy-on-write breaks. */
	child = rpt_do(&self->m.t, RPT_OP_FORK, 0, 0, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(p), 2);
	*p = 3;
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 3);
	kill(child, SIGKILL);
}

KT_TEST_F(hd, populate_write_after_read, "POPULATE_WRITE after a read POPULATE makes every page writable and says so")
{
	uint64_t a = rpt_target_anon(&self->m.t, 32 * PG), n = 0;
	volatile uint64_t *p = rpt_mirror_map(&self->m, a, 32 * PG, PROT_READ | PROT_WRITE);
	struct remote_proc_populate pp = { .addr = (uintptr_t)p, .length = 32 * PG };

	rpt_stamp(&self->m, a, 32 * PG, 3);
	KT_ASSERT_OK(ioctl(self->m.fd, REMOTE_PROC_IOC_POPULATE, &pp));
	KT_ASSERT_EQ(pp.populated, 32);
	pp.populated = 0;
	pp.flags = REMOTE_PROC_POPULATE_WRITE;
	KT_ASSERT_OK(ioctl(self->m.fd, REMOTE_PROC_IOC_POPULATE, &pp));
	n = pp.populated;
	KT_ASSERT_EQ(n, 32);
	rpt_stats_reset();
	for (uint64_t o = 0; o < 32 * PG; o += PG)
		*MW(p, a, a + o) = o;
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	KT_ASSERT_EQ(rpt_stat("mkwrites"), 0);
	KT_ASSERT_EQ(rpt_tload(&self->m, a + 31 * PG), 31 * PG);
}

/* --- rights -------------------------------------------------------------- */

KT_TEST(mprotect_window_added_later, "mprotect() cannot add exec or write over a window added after mmap() without them")
{
	char *code = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };	/* mov $42,%eax; ret */
	int dev = rpt_dev(), ctl, acc;
	char *p;

	KT_ASSERT(code != MAP_FAILED);
	memcpy(code, ret42, sizeof(ret42));
	ctl = rpt_view_create(dev, 4 * PG);
	KT_ASSERT(ctl >= 0);
	acc = rpt_view_access(ctl, 1);
	KT_ASSERT(acc >= 0);
	/* Mapped while the view is empty: no window restricts it yet. */
	p = rpt_map(acc, 0, 2 * PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(rpt_view_map_self(ctl, code, 0, PG, RO), 0);
	KT_ASSERT_EQ(rpt_load(p), *(uint64_t *)code);
	KT_ASSERT_ERRNO(mprotect(p, PG, PROT_READ | PROT_EXEC), EACCES);
	KT_ASSERT_ERRNO(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	KT_ASSERT_ERRNO(mprotect(p, 2 * PG, PROT_READ | PROT_EXEC), EACCES);
	/* Over the empty page alone it is allowed (the fault checks later). */
	KT_ASSERT_OK(mprotect(p + PG, PG, PROT_READ | PROT_WRITE));
	KT_ASSERT_EQ(rpt_view_map_self(ctl, code, PG, PG, RO), 0);
	KT_ASSERT_EQ(rpt_try_store(p + PG, 1), SIGBUS);
	KT_ASSERT_EQ(memcmp(code, ret42, sizeof(ret42)), 0);
	close(acc);
	close(ctl);
	close(dev);
}

static void load_in_child(void *p)
{
	exit(*(volatile uint64_t *)p == 0 ? 3 : 4);
}

KT_TEST_F(hd, dofork_refused, "MADV_DOFORK on a mirror mapping fails with EINVAL; a forked child still has no mapping")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p = rpt_mirror_map(&self->m, a, PG, PROT_READ);

	KT_ASSERT_EQ(rpt_load(p), 0);
	KT_ASSERT_ERRNO(madvise((void *)p, PG, MADV_DOFORK), EINVAL);
	KT_ASSERT_EQ(kt_child_signal(load_in_child, (void *)p), SIGSEGV);
}

KT_TEST(writeonly_memfd_refused, "a write-only /proc/PID/mem fd attaches to nothing: EACCES")
{
	struct rpt_target t;
	int dev = rpt_dev(), memfd;

	rpt_target_fork(&t);
	memfd = rpt_open_mem(t.pid, O_WRONLY);
	KT_ASSERT(memfd >= 0);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, memfd, 0), -EACCES);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, memfd, REMOTE_PROC_ATTACH_WRITE), -EACCES);
	close(memfd);
	memfd = rpt_open_mem(t.pid, O_RDONLY);
	KT_ASSERT(memfd >= 0);
	KT_ASSERT_EQ(rpt_attach_memfd(dev, memfd, REMOTE_PROC_ATTACH_WRITE), -EACCES);
	KT_ASSERT(rpt_attach_memfd(dev, memfd, 0) >= 0);
	rpt_target_kill(&t);
	close(dev);
}

/* --- populating huge empty ranges ---------------------------------------- */

#define HUGE_SPAN (32ull << 40)

static void populate_huge(void *arg)
{
	int fd = *(int *)arg;

	exit(mmap(NULL, HUGE_SPAN, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, PG) ==
	     MAP_FAILED ? 2 : 0);
}

/* MAP_POPULATE of 32 TiB of fd in a child: done (or killed) in seconds. */
static void populate_huge_quickly(int fd)
{
	uint64_t t0 = kt_now_ns();
	pid_t pid = fork();
	int status;

	KT_ASSERT(pid >= 0);
	if (!pid)
		populate_huge(&fd);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (kt_now_ns() - t0 > 2000000000ull) {
			/* Still going: it must at least die at once. */
			kill(pid, SIGKILL);
			t0 = kt_now_ns();
			while (waitpid(pid, &status, WNOHANG) == 0) {
				KT_ASSERT_MSG(kt_now_ns() - t0 < 5000000000ull,
					      "MAP_POPULATE still running 5 s after SIGKILL");
				usleep(10000);
			}
			kt_fail(__FILE__, __LINE__, "MAP_POPULATE of 32 TiB of holes took over 2 s");
		}
		usleep(10000);
	}
	KT_ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
}

KT_TEST_TIMEOUT(populate_empty_view, 60, "MAP_POPULATE of 32 TiB of an empty view returns at once")
{
	int dev = rpt_dev(), ctl = rpt_view_create(dev, 0), acc;

	KT_ASSERT(ctl >= 0);
	acc = rpt_view_access(ctl, 0);
	KT_ASSERT(acc >= 0);
	populate_huge_quickly(acc);
	close(acc);
	close(ctl);
	close(dev);
}

KT_TEST_F_TIMEOUT(hd, populate_mirror_holes, 60, "MAP_POPULATE of 32 TiB of a mirror, nearly all source holes, returns at once")
{
	populate_huge_quickly(self->m.fd);
}

KT_TEST_F_TIMEOUT(hd, view_mapped_thousands_of_times, 300, "one view mapped 3000 times: every mapping reads, one UNMAP zaps them all")
{
	enum { N = 3000 };
	static volatile uint64_t *maps[N];
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG), v;
	int ctl = rpt_view_create(self->m.dev, 2 * PG), acc;

	KT_ASSERT(ctl >= 0);
	rpt_do(&self->m.t, RPT_OP_STORE, a + PG, 0x3000, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_view_map(ctl, self->m.fd, 0, RO, a, 0, 2 * PG), 0);
	acc = rpt_view_access(ctl, 0);
	KT_ASSERT(acc >= 0);
	for (int i = 0; i < N; i++) {
		maps[i] = rpt_map(acc, PG, PG, PROT_READ);
		KT_ASSERT_MSG(maps[i] != MAP_FAILED, "mapping %d: %s", i, strerror(errno));
		KT_ASSERT_EQ(*maps[i], 0x3000);
	}
	KT_ASSERT_EQ(rpt_view_unmap(ctl, 0, 2 * PG), 0);
	for (int i = 0; i < N; i++)
		KT_ASSERT_MSG(rpt_try_load(maps[i], &v) == SIGBUS, "mapping %d still reads", i);
	for (int i = 0; i < N; i++)
		KT_ASSERT_OK(munmap((void *)maps[i], PG));
	close(acc);
	close(ctl);
}

/* --- revocation against the source's own changes ------------------------ */

#define RACE_WINDOWS 96

struct unmapper {
	int ctl;
	pthread_barrier_t go;
};

static void *unmap_all(void *arg)
{
	struct unmapper *u = arg;

	pthread_barrier_wait(&u->go);
	if (rpt_view_unmap(u->ctl, 0, (RACE_WINDOWS + 1) * PG))
		abort();
	return NULL;
}

KT_TEST_TIMEOUT(unmap_races_source_munmap, 600, "UNMAP racing the source's munmap: once munmap returned, the page never reads through the view")
{
	struct rpt_mirror m1, m2;
	struct unmapper u;
	uint64_t a, b2, v;
	volatile uint64_t *p;
	int acc, hits = 0;

	rpt_mirror_start(&m1, 0);
	rpt_mirror_start(&m2, 0);
	a = rpt_target_anon(&m1.t, PG);
	b2 = rpt_target_anon(&m2.t, RACE_WINDOWS * PG);
	u.ctl = rpt_view_create(m1.dev, (RACE_WINDOWS + 1) * PG);
	KT_ASSERT(u.ctl >= 0);
	acc = rpt_view_access(u.ctl, 0);
	KT_ASSERT(acc >= 0);
	p = rpt_map(acc, 0, (RACE_WINDOWS + 1) * PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	pthread_barrier_init(&u.go, NULL, 2);

	for (int i = 0; i < 300; i++) {
		pthread_t th;

		rpt_do(&m1.t, RPT_OP_STORE, a, 0x5a5a0000 + i, 0, 0, NULL);
		KT_ASSERT_EQ(rpt_view_map(u.ctl, m1.fd, 0, RO, a, 0, PG), 0);
		for (int w = 0; w < RACE_WINDOWS; w++)
			KT_ASSERT_EQ(rpt_view_map(u.ctl, m2.fd, 0, RO, b2 + w * PG,
						  (w + 1) * PG, PG), 0);
		KT_ASSERT_EQ(rpt_load(p), 0x5a5a0000 + i);
		KT_ASSERT_EQ(pthread_create(&th, NULL, unmap_all, &u), 0);
		pthread_barrier_wait(&u.go);
		rpt_do(&m1.t, RPT_OP_MUNMAP, a, PG, 0, 0, NULL);
		if (rpt_try_load(p, &v) != SIGBUS)
			hits++;
		pthread_join(th, NULL);
		KT_ASSERT_EQ(rpt_do(&m1.t, RPT_OP_MMAP, a, PG, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL), a);
	}
	KT_ASSERT_MSG(hits == 0, "%d of 300 reads after the source's munmap returned data", hits);
	close(acc);
	close(u.ctl);
	rpt_mirror_stop(&m2);
	rpt_mirror_stop(&m1);
}

struct churn {
	int dev, ctl;
	pid_t pid;
	atomic_bool stop;
};

static void *churn_windows(void *arg)
{
	struct churn *c = arg;

	while (!atomic_load(&c->stop)) {
		int fd = rpt_attach_pid(c->dev, c->pid, 0);

		if (fd < 0 || rpt_view_map(c->ctl, fd, 0, RO, PG * 16, 0, PG))
			abort();
		close(fd);
		if (rpt_view_unmap(c->ctl, 0, PG))
			abort();
	}
	return NULL;
}

KT_TEST_TIMEOUT(poll_query_vs_window_churn, 120, "poll and QUERY racing windows that come and go never report a live source dead")
{
	struct rpt_target t;
	struct churn c = { 0 };
	uint64_t t0;
	pthread_t th;
	int bad = 0;

	rpt_target_fork(&t);
	rpt_target_anon(&t, PG);
	c.pid = t.pid;
	c.dev = rpt_dev();
	c.ctl = rpt_view_create(c.dev, 4 * PG);
	KT_ASSERT(c.ctl >= 0);
	KT_ASSERT_EQ(pthread_create(&th, NULL, churn_windows, &c), 0);
	t0 = kt_now_ns();
	while (kt_now_ns() - t0 < 8000000000ull) {
		struct pollfd pfd = { .fd = c.ctl, .events = POLLIN | POLLPRI };
		struct remote_proc_query q;

		KT_ASSERT(poll(&pfd, 1, 0) >= 0);
		q = rpt_query(c.ctl);
		bad += !!(pfd.revents & POLLHUP) + !!(q.flags & REMOTE_PROC_QUERY_DEAD);
	}
	atomic_store(&c.stop, true);
	pthread_join(th, NULL);
	KT_ASSERT_MSG(bad == 0, "a live source was reported dead %d times", bad);
	close(c.ctl);
	close(c.dev);
	rpt_target_kill(&t);
}

/* --- a busy target of our own: threads that keep changing its memory ---- */

enum busy_mode { BUSY_DONTNEED, BUSY_MPROTECT };

struct busy {
	pid_t pid;
	char *region;
	size_t len;
	_Atomic uint64_t *count;	/* shared: loops done by the target's threads */
};

struct busy_thread {
	struct busy *b;
	enum busy_mode mode;
};

static void *busy_loop(void *arg)
{
	struct busy_thread *bt = arg;
	struct busy *b = bt->b;

	for (;;) {
		if (bt->mode == BUSY_DONTNEED) {
			madvise(b->region, b->len, MADV_DONTNEED);
			for (size_t o = 0; o < b->len; o += PG)
				b->region[o] = 1;
		} else {
			mprotect(b->region, b->len, PROT_READ);
			mprotect(b->region, b->len, PROT_READ | PROT_WRITE);
		}
		atomic_fetch_add(b->count, 1);
	}
	return NULL;
}

/* Fork a target whose two threads loop on [region, region + len). */
static void busy_start(struct busy *b, size_t len, enum busy_mode mode)
{
	b->len = len;
	b->region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b->count = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(b->region != MAP_FAILED && b->count != MAP_FAILED);
	b->pid = fork();
	KT_ASSERT(b->pid >= 0);
	if (!b->pid) {
		static struct busy_thread bt[2];
		pthread_t th;

		memset(b->region, 1, len);
		for (int i = 0; i < 2; i++) {
			bt[i] = (struct busy_thread){ .b = b, .mode = mode };
			if (pthread_create(&th, NULL, busy_loop, &bt[i]))
				_exit(1);
		}
		for (;;)
			pause();
	}
	while (atomic_load(b->count) < 10)
		usleep(1000);
}

static void busy_stop(struct busy *b)
{
	kill(b->pid, SIGKILL);
	waitpid(b->pid, NULL, 0);
	munmap(b->region, b->len);
	munmap((void *)b->count, PG);
}

/* The target's threads still make progress (none is stuck in the module). */
static void busy_expect_progress(struct busy *b, const char *when)
{
	uint64_t c0 = atomic_load(b->count), t0 = kt_now_ns();

	while (atomic_load(b->count) < c0 + 10) {
		KT_ASSERT_MSG(kt_now_ns() - t0 < 20000000000ull,
			      "%s: the target's threads made no progress in 20 s (deadlock)", when);
		usleep(10000);
	}
}

#define NR_MASS 300

struct reader {
	volatile char *p;
	size_t len;
	atomic_bool stop;
};

static void *reader_loop(void *arg)
{
	struct reader *r = arg;
	uint64_t sum = 0;

	while (!atomic_load(&r->stop))
		for (size_t o = 0; o < r->len; o += PG)
			sum += r->p[o];
	return (void *)(uintptr_t)sum;
}

KT_TEST_TIMEOUT(mass_close, 400, "300 mirrors of a target whose threads zap their pages, closed at once, six times: nothing hangs")
{
	struct busy b;
	struct reader rd = { 0 };
	int dev = rpt_dev(), memfd, keep, fds[NR_MASS];
	pthread_t th;

	busy_start(&b, 16 * PG, BUSY_DONTNEED);
	memfd = rpt_open_mem(b.pid, O_RDONLY);
	KT_ASSERT(memfd >= 0);
	/* A reader that keeps the target's pages mapped by some mirror. */
	keep = rpt_attach_memfd(dev, memfd, 0);
	KT_ASSERT(keep >= 0);
	rd.p = rpt_map(keep, (uintptr_t)b.region, b.len, PROT_READ);
	rd.len = b.len;
	KT_ASSERT(rd.p != MAP_FAILED);
	KT_ASSERT_EQ(pthread_create(&th, NULL, reader_loop, &rd), 0);

	for (int round = 0; round < 6; round++) {
		char when[32];

		for (int i = 0; i < NR_MASS; i++) {
			volatile char *p;

			fds[i] = rpt_attach_memfd(dev, memfd, 0);
			KT_ASSERT_MSG(fds[i] >= 0, "attach %d: %s", i, strerror(-fds[i]));
			p = rpt_map(fds[i], (uintptr_t)b.region, PG, PROT_READ);
			KT_ASSERT(p != MAP_FAILED);
			(void)*p;
			KT_ASSERT_OK(munmap((void *)p, PG));
		}
		for (int i = 0; i < NR_MASS; i++)
			close(fds[i]);
		snprintf(when, sizeof(when), "round %d", round);
		busy_expect_progress(&b, when);
	}
	atomic_store(&rd.stop, true);
	pthread_join(th, NULL);
	close(keep);
	close(memfd);
	close(dev);
	busy_stop(&b);
}

static uint64_t maps_find(pid_t pid, const char *name, uint64_t *end)
{
	char path[64], line[512];
	unsigned long long lo, hi;
	uint64_t start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, name) && sscanf(line, "%llx-%llx", &lo, &hi) == 2) {
			start = lo;
			*end = hi;
			break;
		}
	fclose(f);
	return start;
}

KT_TEST_TIMEOUT(vvar_of_busy_target, 200, "reading the [vvar] of a target busy in mprotect(): SIGBUS every time, no kernel warning")
{
	struct busy b;
	int dev = rpt_dev(), fd;
	uint64_t lo, hi = 0, v;

	busy_start(&b, 32ull << 20, BUSY_MPROTECT);
	lo = maps_find(b.pid, "[vvar]", &hi);
	if (!lo)
		kt_skip("the target has no [vvar] mapping");
	fd = rpt_attach_pid(dev, b.pid, 0);
	KT_ASSERT(fd >= 0);
	for (int i = 0; i < 300; i++) {
		char *p = rpt_map(fd, lo, hi - lo, PROT_READ);

		KT_ASSERT(p != MAP_FAILED);
		KT_ASSERT_EQ(rpt_try_load(p + (i % ((hi - lo) / PG)) * PG, &v), SIGBUS);
		munmap(p, hi - lo);
	}
	KT_ASSERT_MSG(!kernel_tainted_by_warn(), "the kernel warned (see the console)");
	close(fd);
	close(dev);
	busy_stop(&b);
}

/* --- kernel memory and page tables: charged to the caller, and bounded -- */

#define CG "/sys/fs/cgroup"
#define CG_SMALL CG "/rp_small"

/* A fresh memory cgroup CG_SMALL, limited to max bytes (0: no limit). */
static void small_cgroup(long long max)
{
	char line[256] = "", val[32];
	FILE *f;

	if (access(CG "/cgroup.controllers", F_OK)) {
		mkdir(CG, 0755);
		mount("none", CG, "cgroup2", 0, NULL);
	}
	f = fopen(CG "/cgroup.controllers", "r");
	if (f && !fgets(line, sizeof(line), f))
		line[0] = 0;
	if (f)
		fclose(f);
	if (!strstr(line, "memory"))
		kt_skip("kernel without the memory cgroup controller (%s)", rpt_kernel_release());
	KT_ASSERT_EQ(rpt_write_file(CG "/cgroup.subtree_control", "+memory"), 0);
	rmdir(CG_SMALL);
	KT_ASSERT_OK(mkdir(CG_SMALL, 0755));
	if (max) {
		snprintf(val, sizeof(val), "%lld", max);
		KT_ASSERT_EQ(rpt_write_file(CG_SMALL "/memory.max", val), 0);
	}
}

/* Move the calling child into CG_SMALL, where the OOM killer may pick it. */
static void join_small_cgroup(void)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (rpt_write_file(CG_SMALL "/cgroup.procs", pid) ||
	    rpt_write_file("/proc/self/oom_score_adj", "0"))
		exit(3);
}

#define PT_SPAN (512ull << 20)	/* one present page per 2 MiB: 256 page tables */
#define PT_MAPS 32		/* 32 MiB of page tables in all */
#define PT_LIMIT (8ll << 20)

struct pt_arg {
	int fd;
	uint64_t a;
	bool fault;
};

static void map_sparse_until_refused(void *arg)
{
	struct pt_arg *pa = arg;

	join_small_cgroup();
	for (int i = 0; i < PT_MAPS; i++) {
		char *p = mmap(NULL, PT_SPAN, PROT_READ, MAP_SHARED, pa->fd, pa->a);

		if (p == MAP_FAILED)
			exit(errno == ENOMEM ? 0 : 2);
		if (pa->fault) {
			for (uint64_t o = 0; o < PT_SPAN; o += H)
				if (p[o] != 7)
					exit(4);
		} else {
			struct remote_proc_populate pp = {
				.addr = (uintptr_t)p, .length = PT_SPAN,
			};

			if (ioctl(pa->fd, REMOTE_PROC_IOC_POPULATE, &pp))
				exit(errno == ENOMEM ? 0 : 2);
			if (pp.populated < PT_SPAN / H)
				exit(5);
		}
	}
	exit(1);	/* every page table fitted: they were not charged */
}

static void page_tables_in_small_memcg(struct rpt_mirror *m, bool fault)
{
	struct pt_arg pa = { .fd = m->fd, .fault = fault };
	long long peak;
	int status;

	small_cgroup(PT_LIMIT);
	pa.a = rpt_target_anon(&m->t, PT_SPAN);
	/* 4 KiB pages, so page tables (kernels without THP, as -rt: EINVAL). */
	if (!access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK))
		rpt_do(&m->t, RPT_OP_MADVISE, pa.a, PT_SPAN, MADV_NOHUGEPAGE, 0, NULL);
	for (uint64_t o = 0; o < PT_SPAN; o += H)
		rpt_do(&m->t, RPT_OP_FILL, pa.a + o, 8, 7, 0, NULL);
	/* The cgroup's OOM report, when its limit kills the child, is expected. */
	KT_ASSERT_EQ(rpt_write_file("/dev/kmsg", "remote-proc-test: expect oom"), 0);
	status = kt_run_child(map_sparse_until_refused, &pa);
	KT_ASSERT_EQ(rpt_write_file("/dev/kmsg", "remote-proc-test: end oom"), 0);
	peak = rpt_read_ll(CG_SMALL "/memory.peak");
	rmdir(CG_SMALL);
	KT_ASSERT_MSG((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
		      (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
		      "status %#x (exit 1: %d MiB of page tables fitted in a %lld MiB cgroup)",
		      status, PT_MAPS * (int)(PT_SPAN / H) * 4 / 1024, PT_LIMIT >> 20);
	KT_ASSERT_MSG(peak <= PT_LIMIT, "the cgroup peaked at %lld bytes over its %lld limit",
		      peak, PT_LIMIT);
}

KT_TEST_F_TIMEOUT(hd, page_tables_charged_populate, 200, "POPULATE builds page tables charged to the caller's memory cgroup, within its limit")
{
	page_tables_in_small_memcg(&self->m, false);
}

KT_TEST_F_TIMEOUT(hd, page_tables_charged_fault, 200, "faults build page tables charged to the caller's memory cgroup, within its limit")
{
	page_tables_in_small_memcg(&self->m, true);
}

#define CHARGE_VIEWS 5
#define CHARGE_WINDOWS 4000

/* Windows of MAP_SELF over one page: how much memory.current grew. */
static void windows_grow_memcg(void *arg)
{
	static char page[PG] __attribute__((aligned(4096)));
	long long *grew = arg, before;
	int dev, ctl[CHARGE_VIEWS];

	join_small_cgroup();
	dev = rpt_dev();
	page[0] = 1;
	for (int v = 0; v < CHARGE_VIEWS; v++) {
		ctl[v] = rpt_view_create(dev, CHARGE_WINDOWS * PG);
		if (ctl[v] < 0)
			exit(2);
	}
	before = rpt_read_ll(CG_SMALL "/memory.current");
	for (int v = 0; v < CHARGE_VIEWS; v++)
		for (int n = 0; n < CHARGE_WINDOWS; n++)
			if (rpt_view_map_self(ctl[v], page, n * PG, PG, REMOTE_PROC_RIGHT_READ))
				exit(2);
	*grew = rpt_read_ll(CG_SMALL "/memory.current") - before;
	exit(0);
}

KT_TEST_TIMEOUT(windows_charged_to_memcg, 200, "windows are charged to the memory cgroup of the process that creates them")
{
	long long *grew = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long long nr = CHARGE_VIEWS * CHARGE_WINDOWS;
	int status;

	KT_ASSERT(grew != MAP_FAILED);
	small_cgroup(0);
	status = kt_run_child(windows_grow_memcg, grew);
	rmdir(CG_SMALL);
	KT_ASSERT_EQ(status, 0);
	kt_diag("%lld windows: the cgroup grew by %lld bytes (%lld a window)", nr, *grew,
		*grew / nr);
	/* A window and its tree slot take more than 64 bytes. */
	KT_ASSERT_MSG(*grew >= 64 * nr, "%lld windows grew the cgroup by %lld bytes only",
		      nr, *grew);
	munmap(grew, PG);
}

#define USER_LIMIT 40
#define PARAM_WPU "/sys/module/remote_proc/parameters/max_windows_per_user"

/* As uid 4321: new windows are not counted against the other user. */
static void windows_as_other_user(void *arg)
{
	static char page[PG] __attribute__((aligned(4096)));
	int dev = *(int *)arg, ctl;

	/* Dumpable again, or /proc/self/mem stays root's (MAP_SELF opens it). */
	if (setresgid(4321, 4321, 4321) || setresuid(4321, 4321, 4321) ||
	    prctl(PR_SET_DUMPABLE, 1))
		exit(3);
	ctl = rpt_view_create(dev, 8 * PG);
	if (ctl < 0)
		exit(2);
	for (int n = 0; n < 8; n++)
		if (rpt_view_map_self(ctl, page, n * PG, PG, REMOTE_PROC_RIGHT_READ))
			exit(1);
	exit(0);
}

KT_TEST_F(hd, windows_bounded_per_user, "max_windows_per_user bounds one user's windows across every open of the device (ENOSPC), not other users'")
{
	static char page[PG] __attribute__((aligned(4096)));
	long long old = rpt_read_ll(PARAM_WPU);
	char val[32];
	int dev[3], ctl[3], n = 0, r = 0, status;

	KT_ASSERT(old > USER_LIMIT);
	snprintf(val, sizeof(val), "%d", USER_LIMIT);
	KT_ASSERT_EQ(rpt_write_file(PARAM_WPU, val), 0);
	/* Views of one fd each, as a process reopening the device would. */
	for (int i = 0; i < 3; i++) {
		dev[i] = rpt_dev();
		ctl[i] = rpt_view_create(dev[i], USER_LIMIT * PG);
		KT_ASSERT(ctl[i] >= 0);
	}
	for (int i = 0; i < 3 && !r; i++)
		for (int k = 0; k < USER_LIMIT / 2 && !r; k++) {
			r = rpt_view_map_self(ctl[i], page, k * PG, PG, REMOTE_PROC_RIGHT_READ);
			n += !r;
		}
	KT_ASSERT_EQ(r, -ENOSPC);
	/* The fixture's mirror counts too; nothing else of ours is open. */
	KT_ASSERT_MSG(n >= USER_LIMIT / 2 && n < USER_LIMIT, "%d windows before ENOSPC", n);
	KT_ASSERT_EQ(rpt_attach_pid(dev[2], self->m.t.pid, 0), -ENOSPC);
	status = kt_run_child(windows_as_other_user, &dev[2]);
	KT_ASSERT_MSG(status == 0, "another user's windows: status %#x", status);
	/* Closing views gives their windows back. */
	close(ctl[0]);
	KT_ASSERT_EQ(rpt_view_map_self(ctl[2], page, (USER_LIMIT - 1) * PG, PG,
				       REMOTE_PROC_RIGHT_READ), 0);
	snprintf(val, sizeof(val), "%lld", old);
	KT_ASSERT_EQ(rpt_write_file(PARAM_WPU, val), 0);
	for (int i = 0; i < 3; i++) {
		if (i)
			close(ctl[i]);
		close(dev[i]);
	}
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
