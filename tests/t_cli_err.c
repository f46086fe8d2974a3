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

#define ASSERT_ERR(needle) RPT_ASSERT_ERR(&P, needle)
#define ASSERT_STATUS(expr, want) RPT_ASSERT_STATUS(&P, expr, want)

static void reload_module(void *arg)
{
	(void)arg;
	rpt_modprobe();
}

KT_TEST(no_module, "without the module loaded, every command says to run modprobe remote_proc")
{
	static const char *const cmds[] = { "maps %d", "dump %d 1000 16", "peek %d 1000",
					    "poke %d 1000 1", "watch %d 1000 8", "find %d x" };

	rpt_need_module();
	kt_set_cleanup(reload_module, NULL);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	for (unsigned int i = 0; i < 6; i++) {
		ASSERT_STATUS(rpt_cli(&P, cmds[i], getpid()), 1);
		ASSERT_ERR("cannot open /dev/remote-proc: No such file or directory");
		ASSERT_ERR("module is not loaded");
		ASSERT_ERR("modprobe remote_proc");
	}
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
	ASSERT_STATUS(rpt_cli(&P, "maps %d", getpid()), 1);
	ASSERT_ERR("cannot open /dev/remote-proc: No such file or directory");
	ASSERT_ERR("not installed for this kernel");
	snprintf(want, sizeof(want), "sudo apt install linux-headers-%s remote-proc-dkms", rel);
	ASSERT_ERR(want);
	KT_ASSERT(!strstr(P.ebuf, "module is not loaded"));
	restore_dep(NULL);
	kt_set_cleanup(NULL, NULL);
	KT_ASSERT(rpt_module_live());
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
	siginfo_t si = { 0 };
	pid_t z;

	rpt_need_module();
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
