// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libxpmem-remoteproc against XPMEM's documented behaviour: arguments,
 * permit modes, RDONLY vs RDWR, attach at offsets and fixed addresses,
 * detach / release / remove, fork of maker and attacher, a source munmap
 * (SIGBUS), holes, many peers, and read-modify-write on attached memory.
 * The maker is another process (a child), driven through a pipe.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xpmem.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

#define PS 4096ul
#define NPAGES 16
#define SEG_LEN (NPAGES * PS)

/* A maker process: exports SEG_LEN bytes, then obeys commands. */
struct maker {
	pid_t pid;
	int cmd, reply;
	xpmem_segid_t segid;
	uint64_t base;		/* the region's address in the maker */
};

enum { CMD_EXIT = 'x', CMD_REMOVE = 'r', CMD_UNMAP = 'u', CMD_READ = 'g', CMD_FORK_MAKE = 'f' };

struct msg {
	char cmd;
	uint64_t arg;
};

/* Page p of the region holds words 0x5e900000000 + p * 0x1000 + i. */
static uint64_t pattern(unsigned int page, unsigned int i)
{
	return 0x5e900000000ull + page * 0x1000ull + i;
}

static void put(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(90);
}

static uint64_t get_u64(int fd)
{
	uint64_t v = 0;

	KT_ASSERT_EQ(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	return v;
}

static void maker_loop(int cmd, int reply, uint64_t *r, xpmem_segid_t segid)
{
	struct msg m;

	while (read(cmd, &m, sizeof(m)) == sizeof(m)) {
		switch (m.cmd) {
		case CMD_EXIT:
			_exit(0);
		case CMD_REMOVE:
			put(reply, (uint64_t)xpmem_remove(segid));
			break;
		case CMD_UNMAP:
			put(reply, (uint64_t)munmap(r, SEG_LEN));
			break;
		case CMD_READ:
			put(reply, r[m.arg]);
			break;
		case CMD_FORK_MAKE: {
			/* A child of the maker makes a segment of its own. */
			int p[2];
			pid_t c;

			if (pipe(p) < 0)
				_exit(91);
			c = fork();
			if (c == 0) {
				uint64_t *own = mmap(NULL, SEG_LEN, PROT_READ | PROT_WRITE,
						     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				own[0] = 0xc41d;
				put(p[1], (uint64_t)xpmem_make(own, SEG_LEN, XPMEM_PERMIT_MODE,
							       (void *)0600));
				put(p[1], (uint64_t)(uintptr_t)own);
				pause();
				_exit(0);
			}
			put(reply, (uint64_t)c);
			for (int k = 0; k < 2; k++) {
				uint64_t v;

				if (read(p[0], &v, sizeof(v)) != sizeof(v))
					_exit(92);
				put(reply, v);
			}
			close(p[0]);
			close(p[1]);
			break;
		}
		}
	}
	_exit(0);
}

#define USER 1000
#define GROUP 990		/* remoteproc, the device's group */
#define YAMA "/proc/sys/kernel/yama/ptrace_scope"

/* uid of the next maker (0: root, as the test). */
static int maker_uid;

static void become(int uid)
{
	gid_t groups[1] = { GROUP };

	if (setgroups(1, groups) || setgid(uid) || setuid(uid))
		_exit(93);
	/* setuid() cleared it; a process started by the user has it. */
	if (prctl(PR_SET_DUMPABLE, 1))
		_exit(94);
}

/* Start a maker exporting its region with mode, or the whole space. */
static void maker_start(struct maker *mk, unsigned int mode, bool whole)
{
	int c[2], r[2];

	KT_ASSERT(pipe(c) == 0 && pipe(r) == 0);
	mk->pid = fork();
	KT_ASSERT(mk->pid >= 0);
	if (mk->pid == 0) {
		uint64_t *reg = mmap(NULL, SEG_LEN, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		xpmem_segid_t s;

		close(c[1]);
		close(r[0]);
		if (maker_uid)
			become(maker_uid);
		for (unsigned int p = 0; p < NPAGES; p++)
			for (unsigned int i = 0; i < PS / 8; i++)
				reg[p * PS / 8 + i] = pattern(p, i);
		if (whole)
			s = xpmem_make(0, XPMEM_MAXADDR_SIZE, XPMEM_PERMIT_MODE,
				       (void *)(uintptr_t)mode);
		else
			s = xpmem_make(reg, SEG_LEN, XPMEM_PERMIT_MODE, (void *)(uintptr_t)mode);
		put(r[1], (uint64_t)s);
		put(r[1], (uint64_t)(uintptr_t)reg);
		maker_loop(c[0], r[1], reg, s);
	}
	close(c[0]);
	close(r[1]);
	mk->cmd = c[1];
	mk->reply = r[0];
	mk->segid = (xpmem_segid_t)get_u64(mk->reply);
	mk->base = get_u64(mk->reply);
	KT_ASSERT_MSG(mk->segid > 0, "xpmem_make failed in the maker");
}

static uint64_t maker_do(struct maker *mk, char cmd, uint64_t arg)
{
	struct msg m = { .cmd = cmd, .arg = arg };

	KT_ASSERT_EQ(write(mk->cmd, &m, sizeof(m)), (ssize_t)sizeof(m));
	return get_u64(mk->reply);
}

static void maker_stop(struct maker *mk)
{
	struct msg m = { .cmd = CMD_EXIT };
	int st;

	KT_ASSERT_EQ(write(mk->cmd, &m, sizeof(m)), (ssize_t)sizeof(m));
	KT_ASSERT(waitpid(mk->pid, &st, 0) == mk->pid);
	close(mk->cmd);
	close(mk->reply);
}

static void *attach(xpmem_apid_t apid, off_t off, size_t size, void *vaddr)
{
	struct xpmem_addr a = { .apid = apid, .offset = off };

	return xpmem_attach(a, size, vaddr);
}

#define EXPECT_ERR(call, err) do {						\
	errno = 0;								\
	KT_ASSERT_EQ((long)(call), -1L);					\
	KT_ASSERT_EQ(errno, err);						\
} while (0)

KT_TEST(version_and_init, "xpmem_version() answers and xpmem_init() opens the device")
{
	rpt_need_module();
	KT_ASSERT(xpmem_version() > 0);
	KT_ASSERT_EQ(xpmem_init(), 0);
	EXPECT_ERR(xpmem_ioctl(1, NULL), ENOTTY);
}

KT_TEST(make_arguments, "xpmem_make() and xpmem_remove() refuse bad arguments with EINVAL")
{
	char *r = mmap(NULL, 2 * PS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	xpmem_segid_t s;

	rpt_need_module();
	EXPECT_ERR(xpmem_make(r, PS, 0, (void *)0600), EINVAL);
	EXPECT_ERR(xpmem_make(r, PS, XPMEM_PERMIT_MODE, (void *)01600), EINVAL);
	EXPECT_ERR(xpmem_make(r + 8, PS, XPMEM_PERMIT_MODE, (void *)0600), EINVAL);
	EXPECT_ERR(xpmem_make(r, 0, XPMEM_PERMIT_MODE, (void *)0600), EINVAL);
	EXPECT_ERR(xpmem_make(r, PS + 1, XPMEM_PERMIT_MODE, (void *)0600), EINVAL);
	s = xpmem_make(r, 2 * PS, XPMEM_PERMIT_MODE, (void *)0600);
	KT_ASSERT(s > 0);
	KT_ASSERT_EQ(xpmem_remove(s), 0);
	EXPECT_ERR(xpmem_remove(s), ENOENT);
	EXPECT_ERR(xpmem_remove(0), EINVAL);
	EXPECT_ERR(xpmem_remove(-5), EINVAL);
	/* Not ours: pid 1's segment ids cannot be removed here. */
	EXPECT_ERR(xpmem_remove(((xpmem_segid_t)1 << 32) | 1), EACCES);
	munmap(r, 2 * PS);
}

KT_TEST(get_arguments, "xpmem_get() refuses bad flags, types and ids; unknown segments are ENOENT")
{
	struct maker mk;
	pid_t dead;
	int st;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	EXPECT_ERR(xpmem_get(mk.segid, 0, XPMEM_PERMIT_MODE, NULL), EINVAL);
	EXPECT_ERR(xpmem_get(mk.segid, 3, XPMEM_PERMIT_MODE, NULL), EINVAL);
	EXPECT_ERR(xpmem_get(mk.segid, XPMEM_RDWR, 2, NULL), EINVAL);
	EXPECT_ERR(xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, (void *)0600), EINVAL);
	EXPECT_ERR(xpmem_get(0, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), EINVAL);
	EXPECT_ERR(xpmem_get(-1, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), EINVAL);
	/* The maker's pid with a serial it never gave out. */
	EXPECT_ERR(xpmem_get(mk.segid ^ 0x40000000, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), ENOENT);
	/* A process that never made a segment (no table), and a gone one. */
	EXPECT_ERR(xpmem_get(((xpmem_segid_t)getppid() << 32) | 1, XPMEM_RDWR,
			     XPMEM_PERMIT_MODE, NULL), ENOENT);
	dead = fork();
	if (dead == 0)
		_exit(0);
	KT_ASSERT(waitpid(dead, &st, 0) == dead);
	EXPECT_ERR(xpmem_get(((xpmem_segid_t)dead << 32) | 1, XPMEM_RDWR,
			     XPMEM_PERMIT_MODE, NULL), ENOENT);
	maker_stop(&mk);
}

KT_TEST(read_write_rmw, "an RDWR attachment reads the maker's data; stores and x += 1 reach it")
{
	struct maker mk;
	xpmem_apid_t ap;
	volatile uint64_t *p;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	p = attach(ap, 0, SEG_LEN, NULL);
	KT_ASSERT(p != (void *)-1);
	for (unsigned int pg = 0; pg < NPAGES; pg++)
		KT_ASSERT_EQ(p[pg * PS / 8 + 7], pattern(pg, 7));
	p[3] = 0xfeed;
	KT_ASSERT_EQ(maker_do(&mk, CMD_READ, 3), 0xfeedull);
	/* Read-modify-write, as MPI stacks do on attached memory. */
	p[PS / 8] = 0;
	for (int i = 0; i < 1000; i++)
		p[PS / 8] += 1;
	for (int i = 0; i < 1000; i++)
		__atomic_fetch_add(&p[PS / 8], 1, __ATOMIC_SEQ_CST);
	KT_ASSERT_EQ(maker_do(&mk, CMD_READ, PS / 8), 2000ull);
	KT_ASSERT_EQ(xpmem_detach((void *)p), 0);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	maker_stop(&mk);
}

KT_TEST(permit_modes, "the segment's mode decides RDONLY and RDWR; a read-only attachment cannot store")
{
	struct maker ro, none, grp;
	xpmem_apid_t ap;
	volatile uint64_t *p;
	uint64_t v;

	rpt_need_module();
	maker_start(&ro, 0400, false);
	EXPECT_ERR(xpmem_get(ro.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), EACCES);
	ap = xpmem_get(ro.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	p = attach(ap, 0, PS, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(rpt_try_load(p, &v), 0);
	KT_ASSERT_EQ(v, pattern(0, 0));
	KT_ASSERT_EQ(rpt_try_store(p, 1), SIGSEGV);
	KT_ASSERT_EQ(maker_do(&ro, CMD_READ, 0), pattern(0, 0));
	KT_ASSERT_EQ(xpmem_detach((void *)p), 0);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	maker_stop(&ro);

	/* The owner's bits apply to the owner, even when others' allow more. */
	maker_start(&none, 0066, false);
	EXPECT_ERR(xpmem_get(none.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL), EACCES);
	maker_stop(&none);
	maker_start(&grp, 0466, false);
	EXPECT_ERR(xpmem_get(grp.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), EACCES);
	ap = xpmem_get(grp.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	maker_stop(&grp);
}

KT_TEST(offsets_and_fixed, "attach at page offsets and at a fixed address; bad offsets and sizes are EINVAL")
{
	struct maker mk;
	xpmem_apid_t ap;
	uint64_t *p;
	char *hole;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	p = attach(ap, 5 * PS, 2 * PS, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(p[1], pattern(5, 1));
	KT_ASSERT_EQ(p[PS / 8 + 2], pattern(6, 2));
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	/* A size that is not a page multiple covers the page it ends in. */
	p = attach(ap, 15 * PS, 100, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(p[500], pattern(15, 500));
	KT_ASSERT_EQ(xpmem_detach(p + 3), 0);	/* any address inside detaches */
	/* At a fixed address: the attachment replaces what was there. */
	hole = mmap(NULL, 4 * PS, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(hole != MAP_FAILED);
	p = attach(ap, 2 * PS, 2 * PS, hole + PS);
	KT_ASSERT(p == (uint64_t *)(hole + PS));
	KT_ASSERT_EQ(p[9], pattern(2, 9));
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	munmap(hole, 4 * PS);
	EXPECT_ERR(attach(ap, 8, PS, NULL), EINVAL);
	EXPECT_ERR(attach(ap, -PS, PS, NULL), EINVAL);
	EXPECT_ERR(attach(ap, 0, 0, NULL), EINVAL);
	EXPECT_ERR(attach(ap, 0, SEG_LEN + PS, NULL), EINVAL);
	EXPECT_ERR(attach(ap, SEG_LEN, PS, NULL), EINVAL);
	EXPECT_ERR(attach(ap, 0, PS, (void *)0x10008), EINVAL);
	EXPECT_ERR(attach(0, 0, PS, NULL), EINVAL);
	EXPECT_ERR(attach(ap + 1, 0, PS, NULL), ENOENT);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	EXPECT_ERR(xpmem_release(ap), ENOENT);
	EXPECT_ERR(xpmem_release(0), EINVAL);
	maker_stop(&mk);
}

KT_TEST(release_and_remove, "remove stops new gets; release detaches its attachments; detach of other memory is EINVAL")
{
	struct maker mk;
	xpmem_apid_t ap;
	uint64_t *p, *q, v;
	char *other;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	p = attach(ap, 0, SEG_LEN, NULL);
	q = attach(ap, PS, PS, NULL);
	KT_ASSERT(p != (void *)-1 && q != (void *)-1);
	/* Removed: no new get, existing attachments keep working. */
	KT_ASSERT_EQ(maker_do(&mk, CMD_REMOVE, 0), 0ull);
	EXPECT_ERR(xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL), ENOENT);
	p[4] = 77;
	KT_ASSERT_EQ(maker_do(&mk, CMD_READ, 4), 77ull);
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	KT_ASSERT_EQ(xpmem_detach(p), 0);	/* nothing mapped there: no error */
	other = mmap(NULL, PS, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(other != MAP_FAILED);
	EXPECT_ERR(xpmem_detach(other), EINVAL);
	munmap(other, PS);
	/* Released: the remaining attachment is gone with it. */
	KT_ASSERT_EQ(q[1], pattern(1, 1));
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	KT_ASSERT_EQ(rpt_try_load(q, &v), SIGSEGV);
	EXPECT_ERR(attach(ap, 0, PS, NULL), ENOENT);
	maker_stop(&mk);
}

KT_TEST(maker_exit, "attachments of a maker that exited raise SIGBUS; its ids are unknown")
{
	struct maker mk;
	xpmem_apid_t ap;
	uint64_t *p, v;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	ap = xpmem_get(mk.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	p = attach(ap, 0, SEG_LEN, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(p[PS / 8 * 9], pattern(9, 0));
	maker_stop(&mk);
	KT_ASSERT_EQ(rpt_try_load(p + PS / 8 * 9, &v), SIGBUS);
	EXPECT_ERR(xpmem_get(mk.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL), ENOENT);
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
}

KT_TEST(munmap_and_holes, "a source munmap and the holes of a whole-space segment raise SIGBUS")
{
	struct maker mk;
	xpmem_apid_t ap;
	uint64_t *p, *h, v;

	rpt_need_module();
	maker_start(&mk, 0600, true);
	ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	/* The whole address space: the region is at its own address. */
	p = attach(ap, (off_t)mk.base, SEG_LEN, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(p[PS / 8 * 3 + 1], pattern(3, 1));
	/* Page 0 of the address space is never mapped: a hole. */
	h = attach(ap, 0, PS, NULL);
	KT_ASSERT(h != (void *)-1);
	KT_ASSERT_EQ(rpt_try_load(h, &v), SIGBUS);
	KT_ASSERT_EQ(maker_do(&mk, CMD_UNMAP, 0), 0ull);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	KT_ASSERT_EQ(xpmem_detach(h), 0);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	maker_stop(&mk);
}

KT_TEST(fork_maker_and_attacher, "a forked maker's segments are its own; a forked attacher cannot use its parent's apid")
{
	struct maker mk;
	xpmem_apid_t ap, cap;
	xpmem_segid_t cseg;
	uint64_t *p, cbase;
	pid_t c, grandchild;
	int st;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	grandchild = (pid_t)maker_do(&mk, CMD_FORK_MAKE, 0);
	cseg = (xpmem_segid_t)get_u64(mk.reply);
	cbase = get_u64(mk.reply);
	KT_ASSERT(cseg > 0 && cseg != mk.segid);
	KT_ASSERT_EQ((pid_t)(cseg >> 32), grandchild);
	cap = xpmem_get(cseg, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(cap > 0);
	p = attach(cap, 0, PS, NULL);
	KT_ASSERT(p != (void *)-1);
	KT_ASSERT_EQ(p[0], 0xc41dull);
	KT_ASSERT_EQ(xpmem_detach(p), 0);
	KT_ASSERT(cbase != 0);
	/* The parent maker's segment is unchanged. */
	ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
	KT_ASSERT(ap > 0);
	c = fork();
	KT_ASSERT(c >= 0);
	if (c == 0) {
		xpmem_apid_t own;
		uint64_t *q;

		errno = 0;
		if (attach(ap, 0, PS, NULL) != (void *)-1 || errno != EACCES)
			_exit(1);
		own = xpmem_get(mk.segid, XPMEM_RDONLY, XPMEM_PERMIT_MODE, NULL);
		if (own <= 0)
			_exit(2);
		q = attach(own, 0, PS, NULL);
		if (q == (void *)-1 || q[2] != pattern(0, 2))
			_exit(3);
		_exit(0);
	}
	KT_ASSERT(waitpid(c, &st, 0) == c);
	KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "forked attacher: status %#x", st);
	KT_ASSERT_EQ(xpmem_release(ap), 0);
	KT_ASSERT_EQ(xpmem_release(cap), 0);
	kill(grandchild, SIGKILL);
	maker_stop(&mk);
}

KT_TEST(many_peers, "eight peers increment their own words of one segment 2000 times each")
{
	enum { PEERS = 8, N = 2000 };
	struct maker mk;
	pid_t kids[PEERS];
	int st;

	rpt_need_module();
	maker_start(&mk, 0600, false);
	for (int k = 0; k < PEERS; k++) {
		kids[k] = fork();
		KT_ASSERT(kids[k] >= 0);
		if (kids[k] == 0) {
			xpmem_apid_t ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
			volatile uint64_t *p;

			if (ap <= 0)
				_exit(1);
			p = attach(ap, PS, PS, NULL);
			if (p == (void *)-1)
				_exit(2);
			p[k * 8] = 0;
			for (int i = 0; i < N; i++)
				p[k * 8] += 1;
			_exit(0);
		}
	}
	for (int k = 0; k < PEERS; k++) {
		KT_ASSERT(waitpid(kids[k], &st, 0) == kids[k]);
		KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "peer %d: status %#x", k, st);
	}
	for (int k = 0; k < PEERS; k++)
		KT_ASSERT_EQ(maker_do(&mk, CMD_READ, PS / 8 + k * 8), (uint64_t)N);
	maker_stop(&mk);
}

static long long yama_saved = -1;

static void restore(void *arg)
{
	char v[32];

	(void)arg;
	maker_uid = 0;
	if (yama_saved >= 0) {
		snprintf(v, sizeof(v), "%lld", yama_saved);
		rpt_write_file(YAMA, v);
	}
	if (chown(RPT_DEV, 0, 0) || chmod(RPT_DEV, 0600))
		kt_diag("could not restore %s", RPT_DEV);
}

KT_TEST(yama_scope_1_siblings, "under Yama ptrace_scope 1 a sibling of the maker (an MPI peer) gets and attaches")
{
	struct maker mk;
	pid_t peer;
	int st;

	rpt_need_module();
	if (access(YAMA, F_OK))
		kt_skip("kernel without Yama");
	yama_saved = rpt_read_ll(YAMA);
	kt_set_cleanup(restore, NULL);
	KT_ASSERT_EQ(rpt_write_file(YAMA, "1"), 0);
	KT_ASSERT_OK(chown(RPT_DEV, 0, GROUP));
	KT_ASSERT_OK(chmod(RPT_DEV, 0660));
	maker_uid = USER;
	maker_start(&mk, 0600, false);
	peer = fork();
	KT_ASSERT(peer >= 0);
	if (peer == 0) {
		xpmem_apid_t ap;
		uint64_t *p;

		become(USER);
		ap = xpmem_get(mk.segid, XPMEM_RDWR, XPMEM_PERMIT_MODE, NULL);
		if (ap <= 0)
			_exit(errno == EACCES ? 10 : 11);
		p = attach(ap, 3 * PS, PS, NULL);
		if (p == (void *)-1 || p[5] != pattern(3, 5))
			_exit(12);
		_exit(0);
	}
	KT_ASSERT(waitpid(peer, &st, 0) == peer);
	KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "the sibling peer failed: status %#x (10: EACCES from Yama)", st);
	maker_stop(&mk);
	restore(NULL);
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
