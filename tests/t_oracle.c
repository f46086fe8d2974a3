// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * /proc/PID/mem as the oracle: for real programs, stopped, every readable
 * mapping read through the mirror must equal /proc/PID/mem byte for byte;
 * what cannot be mirrored ([vvar], [vsyscall], PROT_NONE) fails cleanly.
 */
#include <fcntl.h>
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

static void stop(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	KT_ASSERT_OK(kill(pid, SIGSTOP));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 500 && state != 'T'; i++) {
		f = fopen(path, "r");
		KT_ASSERT(f);
		KT_ASSERT(fscanf(f, "%*d %*s %c", &state) == 1);
		fclose(f);
		if (state != 'T')
			usleep(2000);
	}
	KT_ASSERT_EQ(state, 'T');
}

struct tally {
	unsigned int vmas, pages, equal, both_fail, unmirrorable;
};

/* Compare one mapping [s, e) with perms through the mirror and mem. */
static void compare_vma(int mirror, int mem, uint64_t s, uint64_t e,
			const char *perms, const char *name, struct tally *t)
{
	static char a[PG], b[PG];
	volatile char *map;
	ssize_t r;

	t->vmas++;
	if (s >= (1ull << 63) || (uint64_t)(e - s) > (1ull << 40)) {
		/* [vsyscall]: beyond the mirror's offsets; refused cleanly. */
		KT_ASSERT_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, mirror, (off_t)s),
				ENXIO);
		KT_ASSERT_ERRNO(pread(mirror, a, 8, (off_t)s), EINVAL);
		t->unmirrorable++;
		return;
	}
	map = rpt_map(mirror, s, e - s, PROT_READ);
	KT_ASSERT_MSG(map != MAP_FAILED, "mmap of %s", name);
	for (uint64_t o = 0; o < e - s; o += PG) {
		int sig = rpt_try_copy(b, map + o, PG);

		t->pages++;
		r = pread(mem, a, PG, s + o);
		if (perms[0] != 'r') {
			/* Not readable in the target: the mirror refuses. */
			KT_ASSERT_MSG(sig == SIGBUS, "%s at %#llx (%s): mirror read gave signal %d",
				      name, (unsigned long long)(s + o), perms, sig);
			t->unmirrorable++;
			continue;
		}
		if (r == PG) {
			KT_ASSERT_MSG(!sig, "%s at %#llx: /proc/PID/mem reads it, the mirror raised %s",
				      name, (unsigned long long)(s + o), sigabbrev_np(sig));
			KT_ASSERT_MSG(!memcmp(a, b, PG), "%s at %#llx differs", name,
				      (unsigned long long)(s + o));
			/* pread on the mirror fd too. */
			KT_ASSERT_EQ(pread(mirror, b, PG, s + o), PG);
			KT_ASSERT(!memcmp(a, b, PG));
			t->equal++;
		} else {
			KT_ASSERT_MSG(sig == SIGBUS, "%s at %#llx: /proc/PID/mem fails, mirror gave %d",
				      name, (unsigned long long)(s + o), sig);
			t->both_fail++;
		}
	}
	munmap((void *)map, e - s);
}

static void oracle(pid_t pid, const char *what)
{
	struct tally t = { 0 };
	char path[64], line[512];
	int dev = rpt_dev(), mirror, mem;
	bool vvar = false;
	FILE *f;

	stop(pid);
	mirror = rpt_attach_pid(dev, pid, 0);
	KT_ASSERT(mirror >= 0);
	mem = rpt_open_mem(pid, O_RDONLY);
	KT_ASSERT(mem >= 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;
		char perms[8], name[256] = "";

		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %255s", &s, &e, perms, name) < 3)
			continue;
		if (!name[0])
			strcpy(name, "[anon]");
		vvar |= strstr(name, "[vvar") != NULL;
		compare_vma(mirror, mem, s, e, perms, name, &t);
	}
	fclose(f);
	kt_diag("%s: %u mappings, %u pages: %u equal, %u failing in both, %u refused by the mirror",
		what, t.vmas, t.pages, t.equal, t.both_fail, t.unmirrorable);
	KT_ASSERT(t.equal > 10);
	KT_ASSERT_MSG(vvar, "no [vvar] mapping seen");
	kill(pid, SIGKILL);
}

KT_TEST_TIMEOUT(dynamic_program, 300, "a dynamically linked program: every readable page equals /proc/PID/mem")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_exec(&t, "/tests/rpt_target", -1, -1);
	a = rpt_target_anon(&t, 64 * PG);
	rpt_do(&t, RPT_OP_FILL, a, 64 * PG, 0xa5, 0, NULL);
	rpt_do(&t, RPT_OP_MPROTECT, a + 8 * PG, PG, PROT_NONE, 0, NULL);
	oracle(t.pid, "rpt_target (dynamic)");
	waitpid(t.pid, NULL, 0);
}

KT_TEST_TIMEOUT(busybox, 300, "busybox (static): every readable page equals /proc/PID/mem")
{
	char exe[64], buf[64];
	ssize_t n = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		execl("/bin/busybox", "busybox", "sleep", "1000", (char *)NULL);
		_exit(1);
	}
	snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
	for (int i = 0; i < 500; i++) {
		n = readlink(exe, buf, sizeof(buf) - 1);
		if (n > 0 && !strncmp(buf, "/bin/busybox", 12))
			break;
		usleep(2000);
	}
	usleep(50000);	/* let it reach its sleep */
	oracle(pid, "busybox sleep (static)");
	waitpid(pid, NULL, 0);
}
