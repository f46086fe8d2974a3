// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Module life cycle: loading as users do, the device node, the ioctl
 * fallback, and unloading rules. Load, unload and refcounts go through
 * libkmod.
 */
#include <fcntl.h>
#include <libkmod.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

static void unload_if_loaded(void)
{
	int ret;

	if (!rpt_module_live())
		return;
	ret = rpt_rmmod();
	KT_ASSERT_MSG(ret == 0, "rmmod: %s", strerror(-ret));
}

static void kmsg_mark(const char *marker)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	KT_ASSERT(fd >= 0);
	KT_ASSERT(write(fd, marker, strlen(marker)) > 0);
	close(fd);
}

KT_TEST(modprobe_loads, "libkmod modprobe loads the module from the depmod'd tree, and it logs one line")
{
	unload_if_loaded();
	kmsg_mark("rpt-marker-modprobe");
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	KT_ASSERT(rpt_module_live());
	KT_ASSERT_EQ(access(RPT_DEV, F_OK), 0);
	KT_ASSERT_EQ(rpt_kmsg_count_after("rpt-marker-modprobe", "remote_proc:"), 1);
	KT_ASSERT_EQ(rpt_kmsg_count_after("rpt-marker-modprobe", "remote_proc: version"), 1);
}

KT_TEST(modprobe_command, "the modprobe and modprobe -r commands work, as a user would type them")
{
	unload_if_loaded();
	KT_ASSERT_EQ(system("modprobe remote_proc"), 0);
	KT_ASSERT(rpt_module_live());
	KT_ASSERT_EQ(system("modprobe -r remote_proc"), 0);
	KT_ASSERT(!rpt_module_live());
	KT_ASSERT_ERRNO(access(RPT_DEV, F_OK), ENOENT);
}

KT_TEST(insmod_by_path, "libkmod insmod of the .ko file by path loads the module")
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char path[512];

	unload_if_loaded();
	snprintf(path, sizeof(path), "%s", rpt_module_path());
	ctx = kmod_new(NULL, NULL);
	KT_ASSERT(ctx);
	KT_ASSERT_EQ(kmod_module_new_from_path(ctx, path, &mod), 0);
	KT_ASSERT_EQ(kmod_module_insert_module(mod, 0, NULL), 0);
	KT_ASSERT(rpt_module_live());
	KT_ASSERT_EQ(access(RPT_DEV, F_OK), 0);
	kmod_module_unref(mod);
	kmod_unref(ctx);
}

KT_TEST(modinfo, "the module carries license, description and version")
{
	struct kmod_list *info = NULL, *l;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	bool lic = false, desc = false, ver = false;

	rpt_need_module();
	ctx = kmod_new(NULL, NULL);
	KT_ASSERT(ctx);
	KT_ASSERT_EQ(kmod_module_new_from_name(ctx, RPT_MODULE, &mod), 0);
	KT_ASSERT(kmod_module_get_info(mod, &info) > 0);
	kmod_list_foreach(l, info) {
		const char *k = kmod_module_info_get_key(l);
		const char *v = kmod_module_info_get_value(l);

		if (!strcmp(k, "license"))
			lic = !strcmp(v, "GPL");
		else if (!strcmp(k, "description"))
			desc = v && *v;
		else if (!strcmp(k, "version"))
			ver = v && *v;
	}
	kmod_module_info_free_list(info);
	KT_ASSERT_MSG(lic, "license is not GPL");
	KT_ASSERT_MSG(desc, "no description");
	KT_ASSERT_MSG(ver, "no version");
	kmod_module_unref(mod);
	kmod_unref(ctx);
}

KT_TEST(dev_node, "/dev/remote-proc is a misc char device, root-only (0600) until udev says otherwise")
{
	unsigned int maj, min;
	struct stat st;
	FILE *f;

	rpt_need_module();
	KT_ASSERT_OK(stat(RPT_DEV, &st));
	KT_ASSERT(S_ISCHR(st.st_mode));
	KT_ASSERT_EQ(st.st_mode & 07777, 0600);
	KT_ASSERT_EQ(st.st_uid, 0);
	KT_ASSERT_EQ(st.st_gid, 0);
	f = fopen("/sys/class/misc/remote-proc/dev", "r");
	KT_ASSERT_MSG(f, "no /sys/class/misc/remote-proc");
	KT_ASSERT_EQ(fscanf(f, "%u:%u", &maj, &min), 2);
	fclose(f);
	KT_ASSERT_EQ(maj, 10);
	KT_ASSERT_EQ(major(st.st_rdev), maj);
	KT_ASSERT_EQ(minor(st.st_rdev), min);
}

KT_TEST(open_close, "the device opens read-write and read-only, and closes")
{
	int fd;

	fd = rpt_open_dev();
	KT_ASSERT_OK(close(fd));
	fd = open(RPT_DEV, O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_OK(close(fd));
}

KT_TEST(unknown_ioctl_enotty, "ioctls the driver does not know return ENOTTY")
{
	int fd = rpt_open_dev();

	KT_ASSERT_ERRNO(ioctl(fd, _IO('x', 0x42)), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(fd, _IOWR(0xD5, 0x3e, uint64_t), 0), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(fd, 0), ENOTTY);
	close(fd);
}

KT_TEST(refcount_follows_fds, "every open fd holds a module reference, released on close")
{
	int base, fd1, fd2;

	rpt_need_module();
	base = rpt_module_refcnt();
	KT_ASSERT(base >= 0);
	fd1 = rpt_open_dev();
	KT_ASSERT_EQ(rpt_module_refcnt(), base + 1);
	fd2 = rpt_open_dev();
	KT_ASSERT_EQ(rpt_module_refcnt(), base + 2);
	close(fd1);
	close(fd2);
	KT_ASSERT_EQ(rpt_module_refcnt(), base);
}

/*
 * The kernel refuses to unload a module in use with EWOULDBLOCK (EAGAIN);
 * EBUSY is what it returns for a module that is still loading or already
 * going. Both the libkmod call and the modprobe tool must refuse.
 */
KT_TEST(unload_refused_while_open, "unloading is refused (module in use) while an fd is open and works after close")
{
	int fd = rpt_open_dev();

	KT_ASSERT_EQ(rpt_rmmod(), -EWOULDBLOCK);
	KT_ASSERT(rpt_module_live());
	KT_ASSERT(system("modprobe -r remote_proc 2>/dev/null") != 0);
	KT_ASSERT(rpt_module_live());
	close(fd);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT(!rpt_module_live());
	KT_ASSERT_EQ(rpt_modprobe(), 0);
}

KT_TEST(unload_refused_in_child, "an fd inherited by a child keeps the module busy until the child exits")
{
	int fd = rpt_open_dev(), status;
	pid_t pid;
	int pfd[2];
	char c;

	KT_ASSERT_OK(fcntl(fd, F_SETFD, 0));
	KT_ASSERT_OK(pipe(pfd));
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		close(pfd[1]);
		read(pfd[0], &c, 1);	/* wait until told to exit */
		_exit(0);
	}
	close(pfd[0]);
	close(fd);
	KT_ASSERT_EQ(rpt_rmmod(), -EWOULDBLOCK);
	KT_ASSERT_OK(write(pfd[1], "x", 1));
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
}

/* --- a fault parked in its source keeps the module ------------------------ */

#define PG 4096
enum { UFFD_READY = 1, UFFD_SEEN, UFFD_GO };

struct uffd_target {
	pid_t pid;
	char *page;		/* at the same address in the (forked) target */
	_Atomic int *state;
};

/*
 * A target whose page is missing until told: its first fault, from
 * wherever it comes, waits in userfaultfd until the state is UFFD_GO.
 */
static void uffd_target_start(struct uffd_target *u)
{
	u->page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u->state = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(u->page != MAP_FAILED && u->state != MAP_FAILED);
	u->pid = fork();
	KT_ASSERT(u->pid >= 0);
	if (!u->pid) {
		struct uffdio_api api = { .api = UFFD_API };
		struct uffdio_register reg = {
			.range = { .start = (uintptr_t)u->page, .len = PG },
			.mode = UFFDIO_REGISTER_MODE_MISSING,
		};
		struct uffdio_zeropage zp = { .range = reg.range };
		struct uffd_msg msg;
		int uffd = syscall(__NR_userfaultfd, O_CLOEXEC);

		if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
		    ioctl(uffd, UFFDIO_REGISTER, &reg))
			_exit(1);
		atomic_store(u->state, UFFD_READY);
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		atomic_store(u->state, UFFD_SEEN);
		while (atomic_load(u->state) != UFFD_GO)
			usleep(1000);
		ioctl(uffd, UFFDIO_ZEROPAGE, &zp);
		for (;;)
			pause();
	}
	for (int i = 0; atomic_load(u->state) != UFFD_READY; i++) {
		KT_ASSERT_MSG(i < 10000, "the target did not register its userfaultfd");
		usleep(1000);
	}
}

static void *load_once(void *p)
{
	uint64_t v;

	return (void *)(uintptr_t)rpt_try_load(p, &v);
}

KT_TEST_TIMEOUT(unload_waits_for_parked_fault, 120, "a fault that dropped its locks to wait for the source keeps the module loaded until it returns")
{
	struct uffd_target u;
	pthread_t th;
	void *sig;
	char *p;
	int dev, fd, r;

	uffd_target_start(&u);
	dev = rpt_dev();
	fd = rpt_attach_pid(dev, u.pid, 0);
	KT_ASSERT(fd >= 0);
	p = rpt_map(fd, (uintptr_t)u.page, PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	close(fd);
	close(dev);
	/* The fault drops the caller's locks and waits in the target. */
	KT_ASSERT_EQ(pthread_create(&th, NULL, load_once, p), 0);
	for (int i = 0; atomic_load(u.state) != UFFD_SEEN; i++) {
		KT_ASSERT_MSG(i < 20000, "the mirror fault never reached the target");
		usleep(1000);
	}
	/* Gone from view: only the parked fault still holds the mapping's file. */
	KT_ASSERT_OK(munmap(p, PG));
	r = rpt_rmmod();
	/* Whatever happened, let the fault go on (after an unload it would crash). */
	atomic_store(u.state, UFFD_GO);
	KT_ASSERT_EQ(pthread_join(th, &sig), 0);
	KT_ASSERT_MSG(r == -EWOULDBLOCK, "rmmod with a fault parked in the module: %d (%s)",
		      r, strerror(-r));
	/* It retried the access, which found no mapping. */
	KT_ASSERT_EQ((uintptr_t)sig, SIGSEGV);
	KT_ASSERT_EQ(rpt_rmmod(), 0);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	kill(u.pid, SIGKILL);
	waitpid(u.pid, NULL, 0);
}
