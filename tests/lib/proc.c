// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "proc.h"
#include "rpt.h"
#include "target.h"

void rpt_share_device(void)
{
	rpt_need_module();
	KT_ASSERT_OK(chown(RPT_DEV, 0, RPT_GROUP));
	KT_ASSERT_OK(chmod(RPT_DEV, 0660));
}

void rpt_become(int uid, bool in_group)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	gid_t groups[1] = { RPT_GROUP };

	KT_ASSERT_OK(setgroups(in_group ? 1 : 0, groups));
	KT_ASSERT_OK(setgid(uid));
	KT_ASSERT_OK(setuid(uid));
	KT_ASSERT_OK(syscall(SYS_capset, &h, d));
}

static long long yama_saved = -1;

void rpt_restore_yama(void)
{
	char v[24];

	kt_set_cleanup(NULL, NULL);
	if (yama_saved >= 0) {
		snprintf(v, sizeof(v), "%lld", yama_saved);
		rpt_write_file(RPT_YAMA, v);
	}
}

static void restore_yama(void *arg)
{
	(void)arg;
	rpt_restore_yama();
}

void rpt_set_yama(int scope)
{
	char v[24];

	if (access(RPT_YAMA, F_OK))
		kt_skip("Yama is not enabled in this kernel");
	if (yama_saved < 0)
		yama_saved = rpt_read_ll(RPT_YAMA);
	kt_set_cleanup(restore_yama, NULL);	/* if the test fails */
	snprintf(v, sizeof(v), "%d", scope);
	KT_ASSERT_EQ(rpt_write_file(RPT_YAMA, v), 0);
}

void rpt_proc_start(struct rpt_proc *p, int uid, bool pty, char *const argv[])
{
	int o[2], e[2], ptm = -1;
	char *pts = NULL;

	memset(p, 0, sizeof(*p));
	if (pty) {
		/* The guest's /init mounts no devpts; terminals need one. */
		if (access("/dev/pts/ptmx", F_OK)) {
			mkdir("/dev/pts", 0755);
			KT_ASSERT_OK(mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666"));
		}
		ptm = posix_openpt(O_RDWR | O_NOCTTY);
		KT_ASSERT(ptm >= 0);
		KT_ASSERT_OK(grantpt(ptm));
		KT_ASSERT_OK(unlockpt(ptm));
		pts = ptsname(ptm);
		KT_ASSERT(pts);
		o[0] = ptm;
		o[1] = -1;
	} else {
		KT_ASSERT_OK(pipe2(o, O_CLOEXEC));
	}
	KT_ASSERT_OK(pipe2(e, O_CLOEXEC));
	fflush(stdout);
	p->pid = fork();
	KT_ASSERT(p->pid >= 0);
	if (p->pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		if (pty) {
			int s = open(pts, O_RDWR);

			if (s < 0)
				_exit(126);
			dup2(s, 1);
			dup2(s, 2);
			setenv("TERM", "xterm", 1);
		} else {
			dup2(o[1], 1);
			dup2(e[1], 2);
		}
		dup2(in, 0);
		if (uid >= 0)
			rpt_become(uid, true);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (!pty)
		close(o[1]);
	close(e[1]);
	p->out = o[0];
	p->err = e[0];
	if (pty) {
		close(e[0]);	/* stderr shares the terminal */
		p->err = -1;
	}
}

/* One read from whichever fd has data; false when both are at EOF or after ms. */
static bool pump(struct rpt_proc *p, int ms)
{
	struct pollfd fds[2] = { { .fd = p->out, .events = POLLIN },
				 { .fd = p->err, .events = POLLIN } };
	int n;

	if (p->out < 0 && p->err < 0)
		return false;
	n = poll(fds, 2, ms);
	if (n <= 0)
		return n < 0 && errno == EINTR;
	for (int i = 0; i < 2; i++) {
		int *fd = i ? &p->err : &p->out;
		char *buf = i ? p->ebuf : p->obuf;
		size_t *len = i ? &p->elen : &p->olen;
		size_t cap = (i ? sizeof(p->ebuf) : sizeof(p->obuf)) - 1;
		char scratch[4096];
		ssize_t r;

		if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = read(*fd, *len < cap ? buf + *len : scratch,
			 *len < cap ? cap - *len : sizeof(scratch));
		if (r <= 0) {		/* EOF; EIO on a pty whose slave closed */
			close(*fd);
			*fd = -1;
			continue;
		}
		if (*len < cap) {
			*len += (size_t)r;
			buf[*len] = 0;
		}
	}
	return true;
}

bool rpt_proc_wait_for(struct rpt_proc *p, const char *needle, unsigned int ms)
{
	uint64_t end = kt_now_ns() + ms * 1000000ull;

	while (!strstr(p->obuf, needle)) {
		uint64_t now = kt_now_ns();

		if (now >= end || !pump(p, (int)((end - now) / 1000000) + 1))
			return strstr(p->obuf, needle) != NULL;
	}
	return true;
}

int rpt_proc_finish(struct rpt_proc *p, unsigned int ms)
{
	uint64_t end = kt_now_ns() + ms * 1000000ull;
	int st;

	while (p->out >= 0 || p->err >= 0) {
		uint64_t now = kt_now_ns();

		if (now >= end)
			break;
		pump(p, (int)((end - now) / 1000000) + 1);
		/* A pty gives no EOF while the child lives; stop when it is gone. */
		if (p->err < 0 && waitpid(p->pid, &st, WNOHANG) == p->pid) {
			while (pump(p, 50))
				;
			goto reaped;
		}
	}
	if (p->out >= 0 || p->err >= 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &st, 0);
		kt_fail(__FILE__, __LINE__, "command still running after %u ms; output:\n%s\n%s",
			ms, p->obuf, p->ebuf);
	}
	KT_ASSERT_EQ(waitpid(p->pid, &st, 0), p->pid);
reaped:
	if (p->out >= 0)
		close(p->out);
	p->out = -1;
	p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return p->status;
}

const char *rpt_cli_opts;

static void cli_vstart(struct rpt_proc *p, int uid, bool pty, const char *fmt, va_list ap)
{
	static char line[1024];
	char *argv[32], *save, *tok;
	int argc = 0, n = 0;

	argv[argc++] = "remote-proc";
	if (rpt_cli_opts)
		n = snprintf(line, sizeof(line), "%s ", rpt_cli_opts);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	for (tok = strtok_r(line, " ", &save); tok && argc < 31; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	rpt_proc_start(p, uid, pty, argv);
}

void rpt_cli_start(struct rpt_proc *p, int uid, bool pty, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vstart(p, uid, pty, fmt, ap);
	va_end(ap);
}

int rpt_cli(struct rpt_proc *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vstart(p, -1, false, fmt, ap);
	va_end(ap);
	return rpt_proc_finish(p, 60000);
}

int rpt_cli_as(struct rpt_proc *p, int uid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vstart(p, uid, false, fmt, ap);
	va_end(ap);
	return rpt_proc_finish(p, 60000);
}

void rpt_cli_assert_help(struct rpt_proc *p, const char *cmd)
{
	char usage[64];

	snprintf(usage, sizeof(usage), "Usage: remote-proc %s ", cmd);
	RPT_ASSERT_STATUS(p, rpt_cli(p, "%s --help", cmd), 0);
	KT_ASSERT_MSG(!strncmp(p->obuf, usage, strlen(usage)), "%s --help:\n%s", cmd, p->obuf);
	RPT_ASSERT_STATUS(p, rpt_cli(p, "help %s", cmd), 0);
	KT_ASSERT_MSG(!strncmp(p->obuf, usage, strlen(usage)), "help %s:\n%s", cmd, p->obuf);
}

unsigned int rpt_count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

void rpt_target_start_helper(struct rpt_target *t)
{
	rpt_need_module();
	rpt_target_exec(t, "/tests/rpt_target", -1, -1);
}

void rpt_target_put(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	int mem = rpt_open_mem(pid, O_RDWR);

	KT_ASSERT(mem >= 0);
	KT_ASSERT_EQ(pwrite(mem, buf, len, addr), (ssize_t)len);
	close(mem);
}
