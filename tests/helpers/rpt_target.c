// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * An exec'able test target: runs the request loop of lib/target.c on the
 * socket fd given as "--rpt-target FD". Installed setuid root as
 * rpt_target_suid for the permission tests.
 */
#include <stdio.h>

#include "../lib/target.h"

int main(int argc, char **argv)
{
	rpt_target_main(argc, argv);
	fprintf(stderr, "usage: %s --rpt-target FD\n", argv[0]);
	return 2;
}
