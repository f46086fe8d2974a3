// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * A seeded fuzzer over every fd kind (device, mirror, control, access) and
 * every ioctl number of the type plus random ones, with short, long and
 * garbage argument structs, interleaved with mmap (odd lengths at 2 MiB
 * aligned addresses over THPs), partial munmap, mremap, mprotect, madvise,
 * fork, accesses of every kind and pread/pwrite at random offsets, against
 * a target whose threads churn their mappings.
 *
 * It asserts what must hold whatever the input: every failure is a
 * documented errno, a read-only mapping is never written through, the
 * fuzzing process dies of nothing but what it catches, and the module
 * still works afterwards. The kernel log scan does the rest.
 * RP_FUZZ_SECONDS (default 60) and RP_FUZZ_SEED (printed) replay a run.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define H (2ull << 20)
#define ARENA (16 * H)		/* the target's churned memory */
#define NR_FDS 48
#define NR_MAPS 48

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* --- the target: threads that churn an arena of THP-eligible memory ----- */

static void *churn(void *arg)
{
	char *arena = arg;
	uint64_t s = (uintptr_t)&s ^ (uint64_t)getpid() << 20;

	for (;;) {
		uint64_t off, len;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		off = (s % (ARENA / PG)) * PG;
		len = ((s >> 20) % 64 + 1) * PG;
		if (off + len > ARENA)
			len = ARENA - off;
		switch ((s >> 40) % 6) {
		case 0:
			madvise(arena + off, len, MADV_DONTNEED);
			break;
		case 1:
			mprotect(arena + off, len, PROT_READ);
			mprotect(arena + off, len, PROT_READ | PROT_WRITE);
			break;
		case 2:
			mmap(arena + off, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			madvise(arena + off, len, MADV_HUGEPAGE);
			break;
		default:
			for (uint64_t o = 0; o < len; o += PG)
				arena[off + o] = (char)s;
			break;
		}
		usleep(200);
	}
	return NULL;
}

/*
 * A store of one churning thread may meet the other's brief PROT_READ:
 * wait a little and let it run again, rather than die.
 */
static void churn_retry(int sig)
{
	usleep(100);
}

static pid_t target_start(char *arena)
{
	pid_t pid = fork();

	KT_ASSERT(pid >= 0);
	if (!pid) {
		pthread_t th;

		signal(SIGSEGV, churn_retry);
		signal(SIGBUS, churn_retry);
		prctl(PR_SET_PDEATHSIG, SIGKILL);

		madvise(arena, ARENA, MADV_HUGEPAGE);
		memset(arena, 1, ARENA);
		for (int i = 0; i < 2; i++)
			if (pthread_create(&th, NULL, churn, arena))
				_exit(1);
		for (;;)
			pause();
	}
	return pid;
}

/* --- the fuzzer's objects ---------------------------------------------- */

enum fd_kind { FD_DEV, FD_MIRROR_RO, FD_MIRROR_RW, FD_CONTROL, FD_ACCESS_RO, FD_ACCESS_RW,
	       FD_PROCMEM, FD_NR };

struct ffd {
	int fd;			/* -1: free slot */
	enum fd_kind kind;
};

/*
 * Mapping slot i owns SLOT bytes of reserved (PROT_NONE) address space at
 * area + i * SLOT: a mapping is placed there with MAP_FIXED, and whatever
 * is taken away from it becomes PROT_NONE again, so nothing else of the
 * process ever lands in a slot.
 */
#define SLOT (16 * H)

struct fmap {
	char *p;		/* NULL: free slot */
	size_t len;
	bool readonly;		/* of a read-only fd: must never be written */
	bool holed;		/* parts were replaced by PROT_NONE memory */
};

struct fuzz {
	pid_t target;
	char *arena;		/* the same address in the target and here */
	char *area;		/* 2 MiB aligned, NR_MAPS slots */
	struct ffd fds[NR_FDS];
	struct fmap maps[NR_MAPS];
	char buf[2 * 4096 + 64];
	uint64_t ops, errors;
	bool no_exec;		/* the handshake lacks REMOTE_PROC_FEATURE_EXEC */
};

/* Every errno the module documents, plus what the core adds around it. */
static bool errno_ok(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: case EFAULT: case ENOTTY: case EBADF: case EBADFD:
	case EACCES: case EPERM: case ESRCH: case ENOSPC: case EEXIST: case ENOENT:
	case EOVERFLOW: case ENXIO: case ENOMEM: case EMFILE: case EINTR: case EIO:
	case ENODEV: case EAGAIN: case ENFILE:
		return true;
	}
	return false;
}

static void check_result(struct fuzz *f, long r, const char *what)
{
	if (r >= 0)
		return;
	f->errors++;
	/* Documented for MAP with RIGHT_EXEC where the feature bit is clear. */
	if (errno == EOPNOTSUPP && f->no_exec && !strcmp(what, "MAP"))
		return;
	KT_ASSERT_MSG(errno_ok(errno), "op %llu %s: undocumented errno %s",
		      (unsigned long long)f->ops, what, strerrorname_np(errno) ?: "?");
}

static struct ffd *pick_fd(struct fuzz *f)
{
	for (int tries = 0; tries < 8; tries++) {
		struct ffd *d = &f->fds[below(NR_FDS)];

		if (d->fd >= 0)
			return d;
	}
	return NULL;
}

static int any_fd(struct fuzz *f)
{
	struct ffd *d = pick_fd(f);

	if (chance(5))
		return chance(50) ? -1 : 1000 + (int)below(24);	/* no such fd */
	return d ? d->fd : -1;
}

static void add_fd(struct fuzz *f, int fd, enum fd_kind kind)
{
	struct ffd *d = &f->fds[below(NR_FDS)];

	if (fd < 0)
		return;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = fd;
	d->kind = kind;
}

static char *slot_of(struct fuzz *f, struct fmap *m)
{
	return f->area + (m - f->maps) * SLOT;
}

/* Give [p, p + len) back to the reservation. */
static void reserve(char *p, size_t len)
{
	if (len)
		KT_ASSERT(mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			       -1, 0) == p);
}

static void drop_map(struct fuzz *f, struct fmap *m)
{
	reserve(slot_of(f, m), SLOT);
	m->p = NULL;
}

/* A page-aligned value, mostly small, sometimes odd or huge. */
static uint64_t fuzz_len(void)
{
	switch (below(6)) {
	case 0:
		return below(8) * PG;
	case 1:
		return (below(1024) + 1) * PG;
	case 2:
		return H * (below(3) + 1) + (below(3) - 1) * PG;
	case 3:
		return rnd();
	case 4:
		return below(4 * PG);
	default:
		return 3 * H / 2 + PG * below(2);
	}
}

static uint64_t fuzz_addr(struct fuzz *f)
{
	switch (below(4)) {
	case 0:
		return (uintptr_t)f->arena + below(ARENA / PG) * PG;
	case 1:
		return (uintptr_t)f->arena + below(ARENA / H) * H;
	case 2:
		return rnd() & ~(PG - 1);
	default:
		return rnd();
	}
}

/* --- operations ------------------------------------------------------------ */

static void op_open(struct fuzz *f)
{
	int fd = open(RPT_DEV, O_RDWR | O_CLOEXEC);
	struct remote_proc_api a = { .api = REMOTE_PROC_API };

	KT_ASSERT(fd >= 0);
	if (chance(90))
		check_result(f, ioctl(fd, REMOTE_PROC_IOC_API, &a), "API");
	add_fd(f, fd, FD_DEV);
}

static void op_attach(struct fuzz *f)
{
	struct remote_proc_attach a = { 0 };
	int dev = any_fd(f), fd;

	a.flags = chance(80) ? below(4) : (uint32_t)rnd();
	if (a.flags & REMOTE_PROC_ATTACH_PID) {
		a.pid = chance(70) ? f->target : chance(50) ? getpid() : (int)below(100000);
		a.memfd = chance(90) ? -1 : (int)rnd();
	} else {
		a.memfd = any_fd(f);
	}
	fd = ioctl(dev, REMOTE_PROC_IOC_ATTACH, &a);
	check_result(f, fd, "ATTACH");
	add_fd(f, fd, a.flags & REMOTE_PROC_ATTACH_WRITE ? FD_MIRROR_RW : FD_MIRROR_RO);
}

static void op_procmem(struct fuzz *f)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", chance(80) ? f->target : getpid());
	fd = open(path, chance(30) ? O_RDWR : chance(50) ? O_RDONLY : O_WRONLY);
	KT_ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	add_fd(f, fd, FD_PROCMEM);
}

static void op_view_create(struct fuzz *f)
{
	struct remote_proc_view_create vc = { .size = chance(50) ? 0 : fuzz_len() };
	int fd;

	if (chance(5))
		vc.flags = (uint32_t)rnd();
	fd = ioctl(any_fd(f), REMOTE_PROC_IOC_VIEW_CREATE, &vc);
	check_result(f, fd, "VIEW_CREATE");
	add_fd(f, fd, FD_CONTROL);
}

static void op_map(struct fuzz *f)
{
	struct remote_proc_map m = {
		.flags = chance(20) ? REMOTE_PROC_MAP_SELF : chance(3) ? (uint32_t)rnd() : 0,
		.rights = chance(90) ? 1 + below(7) : (uint32_t)rnd(),
		.source = any_fd(f),
		.source_addr = fuzz_addr(f),
		.offset = below(64) * PG,
		.length = chance(70) ? (below(64) + 1) * PG : fuzz_len(),
	};

	if (m.flags & REMOTE_PROC_MAP_SELF) {
		m.source = -1;
		m.source_addr = (uintptr_t)f->area + below(NR_MAPS * SLOT / PG) * PG;
	}
	check_result(f, ioctl(any_fd(f), REMOTE_PROC_IOC_MAP, &m), "MAP");
}

static void op_unmap(struct fuzz *f)
{
	struct remote_proc_unmap u = {
		.offset = below(64) * PG,
		.length = chance(80) ? (below(64) + 1) * PG : fuzz_len(),
	};

	check_result(f, ioctl(any_fd(f), REMOTE_PROC_IOC_UNMAP, &u), "UNMAP");
}

static void op_access_fd(struct fuzz *f)
{
	struct remote_proc_access_fd a = { .flags = chance(95) ? below(2) : (uint32_t)rnd() };
	int fd = ioctl(any_fd(f), REMOTE_PROC_IOC_ACCESS_FD, &a);

	check_result(f, fd, "ACCESS_FD");
	add_fd(f, fd, a.flags ? FD_ACCESS_RW : FD_ACCESS_RO);
}

static void op_simple_ioctls(struct fuzz *f)
{
	struct remote_proc_lock l = { 0 };
	struct remote_proc_query q;
	struct remote_proc_populate p = {
		.addr = (uintptr_t)f->area + below(NR_MAPS * SLOT / PG) * PG,
		.length = (below(1024) + 1) * PG,
		.flags = below(2),
	};
	struct fmap *m = &f->maps[below(NR_MAPS)];

	if (m->p && chance(80)) {
		p.addr = (uintptr_t)m->p + below(m->len / PG) * PG;
		p.length = (below((m->p + m->len - (char *)(uintptr_t)p.addr) / PG) + 1) * PG;
	}
	switch (below(3)) {
	case 0:
		check_result(f, ioctl(any_fd(f), REMOTE_PROC_IOC_QUERY, &q), "QUERY");
		break;
	case 1:
		if (chance(10))
			check_result(f, ioctl(any_fd(f), REMOTE_PROC_IOC_LOCK, &l), "LOCK");
		break;
	default:
		check_result(f, ioctl(any_fd(f), REMOTE_PROC_IOC_POPULATE, &p), "POPULATE");
		break;
	}
}

/* Any ioctl of the type (or none), any size, any argument. */
static void op_random_ioctl(struct fuzz *f)
{
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	unsigned int cmd;
	void *arg = f->buf;

	for (size_t i = 0; i < sizeof(f->buf); i += 8)
		*(uint64_t *)(f->buf + i) = chance(70) ? 0 : rnd();
	if (chance(85))
		cmd = _IOC(dirs[below(4)], REMOTE_PROC_IOC_TYPE, below(16),
			   chance(60) ? below(64) : below(sizeof(f->buf)));
	else
		cmd = (unsigned int)rnd();
	if (chance(5))	/* NULL, or an address that is never mapped */
		arg = chance(50) ? NULL : (void *)(uintptr_t)(0xdead000000000000ull | below(1 << 20));
	check_result(f, ioctl(any_fd(f), cmd, arg), "random ioctl");
}

static void op_mmap(struct fuzz *f)
{
	struct fmap *m = &f->maps[below(NR_MAPS)];
	struct ffd *d = pick_fd(f);
	int prot = PROT_READ | (chance(40) ? PROT_WRITE : 0) | (chance(5) ? PROT_EXEC : 0);
	int flags = (chance(95) ? MAP_SHARED : MAP_PRIVATE) | (chance(20) ? MAP_POPULATE : 0);
	uint64_t len = chance(85) ? (below(2 * H / PG) + 1) * PG : fuzz_len() % (SLOT + 1);
	uint64_t off = fuzz_addr(f);
	char *hint = slot_of(f, m);	/* 2 MiB aligned: room for PMDs */
	char *p;

	if (!d)
		return;
	if (d->kind == FD_CONTROL || d->kind == FD_ACCESS_RO || d->kind == FD_ACCESS_RW)
		off = below(64) * PG;
	drop_map(f, m);
	p = mmap(hint, len, prot, flags | MAP_FIXED, d->fd, (off_t)off);
	if (p == MAP_FAILED) {
		check_result(f, -1, "mmap");
		drop_map(f, m);		/* a failed MAP_FIXED may have unmapped */
		return;
	}
	m->p = p;
	m->len = (len + PG - 1) & ~(PG - 1);
	m->holed = false;
	m->readonly = d->kind == FD_MIRROR_RO || d->kind == FD_ACCESS_RO;
	KT_ASSERT_MSG(!(m->readonly && (prot & PROT_WRITE)),
		      "op %llu: a read-only fd was mapped PROT_WRITE", (unsigned long long)f->ops);
}

static void op_change_map(struct fuzz *f)
{
	struct fmap *m = &f->maps[below(NR_MAPS)];
	uint64_t off, len;
	static const int advice[] = { MADV_DOFORK, MADV_DONTFORK, MADV_DONTNEED, 22, 23,
				      MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_COLD, MADV_PAGEOUT,
				      MADV_WILLNEED, MADV_REMOVE, MADV_FREE };
	int r;

	if (!m->p)
		return;
	off = below(m->len / PG) * PG;
	len = (below((m->len - off) / PG) + 1) * PG;
	switch (below(4)) {
	case 0:		/* a hole: the mapping is split around it */
		reserve(m->p + off, len);
		m->holed = true;
		break;
	case 1: {	/* shrink (in place, whatever the flags) */
		char *n = mremap(m->p, m->len, m->len - off,
				 chance(50) ? MREMAP_MAYMOVE : 0);

		if (n == MAP_FAILED) {
			check_result(f, -1, "mremap");
		} else if (off) {
			KT_ASSERT(n == m->p);
			reserve(m->p + m->len - off, off);
			m->len -= off;
		}
		break;
	}
	case 2: {
		int w = chance(50) ? PROT_WRITE : 0;

		r = mprotect(m->p + off, len, PROT_READ | w | (chance(10) ? PROT_EXEC : 0));
		check_result(f, r, "mprotect");
		KT_ASSERT_MSG(!(!r && w && m->readonly && !m->holed),
			      "op %llu: mprotect made a read-only mapping writable",
			      (unsigned long long)f->ops);
		break;
	}
	default:
		r = madvise(m->p + off, len, advice[below(sizeof(advice) / sizeof(advice[0]))]);
		check_result(f, r, "madvise");
		break;
	}
}

static void op_access(struct fuzz *f)
{
	struct fmap *m = &f->maps[below(NR_MAPS)];
	volatile uint64_t *p;
	uint64_t v = 0;
	int sig;

	if (!m->p)
		return;
	p = (volatile uint64_t *)(m->p + below(m->len / 8) * 8);
	if (chance(60)) {
		sig = rpt_try_load(p, &v);
	} else {
		sig = rpt_try_store(p, rnd());
		KT_ASSERT_MSG(!(m->readonly && !m->holed && !sig),
			      "op %llu: a store through a read-only mapping succeeded",
			      (unsigned long long)f->ops);
	}
	KT_ASSERT_MSG(!sig || sig == SIGBUS || sig == SIGSEGV, "op %llu: signal %d",
		      (unsigned long long)f->ops, sig);
}

/* Whether fd is a /proc/PID/mem file (the kernel's, not the module's). */
static bool fd_is_procmem(int fd)
{
	char link[64], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = 0;
	return !strncmp(target, "/proc/", 6) && n > 4 && !strcmp(target + n - 4, "/mem");
}

static void op_rw(struct fuzz *f)
{
	static const uint64_t far[] = { 0, 1ull << 47, (1ull << 63) - PG, (1ull << 63) - 1,
					1ull << 62 };
	int fd = any_fd(f);
	off_t off = chance(50) ? (off_t)fuzz_addr(f) : (off_t)far[below(5)];
	size_t len = below(sizeof(f->buf));
	struct iovec iov[2] = { { f->buf, len / 2 }, { f->buf + len / 2, len - len / 2 } };
	ssize_t r;

	switch (below(4)) {
	case 0:
		r = pread(fd, f->buf, len, off);
		break;
	case 1:
		r = pwrite(fd, f->buf, chance(50) ? len : 0, off);
		break;
	case 2:
		r = preadv(fd, iov, 2, off);
		break;
	default:
		if (lseek(fd, off, chance(50) ? SEEK_SET : SEEK_CUR) < 0) {
			/*
			 * The kernel's /proc/PID/mem seeks anywhere: a new
			 * position in [-4095, -1] is read by libc as an error
			 * with that errno. Not a failure, nor the module's.
			 */
			if (fd_is_procmem(fd))
				return;
			r = -1;
		} else {
			r = read(fd, f->buf, len);
		}
		break;
	}
	if (r < 0 && (errno == ESPIPE || errno == EISDIR))
		return;		/* not our fds */
	if (r < 0 && !errno_ok(errno)) {
		char link[64], target[256] = "?";
		int e = errno;
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = 0;
		kt_diag("fd %d (%s), offset %#llx, %zu bytes", fd, target,
			(unsigned long long)off, len);
		errno = e;
	}
	check_result(f, r, "read/write");
}

static void child_touch(void *arg)
{
	struct fmap *m = arg;
	uint64_t v;

	/* Not inherited: a hole in the child, whatever madvise was tried. */
	exit(rpt_try_load(m->p, &v) == SIGSEGV ? 0 : 3);
}

static void op_fork(struct fuzz *f)
{
	struct fmap *m = &f->maps[below(NR_MAPS)];
	int status;

	/* A hole punched at m->p is private memory the child does inherit. */
	if (!m->p || m->holed)
		return;
	status = kt_run_child(child_touch, m);
	KT_ASSERT_MSG(WIFEXITED(status) && !WEXITSTATUS(status),
		      "op %llu: a forked child saw the mapping (status %#x)",
		      (unsigned long long)f->ops, status);
}

static void op_close_poll(struct fuzz *f)
{
	struct ffd *d = pick_fd(f);
	struct pollfd p;

	if (!d)
		return;
	if (chance(60)) {
		p = (struct pollfd){ .fd = d->fd, .events = POLLIN | POLLOUT | POLLPRI };
		check_result(f, poll(&p, 1, 0), "poll");
	} else {
		close(d->fd);
		d->fd = -1;
	}
}

static void (*const ops[])(struct fuzz *) = {
	op_open, op_attach, op_attach, op_procmem, op_view_create, op_map, op_map,
	op_unmap, op_access_fd, op_simple_ioctls, op_random_ioctl, op_random_ioctl,
	op_mmap, op_mmap, op_mmap, op_change_map, op_change_map, op_access, op_access,
	op_access, op_access, op_rw, op_fork, op_close_poll,
};

KT_TEST_TIMEOUT(fuzz, 600, "seeded fuzzing of every fd kind, ioctl, mapping shape and access against a churning target")
{
	static struct fuzz fz;
	struct fuzz *f = &fz;
	const char *seed_env = getenv("RP_FUZZ_SEED"), *secs_env = getenv("RP_FUZZ_SECONDS");
	unsigned int secs = secs_env && atoi(secs_env) > 0 ? atoi(secs_env) : 60;
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : kt_now_ns(), t0;
	struct rpt_mirror check;
	volatile uint64_t *p;
	char *r;

	rnd_state = seed | 1;
	kt_diag("seed %#llx, %u s (replay: RP_FUZZ_SEED=%#llx)", (unsigned long long)seed, secs,
		(unsigned long long)seed);
	rpt_need_module();
	{
		int dev = rpt_open_dev();

		f->no_exec = !(rpt_features(dev) & REMOTE_PROC_FEATURE_EXEC);
		close(dev);
	}
	rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	r = mmap(NULL, ARENA + H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(r != MAP_FAILED);
	f->arena = (char *)(((uintptr_t)r + H - 1) & ~(H - 1));
	f->target = target_start(f->arena);
	r = mmap(NULL, NR_MAPS * SLOT + H, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(r != MAP_FAILED);
	f->area = (char *)(((uintptr_t)r + H - 1) & ~(H - 1));
	for (int i = 0; i < NR_FDS; i++)
		f->fds[i].fd = -1;
	op_open(f);

	t0 = kt_now_ns();
	while (kt_now_ns() - t0 < secs * 1000000000ull) {
		for (int i = 0; i < 64; i++, f->ops++)
			ops[below(sizeof(ops) / sizeof(ops[0]))](f);
	}
	kt_diag("%llu operations, %llu refused with a documented errno",
		(unsigned long long)f->ops, (unsigned long long)f->errors);

	for (int i = 0; i < NR_MAPS; i++)
		drop_map(f, &f->maps[i]);
	for (int i = 0; i < NR_FDS; i++)
		if (f->fds[i].fd >= 0)
			close(f->fds[i].fd);
	kill(f->target, SIGKILL);
	waitpid(f->target, NULL, 0);

	/* The module still works. */
	rpt_mirror_start(&check, REMOTE_PROC_ATTACH_WRITE);
	{
		uint64_t a = rpt_target_anon(&check.t, PG);

		p = rpt_mirror_map(&check, a, PG, PROT_READ | PROT_WRITE);
		*p = 0x600d;
		KT_ASSERT_EQ(rpt_do(&check.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0x600d);
	}
	rpt_mirror_stop(&check);
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
