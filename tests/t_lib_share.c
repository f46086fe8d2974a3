// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libremoteproc 1.1: sharing a file (memfd, tmpfs, ext4) through a view
 * with remote_proc_view_map_fd(), a consumer in another process told of
 * the revocation by remote_proc_view_wait(), and populate.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libremoteproc.h"

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/lview.h"
#include "lib/rpt.h"


/* Whether /proc/self/maps has a line containing s. */
static bool mapped(const char *s)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, s) != NULL;
	fclose(f);
	return found;
}

/* A file of n pages, page i starting with 0x2000 + i. */
static void fill_file(int fd, int pages)
{
	uint64_t buf[PG / 8] = { 0 };

	KT_ASSERT_OK(ftruncate(fd, 0));
	for (int i = 0; i < pages; i++) {
		buf[0] = 0x2000u + i;
		KT_ASSERT_EQ(pwrite(fd, buf, PG, i * PG), PG);
	}
}

/*
 * The fd-source helper on fd (8 pages): file pages 1..6 at view offset
 * 16 pages; writes both ways; revoke, then release the local mapping.
 */
static void map_fd_checks(struct kt_fx_lv *self, int fd)
{
	uint64_t v = 0, *local, *p;
	void *lp;

	fill_file(fd, 8);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 16 * PG, fd, PG, 6 * PG, RW, &lp), 0);
	local = lp;
	KT_ASSERT_EQ(local[0], 0x2001);
	KT_ASSERT_EQ(remote_proc_map(self->acc, 16 * PG, 6 * PG, RW, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + 2 * PG / 8), 0x2003);
	KT_ASSERT_EQ(rpt_try_store(p + 3 * PG / 8 + 1, 0x3333), 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, 4 * PG + 8), 8);
	KT_ASSERT_EQ(v, 0x3333);
	v = 0x4444;
	KT_ASSERT_EQ(pwrite(fd, &v, 8, 6 * PG + 16), 8);
	KT_ASSERT_EQ(rpt_load(p + 5 * PG / 8 + 2), 0x4444);
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 1);
	/* Revoke, then release: the consumer sees SIGBUS, the file stays. */
	KT_ASSERT_EQ(remote_proc_view_unmap(self->ctl, 16 * PG, 6 * PG), 0);
	KT_ASSERT_EQ(rpt_try_load(p, &v), SIGBUS);
	KT_ASSERT_EQ(local[PG / 8], 0x2002);
	KT_ASSERT_EQ(remote_proc_unmap(lp, 6 * PG), 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, 4 * PG + 8), 8);
	KT_ASSERT_EQ(v, 0x3333);
	remote_proc_unmap(p, 6 * PG);
}

KT_TEST_F(lv, map_fd_memfd, "view_map_fd with a memfd: the file's pages, both ways, until revoked")
{
	int fd = memfd_create("rpt-lv", MFD_CLOEXEC);

	KT_ASSERT(fd >= 0);
	map_fd_checks(self, fd);
	KT_ASSERT(!mapped("/memfd:rpt-lv"));
	close(fd);
}

KT_TEST_F(lv, map_fd_tmpfs, "view_map_fd with a tmpfs file; an unaligned length is rounded up to pages")
{
	const char *path = "/tmp/rpt_lv_file";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint64_t v, *p;
	void *lp;

	KT_ASSERT(fd >= 0);
	map_fd_checks(self, fd);
	/* 10000 bytes: three pages, zeros after the end of the file. */
	KT_ASSERT_OK(ftruncate(fd, 10000));
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, 10000, PROT_READ, &lp), 0);
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 1);
	KT_ASSERT_EQ(remote_proc_map(self->acc, 0, 4 * PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + 2 * PG / 8), 0x2002);
	KT_ASSERT_EQ(rpt_load(p + 10000 / 8 + 1), 0);
	KT_ASSERT_EQ(rpt_try_load(p + 3 * PG / 8, &v), SIGBUS);	/* not windowed */
	/* The file is truncated under the window: SIGBUS past its end. */
	KT_ASSERT_OK(ftruncate(fd, PG));
	KT_ASSERT_EQ(rpt_try_load(p + 2 * PG / 8, &v), SIGBUS);
	KT_ASSERT_EQ(rpt_load(p), 0x2000);
	close(fd);
	unlink(path);
}

static int ext4_mounted(void)
{
	return system("mkdir -p /mnt/rptv && (mountpoint -q /mnt/rptv || "
		      "(modprobe zram; id=$(cat /sys/class/zram-control/hot_add) && "
		      "echo 32M > /sys/block/zram$id/disksize && "
		      "mke2fs -b 4096 /dev/zram$id >/dev/null 2>&1 && "
		      "mount -t ext4 /dev/zram$id /mnt/rptv))") == 0;
}

KT_TEST_F(lv, map_fd_disk, "view_map_fd with a regular ext4 file: writes through the view reach the disk")
{
	const char *path = "/mnt/rptv/lib_views";
	uint64_t v = 0;
	int fd;

	if (!ext4_mounted())
		kt_skip("no zram disk with ext4 in this kernel");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	map_fd_checks(self, fd);
	KT_ASSERT_OK(fsync(fd));
	close(fd);
	KT_ASSERT_OK(rpt_write_file("/proc/sys/vm/drop_caches", "3"));
	fd = open(path, O_RDONLY);
	KT_ASSERT_EQ(pread(fd, &v, 8, 4 * PG + 8), 8);
	KT_ASSERT_EQ(v, 0x3333);
	close(fd);
	unlink(path);
}

KT_TEST_F(lv, map_fd_munmap, "munmap of the local mapping without a revocation: SIGBUS, no event")
{
	int fd = memfd_create("rpt-lv-munmap", MFD_CLOEXEC);
	uint64_t v, *p;
	void *lp;

	KT_ASSERT(fd >= 0);
	fill_file(fd, 4);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, 4 * PG, PROT_READ, &lp), 0);
	close(fd);	/* the mapping keeps the file */
	KT_ASSERT_EQ(remote_proc_map(self->acc, 0, 4 * PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + PG / 8), 0x2001);
	KT_ASSERT_OK(munmap(lp, 4 * PG));
	KT_ASSERT_EQ(rpt_try_load(p + PG / 8, &v), SIGBUS);
	KT_ASSERT_EQ(remote_proc_pread(self->acc, PG, &v, 8), -EIO);
	KT_ASSERT_EQ(remote_proc_view_wait(self->acc, 0, NULL, 0), 0);
	KT_ASSERT_EQ(vquery(self->ctl).generation, 0);
	remote_proc_unmap(p, 4 * PG);
}

KT_TEST_F(lv, map_fd_errors, "view_map_fd: each error, and nothing left mapped after one")
{
	int fd = memfd_create("rpt-lv-err", MFD_ALLOW_SEALING), ro, pipefd[2], sealed;
	const char *path = "/tmp/rpt_lv_ro";
	void *lp = NULL;

	KT_ASSERT(fd >= 0);
	fill_file(fd, 4);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, PG, PROT_READ, NULL), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 8, fd, 0, PG, PROT_READ, &lp), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 8, PG, PROT_READ, &lp), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, 0, PROT_READ, &lp), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, PG, PROT_WRITE, &lp), -EINVAL);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, -1, 0, PG, PROT_READ, &lp), -EBADF);
	KT_ASSERT_OK(pipe(pipefd));
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, pipefd[0], 0, PG, PROT_READ, &lp),
		     -ENODEV);
	/* A read-only fd can back a read-only window, not a writable one. */
	close(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
	ro = open(path, O_RDONLY);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, ro, 0, PG, RW, &lp), -EACCES);
	KT_ASSERT(!mapped(path));
	/* The window cannot be added: the local mapping is undone. */
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 0, fd, 0, 2 * PG, PROT_READ, &lp), 0);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, PG, ro, 0, PG, PROT_READ, &lp), -EEXIST);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, VSIZE, ro, 0, PG, PROT_READ, &lp),
		     -EOVERFLOW);
	KT_ASSERT(!mapped(path));
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->acc, 8 * PG, ro, 0, PG, PROT_READ, &lp),
		     -ENOTTY);
	KT_ASSERT(!mapped(path));
	/* A memfd sealed against writes cannot be shared writable. */
	sealed = memfd_create("rpt-lv-sealed", MFD_ALLOW_SEALING);
	KT_ASSERT_OK(ftruncate(sealed, PG));
	KT_ASSERT_OK(fcntl(sealed, F_ADD_SEALS, F_SEAL_WRITE));
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 8 * PG, sealed, 0, PG, RW, &lp), -EPERM);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 8 * PG, sealed, 0, PG, PROT_READ, &lp), 0);
	/* A sealed view. */
	KT_ASSERT_EQ(remote_proc_view_lock(self->ctl), 0);
	KT_ASSERT_EQ(remote_proc_view_map_fd(self->ctl, 16 * PG, ro, 0, PG, PROT_READ, &lp),
		     -EPERM);
	KT_ASSERT(!mapped(path));
	KT_ASSERT_EQ(vquery(self->ctl).nr_windows, 2);
	close(sealed);
	close(ro);
	close(fd);
	unlink(path);
}

KT_TEST_F(lv, populate, "populate maps a view mapping ahead of use: no faults after; errors")
{
	char *other = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int null = open("/dev/null", O_RDONLY);
	uint64_t n = 99;
	uint8_t *p;

	KT_ASSERT_EQ(remote_proc_view_map_self(self->ctl, 0, self->mem, 64 * PG, RW), 0);
	/* An unaligned pointer and length, as remote_proc_map() gives them. */
	KT_ASSERT_EQ(remote_proc_map(self->acc, 100, 64 * PG - 200, PROT_READ, 0, (void **)&p), 0);
	rpt_stats_reset();
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, 64 * PG - 200, 0, &n), 0);
	KT_ASSERT_EQ(n, 64);
	KT_ASSERT_EQ(rpt_stat("populate_pages"), 64);
	for (int i = 0; i < 64; i++)
		KT_ASSERT_EQ(rpt_load(p - 100 + i * PG), 0x1000 + i);
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, PG, REMOTE_PROC_POPULATE_FOR_WRITE, &n),
		     -EACCES);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, PG, 0x2, &n), -EINVAL);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, 0, 0, &n), -EINVAL);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, other, PG, 0, &n), -ENXIO);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, (void *)-PG, 2 * PG, 0, NULL), -EOVERFLOW);
	KT_ASSERT_EQ(remote_proc_populate(null, p, PG, 0, &n), -ENOTTY);
	KT_ASSERT_EQ(remote_proc_populate(-1, p, PG, 0, &n), -EBADF);
	remote_proc_unmap(p, 64 * PG - 200);
	/* Past the end of a mapping: what was mapped before is counted. */
	KT_ASSERT_EQ(remote_proc_map(self->acc, 0, 4 * PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, 8 * PG, 0, &n), -ENXIO);
	KT_ASSERT_EQ(n, 4);
	remote_proc_unmap(p, 4 * PG);
	/* For write: stores do not fault either. */
	KT_ASSERT_EQ(remote_proc_map(self->acc, 0, 16 * PG, RW, 0, (void **)&p), 0);
	rpt_stats_reset();
	KT_ASSERT_EQ(remote_proc_populate(self->acc, p, 16 * PG, REMOTE_PROC_POPULATE_FOR_WRITE,
					  &n), 0);
	KT_ASSERT_EQ(n, 16);
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(rpt_try_store(p + i * PG + 8, i), 0);
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	KT_ASSERT_EQ(*(uint64_t *)(self->mem + 15 * PG + 8), 15);
	close(null);
}

KT_TEST(map_populate_flag, "remote_proc_map with REMOTE_PROC_MMAP_POPULATE maps every page before returning")
{
	struct rpt_mirror m;
	uint64_t a;
	void *p;

	rpt_mirror_start(&m, 0);
	a = rpt_target_anon(&m.t, 32 * PG);
	rpt_stamp(&m, a, 32 * PG, 3);
	rpt_stats_reset();
	KT_ASSERT_EQ(remote_proc_map(m.fd, a, 32 * PG, PROT_READ, REMOTE_PROC_MMAP_POPULATE, &p), 0);
	KT_ASSERT_EQ(rpt_stat("populate_pages"), 32);
	for (uint64_t o = 0; o < 32 * PG; o += PG)
		KT_ASSERT_EQ(rpt_load((char *)p + o), rpt_stamp_of(a + o, 3));
	KT_ASSERT_EQ(rpt_stat("faults"), 0);
	remote_proc_unmap(p, 32 * PG);
	KT_ASSERT_EQ(remote_proc_map(m.fd, a, PG, PROT_READ, 0x2, &p), -EINVAL);
	rpt_mirror_stop(&m);
}

/* Consumer: map what it was sent, read, wait for the revocation, check SIGBUS. */
static void consumer(int sock)
{
	struct remote_proc_view_info vi;
	int acc = rpt_recv_fd(sock), ev;
	uint64_t *p, v;

	KT_ASSERT_EQ(remote_proc_map(acc, 0, 8 * PG, PROT_READ, 0, (void **)&p), 0);
	for (int i = 0; i < 8; i++)
		KT_ASSERT_EQ(rpt_load(p + i * PG / 8), 0x2000 + i);
	KT_ASSERT_EQ(write(sock, "r", 1), 1);
	ev = remote_proc_view_wait(acc, 10000, &vi, sizeof(vi));
	KT_ASSERT_EQ(ev, REMOTE_PROC_EVENT_REVOKED);
	KT_ASSERT_EQ(vi.generation, 1);
	KT_ASSERT_EQ(vi.nr_windows, 0);
	for (int i = 0; i < 8; i++)
		KT_ASSERT_EQ(rpt_try_load(p + i * PG / 8, &v), SIGBUS);
	/* The access fd it was given cannot change the view. */
	KT_ASSERT_EQ(remote_proc_view_unmap(acc, 0, PG), -ENOTTY);
	_exit(0);
}

KT_TEST_TIMEOUT(revoke_across_processes, 60, "a consumer sent an access fd sees the file, then the revocation through view_wait, then SIGBUS")
{
	int sv[2], dev = lib_dev(), ctl, acc, fd, status;
	void *local;
	pid_t pid;
	char c;

	KT_ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	fflush(stdout);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		consumer(sv[1]);
	}
	close(sv[1]);
	fd = memfd_create("rpt-lv-share", MFD_CLOEXEC);
	fill_file(fd, 8);
	ctl = remote_proc_view_create(dev, 8 * PG);
	KT_ASSERT_EQ(remote_proc_view_map_fd(ctl, 0, fd, 0, 8 * PG, PROT_READ, &local), 0);
	acc = remote_proc_view_access(ctl, 0);
	rpt_send_fd(sv[0], acc);
	close(acc);
	KT_ASSERT_EQ(read(sv[0], &c, 1), 1);	/* it has read the data */
	usleep(200000);				/* and waits */
	KT_ASSERT_EQ(remote_proc_view_unmap(ctl, 0, 8 * PG), 0);
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "consumer ended with 0x%x", status);
	KT_ASSERT_EQ(remote_proc_unmap(local, 8 * PG), 0);
}

KT_TEST_TIMEOUT(owner_exit_dead, 60, "when the owner of a window of its own memory exits, view_wait reports DEAD")
{
	int sv[2], acc, status;
	uint64_t *p, v;
	pid_t pid;

	KT_ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	fflush(stdout);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		int dev = lib_dev(), ctl, fd = memfd_create("rpt-lv-owner", 0);
		void *local;
		char c;

		fill_file(fd, 2);
		ctl = remote_proc_view_create(dev, 2 * PG);
		KT_ASSERT_EQ(remote_proc_view_map_fd(ctl, 0, fd, 0, 2 * PG, PROT_READ, &local), 0);
		rpt_send_fd(sv[1], remote_proc_view_access(ctl, 0));
		KT_ASSERT_EQ(read(sv[1], &c, 1), 1);
		_exit(0);
	}
	close(sv[1]);
	acc = rpt_recv_fd(sv[0]);
	KT_ASSERT_EQ(remote_proc_map(acc, 0, 2 * PG, PROT_READ, 0, (void **)&p), 0);
	KT_ASSERT_EQ(rpt_load(p + PG / 8), 0x2001);
	KT_ASSERT_EQ(remote_proc_view_wait(acc, 0, NULL, 0), 0);
	KT_ASSERT_EQ(write(sv[0], "x", 1), 1);	/* the owner may exit now */
	KT_ASSERT_EQ(remote_proc_view_wait(acc, 10000, NULL, 0), REMOTE_PROC_EVENT_DEAD);
	KT_ASSERT_EQ(rpt_try_load(p + PG / 8, &v), SIGBUS);
	KT_ASSERT(vquery(acc).flags & REMOTE_PROC_VIEW_DEAD);
	KT_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
