// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktap.h"
#include "mirror.h"
#include "rpt.h"

void rpt_mirror_start(struct rpt_mirror *m, unsigned int flags)
{
	rpt_target_fork(&m->t);
	m->dev = rpt_dev();
	m->fd = rpt_attach_pid(m->dev, m->t.pid, flags);
	KT_ASSERT_MSG(m->fd >= 0, "attach: %s", strerror(-m->fd));
}

void rpt_mirror_stop(struct rpt_mirror *m)
{
	rpt_target_kill(&m->t);
	close(m->fd);
	close(m->dev);
}

volatile uint64_t *rpt_mirror_map(struct rpt_mirror *m, uint64_t taddr,
				  uint64_t len, int prot)
{
	void *p = rpt_map(m->fd, taddr, len, prot);

	KT_ASSERT_MSG(p != MAP_FAILED, "mmap of the mirror: %s", strerror(errno));
	return p;
}

uint64_t rpt_stamp_of(uint64_t addr, uint64_t salt)
{
	return (addr * 0x9e3779b97f4a7c15ull) ^ salt;
}

void rpt_stamp(struct rpt_mirror *m, uint64_t addr, uint64_t len, uint64_t salt)
{
	for (uint64_t a = addr; a < addr + len; a += PG)
		rpt_do(&m->t, RPT_OP_STORE, a, rpt_stamp_of(a, salt), 0, 0, NULL);
}

int rpt_swap_on(void)
{
	char buf[256];
	FILE *f;
	int on = 0;

	f = fopen("/proc/swaps", "r");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			on |= !strncmp(buf, "/dev/zram0", 10);
		fclose(f);
	}
	if (on)
		return 1;
	if (system("modprobe zram num_devices=1 >/dev/null 2>&1") ||
	    rpt_write_file("/sys/block/zram0/disksize", "256M") ||
	    system("mkswap /dev/zram0 >/dev/null 2>&1") ||
	    system("swapon /dev/zram0 >/dev/null 2>&1"))
		return 0;
	return 1;
}
