// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Mapping a mirror and coherence: after a change in the target returns,
 * the next access through the mirror sees the target's current page or
 * gets SIGBUS, never an old page.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

KT_FIXTURE(mr) {
	struct rpt_mirror m;
};

KT_SETUP(mr)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
}

KT_TEARDOWN(mr)
{
	rpt_mirror_stop(&self->m);
}

KT_TEST_F(mr, map_private_refused, "MAP_PRIVATE of a mirror fails with EINVAL")
{
	void *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, self->m.fd, 0x400000);

	KT_ASSERT(p == MAP_FAILED);
	KT_ASSERT_EQ(errno, EINVAL);
}

KT_TEST_F(mr, map_beyond_end, "a mapping reaching past the highest user address fails with ENXIO")
{
	struct remote_proc_query q;

	KT_ASSERT_OK(ioctl(self->m.fd, REMOTE_PROC_IOC_QUERY, &q));
	KT_ASSERT_ERRNO((long)mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, self->m.fd,
				   (off_t)(q.size - PG)), ENXIO);
	KT_ASSERT_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, self->m.fd,
				   (off_t)q.size), ENXIO);
	KT_ASSERT((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, self->m.fd,
			     (off_t)(q.size - PG)) != -1);
}

KT_TEST(map_write_on_readonly_refused, "a read-only mirror cannot be mapped writable, nor mprotect()ed to it")
{
	struct rpt_mirror m;
	void *p;

	rpt_mirror_start(&m, 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, 0x400000);
	KT_ASSERT(p == MAP_FAILED);
	KT_ASSERT_EQ(errno, EACCES);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, m.fd, 0x400000);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_ERRNO(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	rpt_mirror_stop(&m);
}

KT_TEST_F(mr, read_sees_target, "the mirror shows the target's page, and later stores of the target at once")
{
	uint64_t a = rpt_target_anon(&self->m.t, 16 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 16 * PG, 1);
	p = rpt_mirror_map(&self->m, a, 16 * PG, PROT_READ);
	for (uint64_t o = 0; o < 16 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 1));
	rpt_do(&self->m.t, RPT_OP_STORE, a + 8, 0xfeedface, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 8)), 0xfeedface);
}

KT_TEST_F(mr, write_lands_in_target, "a store through a writable mirror is in the target's page at once")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 4 * PG, 2);
	p = rpt_mirror_map(&self->m, a, 4 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + PG + 16), 0xabcdef), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + PG + 16, 0, 0, 0, NULL), 0xabcdef);
	/* A write after a read fault of the same page (read-only PTE first). */
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 2 * PG)), rpt_stamp_of(a + 2 * PG, 2));
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 2 * PG), 77), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 2 * PG, 0, 0, 0, NULL), 77);
}

KT_TEST_F(mr, untouched_reads_zero, "never-touched anonymous memory reads as zeros, and later target stores show")
{
	uint64_t a = rpt_target_anon(&self->m.t, 8 * PG);
	volatile uint64_t *p = rpt_mirror_map(&self->m, a, 8 * PG, PROT_READ);

	for (uint64_t o = 0; o < 8 * PG; o += 512)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), 0);
	rpt_do(&self->m.t, RPT_OP_STORE, a + 3 * PG, 5, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 3 * PG)), 5);
}

KT_TEST_F(mr, holes_and_prot_none_sigbus, "holes and PROT_NONE target memory give SIGBUS")
{
	uint64_t a = rpt_target_anon(&self->m.t, 3 * PG), v;
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a + 2 * PG, PG, PROT_NONE, 0, NULL);
	p = rpt_mirror_map(&self->m, a, 3 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a), &v), 0);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a + PG), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a + 2 * PG), &v), SIGBUS);
}

KT_TEST_F(mr, munmap_then_remap, "after the target's munmap: SIGBUS; after a new mmap there: the new page")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG), v;
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 2 * PG, 3);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a)), rpt_stamp_of(a, 3));
	rpt_do(&self->m.t, RPT_OP_MUNMAP, a, 2 * PG, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_MMAP, a, 2 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL), a);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a)), 0);
	rpt_stamp(&self->m, a, 2 * PG, 4);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 4));
}

KT_TEST_F(mr, mmap_fixed_replace, "MAP_FIXED over a mirrored range replaces the page the mirror shows")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 1, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(p), 1);
	rpt_do(&self->m.t, RPT_OP_MMAP, a, PG, PROT_READ | PROT_WRITE,
	       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL);
	KT_ASSERT_EQ(rpt_load(p), 0);
}

KT_TEST_F(mr, mremap_moves, "after the target's mremap the old address gives SIGBUS and the new one the data")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG), b, v;
	volatile uint64_t *p, *q;

	rpt_stamp(&self->m, a, 2 * PG, 5);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 5));
	b = rpt_do(&self->m.t, RPT_OP_MREMAP, a, 2 * PG, 4 * PG, 0, NULL);
	KT_ASSERT(b != a);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a + PG), &v), SIGBUS);
	q = rpt_mirror_map(&self->m, b, 2 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(q, b, b + PG)), rpt_stamp_of(a + PG, 5));
}

KT_TEST_F(mr, madvise_dontneed, "after MADV_DONTNEED the mirror reads the target's fresh zero pages")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 4 * PG, 6);
	p = rpt_mirror_map(&self->m, a, 4 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 6));
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 4 * PG, MADV_DONTNEED, 0, NULL);
	for (uint64_t o = 0; o < 4 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), 0);
}

KT_TEST_F(mr, madvise_free, "MADV_FREE: the mirror follows a re-dirtied page and a discarded one")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 2 * PG, 7);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a)), rpt_stamp_of(a, 7));
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2 * PG, MADV_FREE, 0, NULL);
	/* Page 0 is written again (no longer lazily free)... */
	rpt_do(&self->m.t, RPT_OP_STORE, a, 99, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a)), 99);
	/* ...page 1 is reclaimed: lazily freed pages are dropped, not swapped. */
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 7));
	rpt_do(&self->m.t, RPT_OP_MADVISE, a + PG, PG, MADV_PAGEOUT, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)),
		     rpt_do(&self->m.t, RPT_OP_LOAD, a + PG, 0, 0, 0, NULL));
}

KT_TEST_F(mr, mprotect_follows, "target mprotect: PROT_NONE gives SIGBUS, read-only refuses writes, RW restores")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v;
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 11, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_try_store(p, 12), 0);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_NONE, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_READ, 0, NULL);
	KT_ASSERT_EQ(rpt_load(p), 12);
	KT_ASSERT_EQ(rpt_try_store(p, 13), SIGBUS);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 12);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_READ | PROT_WRITE, 0, NULL);
	KT_ASSERT_EQ(rpt_try_store(p, 14), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 14);
}

/* The 64-bit word at addr in process pid, read through /proc/pid/mem. */
static uint64_t peek(pid_t pid, uint64_t addr)
{
	int fd = rpt_open_mem(pid, O_RDONLY);
	uint64_t v = 0;

	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, addr), 8);
	close(fd);
	return v;
}

KT_TEST_F(mr, fork_then_cow, "after the target forks, its copy-on-write break is what the mirror shows")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p;
	pid_t child;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 21, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(p), 21);
	child = rpt_do(&self->m.t, RPT_OP_FORK, 0, 0, 0, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_STORE, a, 22, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(p), 22);
	KT_ASSERT_EQ(peek(child, a), 21);
	kill(child, SIGKILL);
}

static bool thp_available(void)
{
	return access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
}

/* A 2 MiB aligned anonymous region of len bytes in the target. */
static uint64_t target_aligned(struct rpt_target *t, uint64_t len)
{
	uint64_t a = rpt_target_anon(t, len + (2u << 20));

	return (a + (2u << 20) - 1) & ~((2ull << 20) - 1);
}

KT_TEST_F_TIMEOUT(mr, thp_split_collapse, 120, "a THP, its split and a collapse keep the mirror coherent")
{
	char knob[96];
	uint64_t a, b;
	volatile uint64_t *p;

	if (!thp_available())
		kt_skip("kernel without transparent huge pages");
	rpt_write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	a = target_aligned(&self->m.t, 2u << 20);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2u << 20, MADV_HUGEPAGE, 0, NULL);
	rpt_stamp(&self->m, a, 2u << 20, 8);
	KT_ASSERT_MSG(rpt_is_thp(self->m.t.pid, a), "no THP was allocated");
	p = rpt_mirror_map(&self->m, a, 2u << 20, PROT_READ | PROT_WRITE);
	for (uint64_t o = 0; o < (2u << 20); o += 37 * PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 8));
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 5 * PG), 55), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 5 * PG, 0, 0, 0, NULL), 55);

	/* PMD split: changing the protection of part of it. */
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_READ, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_STORE, a + 9 * PG, 56, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 9 * PG)), 56);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 5 * PG)), 55);

	/* Folio split into small pages (debugfs knob). */
	snprintf(knob, sizeof(knob), "%d,0x%llx,0x%llx", self->m.t.pid,
		 (unsigned long long)a, (unsigned long long)a + (2u << 20));
	KT_ASSERT_EQ(rpt_write_file("/sys/kernel/debug/split_huge_pages", knob), 0);
	KT_ASSERT(!rpt_is_thp(self->m.t.pid, a + PG));
	rpt_do(&self->m.t, RPT_OP_STORE, a + 10 * PG, 58, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 10 * PG)), 58);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 9 * PG)), 56);
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 11 * PG), 59), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 11 * PG, 0, 0, 0, NULL), 59);

	/* Collapse of a fresh region of small pages. */
	b = target_aligned(&self->m.t, 2u << 20);
	rpt_do(&self->m.t, RPT_OP_MADVISE, b, 2u << 20, MADV_NOHUGEPAGE, 0, NULL);
	rpt_stamp(&self->m, b, 2u << 20, 9);
	p = rpt_mirror_map(&self->m, b, 2u << 20, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, b, b + 7 * PG)), rpt_stamp_of(b + 7 * PG, 9));
	rpt_do(&self->m.t, RPT_OP_MADVISE, b, 2u << 20, MADV_HUGEPAGE, 0, NULL);
	if (rpt_call(&self->m.t, RPT_OP_MADVISE, b, 2u << 20, 25 /* MADV_COLLAPSE */,
		     0, NULL, NULL) != 0)
		kt_skip("MADV_COLLAPSE failed (%s)", rpt_kernel_release());
	KT_ASSERT(rpt_is_thp(self->m.t.pid, b));
	for (uint64_t o = 0; o < (2u << 20); o += 29 * PG)
		KT_ASSERT_EQ(rpt_load(MW(p, b, b + o)), rpt_stamp_of(b + o, 9));
	rpt_do(&self->m.t, RPT_OP_STORE, b + 7 * PG, 57, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, b, b + 7 * PG)), 57);
}

static bool ksm_wait_merged(pid_t pid, uint64_t a, uint64_t b, int seconds)
{
	for (int i = 0; i < seconds * 20; i++) {
		uint64_t pa = rpt_pfn(pid, a);

		if (pa && pa == rpt_pfn(pid, b))
			return true;
		usleep(50000);
	}
	return false;
}

KT_TEST_F_TIMEOUT(mr, ksm_merge_unmerge, 120, "KSM merging and unmerging keep the mirror coherent; a write never reaches the shared KSM page")
{
	uint64_t a;
	volatile uint64_t *p;

	if (access("/sys/kernel/mm/ksm/run", F_OK))
		kt_skip("kernel without KSM");
	a = rpt_target_anon(&self->m.t, 2 * PG);
	rpt_do(&self->m.t, RPT_OP_FILL, a, 2 * PG, 0x3c, 0, NULL);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0x3c3c3c3c3c3c3c3cull);
	rpt_write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	rpt_write_file("/sys/kernel/mm/ksm/pages_to_scan", "1000");
	rpt_write_file("/sys/kernel/mm/ksm/run", "1");
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2 * PG, MADV_MERGEABLE, 0, NULL);
	KT_ASSERT_MSG(ksm_wait_merged(self->m.t.pid, a, a + PG, 30), "pages were not merged");
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0x3c3c3c3c3c3c3c3cull);
	/* A write through the mirror breaks the target's sharing first. */
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a), 1), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 1);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + PG, 0, 0, 0, NULL),
		     0x3c3c3c3c3c3c3c3cull);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0x3c3c3c3c3c3c3c3cull);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2 * PG, MADV_UNMERGEABLE, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_STORE, a + PG, 2, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 2);
	rpt_write_file("/sys/kernel/mm/ksm/run", "2");
}

static int numa_nodes(void)
{
	int n = 0;
	char path[64];

	for (;;) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
		if (access(path, F_OK))
			return n;
		n++;
	}
}

KT_TEST_F(mr, migration, "page migration to another NUMA node keeps the mirror coherent")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), pfn;
	volatile uint64_t *p;
	int node;

	if (numa_nodes() < 2)
		kt_skip("one NUMA node only");
	rpt_do(&self->m.t, RPT_OP_STORE, a, 31, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(p), 31);
	pfn = rpt_pfn(self->m.t.pid, a);
	node = rpt_do(&self->m.t, RPT_OP_MOVE_PAGE, a, -1, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_MOVE_PAGE, a, !node, 0, 0, NULL), !node);
	KT_ASSERT(rpt_pfn(self->m.t.pid, a) != pfn);
	rpt_do(&self->m.t, RPT_OP_STORE, a, 32, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(p), 32);
	KT_ASSERT_EQ(rpt_try_store(p, 33), 0);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 33);
}

KT_TEST_F(mr, compaction, "memory compaction (migration without NUMA) keeps the mirror coherent")
{
	uint64_t a = rpt_target_anon(&self->m.t, 64 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 64 * PG, 10);
	p = rpt_mirror_map(&self->m, a, 64 * PG, PROT_READ);
	for (uint64_t o = 0; o < 64 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 10));
	KT_ASSERT_EQ(rpt_write_file("/proc/sys/vm/compact_memory", "1"), 0);
	rpt_stamp(&self->m, a, 64 * PG, 11);
	for (uint64_t o = 0; o < 64 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 11));
}

static bool swapped(pid_t pid, uint64_t addr)
{
	char path[64];
	uint64_t e = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &e, 8, (addr / PG) * 8), 8);
	close(fd);
	return e & (1ull << 62);
}

/*
 * MADV_PAGEOUT on [a, a + len) until addr is swapped out. A page still in
 * another CPU's LRU batch cannot be isolated, so madvise skips it; writing
 * compact_memory drains the batches of all CPUs before the next try.
 */
static bool page_out(struct rpt_mirror *m, uint64_t a, uint64_t len, uint64_t addr)
{
	for (int i = 0; i < 5; i++) {
		rpt_do(&m->t, RPT_OP_MADVISE, a, len, MADV_PAGEOUT, 0, NULL);
		if (swapped(m->t.pid, addr))
			return true;
		rpt_write_file("/proc/sys/vm/compact_memory", "1");
	}
	return false;
}

KT_TEST_F(mr, swap_out_in, "swap-out and swap-in keep the mirror coherent, and mirror writes survive the next swap-out")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG);
	volatile uint64_t *p;

	if (!rpt_swap_on())
		kt_skip("no swap device");
	rpt_stamp(&self->m, a, 4 * PG, 12);
	p = rpt_mirror_map(&self->m, a, 4 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 12));
	KT_ASSERT_MSG(page_out(&self->m, a, 4 * PG, a + PG), "page was not swapped out");
	/* The mirror access swaps the page back in, in the target. */
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 12));
	KT_ASSERT(!swapped(self->m.t.pid, a + PG));
	/* A clean swap-cache page written only through the mirror... */
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 2 * PG)), rpt_stamp_of(a + 2 * PG, 12));
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + 2 * PG), 0x5555), 0);
	/* ...must be written out again, not dropped, on the next swap-out. */
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 4 * PG, MADV_PAGEOUT, 0, NULL);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 2 * PG, 0, 0, 0, NULL), 0x5555);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + 2 * PG)), 0x5555);
}

KT_TEST_F(mr, truncate_shared_file, "truncating a file the target maps shared gives SIGBUS past the new end")
{
	const char *path = "/tmp/rpt_trunc";
	uint64_t a, v;
	volatile uint64_t *p;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_OK(ftruncate(fd, 2 * PG));
	close(fd);
	a = rpt_do(&self->m.t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, path);
	rpt_do(&self->m.t, RPT_OP_STORE, a + PG, 41, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 41);
	rpt_do(&self->m.t, RPT_OP_TRUNCATE, PG, 0, 0, 0, path);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a + PG), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a), &v), 0);
	unlink(path);
}

KT_TEST_F(mr, target_exit, "after the target exits, the mirror is dead: SIGBUS, QUERY says DEAD, pread returns 0")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v = 1;
	struct remote_proc_query q;
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 51, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(p), 51);
	rpt_target_exit(&self->m.t);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_OK(ioctl(self->m.fd, REMOTE_PROC_IOC_QUERY, &q));
	KT_ASSERT(q.flags & REMOTE_PROC_QUERY_DEAD);
	KT_ASSERT_EQ(q.pid, 0);
	KT_ASSERT_EQ(pread(self->m.fd, &v, 8, a), 0);
}

KT_TEST_F(mr, target_exec, "after the target execs, the mirror of the old image is dead")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v;
	struct remote_proc_query q;
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 52, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(p), 52);
	rpt_do(&self->m.t, RPT_OP_EXEC, 0, 0, 0, 0, "/tests/rpt_target");
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_OK(ioctl(self->m.fd, REMOTE_PROC_IOC_QUERY, &q));
	KT_ASSERT(q.flags & REMOTE_PROC_QUERY_DEAD);
	KT_ASSERT_EQ(q.pid, self->m.t.pid);
	KT_ASSERT_EQ(pread(self->m.fd, &v, 8, a), 0);
}

KT_TEST_F(mr, close_keeps_mapping, "closing the mirror fd leaves existing mappings working until munmap")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG);
	volatile uint64_t *p;

	rpt_stamp(&self->m, a, 2 * PG, 13);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ);
	close(self->m.fd);
	self->m.fd = -1;
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), rpt_stamp_of(a + PG, 13));
	rpt_do(&self->m.t, RPT_OP_STORE, a + PG, 61, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 61);
	KT_ASSERT_OK(munmap((void *)p, 2 * PG));
}

struct fork_probe {
	volatile uint64_t *p;
};

static void child_probe(void *arg)
{
	struct fork_probe *fp = arg;
	uint64_t v;

	_exit(rpt_try_load(fp->p, &v));
}

KT_TEST_F(mr, caller_fork_no_copy, "a fork of the caller does not inherit mirror mappings (SIGSEGV there)")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	struct fork_probe fp;
	int status;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 71, 0, 0, NULL);
	fp.p = rpt_mirror_map(&self->m, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_load(fp.p), 71);
	status = kt_run_child(child_probe, &fp);
	KT_ASSERT(WIFEXITED(status));
	KT_ASSERT_EQ(WEXITSTATUS(status), SIGSEGV);
	KT_ASSERT_EQ(rpt_load(fp.p), 71);
}

KT_TEST_F(mr, split_and_moved_mappings, "invalidation reaches every piece of a split or mremap()ed mirror mapping")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG), v;
	volatile uint64_t *p, *moved, *again;
	char *hole;

	rpt_stamp(&self->m, a, 4 * PG, 14);
	p = rpt_mirror_map(&self->m, a, 4 * PG, PROT_READ);
	for (uint64_t o = 0; o < 4 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load(MW(p, a, a + o)), rpt_stamp_of(a + o, 14));
	/* Split: unmap page 1; move pages 2-3 elsewhere. */
	KT_ASSERT_OK(munmap((char *)p + PG, PG));
	hole = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(hole != MAP_FAILED);
	moved = mremap((char *)p + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		       hole);
	KT_ASSERT(moved != MAP_FAILED);
	KT_ASSERT_EQ(rpt_load(MW(moved, a + 2 * PG, a + 3 * PG)), rpt_stamp_of(a + 3 * PG, 14));
	/* A second mapping of the same range through a dup'ed fd. */
	again = rpt_map(dup(self->m.fd), a, 4 * PG, PROT_READ);
	KT_ASSERT(again != MAP_FAILED);
	KT_ASSERT_EQ(rpt_load(MW(again, a, a + 3 * PG)), rpt_stamp_of(a + 3 * PG, 14));

	rpt_do(&self->m.t, RPT_OP_MUNMAP, a, 4 * PG, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(MW(p, a, a), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(MW(moved, a + 2 * PG, a + 2 * PG), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(MW(moved, a + 2 * PG, a + 3 * PG), &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(MW(again, a, a + 3 * PG), &v), SIGBUS);
}

KT_TEST_F(mr, mapping_in_another_process, "a mirror fd passed to another process: its mappings are kept coherent too")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	int pfd[2], rfd[2], status;
	pid_t pid;
	char c;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 81, 0, 0, NULL);
	KT_ASSERT_OK(pipe(pfd));
	KT_ASSERT_OK(pipe(rfd));
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		volatile uint64_t *p = rpt_map(self->m.fd, a, PG, PROT_READ);
		uint64_t v = 0;

		if (p == MAP_FAILED || *p != 81)
			_exit(1);
		write(rfd[1], "r", 1);
		read(pfd[0], &c, 1);	/* the target changed the page */
		_exit(rpt_try_load(p, &v) || v != 82 ? 2 : 0);
	}
	KT_ASSERT_EQ(read(rfd[0], &c, 1), 1);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, PG, MADV_DONTNEED, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_STORE, a, 82, 0, 0, NULL);
	KT_ASSERT_EQ(write(pfd[1], "g", 1), 1);
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT(WIFEXITED(status));
	KT_ASSERT_EQ(WEXITSTATUS(status), 0);
}
