// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The reading commands of t_cli again, through the /proc/PID/mem fallback
 * (--proc-mem, which is what the commands do when the device is absent):
 * the same output, causes and exit statuses as through a mirror, and
 * watch sees changes, unmaps, exits and execs. The fallback without a
 * module loaded, and its notice, are in t_cli_err.
 */
#include "t_cli.c"

static const char *const reading_tests[] = {
	"maps", "maps_columns", "maps_json",
	"dump_hex", "dump_squeeze", "dump_raw", "dump_hole", "dump_out_of_range", "dump_json",
	"peek", "peek_types", "peek_count", "peek_hole",
	"watch_changes", "watch_revoked", "watch_target_exit", "watch_target_exec",
	"watch_ctrl_c",
	"find_string", "find_seams", "find_hex", "find_wildcard", "find_mask", "find_area",
	"find_unreadable", "find_json",
};

#define N_READING (sizeof(reading_tests) / sizeof(reading_tests[0]))
static bool kept[N_READING];

static bool reading(const struct kt_test *t)
{
	for (size_t i = 0; i < N_READING; i++)
		if (!strcmp(t->name, reading_tests[i]))
			return kept[i] = true;
	return false;
}

int main(int argc, char **argv)
{
	rpt_cli_opts = "--proc-mem";
	kt_select(reading);
	/* A name t_cli no longer has is a failure, not a test fewer. */
	for (size_t i = 0; i < N_READING; i++)
		if (!kept[i]) {
			printf("KTAP version 1\n1..1\nnot ok 1 %s\n"
			       "# t_cli has no test %s\n", reading_tests[i], reading_tests[i]);
			return 1;
		}
	return kt_main(argc, argv);
}
