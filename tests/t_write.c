// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Writes through a mirror never modify a page the target could not write
 * itself without copy-on-write, and dirty the pages they do write.
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

KT_FIXTURE(wr) {
	struct rpt_mirror m;
};

KT_SETUP(wr)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
}

KT_TEARDOWN(wr)
{
	rpt_mirror_stop(&self->m);
}

static uint64_t peek(pid_t pid, uint64_t addr)
{
	int fd = rpt_open_mem(pid, O_RDONLY);
	uint64_t v = 0;

	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, addr), 8);
	close(fd);
	return v;
}

KT_TEST_F(wr, zero_page, "a write to a zero-page-backed address breaks the target's COW; the zero page stays zero")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG);
	volatile uint64_t *p;
	static char fresh[4 * PG] __attribute__((aligned(4096)));

	/* The target reads: its PTEs now map the shared zero page. */
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 0);
	KT_ASSERT_EQ(rpt_tload(&self->m, a + PG), 0);
	KT_ASSERT(rpt_pfn(self->m.t.pid, a) != 0);
	KT_ASSERT_EQ(rpt_pfn(self->m.t.pid, a), rpt_pfn(self->m.t.pid, a + PG));
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(p), 0);
	KT_ASSERT_EQ(rpt_try_store(p, 0x77), 0);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 0x77);
	KT_ASSERT_EQ(rpt_tload(&self->m, a + PG), 0);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0);
	/* Zero-page reads elsewhere still see zeros. */
	for (int i = 0; i < 4; i++)
		KT_ASSERT_EQ(*(volatile uint64_t *)(fresh + i * PG), 0);
}

KT_TEST_F(wr, cow_shared_after_fork, "a write to a page shared with the target's forked child changes only the target's copy")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p;
	pid_t child;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 1, 0, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(p), 1);
	child = rpt_do(&self->m.t, RPT_OP_FORK, 0, 0, 0, 0, NULL);
	KT_ASSERT_EQ(rpt_try_store(p, 2), 0);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 2);
	KT_ASSERT_EQ(peek(child, a), 1);
	kill(child, SIGKILL);
}

KT_TEST_F(wr, readonly_mapping, "a write to a mapping the target cannot write gives SIGBUS and changes nothing")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG);
	volatile uint64_t *p;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 3, 0, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_READ, 0, NULL);
	p = rpt_mirror_map(&self->m, a, PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_try_store(p, 4), SIGBUS);
	KT_ASSERT_EQ(rpt_load(p), 3);
	KT_ASSERT_EQ(rpt_try_store(p, 4), SIGBUS);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 3);
}

static void make_file(const char *path, uint64_t len, int byte)
{
	char buf[PG];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	KT_ASSERT(fd >= 0);
	memset(buf, byte, sizeof(buf));
	for (uint64_t o = 0; o < len; o += PG)
		KT_ASSERT_EQ(write(fd, buf, PG), PG);
	close(fd);
}

static uint64_t file_word(const char *path, uint64_t off)
{
	int fd = open(path, O_RDONLY);
	uint64_t v = 0;

	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &v, 8, off), 8);
	close(fd);
	return v;
}

KT_TEST_F(wr, private_file_page, "a write to a clean private file page lands in the target's private copy, not the file")
{
	const char *path = "/tmp/rpt_private";
	uint64_t a;
	volatile uint64_t *p;

	make_file(path, 2 * PG, 0x11);
	a = rpt_do(&self->m.t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, path);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 0x1111111111111111ull);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(p), 0x1111111111111111ull);
	KT_ASSERT_EQ(rpt_try_store(p, 5), 0);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 5);
	KT_ASSERT_EQ(file_word(path, 0), 0x1111111111111111ull);
	unlink(path);
}

/* A write through the mirror into a MAP_SHARED file mapping reaches the file. */
static void shared_file(struct rpt_mirror *m, const char *path, bool evict)
{
	uint64_t a;
	volatile uint64_t *p;

	make_file(path, 2 * PG, 0x22);
	a = rpt_do(&m->t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, path);
	/* The target only reads: its PTE is clean (and read-only with write-notify). */
	KT_ASSERT_EQ(rpt_tload(m, a + PG), 0x2222222222222222ull);
	p = rpt_mirror_map(m, a, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_load(MW(p, a, a + PG)), 0x2222222222222222ull);
	KT_ASSERT_EQ(rpt_try_store(MW(p, a, a + PG + 8), 0x6666), 0);
	KT_ASSERT_EQ(file_word(path, PG + 8), 0x6666);
	if (evict) {
		/* Write back and drop the page cache: the data must be on disk. */
		rpt_do(&m->t, RPT_OP_MUNMAP, a, 2 * PG, 0, 0, NULL);
		sync();
		KT_ASSERT_OK(rpt_write_file("/proc/sys/vm/drop_caches", "3"));
		KT_ASSERT_EQ(file_word(path, PG + 8), 0x6666);
	}
}

KT_TEST_F(wr, shared_tmpfs_file, "a write into a shared tmpfs file mapping reaches the file")
{
	shared_file(&self->m, "/tmp/rpt_shared", false);
	unlink("/tmp/rpt_shared");
}

/* An ext2 filesystem (ext4 driver) on a zram disk, for real writeback. */
static const char *disk_fs(void)
{
	static const char *mnt = "/mnt/rpt";
	char dev[64], cmd[192];
	long long id;

	if (access("/mnt/rpt/lost+found", F_OK) == 0)
		return mnt;
	if (system("modprobe zram >/dev/null 2>&1"))
		return NULL;
	id = rpt_read_ll("/sys/class/zram-control/hot_add");
	if (id < 0)
		return NULL;
	snprintf(dev, sizeof(dev), "/sys/block/zram%lld/disksize", id);
	if (rpt_write_file(dev, "64M"))
		return NULL;
	snprintf(cmd, sizeof(cmd),
		 "mke2fs -b 4096 /dev/zram%lld >/dev/null 2>&1 && mkdir -p %s && mount -t ext4 /dev/zram%lld %s",
		 id, mnt, id, mnt);
	if (system(cmd))
		return NULL;
	return mnt;
}

KT_TEST_F(wr, shared_disk_file, "a write into a shared ext4 file mapping is written back to disk")
{
	const char *fs = disk_fs();
	char path[64];

	if (!fs)
		kt_skip("no zram disk with ext4 in this kernel");
	snprintf(path, sizeof(path), "%s/shared", fs);
	shared_file(&self->m, path, true);
	unlink(path);
}

KT_TEST_F(wr, shmem_dirty_survives_swap, "mirror writes into shared memory are dirty: they survive the page's swap-out")
{
	uint64_t a;
	volatile uint64_t *p;

	if (!rpt_swap_on())
		kt_skip("no swap device");
	a = rpt_do(&self->m.t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, NULL);
	rpt_do(&self->m.t, RPT_OP_FILL, a, 2 * PG, 0x33, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2 * PG, MADV_PAGEOUT, 0, NULL);
	/* Back in, read-only: clean in the swap cache. */
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 0x3333333333333333ull);
	p = rpt_mirror_map(&self->m, a, 2 * PG, PROT_READ | PROT_WRITE);
	KT_ASSERT_EQ(rpt_try_store(p, 0x4444), 0);
	rpt_do(&self->m.t, RPT_OP_MADVISE, a, 2 * PG, MADV_PAGEOUT, 0, NULL);
	KT_ASSERT_EQ(rpt_tload(&self->m, a), 0x4444);
	KT_ASSERT_EQ(rpt_load(p), 0x4444);
}

KT_TEST_F(wr, readonly_mirror_fd, "a read-only mirror is never writable: EBADF for pwrite, no writable mapping")
{
	struct rpt_mirror ro;
	uint64_t a, v = 1;
	volatile uint64_t *p;

	rpt_mirror_start(&ro, 0);
	a = rpt_target_anon(&ro.t, PG);
	p = rpt_mirror_map(&ro, a, PG, PROT_READ);
	KT_ASSERT_EQ(rpt_try_store(p, 1), SIGSEGV);
	KT_ASSERT_ERRNO(pwrite(ro.fd, &v, 8, a), EBADF);
	KT_ASSERT_EQ(rpt_tload(&ro, a), 0);
	rpt_mirror_stop(&ro);
}
