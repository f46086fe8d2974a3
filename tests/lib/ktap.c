// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * KTAP test runner: one forked child per test, a timeout per test, and a
 * result line per test. See ktap.h.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define DEFAULT_TIMEOUT 60
#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_SKIP 4

static struct kt_test *tests, **tests_tail = &tests;
static unsigned int n_tests;

/* Shared with the test child, for the skip reason. */
static char *shared_reason;
#define REASON_SIZE 512

static void (*cleanup_fn)(void *);
static void *cleanup_arg;

void kt_register(struct kt_test *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
	n_tests++;
}

void kt_select(bool (*keep)(const struct kt_test *t))
{
	struct kt_test **pp = &tests;

	while (*pp) {
		if (keep(*pp)) {
			pp = &(*pp)->next;
		} else {
			*pp = (*pp)->next;
			n_tests--;
		}
	}
	tests_tail = pp;
}

void kt_set_cleanup(void (*fn)(void *), void *arg)
{
	cleanup_fn = fn;
	cleanup_arg = arg;
}

static void run_cleanup(void)
{
	void (*fn)(void *) = cleanup_fn;

	cleanup_fn = NULL;
	if (fn)
		fn(cleanup_arg);
}

void kt_diag(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	char *line, *save;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("# %s\n", line);
	fflush(stdout);
}

void kt_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kt_diag("%s:%d: %s", file, line, buf);
	run_cleanup();
	_exit(EXIT_FAIL);
}

void kt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (shared_reason)
		vsnprintf(shared_reason, REASON_SIZE, fmt, ap);
	va_end(ap);
	run_cleanup();
	_exit(EXIT_SKIP);
}

uint64_t kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int kt_run_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		kt_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0) {
		cleanup_fn = NULL;
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		kt_fail(__FILE__, __LINE__, "waitpid: %s", strerror(errno));
	return status;
}

int kt_child_signal(void (*fn)(void *), void *arg)
{
	int status = kt_run_child(fn, arg);

	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

unsigned int kt_stress_seconds(unsigned int dflt)
{
	const char *s = getenv("RP_STRESS_SECONDS");

	return s && atoi(s) > 0 ? (unsigned int)atoi(s) : dflt;
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	timed_out = 1;
}

/* Run one test in a child; print its result line; return the exit class. */
static int run_one(struct kt_test *t, unsigned int idx)
{
	unsigned int timeout = t->timeout ? t->timeout : DEFAULT_TIMEOUT;
	struct sigaction sa = { .sa_handler = on_alarm };
	uint64_t start = kt_now_ns();
	int status, ret;
	pid_t pid, w;

	memset(shared_reason, 0, REASON_SIZE);
	if (t->purpose)
		printf("# %s: %s\n", t->name, t->purpose);
	fflush(stdout);

	pid = fork();
	if (pid < 0) {
		printf("not ok %u %s # ERROR fork: %s\n", idx, t->name,
		       strerror(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		setpgid(0, 0);
		alarm(0);
		t->fn();
		fflush(stdout);
		_exit(EXIT_PASS);
	}
	setpgid(pid, pid);

	timed_out = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout);
	do {
		w = waitpid(pid, &status, 0);
	} while (w < 0 && errno == EINTR && !timed_out);
	alarm(0);

	if (timed_out) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		printf("not ok %u %s # TIMEOUT %u seconds\n", idx, t->name,
		       timeout);
		ret = EXIT_FAIL;
		goto out;
	}
	/* Reap anything the test left behind in its process group. */
	kill(-pid, SIGKILL);

	if (WIFSIGNALED(status)) {
		printf("# %s: killed by signal %s\n", t->name,
		       sigabbrev_np(WTERMSIG(status)) ?: "?");
		printf("not ok %u %s\n", idx, t->name);
		ret = EXIT_FAIL;
	} else if (WEXITSTATUS(status) == EXIT_PASS) {
		printf("ok %u %s\n", idx, t->name);
		ret = EXIT_PASS;
	} else if (WEXITSTATUS(status) == EXIT_SKIP) {
		printf("ok %u %s # SKIP %s\n", idx, t->name,
		       shared_reason[0] ? shared_reason : "no reason given");
		ret = EXIT_SKIP;
	} else {
		printf("not ok %u %s\n", idx, t->name);
		ret = EXIT_FAIL;
	}
out:
	printf("# %s: %.2f s\n", t->name, (kt_now_ns() - start) / 1e9);
	fflush(stdout);
	while (waitpid(-pid, NULL, WNOHANG) > 0)
		;
	return ret;
}

int kt_main(int argc, char **argv)
{
	unsigned int idx = 0, failed = 0, n = 0;
	const char *only = getenv("RPT_ONLY_TEST");
	struct kt_test *t;
	int opt;

	while ((opt = getopt(argc, argv, "lt:")) != -1) {
		switch (opt) {
		case 'l':
			for (t = tests; t; t = t->next)
				printf("%s\t%s\n", t->name, t->purpose ?: "");
			return 0;
		case 't':
			only = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [-t test]\n", argv[0]);
			return 2;
		}
	}

	shared_reason = mmap(NULL, REASON_SIZE, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_reason == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (t = tests; t; t = t->next)
		if (!only || !strcmp(only, t->name))
			n++;
	if (only && !n) {
		fprintf(stderr, "no test named %s\n", only);
		return 2;
	}

	printf("KTAP version 1\n1..%u\n", n);
	for (t = tests; t; t = t->next) {
		if (only && strcmp(only, t->name))
			continue;
		if (run_one(t, ++idx) == EXIT_FAIL)
			failed++;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv) __attribute__((weak));
int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
