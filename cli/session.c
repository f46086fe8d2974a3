// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Attaching to a target, and error messages that say what to do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"

void verr_msg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("remote-proc: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr_msg(fmt, ap);
	va_end(ap);
}

void hint(const char *fmt, ...)
{
	va_list ap;

	fputs("  ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *dev_path(void)
{
	return cli.device ? cli.device : REMOTE_PROC_DEV_PATH;
}

/*
 * Whether modprobe would find remote_proc for the running kernel: its
 * modules.dep lists a remote_proc.ko (possibly compressed).
 */
static bool module_installed(const char *release)
{
	char path[256], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", release);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *base;

		if (!colon)
			continue;
		*colon = 0;
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		found = !strncmp(base, "remote_proc.ko", 14) &&
			(!base[14] || base[14] == '.');
	}
	fclose(f);
	return found;
}

/* What to do about the device node that open() refused with err. */
static void open_hints(int err)
{
	const char *path = dev_path();
	struct stat st;

	switch (err) {
	case ENOENT:
		if (cli.device) {
			hint("No such device node; check the --device path.");
		} else if (access("/sys/module/remote_proc", F_OK) == 0) {
			hint("The remote_proc module is loaded but the device node is missing:");
			hint("is devtmpfs mounted on /dev, or did udev fail to create it?");
		} else {
			struct utsname u;

			if (uname(&u))
				snprintf(u.release, sizeof(u.release), "$(uname -r)");
			if (module_installed(u.release)) {
				hint("The remote_proc kernel module is not loaded. Load it with:");
				hint("    sudo modprobe remote_proc");
				break;
			}
			hint("The remote_proc kernel module is not installed for this kernel (%s).",
			     u.release);
			hint("Install it with dkms, which builds it for every kernel that has its");
			hint("headers: sudo apt install linux-headers-%s remote-proc-dkms", u.release);
			hint("(or from a source tree: make && sudo make install-module), then:");
			hint("    sudo modprobe remote_proc");
		}
		break;
	case EACCES:
	case EPERM:
		if (stat(path, &st) == 0)
			hint("The node is owned by uid %u, gid %u, mode %03o; you are uid %u.",
			     (unsigned int)st.st_uid, (unsigned int)st.st_gid,
			     (unsigned int)(st.st_mode & 0777), (unsigned int)geteuid());
		hint("Run as root, or have an administrator give your group access to");
		hint("the node (the packaging's udev rule uses group \"remoteproc\", mode 0660).");
		break;
	case ENODEV:
	case ENXIO:
		hint("The node has no driver behind it: reload the module with");
		hint("    sudo modprobe -r remote_proc && sudo modprobe remote_proc");
		break;
	}
}

/*
 * Whether open() failing with err means there is no device to use: then
 * the reading commands go through /proc/PID/mem. Not for a node the user
 * named, nor for one the administrator keeps from the user (EACCES).
 */
static bool device_absent(int err)
{
	return !cli.device && (err == ENOENT || err == ENODEV || err == ENXIO);
}

static void explain_open(int err)
{
	err_msg("cannot open %s: %s", dev_path(), strerror(err));
	open_hints(err);
	if (device_absent(err))
		hint("Meanwhile maps, dump, peek, watch and find read through /proc/PID/mem.");
}

/* A "Key:\tvalue" line of /proc/PID/status; false when there is none. */
static bool status_field(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			char *v = line + kl + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(val, len, "%s", v);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static void explain_esrch(pid_t pid)
{
	char state[64], tmp[64];

	if (!status_field(pid, "State", state, sizeof(state))) {
		err_msg("cannot attach to process %d: no such process", (int)pid);
		hint("Check the pid (ps, pgrep); the process may have exited.");
		return;
	}
	err_msg("cannot attach to process %d: it has no memory to mirror", (int)pid);
	if (state[0] == 'Z' || state[0] == 'X')
		hint("It has exited: it is a zombie, waiting for its parent to reap it.");
	else if (!status_field(pid, "VmSize", tmp, sizeof(tmp)))
		hint("It is a kernel thread: kernel threads have no user memory.");
	else
		hint("It exited or exec'd a new program while remote-proc attached; try again.");
}

static void explain_eacces(pid_t pid, bool writable)
{
	unsigned int ruid = 0, me = (unsigned int)geteuid(), causes = 0;
	bool uid_known;
	char uid[128], path[64];
	long scope = -1;
	struct stat st;
	FILE *f;

	err_msg("cannot attach to process %d: permission denied", (int)pid);
	hint("Attaching needs what opening /proc/%d/mem%s needs, and the kernel's",
	     (int)pid, writable ? " for writing" : "");
	hint("ptrace-attach check for it failed:");
	uid_known = status_field(pid, "Uid", uid, sizeof(uid)) && sscanf(uid, "%u", &ruid) == 1;
	if (uid_known && ruid != me) {
		hint(" - the process runs as another user (uid %u; you are uid %u);", ruid, me);
		causes++;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if (uid_known && ruid != 0 && stat(path, &st) == 0 && st.st_uid == 0) {
		hint(" - it is not dumpable: /proc/%d is owned by root although it runs as", (int)pid);
		hint("   uid %u (a setuid/setgid program, or prctl(PR_SET_DUMPABLE, 0));", ruid);
		causes++;
	}
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f) {
		if (fscanf(f, "%ld", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	if (scope > 0) {
		hint(" - Yama's ptrace_scope (/proc/sys/kernel/yama/ptrace_scope) is %ld:", scope);
		hint("   %s", scope == 1 ? "only a process's ancestors (or one it names with prctl(PR_SET_PTRACER)) may attach to it;" :
			     scope == 2 ? "only CAP_SYS_PTRACE may attach;" : "nobody may attach;");
		causes++;
	}
	if (!causes) {
		hint(" - usually: another user's process, a setuid/setgid or non-dumpable");
		hint("   process, Yama's ptrace_scope, or an LSM policy (SELinux, AppArmor).");
	}
	hint("Run as root (CAP_SYS_PTRACE), or as the process's user with ptrace_scope 0.");
}

static void explain_attach(int err, pid_t pid, bool writable)
{
	switch (err) {
	case ESRCH:
		explain_esrch(pid);
		break;
	case EACCES:
	case EPERM:
		explain_eacces(pid, writable);
		break;
	default:
		err_msg("cannot attach to process %d: %s", (int)pid, strerror(err));
		if (err == EMFILE || err == ENFILE || err == ENOMEM)
			hint("Out of file descriptors or memory; close something and retry.");
	}
}

int device_open(uint64_t want)
{
	struct remote_proc_dev_info di;
	int dev, ret;

	dev = remote_proc_dev_open(cli.device);
	if (dev < 0) {
		explain_open(-dev);
		return -1;
	}
	ret = remote_proc_dev_handshake(dev, want, &di, sizeof(di));
	if (ret < 0) {
		err_msg("%s: the API handshake failed: %s", dev_path(), strerror(-ret));
		if (ret == -EINVAL)
			hint("The loaded module is too old for this remote-proc (it lacks a needed\n"
			     "  feature%s); install the module from the same release.",
			     want & REMOTE_PROC_HAS_VIEWS ? ": views" : "");
		else if (ret == -ENOTTY)
			hint("%s is not a remote-proc device.", dev_path());
		close(dev);
		return -1;
	}
	return dev;
}

/* Whether the process of our pidfd is gone: its pid may name another now. */
static bool pid_reused(const struct session *s)
{
	return s->pidfd >= 0 &&
	       syscall(SYS_pidfd_send_signal, s->pidfd, 0, NULL, 0) < 0 && errno != EPERM;
}

/*
 * The fallback: the target through /proc/PID/mem (procmem.c). err is why
 * the device could not be opened, 0 when --proc-mem asked for this.
 */
static int session_procmem(struct session *s, int err)
{
	char tgid[32];
	int ret;

	ret = procmem_open(s->pid);
	/* A zombie's file opens but holds no memory: as the attach says. */
	if (ret >= 0 && procmem_dead(ret)) {
		close(ret);
		ret = -ESRCH;
	}
	if (ret >= 0 && pid_reused(s)) {
		close(ret);
		ret = -ESRCH;
	}
	if (ret < 0) {
		explain_attach(-ret, s->pid, false);
		return EXIT_ERROR;
	}
	s->memfd = ret;
	s->procmem = true;
	/*
	 * A thread's /proc/TID/maps goes when the thread exits, its memory
	 * does not: the areas are read from the process's.
	 */
	s->tgid = s->pid;
	if (status_field(s->pid, "Tgid", tgid, sizeof(tgid)) && atoi(tgid) > 0)
		s->tgid = atoi(tgid);
	ret = vmas_read(s->tgid, &s->areas);
	if (ret < 0) {
		explain_attach(ret == -ENOENT ? ESRCH : -ret, s->pid, false);
		return EXIT_ERROR;
	}
	s->info.size = procmem_size();
	if (err) {
		fflush(stdout);
		fprintf(stderr, "remote-proc: %s: %s; reading /proc/%d/mem instead\n"
			"  (read-only and slower; what is shown is a copy made when read, not a live mapping).\n",
			dev_path(), strerror(err), (int)s->pid);
		open_hints(err);
	}
	return EXIT_OK;
}

int session_open(struct session *s, pid_t pid, bool writable)
{
	unsigned int flags = writable ? REMOTE_PROC_MIRROR_WRITE : 0;
	uint64_t want = REMOTE_PROC_HAS_ATTACH_PID | (writable ? REMOTE_PROC_HAS_WRITE : 0);
	int dev, ret;

	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->pidfd = -1;
	s->mirror = -1;
	s->memfd = -1;

	/*
	 * A pidfd of the target, for watch to poll for its exit; thread ids
	 * have none (EINVAL). The library attaches through a pidfd of its
	 * own; ours, still alive after the attach, says the pid was not
	 * reused in between, so both name the process attached.
	 */
	s->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (cli.proc_mem) {		/* never writable: main() refuses poke and view */
		ret = session_procmem(s, 0);
		if (ret)
			session_close(s);
		return ret;
	}
	ret = remote_proc_attach(cli.device, pid, flags);
	if (ret >= 0 && pid_reused(s)) {
		close(ret);
		ret = -ESRCH;
	}
	if (ret < 0) {
		/*
		 * Say which step failed: the device (opening it again prints
		 * why it cannot be), the handshake, or the attach itself
		 * (-ESRCH comes only from the attach). No device at all:
		 * reads go through /proc/PID/mem.
		 */
		if (ret != -ESRCH) {
			dev = writable ? -1 : remote_proc_dev_open(cli.device);
			if (dev >= 0) {
				close(dev);
			} else if (!writable && device_absent(-dev)) {
				ret = session_procmem(s, -dev);
				if (ret)
					session_close(s);
				return ret;
			}
			dev = device_open(want);
			if (dev < 0) {
				session_close(s);
				return EXIT_ERROR;
			}
			close(dev);
		}
		explain_attach(-ret, pid, writable);
		session_close(s);
		return EXIT_ERROR;
	}
	s->mirror = ret;
	ret = remote_proc_mirror_query(s->mirror, &s->info, sizeof(s->info));
	if (ret < 0) {
		err_msg("querying the mirror of %d: %s", (int)pid, strerror(-ret));
		session_close(s);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

void session_close(struct session *s)
{
	if (s->mirror >= 0)
		close(s->mirror);
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->memfd >= 0)
		close(s->memfd);
	vmas_free(&s->areas);
	s->mirror = s->pidfd = s->memfd = -1;
}

bool session_dead(struct session *s)
{
	struct remote_proc_mirror_info mi;

	if (s->procmem)
		return procmem_dead(s->memfd);
	if (remote_proc_mirror_query(s->mirror, &mi, sizeof(mi)) < 0)
		return false;
	return mi.flags & REMOTE_PROC_MIRROR_DEAD;
}

int session_map(struct session *s, uint64_t addr, uint64_t len, void **map)
{
	if (s->procmem)
		return procmem_map(s, addr, len, map);
	return remote_proc_map(s->mirror, addr, len, PROT_READ, 0, map);
}

int session_refresh(struct session *s, void *map, uint64_t addr, uint64_t len)
{
	return s->procmem ? procmem_fill(s, map, addr, len, true) : 0;
}

void session_unmap(void *map, uint64_t len)
{
	remote_proc_unmap(map, len);
}

void explain_map_error(struct session *s, int err, uint64_t addr, uint64_t len)
{
	err_msg("cannot map 0x%llx-0x%llx of process %d: %s",
		(unsigned long long)addr, (unsigned long long)(addr + len),
		(int)s->pid, strerror(err));
	if (err == ENXIO || err == EOVERFLOW)
		hint("The range goes past the target's address space, which ends at 0x%llx.",
		     (unsigned long long)s->info.size);
	else if (err == EACCES)
		hint("The mirror is read-only.");
	else if (err == ENOMEM)
		hint("Not enough address space here for that length; use a smaller LEN.");
}

/* Why addr cannot be read, judged from the target's current areas. */
const char *why_unreadable(struct session *s, uint64_t addr)
{
	static char why[320];
	struct vma_list l;
	const struct vma *v;
	const char *r;

	if (session_dead(s))
		return "the target has exited";
	if (vmas_read(s->pid, &l) < 0)
		return "unreadable (SIGBUS)";
	v = vmas_find(&l, addr);
	r = v ? vma_unmirrorable(v, s->info.size) : NULL;
	if (!v)
		snprintf(why, sizeof(why), "not mapped in the target");
	else if (r)
		snprintf(why, sizeof(why), "%s (%s)", r, vma_label(v));
	else
		snprintf(why, sizeof(why), "%s in %s (past the end of a file, or secret memory)",
			 s->procmem ? "unreadable" : "SIGBUS", vma_label(v));
	vmas_free(&l);
	return why;
}
