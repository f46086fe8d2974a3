/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/* Thin wrappers over the view ioctls for tests: results are 0/fd or -errno. */
#ifndef _REMOTE_PROC_TEST_VIEW_H
#define _REMOTE_PROC_TEST_VIEW_H

#include <stdint.h>

#include <linux/remote_proc.h>

int rpt_view_create(int dev, uint64_t size);
int rpt_view_map(int ctl, int source, unsigned int flags, unsigned int rights,
		 uint64_t source_addr, uint64_t offset, uint64_t length);
/* Window of the caller's own memory [p, p + length) at view offset. */
int rpt_view_map_self(int ctl, const void *p, uint64_t offset, uint64_t length,
		      unsigned int rights);
int rpt_view_unmap(int ctl, uint64_t offset, uint64_t length);
int rpt_view_lock(int ctl);
int rpt_view_access(int ctl, int write);
struct remote_proc_query rpt_query(int fd);

#define RW (REMOTE_PROC_RIGHT_READ | REMOTE_PROC_RIGHT_WRITE)
#define RO REMOTE_PROC_RIGHT_READ

#endif /* _REMOTE_PROC_TEST_VIEW_H */
