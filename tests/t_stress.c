// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Coherence stress: target threads churn their mappings while mirror
 * readers check every page they see.
 *
 * The target owns SLOTS one-page slots. Each content change of a slot is
 * published seqlock-style in a control page shared with the test: seq odd
 * while the slot changes, then even with the slot's generation. A page is
 * stamped with (magic, address, generation, checksum) plus a filler
 * derived from them, or is one of a few constant pages (which KSM can
 * merge). A reader that saw the same even seq before and after its read
 * must have read exactly the published generation: an older one is a
 * stale page, anything else is corruption, and SIGBUS is a failure too.
 * Migration, compaction, swap-out, fork and mprotect run in between
 * without changing contents; reads across them must still be exact.
 *
 * Seeded (RP_STRESS_SEED, printed) and time-bounded (RP_STRESS_SECONDS,
 * 60 s by default).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

#define SLOTS 96
#define CHURNERS 3
#define READERS 2
#define MAGIC 0x52505354414d50ull	/* "RPSTAMP" */
#define WORDS (PG / 8)

enum op {
	OP_REWRITE, OP_REMAP, OP_DONTNEED, OP_MREMAP, OP_CONST, OP_FORKCOW,
	OP_MIGRATE, OP_MPROTECT, OP_PAGEOUT, OP_COMPACT, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"rewrite", "remap", "dontneed", "mremap", "const", "fork+cow",
	"migrate", "mprotect", "pageout", "compact",
};

struct slot_ctl {
	uint64_t seq;		/* odd: changing */
	uint64_t gen;		/* generation of the stable contents */
	uint64_t konst;		/* 0: stamped page, else constant page value */
	uint64_t last_op;	/* the op that made the current contents */
	uint64_t changed_ns;	/* when it finished */
	uint64_t pad[3];
};

struct ctl {
	uint64_t base;		/* target address of slot 0 */
	uint64_t scratch;	/* target scratch page for mremap */
	volatile int ready, stop;
	volatile int readers_stop;	/* readers end first: a target that exits is dead */
	uint64_t ops[NR_OPS];
	uint64_t seed;
	int nodes;
	int swap;
	struct slot_ctl slot[SLOTS];
};

static struct ctl *ctl;

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static uint64_t word_of(uint64_t addr, uint64_t gen, unsigned int i)
{
	return mix(addr ^ (gen << 20) ^ i);
}

static uint64_t slot_addr(int i)
{
	return ctl->base + (uint64_t)i * PG;
}

/* --- the target ---------------------------------------------------------- */

static void fill(int i, uint64_t gen, uint64_t konst)
{
	uint64_t *w = (uint64_t *)(uintptr_t)slot_addr(i);

	if (konst) {
		for (unsigned int k = 0; k < WORDS; k++)
			w[k] = konst;
		return;
	}
	w[0] = MAGIC;
	w[1] = slot_addr(i);
	w[2] = gen;
	w[3] = mix(slot_addr(i) ^ gen ^ MAGIC);
	for (unsigned int k = 4; k < WORDS; k++)
		w[k] = word_of(slot_addr(i), gen, k);
}

static void begin_change(int i)
{
	__atomic_store_n(&ctl->slot[i].seq, ctl->slot[i].seq + 1, __ATOMIC_SEQ_CST);
}

static void end_change(int i, uint64_t gen, uint64_t konst)
{
	ctl->slot[i].gen = gen;
	ctl->slot[i].konst = konst;
	__atomic_store_n(&ctl->slot[i].seq, ctl->slot[i].seq + 1, __ATOMIC_RELEASE);
}

static void map_fresh(int i)
{
	void *p = mmap((void *)(uintptr_t)slot_addr(i), PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		_exit(10);
}

static void move_page(uint64_t addr, int node)
{
	void *pages[1] = { (void *)(uintptr_t)addr };
	int nodes[1] = { node }, status[1];

	syscall(SYS_move_pages, 0, 1, pages, nodes, status, 2 /* MPOL_MF_MOVE */);
}

/* One content change of slot i (owned by the calling churner). */
static void change(int i, enum op op, uint64_t *rnd)
{
	uint64_t gen = ctl->slot[i].gen + 1, konst = 0;
	uint64_t a = slot_addr(i);
	int n = (int)(i % CHURNERS);	/* the churner's own scratch page */
	uint64_t scratch = ctl->scratch + (uint64_t)n * PG;

	begin_change(i);
	switch (op) {
	case OP_REMAP:
		munmap((void *)(uintptr_t)a, PG);
		map_fresh(i);
		break;
	case OP_DONTNEED:
		madvise((void *)(uintptr_t)a, PG, MADV_DONTNEED);
		break;
	case OP_MREMAP:
		if (mremap((void *)(uintptr_t)a, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   (void *)(uintptr_t)scratch) == MAP_FAILED ||
		    mremap((void *)(uintptr_t)scratch, PG, PG,
			   MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(uintptr_t)a) == MAP_FAILED)
			_exit(11);
		break;
	case OP_CONST:
		*rnd = mix(*rnd);
		konst = 0x4b534d0000000000ull | (*rnd & 3);	/* "KSM" + 0..3 */
		break;
	default:
		break;
	}
	fill(i, gen, konst);
	ctl->slot[i].last_op = op;
	ctl->slot[i].changed_ns = kt_now_ns();
	end_change(i, gen, konst);
	__atomic_add_fetch(&ctl->ops[op], 1, __ATOMIC_RELAXED);
}

static void *churner(void *arg)
{
	int me = (int)(uintptr_t)arg;
	uint64_t rnd = ctl->seed ^ (me + 1);

	while (!ctl->stop) {
		int i;
		enum op op;

		rnd = mix(rnd);
		i = me + CHURNERS * (int)(rnd % (SLOTS / CHURNERS));
		op = (enum op)((rnd >> 16) % (OP_CONST + 1));
		change(i, op, &rnd);
		if ((rnd >> 40) % 4 == 0)
			usleep(100);
	}
	return NULL;
}

/* The changes a run must have made to have tested anything. */
static bool enough_changes(void)
{
	return __atomic_load_n(&ctl->ops[OP_REMAP], __ATOMIC_RELAXED) > 10 &&
	       __atomic_load_n(&ctl->ops[OP_DONTNEED], __ATOMIC_RELAXED) > 10 &&
	       __atomic_load_n(&ctl->ops[OP_MREMAP], __ATOMIC_RELAXED) > 10 &&
	       __atomic_load_n(&ctl->ops[OP_FORKCOW], __ATOMIC_RELAXED) > 5;
}

/* Changes that keep every slot's contents: the mirror must not notice. */
static void *shaker(void *arg)
{
	uint64_t rnd = ctl->seed ^ 0x5ba4e, last_compact = 0;

	while (!ctl->stop) {
		uint64_t a;
		enum op op;
		pid_t pid;

		rnd = mix(rnd);
		a = slot_addr((int)(rnd % SLOTS));
		op = (enum op)(OP_FORKCOW + (rnd >> 16) % (NR_OPS - OP_FORKCOW));
		switch (op) {
		case OP_FORKCOW:
			/* Write-protects every page; churner writes then COW. */
			pid = fork();
			if (pid == 0) {
				usleep(2000);
				_exit(0);
			}
			if (pid > 0)
				waitpid(pid, NULL, 0);
			break;
		case OP_MIGRATE:
			if (ctl->nodes < 2)
				continue;
			move_page(a, (int)((rnd >> 24) % ctl->nodes));
			break;
		case OP_MPROTECT:
			/*
			 * Toggle exec: a protection change of every slot that
			 * keeps them writable for the churners.
			 */
			mprotect((void *)(uintptr_t)ctl->base, SLOTS * PG,
				 PROT_READ | PROT_WRITE | ((rnd >> 28) & 1 ? PROT_EXEC : 0));
			break;
		case OP_PAGEOUT:
			if (!ctl->swap)
				continue;
			madvise((void *)(uintptr_t)a, PG, MADV_PAGEOUT);
			break;
		case OP_COMPACT:
			/*
			 * A whole-memory compaction, at most every 5 s: under
			 * TCG one can keep a CPU in the kernel for seconds
			 * (every page it migrates to is zeroed first, with
			 * init_on_alloc), and back to back they starved the
			 * RCU kthread into stall reports.
			 */
			if (kt_now_ns() - last_compact >= 5000000000ull) {
				last_compact = kt_now_ns();
				rpt_write_file("/proc/sys/vm/compact_memory", "1");
			}
			break;
		default:
			break;
		}
		__atomic_add_fetch(&ctl->ops[op], 1, __ATOMIC_RELAXED);
		usleep(500);
	}
	return NULL;
}

static void target_main(void)
{
	pthread_t th[CHURNERS + 1];
	void *base;
	int i;

	base = mmap(NULL, SLOTS * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ctl->scratch = (uint64_t)(uintptr_t)mmap(NULL, CHURNERS * PG, PROT_NONE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED || ctl->scratch == (uint64_t)(uintptr_t)MAP_FAILED)
		_exit(12);
	ctl->base = (uint64_t)(uintptr_t)base;
	madvise(base, SLOTS * PG, MADV_MERGEABLE);
	for (i = 0; i < SLOTS; i++) {
		fill(i, 0, 0);
		end_change(i, 0, 0);
		ctl->slot[i].seq = 0;
	}
	for (i = 0; i < CHURNERS; i++)
		pthread_create(&th[i], NULL, churner, (void *)(uintptr_t)i);
	pthread_create(&th[CHURNERS], NULL, shaker, NULL);
	__atomic_store_n(&ctl->ready, 1, __ATOMIC_RELEASE);
	for (i = 0; i <= CHURNERS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* --- the readers --------------------------------------------------------- */

struct reader {
	volatile uint64_t *map;		/* mirror mapping of the slots */
	int fd;				/* mirror fd, for the pread reader */
	bool use_pread;
	uint64_t seed;
	uint64_t reads, checked, stale, corrupt, sigbus;
	char first_error[320];
};

/* Check slot contents read as w[] against generation gen / constant. */
static int verify(int i, const uint64_t *w, const unsigned int *idx, int n,
		  uint64_t gen, uint64_t konst, struct reader *r)
{
	uint64_t a = slot_addr(i);

	for (int k = 0; k < n; k++) {
		uint64_t want;

		if (konst)
			want = konst;
		else if (idx[k] == 0)
			want = MAGIC;
		else if (idx[k] == 1)
			want = a;
		else if (idx[k] == 2)
			want = gen;
		else if (idx[k] == 3)
			want = mix(a ^ gen ^ MAGIC);
		else
			want = word_of(a, gen, idx[k]);
		if (w[k] == want)
			continue;
		/* An exact older stamp of this slot is stale; else corrupt. */
		if (!konst && idx[k] == 2 && w[k] < gen && w[0] == MAGIC && w[1] == a) {
			uint64_t later = 0, now = 0;

			r->stale++;
			/* Transient or lasting? Look again through both paths. */
			usleep(20000);
			if (r->use_pread)
				pread(r->fd, &later, 8, a + 16);
			else
				rpt_try_load(r->map + i * WORDS + 2, &later);
			pread(r->fd, &now, 8, a + 16);
			snprintf(r->first_error, sizeof(r->first_error),
				 "stale: slot %d shows generation %llu, current %llu (made by %s %llu us "
				 "earlier); 20 ms later it shows %llu, the target has %llu", i,
				 (unsigned long long)w[k], (unsigned long long)gen,
				 op_names[ctl->slot[i].last_op],
				 (unsigned long long)(kt_now_ns() - ctl->slot[i].changed_ns) / 1000,
				 (unsigned long long)later, (unsigned long long)now);
		} else {
			r->corrupt++;
			snprintf(r->first_error, sizeof(r->first_error),
				 "corrupt: slot %d word %u = %#llx, want %#llx (gen %llu%s)",
				 i, idx[k], (unsigned long long)w[k],
				 (unsigned long long)want, (unsigned long long)gen,
				 konst ? ", const" : "");
		}
		return -1;
	}
	return 0;
}

static void *reader(void *arg)
{
	struct reader *r = arg;
	uint64_t rnd = r->seed;

	while (!__atomic_load_n(&ctl->readers_stop, __ATOMIC_RELAXED)) {
		unsigned int idx[8] = { 0, 1, 2, 3 };
		uint64_t w[8], s1, s2, gen, konst;
		int i, sig = 0;

		rnd = mix(rnd);
		i = (int)(rnd % SLOTS);
		for (int k = 4; k < 8; k++)
			idx[k] = 4 + (unsigned int)((rnd >> (8 * k)) % (WORDS - 4));
		s1 = __atomic_load_n(&ctl->slot[i].seq, __ATOMIC_ACQUIRE);
		if (s1 & 1)
			continue;
		gen = ctl->slot[i].gen;
		konst = ctl->slot[i].konst;
		if (r->use_pread) {
			uint64_t page[WORDS];

			if (pread(r->fd, page, PG, slot_addr(i)) != (ssize_t)PG)
				sig = SIGBUS;
			for (int k = 0; k < 8; k++)
				w[k] = page[idx[k]];
		} else {
			for (int k = 0; k < 8 && !sig; k++)
				sig = rpt_try_load(r->map + i * WORDS + idx[k], &w[k]);
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&ctl->slot[i].seq, __ATOMIC_ACQUIRE);
		r->reads++;
		if (s1 != s2)
			continue;	/* changed while we read: no claim */
		r->checked++;
		if (sig) {
			char line[340];

			r->sigbus++;
			snprintf(r->first_error, sizeof(r->first_error),
				 "%s on stable slot %d at %#llx (gen %llu, seq %llu, made by %s %llu us earlier), task %ld",
				 r->use_pread ? "pread error" : strsignal(sig), i,
				 (unsigned long long)slot_addr(i), (unsigned long long)gen,
				 (unsigned long long)s1, op_names[ctl->slot[i].last_op],
				 (unsigned long long)(kt_now_ns() - ctl->slot[i].changed_ns) / 1000,
				 (long)syscall(SYS_gettid));
			/* Into the kernel log, to order it with the module's. */
			snprintf(line, sizeof(line), "t_stress: %s", r->first_error);
			rpt_write_file("/dev/kmsg", line);
			continue;
		}
		verify(i, w, idx, 8, gen, konst, r);
	}
	return NULL;
}

KT_TEST_TIMEOUT(coherence_stress, 900, "mirror readers never see a stale or wrong page while the target churns its mappings")
{
	unsigned int secs = kt_stress_seconds(60);
	struct reader rd[READERS + 1];
	pthread_t th[READERS + 1];
	uint64_t total_checked = 0, bad = 0;
	const char *seed_env = getenv("RP_STRESS_SEED");
	int dev, m, status;
	pid_t target;

	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(ctl != MAP_FAILED);
	ctl->seed = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)kt_now_ns();
	for (ctl->nodes = 0; ; ctl->nodes++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", ctl->nodes);
		if (access(path, F_OK))
			break;
	}
	ctl->swap = rpt_swap_on();
	rpt_write_file("/sys/kernel/debug/dynamic_debug/control", "module remote_proc +p");
	if (access("/sys/kernel/mm/ksm/run", F_OK) == 0) {
		rpt_write_file("/sys/kernel/mm/ksm/sleep_millisecs", "20");
		rpt_write_file("/sys/kernel/mm/ksm/run", "1");
	}
	kt_diag("seed %#llx, %u s, %d NUMA nodes, swap %s, KSM %s",
		(unsigned long long)ctl->seed, secs, ctl->nodes, ctl->swap ? "on" : "off",
		access("/sys/kernel/mm/ksm/run", F_OK) ? "absent" : "on");

	fflush(stdout);
	target = fork();
	KT_ASSERT(target >= 0);
	if (target == 0)
		target_main();
	while (!__atomic_load_n(&ctl->ready, __ATOMIC_ACQUIRE))
		usleep(1000);

	kt_diag("slots at %#llx-%#llx, scratch %#llx", (unsigned long long)ctl->base,
		(unsigned long long)(ctl->base + SLOTS * PG), (unsigned long long)ctl->scratch);
	dev = rpt_dev();
	m = rpt_attach_pid(dev, target, 0);
	KT_ASSERT(m >= 0);
	for (int i = 0; i <= READERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].map = rpt_map(m, ctl->base, SLOTS * PG, PROT_READ);
		KT_ASSERT(rd[i].map != MAP_FAILED);
		rd[i].fd = m;
		rd[i].use_pread = i == READERS;
		rd[i].seed = ctl->seed ^ (0x1000 + i);
		pthread_create(&th[i], NULL, reader, &rd[i]);
	}
	sleep(secs);
	/*
	 * On a slow kernel (KASAN with init_on_free, under TCG) the target
	 * may not have made each kind of change often enough yet: run on
	 * until it has, for up to twice as long again.
	 */
	for (unsigned int extra = 0; extra < 2 * secs && !enough_changes(); extra++)
		sleep(1);
	/*
	 * Readers first: the target exits once told to stop, and a read of
	 * a target that has exited rightly gets SIGBUS, on any slot.
	 */
	__atomic_store_n(&ctl->readers_stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i <= READERS; i++)
		pthread_join(th[i], NULL);
	__atomic_store_n(&ctl->stop, 1, __ATOMIC_RELEASE);
	KT_ASSERT_EQ(waitpid(target, &status, 0), target);
	KT_ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "target failed: 0x%x", status);
	if (access("/sys/kernel/mm/ksm/run", F_OK) == 0)
		rpt_write_file("/sys/kernel/mm/ksm/run", "2");

	for (int op = 0; op < NR_OPS; op++)
		kt_diag("target %-9s %llu", op_names[op], (unsigned long long)ctl->ops[op]);
	for (int i = 0; i <= READERS; i++) {
		kt_diag("reader %d (%s): %llu reads, %llu checked, %llu stale, %llu corrupt, %llu faults%s%s",
			i, rd[i].use_pread ? "pread" : "mmap",
			(unsigned long long)rd[i].reads, (unsigned long long)rd[i].checked,
			(unsigned long long)rd[i].stale, (unsigned long long)rd[i].corrupt,
			(unsigned long long)rd[i].sigbus, rd[i].first_error[0] ? ": " : "",
			rd[i].first_error);
		total_checked += rd[i].checked;
		bad += rd[i].stale + rd[i].corrupt + rd[i].sigbus;
	}
	if (bad) {
		system("cat /sys/kernel/debug/remote_proc/stats | sed 's/^/# stat /'");
		system("dmesg | grep -E 'remote_proc|t_stress' | tail -40 | sed 's/^/# dmesg /'");
	}
	KT_ASSERT_EQ(bad, 0);
	/* The test must have tested: many stable reads across real changes. */
	KT_ASSERT_MSG(total_checked > 1000, "only %llu checked reads",
		      (unsigned long long)total_checked);
	KT_ASSERT(enough_changes());
}
