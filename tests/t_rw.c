// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * read/write on a mirror fd: /proc/PID/mem semantics at offset = address.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/rpt.h"

KT_FIXTURE(rw) {
	struct rpt_mirror m;
};

KT_SETUP(rw)
{
	rpt_mirror_start(&self->m, REMOTE_PROC_ATTACH_WRITE);
}

KT_TEARDOWN(rw)
{
	rpt_mirror_stop(&self->m);
}

KT_TEST_F(rw, pread_pwrite, "pread and pwrite at offset = address read and write the target's memory")
{
	uint64_t a = rpt_target_anon(&self->m.t, 4 * PG), buf[1024], v;

	rpt_stamp(&self->m, a, 4 * PG, 1);
	KT_ASSERT_EQ(pread(self->m.fd, buf, sizeof(buf), a + PG), sizeof(buf));
	KT_ASSERT_EQ(buf[0], rpt_stamp_of(a + PG, 1));
	v = 0x12345;
	KT_ASSERT_EQ(pwrite(self->m.fd, &v, 8, a + 2 * PG + 24), 8);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 2 * PG + 24, 0, 0, 0, NULL), 0x12345);
}

KT_TEST_F(rw, unmapped_eio, "pread and pwrite of an unmapped address fail with EIO")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v = 0;

	rpt_do(&self->m.t, RPT_OP_MUNMAP, a, PG, 0, 0, NULL);
	KT_ASSERT_ERRNO(pread(self->m.fd, &v, 8, a), EIO);
	KT_ASSERT_ERRNO(pwrite(self->m.fd, &v, 8, a), EIO);
}

KT_TEST_F(rw, partial_transfer, "a transfer running into an unmapped page returns the bytes done")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG);
	char buf[2 * PG];

	rpt_do(&self->m.t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	KT_ASSERT_EQ(pread(self->m.fd, buf, sizeof(buf), a + PG - 100), 100);
	KT_ASSERT_EQ(pwrite(self->m.fd, buf, sizeof(buf), a + PG - 64), 64);
}

KT_TEST_F(rw, vectored, "preadv and pwritev work across segments")
{
	uint64_t a = rpt_target_anon(&self->m.t, 2 * PG), x = 0, y = 0, w1 = 7, w2 = 9;
	struct iovec in[2] = { { &x, 8 }, { &y, 8 } }, out[2] = { { &w1, 8 }, { &w2, 8 } };

	KT_ASSERT_EQ(pwritev(self->m.fd, out, 2, a + PG - 8), 16);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + PG - 8, 0, 0, 0, NULL), 7);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + PG, 0, 0, 0, NULL), 9);
	KT_ASSERT_EQ(preadv(self->m.fd, in, 2, a + PG - 8), 16);
	KT_ASSERT_EQ(x, 7);
	KT_ASSERT_EQ(y, 9);
}

KT_TEST_F(rw, file_position, "read/write use and advance the file position; lseek supports SET and CUR only")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v = 0;

	rpt_do(&self->m.t, RPT_OP_STORE, a + 8, 44, 0, 0, NULL);
	KT_ASSERT_EQ(lseek(self->m.fd, a, SEEK_SET), (off_t)a);
	KT_ASSERT_EQ(lseek(self->m.fd, 8, SEEK_CUR), (off_t)(a + 8));
	KT_ASSERT_EQ(read(self->m.fd, &v, 8), 8);
	KT_ASSERT_EQ(v, 44);
	KT_ASSERT_EQ(lseek(self->m.fd, 0, SEEK_CUR), (off_t)(a + 16));
	v = 45;
	KT_ASSERT_EQ(write(self->m.fd, &v, 8), 8);
	KT_ASSERT_EQ(rpt_do(&self->m.t, RPT_OP_LOAD, a + 16, 0, 0, 0, NULL), 45);
	KT_ASSERT_ERRNO(lseek(self->m.fd, 0, SEEK_END), EINVAL);
	KT_ASSERT_ERRNO(lseek(self->m.fd, -1, SEEK_SET), EINVAL);
}

KT_TEST_F(rw, after_exit_zero, "after the target exits, pread returns 0 (end of file)")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v;

	rpt_target_exit(&self->m.t);
	KT_ASSERT_EQ(pread(self->m.fd, &v, 8, a), 0);
	KT_ASSERT_EQ(pwrite(self->m.fd, &v, 8, a), 0);
}

KT_TEST_F(rw, prot_none_like_proc_mem, "PROT_NONE memory: pread behaves exactly like /proc/PID/mem")
{
	uint64_t a = rpt_target_anon(&self->m.t, PG), v1 = 0, v2 = 0;
	int mem = rpt_open_mem(self->m.t.pid, O_RDONLY);
	ssize_t r1, r2;
	int e1, e2;

	rpt_do(&self->m.t, RPT_OP_STORE, a, 46, 0, 0, NULL);
	rpt_do(&self->m.t, RPT_OP_MPROTECT, a, PG, PROT_NONE, 0, NULL);
	errno = 0;
	r1 = pread(mem, &v1, 8, a);
	e1 = errno;
	errno = 0;
	r2 = pread(self->m.fd, &v2, 8, a);
	e2 = errno;
	KT_ASSERT_EQ(r2, r1);
	KT_ASSERT_EQ(e2, e1);
	KT_ASSERT_EQ(v2, v1);
}

/* The address of some read-only private file mapping (text) of the target. */
static uint64_t text_address(pid_t pid)
{
	char path[64], line[512];
	uint64_t start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s;
		char perms[8];

		if (sscanf(line, "%llx-%*x %7s", &s, perms) == 2 &&
		    !strcmp(perms, "r-xp")) {
			start = s;
			break;
		}
	}
	fclose(f);
	KT_ASSERT(start);
	return start;
}

KT_TEST_F(rw, forced_text_write, "a debugger poke into read-only text is allowed exactly when /proc/PID/mem allows it")
{
	uint64_t text = text_address(self->m.t.pid), orig = 0, v = 0, check = 0;
	int mem = rpt_open_mem(self->m.t.pid, O_RDWR);
	ssize_t r1, r2;
	int e1, e2;

	KT_ASSERT(mem >= 0);
	KT_ASSERT_EQ(pread(self->m.fd, &orig, 8, text), 8);
	/* Same bytes written back through both paths; compare the outcome. */
	errno = 0;
	r1 = pwrite(mem, &orig, 8, text);
	e1 = errno;
	errno = 0;
	r2 = pwrite(self->m.fd, &orig, 8, text);
	e2 = errno;
	KT_ASSERT_EQ(r2, r1);
	KT_ASSERT_EQ(e2, e1);
	kt_diag("text write through the mirror: %zd (%s)", r2, r2 < 0 ? strerror(e2) : "ok");
	if (r2 == 8) {
		v = orig ^ 0xff;
		KT_ASSERT_EQ(pwrite(self->m.fd, &v, 8, text), 8);
		KT_ASSERT_EQ(pread(mem, &check, 8, text), 8);
		KT_ASSERT_EQ(check, v);
		KT_ASSERT_EQ(pwrite(self->m.fd, &orig, 8, text), 8);
	}
	close(mem);
}

KT_TEST(readonly_mirror_pwrite, "a read-only mirror fd refuses write and pwrite with EBADF")
{
	struct rpt_mirror m;
	uint64_t a, v = 0;

	rpt_mirror_start(&m, 0);
	a = rpt_target_anon(&m.t, PG);
	KT_ASSERT_EQ(pread(m.fd, &v, 8, a), 8);
	KT_ASSERT_ERRNO(pwrite(m.fd, &v, 8, a), EBADF);
	KT_ASSERT_ERRNO(write(m.fd, &v, 8), EBADF);
	rpt_mirror_stop(&m);
}
