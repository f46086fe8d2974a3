// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The benchmark behind `make bench`: remote-proc side by side with its
 * peers (the target's own reads, process_vm_readv, /proc/PID/mem,
 * ptrace PEEKDATA, a shared memfd mapping), on a region of the target
 * (RP_BENCH_MIB, default 128 MiB) backed by 4 KiB anonymous pages, by
 * THPs and by a memfd. Prints a table (KTAP diagnostics) with the ratios
 * and the targets, and one "# bench-json: {...}" line.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "../lib/ktap.h"
#include "../lib/mirror.h"
#include "../lib/rpt.h"

#define STATS "/sys/kernel/debug/remote_proc/stats"
#define RAND_READS 200000
#define SMALL_CALLS 20000
#define CHUNK (1u << 20)

static uint64_t len;		/* region size in bytes */
#define MAX_REPS 15
static int reps;		/* each figure is the median of this many runs */
static char json[16384];
static size_t json_len;

static void j(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_len += vsnprintf(json + json_len, sizeof(json) - json_len, fmt, ap);
	va_end(ap);
}

static uint64_t stat(const char *name)
{
	char line[128], key[64];
	unsigned long long n, v = 0;
	FILE *f = fopen(STATS, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %llu", key, &n) == 2 && !strcmp(key, name))
			v = n;
	fclose(f);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n samples (sorts them). */
static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* The median of reps runs of expr. */
#define MEDIAN(expr) ({							\
	uint64_t v_[MAX_REPS];						\
	for (int r_ = 0; r_ < reps; r_++)				\
		v_[r_] = (expr);					\
	median(v_, reps);						\
})

/* The median of n ratios (sorts them). */
static double dmedian(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static double gbs(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / (double)ns : 0;
}

/* Pages whose protection change flushes this process's TLBs (see settle()). */
#define FLUSH_PAGES 64
static char *flush_area;

/*
 * Before a timed read here, switch to the target (when given) and back,
 * and flush this process's TLB entries on every CPU (an mprotect() of
 * more pages than the kernel flushes one by one). Under QEMU's TCG both
 * empty the emulated TLB, as happens before each of the target's own
 * timed reads, which follow a switch to the target. The bench and its
 * targets all run on CPU 0 (see pin()), so that the switch is a real one.
 * Without this, a read here could find the TLB entries of the one before
 * (on an idle CPU, or on CPU 1 for the second of two readers): a warm
 * figure no other side of a ratio gets.
 */
static void settle(struct rpt_target *t)
{
	if (t)
		rpt_do(t, RPT_OP_PING, 0, 0, 0, 0, NULL);
	KT_ASSERT_OK(mprotect(flush_area, FLUSH_PAGES * 4096, PROT_READ));
	KT_ASSERT_OK(mprotect(flush_area, FLUSH_PAGES * 4096, PROT_READ | PROT_WRITE));
}

/* Run the calling thread (and what it forks later) on CPU cpu only. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	KT_ASSERT_OK(sched_setaffinity(0, sizeof(set), &set));
}

/* Time a sequential sum read of [p, p + n) here. */
static uint64_t time_sum(struct rpt_target *t, const volatile void *p, uint64_t n)
{
	uint64_t t0;

	settle(t);
	t0 = kt_now_ns();

	rpt_bench_sink += rpt_sum64((const void *)p, n);
	return kt_now_ns() - t0;
}

static uint64_t time_rand(struct rpt_target *t, const volatile void *p, uint64_t n)
{
	uint64_t t0;

	settle(t);
	t0 = kt_now_ns();

	rpt_bench_sink += rpt_rand64((const void *)p, n, RAND_READS, 12345);
	return kt_now_ns() - t0;
}

struct half {
	const volatile char *p;
	uint64_t n;
};

static struct half halves[2];	/* reader i runs on CPU i */

static void *half_reader(void *arg)
{
	struct half *h = arg;

	/* No settle() here: the caller did it for both, before the clock. */
	pin(h - halves);
	rpt_bench_sink += rpt_sum64((const void *)h->p, h->n);
	return NULL;
}

/*
 * One reader over the whole region, then two over a half each, 3 * reps
 * times (the noisiest figure here: the second CPU shares the host with
 * QEMU's own threads): the median of the per-run speed-ups (one / two).
 */
static double scaling(struct rpt_target *t, const volatile char *p)
{
	struct half *h = halves;
	double ratio[3 * MAX_REPS];
	pthread_t th[2];
	uint64_t one, t0, two;

	h[0] = (struct half){ p, len / 2 };
	h[1] = (struct half){ p + len / 2, len / 2 };
	for (int r = 0; r < 3 * reps; r++) {
		one = time_sum(t, p, len);
		settle(t);
		t0 = kt_now_ns();
		for (int i = 0; i < 2; i++)
			pthread_create(&th[i], NULL, half_reader, &h[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		two = kt_now_ns() - t0;
		ratio[r] = (double)one / (double)two;
	}
	return dmedian(ratio, 3 * reps);
}

static uint64_t pvr_bulk(pid_t pid, uint64_t a, char *buf)
{
	uint64_t t0 = kt_now_ns();

	for (uint64_t o = 0; o < len; o += CHUNK) {
		struct iovec l = { buf, CHUNK }, r = { (void *)(uintptr_t)(a + o), CHUNK };

		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != CHUNK)
			return 0;
	}
	return kt_now_ns() - t0;
}

static uint64_t pvr_small(pid_t pid, uint64_t a)
{
	uint64_t x = 99, v, t0 = kt_now_ns();

	for (int i = 0; i < SMALL_CALLS; i++) {
		struct iovec l = { &v, 8 }, r;

		x = x * 6364136223846793005ull + 1;
		r.iov_base = (void *)(uintptr_t)(a + ((x >> 20) % (len / 8)) * 8);
		r.iov_len = 8;
		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != 8)
			return 0;
	}
	return (kt_now_ns() - t0) / SMALL_CALLS;
}

static uint64_t pread_bulk(int fd, uint64_t a, char *buf)
{
	uint64_t t0 = kt_now_ns();

	for (uint64_t o = 0; o < len; o += CHUNK)
		if (pread(fd, buf, CHUNK, a + o) != CHUNK)
			return 0;
	return kt_now_ns() - t0;
}

static uint64_t pread_small(int fd, uint64_t a)
{
	uint64_t x = 77, v, t0 = kt_now_ns();

	for (int i = 0; i < SMALL_CALLS; i++) {
		x = x * 6364136223846793005ull + 1;
		if (pread(fd, &v, 8, a + ((x >> 20) % (len / 8)) * 8) != 8)
			return 0;
	}
	return (kt_now_ns() - t0) / SMALL_CALLS;
}

static uint64_t peek_small(pid_t pid, uint64_t a)
{
	uint64_t x = 55, t0;
	int status;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0))
		return 0;
	waitpid(pid, &status, 0);
	t0 = kt_now_ns();
	for (int i = 0; i < SMALL_CALLS; i++) {
		x = x * 6364136223846793005ull + 1;
		errno = 0;
		ptrace(PTRACE_PEEKDATA, pid, a + ((x >> 20) % (len / 8)) * 8, 0);
		if (errno)
			return 0;
	}
	t0 = (kt_now_ns() - t0) / SMALL_CALLS;
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return t0;
}

/* ShmemPmdMapped of this process, in KiB. */
static uint64_t shmem_pmd_kib(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ShmemPmdMapped: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * The kernel's own best case: a filled memfd, mapped afresh and read
 * (returns the time of that), then, with warm, read again. huge: backed
 * by THPs (shmem_enabled "advise"); *pmd tells whether they were mapped
 * with PMDs, as the kernel does where it can.
 */
static uint64_t memfd_cold(bool huge, uint64_t *warm, bool *pmd)
{
	int fd = memfd_create("rp-bench-peer", 0);
	char *p;
	uint64_t ns;

	if (fd < 0 || ftruncate(fd, len))
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (huge)
		madvise(p, len, MADV_HUGEPAGE);
	memset(p, 1, len);
	munmap(p, len);
	ns = kt_now_ns();
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	rpt_bench_sink += rpt_sum64(p, len);
	ns = kt_now_ns() - ns;
	if (warm)
		*warm = time_sum(NULL, p, len);
	if (pmd)
		*pmd = shmem_pmd_kib() >= len >> 10;
	munmap(p, len);
	close(fd);
	return ns;
}

/* Two threads against one over plain private memory: what scaling can reach here. */
static double local_scaling(void)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double scale;

	if (p == MAP_FAILED)
		return 0;
	memset(p, 1, len);
	scale = scaling(NULL, p);
	munmap(p, len);
	return scale;
}

struct target_row {
	const char *name, *unit, *goal;
	double value, want;
	bool higher;	/* value must be >= want, else <= want */
};

static struct target_row targets[16];
static int nr_targets;

static void target(const char *name, double value, double want, bool higher,
		   const char *unit)
{
	struct target_row *t = &targets[nr_targets++];
	bool met = higher ? value >= want : value <= want;

	*t = (struct target_row){ name, unit, NULL, value, want, higher };
	printf("#   target %-44s %7.2f%s  %s %.2f%s  %s\n", name, value, unit,
	       higher ? ">=" : "<=", want, unit, met ? "met" : "MISSED");
}

enum variant { ANON, THP, MEMFD };
static const char *const variant_names[] = { "anon", "thp", "memfd" };

/* Set up the region in the target; returns its address. */
static uint64_t region(struct rpt_target *t, enum variant v)
{
	const uint64_t H = 2ull << 20;
	char path[64];
	uint64_t a;
	int fd;

	switch (v) {
	case ANON:
		a = rpt_target_anon(t, len);
		/* EINVAL on a kernel without THP (PREEMPT_RT): 4 KiB anyway. */
		rpt_call(t, RPT_OP_MADVISE, a, len, MADV_NOHUGEPAGE, 0, NULL, NULL);
		break;
	case THP:
		rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
		/* For the peer of the kernel's own (memfd_cold(true, ...)). */
		rpt_write_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "advise");
		a = rpt_target_anon(t, len + H);
		a = (a + H - 1) & ~(H - 1);
		rpt_do(t, RPT_OP_MADVISE, a, len, MADV_HUGEPAGE, 0, NULL);
		break;
	default:
		fd = memfd_create("rp-bench", 0);
		KT_ASSERT(fd >= 0 && !ftruncate(fd, len));
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", getpid(), fd);
		a = rpt_do(t, RPT_OP_MMAP, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, path);
		close(fd);
		break;
	}
	rpt_do(t, RPT_OP_FILL, a, len, 1, 0, NULL);
	return a;
}

static void bench_variant(enum variant v, int dev)
{
	struct rpt_target t;
	uint64_t a, faults, pages, pmds, local_rand, m_rand, pvr_s, mem_s, peek;
	double local, warm, cold, cold_pop, pvr_b, mem_b, scale, memfd_gbs;
	uint64_t ns[MAX_REPS], mf[MAX_REPS], cn[MAX_REPS], wn[MAX_REPS], ln[MAX_REPS];
	uint64_t lr[MAX_REPS], mr[MAX_REPS], an[MAX_REPS], fn[MAX_REPS], rn[MAX_REPS];
	long long around = rpt_read_ll("/sys/module/remote_proc/parameters/fault_around_pages");
	uint64_t stride = v == THP ? 2ull << 20 : (uint64_t)(around > 0 ? around : 1) * 4096;
	double r_cold_memfd[MAX_REPS], r_cold_warm[MAX_REPS], r_warm_local[MAX_REPS];
	double r_rand[MAX_REPS], x_warm_local, x_cold_memfd, x_cold_warm, x_rand;
	double r_huge_peer[MAX_REPS];
	bool huge_pmd = false;
	volatile char *p;
	char *buf = malloc(CHUNK);
	int m, mem;

	rpt_target_fork(&t);
	a = region(&t, v);
	printf("# region %s: %llu MiB at %#llx\n", variant_names[v],
	       (unsigned long long)(len >> 20), (unsigned long long)a);

	/*
	 * Each run: the kernel's best case (a memfd mapped afresh and read),
	 * then cold (attach + mmap + first touch + read, timed in parts: the
	 * touch reads a byte per fault, the read then faults no more), a
	 * warm read of that mapping, and the target's own read. Every ratio
	 * is the median of the per-run ratios, each taken within one run, so
	 * that a phase of a slower machine (a shared host) weighs on both of
	 * its sides. The absolute figures are the medians of the runs.
	 */
	p = NULL;
	m = -1;
	for (int r = 0; r < reps; r++) {
		uint64_t t0, t1, t2;

		if (p) {
			munmap((void *)p, len);
			close(m);
		}
		mf[r] = memfd_cold(false, NULL, NULL);
		if (v == THP) {
			uint64_t hw, hc = memfd_cold(true, &hw, &huge_pmd);

			r_huge_peer[r] = (double)hw / (double)hc;
		}
		rpt_write_file(STATS, "0");
		t0 = kt_now_ns();
		m = rpt_attach_pid(dev, t.pid, 0);
		p = rpt_map(m, a, len, PROT_READ);
		t1 = kt_now_ns();
		/* First touch: a byte per fault (fault-around batch or 2 MiB). */
		for (uint64_t o = 0; o < len; o += stride)
			rpt_bench_sink += p[o];
		t2 = kt_now_ns();
		rpt_bench_sink += rpt_sum64((const void *)p, len);
		cn[r] = kt_now_ns() - t0;
		an[r] = t1 - t0;
		fn[r] = t2 - t1;
		rn[r] = cn[r] - (t2 - t0);
		wn[r] = time_sum(&t, p, len);
		ln[r] = rpt_do(&t, RPT_OP_TIME_SUM, a, len, 0, 0, NULL);
		r_cold_memfd[r] = (double)mf[r] / (double)cn[r];
		r_cold_warm[r] = (double)wn[r] / (double)cn[r];
		r_warm_local[r] = (double)ln[r] / (double)wn[r];
	}
	faults = stat("faults");
	pages = stat("fault_pages");
	pmds = stat("pmd_faults");
	cold = gbs(len, median(cn, reps));
	memfd_gbs = gbs(len, median(mf, reps));
	warm = gbs(len, median(wn, reps));
	local = gbs(len, median(ln, reps));
	for (int r = 0; r < reps; r++) {
		lr[r] = rpt_do(&t, RPT_OP_TIME_RAND, a, len, RAND_READS, 12345, NULL) /
			RAND_READS;
		mr[r] = time_rand(&t, p, len) / RAND_READS;
		r_rand[r] = (double)mr[r] / (double)lr[r];
	}
	local_rand = median(lr, reps);
	m_rand = median(mr, reps);
	scale = scaling(&t, p);
	munmap((void *)p, len);
	close(m);

	/* Cold again, with MAP_POPULATE. */
	for (int r = 0; r < reps; r++) {
		uint64_t t0 = kt_now_ns();

		m = rpt_attach_pid(dev, t.pid, 0);
		p = mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, m, (off_t)a);
		KT_ASSERT(p != MAP_FAILED);
		rpt_bench_sink += rpt_sum64((const void *)p, len);
		ns[r] = kt_now_ns() - t0;
		munmap((void *)p, len);
		close(m);
	}
	cold_pop = gbs(len, median(ns, reps));

	pvr_b = gbs(len, MEDIAN(pvr_bulk(t.pid, a, buf)));
	pvr_s = MEDIAN(pvr_small(t.pid, a));
	mem = rpt_open_mem(t.pid, O_RDONLY);
	mem_b = gbs(len, MEDIAN(pread_bulk(mem, a, buf)));
	mem_s = MEDIAN(pread_small(mem, a));
	close(mem);
	peek = MEDIAN(peek_small(t.pid, a));

	x_warm_local = dmedian(r_warm_local, reps);
	x_cold_memfd = dmedian(r_cold_memfd, reps);
	x_cold_warm = dmedian(r_cold_warm, reps);
	x_rand = dmedian(r_rand, reps);

	printf("#   %-34s %8.3f GB/s\n", "local read (the target itself)", local);
	printf("#   %-34s %8.3f GB/s  %5.2fx local\n", "mirror warm sequential", warm,
	       x_warm_local);
	printf("#   %-34s %8.3f GB/s\n", "memfd shared mapping, cold (peer)", memfd_gbs);
	printf("#   %-34s %8.3f GB/s  %5.2fx memfd cold, %5.2fx /proc/PID/mem, %4.2fx warm\n",
	       "mirror cold (attach+mmap+read)", cold, x_cold_memfd, cold / mem_b, x_cold_warm);
	printf("#   %-34s attach+mmap %.1f ms, first touch %.1f ms, read %.1f ms; warm read %.1f ms\n",
	       "  cold, split", median(an, reps) / 1e6, median(fn, reps) / 1e6,
	       median(rn, reps) / 1e6, median(wn, reps) / 1e6);
	printf("#   %-34s %8.3f GB/s\n", "mirror cold with MAP_POPULATE", cold_pop);
	printf("#   %-34s %8.1f (%llu PTE pages, %llu PMDs)\n", "mirror faults per MiB",
	       (double)faults / (double)(len >> 20), (unsigned long long)pages,
	       (unsigned long long)pmds);
	printf("#   %-34s %8llu ns\n", "local random 8 B", (unsigned long long)local_rand);
	printf("#   %-34s %8llu ns   %5.2fx local, %5.1fx faster than process_vm_readv\n",
	       "mirror random 8 B", (unsigned long long)m_rand, x_rand,
	       (double)pvr_s / m_rand);
	printf("#   %-34s %8.3f GB/s  %8llu ns per 8 B\n", "process_vm_readv", pvr_b,
	       (unsigned long long)pvr_s);
	printf("#   %-34s %8.3f GB/s  %8llu ns per 8 B\n", "/proc/PID/mem pread", mem_b,
	       (unsigned long long)mem_s);
	printf("#   %-34s %8llu ns per 8 B\n", "ptrace PEEKDATA", (unsigned long long)peek);
	printf("#   %-34s %8.2fx\n", "two readers vs one (mirror, warm)", scale);

	j("%s\"%s\": {\"local_gbs\": %.4f, \"mirror_warm_gbs\": %.4f, \"mirror_cold_gbs\": %.4f, \"memfd_cold_gbs\": %.4f, "
	  "\"mirror_cold_populate_gbs\": %.4f, \"faults_per_mib\": %.2f, \"fault_pages\": %llu, "
	  "\"pmd_faults\": %llu, \"local_rand_ns\": %llu, \"mirror_rand_ns\": %llu, "
	  "\"pvr_gbs\": %.4f, \"pvr_8b_ns\": %llu, \"procmem_gbs\": %.4f, \"procmem_8b_ns\": %llu, "
	  "\"ptrace_peek_ns\": %llu, \"two_reader_scaling\": %.3f, \"warm_local_ratio\": %.3f, "
	  "\"cold_memfd_ratio\": %.3f, \"cold_warm_ratio\": %.3f, \"rand_local_ratio\": %.3f, "
	  "\"cold_attach_mmap_ms\": %.3f, \"cold_touch_ms\": %.3f, \"cold_read_ms\": %.3f}",
	  v == ANON ? "" : ", ", variant_names[v], local, warm, cold, memfd_gbs, cold_pop,
	  (double)faults / (double)(len >> 20), (unsigned long long)pages,
	  (unsigned long long)pmds, (unsigned long long)local_rand,
	  (unsigned long long)m_rand, pvr_b, (unsigned long long)pvr_s, mem_b,
	  (unsigned long long)mem_s, (unsigned long long)peek, scale, x_warm_local, x_cold_memfd,
	  x_cold_warm, x_rand, median(an, reps) / 1e6, median(fn, reps) / 1e6,
	  median(rn, reps) / 1e6);

	if (v == ANON) {
		target("warm sequential / local", x_warm_local, 0.9, true, "x");
		target("random 8 B / local", x_rand, 1.5, false, "x");
		target("random 8 B speed-up over process_vm_readv",
		       (double)pvr_s / m_rand, 10, true, "x");
		target("cold / memfd-shared cold", x_cold_memfd, 0.8, true, "x");
		target("cold / /proc/PID/mem bulk", cold / mem_b, 3, true, "x");
		target("two readers / one", scale, 1.6, true, "x");
	}
	if (v == THP) {
		double peer = dmedian(r_huge_peer, reps);

		printf("#   %-34s %8.2fx  (a THP-backed memfd mapped afresh%s)\n",
		       "the kernel's own THP cold / warm", peer,
		       huge_pmd ? " with PMDs" : ", not PMD-mapped");
		j(", \"thp_peer\": {\"memfd_thp_cold_warm_ratio\": %.3f, \"pmd\": %s}", peer,
		  huge_pmd ? "true" : "false");
	}
	if (v == THP && pmds)
		target("THP cold / warm", x_cold_warm, 0.9, true, "x");
	rpt_target_kill(&t);
	free(buf);
}

/* munmap of a region the mirror has fully mapped, against a plain one. */
static void bench_munmap(int dev)
{
	uint64_t vp[MAX_REPS], vm[MAX_REPS], plain, mirrored, n = 0;
	double ratio[MAX_REPS];

	for (int r = 0; r < reps; r++) {
		struct remote_proc_populate pp = { 0 };
		struct rpt_target t;
		volatile char *p;
		uint64_t a, b;
		int m;

		rpt_target_fork(&t);
		a = rpt_target_anon(&t, len);
		b = rpt_target_anon(&t, len);
		rpt_do(&t, RPT_OP_FILL, a, len, 1, 0, NULL);
		rpt_do(&t, RPT_OP_FILL, b, len, 1, 0, NULL);
		m = rpt_attach_pid(dev, t.pid, 0);
		p = rpt_map(m, b, len, PROT_READ);
		pp.addr = (uintptr_t)p;
		pp.length = len;
		KT_ASSERT_OK(ioctl(m, REMOTE_PROC_IOC_POPULATE, &pp));
		n = pp.populated;
		vp[r] = rpt_do(&t, RPT_OP_TIME_MUNMAP, a, len, 0, 0, NULL);
		vm[r] = rpt_do(&t, RPT_OP_TIME_MUNMAP, b, len, 0, 0, NULL);
		ratio[r] = (double)vm[r] / (double)vp[r];
		munmap((void *)p, len);
		close(m);
		rpt_target_kill(&t);
	}
	plain = median(vp, reps);
	mirrored = median(vm, reps);
	printf("# target munmap of %llu MiB: %.2f ms plain, %.2f ms with %llu pages mirrored\n",
	       (unsigned long long)(len >> 20), plain / 1e6, mirrored / 1e6,
	       (unsigned long long)n);
	j(", \"munmap_plain_ms\": %.3f, \"munmap_mirrored_ms\": %.3f", plain / 1e6,
	  mirrored / 1e6);
	target("munmap mirrored / plain", dmedian(ratio, reps), 2, false, "x");
}

KT_TEST_TIMEOUT(bench, 1800, "remote-proc against its peers (figures, not pass/fail)")
{
	const char *mib = getenv("RP_BENCH_MIB");
	struct utsname u;
	double local_scale;
	int dev = rpt_dev();
	struct remote_proc_api api = { .api = REMOTE_PROC_API };

	len = (uint64_t)(mib ? atoi(mib) : 128) << 20;
	reps = getenv("RP_BENCH_REPS") ? atoi(getenv("RP_BENCH_REPS")) : 5;
	reps = reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps;
	uname(&u);
	KT_ASSERT_OK(ioctl(dev, REMOTE_PROC_IOC_API, &api));
	KT_ASSERT_MSG(sysconf(_SC_NPROCESSORS_ONLN) >= 2, "the two-reader figures need 2 CPUs");
	pin(0);
	flush_area = mmap(NULL, FLUSH_PAGES * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(flush_area != MAP_FAILED);
	memset(flush_area, 1, FLUSH_PAGES * 4096);
	local_scale = local_scaling();
	printf("# kernel %s, region %llu MiB, median of %d runs (ratios: of per-run pairs), PMD mappings %s\n",
	       u.release,
	       (unsigned long long)(len >> 20), reps,
	       api.features & REMOTE_PROC_FEATURE_PMD ? "yes" : "no");
	printf("# peer: two local readers vs one (this machine's ceiling): %.2fx\n", local_scale);
	j("{\"kernel\": \"%s\", \"region_mib\": %llu, \"reps\": %d, \"pmd\": %s, "
	  "\"local_two_readers\": %.4f, \"regions\": {", u.release, (unsigned long long)(len >> 20),
	  reps,
	  api.features & REMOTE_PROC_FEATURE_PMD ? "true" : "false", local_scale);
	for (int v = ANON; v <= MEMFD; v++) {
		if (v == THP && access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK)) {
			printf("# region thp: skipped, kernel without THP\n");
			continue;
		}
		bench_variant((enum variant)v, dev);
	}
	j("}");
	bench_munmap(dev);
	j(", \"targets\": [");
	for (int i = 0; i < nr_targets; i++) {
		struct target_row *t = &targets[i];

		j("%s{\"name\": \"%s\", \"value\": %.4f, \"goal\": \"%s %.2f\", \"met\": %s}",
		  i ? ", " : "", t->name, t->value, t->higher ? ">=" : "<=", t->want,
		  (t->higher ? t->value >= t->want : t->value <= t->want) ? "true" : "false");
	}
	j("]}");
	printf("# bench-json: %s\n", json);
}
