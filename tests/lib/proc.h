/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Helpers for the userspace tests (t_lib, t_cli): running code as an
 * unprivileged user, and running the remote-proc command with its output
 * captured.
 */
#ifndef _REMOTE_PROC_PROC_H
#define _REMOTE_PROC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RPT_USER 1000	/* "rpuser" in the guest's /etc/passwd */
#define RPT_OTHER 1001	/* "rpother" */
#define RPT_GROUP 990	/* "remoteproc", which the device node is given */
#define RPT_YAMA "/proc/sys/kernel/yama/ptrace_scope"

/* What the packaging's udev rule does: group "remoteproc", mode 0660. */
void rpt_share_device(void);
/* Become uid (gid = uid), with the device group when in_group; no capabilities. */
void rpt_become(int uid, bool in_group);
/* Set Yama's ptrace_scope for this test (restored if it fails); skips without Yama. */
void rpt_set_yama(int scope);
/* Put back the ptrace_scope the test started with. */
void rpt_restore_yama(void);

/* A child process with its stdout and stderr captured. */
struct rpt_proc {
	pid_t pid;
	int out, err;		/* read ends, -1 once at EOF */
	char obuf[65536], ebuf[16384];
	size_t olen, elen;
	int status;		/* exit code, or 128 + signal */
};

/*
 * Start argv (argv[0] looked up in PATH) as uid (-1: unchanged; else with
 * the device group); stdin is /dev/null. If pty, stdout and stderr go to
 * a pseudo-terminal (captured as out) and TERM is set to xterm.
 */
void rpt_proc_start(struct rpt_proc *p, int uid, bool pty, char *const argv[]);
/* Read output until stdout contains needle; false on EOF or after ms. */
bool rpt_proc_wait_for(struct rpt_proc *p, const char *needle, unsigned int ms);
/* Read until exit; kills it and fails the test after ms. Returns the status. */
int rpt_proc_finish(struct rpt_proc *p, unsigned int ms);
/*
 * Options given to every command started below, before ARGS (NULL: none);
 * t_cli_procmem sets "--proc-mem".
 */
extern const char *rpt_cli_opts;
/* Start "remote-proc ARGS" (ARGS split at spaces); see rpt_proc_start(). */
void rpt_cli_start(struct rpt_proc *p, int uid, bool pty, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Run "remote-proc ARGS" as root, or as uid; returns the exit status. */
int rpt_cli(struct rpt_proc *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int rpt_cli_as(struct rpt_proc *p, int uid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Assertions on the last run of p (KT_ASSERT_MSG, from ktap.h): its stdout
 * or stderr contains needle; expr, its exit status, is want.
 */
#define RPT_ASSERT_OUT(p, needle)						\
	KT_ASSERT_MSG(strstr((p)->obuf, needle), "no \"%s\" in stdout:\n%s\nstderr:\n%s", \
		      needle, (p)->obuf, (p)->ebuf)
#define RPT_ASSERT_ERR(p, needle)						\
	KT_ASSERT_MSG(strstr((p)->ebuf, needle), "no \"%s\" in stderr:\n%s", needle, (p)->ebuf)
#define RPT_ASSERT_STATUS(p, expr, want)					\
	KT_ASSERT_MSG((expr) == (want), "exit status %d, not %d; stdout:\n%s\nstderr:\n%s", \
		      (p)->status, want, (p)->obuf, (p)->ebuf)
/* "remote-proc CMD --help" and "remote-proc help CMD" print CMD's usage. */
void rpt_cli_assert_help(struct rpt_proc *p, const char *cmd);
/* Count the occurrences of needle in a buffer. */
unsigned int rpt_count(const char *hay, const char *needle);

struct rpt_target;
/* The module loaded, then the rpt_target helper exec'd as this user. */
void rpt_target_start_helper(struct rpt_target *t);
/* Write bytes into a process through its mem file (the tests' own oracle). */
void rpt_target_put(pid_t pid, uint64_t addr, const void *buf, size_t len);

#endif /* _REMOTE_PROC_PROC_H */
