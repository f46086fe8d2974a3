// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * PID 1 of the test guest.
 *
 * Mounts the pseudo filesystems, runs every program listed in /tests/list
 * and forwards its KTAP, as a nested subtest, to the second serial port
 * (ttyS1), which the kernel log cannot write to. The console (ttyS0) gets a
 * copy for people. On kmemleak kernels the leak list is cleared before the
 * suite and scanned after it. The last line on ttyS1 is a completion marker
 * the host requires; then the guest powers off.
 *
 * Kernel command line options read here:
 *   rp.stress=N   seconds for stress tests (exported as RP_STRESS_SECONDS)
 *   rp.only=A,B   run only these test programs
 *   rp.test=NAME  run only this test of each program run
 *   rp.seed=N     seed of the stress tests (RP_STRESS_SEED)
 *   rp.fuzz=N     seconds of fuzzing (RP_FUZZ_SECONDS)
 *   rp.fuzz_seed=N  seed of the fuzzer (RP_FUZZ_SEED)
 *   rp.bench_mib=N  region size of the benchmark (RP_BENCH_MIB)
 *   rp.bench_reps=N runs per benchmark figure, the best kept (RP_BENCH_REPS)
 *   rp.inject=warn  harness self-check: trigger a WARN from the module
 *                 after the first test program
 *   rp.demo=1     run the narrated demo (/tests/demo) instead of the suite
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DONE_MARKER "# remote-proc-harness: done"
#define MAX_PROGS 64

static FILE *result;		/* ttyS1 */
static char cmdline[4096];

static void con(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("[+] ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static void res(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(result, fmt, ap);
	va_end(ap);
	fflush(result);
}

static void poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void die(const char *what)
{
	printf("[x] init: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	poweroff();
}

static void do_mount(const char *src, const char *dst, const char *type,
		     const char *opts)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, opts) && errno != EBUSY)
		die(dst);
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		con("write %s: %s", path, strerror(errno));
	close(fd);
}

static const char *cmdline_opt(const char *key)
{
	static char val[256];
	char *p = cmdline;
	size_t kl = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == cmdline || p[-1] == ' ') && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " \n");

			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + kl + 1, n);
			val[n] = 0;
			return val;
		}
		p += kl;
	}
	return NULL;
}

static void setup(void)
{
	int fd;

	do_mount("proc", "/proc", "proc", NULL);
	do_mount("sysfs", "/sys", "sysfs", NULL);
	do_mount("devtmpfs", "/dev", "devtmpfs", NULL);
	do_mount("tmpfs", "/tmp", "tmpfs", "mode=1777");
	do_mount("tmpfs", "/run", "tmpfs", "mode=755");
	do_mount("debugfs", "/sys/kernel/debug", "debugfs", NULL);
	mkdir("/dev/shm", 01777);
	do_mount("tmpfs", "/dev/shm", "tmpfs", "mode=1777");
	mkdir("/dev/hugepages", 0755);
	mount("hugetlbfs", "/dev/hugepages", "hugetlbfs", 0, NULL);

	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[n > 0 ? n : 0] = 0;
		close(fd);
	}

	result = fopen("/dev/ttyS1", "w");
	if (!result)
		die("/dev/ttyS1");

	/* The OOM killer must pick test targets, never the harness. */
	write_file("/proc/self/oom_score_adj", "-1000");
	/* Report hung tasks well inside the test time limits. */
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "30");
	/* Fault-injection reports are expected in tests; no stack dumps. */
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/fail_page_alloc/verbose", "0");

	setenv("PATH", "/tests:/sbin:/bin:/usr/sbin:/usr/bin", 1);
	setenv("HOME", "/tmp", 1);
	setenv("TERM", "dumb", 1);
	if (cmdline_opt("rp.stress"))
		setenv("RP_STRESS_SECONDS", cmdline_opt("rp.stress"), 1);
	if (cmdline_opt("rp.test"))
		setenv("RPT_ONLY_TEST", cmdline_opt("rp.test"), 1);
	if (cmdline_opt("rp.seed"))
		setenv("RP_STRESS_SEED", cmdline_opt("rp.seed"), 1);
	if (cmdline_opt("rp.fuzz"))
		setenv("RP_FUZZ_SECONDS", cmdline_opt("rp.fuzz"), 1);
	if (cmdline_opt("rp.fuzz_seed"))
		setenv("RP_FUZZ_SEED", cmdline_opt("rp.fuzz_seed"), 1);
	if (cmdline_opt("rp.bench_mib"))
		setenv("RP_BENCH_MIB", cmdline_opt("rp.bench_mib"), 1);
	if (cmdline_opt("rp.bench_reps"))
		setenv("RP_BENCH_REPS", cmdline_opt("rp.bench_reps"), 1);
	if (chdir("/tmp"))
		die("chdir /tmp");
}

static int have_kmemleak(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) == 0;
}

/*
 * Scan for leaks; returns the number of reported objects and copies the
 * report to the kernel log, where the host's log scan sees it too.
 */
static int kmemleak_scan(void)
{
	char buf[4096];
	int fd, kmsg, leaks = 0;
	ssize_t n;

	/* Objects younger than about 5 s are never reported. */
	sleep(6);
	write_file("/sys/kernel/debug/kmemleak", "scan");
	write_file("/sys/kernel/debug/kmemleak", "scan");
	fd = open("/sys/kernel/debug/kmemleak", O_RDONLY);
	if (fd < 0)
		return -1;
	kmsg = open("/dev/kmsg", O_WRONLY);
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *p = buf;

		buf[n] = 0;
		while ((p = strstr(p, "unreferenced object"))) {
			leaks++;
			p++;
		}
		fputs(buf, stdout);
		if (kmsg >= 0)
			write(kmsg, buf, n);
	}
	close(fd);
	if (kmsg >= 0)
		close(kmsg);
	return leaks;
}

struct prog {
	char name[64];
	unsigned int timeout;
};

/* Whether name is one of the comma-separated names in list. */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static int load_list(struct prog *progs)
{
	const char *only = cmdline_opt("rp.only");
	char line[256];
	int n = 0;
	FILE *f;

	f = fopen("/tests/list", "r");
	if (!f)
		die("/tests/list");
	while (n < MAX_PROGS && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %u", progs[n].name, &progs[n].timeout) < 1)
			continue;
		if (!progs[n].timeout)
			progs[n].timeout = 600;
		if (only && !listed(only, progs[n].name))
			continue;
		n++;
	}
	fclose(f);
	/* Programs outside the list (the benchmarks) run when named. */
	if (only && !n) {
		for (const char *p = only; *p && n < MAX_PROGS; n++) {
			size_t len = strcspn(p, ",");

			snprintf(progs[n].name, sizeof(progs[n].name), "%.*s", (int)len, p);
			progs[n].timeout = 3600;
			p += len + (p[len] == ',');
		}
	}
	return n;
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/*
 * Run one program, forwarding its output as an indented KTAP subtest.
 * Returns 1 if it passed: exit status 0, a plan, and as many results as
 * planned with none failed.
 */
static int run_prog(const struct prog *p, unsigned int idx)
{
	unsigned int planned = 0, seen = 0, failed = 0;
	struct sigaction sa = { .sa_handler = on_alarm };
	char path[128], line[4096];
	int pfd[2], status = 0;
	time_t start = time(NULL);
	pid_t pid;
	FILE *in;

	snprintf(path, sizeof(path), "/tests/%s", p->name);
	con("running %s", p->name);
	if (pipe(pfd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		setpgid(0, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execl(path, p->name, (char *)NULL);
		printf("Bail out! exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");

	alarmed = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(p->timeout);
	while (fgets(line, sizeof(line), in)) {
		unsigned int num;

		fputs(line, stdout);
		res("  %s", line);
		if (line[strlen(line) - 1] != '\n')
			res("\n");
		if (sscanf(line, "1..%u", &planned) == 1)
			continue;
		if (sscanf(line, "ok %u", &num) == 1) {
			seen++;
		} else if (sscanf(line, "not ok %u", &num) == 1) {
			seen++;
			failed++;
		}
	}
	if (alarmed) {
		kill(-pid, SIGKILL);
		res("  # %s: killed after %u s\n", p->name, p->timeout);
	}
	alarm(0);
	waitpid(pid, &status, 0);
	fclose(in);

	/* Results that never arrived count as failures, one each. */
	while (seen < planned) {
		res("  not ok %u missing_result # program ended before reporting it\n",
		    ++seen);
		failed++;
	}
	if (!planned) {
		res("  not ok 1 no_plan # program printed no KTAP plan\n");
		failed++;
	}
	if (!WIFEXITED(status) || (WEXITSTATUS(status) && !failed)) {
		res("  not ok %u exit_status # %s ended with wait status 0x%x\n",
		    ++seen, p->name, status);
		failed++;
	}
	res("%s %u %s # %ld s\n", failed ? "not ok" : "ok", idx, p->name,
	    (long)(time(NULL) - start));
	return !failed;
}

/*
 * make demo: run /tests/demo on the console and report its outcome on
 * ttyS1, where the host looks for the success line.
 */
static void run_demo(void)
{
	int status = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl("/tests/demo", "demo", (char *)NULL);
		printf("[x] exec /tests/demo: %s\n", strerror(errno));
		_exit(127);
	}
	waitpid(pid, &status, 0);
	res("# remote-proc-demo: %s (wait status 0x%x)\n",
	    WIFEXITED(status) && !WEXITSTATUS(status) ? "success" : "FAILED", status);
	poweroff();
}

int main(void)
{
	struct prog progs[MAX_PROGS];
	int n, i, kml, failed = 0;
	const char *inject;

	setup();
	if (cmdline_opt("rp.demo"))
		run_demo();
	inject = cmdline_opt("rp.inject");
	kml = have_kmemleak();
	if (kml) {
		/* Forget what boot left behind; report only the suite's leaks. */
		write_file("/sys/kernel/debug/kmemleak", "scan");
		write_file("/sys/kernel/debug/kmemleak", "clear");
	}

	n = load_list(progs);
	res("KTAP version 1\n");
	res("# kernel %s\n", cmdline);
	res("1..%d\n", n + kml);
	for (i = 0; i < n; i++) {
		failed += !run_prog(&progs[i], i + 1);
		if (i == 0 && inject && !strcmp(inject, "warn")) {
			con("harness self-check: triggering a WARN in remote_proc");
			system("modprobe remote_proc");
			write_file("/sys/module/remote_proc/parameters/inject_warn", "1");
		}
	}
	if (kml) {
		int leaks;

		con("scanning for memory leaks");
		leaks = kmemleak_scan();
		res("%s %d kmemleak # %d suspected leaks\n",
		    leaks ? "not ok" : "ok", n + 1, leaks);
		failed += leaks != 0;
	}
	res(DONE_MARKER " (%d of %d failed)\n", failed, n + kml);
	con("suite finished, %d failed", failed);
	poweroff();
	return 0;
}
