// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * remote-proc view: share runs a command with an access fd of a new view
 * of target ranges and files, and revokes the view when the command ends;
 * info, watch and dump work on the inherited fd. The commands run as a
 * user would run them, through busybox sh where a test needs a shell.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/proc.h"
#include "lib/rpt.h"

static struct rpt_proc P;

static void get(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	int mem = rpt_open_mem(pid, O_RDONLY);

	KT_ASSERT(mem >= 0);
	KT_ASSERT_EQ(pread(mem, buf, len, addr), (ssize_t)len);
	close(mem);
}

/* "remote-proc view share ... -- sh -c SCRIPT": share ARGS are split at spaces. */
static void share_sh_start(const char *share_args, const char *script)
{
	char *argv[64], *copy = strdup(share_args), *tok, *save;
	int n = 0;

	KT_ASSERT(copy);
	argv[n++] = "remote-proc";
	argv[n++] = "view";
	argv[n++] = "share";
	for (tok = strtok_r(copy, " ", &save); tok && n < 56; tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	argv[n++] = "--";
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = (char *)script;
	argv[n] = NULL;
	rpt_proc_start(&P, -1, false, argv);
	free(copy);
}

static int share_sh(const char *share_args, const char *script)
{
	share_sh_start(share_args, script);
	return rpt_proc_finish(&P, 60000);
}

#define ASSERT_OUT(needle) RPT_ASSERT_OUT(&P, needle)
#define ASSERT_ERR(needle) RPT_ASSERT_ERR(&P, needle)
#define ASSERT_STATUS(expr, want) RPT_ASSERT_STATUS(&P, expr, want)

static char args[512];

#define ARGS(...) (snprintf(args, sizeof(args), __VA_ARGS__), args)

KT_TEST(help, "view --help lists the subcommands; each has --help and help view SUB")
{
	static const char *const subs[] = { "view share", "view info", "view watch", "view dump" };

	ASSERT_STATUS(rpt_cli(&P, "--help"), 0);
	ASSERT_OUT("view SUBCOMMAND");
	ASSERT_STATUS(rpt_cli(&P, "view --help"), 0);
	ASSERT_OUT("Subcommands:");
	ASSERT_STATUS(rpt_cli(&P, "help view"), 0);
	ASSERT_OUT("Subcommands:");
	for (unsigned int i = 0; i < 4; i++)
		rpt_cli_assert_help(&P, subs[i]);
	ASSERT_STATUS(rpt_cli(&P, "view"), 2);
	ASSERT_STATUS(rpt_cli(&P, "view frob"), 2);
	ASSERT_ERR("unknown subcommand 'frob'");
}

KT_TEST(share_read, "share: COMMAND reads target ranges through fd 3; layout printed; revoked at exit")
{
	static const char hello[] = "Hello from the target, via a view!";
	static const char second[] = "second-page-of-the-range";
	struct rpt_target t;
	char want[96];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_target_put(t.pid, a + 0x10, hello, sizeof(hello));
	rpt_target_put(t.pid, a + PG, second, sizeof(second));
	/* ADDR need not be aligned: its page is windowed, ADDR at offset 0x10. */
	ASSERT_STATUS(share_sh(ARGS("%d %llx 5000", t.pid, (unsigned long long)a + 0x10),
			       "echo fd=$REMOTE_PROC_VIEW_FD size=$REMOTE_PROC_VIEW_SIZE; "
			       "head -c 64 <&3 | tail -c 48"), 0);
	ASSERT_OUT("fd=3 size=8192\n");
	ASSERT_OUT(hello);
	ASSERT_ERR("sharing a view with sh, as its fd 3 (read-only):");
	ASSERT_ERR("offset 0x0 ");
	snprintf(want, sizeof(want), "process %d, 0x%llx-0x%llx", t.pid, (unsigned long long)a,
		 (unsigned long long)a + 2 * PG);
	ASSERT_ERR(want);
	snprintf(want, sizeof(want), "(0x%llx is at offset 0x10)", (unsigned long long)a + 0x10);
	ASSERT_ERR(want);
	ASSERT_ERR("sh exited with status 0: revoked the view (generation 1)");

	/* The command's status is share's; view dump is one such command. */
	ASSERT_STATUS(rpt_cli(&P, "view share -q %d %llx 8K -- remote-proc view dump 0x1000 32",
			      t.pid, (unsigned long long)a), 0);
	KT_ASSERT_EQ(P.elen, 0);
	ASSERT_OUT("0x000000001000  73 65 63 6f 6e 64 2d 70");
	ASSERT_OUT("|second-page-of-t|");
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 2);
	ASSERT_STATUS(share_sh(ARGS("-q %d %llx 4K", t.pid, (unsigned long long)a), "exit 7"), 7);
	rpt_target_kill(&t);
}

KT_TEST(share_several, "share: ranges of two targets and a file, one after the other; --fd 0")
{
	struct rpt_target t1, t2;
	uint64_t a1, a2;
	int fd;

	rpt_target_start_helper(&t1);
	rpt_target_start_helper(&t2);
	a1 = rpt_target_anon(&t1, PG);
	a2 = rpt_target_anon(&t2, PG);
	rpt_target_put(t1.pid, a1, "first-target", 12);
	rpt_target_put(t2.pid, a2 + 8, "second-target", 13);
	fd = open("/tmp/view-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(write(fd, "file-contents", 13), 13);
	close(fd);
	/* Files first (options go first), then the ranges as given. */
	ASSERT_STATUS(share_sh(ARGS("--file /tmp/view-file %d %llx 4K %d %llx 16", t1.pid,
				    (unsigned long long)a1, t2.pid, (unsigned long long)a2),
			       "remote-proc view info; remote-proc view dump 0 13; "
			       "remote-proc view dump 3 0x1000 12; remote-proc view dump 0x2008 13"),
		      0);
	ASSERT_OUT("size:        12288 (12K)");
	ASSERT_OUT("windows:     3");
	ASSERT_OUT("|file-contents|");
	ASSERT_OUT("|first-target|");
	ASSERT_OUT("|second-target|");
	ASSERT_ERR("/tmp/view-file, 0x0-0xd");
	ASSERT_ERR("12K in 3 windows");

	/* As standard input: any program reads the view. */
	ASSERT_STATUS(share_sh(ARGS("-q --fd 0 %d %llx 4K", t1.pid, (unsigned long long)a1),
			       "head -c 12"), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "first-target"), "%s", P.obuf);
	unlink("/tmp/view-file");
	rpt_target_kill(&t1);
	rpt_target_kill(&t2);
}

KT_TEST(share_range, "share: a START-END range in place of ADDR LEN, between ranges with a LEN")
{
	struct rpt_target t1, t2;
	char range[64];
	uint64_t a1, a2;

	rpt_target_start_helper(&t1);
	rpt_target_start_helper(&t2);
	a1 = rpt_target_anon(&t1, 2 * PG);
	a2 = rpt_target_anon(&t2, PG);
	rpt_target_put(t1.pid, a1 + PG, "range-page-two", 14);
	rpt_target_put(t2.pid, a2, "after-the-range", 15);
	/* PID START-END takes no LEN: the next argument is a PID again. */
	snprintf(range, sizeof(range), "%llx-%llx", (unsigned long long)a1,
		 (unsigned long long)a1 + 2 * PG);
	ASSERT_STATUS(share_sh(ARGS("%d %s %d %llx 4K", t1.pid, range, t2.pid,
				    (unsigned long long)a2),
			       "remote-proc view info; remote-proc view dump 0x1000 14; "
			       "remote-proc view dump 0x2000 15"), 0);
	ASSERT_OUT("windows:     2");
	ASSERT_OUT("|range-page-two|");
	ASSERT_OUT("|after-the-range|");
	snprintf(range, sizeof(range), "process %d, 0x%llx-0x%llx", t1.pid, (unsigned long long)a1,
		 (unsigned long long)a1 + 2 * PG);
	ASSERT_ERR(range);
	ASSERT_ERR("12K in 2 windows");
	rpt_target_kill(&t1);
	rpt_target_kill(&t2);
}

KT_TEST(share_rw, "share --rw: COMMAND's writes reach the target; without it they fail")
{
	struct rpt_target t;
	char got[16] = "";
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	KT_ASSERT_MSG(share_sh(ARGS("-q %d %llx 4K", t.pid, (unsigned long long)a),
			       "printf read-only >&3") != 0, "a write to a read-only fd succeeded");
	get(t.pid, a, got, 9);
	KT_ASSERT_EQ(got[0], 0);
	ASSERT_STATUS(share_sh(ARGS("--rw %d %llx 4K", t.pid, (unsigned long long)a),
			       "remote-proc view info; printf written-back >&3"), 0);
	ASSERT_OUT("(access fd of a view, writable)");
	ASSERT_ERR("as its fd 3 (read-write):");
	get(t.pid, a, got, 12);
	KT_ASSERT_MSG(!memcmp(got, "written-back", 12), "%.12s", got);
	rpt_target_kill(&t);
}

KT_TEST(info, "view info: kind, size, windows, generation, sealed, sources; --fd N")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	ASSERT_STATUS(rpt_cli(&P, "view share -q %d %llx 8K -- remote-proc view info", t.pid,
			      (unsigned long long)a), 0);
	ASSERT_OUT("fd:          3 (access fd of a view, read-only)\n");
	ASSERT_OUT("size:        8192 (8.0K)\n");
	ASSERT_OUT("windows:     1\n");
	ASSERT_OUT("generation:  0\n");
	ASSERT_OUT("sealed:      no\n");
	ASSERT_OUT("sources:     alive\n");
	ASSERT_STATUS(rpt_cli(&P, "view share --seal --fd 7 %d %llx 4K -- remote-proc view info 7",
			      t.pid, (unsigned long long)a), 0);
	ASSERT_OUT("fd:          7 (access fd of a view, read-only)\n");
	ASSERT_OUT("sealed:      yes\n");
	ASSERT_ERR("the view is sealed");
	rpt_target_kill(&t);
}

KT_TEST(revoke_after_watch, "share --revoke-after: view watch prints the revocation and stops")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	ASSERT_STATUS(rpt_cli(&P, "view share --revoke-after 1 %d %llx 4K -- remote-proc view watch",
			      t.pid, (unsigned long long)a), 0);
	ASSERT_OUT("watching fd 3: access fd of a view, 4.0K, 1 window, generation 0\n");
	ASSERT_OUT("revoked: generation 1, 0 windows left\n");
	ASSERT_OUT("no windows left\n");
	ASSERT_ERR("after 1 s: revoked the view (generation 1)");
	ASSERT_ERR("remote-proc exited with status 0");

	/* After the revocation the fd reads nothing: dump reports the hole. */
	ASSERT_STATUS(share_sh(ARGS("-r 0.2 %d %llx 4K", t.pid, (unsigned long long)a),
			       "sleep 1; remote-proc view dump 0 32"), 3);
	ASSERT_OUT("0x000000000000-0x000000000020  unreadable (32 bytes)");
	ASSERT_ERR("32 bytes of 32 bytes could not be read");
	rpt_target_kill(&t);
}

KT_TEST(revoke_at_exit, "a process COMMAND left behind with the fd sees the view revoked at exit")
{
	struct rpt_target t;
	char buf[4096];
	uint64_t t0;
	ssize_t n = 0;
	uint64_t a;
	int fd;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	unlink("/tmp/view-watch.out");
	ASSERT_STATUS(share_sh(ARGS("%d %llx 4K", t.pid, (unsigned long long)a),
			       "remote-proc view watch >/tmp/view-watch.out 2>&1 </dev/null & "
			       "sleep 0.3"), 0);
	ASSERT_ERR("sh exited with status 0: revoked the view");
	t0 = kt_now_ns();
	while (kt_now_ns() - t0 < 10000000000ull) {
		fd = open("/tmp/view-watch.out", O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : 0;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (strstr(buf, "no windows left"))
			break;
		usleep(50000);
	}
	KT_ASSERT_MSG(strstr(buf, "revoked: generation 1, 0 windows left"), "watch said:\n%s", buf);
	KT_ASSERT_MSG(strstr(buf, "no windows left"), "watch said:\n%s", buf);
	unlink("/tmp/view-watch.out");
	rpt_target_kill(&t);
}

KT_TEST(source_exit, "when a source target exits, view watch hangs up (status 4) and share says so")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_cli_start(&P, -1, false, "view share %d %llx 4K -- remote-proc view watch", t.pid,
		      (unsigned long long)a);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "watching fd 3", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_target_exit(&t);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 4);
	ASSERT_OUT("hang-up: a source process exited or exec'd");
	ASSERT_ERR("a source process exited or exec'd: its windows raise SIGBUS now");
	ASSERT_ERR("exited with status 4");
}

KT_TEST(share_sigterm, "SIGTERM to share revokes the view, is passed on, and the status says so")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	share_sh_start(ARGS("%d %llx 4K", t.pid, (unsigned long long)a), "echo started; exec sleep 30");
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "started", 10000), "%s%s", P.obuf, P.ebuf);
	kill(P.pid, SIGTERM);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 128 + SIGTERM);
	ASSERT_ERR("got SIGTERM: revoked the view (generation 1)");
	ASSERT_ERR("was killed by signal 15");
	rpt_target_kill(&t);
}

KT_TEST(dump_holes, "view dump: holes of the view are reported (status 3); past the end is refused")
{
	static const char mark[] = "still-here";
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_target_put(t.pid, a + PG - 16, mark, sizeof(mark));
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "view share -q %d %llx 8K -- remote-proc view dump 0xff0 4112",
			      t.pid, (unsigned long long)a), 3);
	ASSERT_OUT("0x000000000ff0  73 74 69 6c 6c 2d 68 65");
	ASSERT_OUT("0x000000001000-0x000000002000  unreadable (4.0K)");
	ASSERT_ERR("4.0K of 4.0K could not be read");
	ASSERT_STATUS(rpt_cli(&P, "view share -q %d %llx 8K -- remote-proc view dump 0x2000 1",
			      t.pid, (unsigned long long)a), 1);
	ASSERT_ERR("goes past the end of the view, at 0x2000");
	rpt_target_kill(&t);
}

KT_TEST(errors, "bad fds, bad ranges, bad options: a clear message and a non-zero status")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	ASSERT_STATUS(rpt_cli(&P, "view info 200"), 1);
	ASSERT_ERR("fd 200 is not open in this process");
	ASSERT_STATUS(rpt_cli(&P, "view info 0"), 1);
	ASSERT_ERR("fd 0 is not a view or mirror fd of remote-proc (it is /dev/null)");
	ASSERT_STATUS(rpt_cli(&P, "view watch 0"), 1);
	ASSERT_ERR("is not a view or mirror fd");
	ASSERT_STATUS(rpt_cli(&P, "view dump 0 0 16"), 1);
	ASSERT_ERR("is not a view or mirror fd");
	ASSERT_STATUS(rpt_cli(&P, "view info"), 2);
	ASSERT_ERR("no FD given, and $REMOTE_PROC_VIEW_FD is not set");
	ASSERT_STATUS(rpt_cli(&P, "view info x"), 2);
	ASSERT_ERR("'x' is not an fd number");
	ASSERT_STATUS(rpt_cli(&P, "view dump 0 0 0"), 2);
	ASSERT_ERR("LEN must be at least 1");

	ASSERT_STATUS(rpt_cli(&P, "view share %d ffffffffff600000 4K -- true", t.pid), 1);
	ASSERT_ERR("past the target's address space");
	ASSERT_STATUS(rpt_cli(&P, "view share %d %llx 0 -- true", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("LEN must be at least 1");
	ASSERT_STATUS(rpt_cli(&P, "view share %d %llx 4K", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("expected -- COMMAND");
	ASSERT_STATUS(rpt_cli(&P, "view share %d %llx -- true", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("expected PID ADDR LEN: '");
	ASSERT_ERR("' is not a START-END range, so LEN must follow");
	ASSERT_STATUS(rpt_cli(&P, "view share -- true"), 2);
	ASSERT_ERR("nothing to share");
	ASSERT_STATUS(rpt_cli(&P, "view share --seal -r 1 %d %llx 4K -- true", t.pid,
			      (unsigned long long)a), 2);
	ASSERT_ERR("a sealed view cannot be revoked");
	ASSERT_STATUS(rpt_cli(&P, "view share 4000000 1000 4K -- true"), 1);
	ASSERT_ERR("cannot attach to process 4000000: no such process");
	ASSERT_STATUS(rpt_cli(&P, "view share --file /nonexistent -- true"), 1);
	ASSERT_ERR("cannot open /nonexistent: No such file or directory");
	ASSERT_STATUS(rpt_cli(&P, "view share --file /dev/null -- true"), 1);
	ASSERT_ERR("Give the length");
	ASSERT_STATUS(rpt_cli(&P, "view share -q %d %llx 4K -- /nonexistent", t.pid,
			      (unsigned long long)a), 127);
	ASSERT_ERR("cannot run '/nonexistent'");
	rpt_target_kill(&t);
}
