// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Views: windows, holes, revocation, seal, rights, fd sources, recursion,
 * poll, limits.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"
#include "lib/view.h"

#define VSIZE (256 * PG)

KT_FIXTURE(vw) {
	int dev, ctl, acc;	/* acc: a writable access fd */
	char *mem;		/* 16 pages of the test's own memory, stamped */
};

KT_SETUP(vw)
{
	self->dev = rpt_dev();
	self->ctl = rpt_view_create(self->dev, VSIZE);
	KT_ASSERT_MSG(self->ctl >= 0, "VIEW_CREATE: %s", strerror(-self->ctl));
	self->acc = rpt_view_access(self->ctl, 1);
	KT_ASSERT(self->acc >= 0);
	self->mem = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(self->mem != MAP_FAILED);
	for (int i = 0; i < 16; i++)
		*(uint64_t *)(self->mem + i * PG) = 0x1000 + i;
}

KT_TEARDOWN(vw)
{
	close(self->acc);
	close(self->ctl);
	close(self->dev);
}

static uint64_t word(volatile void *base, uint64_t off)
{
	return rpt_load((volatile char *)base + off);
}

KT_TEST_F(vw, create_and_query, "a new view is empty; QUERY tells control from access fds")
{
	struct remote_proc_query q = rpt_query(self->ctl);

	KT_ASSERT_EQ(q.flags, REMOTE_PROC_QUERY_CONTROL);
	KT_ASSERT_EQ(q.size, VSIZE);
	KT_ASSERT_EQ(q.nr_windows, 0);
	KT_ASSERT_EQ(q.generation, 0);
	KT_ASSERT_EQ(q.pid, 0);
	q = rpt_query(self->acc);
	KT_ASSERT_EQ(q.flags, REMOTE_PROC_QUERY_WRITABLE);
	KT_ASSERT_EQ(fcntl(self->ctl, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	KT_ASSERT_EQ(fcntl(self->acc, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	q = rpt_query(rpt_view_access(self->ctl, 0));
	KT_ASSERT_EQ(q.flags, 0);
}

KT_TEST(create_errors, "VIEW_CREATE refuses bad input and needs the handshake")
{
	struct remote_proc_view_create vc = { .size = PG };
	int dev = rpt_open_dev();

	KT_ASSERT_ERRNO(ioctl(dev, REMOTE_PROC_IOC_VIEW_CREATE, &vc), EBADFD);
	close(dev);
	dev = rpt_dev();
	KT_ASSERT_EQ(rpt_view_create(dev, PG + 1), -EINVAL);
	KT_ASSERT_EQ(rpt_view_create(dev, 1ull << 62), -EINVAL);
	vc.flags = 1;
	KT_ASSERT_ERRNO(ioctl(dev, REMOTE_PROC_IOC_VIEW_CREATE, &vc), EINVAL);
	vc.flags = 0;
	vc.__reserved1[1] = 1;
	KT_ASSERT_ERRNO(ioctl(dev, REMOTE_PROC_IOC_VIEW_CREATE, &vc), EINVAL);
	KT_ASSERT(rpt_view_create(dev, 0) >= 0);
}

KT_TEST_F(vw, self_window, "a window of the owner's own memory shows it at the chosen offset, read and write")
{
	volatile char *p;
	uint64_t v;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem + 2 * PG, 10 * PG, 4 * PG, RW), 0);
	KT_ASSERT_EQ(rpt_query(self->ctl).nr_windows, 1);
	p = rpt_map(self->acc, 0, VSIZE, PROT_READ | PROT_WRITE);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(word(p, 10 * PG), 0x1002);
	KT_ASSERT_EQ(word(p, 13 * PG), 0x1005);
	KT_ASSERT_EQ(rpt_try_store(p + 11 * PG + 8, 77), 0);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 3 * PG + 8), 77);
	*(uint64_t *)(self->mem + 3 * PG + 16) = 78;
	KT_ASSERT_EQ(word(p, 11 * PG + 16), 78);
	/* Holes: SIGBUS, and EIO for pread. */
	KT_ASSERT_EQ(rpt_try_load(p + 9 * PG, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(p + 14 * PG, &v), SIGBUS);
	KT_ASSERT_ERRNO(pread(self->acc, &v, 8, 9 * PG), EIO);
	KT_ASSERT_EQ(pread(self->acc, &v, 8, 12 * PG), 8);
	KT_ASSERT_EQ(v, 0x1004);
	/* A read running into a hole stops there. */
	KT_ASSERT_EQ(pread(self->acc, self->mem + 8 * PG, 2 * PG, 13 * PG), PG);
}

KT_TEST_F(vw, target_window, "a window of an attached target follows the target's changes")
{
	struct rpt_target t;
	uint64_t a, v;
	int m;
	volatile char *p;

	rpt_target_fork(&t);
	a = rpt_target_anon(&t, 4 * PG);
	rpt_do(&t, RPT_OP_STORE, a + PG, 0x55, 0, 0, NULL);
	m = rpt_attach_pid(self->dev, t.pid, 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, m, 0, RO, a, 100 * PG, 4 * PG), 0);
	close(m);	/* the window keeps the target */
	p = rpt_map(self->acc, 100 * PG, 4 * PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(word(p, PG), 0x55);
	rpt_do(&t, RPT_OP_STORE, a + PG, 0x56, 0, 0, NULL);
	KT_ASSERT_EQ(word(p, PG), 0x56);
	rpt_do(&t, RPT_OP_MUNMAP, a, 4 * PG, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_load(p + PG, &v), SIGBUS);
	rpt_target_kill(&t);
}

KT_TEST_F(vw, map_errors, "MAP refuses bad input with the documented errno, leaving the view unchanged")
{
	struct remote_proc_map m = { .flags = REMOTE_PROC_MAP_SELF, .rights = RO, .source = -1,
				     .source_addr = (uintptr_t)self->mem, .length = PG };
	struct rpt_target t;
	int ro, other;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, 2 * PG, RW), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, PG, PG, RW), -EEXIST);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem + 1, 4 * PG, PG, RW), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 4 * PG + 8, PG, RW), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 4 * PG, PG + 8, RW), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 4 * PG, 0, RW), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 4 * PG, PG, REMOTE_PROC_RIGHT_WRITE),
		     -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 4 * PG, PG, RW | 0x100), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, VSIZE - PG, 2 * PG, RW), -EOVERFLOW);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, -PG, 2 * PG, RW), -EOVERFLOW);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, -1, REMOTE_PROC_MAP_SELF, RO, -(2 * PG), 4 * PG, PG * 4),
		     -EOVERFLOW);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, 0, REMOTE_PROC_MAP_SELF, RO,
				  (uintptr_t)self->mem, 4 * PG, PG), -EINVAL);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, -1, REMOTE_PROC_MAP_SELF | 8, RO,
				  (uintptr_t)self->mem, 4 * PG, PG), -EINVAL);
	m.__reserved0 = 1;
	KT_ASSERT_ERRNO(ioctl(self->ctl, REMOTE_PROC_IOC_MAP, &m), EINVAL);
	/* Sources must be mirror fds. */
	KT_ASSERT_EQ(rpt_view_map(self->ctl, open("/dev/null", O_RDONLY), 0, RO,
				  (uintptr_t)self->mem, 4 * PG, PG), -EBADF);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, self->acc, 0, RO, 0, 4 * PG, PG), -EBADF);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, self->ctl, 0, RO, 0, 4 * PG, PG), -EBADF);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, 9999, 0, RO, 0, 4 * PG, PG), -EBADF);
	/* Write needs a writable mirror; a dead source is refused. */
	rpt_target_fork(&t);
	ro = rpt_attach_pid(self->dev, t.pid, 0);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, ro, 0, RW, 0x400000, 4 * PG, PG), -EACCES);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, ro, 0, RO, 0x400000, 4 * PG, PG), 0);
	rpt_target_exit(&t);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, ro, 0, RO, 0x400000, 8 * PG, PG), -ESRCH);
	KT_ASSERT_EQ(rpt_query(self->ctl).nr_windows, 2);
	other = rpt_view_create(self->dev, PG);
	KT_ASSERT_EQ(rpt_view_map_self(other, self->mem, 0, PG, RO), 0);
	KT_ASSERT_EQ(rpt_view_map_self(other, self->mem, PG, PG, RO), -EOVERFLOW);
}

KT_TEST_F(vw, unmap_revokes, "UNMAP revokes at once: SIGBUS and EIO after it, the generation moves on")
{
	volatile char *p, *p2;
	uint64_t v;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, 4 * PG, RW), 0);
	p = rpt_map(self->acc, 0, 4 * PG, PROT_READ);
	p2 = rpt_map(self->acc, 0, 4 * PG, PROT_READ);
	KT_ASSERT_EQ(word(p, 2 * PG), 0x1002);
	KT_ASSERT_EQ(word(p2, 2 * PG), 0x1002);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, 4 * PG), 0);
	KT_ASSERT_EQ(rpt_try_load(p + 2 * PG, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(p2 + 2 * PG, &v), SIGBUS);
	KT_ASSERT_ERRNO(pread(self->acc, &v, 8, 2 * PG), EIO);
	KT_ASSERT_EQ(rpt_query(self->ctl).generation, 1);
	KT_ASSERT_EQ(rpt_query(self->ctl).nr_windows, 0);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, 4 * PG), -ENOENT);
	KT_ASSERT_EQ(rpt_query(self->ctl).generation, 1);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, PG + 1, PG), -EINVAL);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, 0), -EINVAL);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, VSIZE, PG), -EOVERFLOW);
	/* A new window at the same offsets works again. */
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem + 8 * PG, 0, 4 * PG, RW), 0);
	KT_ASSERT_EQ(word(p, 2 * PG), 0x100a);
}

KT_TEST_F(vw, unmap_cuts_windows, "UNMAP of part of a window keeps the rest, at the right source offsets")
{
	volatile char *p;
	uint64_t v;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 20 * PG, 8 * PG, RW), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem + 8 * PG, 28 * PG, 8 * PG, RW), 0);
	p = rpt_map(self->acc, 20 * PG, 16 * PG, PROT_READ);
	KT_ASSERT_EQ(word(p, 5 * PG), 0x1005);
	/* Cut the middle of the first and the head of the second. */
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 23 * PG, 2 * PG), 0);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 27 * PG, 3 * PG), 0);
	KT_ASSERT_EQ(rpt_query(self->ctl).nr_windows, 3);
	KT_ASSERT_EQ(rpt_query(self->ctl).generation, 2);
	for (int i = 0; i < 16; i++) {
		bool hole = (i >= 3 && i < 5) || (i >= 7 && i < 10);
		int sig = rpt_try_load(p + i * PG, &v);

		KT_ASSERT_MSG(hole ? sig == SIGBUS : (!sig && v == 0x1000u + i),
			      "page %d: signal %d value %#llx", i, sig, (unsigned long long)v);
	}
}

KT_TEST_F(vw, seal, "LOCK seals the layout for good: MAP and UNMAP fail with EPERM")
{
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, PG, RO), 0);
	KT_ASSERT_EQ(rpt_view_lock(self->ctl), 0);
	KT_ASSERT(rpt_query(self->ctl).flags & REMOTE_PROC_QUERY_SEALED);
	KT_ASSERT(rpt_query(self->acc).flags & REMOTE_PROC_QUERY_SEALED);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, PG, PG, RO), -EPERM);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, PG), -EPERM);
	KT_ASSERT_EQ(rpt_view_lock(self->ctl), 0);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, PG), -EPERM);
	KT_ASSERT_EQ(word(rpt_map(self->acc, 0, PG, PROT_READ), 0), 0x1000);
}

KT_TEST_F(vw, rights_matrix, "writes need the window's W, the mapping's PROT_WRITE and a writable source page")
{
	int ro_acc = rpt_view_access(self->ctl, 0);
	volatile char *p;
	uint64_t v = 1;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, 2 * PG, RO), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem + 2 * PG, 2 * PG, 2 * PG, RW), 0);
	/* mmap: PROT_WRITE over a read-only window is refused. */
	KT_ASSERT(rpt_map(self->acc, 0, 4 * PG, PROT_READ | PROT_WRITE) == MAP_FAILED);
	KT_ASSERT_EQ(errno, EACCES);
	p = rpt_map(self->acc, 0, 4 * PG, PROT_READ);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_ERRNO(mprotect((void *)p, 4 * PG, PROT_READ | PROT_WRITE), EACCES);
	KT_ASSERT_ERRNO(mprotect((void *)p, 4 * PG, PROT_READ | PROT_EXEC), EACCES);
	/* The RW window alone maps writable; writes land. */
	p = rpt_map(self->acc, 2 * PG, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(rpt_try_store(p, 5), 0);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 2 * PG), 5);
	/* A read-only access fd: no writable mapping, no pwrite. */
	KT_ASSERT(rpt_map(ro_acc, 2 * PG, PG, PROT_READ | PROT_WRITE) == MAP_FAILED);
	KT_ASSERT_EQ(errno, EACCES);
	KT_ASSERT_ERRNO(pwrite(ro_acc, &v, 8, 2 * PG), EBADF);
	/* pwrite into a window without W. */
	KT_ASSERT_ERRNO(pwrite(self->acc, &v, 8, 0), EACCES);
	KT_ASSERT_EQ(pwrite(self->acc, &v, 8, 3 * PG), 8);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 3 * PG), 1);
	/* The source page itself read-only: writes through W give SIGBUS. */
	KT_ASSERT_OK(mprotect(self->mem + 2 * PG, PG, PROT_READ));
	KT_ASSERT_EQ(rpt_try_store(p, 6), SIGBUS);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 2 * PG), 5);
}

KT_TEST_F(vw, late_window_rights, "a window added later into a hole of a writable mapping is held to its own rights")
{
	volatile char *p;
	uint64_t v;

	p = rpt_map(self->acc, 40 * PG, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 40 * PG, PG, RO), 0);
	KT_ASSERT_EQ(rpt_try_load(p, &v), 0);
	KT_ASSERT_EQ(v, 0x1000);
	KT_ASSERT_EQ(rpt_try_store(p, 9), SIGBUS);
	KT_ASSERT_EQ(*(uint64_t *)self->mem, 0x1000);
}

typedef int (*fn_t)(void);

KT_TEST_F(vw, exec_right, "code runs from a window with X; PROT_EXEC over a window without X is refused; without the EXEC feature, X is refused (EOPNOTSUPP)")
{
	char *code = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };	/* mov $42,%eax; ret */
	void *p;

	KT_ASSERT(code != MAP_FAILED);
	memcpy(code, ret42, sizeof(ret42));
	if (!(rpt_features(self->dev) & REMOTE_PROC_FEATURE_EXEC)) {
		/* 7.2 made the files of every pseudo filesystem non-executable. */
		KT_ASSERT_MSG(rpt_kernel_at_least(7, 2), "no EXEC feature on %s",
			      rpt_kernel_release());
		kt_diag("this kernel's pseudo files cannot be executable: no EXEC feature");
		KT_ASSERT_EQ(rpt_view_map_self(self->ctl, code, 0, PG,
					       RO | REMOTE_PROC_RIGHT_EXEC), -EOPNOTSUPP);
		KT_ASSERT_EQ(rpt_view_map_self(self->ctl, code, 0, PG, RO), 0);
		KT_ASSERT(rpt_map(self->acc, 0, PG, PROT_READ | PROT_EXEC) == MAP_FAILED);
		KT_ASSERT_EQ(errno, EPERM);
		return;
	}
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, code, 0, PG,
				       RO | REMOTE_PROC_RIGHT_EXEC), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, code, PG, PG, RO), 0);
	p = rpt_map(self->acc, 0, PG, PROT_READ | PROT_EXEC);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(((fn_t)p)(), 42);
	KT_ASSERT(rpt_map(self->acc, PG, PG, PROT_READ | PROT_EXEC) == MAP_FAILED);
	KT_ASSERT_EQ(errno, EACCES);
}

static void make_file(const char *path, int pages)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	KT_ASSERT(fd >= 0);
	for (int i = 0; i < pages; i++) {
		uint64_t buf[PG / 8] = { 0x2000u + i };

		KT_ASSERT_EQ(write(fd, buf, PG), PG);
	}
	close(fd);
}

static uint64_t file_word(const char *path, off_t off)
{
	uint64_t v = 0;
	int fd = open(path, O_RDONLY);

	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, off), 8);
	close(fd);
	return v;
}

/* Window a shared mapping of fd into the view; check reads and writes. */
static void fd_source(struct kt_fx_vw *self, int fd, const char *path, int pages)
{
	char *own = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile char *p;
	uint64_t v;

	KT_ASSERT(own != MAP_FAILED);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, own, 64 * PG, pages * PG, RW), 0);
	p = rpt_map(self->acc, 64 * PG, pages * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT(p != MAP_FAILED);
	KT_ASSERT_EQ(word(p, 2 * PG), 0x2002);
	KT_ASSERT_EQ(rpt_try_store(p + 3 * PG + 8, 0x3333), 0);
	KT_ASSERT_EQ(rpt_try_store(p + PG + 16, 0x4444), 0);
	KT_ASSERT_OK(msync(own, pages * PG, MS_SYNC));
	if (path)
		KT_ASSERT_EQ(file_word(path, 3 * PG + 8), 0x3333);
	KT_ASSERT_EQ(pread(fd, &v, 8, 3 * PG + 8), 8);
	KT_ASSERT_EQ(v, 0x3333);
	/* Truncation: SIGBUS past the new end, through the view too. */
	KT_ASSERT_OK(ftruncate(fd, 2 * PG));
	KT_ASSERT_EQ(rpt_try_load(p + 3 * PG, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_try_load(p + PG, &v), 0);
	KT_ASSERT_EQ(v, 0x2001);
}

KT_TEST_F(vw, source_memfd, "a memfd the owner maps can be windowed; writes reach it; truncation gives SIGBUS")
{
	int fd = memfd_create("rpt-view", 0);
	uint64_t buf[PG / 8];

	KT_ASSERT(fd >= 0);
	for (int i = 0; i < 8; i++) {
		buf[0] = 0x2000u + i;
		KT_ASSERT_EQ(write(fd, buf, PG), PG);
	}
	fd_source(self, fd, NULL, 8);
}

KT_TEST_F(vw, source_tmpfs_file, "a tmpfs file the owner maps can be windowed; writes reach the file")
{
	const char *path = "/tmp/rpt_view_file";
	int fd;

	make_file(path, 8);
	fd = open(path, O_RDWR);
	fd_source(self, fd, path, 8);
	unlink(path);
}

KT_TEST_F(vw, source_disk_file, "a regular (ext4, page cache) file can be windowed; writes reach the file")
{
	char path[64];
	int fd;

	if (system("mkdir -p /mnt/rptv && (mountpoint -q /mnt/rptv || "
		   "(modprobe zram; id=$(cat /sys/class/zram-control/hot_add) && "
		   "echo 32M > /sys/block/zram$id/disksize && "
		   "mke2fs -b 4096 /dev/zram$id >/dev/null 2>&1 && "
		   "mount -t ext4 /dev/zram$id /mnt/rptv))"))
		kt_skip("no zram disk with ext4 in this kernel");
	snprintf(path, sizeof(path), "/mnt/rptv/file");
	make_file(path, 8);
	fd = open(path, O_RDWR);
	fd_source(self, fd, path, 8);
	close(fd);
	sync();
	KT_ASSERT_OK(rpt_write_file("/proc/sys/vm/drop_caches", "3"));
	KT_ASSERT_EQ(file_word(path, PG + 16), 0x4444);
	unlink(path);
}

KT_TEST_F(vw, recursion_refused, "a view's own mapping used as a source gives SIGBUS and EIO")
{
	volatile char *inner, *outer;
	uint64_t v;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, PG, RO), 0);
	inner = rpt_map(self->acc, 0, PG, PROT_READ);
	KT_ASSERT_EQ(word(inner, 0), 0x1000);
	/* Window the view's own mapping back into the view. */
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, (void *)inner, PG, PG, RO), 0);
	outer = rpt_map(self->acc, PG, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_try_load(outer, &v), SIGBUS);
	KT_ASSERT_ERRNO(pread(self->acc, &v, 8, PG), EIO);
	KT_ASSERT_EQ(word(inner, 0), 0x1000);
}

KT_TEST_F(vw, fd_kinds, "access fds take no layout ioctl, control fds no mmap or read")
{
	struct remote_proc_unmap u = { .offset = 0, .length = PG };
	char buf[8];
	int mirror = rpt_attach_pid(self->dev, getpid(), 0);

	KT_ASSERT_ERRNO(ioctl(self->acc, REMOTE_PROC_IOC_UNMAP, &u), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(mirror, REMOTE_PROC_IOC_UNMAP, &u), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(self->acc, REMOTE_PROC_IOC_VIEW_CREATE, &u), ENOTTY);
	KT_ASSERT(mmap(NULL, PG, PROT_READ, MAP_SHARED, self->ctl, 0) == MAP_FAILED);
	KT_ASSERT_EQ(errno, ENODEV);
	KT_ASSERT_ERRNO(read(self->ctl, buf, 8), EINVAL);
	KT_ASSERT_EQ(rpt_query(mirror).flags, REMOTE_PROC_QUERY_MIRROR | REMOTE_PROC_QUERY_SEALED);
}

KT_TEST_F(vw, poll_events, "poll: POLLPRI for each revocation until QUERY, POLLHUP when a source exits")
{
	struct pollfd pfd = { .fd = self->acc, .events = POLLIN | POLLPRI };
	struct rpt_target t;
	int m;

	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 0, 2 * PG, RO), 0);
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 1);
	KT_ASSERT_EQ(pfd.revents, POLLIN);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, PG, PG), 0);
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 1);
	KT_ASSERT(pfd.revents & POLLPRI);
	KT_ASSERT_EQ(rpt_query(self->acc).generation, 1);
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 1);
	KT_ASSERT(!(pfd.revents & POLLPRI));

	/* A waiter is woken by the revocation. */
	{
		pid_t pid = fork();

		KT_ASSERT(pid >= 0);
		if (pid == 0) {
			usleep(200000);
			_exit(rpt_view_unmap(self->ctl, 0, PG) ? 1 : 0);
		}
		pfd.events = POLLPRI;
		KT_ASSERT_EQ(poll(&pfd, 1, 10000), 1);
		KT_ASSERT(pfd.revents & POLLPRI);
		KT_ASSERT_EQ(rpt_query(self->acc).generation, 2);
		waitpid(pid, NULL, 0);
	}

	/* POLLHUP once a source target is gone, and woken for it. */
	rpt_target_fork(&t);
	m = rpt_attach_pid(self->dev, t.pid, 0);
	KT_ASSERT_EQ(rpt_view_map(self->ctl, m, 0, RO, 0x400000, 8 * PG, PG), 0);
	pfd.events = POLLPRI;
	KT_ASSERT_EQ(poll(&pfd, 1, 0), 0);
	{
		pid_t pid = fork();

		KT_ASSERT(pid >= 0);
		if (pid == 0) {
			usleep(200000);
			kill(t.pid, SIGKILL);
			_exit(0);
		}
		KT_ASSERT_EQ(poll(&pfd, 1, 10000), 1);
		KT_ASSERT(pfd.revents & POLLHUP);
		waitpid(pid, NULL, 0);
	}
	KT_ASSERT(rpt_query(self->acc).flags & REMOTE_PROC_QUERY_DEAD);
	waitpid(t.pid, NULL, 0);
	t.pid = 0;
}

static void restore_limits(void *arg)
{
	rpt_write_file("/sys/module/remote_proc/parameters/max_windows_per_view", "4096");
	rpt_write_file("/sys/module/remote_proc/parameters/max_views_per_fd", "256");
}

KT_TEST_F(vw, limits, "window and view caps give ENOSPC and leave nothing half-built")
{
	int v1, v2;

	kt_set_cleanup(restore_limits, NULL);
	KT_ASSERT_EQ(rpt_write_file("/sys/module/remote_proc/parameters/max_windows_per_view",
				    "3"), 0);
	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, i * 8 * PG, 4 * PG, RO), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 100 * PG, PG, RO), -ENOSPC);
	/* Cutting a window in two needs one more. */
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, PG, PG), -ENOSPC);
	KT_ASSERT_EQ(rpt_query(self->ctl).nr_windows, 3);
	KT_ASSERT_EQ(rpt_query(self->ctl).generation, 0);
	KT_ASSERT_EQ(word(rpt_map(self->acc, 0, 4 * PG, PROT_READ), PG), 0x1001);
	KT_ASSERT_EQ(rpt_view_unmap(self->ctl, 0, 4 * PG), 0);
	KT_ASSERT_EQ(rpt_view_map_self(self->ctl, self->mem, 100 * PG, PG, RO), 0);

	KT_ASSERT_EQ(rpt_write_file("/sys/module/remote_proc/parameters/max_views_per_fd", "2"), 0);
	v1 = rpt_view_create(self->dev, PG);	/* the fixture's view is the first */
	KT_ASSERT(v1 >= 0);
	KT_ASSERT_EQ(rpt_view_create(self->dev, PG), -ENOSPC);
	close(v1);
	v2 = rpt_view_create(self->dev, PG);
	KT_ASSERT(v2 >= 0);
	restore_limits(NULL);
}
