// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * View stress: mutator threads MAP and UNMAP windows (single slots, runs of
 * slots, and cuts through the middle of runs) while reader threads fault
 * through a mapping of the view and pread it. Each slot's state (empty, or
 * which source page it shows) is published seqlock-style; a read made
 * while the state stayed the same must match it exactly: the right page,
 * or SIGBUS/EIO for an empty slot. A revoked page that still shows, or a
 * mapped one that does not, fails the test.
 *
 * Seeded (RP_STRESS_SEED) and time-bounded (a quarter of RP_STRESS_SECONDS).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define SLOTS 64
#define SRC_PAGES 128
#define MUTATORS 2
#define READERS 3

struct slot {
	uint64_t seq;		/* odd while changing */
	int64_t src;		/* source page shown, -1: empty */
	uint64_t pad[6];
};

static struct {
	struct slot slot[SLOTS];
	char *src;
	int ctl, acc;
	volatile char *map;
	volatile int stop;
	uint64_t seed;
	uint64_t maps, unmaps, cuts, failures;
	char error[200];
} S;

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}

static uint64_t stamp(int64_t page)
{
	return 0x5649455700000000ull | (uint64_t)page;	/* "VIEW" */
}

static void fail(const char *fmt, int a, long long b, long long c)
{
	if (!__atomic_fetch_add(&S.failures, 1, __ATOMIC_RELAXED))
		snprintf(S.error, sizeof(S.error), fmt, a, b, c);
}

static void busy(int first, int n)
{
	for (int i = first; i < first + n; i++)
		__atomic_store_n(&S.slot[i].seq, S.slot[i].seq + 1, __ATOMIC_SEQ_CST);
}

static void publish(int first, int n, int64_t src)
{
	for (int i = first; i < first + n; i++) {
		S.slot[i].src = src < 0 ? -1 : src + (i - first);
		__atomic_store_n(&S.slot[i].seq, S.slot[i].seq + 1, __ATOMIC_RELEASE);
	}
}

/*
 * Each mutator owns SLOTS / MUTATORS consecutive slots and knows the
 * windows there: win_first/win_end of the window covering each slot.
 */
static void *mutator(void *arg)
{
	int me = (int)(uintptr_t)arg, base = me * (SLOTS / MUTATORS);
	int win_first[SLOTS], win_end[SLOTS];
	uint64_t rnd = S.seed ^ (0x100 + me);
	int ret, i;

	for (i = 0; i < SLOTS; i++)
		win_first[i] = win_end[i] = -1;
	while (!S.stop) {
		int first, n, cut = 0;
		int64_t src;

		rnd = mix(rnd + 1);
		n = (rnd & 3) == 0 ? 4 : 1;
		first = base + (int)((rnd >> 8) % (SLOTS / MUTATORS - n + 1));
		src = (int64_t)((rnd >> 24) % (SRC_PAGES - n + 1));

		/* Windows reaching out of the range are cut, not removed. */
		for (i = first; i < first + n; i++)
			if (win_first[i] >= 0 && (win_first[i] < first || win_end[i] > first + n))
				cut = 1;

		busy(first, n);
		ret = rpt_view_unmap(S.ctl, (uint64_t)first * PG, (uint64_t)n * PG);
		if (ret && ret != -ENOENT)
			fail("UNMAP of slot %d: %lld", first, ret, 0);
		if (!ret) {
			__atomic_add_fetch(&S.unmaps, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&S.cuts, cut, __ATOMIC_RELAXED);
		}
		/* Remainders left and right of the range become windows of their own. */
		for (i = first - 1; i >= base && win_end[i] > first; i--)
			win_end[i] = first;
		for (i = first + n; i < base + SLOTS / MUTATORS && win_first[i] >= 0 &&
		     win_first[i] < first + n; i++)
			win_first[i] = first + n;
		for (i = first; i < first + n; i++)
			win_first[i] = win_end[i] = -1;

		if ((rnd >> 40) % 4) {
			ret = rpt_view_map_self(S.ctl, S.src + src * PG, (uint64_t)first * PG,
						(uint64_t)n * PG, RO);
			if (ret)
				fail("MAP of slot %d: %lld", first, ret, 0);
			__atomic_add_fetch(&S.maps, 1, __ATOMIC_RELAXED);
			for (i = first; i < first + n; i++) {
				win_first[i] = first;
				win_end[i] = first + n;
			}
			publish(first, n, src);
		} else {
			publish(first, n, -1);
		}
	}
	return NULL;
}

struct reader {
	bool use_pread;
	uint64_t checked;
};

static void *reader(void *arg)
{
	struct reader *r = arg;
	uint64_t rnd = S.seed ^ (uint64_t)(uintptr_t)arg;

	while (!S.stop) {
		uint64_t s1, s2, v = 0;
		int slot, sig;
		int64_t src;

		rnd = mix(rnd + 7);
		slot = (int)(rnd % SLOTS);
		s1 = __atomic_load_n(&S.slot[slot].seq, __ATOMIC_ACQUIRE);
		if (s1 & 1)
			continue;
		src = S.slot[slot].src;
		if (r->use_pread)
			sig = pread(S.acc, &v, 8, (off_t)slot * PG) == 8 ? 0 : SIGBUS;
		else
			sig = rpt_try_load(S.map + slot * PG, &v);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&S.slot[slot].seq, __ATOMIC_ACQUIRE);
		if (s1 != s2)
			continue;
		r->checked++;
		if (src < 0 && !sig)
			fail("slot %d is empty but shows %#llx (%lld)", slot, (long long)v,
			     r->use_pread);
		else if (src >= 0 && sig)
			fail("slot %d shows page %lld but gave signal %lld", slot, src, sig);
		else if (src >= 0 && v != stamp(src))
			fail("slot %d shows page %lld but reads %#llx", slot, src, (long long)v);
	}
	return NULL;
}

KT_TEST_TIMEOUT(map_unmap_against_faults, 600, "concurrent MAP/UNMAP against faults and preads: every stable read matches the layout")
{
	unsigned int secs = kt_stress_seconds(60) / 4;
	const char *seed_env = getenv("RP_STRESS_SEED");
	struct reader rd[READERS];
	pthread_t th[MUTATORS + READERS];
	uint64_t checked = 0;
	int dev, i;

	S.seed = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)kt_now_ns();
	kt_diag("seed %#llx, %u s", (unsigned long long)S.seed, secs);
	S.src = mmap(NULL, SRC_PAGES * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(S.src != MAP_FAILED);
	for (i = 0; i < SRC_PAGES; i++)
		*(uint64_t *)(S.src + i * PG) = stamp(i);
	for (i = 0; i < SLOTS; i++)
		S.slot[i].src = -1;
	dev = rpt_dev();
	S.ctl = rpt_view_create(dev, SLOTS * PG);
	S.acc = rpt_view_access(S.ctl, 0);
	KT_ASSERT(S.ctl >= 0 && S.acc >= 0);
	S.map = rpt_map(S.acc, 0, SLOTS * PG, PROT_READ);
	KT_ASSERT(S.map != MAP_FAILED);

	for (i = 0; i < MUTATORS; i++)
		pthread_create(&th[i], NULL, mutator, (void *)(uintptr_t)i);
	for (i = 0; i < READERS; i++) {
		rd[i] = (struct reader){ .use_pread = i == READERS - 1 };
		pthread_create(&th[MUTATORS + i], NULL, reader, &rd[i]);
	}
	sleep(secs);
	S.stop = 1;
	for (i = 0; i < MUTATORS + READERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < READERS; i++)
		checked += rd[i].checked;
	kt_diag("%llu MAPs, %llu UNMAPs (%llu cutting a run), %llu checked reads, %llu failures%s%s",
		(unsigned long long)S.maps, (unsigned long long)S.unmaps,
		(unsigned long long)S.cuts, (unsigned long long)checked,
		(unsigned long long)S.failures, S.error[0] ? ": " : "", S.error);
	KT_ASSERT_EQ(S.failures, 0);
	KT_ASSERT(S.maps > 100 && S.unmaps > 100 && S.cuts > 10 && checked > 1000);
}
