/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
#ifndef _REMOTE_PROC_VERSION_H
#define _REMOTE_PROC_VERSION_H

#include <linux/stringify.h>

/* The one place the version is kept; Makefile, dkms.conf and packaging read it. */
#define REMOTE_PROC_VERSION_MAJOR 0
#define REMOTE_PROC_VERSION_MINOR 1
#define REMOTE_PROC_VERSION_PATCH 0

#define REMOTE_PROC_VERSION __stringify(REMOTE_PROC_VERSION_MAJOR) "." \
			    __stringify(REMOTE_PROC_VERSION_MINOR) "." \
			    __stringify(REMOTE_PROC_VERSION_PATCH)
#define REMOTE_PROC_VERSION_CODE ((REMOTE_PROC_VERSION_MAJOR << 16) | \
				  (REMOTE_PROC_VERSION_MINOR << 8) | \
				  REMOTE_PROC_VERSION_PATCH)

#endif /* _REMOTE_PROC_VERSION_H */
