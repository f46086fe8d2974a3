// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Revocation across processes: an owner passes a view's access fd over
 * SCM_RIGHTS; consumer threads read continuously; the owner revokes. The
 * consumer sees valid data until the revocation and SIGBUS after it,
 * never a page changed after the revocation, never a page coming back.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define PAGES 32
#define READERS 3

static uint64_t stamp(int page, int version)
{
	return 0x5245564f00000000ull | ((uint64_t)version << 16) | (uint64_t)page;
}

struct consumer {
	volatile uint64_t *map;
	volatile int revoked;		/* the owner said UNMAP returned */
	volatile int stop;
	uint64_t good, sigbus, bad, after_revoke, resurrected;
	char error[160];
};

static void *reader(void *arg)
{
	struct consumer *c = arg;
	uint64_t rnd = (uint64_t)pthread_self();
	bool gone[PAGES] = { false };

	while (!c->stop) {
		int page, sig, was_revoked;
		uint64_t v = 0;

		rnd = rnd * 6364136223846793005ull + 1;
		page = (int)((rnd >> 33) % PAGES);
		was_revoked = __atomic_load_n(&c->revoked, __ATOMIC_ACQUIRE);
		sig = rpt_try_load(c->map + page * (PG / 8), &v);
		if (sig == SIGBUS) {
			__atomic_add_fetch(&c->sigbus, 1, __ATOMIC_RELAXED);
			gone[page] = true;
			continue;
		}
		if (sig || v != stamp(page, 1)) {
			__atomic_add_fetch(&c->bad, 1, __ATOMIC_RELAXED);
			snprintf(c->error, sizeof(c->error), "page %d: signal %d, value %#llx",
				 page, sig, (unsigned long long)v);
		} else if (was_revoked) {
			__atomic_add_fetch(&c->after_revoke, 1, __ATOMIC_RELAXED);
			snprintf(c->error, sizeof(c->error),
				 "page %d readable after the revocation returned", page);
		} else if (gone[page]) {
			__atomic_add_fetch(&c->resurrected, 1, __ATOMIC_RELAXED);
			snprintf(c->error, sizeof(c->error), "page %d came back after SIGBUS", page);
		} else {
			__atomic_add_fetch(&c->good, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/* The consumer process: receives the access fd, reads, reports. */
static void consumer_main(int sock)
{
	struct consumer c = { 0 };
	struct pollfd pfd;
	pthread_t th[READERS];
	int fd = rpt_recv_fd(sock), i;
	char msg;

	c.map = mmap(NULL, PAGES * PG, PROT_READ, MAP_SHARED, fd, 0);
	KT_ASSERT(c.map != MAP_FAILED);
	for (i = 0; i < READERS; i++)
		pthread_create(&th[i], NULL, reader, &c);
	KT_ASSERT_EQ(write(sock, "r", 1), 1);		/* reading */
	KT_ASSERT_EQ(read(sock, &msg, 1), 1);		/* the owner revoked */
	__atomic_store_n(&c.revoked, 1, __ATOMIC_RELEASE);
	pfd = (struct pollfd){ .fd = fd, .events = POLLPRI };
	KT_ASSERT_EQ(poll(&pfd, 1, 5000), 1);
	KT_ASSERT(pfd.revents & POLLPRI);
	usleep(300000);
	c.stop = 1;
	for (i = 0; i < READERS; i++)
		pthread_join(th[i], NULL);
	kt_diag("consumer: %llu good reads before the revocation, %llu SIGBUS, "
		"%llu bad, %llu after it, %llu resurrected%s%s",
		(unsigned long long)c.good, (unsigned long long)c.sigbus,
		(unsigned long long)c.bad, (unsigned long long)c.after_revoke,
		(unsigned long long)c.resurrected, c.error[0] ? ": " : "", c.error);
	KT_ASSERT(c.good > 100 && c.sigbus > 100);
	KT_ASSERT_EQ(c.bad + c.after_revoke + c.resurrected, 0);
	/* The access fd cannot change the layout. */
	KT_ASSERT_EQ(rpt_view_unmap(fd, 0, PG), -ENOTTY);
	_exit(0);
}

KT_TEST_TIMEOUT(revoke_across_processes, 120, "a consumer reading over SCM_RIGHTS sees valid data until the revocation, SIGBUS after, never stale")
{
	int sv[2], dev, ctl, acc, memfd, status;
	char *own, msg;
	pid_t pid;

	KT_ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	fflush(stdout);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		consumer_main(sv[1]);
	}
	close(sv[1]);

	memfd = memfd_create("rpt-revoke", 0);
	KT_ASSERT_OK(ftruncate(memfd, PAGES * PG));
	own = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	KT_ASSERT(own != MAP_FAILED);
	for (int i = 0; i < PAGES; i++)
		*(uint64_t *)(own + i * PG) = stamp(i, 1);
	dev = rpt_dev();
	ctl = rpt_view_create(dev, 0);
	KT_ASSERT(ctl >= 0);
	KT_ASSERT_EQ(rpt_view_map_self(ctl, own, 0, PAGES * PG, RW), 0);
	acc = rpt_view_access(ctl, 0);
	rpt_send_fd(sv[0], acc);
	close(acc);

	KT_ASSERT_EQ(read(sv[0], &msg, 1), 1);	/* the consumer reads */
	usleep(500000);
	KT_ASSERT_EQ(rpt_view_unmap(ctl, 0, PAGES * PG), 0);
	/* Changed after the revocation: no consumer read may ever see this. */
	for (int i = 0; i < PAGES; i++)
		*(uint64_t *)(own + i * PG) = stamp(i, 2);
	KT_ASSERT_EQ(write(sv[0], "x", 1), 1);
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "consumer ended with 0x%x", status);
}
