// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Deadlock freedom: A mirrors B while B mirrors A (and each mirrors
 * itself), with threads in both churning their own mappings and their
 * mirror mappings and faulting through the mirrors. Bounded in time; the
 * hung-task detector (30 s in the guest, panicking) stays silent.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

#define REGION (64 * PG)

struct shared {
	uint64_t region[2];	/* each side's churned region */
	pid_t pid[2];
	volatile int ready[2], go, stop;
	uint64_t faults[2], churns[2];
};

static struct shared *sh;

struct side {
	int me, other_mirror, self_mirror;
};

/* Each churner owns half of its side's region. */
struct churner {
	struct side *side;
	int half;
};

static void *churn(void *arg)
{
	struct churner *c = arg;
	struct side *s = c->side;
	uint64_t rnd = (uint64_t)s->me * 977 + c->half + 1;
	char *r = (char *)(uintptr_t)sh->region[s->me];

	while (!sh->stop) {
		uint64_t off = (c->half * 32 + rnd % 28) * PG;

		rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
		switch ((rnd >> 33) % 4) {
		case 0:
			munmap(r + off, PG);
			mmap(r + off, PG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 1:
			madvise(r + off, 4 * PG, MADV_DONTNEED);
			break;
		case 2:
			mprotect(r, REGION, PROT_READ | PROT_WRITE | ((rnd >> 40) & 1 ? PROT_EXEC : 0));
			break;
		default:
			break;
		}
		/* Touch it, so the other side has pages to mirror. */
		r[off + (rnd >> 50) % PG] = (char)rnd;
		__atomic_add_fetch(&sh->churns[s->me], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Map the mirror, fault through it, unmap; again and again. */
static void *fault(void *arg)
{
	struct side *s = arg;
	int fds[2] = { s->other_mirror, s->self_mirror };
	uint64_t regions[2] = { sh->region[!s->me], sh->region[s->me] };
	uint64_t n = 0, v;

	while (!sh->stop) {
		int k = (int)(n++ % 2);
		volatile uint64_t *p = rpt_map(fds[k], regions[k], REGION, PROT_READ);

		if (p == MAP_FAILED)
			continue;
		for (uint64_t o = 0; o < REGION / 8; o += PG / 8)
			rpt_try_load(p + o, &v);
		munmap((void *)p, REGION);
		__atomic_add_fetch(&sh->faults[s->me], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void side_main(int me)
{
	struct side s = { .me = me };
	struct churner c[2] = { { &s, 0 }, { &s, 1 } };
	pthread_t th[4];
	void *r;
	int dev, i;

	r = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		_exit(20);
	memset(r, 1, REGION);
	sh->region[me] = (uint64_t)(uintptr_t)r;
	__atomic_store_n(&sh->ready[me], 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		usleep(1000);

	while (!__atomic_load_n(&sh->pid[!me], __ATOMIC_ACQUIRE))
		usleep(1000);
	dev = rpt_dev();
	s.other_mirror = rpt_attach_pid(dev, sh->pid[!me], 0);
	s.self_mirror = rpt_attach_pid(dev, getpid(), 0);
	if (s.other_mirror < 0 || s.self_mirror < 0)
		_exit(21);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, churn, &c[i]);
	for (i = 2; i < 4; i++)
		pthread_create(&th[i], NULL, fault, &s);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

KT_TEST_TIMEOUT(mutual_mirrors, 600, "A mirrors B while B mirrors A, both churning and faulting: no hang")
{
	unsigned int secs = kt_stress_seconds(60) / 4;
	int status, i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(sh != MAP_FAILED);
	for (i = 0; i < 2; i++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();
		KT_ASSERT(pid >= 0);
		if (pid == 0)
			side_main(i);
		sh->pid[i] = pid;
	}
	while (!sh->ready[0] || !sh->ready[1])
		usleep(1000);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	sleep(secs);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++) {
		KT_ASSERT_EQ(waitpid(sh->pid[i], &status, 0), sh->pid[i]);
		KT_ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "side %d ended with 0x%x", i, status);
	}
	kt_diag("%u s: A churned %llu times and mapped+faulted %llu times, B %llu and %llu",
		secs, (unsigned long long)sh->churns[0], (unsigned long long)sh->faults[0],
		(unsigned long long)sh->churns[1], (unsigned long long)sh->faults[1]);
	KT_ASSERT(sh->faults[0] > 10 && sh->faults[1] > 10);
	KT_ASSERT(sh->churns[0] > 100 && sh->churns[1] > 100);
}
