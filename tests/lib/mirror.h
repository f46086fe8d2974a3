/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/* A test fixture: a target process, a mirror of it, and helpers. */
#ifndef _REMOTE_PROC_MIRROR_H
#define _REMOTE_PROC_MIRROR_H

#include <stdint.h>

#include "target.h"

#define PG 4096ull

struct rpt_mirror {
	struct rpt_target t;
	int dev;
	int fd;			/* mirror fd */
};

/* Fork a target and attach (flags: REMOTE_PROC_ATTACH_*). */
void rpt_mirror_start(struct rpt_mirror *m, unsigned int flags);
void rpt_mirror_stop(struct rpt_mirror *m);
/* Map [taddr, taddr + len) of the target. */
volatile uint64_t *rpt_mirror_map(struct rpt_mirror *m, uint64_t taddr,
				  uint64_t len, int prot);
/* The 64-bit word at target address taddr, through mapping base of tbase. */
#define MW(base, tbase, taddr) \
	((volatile uint64_t *)((char *)(base) + ((taddr) - (tbase))))
/* The target's own load of the 64-bit word at addr. */
uint64_t rpt_tload(struct rpt_mirror *m, uint64_t addr);
/* Fill each page of [addr, addr + len) in the target with a page stamp. */
void rpt_stamp(struct rpt_mirror *m, uint64_t addr, uint64_t len, uint64_t salt);
uint64_t rpt_stamp_of(uint64_t addr, uint64_t salt);
/* Whether swap is on (set up once per boot if possible, see mirror.c). */
int rpt_swap_on(void);

#endif /* _REMOTE_PROC_MIRROR_H */
