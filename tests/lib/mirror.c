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

uint64_t rpt_tload(struct rpt_mirror *m, uint64_t addr)
{
	return rpt_do(&m->t, RPT_OP_LOAD, addr, 0, 0, 0, NULL);
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

/*
 * Swap on a loop device backed by a tmpfs file. Not zram: swap-ins from a
 * synchronous device bypass the swap cache, and then a clean swapped-in
 * page (the case dirty tracking is about) never exists.
 */
int rpt_swap_on(void)
{
	char buf[256];
	FILE *f;
	int on = 0;

	f = fopen("/proc/swaps", "r");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			on |= !strncmp(buf, "/dev/loop", 9);
		fclose(f);
	}
	if (on)
		return 1;
	/* The loop device may be set up already (swapped off by a test). */
	if (system("modprobe loop >/dev/null 2>&1; "
		   "(losetup /dev/loop7 >/dev/null 2>&1 || "
		   "(dd if=/dev/zero of=/tmp/swapfile bs=1M count=128 2>/dev/null && "
		   "losetup /dev/loop7 /tmp/swapfile && mkswap /dev/loop7 >/dev/null)) && "
		   "swapon /dev/loop7"))
		return 0;
	return 1;
}
