// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The narrated demo of `make demo` (tests/demo/demo.sh), run in the suite
 * on every kernel, under timings a user's machine can produce: each step
 * that watches the target through a pipe must wait for this step's watch,
 * never act on output left over from an earlier step, however late the
 * command starts (a slow machine: the demo failed 1 run in 5 at the step
 * where the target exits).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

#define OUT "/tmp/t_demo.out"
#define SLOWBIN "/tmp/t_demo.bin"

/* Run /tests/demo with PATH prefixed by path_head; its output into OUT. */
static int run_demo(const char *path_head)
{
	char path[512];
	int st, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s%s/usr/sbin:/usr/bin:/sbin:/bin",
		 path_head ? path_head : "", path_head ? ":" : "");
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		fd = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("PATH", path, 1);
		if (path_head)
			setenv("RP_DEMO_SLOW", "1", 1);
		alarm(240);
		execl("/tests/demo", "demo", (char *)NULL);
		_exit(127);
	}
	KT_ASSERT(waitpid(pid, &st, 0) == pid);
	return st;
}

/* Print the demo's output as diagnostics (it says which step failed). */
static void show_output(void)
{
	char line[512];
	FILE *f = fopen(OUT, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		kt_diag("demo: %s", line);
	}
	fclose(f);
}

static void expect_success(int st)
{
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		show_output();
	KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "the demo failed (wait status %#x)", st);
}

KT_TEST_TIMEOUT(demo, 300, "the demo of make demo passes in the suite")
{
	rpt_need_module();
	expect_success(run_demo(NULL));
}

/* SLOWBIN/name: sleep a second, then exec cmd with the arguments. */
static void slow_shim(const char *name, const char *cmd)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SLOWBIN, name);
	f = fopen(path, "w");
	KT_ASSERT(f);
	fprintf(f, "#!/bin/sh\nsleep 1\nexec %s \"$@\"\n", cmd);
	KT_ASSERT_EQ(fclose(f), 0);
	KT_ASSERT_EQ(chmod(path, 0755), 0);
}

KT_TEST_TIMEOUT(demo_slow_start, 300, "the demo passes when each command and each pipe's reader start a second late")
{
	rpt_need_module();
	mkdir(SLOWBIN, 0755);
	slow_shim("remote-proc", "/usr/bin/remote-proc");
	expect_success(run_demo(SLOWBIN));
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
