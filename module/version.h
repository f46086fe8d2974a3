/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
#ifndef _REMOTE_PROC_VERSION_H
#define _REMOTE_PROC_VERSION_H

/* The one place the version is kept; Makefile, dkms.conf and packaging read it. */
#define REMOTE_PROC_VERSION "0.1.0"

#endif /* _REMOTE_PROC_VERSION_H */
