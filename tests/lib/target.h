/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * A target process for tests, driven over a socket: every request is
 * carried out by the target and answered, so when a call returns, the
 * change in the target has completed.
 */
#ifndef _REMOTE_PROC_TARGET_H
#define _REMOTE_PROC_TARGET_H

#include <stdint.h>
#include <sys/types.h>

enum rpt_op {
	RPT_OP_PING = 1,
	RPT_OP_MMAP,		/* a=hint, b=len, c=prot, d=flags, path: file */
	RPT_OP_MUNMAP,		/* a=addr, b=len */
	RPT_OP_MPROTECT,	/* a=addr, b=len, c=prot */
	RPT_OP_MADVISE,		/* a=addr, b=len, c=advice */
	RPT_OP_MREMAP,		/* a=addr, b=oldlen, c=newlen, d=newaddr (0: may move) */
	RPT_OP_STORE,		/* a=addr, b=64-bit value */
	RPT_OP_LOAD,		/* a=addr -> value */
	RPT_OP_FILL,		/* a=addr, b=len, c=byte */
	RPT_OP_FORK,		/* -> pid of a child that pauses (shares COW pages) */
	RPT_OP_EXEC,		/* path: program run as "<path> --rpt-target <fd>" */
	RPT_OP_EXIT,		/* a=status; no answer */
	RPT_OP_TRUNCATE,	/* path, a=length */
	RPT_OP_MOVE_PAGE,	/* a=addr, b=node -> node the page is on after */
	RPT_OP_SECRET,		/* a=len -> address of memfd_secret memory */
	RPT_OP_DUMPABLE,	/* a=value for PR_SET_DUMPABLE */
	RPT_OP_GETPID,
	RPT_OP_MSYNC,		/* a=addr, b=len */
	RPT_OP_SUM,		/* a=addr, b=len -> sum of 64-bit words */
	RPT_OP_MAP_MIRROR,	/* a=pid, b=addr, c=len: map a mirror of pid */
	RPT_OP_HOG,		/* touch memory until killed; no answer */
	RPT_OP_TIME_SUM,	/* a=addr, b=len -> ns to sum it (64-bit words) */
	RPT_OP_TIME_RAND,	/* a=addr, b=len, c=count, d=seed -> ns for c 8-byte loads */
	RPT_OP_TIME_MUNMAP,	/* a=addr, b=len -> ns munmap() took */
	RPT_OP_THREAD,		/* a=1: start a thread -> its tid; a=0: end it */
};

struct rpt_target {
	pid_t pid;
	int sock;
};

/* Fork a target running the request loop. */
void rpt_target_fork(struct rpt_target *t);
/*
 * Start a target by exec'ing path (a helper that runs the request loop),
 * optionally as another user (uid/gid >= 0) first.
 */
void rpt_target_exec(struct rpt_target *t, const char *path, int uid, int gid);
/* One request; returns the result, *err gets errno (0 on success). */
int64_t rpt_call(struct rpt_target *t, enum rpt_op op, uint64_t a, uint64_t b,
		 uint64_t c, uint64_t d, const char *path, int *err);
/* Request that must succeed (fails the test otherwise). */
int64_t rpt_do(struct rpt_target *t, enum rpt_op op, uint64_t a, uint64_t b,
	       uint64_t c, uint64_t d, const char *path);
/* Map len bytes of anonymous read-write memory in the target. */
uint64_t rpt_target_anon(struct rpt_target *t, uint64_t len);
/* Ask the target to exit and reap it. */
void rpt_target_exit(struct rpt_target *t);
/* Kill and reap. */
void rpt_target_kill(struct rpt_target *t);
/* The read loops the benchmark times, the same on both sides. */
uint64_t rpt_sum64(const void *p, uint64_t len);
uint64_t rpt_rand64(const void *p, uint64_t len, uint64_t count, uint64_t seed);
extern volatile uint64_t rpt_bench_sink;

/* The request loop, for helpers and forked targets. */
void rpt_target_loop(int sock) __attribute__((noreturn));
/* Run the request loop if argv asks for it (exec'ed targets). */
void rpt_target_main(int argc, char **argv);

#endif /* _REMOTE_PROC_TARGET_H */
