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
#include <limits.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
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
	KT_ASSERT_EQ(LIBREMOTEPROC_VERSION_NUMBER, REMOTE_PROC_VERSION(1, 3, 0));
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

/* 1.3: the helpers. */

KT_TEST(helpers_versioned, "the 1.3 helpers are in the version node LIBREMOTEPROC_1.3")
{
	static const char *const names[] = {
		"remote_proc_attach", "remote_proc_maps_open", "remote_proc_maps_next",
		"remote_proc_maps_close", "remote_proc_area_reason_str", "remote_proc_guard",
		"remote_proc_copy_from_map", "remote_proc_copy_to_map", "remote_proc_load",
		"remote_proc_store", "remote_proc_readv",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		KT_ASSERT_MSG(dlvsym(RTLD_DEFAULT, names[i], "LIBREMOTEPROC_1.3"),
			      "%s@LIBREMOTEPROC_1.3 missing", names[i]);
	KT_ASSERT(remote_proc_lib_version_number() >= REMOTE_PROC_VERSION(1, 3, 0));
}

/* The area of a walk that starts at addr, or fails the test. */
static struct remote_proc_area find_area(pid_t pid, uint64_t limit, unsigned int flags,
					 uint64_t addr, unsigned int *count)
{
	struct remote_proc_area a, found = { 0 };
	struct remote_proc_maps *m;
	bool hit = false;
	int ret;

	KT_ASSERT_EQ(remote_proc_maps_open(pid, limit, flags, &m), 0);
	if (count)
		*count = 0;
	while ((ret = remote_proc_maps_next(m, &a, sizeof(a))) == 1) {
		if (count)
			(*count)++;
		if (a.start == addr) {
			found = a;
			hit = true;
		}
	}
	KT_ASSERT_EQ(ret, 0);
	remote_proc_maps_close(m);
	KT_ASSERT_MSG(hit, "no area at 0x%llx", (unsigned long long)addr);
	return found;
}

/* The first area named name, from a walk of pid; false if none. */
static bool named_area(pid_t pid, uint64_t limit, const char *name, struct remote_proc_area *out)
{
	struct remote_proc_maps *m;
	struct remote_proc_area a;
	bool hit = false;

	KT_ASSERT_EQ(remote_proc_maps_open(pid, limit, 0, &m), 0);
	while (!hit && remote_proc_maps_next(m, &a, sizeof(a)) == 1)
		if (!strcmp(a.path, name)) {
			*out = a;
			hit = true;
		}
	remote_proc_maps_close(m);
	return hit;
}

static unsigned int maps_lines(pid_t pid)
{
	char path[64], line[8192];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

#define SPACE_PATH "/tmp/rp maps area.bin"
#define GONE_PATH "/tmp/rp-maps-gone.bin"

KT_TEST_F(lib, maps_walk, "the maps walk: fields, a path with a space, a deleted file, verdicts and reasons")
{
	uint64_t size = query(self->mirror).size;
	struct remote_proc_area a, v;
	uint64_t spaced, gone, none, wo, anon, mir;
	unsigned int n;
	struct stat st;

	spaced = rpt_do(&self->t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, SPACE_PATH);
	gone = rpt_do(&self->t, RPT_OP_MMAP, 0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, GONE_PATH);
	KT_ASSERT_OK(stat(SPACE_PATH, &st));
	KT_ASSERT_OK(unlink(GONE_PATH));
	none = rpt_do(&self->t, RPT_OP_MMAP, 0, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	wo = rpt_do(&self->t, RPT_OP_MMAP, 0, PG, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	anon = rpt_target_anon(&self->t, 3 * PG);
	mir = rpt_do(&self->t, RPT_OP_MAP_MIRROR, self->t.pid, anon, PG, 0, NULL);

	a = find_area(self->t.pid, size, 0, spaced, &n);
	unlink(SPACE_PATH);
	KT_ASSERT_EQ(n, maps_lines(self->t.pid));
	KT_ASSERT_MSG(!strcmp(a.path, SPACE_PATH), "path \"%s\"", a.path);
	KT_ASSERT_EQ(a.end, spaced + PG);
	KT_ASSERT_EQ(a.prot, PROT_READ);
	KT_ASSERT_EQ(a.flags, REMOTE_PROC_AREA_SHARED);
	KT_ASSERT_EQ(a.inode, st.st_ino);
	KT_ASSERT_EQ(a.dev_major, major(st.st_dev));
	KT_ASSERT_EQ(a.dev_minor, minor(st.st_dev));
	KT_ASSERT_EQ(a.offset, 0);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_MIRRORABLE);

	a = find_area(self->t.pid, size, 0, gone, NULL);
	KT_ASSERT_MSG(!strcmp(a.path, GONE_PATH), "path \"%s\"", a.path);
	KT_ASSERT_EQ(a.flags, REMOTE_PROC_AREA_SHARED | REMOTE_PROC_AREA_DELETED);
	KT_ASSERT_EQ(a.prot, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_MIRRORABLE);

	a = find_area(self->t.pid, size, 0, none, NULL);
	KT_ASSERT_EQ(a.prot, 0);
	KT_ASSERT(!a.path[0]);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_PROT_NONE);
	KT_ASSERT(!strcmp(remote_proc_area_reason_str(a.reason), "not readable (PROT_NONE)"));
	a = find_area(self->t.pid, size, 0, wo, NULL);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_NOT_READABLE);

	/* A mirror in the target: only smaps' VmFlags tell. */
	a = find_area(self->t.pid, size, 0, mir, NULL);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_MIRRORABLE);
	a = find_area(self->t.pid, size, REMOTE_PROC_MAPS_SMAPS, mir, &n);
	KT_ASSERT_EQ(n, maps_lines(self->t.pid));
	KT_ASSERT(a.flags & REMOTE_PROC_AREA_VMFLAGS);
	KT_ASSERT(a.flags & REMOTE_PROC_AREA_PFNMAP);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_IO_PFNMAP);
	a = find_area(self->t.pid, size, REMOTE_PROC_MAPS_SMAPS, anon, NULL);
	KT_ASSERT_EQ(a.flags & (REMOTE_PROC_AREA_IO | REMOTE_PROC_AREA_PFNMAP), 0);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_MIRRORABLE);

	/* Kernel pages: [vvar] always (x86-64), [vsyscall] unless vsyscall=none. */
	KT_ASSERT(named_area(self->t.pid, size, "[vvar]", &v));
	KT_ASSERT_EQ(v.reason, REMOTE_PROC_AREA_KERNEL_PAGE);
	KT_ASSERT(!strcmp(remote_proc_area_reason_str(v.reason), "kernel data page (VM_PFNMAP)"));
	if (named_area(self->t.pid, size, "[vsyscall]", &v)) {
		KT_ASSERT_EQ(v.reason, REMOTE_PROC_AREA_OUTSIDE);
		KT_ASSERT(v.start >= size);
		KT_ASSERT(named_area(self->t.pid, 0, "[vsyscall]", &v));
		KT_ASSERT_EQ(v.reason, REMOTE_PROC_AREA_OUTSIDE);
	} else {
		kt_diag("no [vsyscall] area in this guest");
	}
	/* The limit: an area at or above it is outside. */
	a = find_area(self->t.pid, anon, 0, anon, NULL);
	KT_ASSERT_EQ(a.reason, REMOTE_PROC_AREA_OUTSIDE);
	KT_ASSERT(!strcmp(remote_proc_area_reason_str(99), "unknown reason"));
}

KT_TEST(maps_walk_errors, "the maps walk: -EINVAL, -ESRCH, an empty walk for a kernel thread, short structs")
{
	struct remote_proc_maps *m;
	struct remote_proc_area a;
	struct {
		uint64_t start, end, offset, inode;
		uint32_t dev_major, dev_minor, prot, flags, reason, reserved;
		char path[8];
	} small;
	pid_t z;

	KT_ASSERT_EQ(remote_proc_maps_open(getpid(), 0, 0, NULL), -EINVAL);
	KT_ASSERT_EQ(remote_proc_maps_open(-1, 0, 0, &m), -EINVAL);
	KT_ASSERT_EQ(remote_proc_maps_open(getpid(), 0, 0x80, &m), -EINVAL);
	KT_ASSERT_EQ(remote_proc_maps_open(0x3ffffff0, 0, 0, &m), -ESRCH);
	z = zombie();
	waitpid(z, NULL, 0);
	KT_ASSERT_EQ(remote_proc_maps_open(z, 0, 0, &m), -ESRCH);
	/* kthreadd: no areas. */
	KT_ASSERT_EQ(remote_proc_maps_open(2, 0, 0, &m), 0);
	KT_ASSERT_EQ(remote_proc_maps_next(m, &a, sizeof(a)), 0);
	KT_ASSERT_EQ(remote_proc_maps_next(m, &a, 8), -EINVAL);
	KT_ASSERT_EQ(remote_proc_maps_next(NULL, &a, sizeof(a)), -EINVAL);
	remote_proc_maps_close(m);
	remote_proc_maps_close(NULL);
	/* Our own areas, into a caller's shorter struct: the path is cut, with its NUL. */
	KT_ASSERT_EQ(remote_proc_maps_open(0, 0, 0, &m), 0);
	memset(&small, 0xaa, sizeof(small));
	KT_ASSERT_EQ(remote_proc_maps_next(m, (struct remote_proc_area *)&small, sizeof(small)), 1);
	KT_ASSERT(small.end > small.start);
	KT_ASSERT(strlen(small.path) < sizeof(small.path));
	/* The first area is the program's: a path longer than 7 bytes, cut. */
	KT_ASSERT(small.flags & REMOTE_PROC_AREA_TRUNCATED);
	remote_proc_maps_close(m);
}

static void guard_spin(void *arg)
{
	(void)arg;
}

struct nested {
	const void *p;
	int ret;
};

/* An inner guard catches its own fault; the outer one goes on. */
static void guard_nested(void *arg)
{
	struct nested *n = arg;
	uint64_t v;

	n->ret = remote_proc_load(n->p, 1, &v);
}

KT_TEST_F(lib, copy_hole, "SIGBUS-safe copy, load and store across a hole: counts and -EFAULT, and the caller lives")
{
	uint64_t a = rpt_target_anon(&self->t, 3 * PG), v = 0;
	static uint8_t buf[3 * PG];
	uintptr_t fault = 0;
	struct nested nested;
	uint8_t *p;

	rpt_do(&self->t, RPT_OP_FILL, a, PG, 0x11, 0, NULL);
	rpt_do(&self->t, RPT_OP_FILL, a + 2 * PG, PG, 0x33, 0, NULL);
	rpt_do(&self->t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 3 * PG, PROT_READ | PROT_WRITE, 0,
				     (void **)&p), 0);
	/* The bytes before the hole, then nothing at the hole. */
	memset(buf, 0, sizeof(buf));
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p + PG - 100, 300), 100);
	KT_ASSERT_EQ(buf[0], 0x11);
	KT_ASSERT_EQ(buf[99], 0x11);
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p + PG, 8), -EFAULT);
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p + PG + 8, 2 * PG - 8), -EFAULT);
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p + 2 * PG, PG), PG);
	KT_ASSERT_EQ(buf[PG - 1], 0x33);
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p, 0), 0);
	/* Stores: into the target's page, and not into the hole. */
	KT_ASSERT_EQ(remote_proc_copy_to_map(p + PG - 4, "abcdefgh", 8), 4);
	KT_ASSERT_EQ(rpt_do(&self->t, RPT_OP_LOAD, a + PG - 8, 0, 0, 0, NULL) >> 32,
		     0x64636261);
	KT_ASSERT_EQ(remote_proc_store(p + 8, 8, 0x1234567890abcdefull), 0);
	KT_ASSERT_EQ(rpt_do(&self->t, RPT_OP_LOAD, a + 8, 0, 0, 0, NULL), 0x1234567890abcdefll);
	KT_ASSERT_EQ(remote_proc_store(p + PG, 4, 1), -EFAULT);
	KT_ASSERT_EQ(remote_proc_load(p + 8, 8, &v), 0);
	KT_ASSERT_EQ(v, 0x1234567890abcdefull);
	KT_ASSERT_EQ(remote_proc_load(p + 2 * PG, 2, &v), 0);
	KT_ASSERT_EQ(v, 0x3333);
	v = 7;
	KT_ASSERT_EQ(remote_proc_load(p + PG + 16, 1, &v), -EFAULT);
	KT_ASSERT_EQ(v, 7);
	KT_ASSERT_EQ(remote_proc_load(p, 3, &v), -EINVAL);
	KT_ASSERT_EQ(remote_proc_store(p, 16, 0), -EINVAL);
	/* The guard: nesting, bad arguments. */
	nested = (struct nested){ p + PG, 0 };
	KT_ASSERT_EQ(remote_proc_guard(guard_spin, NULL, &fault), 0);
	KT_ASSERT_EQ(remote_proc_guard(NULL, NULL, &fault), -EINVAL);
	KT_ASSERT_EQ(remote_proc_guard(guard_nested, &nested, &fault), 0);
	KT_ASSERT_EQ(nested.ret, -EFAULT);
	/* A target that has gone: everything faults, nothing kills us. */
	rpt_target_exit(&self->t);
	KT_ASSERT_EQ(remote_proc_copy_from_map(buf, p, PG), -EFAULT);
	KT_ASSERT_EQ(remote_proc_load(p, 8, &v), -EFAULT);
	remote_proc_unmap(p, 3 * PG);
}

struct unguarded {
	int mirror;
	uint64_t hole;
};

/* A fault outside a guarded call still kills, as if there were no handler. */
static void fault_unguarded(void *arg)
{
	struct unguarded *u = arg;
	uint8_t b;
	void *p;

	if (remote_proc_map(u->mirror, u->hole, PG, PROT_READ, 0, &p))
		_exit(100);
	if (remote_proc_copy_from_map(&b, p, 1) != -EFAULT)
		_exit(101);
	b = *(volatile uint8_t *)p;
	_exit(b == 0xff ? 102 : 103);
}

static volatile sig_atomic_t own_handler_ran;

static void own_handler(int sig)
{
	(void)sig;
	own_handler_ran = 1;
	_exit(42);
}

/* A handler the program had before is called for faults the library did not arm for. */
static void fault_chained(void *arg)
{
	struct unguarded *u = arg;
	uint8_t b;
	void *p;

	signal(SIGBUS, own_handler);
	if (remote_proc_map(u->mirror, u->hole, PG, PROT_READ, 0, &p))
		_exit(100);
	if (remote_proc_copy_from_map(&b, p, 1) != -EFAULT)
		_exit(101);
	b = *(volatile uint8_t *)p;
	_exit(103);
}

KT_TEST_F(lib, guard_chain, "an unguarded SIGBUS after a guarded call kills the process, or reaches the program's handler")
{
	struct unguarded u = { self->mirror, rpt_target_anon(&self->t, PG) };
	int st;

	rpt_do(&self->t, RPT_OP_MUNMAP, u.hole, PG, 0, 0, NULL);
	KT_ASSERT_EQ(kt_child_signal(fault_unguarded, &u), SIGBUS);
	st = kt_run_child(fault_chained, &u);
	KT_ASSERT(WIFEXITED(st));
	KT_ASSERT_EQ(WEXITSTATUS(st), 42);
}

/*
 * The guard's edges, with ordinary memory (the guard does not care what
 * faults): each in a child of its own, whose handlers it may change.
 * Exit status 0 is a pass; others say which check failed.
 */
static volatile sig_atomic_t handler_calls;

static void count_handler(int sig)
{
	(void)sig;
	handler_calls++;
}

/* A SIGSEGV sent (not a fault) while armed is the program's, not the guard's. */
static void sent_in_guard(void *arg)
{
	(void)arg;
	raise(SIGSEGV);
}

static void guard_sent_child(void *arg)
{
	uintptr_t fault;

	(void)arg;
	signal(SIGSEGV, count_handler);
	if (remote_proc_guard(sent_in_guard, NULL, &fault) != 0)
		_exit(1);
	_exit(handler_calls == 1 ? 0 : 2);
}

/* The program's handler makes its own page writable (a write barrier). */
static uint8_t *barrier_page;

static void barrier_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if ((uint8_t *)si->si_addr < barrier_page || (uint8_t *)si->si_addr >= barrier_page + PG)
		_exit(3);
	handler_calls++;
	mprotect(barrier_page, PG, PROT_READ | PROT_WRITE);
}

static void guard_local_child(void *arg)
{
	struct sigaction sa = { .sa_sigaction = barrier_handler, .sa_flags = SA_SIGINFO };
	static uint8_t src[PG];

	(void)arg;
	barrier_page = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (barrier_page == MAP_FAILED)
		_exit(4);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	memset(src, 0x5c, sizeof(src));
	/* The fault is at dst, the caller's side: the program's handler runs. */
	if (remote_proc_copy_from_map(barrier_page, src, PG) != (ssize_t)PG)
		_exit(1);
	_exit(handler_calls == 1 && barrier_page[PG - 1] == 0x5c ? 0 : 2);
}

/* With SIGBUS and SIGSEGV blocked, a guarded fault is still caught. */
static void guard_blocked_child(void *arg)
{
	uint8_t *none = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sigset_t set, now;
	uint64_t v;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigaddset(&set, SIGBUS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (remote_proc_load(none, 8, &v) != -EFAULT)
		_exit(1);
	if (remote_proc_copy_from_map(&v, none, 8) != -EFAULT)
		_exit(2);
	/* And the mask is as it was. */
	sigprocmask(SIG_BLOCK, NULL, &now);
	_exit(sigismember(&now, SIGSEGV) && sigismember(&now, SIGBUS) ? 0 : 3);
}

/*
 * The program installs its handler after a guarded call and chains to the
 * one it replaced (the library's), as the header asks: guarded calls still
 * catch their faults, and an unguarded one dies of its signal (SIGBUS: a
 * file page past the end) instead of going round the two handlers.
 */
static struct sigaction replaced;

static void chaining_handler(int sig, siginfo_t *si, void *uc)
{
	handler_calls++;
	replaced.sa_sigaction(sig, si, uc);
}

static void guard_chain_back_child(void *arg)
{
	struct sigaction sa = { .sa_sigaction = chaining_handler, .sa_flags = SA_SIGINFO };
	char path[] = "/tmp/rpt-guard-XXXXXX";
	int fd = mkstemp(path);
	uint8_t *past;
	uint64_t v;

	(void)arg;
	if (fd < 0 || ftruncate(fd, 1))
		_exit(4);
	past = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	unlink(path);
	if (past == MAP_FAILED)
		_exit(5);
	if (remote_proc_load(past + PG, 8, &v) != -EFAULT)
		_exit(1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &replaced);
	if (!(replaced.sa_flags & SA_SIGINFO))
		_exit(6);
	if (remote_proc_load(past + PG, 8, &v) != -EFAULT || handler_calls != 1)
		_exit(2);
	v = *(volatile uint64_t *)(past + PG);
	_exit(7);
}

KT_TEST(guard_signals, "the guard catches only faults: a sent SIGSEGV, the caller's own fault and a chaining handler go to the program")
{
	int st;

	KT_ASSERT_EQ(WEXITSTATUS(kt_run_child(guard_sent_child, NULL)), 0);
	st = kt_run_child(guard_local_child, NULL);
	KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "copy to a write barrier: status %#x", st);
	st = kt_run_child(guard_blocked_child, NULL);
	KT_ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "signals blocked: status %#x", st);
	KT_ASSERT_EQ(kt_child_signal(guard_chain_back_child, NULL), SIGBUS);
}

KT_TEST(copy_in_order, "a copy into a mapping stops at the page that faults and writes nothing after it")
{
	const size_t len = 64ul << 20, bad = 100 * PG;
	uint8_t *dst, *src;

	dst = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(dst != MAP_FAILED && src != MAP_FAILED);
	memset(src, 0xab, len);
	KT_ASSERT_OK(mprotect(dst + bad, PG, PROT_READ));
	KT_ASSERT_EQ(remote_proc_copy_to_map(dst, src, len), (ssize_t)bad);
	KT_ASSERT_EQ(dst[bad - 1], 0xab);
	for (size_t i = bad; i < len; i += 64)
		KT_ASSERT_MSG(!dst[i], "byte %#zx past the fault at %#zx was written", i, bad);
	munmap(dst, len);
	munmap(src, len);
}

KT_TEST(maps_exit_midwalk, "a walk of a process that exits half way ends in -ESRCH, not a short list")
{
	struct remote_proc_maps *m;
	struct remote_proc_area a;
	siginfo_t si = { 0 };
	int pfd[2], ret, n = 1;
	pid_t c;
	char x;

	KT_ASSERT_OK(pipe(pfd));
	c = fork();
	KT_ASSERT(c >= 0);
	if (c == 0) {
		uint8_t *b = mmap(NULL, 8000 * 2 * PG, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		for (int i = 0; i < 8000; i++)
			mprotect(b + 2 * i * PG, PG, PROT_READ);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	KT_ASSERT_EQ(read(pfd[0], &x, 1), 1);
	KT_ASSERT_EQ(remote_proc_maps_open(c, 0, 0, &m), 0);
	KT_ASSERT_EQ(remote_proc_maps_next(m, &a, sizeof(a)), 1);
	kill(c, SIGKILL);
	KT_ASSERT_OK(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	while ((ret = remote_proc_maps_next(m, &a, sizeof(a))) > 0)
		n++;
	remote_proc_maps_close(m);
	waitpid(c, NULL, 0);
	KT_ASSERT_MSG(ret == -ESRCH, "after %d of 16000 areas: %d", n, ret);
	close(pfd[0]);
	close(pfd[1]);
}

struct guard_thread {
	uint8_t *hole, *good;
	int faults, loads;
};

static void *guard_worker(void *arg)
{
	struct guard_thread *g = arg;
	uint64_t v;

	for (int i = 0; i < 2000; i++) {
		g->faults += remote_proc_load(g->hole, 8, &v) == -EFAULT;
		g->loads += remote_proc_load(g->good, 8, &v) == 0 && v == 0x4444444444444444ull;
	}
	return NULL;
}

KT_TEST_F(lib, guard_threads, "guarded accesses in several threads at once each catch their own faults")
{
	uint64_t a = rpt_target_anon(&self->t, 2 * PG);
	struct guard_thread g[4];
	pthread_t th[4];
	uint8_t *p;

	rpt_do(&self->t, RPT_OP_FILL, a, PG, 0x44, 0, NULL);
	rpt_do(&self->t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	KT_ASSERT_EQ(remote_proc_map(self->mirror, a, 2 * PG, PROT_READ, 0, (void **)&p), 0);
	for (int i = 0; i < 4; i++) {
		g[i] = (struct guard_thread){ p + PG + 8 * i, p + 8 * i, 0, 0 };
		KT_ASSERT_EQ(pthread_create(&th[i], NULL, guard_worker, &g[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		KT_ASSERT_EQ(g[i].faults, 2000);
		KT_ASSERT_EQ(g[i].loads, 2000);
	}
	remote_proc_unmap(p, 2 * PG);
}

KT_TEST_F(lib, readv, "readv: several iovecs on both sides, split differently, stopping inside the one that crosses a hole")
{
	uint64_t a = rpt_target_anon(&self->t, 4 * PG);
	static uint8_t l0[10], l1[20], l2[5000];
	struct iovec local[4] = { { l0, sizeof(l0) }, { NULL, 0 }, { l1, sizeof(l1) },
				  { l2, sizeof(l2) } };
	struct iovec remote[4];

	for (int i = 0; i < 4; i++)
		rpt_do(&self->t, RPT_OP_FILL, a + i * PG, PG, 0x10 + i, 0, NULL);
	rpt_do(&self->t, RPT_OP_MUNMAP, a + 2 * PG, PG, 0, 0, NULL);
	/* 16 from page 0, 8 across pages 0-1, 0, then 10 of 20 before the hole. */
	remote[0] = (struct iovec){ (void *)(uintptr_t)(a + 8), 16 };
	remote[1] = (struct iovec){ (void *)(uintptr_t)(a + PG - 4), 8 };
	remote[2] = (struct iovec){ (void *)(uintptr_t)(a + 3 * PG), 0 };
	remote[3] = (struct iovec){ (void *)(uintptr_t)(a + 2 * PG - 10), 20 };
	memset(l0, 0, sizeof(l0));
	memset(l1, 0, sizeof(l1));
	memset(l2, 0, sizeof(l2));
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 4, remote, 4, 0), 34);
	KT_ASSERT_EQ(l0[0], 0x10);
	KT_ASSERT_EQ(l0[9], 0x10);
	KT_ASSERT_EQ(l1[5], 0x10);	/* 16th byte of the first range */
	KT_ASSERT_EQ(l1[6], 0x10);	/* the second range: 4 of page 0 */
	KT_ASSERT_EQ(l1[9], 0x10);
	KT_ASSERT_EQ(l1[10], 0x11);	/* then 4 of page 1 */
	KT_ASSERT_EQ(l1[13], 0x11);
	KT_ASSERT_EQ(l1[14], 0x11);	/* the fourth range, up to the hole */
	KT_ASSERT_EQ(l1[19], 0x11);
	KT_ASSERT_EQ(l2[3], 0x11);
	KT_ASSERT_EQ(l2[4], 0);
	/* Past the hole, and the local list running out first. */
	remote[0] = (struct iovec){ (void *)(uintptr_t)(a + 3 * PG), PG };
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 3, remote, 1, 0), 30);
	KT_ASSERT_EQ(l1[19], 0x13);
	/* Nothing readable at the first byte: the error. */
	remote[0] = (struct iovec){ (void *)(uintptr_t)(a + 2 * PG + 8), 8 };
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 4, remote, 2, 0), -EIO);
	/* Empty lists; bad arguments. */
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 4, remote, 0, 0), 0);
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, NULL, 0, remote, 1, 0), 0);
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 4, remote, 1, 1), -EINVAL);
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, IOV_MAX + 1, remote, 1, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, NULL, 1, remote, 1, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_readv(-1, local, 4, remote, 1, 0), -EBADF);
	rpt_target_exit(&self->t);
	remote[0] = (struct iovec){ (void *)(uintptr_t)a, 8 };
	KT_ASSERT_EQ(remote_proc_readv(self->mirror, local, 4, remote, 1, 0), -ESRCH);
}

static void attach_one_as_user(void *arg)
{
	struct as_user *u = arg;
	int m;

	rpt_become(RPT_USER, true);
	m = remote_proc_attach(NULL, u->target, 0);
	_exit(m >= 0 ? 0 : -m);
}

KT_TEST(attach_one_call, "remote_proc_attach(): a close-on-exec mirror in one call; -EINVAL, -ENOENT, -ESRCH, -EACCES/-EPERM")
{
	struct rpt_target t;
	struct remote_proc_mirror_info mi;
	struct as_user u;
	uint64_t a, v = 0x77;
	unsigned int fds;
	int m, st;
	pid_t z;

	rpt_need_module();
	rpt_target_fork(&t);
	a = rpt_target_anon(&t, PG);
	fds = count_fds();
	m = remote_proc_attach(NULL, t.pid, REMOTE_PROC_MIRROR_WRITE);
	KT_ASSERT_MSG(m >= 0, "attach: %s", strerror(-m));
	KT_ASSERT_EQ(count_fds(), fds + 1);	/* no device fd or pidfd left open */
	KT_ASSERT(cloexec(m));
	mi = query(m);
	KT_ASSERT_EQ(mi.pid, t.pid);
	KT_ASSERT(mi.flags & REMOTE_PROC_MIRROR_WRITABLE);
	KT_ASSERT_EQ(remote_proc_pwrite(m, a, &v, 8), 8);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0x77);
	close(m);
	m = remote_proc_attach(REMOTE_PROC_DEV_PATH, t.pid, 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT(!(query(m).flags & REMOTE_PROC_MIRROR_WRITABLE));
	KT_ASSERT_EQ(remote_proc_pwrite(m, a, &v, 8), -EBADF);
	close(m);

	KT_ASSERT_EQ(remote_proc_attach(NULL, 0, 0), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach(NULL, t.pid, 0x2), -EINVAL);
	KT_ASSERT_EQ(remote_proc_attach("/dev/no-such-node", t.pid, 0), -ENOENT);
	KT_ASSERT_EQ(remote_proc_attach("/dev/null", t.pid, 0), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_attach(NULL, 0x3ffffff0, 0), -ESRCH);
	KT_ASSERT_EQ(remote_proc_attach(NULL, 2, 0), -ESRCH);	/* kthreadd */
	z = zombie();
	KT_ASSERT_EQ(remote_proc_attach(NULL, z, 0), -ESRCH);
	waitpid(z, NULL, 0);
	KT_ASSERT_EQ(remote_proc_attach(NULL, z, 0), -ESRCH);
	KT_ASSERT_EQ(count_fds(), fds);
	rpt_target_kill(&t);

	/* Another user's process, as an unprivileged user with the device. */
	rpt_share_device();
	rpt_target_exec(&t, "/tests/rpt_target", RPT_OTHER, RPT_OTHER);
	u.target = t.pid;
	st = kt_run_child(attach_one_as_user, &u);
	rpt_target_kill(&t);
	KT_ASSERT(WIFEXITED(st));
	KT_ASSERT_MSG(WEXITSTATUS(st) == EACCES || WEXITSTATUS(st) == EPERM,
		      "exit %d", WEXITSTATUS(st));
}
