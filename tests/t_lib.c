// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libremoteproc: every call, its results and its error paths, through the
 * shared library as installed in the guest (/usr/lib/libremoteproc.so.1).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libremoteproc.h"

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/proc.h"
#include "lib/rpt.h"

/*
 * Every feature; PMD only where the kernel has huge PFN mappings (6.12+)
 * and THPs (not PREEMPT_RT).
 */
#define ALL_FEATURES (REMOTE_PROC_HAS_WRITE | REMOTE_PROC_HAS_RW | \
		      REMOTE_PROC_HAS_ATTACH_PID | REMOTE_PROC_HAS_SELF | \
		      REMOTE_PROC_HAS_VIEWS | REMOTE_PROC_HAS_POPULATE | \
		      (kernel_has_pmd() ? REMOTE_PROC_HAS_PMD : 0) | \
		      (kernel_has_exec() ? REMOTE_PROC_HAS_EXEC : 0))

static bool kernel_has_pmd(void)
{
	return rpt_kernel_at_least(6, 12) &&
	       access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
}

/* 7.2 made the files of every pseudo filesystem non-executable. */
static bool kernel_has_exec(void)
{
	return !rpt_kernel_at_least(7, 2);
}

/* A device fd that passed a handshake. */
static int lib_dev(void)
{
	int dev;

	rpt_need_module();
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT_MSG(dev >= 0, "remote_proc_dev_open: %s", strerror(-dev));
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, 0, NULL, 0), 0);
	return dev;
}

static bool cloexec(int fd)
{
	return fcntl(fd, F_GETFD) & FD_CLOEXEC;
}

static unsigned int count_fds(void)
{
	unsigned int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static struct remote_proc_mirror_info query(int mirror)
{
	struct remote_proc_mirror_info mi;

	KT_ASSERT_EQ(remote_proc_mirror_query(mirror, &mi, sizeof(mi)), 0);
	return mi;
}

/* A forked child that exits at once and is left unreaped. */
static pid_t zombie(void)
{
	siginfo_t si = { 0 };
	pid_t pid = fork();

	KT_ASSERT(pid >= 0);
	if (pid == 0)
		_exit(0);
	KT_ASSERT_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	KT_ASSERT_EQ(si.si_pid, pid);
	return pid;
}

KT_FIXTURE(lib) {
	struct rpt_target t;
	int dev, mirror;	/* writable mirror of t */
};

KT_SETUP(lib)
{
	rpt_target_fork(&self->t);
	self->dev = lib_dev();
	self->mirror = remote_proc_attach_pid(self->dev, self->t.pid, REMOTE_PROC_MIRROR_WRITE);
	KT_ASSERT_MSG(self->mirror >= 0, "attach: %s", strerror(-self->mirror));
}

KT_TEARDOWN(lib)
{
	rpt_target_kill(&self->t);
	close(self->mirror);
	close(self->dev);
}

KT_TEST(lib_version, "remote_proc_lib_version() and _number() match the header's version macros")
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", LIBREMOTEPROC_VERSION_MAJOR,
		 LIBREMOTEPROC_VERSION_MINOR, LIBREMOTEPROC_VERSION_PATCH);
	KT_ASSERT(!strcmp(remote_proc_lib_version(), want));
	KT_ASSERT_EQ(remote_proc_lib_version_number(), LIBREMOTEPROC_VERSION_NUMBER);
	KT_ASSERT_EQ(LIBREMOTEPROC_VERSION_NUMBER,
		     ((uint32_t)LIBREMOTEPROC_VERSION_MAJOR << 16) |
		     ((uint32_t)LIBREMOTEPROC_VERSION_MINOR << 8) |
		     LIBREMOTEPROC_VERSION_PATCH);
	/* Numbers order as versions do, and the module's uses the same encoding. */
	KT_ASSERT(REMOTE_PROC_VERSION(1, 2, 0) > REMOTE_PROC_VERSION(1, 1, 255));
	KT_ASSERT(REMOTE_PROC_VERSION(2, 0, 0) > REMOTE_PROC_VERSION(1, 255, 255));
	KT_ASSERT_EQ(REMOTE_PROC_VERSION(0, 1, 0), 0x100u);
}

KT_TEST(dev_open, "remote_proc_dev_open() opens the device read-write and close-on-exec")
{
	int dev, dev2;

	rpt_need_module();
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT(dev >= 0);
	KT_ASSERT_EQ(fcntl(dev, F_GETFL) & O_ACCMODE, O_RDWR);
	KT_ASSERT(cloexec(dev));
	dev2 = remote_proc_dev_open(REMOTE_PROC_DEV_PATH);
	KT_ASSERT(dev2 >= 0);
	KT_ASSERT_EQ(remote_proc_dev_open("/dev/no-such-node"), -ENOENT);
	close(dev);
	close(dev2);
}

static void reload_module(void *arg)
{
	(void)arg;
	rpt_modprobe();
}

KT_TEST(dev_open_no_module, "without the module, remote_proc_dev_open() fails with -ENOENT")
{
	rpt_need_module();
	kt_set_cleanup(reload_module, NULL);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT_EQ(remote_proc_dev_open(NULL), -ENOENT);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	kt_set_cleanup(NULL, NULL);
	close(lib_dev());
}

static void open_as_user(void *arg)
{
	(void)arg;
	rpt_become(RPT_USER, false);
	_exit(-remote_proc_dev_open(NULL));
}

KT_TEST(dev_open_eacces, "an unprivileged user without access to the node gets -EACCES")
{
	int st;

	rpt_need_module();
	KT_ASSERT_OK(chown(RPT_DEV, 0, 0));
	KT_ASSERT_OK(chmod(RPT_DEV, 0600));
	st = kt_run_child(open_as_user, NULL);
	KT_ASSERT(WIFEXITED(st));
	KT_ASSERT_EQ(WEXITSTATUS(st), EACCES);
}

KT_TEST(handshake_info, "the handshake reports every feature, the ioctls and the module version")
{
	struct remote_proc_dev_info di;
	char want[32];
	FILE *f;
	int dev;

	rpt_need_module();
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT(dev >= 0);
	memset(&di, 0xaa, sizeof(di));
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, ALL_FEATURES, &di, sizeof(di)), 0);
	KT_ASSERT_EQ(di.features, ALL_FEATURES);
	KT_ASSERT_EQ(di.ioctls, 0x1ff);	/* API ... POPULATE */
	KT_ASSERT_EQ(di.api, 1);
	f = fopen("/sys/module/remote_proc/version", "r");
	KT_ASSERT(f);
	KT_ASSERT(fgets(want, sizeof(want), f));
	fclose(f);
	KT_ASSERT_EQ((di.version >> 16) * 1000000 + ((di.version >> 8) & 0xff) * 1000 +
		     (di.version & 0xff),
		     atoi(want) * 1000000 + atoi(strchr(want, '.') + 1) * 1000 +
		     atoi(strrchr(want, '.') + 1));
	close(dev);
}

KT_TEST(handshake_sizes, "handshake info sizes: too small fails, a longer struct gets a zeroed tail")
{
	struct {
		struct remote_proc_dev_info di;
		uint64_t newer[2];
	} big;
	int dev;

	rpt_need_module();
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT(dev >= 0);
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, 0, &big.di, 16), -EINVAL);
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, 0, NULL, 8), -EINVAL);
	memset(&big, 0xaa, sizeof(big));
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, 0, &big.di, sizeof(big)), 0);
	KT_ASSERT_EQ(big.di.features, ALL_FEATURES);
	KT_ASSERT_EQ(big.newer[0], 0);
	KT_ASSERT_EQ(big.newer[1], 0);
	close(dev);
}

KT_TEST(handshake_errors, "handshake: unknown feature -EINVAL (previous one kept), -ENOTTY, -EBADF")
{
	struct rpt_target t;
	int dev, null, m;

	rpt_target_fork(&t);
	dev = lib_dev();
	KT_ASSERT_EQ(remote_proc_dev_handshake(dev, 1ull << 63, NULL, 0), -EINVAL);
	m = remote_proc_attach_pid(dev, t.pid, 0);
	KT_ASSERT_MSG(m >= 0, "attach after a failed handshake: %s", strerror(-m));
	null = open("/dev/null", O_RDWR);
	KT_ASSERT_EQ(remote_proc_dev_handshake(null, 0, NULL, 0), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_dev_handshake(-1, 0, NULL, 0), -EBADF);
	close(null);
	close(m);
	close(dev);
	rpt_target_kill(&t);
}

KT_TEST(attach_before_handshake, "attaching on a device fd without a handshake fails with -EBADFD")
{
	struct rpt_target t;
	int dev;

	rpt_need_module();
	rpt_target_fork(&t);
	dev = remote_proc_dev_open(NULL);
	KT_ASSERT(dev >= 0);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, t.pid, 0), -EBADFD);
	close(dev);
	rpt_target_kill(&t);
}

KT_TEST_F(lib, attach_pid, "attach by pid: a close-on-exec mirror of that process, writable on request")
{
	uint64_t a = rpt_target_anon(&self->t, PG), v = 0;
	struct remote_proc_mirror_info mi = query(self->mirror);
	int ro;

	KT_ASSERT(cloexec(self->mirror));
	KT_ASSERT_EQ(mi.pid, self->t.pid);
	KT_ASSERT_EQ(mi.flags, REMOTE_PROC_MIRROR_WRITABLE);
	rpt_do(&self->t, RPT_OP_STORE, a, 0x1234, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a, &v, 8), 8);
	KT_ASSERT_EQ(v, 0x1234);
	ro = remote_proc_attach_pid(self->dev, self->t.pid, 0);
	KT_ASSERT(ro >= 0);
	KT_ASSERT_EQ(query(ro).flags, 0);
	KT_ASSERT_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(ro);
}

KT_TEST(attach_pid_errors, "attach by pid: -EINVAL, and -ESRCH for no process, a kernel thread, a zombie")
{
	int dev = lib_dev();
	pid_t z;

	KT_ASSERT_EQ(remote_proc_attach_pid(dev, 0, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, -5, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, getpid(), 0x2), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, getpid(), 0x80), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, 0x3ffffff0, 0), -ESRCH);
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, 2, 0), -ESRCH);	/* kthreadd */
	z = zombie();
	KT_ASSERT_EQ(remote_proc_attach_pid(dev, z, 0), -ESRCH);
	waitpid(z, NULL, 0);
	KT_ASSERT_EQ(remote_proc_attach_pid(-1, getpid(), 0), -EBADF);
	close(dev);
}

KT_TEST(attach_self, "a process can attach to itself and read its own memory through the mirror")
{
	static volatile uint64_t word = 0x5e1f5e1f;
	int dev = lib_dev(), m;
	uint64_t *p;

	m = remote_proc_attach_pid(dev, getpid(), 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(remote_proc_map(m, (uintptr_t)&word, 8, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p), 0x5e1f5e1f);
	word = 7;
	KT_ASSERT_EQ(rpt_load(p), 7);
	remote_proc_unmap(p, 8);
	close(m);
	close(dev);
}

struct as_user {
	pid_t target;
};

static void attach_as_user(void *arg)
{
	struct as_user *u = arg;
	int dev, m;

	rpt_become(RPT_USER, true);
	KT_ASSERT_EQ(remote_proc_open_mem(u->target, 0), -EACCES);
	dev = remote_proc_dev_open(NULL);
	if (dev < 0)
		_exit(100);
	if (remote_proc_dev_handshake(dev, 0, NULL, 0))
		_exit(101);
	m = remote_proc_attach_pid(dev, u->target, 0);
	_exit(m >= 0 ? 0 : -m);
}

KT_TEST(attach_eacces, "attaching to another user's process as an unprivileged user: -EACCES")
{
	struct as_user u;
	struct rpt_target t;
	int st;

	rpt_share_device();
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	u.target = t.pid;
	st = kt_run_child(attach_as_user, &u);
	rpt_target_kill(&t);
	KT_ASSERT(WIFEXITED(st));
	KT_ASSERT_EQ(WEXITSTATUS(st), EACCES);
}

KT_TEST_F(lib, open_mem, "remote_proc_open_mem(): read-only or read-write, close-on-exec; errors")
{
	int ro = remote_proc_open_mem(self->t.pid, 0);
	int rw = remote_proc_open_mem(self->t.pid, REMOTE_PROC_MIRROR_WRITE);

	KT_ASSERT(ro >= 0 && rw >= 0);
	KT_ASSERT_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	KT_ASSERT_EQ(fcntl(rw, F_GETFL) & O_ACCMODE, O_RDWR);
	KT_ASSERT(cloexec(ro) && cloexec(rw));
	KT_ASSERT_EQ(remote_proc_open_mem(0, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_open_mem(self->t.pid, 0x4), -EINVAL);
	KT_ASSERT_EQ(remote_proc_open_mem(0x3ffffff0, 0), -ESRCH);
	close(ro);
	close(rw);
}

KT_TEST_F(lib, attach_memfd, "attach with a mem fd: its mode decides what the mirror may do")
{
	uint64_t a = rpt_target_anon(&self->t, PG), v = 5;
	int ro = remote_proc_open_mem(self->t.pid, 0);
	int rw = remote_proc_open_mem(self->t.pid, REMOTE_PROC_MIRROR_WRITE);
	int m1, m2;

	m1 = remote_proc_attach_memfd(self->dev, ro, 0);
	KT_ASSERT(m1 >= 0);
	KT_ASSERT_EQ(query(m1).flags, 0);
	KT_ASSERT_EQ(query(m1).pid, self->t.pid);
	KT_ASSERT_EQ(remote_proc_pwrite(m1, a, &v, 8), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, ro, REMOTE_PROC_MIRROR_WRITE), -EACCES);
	m2 = remote_proc_attach_memfd(self->dev, rw, REMOTE_PROC_MIRROR_WRITE);
	KT_ASSERT(m2 >= 0);
	KT_ASSERT(cloexec(m2));
	/* The mem fd is the caller's to close; the mirror keeps working. */
	close(ro);
	close(rw);
	KT_ASSERT_EQ(remote_proc_pwrite(m2, a, &v, 8), 8);
	KT_ASSERT_EQ(rpt_do(&self->t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 5);
	close(m1);
	close(m2);
}

KT_TEST_F(lib, attach_memfd_errors, "attach with a mem fd: -EBADF for a bad or foreign fd, -ESRCH after exit")
{
	int null = open("/dev/null", O_RDONLY), mem;

	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, -1, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, 1000, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, null, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, null, 0x10), -EINVAL);
	mem = remote_proc_open_mem(self->t.pid, 0);
	KT_ASSERT(mem >= 0);
	rpt_target_exit(&self->t);
	KT_ASSERT_EQ(remote_proc_attach_memfd(self->dev, mem, 0), -ESRCH);
	close(mem);
	close(null);
}

static int pidfd_open(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	KT_ASSERT_MSG(fd >= 0, "pidfd_open: %s", strerror(errno));
	return fd;
}

KT_TEST_F(lib, attach_pidfd, "attach through a pidfd mirrors the pidfd's process")
{
	uint64_t a = rpt_target_anon(&self->t, PG), v = 0;
	int pidfd = pidfd_open(self->t.pid), m;

	rpt_do(&self->t, RPT_OP_STORE, a, 0xfd, 0, 0, NULL);
	m = remote_proc_attach_pidfd(self->dev, pidfd, 0);
	KT_ASSERT_MSG(m >= 0, "attach_pidfd: %s", strerror(-m));
	KT_ASSERT(cloexec(m));
	KT_ASSERT_EQ(query(m).pid, self->t.pid);
	KT_ASSERT_EQ(remote_proc_pread(m, a, &v, 8), 8);
	KT_ASSERT_EQ(v, 0xfd);
	KT_ASSERT_EQ(remote_proc_attach_pidfd(self->dev, pidfd, 0x8), -EINVAL);
	close(m);
	close(pidfd);
}

KT_TEST(attach_pidfd_errors, "attach through a pidfd: -EBADF for non-pidfds, -ESRCH for exited processes")
{
	int dev = lib_dev(), null = open("/dev/null", O_RDONLY), pidfd;
	pid_t z = zombie();

	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, -1, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, 1000, 0), -EBADF);
	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, null, 0), -EBADF);
	pidfd = pidfd_open(z);
	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, pidfd, 0), -ESRCH);	/* zombie */
	waitpid(z, NULL, 0);
	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, pidfd, 0), -ESRCH);	/* reaped */
	close(pidfd);
	close(null);
	close(dev);
}

/*
 * The race attach_pidfd guards against: the pidfd's process dies after
 * its pid was read, and another process gets the pid. Here the library's
 * pidfd_send_signal() call is intercepted (this program defines syscall(),
 * which the shared library binds to), and the target is killed and a
 * new process started under its pid just before the liveness check.
 */
static struct {
	bool armed;
	pid_t victim;
	struct rpt_target successor;
	bool reused;
} race;

static void take_pid(pid_t pid)
{
	char v[24];

	snprintf(v, sizeof(v), "%d", pid - 1);
	if (rpt_write_file("/proc/sys/kernel/ns_last_pid", v) == 0) {
		rpt_target_fork(&race.successor);
		race.reused = race.successor.pid == pid;
	}
}

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;

	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_pidfd_send_signal && race.armed) {
		race.armed = false;
		kill(race.victim, SIGKILL);
		waitpid(race.victim, NULL, 0);
		take_pid(race.victim);
	}
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

KT_TEST(attach_pidfd_race, "a pidfd whose process dies during attach gives -ESRCH and no mirror")
{
	struct rpt_target t;
	unsigned int fds;
	int dev, pidfd;

	rpt_target_fork(&t);
	dev = lib_dev();
	pidfd = pidfd_open(t.pid);
	fds = count_fds();
	race.victim = t.pid;
	race.armed = true;
	KT_ASSERT_EQ(remote_proc_attach_pidfd(dev, pidfd, 0), -ESRCH);
	KT_ASSERT(!race.armed);
	if (race.reused)
		kt_diag("the pid was taken over by a new process, which was not mirrored");
	else
		kt_diag("the pid could not be reused (ns_last_pid); the check still held");
	if (race.successor.pid > 0)
		rpt_target_kill(&race.successor);
	KT_ASSERT_EQ(count_fds(), fds);
	close(pidfd);
	close(dev);
}

KT_TEST_F(lib, mirror_query, "query: flags, pid, size; -ENOTTY on other fds, sizes checked, tail zeroed")
{
	struct {
		struct remote_proc_mirror_info mi;
		uint64_t newer;
	} big;
	struct remote_proc_mirror_info mi;
	int null = open("/dev/null", O_RDONLY);
	uint64_t top = rpt_do(&self->t, RPT_OP_MMAP, 0, PG, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS, NULL);

	memset(&big, 0xaa, sizeof(big));
	KT_ASSERT_EQ(remote_proc_mirror_query(self->mirror, &big.mi, sizeof(big)), 0);
	KT_ASSERT_EQ(big.newer, 0);
	KT_ASSERT_EQ(big.mi.pid, self->t.pid);
	KT_ASSERT_EQ(big.mi.__reserved, 0);
	/* The user address space: page aligned, above the target's mappings. */
	KT_ASSERT_EQ(big.mi.size % PG, 0);
	KT_ASSERT(big.mi.size > top && big.mi.size <= (1ull << 57));
	KT_ASSERT_EQ(remote_proc_mirror_query(self->dev, &mi, sizeof(mi)), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_mirror_query(null, &mi, sizeof(mi)), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_mirror_query(-1, &mi, sizeof(mi)), -EBADF);
	KT_ASSERT_EQ(remote_proc_mirror_query(self->mirror, &mi, 16), -EINVAL);
	KT_ASSERT_EQ(remote_proc_mirror_query(self->mirror, NULL, sizeof(mi)), -EINVAL);
	close(null);
}

KT_TEST_F(lib, mirror_query_dead, "query after the target exits: DEAD; pid 0 once it is reaped")
{
	rpt_target_exit(&self->t);
	KT_ASSERT_EQ(query(self->mirror).flags,
		     REMOTE_PROC_MIRROR_WRITABLE | REMOTE_PROC_MIRROR_DEAD);
	KT_ASSERT_EQ(query(self->mirror).pid, 0);
}

KT_TEST_F(lib, map_unaligned, "map: an unaligned address gives a pointer to exactly that byte")
{
	uint64_t a = rpt_target_anon(&self->t, 2 * PG);
	uint8_t *p;

	rpt_do(&self->t, RPT_OP_STORE, a + 0x120, 0x1122334455667788ull, 0, 0, NULL);
	rpt_do(&self->t, RPT_OP_STORE, a + PG - 8, 0x0807060504030201ull, 0, 0, NULL);
	rpt_do(&self->t, RPT_OP_STORE, a + PG, 0x100f0e0d0c0b0a09ull, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a + 0x123, 5, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ((uintptr_t)p % PG, 0x123);
	KT_ASSERT_EQ(p[0], 0x55);
	KT_ASSERT_EQ(p[4], 0x11);
	KT_ASSERT_EQ(remote_proc_unmap(p, 5), 0);
	/* A range across a page boundary maps both pages. */
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a + PG - 3, 6, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(p[0], 0x06);
	KT_ASSERT_EQ(p[2], 0x08);
	KT_ASSERT_EQ(p[3], 0x09);
	KT_ASSERT_EQ(p[5], 0x0b);
	KT_ASSERT_EQ(remote_proc_unmap(p, 6), 0);
}

KT_TEST_F(lib, map_write, "map PROT_WRITE: stores land in the target's memory")
{
	uint64_t a = rpt_target_anon(&self->t, PG);
	uint64_t *p;

	KT_ASSERT_EQ(remote_proc_map(self->mirror, a + 8, 8, PROT_READ | PROT_WRITE, 0,
				     (void **)&p), 0);
	KT_ASSERT_EQ(rpt_try_store(p, 0xabcdef), 0);
	KT_ASSERT_EQ(rpt_do(&self->t, RPT_OP_LOAD, a + 8, 0, 0, 0, NULL), 0xabcdef);
	remote_proc_unmap(p, 8);
}

KT_TEST_F(lib, map_errors, "map: -EINVAL, -ENXIO past the address space, -EACCES, -ENODEV, -EBADF")
{
	uint64_t a = rpt_target_anon(&self->t, PG), size = query(self->mirror).size;
	int ro = remote_proc_attach_pid(self->dev, self->t.pid, 0);
	void *p;

	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 0, PROT_READ, 0, &p), -EINVAL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 8, PROT_READ, 0x2, &p), -EINVAL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 8, 0x100, 0, &p), -EINVAL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 8, PROT_READ, 0, NULL), -EINVAL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, size, 8, PROT_READ, 0, &p), -ENXIO);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, size - 8, 16, PROT_READ, 0, &p), -ENXIO);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, ~0ull - 5, 4, PROT_READ, 0, &p), -ENXIO);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, ~(size_t)0 - 100, PROT_READ, 0, &p), -ENXIO);
	KT_ASSERT_EQ(remote_proc_map(ro, a, 8, PROT_READ | PROT_WRITE, 0, &p), -EACCES);
	KT_ASSERT_EQ(remote_proc_map(self->dev, a, 8, PROT_READ, 0, &p), -ENODEV);
	KT_ASSERT_EQ(remote_proc_map(-1, a, 8, PROT_READ, 0, &p), -EBADF);
	close(ro);
}

KT_TEST_F(lib, map_hole_sigbus, "a mapping over a hole of the target raises SIGBUS on access")
{
	uint64_t a = rpt_target_anon(&self->t, PG), v;
	void *p;

	rpt_do(&self->t, RPT_OP_MUNMAP, a, PG, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 8, PROT_READ, 0, &p), 0);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	remote_proc_unmap(p, 8);
}

KT_TEST_F(lib, unmap, "unmap removes the whole mapping; bad arguments give -EINVAL")
{
	uint64_t a = rpt_target_anon(&self->t, 2 * PG), v;
	uint8_t *p;

	KT_ASSERT_EQ(remote_proc_map(self->mirror, a + 100, PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_try_load(p + PG - 8, &v), 0);
	KT_ASSERT_EQ(remote_proc_unmap(p, PG), 0);
	KT_ASSERT_EQ(rpt_try_load(p - 100, &v), SIGSEGV);
	KT_ASSERT_EQ(rpt_try_load(p + PG - 8, &v), SIGSEGV);
	KT_ASSERT_EQ(remote_proc_unmap(NULL, 8), -EINVAL);
	KT_ASSERT_EQ(remote_proc_unmap(p, 0), -EINVAL);
}

KT_TEST_F(lib, pread_full, "pread copies a multi-page range at an unaligned address in full")
{
	uint64_t a = rpt_target_anon(&self->t, 4 * PG);
	static uint64_t buf[PG / 2];

	for (uint64_t p = a; p < a + 4 * PG; p += PG)
		rpt_do(&self->t, RPT_OP_STORE, p, p ^ 0x77, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a + PG - 8, buf, 2 * PG + 16), 2 * PG + 16);
	KT_ASSERT_EQ(buf[1], (a + PG) ^ 0x77);
	KT_ASSERT_EQ(buf[1 + PG / 8], (a + 2 * PG) ^ 0x77);
	KT_ASSERT_EQ(buf[1 + PG / 4], (a + 3 * PG) ^ 0x77);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a, buf, 0), 0);
}

KT_TEST_F(lib, pread_partial, "pread into a hole: the bytes before it, then -EIO at the hole")
{
	uint64_t a = rpt_target_anon(&self->t, 3 * PG);
	static char buf[3 * PG];

	rpt_do(&self->t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a + PG - 100, buf, 200), 100);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a + PG, buf, 8), -EIO);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a + PG + 8, buf, 3 * PG - 16), -EIO);
	/* Past the hole it reads again. */
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a + 2 * PG, buf, PG), PG);
}

KT_TEST_F(lib, pread_exited, "pread and pwrite after the target exits fail with -ESRCH")
{
	uint64_t a = rpt_target_anon(&self->t, PG), v = 0;

	rpt_target_exit(&self->t);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, a, &v, 8), -ESRCH);
	KT_ASSERT_EQ(remote_proc_pwrite(self->mirror, a, &v, 8), -ESRCH);
}

KT_TEST_F(lib, pread_errors, "pread: -EINVAL past the largest offset, -EBADF for bad fds")
{
	uint64_t v;

	KT_ASSERT_EQ(remote_proc_pread(self->mirror, 1ull << 63, &v, 8), -EINVAL);
	KT_ASSERT_EQ(remote_proc_pread(-1, 0x1000, &v, 8), -EBADF);
	KT_ASSERT_EQ(remote_proc_pread(self->mirror, 0x1000, &v, (size_t)1 << 63), -EINVAL);
}

KT_TEST_F(lib, pwrite, "pwrite writes in full, stops at a hole, and needs a writable mirror")
{
	uint64_t a = rpt_target_anon(&self->t, 2 * PG);
	int ro = remote_proc_attach_pid(self->dev, self->t.pid, 0);
	static uint64_t buf[PG / 4];

	for (unsigned int i = 0; i < PG / 4; i++)
		buf[i] = 0x1000 + i;
	KT_ASSERT_EQ(remote_proc_pwrite(self->mirror, a, buf, 2 * PG), 2 * PG);
	KT_ASSERT_EQ(rpt_do(&self->t, RPT_OP_LOAD, a + PG + 8, 0, 0, 0, NULL), 0x1000 + PG / 8 + 1);
	KT_ASSERT_EQ(remote_proc_pwrite(ro, a, buf, 8), -EBADF);
	rpt_do(&self->t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_pwrite(self->mirror, a + PG - 16, buf, 64), 16);
	KT_ASSERT_EQ(remote_proc_pwrite(self->mirror, a + PG, buf, 8), -EIO);
	close(ro);
}
