// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * How pages get mapped: fault-around, the POPULATE ioctl, MAP_POPULATE,
 * 2 MiB mappings of THPs, and the counters that tell them apart.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

#define AROUND "/sys/module/remote_proc/parameters/fault_around_pages"

static int populate(int fd, volatile void *p, uint64_t len, uint32_t flags, uint64_t *n)
{
	struct remote_proc_populate pp = {
		.addr = (uint64_t)(uintptr_t)p, .length = len, .flags = flags,
	};
	int r = ioctl(fd, REMOTE_PROC_IOC_POPULATE, &pp);

	if (n)
		*n = pp.populated;
	return r < 0 ? -errno : 0;
}

KT_FIXTURE(fl) {
	struct rpt_mirror m;
	char around[24];	/* the module's fault_around_pages before the test */
};

/*
 * The tests count faults with a fault-around of 16 pages. The parameter
 * exists once the module is loaded, which starting the mirror ensures.
 */
KT_SETUP(fl)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
	snprintf(self->around, sizeof(self->around), "%lld", rpt_read_ll(AROUND));
	KT_ASSERT_EQ(rpt_write_file(AROUND, "16"), 0);
}

KT_TEARDOWN(fl)
{
	rpt_write_file(AROUND, self->around);
	rpt_mirror_stop(&self->m);
}

/* n pages of target memory aligned to 64 pages (fault-around is aligned). */
static uint64_t aligned_anon(struct rpt_target *t, uint64_t n)
{
	uint64_t a = rpt_target_anon(t, (n + 64) * PG);

	return (a + 64 * PG - 1) & ~(64 * PG - 1);
}

KT_TEST_F(fl, fault_around, "one fault maps the aligned neighbours already present; the batch is a module parameter")
{
	uint64_t a = aligned_anon(&self->m.t, 64);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 64 * PG, 1);
	p = rpt_mirror_map(&self->m, a, 64 * PG, PROT_READ);
	rpt_stats_reset();
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 5 * PG)), rpt_stamp_of(a + 5 * PG, 1));
	KT_ASSERT_EQ(rpt_stat("faults"), 1);
	KT_ASSERT_EQ(rpt_stat("fault_pages"), 16);
	for (uint64_t o = 0; o < 64 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 1));
	KT_ASSERT_EQ(rpt_stat("faults"), 4);

	KT_ASSERT_EQ(rpt_write_file(AROUND, "1"), 0);
	p = rpt_mirror_map(&self->m, a, 64 * PG, PROT_READ);
	rpt_stats_reset();
	for (uint64_t o = 0; o < 8 * PG; o += PG)
		rpt_load(MW(p, a, a + o));
	KT_ASSERT_EQ(rpt_stat("faults"), 8);
	KT_ASSERT_EQ(rpt_stat("fault_pages"), 8);
}

KT_TEST_F(fl, fault_around_skips_absent, "fault-around maps only pages the target has; absent ones fault later")
{
	uint64_t a = aligned_anon(&self->m.t, 16);
	volatile uint64_t *p;

	/* Only even pages are present in the target. */
	for (uint64_t o = 0; o < 16 * PG; o += 2 * PG)
		rpt_do(&self->m.t, RPT_OP_STORE, a + o, o + 1, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, 16 * PG, PROT_READ);
	rpt_stats_reset();
	KT_ASSERT_EQ(rpt_load(MW(p, a, a)), 1);
	KT_ASSERT_EQ(rpt_stat("fault_pages"), 8);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0);
	KT_ASSERT(rpt_stat("faults") >= 2);
}

KT_TEST_F(fl, fault_around_follows, "pages mapped around a fault, before and after it, follow the target's changes")
{
	uint64_t a = aligned_anon(&self->m.t, 16);
	volatile uint64_t *p;
	const int pages[] = { 0, 4, 8, 12, 15 };

	rpt_stamp(&self->m, a, 16 * PG, 5);
	p = rpt_mirror_map(&self->m, a, 16 * PG, PROT_READ);
	rpt_stats_reset();
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 9 * PG)), rpt_stamp_of(a + 9 * PG, 5));
	KT_ASSERT_EQ(rpt_stat("fault_pages"), 16);
	/* Each page the fault mapped is zapped when the target drops it. */
	for (int i = 0; i < 5; i++) {
		uint64_t t = a + pages[i] * PG;

		rpt_do(&self->m.t, RPT_OP_MADVISE, t, PG, MADV_DONTNEED, 0, NULL);
		KT_ASSERT_EQ(rpt_stat("zaps"), i + 1);
		KT_ASSERT_EQ(rpt_load(MW(p, a, t)), 0);
	}
}

/*
 * Mirror n pages at target address t (stamped with salt), read
 * every one through the mirror, then reset the counters.
 */
static volatile uint64_t *map_all(struct rpt_mirror *m, uint64_t t, uint64_t n, uint64_t salt)
{
	volatile uint64_t *p = rpt_mirror_map(m, t, n * PG, PROT_READ);

	for (uint64_t o = 0; o < n * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, t, t + o)), rpt_stamp_of(t + o, salt));
	rpt_stats_reset();
	return p;
}

KT_TEST_F(fl, zap_tracking, "target changes zap only pages a view may have mapped, each until it is zapped")
{
	uint64_t a = aligned_anon(&self->m.t, 128), z;
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 128 * PG, 1);
	/* Mirror the first 64 pages only, and map them all. */
	p = map_all(&self->m, a, 64, 1);

	/* A page no view maps: nothing to zap. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 100 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 0);

	/* Page 10, then page 20: each zap forgets only its own page. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 10 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 1);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 20 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 2);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 20 * PG)), 0);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 21 * PG)), rpt_stamp_of(a + 21 * PG, 1));

	/* The whole range: zapped and forgotten, until mapped again. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 64 * PG, MADV_DONTNEED, 0, NULL);
	z = rpt_stat("zaps");
	KT_ASSERT_EQ(z, 3);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 30 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), z);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 30 * PG)), 0);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 30 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), z + 1);
}

KT_TEST_F(fl, zap_tracking_bits, "pages are tracked one by one across 32-page record chunks: a zap forgets only its pages")
{
	uint64_t a = aligned_anon(&self->m.t, 64), m = a + 16 * PG;
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 64 * PG, 3);
	/* Mirror pages [16, 48): half of each of two 32-page chunks. */
	p = map_all(&self->m, m, 32, 3);

	/* The unmirrored halves of both chunks: nothing to zap. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 16 * PG, MADV_DONTNEED, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 48 * PG, 16 * PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 0);
	/* Pages [30, 34) straddle the chunk boundary: one zap of both sides. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 30 * PG, 4 * PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 1);
	KT_ASSERT_EQ(rpt_load(MW(p, m, a + 31 * PG)), 0);
	KT_ASSERT_EQ(rpt_load(MW(p, m, a + 32 * PG)), 0);
	/* Forgotten until mapped again; the neighbours are still tracked. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 33 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 1);
	KT_ASSERT_EQ(rpt_load(MW(p, m, a + 29 * PG)), rpt_stamp_of(a + 29 * PG, 3));
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 29 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 2);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + 34 * PG, PG, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_stat("zaps"), 3);
	KT_ASSERT_EQ(rpt_load(MW(p, m, a + 34 * PG)), 0);
}

KT_TEST_F(fl, populate_ioctl, "POPULATE maps a whole range ahead of use; later reads do not fault")
{
	uint64_t a = rpt_target_anon(&self->m.t, 256 * PG), n = 0;
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 128 * PG, 2);	/* half present, half never touched */
	p = rpt_mirror_map(&self->m, a, 256 * PG, PROT_READ);
	rpt_stats_reset();
	KT_ASSERT_EQ(populate(self->m.fd, p, 256 * PG, 0, &n), 0);
	KT_ASSERT_EQ(n, 256);
	KT_ASSERT_EQ(rpt_stat("populate_pages"), 256);
	for (uint64_t o = 0; o < 256 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), o < 128 * PG ? rpt_stamp_of(a + o, 2) : 0);
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	/* Coherent as ever. */
	rpt_do(&self->m.t, RPT_OP_STORE, a + 200 * PG, 7, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 200 * PG)), 7);
}

KT_TEST_F(fl, populate_write, "POPULATE_WRITE maps writable (breaking COW first); stores do not fault")
{
	uint64_t a = rpt_target_anon(&self->m.t, 32 * PG), n = 0;
	volatile uint64_t *p;

	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0);	/* zero page */
	p = rpt_mirror_map(&self->m, a, 32 * PG, PROT_READ | PROT_WRITE);
	rpt_stats_reset();
	KT_ASSERT_EQ(populate(self->m.fd, p, 32 * PG, REMOTE_PROC_POPULATE_WRITE, &n), 0);
	KT_ASSERT_EQ(n, 32);
	for (uint64_t o = 0; o < 32 * PG; o += PG)
		KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + o), o + 3), 0);
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 31 * PG, 0, 0, 0, NULL), 31 * PG + 3);
}

KT_TEST_F(fl, populate_errors, "POPULATE refuses bad ranges with the documented errno")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG), n;
	volatile uint64_t *p = rpt_mirror_map(&self->m, a, 4 * PG, PROT_READ);
	struct remote_proc_populate pp = { .addr = (uintptr_t)p, .length = PG, .flags = 2 };
	char *other = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_ASSERT_ERRNO(ioctl(self->m.fd, REMOTE_PROC_IOC_POPULATE, &pp), EINVAL);
	KT_ASSERT_EQ(populate(self->m.fd, (char *)p + 1, PG, 0, &n), -EINVAL);
	KT_ASSERT_EQ(populate(self->m.fd, p, 0, 0, &n), -EINVAL);
	KT_ASSERT_EQ(populate(self->m.fd, (void *)-PG, 2 * PG, 0, &n), -EOVERFLOW);
	KT_ASSERT_EQ(populate(self->m.fd, other, PG, 0, &n), -ENXIO);
	KT_ASSERT_EQ(populate(self->m.fd, p, 8 * PG, 0, &n), -ENXIO);
	KT_ASSERT_EQ(n, 4);	/* what was mapped before the end of the mapping */
	KT_ASSERT_EQ(populate(self->m.fd, p, PG, REMOTE_PROC_POPULATE_WRITE, &n), -EACCES);
}

KT_TEST_F(fl, map_populate, "mmap with MAP_POPULATE maps the range before mmap returns")
{
	uint64_t a = rpt_target_anon(&self->m.t, 64 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 64 * PG, 4);
	rpt_stats_reset();
	p = mmap(NULL, 64 * PG, PROT_READ, MAP_SHARED | MAP_POPULATE, self->m.fd, (off_t)a);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(rpt_stat("populate_pages"), 64);
	for (uint64_t o = 0; o < 64 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 4));
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
}

KT_TEST_F(fl, pmd_mapping, "a THP of the target is mapped with one 2 MiB entry, coherently (6.12+)")
{
	const uint64_t H = 2ull << 20;
	uint64_t a, raw;
	volatile uint64_t *p;
	char knob[96];

	if (!rpt_have_pmd(self->m.dev))
		kt_skip("kernel without huge PFN mappings (%s): 4 KiB entries only",
			rpt_kernel_release());
	rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	raw = rpt_target_anon(&self->m.t, 2 * H);
	a = (raw + H - 1) & ~(H - 1);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, H, MADV_HUGEPAGE, 0, NULL);
	rpt_stamp(&self->m, a, H, 5);
	p = rpt_mirror_map(&self->m, a, H, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(((uintptr_t)p - a) % H, 0);	/* placed for a PMD */
	rpt_stats_reset();
	for (uint64_t o = 0; o < H; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 5));
	KT_ASSERT_EQ(rpt_stat("pmd_faults"), 1);
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	/* Writes: the read-only PMD goes, a writable one (or PTEs) comes. */
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 3 * PG), 99), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 3 * PG, 0, 0, 0, NULL), 99);
	/* Splitting the THP in the target zaps the PMD; 4 KiB faults follow. */
	snprintf(knob, sizeof(knob), "%d,0x%llx,0x%llx", self->m.t.pid,
		 (unsigned long long)a, (unsigned long long)(a + H));
	KT_ASSERT_EQ(rpt_write_file("/sys/kernel/debug/split_huge_pages", knob), 0);
	rpt_do(&self->m.t, RPT_OP_STORE, a + 9 * PG, 100, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 9 * PG)), 100);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 3 * PG)), 99);
	rpt_do(&self->m.t, RPT_OP_MUNMAP, a, H, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a + 9 * PG), &raw), SIGBUS);
}

KT_TEST_F(fl, pmd_huge_zero, "the target's huge zero page is mapped with 4 KiB entries, never a 2 MiB one; unmapping it is clean")
{
	const uint64_t H = 2ull << 20;
	uint64_t a, raw;
	volatile uint64_t *p;

	if (!rpt_have_pmd(self->m.dev))
		kt_skip("kernel without huge PFN mappings (%s): 4 KiB entries only",
			rpt_kernel_release());
	rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	KT_ASSERT_EQ(rpt_write_file("/sys/kernel/mm/transparent_hugepage/use_zero_page", "1"), 0);
	raw = rpt_target_anon(&self->m.t, 2 * H);
	a = (raw + H - 1) & ~(H - 1);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, H, MADV_HUGEPAGE, 0, NULL);
	/* A read of an untouched THP area maps the huge zero page there. */
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 7 * PG, 0, 0, 0, NULL), 0);
	if (!rpt_is_huge_zero(self->m.t.pid, a))
		kt_skip("the target got no huge zero page (kpageflags 0x%llx)",
			(unsigned long long)rpt_kpageflags(self->m.t.pid, a));
	p = rpt_mirror_map(&self->m, a, H, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(((uintptr_t)p - a) % H, 0);	/* placed for a PMD */
	rpt_stats_reset();
	for (uint64_t o = 0; o < H; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), 0);
	KT_ASSERT_EQ(rpt_stat("pmd_faults"), 0);
	KT_ASSERT(rpt_stat("pmd_fallbacks") >= 1);	/* it was offered, and declined */
	KT_ASSERT(rpt_is_huge_zero(self->m.t.pid, a));
	/* The target's first write replaces the zero page under the mirror. */
	rpt_do(&self->m.t, RPT_OP_STORE, a + 5 * PG, 41, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 5 * PG)), 41);
	/* A write through the mirror breaks COW in the target. */
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 9 * PG), 42), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 9 * PG, 0, 0, 0, NULL), 42);
	KT_ASSERT_EQ(munmap((void *)p, H), 0);
	/* Again with the zero page mapped read-only and left for munmap. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, H, MADV_DONTNEED, 0, NULL);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0);
	p = rpt_mirror_map(&self->m, a, H, PROT_READ);
	for (uint64_t o = 0; o < H; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), 0);
	KT_ASSERT_EQ(rpt_stat("pmd_faults"), 0);
	KT_ASSERT_EQ(munmap((void *)p, H), 0);
}
