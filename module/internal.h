/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
#ifndef _REMOTE_PROC_INTERNAL_H
#define _REMOTE_PROC_INTERNAL_H

#include <linux/fs.h>

extern const struct file_operations remote_proc_dev_fops;

#endif /* _REMOTE_PROC_INTERNAL_H */
