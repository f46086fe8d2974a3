// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The reading commands of t_cli again, through the /proc/PID/mem fallback
 * (--proc-mem, which is what the commands do when the device is absent):
 * the same output, causes and exit statuses as through a mirror, and
 * watch sees changes, unmaps, exits and execs; and the fallback's own
 * cases (procmem_*). The fallback without a module loaded, and its
 * notice, are in t_cli_err.
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

/*
 * A thread id: /proc/TID/maps goes when the thread exits, its process's
 * memory does not, and the copies go on reading it.
 */
KT_TEST(procmem_thread, "a thread's id: watch goes on reading the process after the thread exits")
{
	struct rpt_target t;
	char proc[64], want[64];
	uint64_t a, t0;
	int64_t tid;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, a, 0x1111, 0, 0, NULL);
	tid = rpt_do(&t, RPT_OP_THREAD, 1, 0, 0, 0, NULL);
	KT_ASSERT(tid > 0 && tid != t.pid);
	rpt_cli_start(&P, -1, false, "watch -i 0.2 %d %llx 8", (int)tid, (unsigned long long)a);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "11 11 00 00", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_THREAD, 0, 0, 0, 0, NULL);
	snprintf(proc, sizeof(proc), "/proc/%d", (int)tid);
	for (t0 = kt_now_ns(); !access(proc, F_OK); usleep(10000))
		KT_ASSERT_MSG(kt_now_ns() - t0 < 10000000000ull, "%s stays", proc);
	rpt_do(&t, RPT_OP_STORE, a, 0x2222, 0, 0, NULL);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "22 22 00 00", 10000), "%s%s", P.obuf, P.ebuf);
	/* And it stays so for a few more refreshes. */
	snprintf(want, sizeof(want), "refresh %u ", rpt_count(P.obuf, "refresh ") + 3);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, want, 10000), "%s%s", P.obuf, P.ebuf);
	KT_ASSERT_MSG(!strstr(P.obuf, "revoked") && !strstr(P.obuf, "??"), "%s", P.obuf);
	kill(P.pid, SIGINT);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 0);
	rpt_target_kill(&t);
}

/*
 * Thousands of areas: maps and find make a copy per area, each read as
 * the session's list of areas says, not after a new look at all of them
 * (which took minutes for a few thousand areas).
 */
KT_TEST(procmem_many_areas, "maps and find over 4000 areas: each area read, in one pass")
{
	static const char pat[] = "many-areas-pattern";
	const unsigned int n = 2000;
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * n * PG);
	rpt_do(&t, RPT_OP_FILL, a, 2 * n * PG, 0x5a, 0, NULL);
	/* Before the page is read-only: a kernel may refuse forced writes. */
	rpt_target_put(t.pid, a + (2 * n - 1) * PG + 100, pat, strlen(pat));
	for (unsigned int i = 0; i < n; i++)
		rpt_do(&t, RPT_OP_MPROTECT, a + (2 * i + 1) * PG, PG, PROT_READ, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "maps %d", t.pid), 0);
	/* The output is cut at sizeof(P.obuf): the first 500 of these areas. */
	KT_ASSERT_MSG(line_has(area_line(P.obuf, a + 500 * PG), "yes"), "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 1);
	KT_ASSERT(line_of(P.obuf, a + (2 * n - 1) * PG + 100));
	rpt_target_kill(&t);
}

KT_TEST(procmem_watch_mprotect, "watch: a page the target makes PROT_NONE is revoked, with the cause")
{
	struct rpt_target t;
	char want[128];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_do(&t, RPT_OP_STORE, a + PG - 8, 0x1234, 0, 0, NULL);
	rpt_do(&t, RPT_OP_STORE, a + PG, 0x4321, 0, 0, NULL);
	rpt_cli_start(&P, -1, false, "watch -i 0.2 %d %llx 32", t.pid,
		      (unsigned long long)a + PG - 16);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "21 43 00 00", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_MPROTECT, a + PG, PG, PROT_NONE, 0, NULL);
	snprintf(want, sizeof(want), "0x%012llx-0x%012llx revoked: not readable (PROT_NONE)",
		 (unsigned long long)a + PG, (unsigned long long)a + PG + 16);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, want, 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_MPROTECT, a + PG, PG, PROT_READ, 0, NULL);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "readable again", 10000), "%s", P.obuf);
	kill(P.pid, SIGINT);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 0);
	rpt_target_kill(&t);
}

#define N_READING (sizeof(reading_tests) / sizeof(reading_tests[0]))
static bool kept[N_READING];

static bool reading(const struct kt_test *t)
{
	if (!strncmp(t->name, "procmem_", 8))
		return true;
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
