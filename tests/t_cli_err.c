// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The remote-proc command's errors: each says what is wrong and what to
 * do, and exits with status 1 (2 for an ADDR that cannot be resolved).
 * Unprivileged runs are as uid 1000, in the group the device node is given
 * (see t_security.c).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/proc.h"
#include "lib/rpt.h"

static struct rpt_proc P;

#define ASSERT_OUT(needle) RPT_ASSERT_OUT(&P, needle)
#define ASSERT_ERR(needle) RPT_ASSERT_ERR(&P, needle)
#define ASSERT_STATUS(expr, want) RPT_ASSERT_STATUS(&P, expr, want)

static void reload_module(void *arg)
{
	(void)arg;
	rpt_modprobe();
}

/* No such process, a kernel thread and a zombie: each told apart. */
static void assert_no_memory_explained(void)
{
	siginfo_t si = { 0 };
	pid_t z;

	ASSERT_STATUS(rpt_cli(&P, "maps 1073741800"), 1);
	ASSERT_ERR("cannot attach to process 1073741800: no such process");
	ASSERT_STATUS(rpt_cli(&P, "peek 2 1000"), 1);
	ASSERT_ERR("kernel thread");
	z = fork();
	KT_ASSERT(z >= 0);
	if (z == 0)
		_exit(0);
	KT_ASSERT_OK(waitid(P_PID, z, &si, WEXITED | WNOWAIT));
	ASSERT_STATUS(rpt_cli(&P, "dump %d 1000 8", z), 1);
	ASSERT_ERR("It has exited: it is a zombie");
	waitpid(z, NULL, 0);
}

KT_TEST(no_module, "without the module loaded, poke and view say to run modprobe remote_proc")
{
	static const char *const cmds[] = { "poke %d 1000 1", "view share %d 1000 4096 -- true" };

	rpt_need_module();
	kt_set_cleanup(reload_module, NULL);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	for (unsigned int i = 0; i < 2; i++) {
		ASSERT_STATUS(rpt_cli(&P, cmds[i], getpid()), 1);
		ASSERT_ERR("cannot open /dev/remote-proc: No such file or directory");
		ASSERT_ERR("module is not loaded");
		ASSERT_ERR("modprobe remote_proc");
		ASSERT_ERR("Meanwhile maps, dump, peek, watch and find read through /proc/PID/mem");
	}
	/* A node named with --device is never replaced by /proc/PID/mem. */
	ASSERT_STATUS(rpt_cli(&P, "-d /dev/remote-proc maps %d", getpid()), 1);
	ASSERT_ERR("check the --device path");
	KT_ASSERT(!strstr(P.ebuf, "Meanwhile"));
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	kt_set_cleanup(NULL, NULL);
	ASSERT_STATUS(rpt_cli(&P, "-d /dev/nonexistent maps %d", getpid()), 1);
	ASSERT_ERR("check the --device path");
}

static char dep[300];

static void restore_dep(void *arg)
{
	char bak[320];

	(void)arg;
	snprintf(bak, sizeof(bak), "%s.rp-test", dep);
	rename(bak, dep);
	rpt_modprobe();
}

KT_TEST(no_module_installed, "without the module installed, the hint names the dkms package and the kernel's headers")
{
	char bak[320], want[128];
	const char *rel = rpt_kernel_release();

	rpt_need_module();
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", rel);
	snprintf(bak, sizeof(bak), "%s.rp-test", dep);
	kt_set_cleanup(restore_dep, NULL);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT_OK(rename(dep, bak));
	snprintf(want, sizeof(want), "sudo apt install linux-headers-%s remote-proc-dkms", rel);
	ASSERT_STATUS(rpt_cli(&P, "poke %d 1000 1", getpid()), 1);
	ASSERT_ERR("cannot open /dev/remote-proc: No such file or directory");
	ASSERT_ERR("not installed for this kernel");
	ASSERT_ERR(want);
	KT_ASSERT(!strstr(P.ebuf, "module is not loaded"));
	/* The reading commands go on without it, and say how to get it. */
	ASSERT_STATUS(rpt_cli(&P, "maps %d", getpid()), 0);
	ASSERT_ERR("/dev/remote-proc: No such file or directory; reading /proc/");
	ASSERT_ERR(want);
	restore_dep(NULL);
	kt_set_cleanup(NULL, NULL);
	KT_ASSERT(rpt_module_live());
}

/*
 * The reading commands without the module: through /proc/PID/mem, with a
 * notice on stderr, and the very output they give through a mirror.
 */
KT_TEST(no_module_fallback, "without the module, maps, dump, peek, watch and find read /proc/PID/mem, say so, print the same")
{
	static const char text[] = "read-through-/proc/PID/mem-when-there-is-no-device";
	static char with_mirror[6][sizeof(P.obuf) + 1];
	size_t with_len[6];
	static const char *const cmds[] = {
		"maps %d", "dump %d %llx 0x3000", "peek -t string %d %llx",
		"find %d read-through-/proc/PID/mem-when", "peek -n 3 -t u64 %d %llx",
		"dump -o - %d %llx 0x3000",
	};
	int status[6], want_status[6] = { 0, 3, 0, 0, 0, 3 };
	struct rpt_target t;
	char notice[96];
	uint64_t a;

	rpt_need_module();
	rpt_target_exec(&t, "/tests/rpt_target", -1, -1);
	a = rpt_target_anon(&t, 3 * PG);
	rpt_target_put(t.pid, a + 0x123, text, sizeof(text));
	rpt_target_put(t.pid, a + 2 * PG, text, sizeof(text));
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			kt_set_cleanup(reload_module, NULL);
			KT_ASSERT_EQ(rpt_rmmod(), 0);
		}
		for (unsigned int i = 0; i < 6; i++) {
			if (i == 5)	/* raw bytes to a pipe */
				status[i] = rpt_cli(&P, cmds[i], t.pid, (unsigned long long)a);
			else
				status[i] = rpt_cli(&P, cmds[i], t.pid,
						    (unsigned long long)a + (i == 2 ? 0x123 : 0));
			KT_ASSERT_MSG(status[i] == want_status[i], "'%s' (%s): status %d, not %d\n%s",
				      cmds[i], pass ? "no module" : "mirror", status[i],
				      want_status[i], P.ebuf);
			if (pass == 0) {
				KT_ASSERT(!strstr(P.ebuf, "/mem instead"));
				memcpy(with_mirror[i], P.obuf, P.olen);
				with_mirror[i][P.olen] = 0;
				with_len[i] = P.olen;
				continue;
			}
			snprintf(notice, sizeof(notice),
				 "No such file or directory; reading /proc/%d/mem instead", t.pid);
			ASSERT_ERR(notice);
			ASSERT_ERR("(read-only and slower; what is shown is a copy made when read");
			ASSERT_ERR("modprobe remote_proc");
			KT_ASSERT_MSG(P.olen == with_len[i] && !memcmp(P.obuf, with_mirror[i], P.olen),
				      "'%s': through a mirror:\n%s\nthrough /proc/PID/mem:\n%.*s",
				      cmds[i], with_mirror[i], (int)P.olen, P.obuf);
		}
	}
	/* The text is there (not two identical failures). */
	KT_ASSERT(strstr(with_mirror[2], text));
	KT_ASSERT(strstr(with_mirror[1], "read-through-|"));
	KT_ASSERT_EQ(with_len[5], 3 * PG);
	KT_ASSERT(!memcmp(with_mirror[5] + 0x123, text, sizeof(text)));
	KT_ASSERT_EQ(rpt_count(with_mirror[3], "\n"), 2);
	/* watch copies again at each refresh: it sees the target's stores. */
	rpt_cli_start(&P, -1, false, "watch -i 0.2 %d %llx 16", t.pid, (unsigned long long)a);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "refresh 2", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_STORE, a, 0x5aa5, 0, 0, NULL);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "a5 5a 00 00", 10000), "%s", P.obuf);
	rpt_target_exit(&t);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 4);
	ASSERT_OUT("exited");
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	kt_set_cleanup(NULL, NULL);
}

KT_TEST(no_module_errors, "without the module, no such process, a zombie, a kernel thread and the ptrace check say what they say with it")
{
	struct rpt_target t;

	rpt_need_module();
	rpt_set_yama(0);
	kt_set_cleanup(reload_module, NULL);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	assert_no_memory_explained();
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "find %d abc", t.pid), 1);
	ASSERT_ERR("permission denied");
	ASSERT_ERR("runs as another user (uid 1001; you are uid 1000)");
	KT_ASSERT(!strstr(P.ebuf, "/mem instead"));
	/* Its own process: the fallback needs no device group either. */
	rpt_target_kill(&t);
	rpt_target_exec(&t, "/tests/rpt_target", RPT_USER, RPT_USER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "maps %d", t.pid), 0);
	ASSERT_OUT("[stack]");
	rpt_target_kill(&t);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	kt_set_cleanup(NULL, NULL);
	rpt_restore_yama();
}

KT_TEST(proc_mem_option, "--proc-mem reads only: with poke or view, or with --device, a usage error")
{
	ASSERT_STATUS(rpt_cli(&P, "--proc-mem poke %d 1000 1", getpid()), 2);
	ASSERT_ERR("--proc-mem reads only: poke needs the device");
	ASSERT_STATUS(rpt_cli(&P, "--proc-mem view share %d 1000 4096 -- true", getpid()), 2);
	ASSERT_ERR("--proc-mem reads only: view needs the device");
	ASSERT_STATUS(rpt_cli(&P, "--proc-mem -d /dev/remote-proc maps %d", getpid()), 2);
	ASSERT_ERR("--device and --proc-mem: one or the other");
}

KT_TEST(device_denied, "a user without access to the device node is told who may open it")
{
	struct rpt_target t;

	rpt_need_module();
	KT_ASSERT_OK(chown(RPT_DEV, 0, 0));
	KT_ASSERT_OK(chmod(RPT_DEV, 0600));
	rpt_target_exec(&t, "/tests/rpt_target", RPT_USER, RPT_USER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "maps %d", t.pid), 1);
	ASSERT_ERR("cannot open /dev/remote-proc: Permission denied");
	ASSERT_ERR("owned by uid 0, gid 0, mode 600; you are uid 1000");
	ASSERT_ERR("Run as root");
	rpt_target_kill(&t);
}

KT_TEST(other_user, "attaching to another user's process: the ptrace check and the two uids")
{
	struct rpt_target t;

	rpt_share_device();
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "peek %d 1000", t.pid), 1);
	ASSERT_ERR("permission denied");
	ASSERT_ERR("ptrace-attach check for it failed");
	ASSERT_ERR("runs as another user (uid 1001; you are uid 1000)");
	ASSERT_ERR("Run as root (CAP_SYS_PTRACE)");
	/* Root may: the same command works. */
	ASSERT_STATUS(rpt_cli(&P, "maps %d", t.pid), 0);
	rpt_target_kill(&t);
}

KT_TEST(yama, "Yama ptrace_scope 1 is named as the cause for a same-user, non-child target")
{
	struct rpt_target t;

	rpt_share_device();
	rpt_set_yama(1);
	rpt_target_exec(&t, "/tests/rpt_target", RPT_USER, RPT_USER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "dump %d 1000 8", t.pid), 1);
	ASSERT_ERR("ptrace_scope (/proc/sys/kernel/yama/ptrace_scope) is 1");
	ASSERT_ERR("only a process's ancestors (or one it names with prctl(PR_SET_PTRACER)) may attach to it");
	KT_ASSERT(!strstr(P.ebuf, "another user"));
	rpt_set_yama(0);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "maps %d", t.pid), 0);
	rpt_target_kill(&t);
	rpt_restore_yama();
}

KT_TEST(not_dumpable, "a non-dumpable target of the same user is named as such")
{
	struct rpt_target t;

	rpt_share_device();
	rpt_set_yama(0);
	rpt_target_exec(&t, "/tests/rpt_target", RPT_USER, RPT_USER);
	rpt_do(&t, RPT_OP_DUMPABLE, 0, 0, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "find %d abc", t.pid), 1);
	ASSERT_ERR("it is not dumpable");
	rpt_target_kill(&t);
	rpt_restore_yama();
}

KT_TEST(writable_denied, "poke needs the target writable through /proc/PID/mem; the message says so")
{
	struct rpt_target t;

	rpt_share_device();
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "poke %d 1000 1", t.pid), 1);
	ASSERT_ERR("/mem for writing needs");
	rpt_target_kill(&t);
}

KT_TEST(no_process, "no such process, a zombie and a kernel thread are told apart")
{
	rpt_need_module();
	assert_no_memory_explained();
}

KT_TEST(addr_maps_unreadable, "symbolic ADDR, unreadable /proc/PID/maps: no process, kthread, user")
{
	struct rpt_target t;
	char want[128];

	rpt_share_device();
	ASSERT_STATUS(rpt_cli(&P, "peek 1073741800 [heap]"), 2);
	ASSERT_ERR("cannot resolve '[heap]': cannot read /proc/1073741800/maps: ");
	ASSERT_ERR("/maps: No such file or directory\n");
	ASSERT_ERR("Check the pid");
	ASSERT_STATUS(rpt_cli(&P, "dump 2 [stack] 16"), 2);
	ASSERT_ERR("cannot resolve '[stack]': cannot read /proc/2/maps: No such process");
	ASSERT_ERR("a kernel thread");
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	ASSERT_STATUS(rpt_cli_as(&P, RPT_USER, "watch -n 1 %d rpt_target 16", t.pid), 2);
	snprintf(want, sizeof(want), "cannot read /proc/%d/maps: Permission denied\n", t.pid);
	ASSERT_ERR("cannot resolve 'rpt_target': ");
	ASSERT_ERR(want);
	ASSERT_ERR("needs what attaching needs");
	/* Root may: the same name resolves (the program's ELF header). */
	ASSERT_STATUS(rpt_cli(&P, "peek -w 32 %d rpt_target", t.pid), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "0x464c457f\n"), "%s", P.obuf);
	rpt_target_kill(&t);
}
