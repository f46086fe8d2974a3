// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Run only by the boot of the debug kernel with page_table_check=on
 * (debug-ptc in scripts/kernels.conf). That checker halts the kernel when
 * an anonymous page has a writable entry and any other, which is what a
 * mirror of anonymous memory is: the module must refuse to load, saying
 * why, instead of being loaded into a kernel it would bring down.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

#define MARK "remote-proc-test: loading under page_table_check"

KT_TEST(load_refused, "with page_table_check=on, loading fails with EOPNOTSUPP and the kernel log says why")
{
	char cmdline[4096] = "";
	int fd = open("/proc/cmdline", O_RDONLY);

	KT_ASSERT(fd >= 0);
	KT_ASSERT(read(fd, cmdline, sizeof(cmdline) - 1) > 0);
	close(fd);
	KT_ASSERT_MSG(strstr(cmdline, "page_table_check=on"),
		      "booted without page_table_check=on: %s", cmdline);
	KT_ASSERT(!rpt_module_live());
	KT_ASSERT_EQ(rpt_write_file("/dev/kmsg", MARK), 0);
	KT_ASSERT_EQ(rpt_modprobe(), -EOPNOTSUPP);
	KT_ASSERT(!rpt_module_live());
	KT_ASSERT(access("/dev/remote-proc", F_OK) != 0);
	KT_ASSERT_MSG(rpt_kmsg_count_after(MARK, "remote_proc: not loaded: page_table_check=on") == 1,
		      "no line in the kernel log says why");
}

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
