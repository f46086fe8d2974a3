/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/* Helpers shared by the in-guest test programs. */
#ifndef _REMOTE_PROC_RPT_H
#define _REMOTE_PROC_RPT_H

#include <stdbool.h>

#define RPT_MODULE "remote_proc"
#define RPT_DEV "/dev/remote-proc"

/* Load the module the way users do (libkmod modprobe semantics); 0 or -errno. */
int rpt_modprobe(void);
/* Unload it; 0 or -errno (-EBUSY while in use). */
int rpt_rmmod(void);
/* Whether /sys/module/remote_proc exists and is live. */
bool rpt_module_live(void);
/* Reference count of the module, or -errno. */
int rpt_module_refcnt(void);
/* Ensure the module is loaded; fails the test otherwise. */
void rpt_need_module(void);
/* Open the device (fails the test on error). */
int rpt_open_dev(void);
/* Path of the installed module file, from libkmod. */
const char *rpt_module_path(void);

#endif /* _REMOTE_PROC_RPT_H */
