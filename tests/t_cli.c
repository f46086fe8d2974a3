// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The remote-proc command, run as a user would run it (/usr/bin/remote-proc
 * in the guest): every command, its output and its exit status. Error
 * paths (no module, permissions, no process) are in t_cli_err.c.
 *
 * Targets are exec'ed helpers (not forks of this program), so a pattern
 * made up here exists in a target only where a test writes it.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/ktap.h"
#include "lib/mirror.h"
#include "lib/proc.h"
#include "lib/rpt.h"

static struct rpt_proc P;	/* the command under test */

/* The first line of the output that starts with key, or NULL. */
static const char *line_starting(const char *out, const char *key)
{
	const char *p = out;

	while (p && *p) {
		if (!strncmp(p, key, strlen(key)))
			return p;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

/* The line of the output that starts with the address, or NULL. */
static const char *line_of(const char *out, uint64_t addr)
{
	char key[32];

	snprintf(key, sizeof(key), "0x%012llx", (unsigned long long)addr);
	return line_starting(out, key);
}

/* The line of maps output for the area starting at addr, or NULL. */
static const char *area_line(const char *out, uint64_t addr)
{
	char key[32];

	snprintf(key, sizeof(key), "%08llx-", (unsigned long long)addr);
	return line_starting(out, key);
}

/* Whether the line starting at l contains needle. */
static bool line_has(const char *l, const char *needle)
{
	const char *nl = l ? strchr(l, '\n') : NULL;
	const char *f = l ? strstr(l, needle) : NULL;

	return f && (!nl || f < nl);
}

#define ASSERT_OUT(needle) RPT_ASSERT_OUT(&P, needle)
#define ASSERT_ERR(needle) RPT_ASSERT_ERR(&P, needle)
#define ASSERT_STATUS(expr, want) RPT_ASSERT_STATUS(&P, expr, want)

KT_TEST(help, "--help, help COMMAND and COMMAND --help describe every command; -V prints versions")
{
	static const char *const cmds[] = { "maps", "dump", "peek", "poke", "watch", "find" };

	ASSERT_STATUS(rpt_cli(&P, "--help"), 0);
	ASSERT_OUT("Commands:");
	ASSERT_OUT("Exit status:");
	ASSERT_OUT("  NAME+OFF ");
	ASSERT_OUT("  START-END ");
	for (unsigned int i = 0; i < 6; i++)
		rpt_cli_assert_help(&P, cmds[i]);
	ASSERT_STATUS(rpt_cli(&P, "-V"), 0);
	ASSERT_OUT("(libremoteproc 1.3.");
}

KT_TEST(usage_errors, "bad commands, arguments and options exit with status 2 and say what is wrong")
{
	ASSERT_STATUS(rpt_cli(&P, "%s", ""), 2);
	ASSERT_STATUS(rpt_cli(&P, "frobnicate"), 2);
	ASSERT_ERR("unknown command 'frobnicate'");
	ASSERT_STATUS(rpt_cli(&P, "dump 1 1000"), 2);
	ASSERT_ERR("expected PID ADDR LEN");
	ASSERT_STATUS(rpt_cli(&P, "peek abc 1000"), 2);
	ASSERT_ERR("not a process id");
	ASSERT_STATUS(rpt_cli(&P, "peek 1 xyz"), 2);
	/* Not hexadecimal: looked up as a name, which process 1 has not mapped. */
	ASSERT_ERR("'xyz' is not an address in process 1: nothing named 'xyz' is mapped there");
	ASSERT_STATUS(rpt_cli(&P, "dump 1 1000 12Q"), 2);
	ASSERT_ERR("not a length");
	ASSERT_STATUS(rpt_cli(&P, "poke -w 12 1 1000 0"), 2);
	ASSERT_ERR("width must be 8, 16, 32 or 64");
	ASSERT_STATUS(rpt_cli(&P, "poke -w 8 1 1000 256"), 2);
	ASSERT_ERR("not a 8-bit value");
	ASSERT_STATUS(rpt_cli(&P, "watch 1 1000 0"), 2);
	ASSERT_STATUS(rpt_cli(&P, "watch -i 0 1 1000 8"), 2);
	ASSERT_STATUS(rpt_cli(&P, "find -x 1 zz"), 2);
	ASSERT_ERR("not a list of hex bytes");
	ASSERT_STATUS(rpt_cli(&P, "maps --bogus 1"), 2);
	/* Option errors name the command as typed, not just "maps". */
	ASSERT_ERR("remote-proc maps: unrecognized option '--bogus'");
	ASSERT_STATUS(rpt_cli(&P, "view share --bogus"), 2);
	ASSERT_ERR("remote-proc view share: unrecognized option '--bogus'");
	ASSERT_STATUS(rpt_cli(&P, "dump 1 1000 +5"), 2);
	ASSERT_ERR("not a length");
	ASSERT_STATUS(rpt_cli(&P, "dump 1 1000 0x"), 2);
	ASSERT_ERR("not a length");
}

KT_TEST(len_decimal, "a LEN with a leading zero is decimal (010 is ten bytes), 0x is hexadecimal")
{
	struct rpt_target t;
	struct stat st;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/len.bin %d %llx 010", t.pid,
			      (unsigned long long)a), 0);
	KT_ASSERT_OK(stat("/tmp/len.bin", &st));
	KT_ASSERT_EQ(st.st_size, 10);
	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/len.bin %d %llx 0x10", t.pid,
			      (unsigned long long)a), 0);
	KT_ASSERT_OK(stat("/tmp/len.bin", &st));
	KT_ASSERT_EQ(st.st_size, 16);
	unlink("/tmp/len.bin");
	rpt_target_kill(&t);
}

KT_TEST(maps, "maps: each area with whether it can be mirrored, and why not")
{
	uint64_t anon, none, ro, mirror, secret;
	struct rpt_target t;
	const char *l;
	int err;

	rpt_target_start_helper(&t);
	anon = rpt_target_anon(&t, 4 * PG);
	none = rpt_do(&t, RPT_OP_MMAP, 0, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	ro = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	mirror = rpt_do(&t, RPT_OP_MAP_MIRROR, t.pid, anon, PG, 0, NULL);
	secret = rpt_call(&t, RPT_OP_SECRET, PG, 0, 0, 0, NULL, &err);

	ASSERT_STATUS(rpt_cli(&P, "maps %d", t.pid), 0);
	ASSERT_OUT("MIRROR");
	KT_ASSERT_MSG(line_has(area_line(P.obuf, anon), "yes"), "%s", P.obuf);
	KT_ASSERT_MSG(line_has(area_line(P.obuf, ro), "yes"), "%s", P.obuf);
	KT_ASSERT_MSG(line_has(area_line(P.obuf, none), "no: not readable (PROT_NONE)"),
		      "%s", P.obuf);
	KT_ASSERT_MSG(line_has(area_line(P.obuf, mirror),
			       "no: VM_IO/VM_PFNMAP (device, or a mirror)"), "%s", P.obuf);
	l = strstr(P.obuf, "[vvar]");
	KT_ASSERT(l);
	KT_ASSERT(strstr(P.obuf, "no: kernel data page"));
	if ((l = strstr(P.obuf, "[vsyscall]")))
		KT_ASSERT(strstr(P.obuf, "no: outside the user address space"));
	KT_ASSERT(strstr(P.obuf, "can be mirrored"));
	if (secret > 0) {
		/* Only the probe can tell that secret memory gives SIGBUS. */
		KT_ASSERT_MSG(line_has(area_line(P.obuf, secret), "no: SIGBUS when read (probe)"),
			      "%s", P.obuf);
		ASSERT_STATUS(rpt_cli(&P, "maps --no-probe %d", t.pid), 0);
		KT_ASSERT(line_has(area_line(P.obuf, secret), "yes"));
		ASSERT_OUT("not probed");
	} else {
		kt_diag("memfd_secret unavailable (%s): probe of secret memory not checked",
			strerror(err));
	}
	rpt_target_kill(&t);
}

KT_TEST(dump_hex, "dump: a hexdump with addresses, bytes and ASCII")
{
	static const char text[] = "Hello from the target, seen by remote-proc!";
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_target_put(t.pid, a + 0x10, text, sizeof(text));
	ASSERT_STATUS(rpt_cli(&P, "dump %d %llx 0x40", t.pid, (unsigned long long)a + 0x10), 0);
	KT_ASSERT(line_has(line_of(P.obuf, a + 0x10), "48 65 6c 6c 6f 20 66 72  6f 6d 20 74 68 65 20 74"));
	KT_ASSERT(line_has(line_of(P.obuf, a + 0x10), "|Hello from the t|"));
	KT_ASSERT(line_has(line_of(P.obuf, a + 0x20), "|arget, seen by r|"));
	KT_ASSERT(line_of(P.obuf, a + 0x40));
	KT_ASSERT(!line_of(P.obuf, a + 0x50));
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 4);
	rpt_target_kill(&t);
}

KT_TEST(dump_squeeze, "dump shows repeated lines as one '*', hexdump -C style; -v shows them all")
{
	static uint8_t data[PG];
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	memset(data, 0x41, sizeof(data));
	data[0x100] = 0x42;			/* breaks the run at line 0x100 */
	rpt_target_put(t.pid, a, data, sizeof(data));
	ASSERT_STATUS(rpt_cli(&P, "dump %d %llx 0x200", t.pid, (unsigned long long)a), 0);
	/* 0x000, *, 0x100 (different), 0x110 (differs from 0x100), *, 0x1f0 (last). */
	KT_ASSERT(line_of(P.obuf, a));
	KT_ASSERT(!line_of(P.obuf, a + 0x10));
	KT_ASSERT(line_of(P.obuf, a + 0x100));
	KT_ASSERT(line_of(P.obuf, a + 0x110));
	KT_ASSERT(!line_of(P.obuf, a + 0x120));
	KT_ASSERT(line_of(P.obuf, a + 0x1f0));
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n*\n"), 2);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 6);
	ASSERT_STATUS(rpt_cli(&P, "dump -v %d %llx 0x200", t.pid, (unsigned long long)a), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 32);
	KT_ASSERT(!strstr(P.obuf, "\n*\n"));
	rpt_target_kill(&t);
}

KT_TEST(dump_raw, "dump -o FILE: the exact bytes, at any alignment and length")
{
	static uint8_t want[3 * PG], got[3 * PG];
	struct rpt_target t;
	uint64_t a;
	int fd;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 3 * PG);
	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7 + (i >> 8));
	rpt_target_put(t.pid, a, want, sizeof(want));
	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/dump.bin %d 0x%llx %llu", t.pid,
			      (unsigned long long)a + 5, 2 * PG + 7), 0);
	KT_ASSERT_EQ(P.olen, 0);
	fd = open("/tmp/dump.bin", O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(read(fd, got, sizeof(got)), 2 * PG + 7);
	KT_ASSERT(!memcmp(got, want + 5, 2 * PG + 7));
	close(fd);
	unlink("/tmp/dump.bin");
	rpt_target_kill(&t);
}

KT_TEST(dump_hole, "dump across holes reports each unreadable range with its cause, exit status 3")
{
	static uint8_t got[3 * PG];
	uint8_t page[PG];
	struct rpt_target t;
	char range[64];
	uint64_t a;
	int fd;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 4 * PG);
	memset(page, 0x41, sizeof(page));
	rpt_target_put(t.pid, a, page, PG);
	rpt_target_put(t.pid, a + 2 * PG, page, PG);
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	rpt_do(&t, RPT_OP_MPROTECT, a + 3 * PG, PG, PROT_NONE, 0, NULL);

	ASSERT_STATUS(rpt_cli(&P, "dump %d %llx 4128", t.pid, (unsigned long long)a + PG - 16), 3);
	snprintf(range, sizeof(range), "0x%012llx-0x%012llx  unreadable (4.0K): not mapped",
		 (unsigned long long)a + PG, (unsigned long long)a + 2 * PG);
	ASSERT_OUT(range);
	KT_ASSERT(line_has(line_of(P.obuf, a + PG - 16), "41 41 41 41"));
	KT_ASSERT(line_has(line_of(P.obuf, a + 2 * PG), "41 41 41 41"));
	ASSERT_ERR("could not be read");

	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/hole.bin %d %llx 16K", t.pid,
			      (unsigned long long)a), 3);
	ASSERT_ERR(range);
	ASSERT_ERR("not readable (PROT_NONE)");
	fd = open("/tmp/hole.bin", O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(read(fd, got, sizeof(got)), sizeof(got));
	KT_ASSERT_EQ(got[PG - 1], 0x41);
	KT_ASSERT_EQ(got[PG], 0);		/* the hole: zeros */
	KT_ASSERT_EQ(got[2 * PG], 0x41);
	close(fd);
	unlink("/tmp/hole.bin");
	rpt_target_kill(&t);
}

KT_TEST(dump_out_of_range, "dump and peek past the user address space fail with status 1 and say where it ends")
{
	struct rpt_target t;

	rpt_target_start_helper(&t);
	ASSERT_STATUS(rpt_cli(&P, "dump %d ffffffffff600000 16", t.pid), 1);
	ASSERT_ERR("past the target's address space");
	ASSERT_STATUS(rpt_cli(&P, "peek %d 800000000000", t.pid), 1);
	ASSERT_ERR("past the target's address space");
	ASSERT_STATUS(rpt_cli(&P, "peek -t string %d ffffffffff600000", t.pid), 1);
	ASSERT_ERR("past the target's address space");
	rpt_target_kill(&t);
}

KT_TEST(peek, "peek: 64-bit by default, -w for 8/16/32 bits, at any alignment; -d and -s")
{
	uint64_t v = 0x8877665544332211ull, a;
	struct rpt_target t;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, a, v, 0, 0, NULL);
	rpt_do(&t, RPT_OP_STORE, a + 8, 0xffeeddccbbaa9900ull, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "peek %d %llx", t.pid, (unsigned long long)a), 0);
	KT_ASSERT(!strcmp(P.obuf, "0x8877665544332211\n"));
	ASSERT_STATUS(rpt_cli(&P, "peek -w 32 %d 0x%llx", t.pid, (unsigned long long)a), 0);
	KT_ASSERT(!strcmp(P.obuf, "0x44332211\n"));
	ASSERT_STATUS(rpt_cli(&P, "peek -w 16 %d %llx", t.pid, (unsigned long long)a + 2), 0);
	KT_ASSERT(!strcmp(P.obuf, "0x4433\n"));
	ASSERT_STATUS(rpt_cli(&P, "peek --width=8 -d %d %llx", t.pid, (unsigned long long)a + 7), 0);
	KT_ASSERT(!strcmp(P.obuf, "136\n"));
	ASSERT_STATUS(rpt_cli(&P, "peek -w 8 -s %d %llx", t.pid, (unsigned long long)a + 7), 0);
	KT_ASSERT(!strcmp(P.obuf, "-120\n"));
	ASSERT_STATUS(rpt_cli(&P, "peek %d %llx", t.pid, (unsigned long long)a + 4), 0);
	KT_ASSERT(!strcmp(P.obuf, "0xbbaa990088776655\n"));
	rpt_target_kill(&t);
}

KT_TEST(poke, "poke: writes the value (any width, negative too), prints old -> new")
{
	struct rpt_target t;
	char want[96];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, a, 0x1111111111111111ull, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "poke %d %llx 42", t.pid, (unsigned long long)a), 0);
	snprintf(want, sizeof(want), "0x%llx: 0x1111111111111111 -> 0x000000000000002a\n",
		 (unsigned long long)a);
	KT_ASSERT_MSG(!strcmp(P.obuf, want), "%s", P.obuf);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 42);
	ASSERT_STATUS(rpt_cli(&P, "poke -w 8 %d %llx 0xff", t.pid, (unsigned long long)a + 1), 0);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0xff2a);
	ASSERT_STATUS(rpt_cli(&P, "poke -q -w 16 %d %llx -2", t.pid, (unsigned long long)a + 4), 0);
	KT_ASSERT_EQ(P.olen, 0);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a, 0, 0, 0, NULL), 0xfffe0000ff2aull);
	ASSERT_STATUS(rpt_cli(&P, "poke -w 32 %d %llx 0x89abcdef", t.pid,
			      (unsigned long long)a + 4093), 0);	/* across pages */
	KT_ASSERT_EQ((uint64_t)rpt_do(&t, RPT_OP_LOAD, a + 4088, 0, 0, 0, NULL) >> 40, 0xabcdef);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a + 4096, 0, 0, 0, NULL) & 0xff, 0x89);
	rpt_target_kill(&t);
}

KT_TEST(peek_poke_refused, "peek of a hole and poke of read-only memory: status 3 and the reason")
{
	struct rpt_target t;
	uint64_t a, ro;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	ro = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	rpt_do(&t, RPT_OP_MUNMAP, a, PG, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "peek %d %llx", t.pid, (unsigned long long)a), 3);
	ASSERT_ERR("not mapped in the target");
	ASSERT_STATUS(rpt_cli(&P, "poke %d %llx 1", t.pid, (unsigned long long)ro), 3);
	ASSERT_ERR("read-only");
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, ro, 0, 0, 0, NULL), 0);
	rpt_target_kill(&t);
}

/* The output of the last run is exactly want. */
#define ASSERT_OUTPUT(want)							\
	KT_ASSERT_MSG(!strcmp(P.obuf, want), "stdout:\n%s\nnot:\n%s\nstderr:\n%s", \
		      P.obuf, want, P.ebuf)

/* Run "peek ARGS PID ADDR" on t, expecting status 0 and exactly want. */
static void peek_is(struct rpt_target *t, const char *args, uint64_t a, const char *want)
{
	ASSERT_STATUS(rpt_cli(&P, "peek %s %d %llx", args, t->pid, (unsigned long long)a), 0);
	ASSERT_OUTPUT(want);
}

KT_TEST(peek_types, "peek -t: each integer type, negative ones, floats and an escaped string")
{
	static const char str[] = "tab\there \"q\" back\\slash\033[0m\377\n";
	float f1 = 3.14f, f2 = -0.5f;
	double d1 = -2.5e-300, d2 = 0.1;
	int64_t i64 = -9000000000000ll;
	int32_t i32 = -123456;
	int16_t i16 = -300;
	int8_t i8 = -5;
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, a, 0x8877665544332211ull, 0, 0, NULL);
	rpt_target_put(t.pid, a + 16, &i32, 4);
	rpt_target_put(t.pid, a + 20, &i8, 1);
	rpt_target_put(t.pid, a + 22, &i16, 2);
	rpt_target_put(t.pid, a + 24, &i64, 8);
	rpt_target_put(t.pid, a + 32, &f1, 4);
	rpt_target_put(t.pid, a + 36, &f2, 4);
	rpt_target_put(t.pid, a + 40, &d1, 8);
	rpt_target_put(t.pid, a + 48, &d2, 8);
	rpt_target_put(t.pid, a + 64, str, sizeof(str));

	peek_is(&t, "-t u64", a, "0x8877665544332211\n");
	peek_is(&t, "--type=u8", a + 1, "0x22\n");
	peek_is(&t, "-t u16", a + 2, "0x4433\n");
	peek_is(&t, "-t u32", a + 16, "0xfffe1dc0\n");
	peek_is(&t, "-t u32 -d", a + 16, "4294843840\n");
	peek_is(&t, "-t i32", a + 16, "-123456\n");
	peek_is(&t, "-t i8", a + 20, "-5\n");
	peek_is(&t, "-t u8", a + 20, "0xfb\n");
	peek_is(&t, "-t i16", a + 22, "-300\n");
	peek_is(&t, "-t u16", a + 22, "0xfed4\n");
	peek_is(&t, "-t i64", a + 24, "-9000000000000\n");
	peek_is(&t, "-t i64", a, "-8613303245920329199\n");
	peek_is(&t, "-t f32", a + 32, "3.14\n");
	peek_is(&t, "-t f32", a + 36, "-0.5\n");
	peek_is(&t, "-t f64", a + 40, "-2.5e-300\n");
	peek_is(&t, "-t f64", a + 48, "0.1\n");
	/* -w BITS is -t uBITS; -s and -d still choose the format. */
	peek_is(&t, "-w 32", a + 16, "0xfffe1dc0\n");
	peek_is(&t, "-t i32 -w 16", a + 16, "0x1dc0\n");
	peek_is(&t, "-w 16 -s", a + 22, "-300\n");
	peek_is(&t, "-t string", a + 64,
		"\"tab\\there \\\"q\\\" back\\\\slash\\033[0m\\377\\n\"\n");
	/* At most -l bytes; "..." when no NUL came within them. */
	peek_is(&t, "-t string -l 3", a + 64, "\"tab\"...\n");
	peek_is(&t, "-t string -l 30", a + 64,
		"\"tab\\there \\\"q\\\" back\\\\slash\\033[0m\\377\\n\"\n");
	peek_is(&t, "-t string -l 28", a + 64,
		"\"tab\\there \\\"q\\\" back\\\\slash\\033[0m\\377\"...\n");
	rpt_target_kill(&t);
}

KT_TEST(peek_count, "peek -n: COUNT values as 'ADDR: VALUE' lines, consecutive strings; -n 1 as before")
{
	static const char strs[] = "one\0\0two";
	struct rpt_target t;
	char want[256];
	uint64_t a;
	float f[2] = { 1.5f, -1e10f };

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_do(&t, RPT_OP_STORE, a, 0x8877665544332211ull, 0, 0, NULL);
	rpt_target_put(t.pid, a + 8, f, sizeof(f));
	rpt_target_put(t.pid, a + 32, strs, sizeof(strs));

	snprintf(want, sizeof(want), "0x%012llx: 0x2211\n0x%012llx: 0x4433\n"
		 "0x%012llx: 0x6655\n0x%012llx: 0x8877\n", (unsigned long long)a,
		 (unsigned long long)a + 2, (unsigned long long)a + 4, (unsigned long long)a + 6);
	peek_is(&t, "-t u16 -n 4", a, want);
	snprintf(want, sizeof(want), "0x%012llx: -120\n0x%012llx: 0\n0x%012llx: 0\n",
		 (unsigned long long)a + 7, (unsigned long long)a + 8,
		 (unsigned long long)a + 9);
	peek_is(&t, "-t i8 --count=3", a + 7, want);
	snprintf(want, sizeof(want), "0x%012llx: 1.5\n0x%012llx: -1e+10\n",
		 (unsigned long long)a + 8, (unsigned long long)a + 12);
	peek_is(&t, "-t f32 -n 2", a + 8, want);
	/* Unaligned values at any address. */
	snprintf(want, sizeof(want), "0x%012llx: 0x55443322\n0x%012llx: 0x00887766\n",
		 (unsigned long long)a + 1, (unsigned long long)a + 5);
	peek_is(&t, "-w 32 -n 2", a + 1, want);
	peek_is(&t, "-n 1", a, "0x8877665544332211\n");
	/* Each string starts after the NUL of the one before. */
	snprintf(want, sizeof(want), "0x%012llx: \"one\"\n0x%012llx: \"\"\n0x%012llx: \"two\"\n",
		 (unsigned long long)a + 32, (unsigned long long)a + 36,
		 (unsigned long long)a + 37);
	peek_is(&t, "-t string -n 3", a + 32, want);
	snprintf(want, sizeof(want), "0x%012llx: \"on\"...\n0x%012llx: \"e\"\n",
		 (unsigned long long)a + 32, (unsigned long long)a + 34);
	peek_is(&t, "-t string -l 2 -n 2", a + 32, want);
	rpt_target_kill(&t);
}

KT_TEST(peek_hole, "peek -n stops at a value in or across a hole: the values before it, the cause, status 3")
{
	struct rpt_target t;
	char want[128];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_do(&t, RPT_OP_STORE, a + PG - 8, 0x2222222211111111ull, 0, 0, NULL);
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);

	ASSERT_STATUS(rpt_cli(&P, "peek -t u32 -n 4 %d %llx", t.pid,
			      (unsigned long long)a + PG - 8), 3);
	snprintf(want, sizeof(want), "0x%012llx: 0x11111111\n0x%012llx: 0x22222222\n",
		 (unsigned long long)a + PG - 8, (unsigned long long)a + PG - 4);
	ASSERT_OUTPUT(want);
	snprintf(want, sizeof(want), "cannot read 0x%llx in process %d: not mapped in the target\n",
		 (unsigned long long)a + PG, t.pid);
	ASSERT_ERR(want);

	/* A value that starts before the hole and ends in it. */
	ASSERT_STATUS(rpt_cli(&P, "peek -t u32 %d %llx", t.pid, (unsigned long long)a + PG - 2), 3);
	KT_ASSERT_EQ(P.olen, 0);
	snprintf(want, sizeof(want), "cannot read 0x%llx in process %d: not mapped in the target (at 0x%llx)",
		 (unsigned long long)a + PG - 2, t.pid, (unsigned long long)a + PG);
	ASSERT_ERR(want);

	/* A string is read up to its NUL only: one that ends at the hole is whole. */
	rpt_target_put(t.pid, a + PG - 3, "xy", 3);
	peek_is(&t, "-t string", a + PG - 3, "\"xy\"\n");
	rpt_target_put(t.pid, a + PG - 3, "xyz", 3);
	ASSERT_STATUS(rpt_cli(&P, "peek -t string %d %llx", t.pid,
			      (unsigned long long)a + PG - 3), 3);
	snprintf(want, sizeof(want), "cannot read 0x%llx in process %d: not mapped in the target",
		 (unsigned long long)a + PG, t.pid);
	ASSERT_ERR(want);
	rpt_target_kill(&t);
}

KT_TEST(peek_usage, "peek: a bad TYPE, COUNT or MAX, or options for another type, are usage errors (status 2)")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	ASSERT_STATUS(rpt_cli(&P, "peek -t u24 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("TYPE must be u8, u16, u32, u64, i8, i16, i32, i64, f32, f64 or string, not 'u24'");
	ASSERT_ERR("Try 'remote-proc peek --help'");
	ASSERT_STATUS(rpt_cli(&P, "peek --type=U32 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -n 0 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("--count must be a number from 1 to 65536, not '0'");
	ASSERT_STATUS(rpt_cli(&P, "peek -n 65537 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("not '65537'");
	ASSERT_STATUS(rpt_cli(&P, "peek -n 99999999999999999999 %d %llx", t.pid,
			      (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -n -1 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -n 2x %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -n 0x10 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -t string -l 0 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("--length must be a number from 1 to 65536");
	ASSERT_STATUS(rpt_cli(&P, "peek -t u32 -l 8 %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("--length applies to strings");
	ASSERT_STATUS(rpt_cli(&P, "peek -t f64 -s %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("-d and -s apply to integers, not to f64");
	ASSERT_STATUS(rpt_cli(&P, "peek -d -t string %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_STATUS(rpt_cli(&P, "peek -n 2 %d ffffffffffffffff", t.pid), 2);
	ASSERT_ERR("go past the end of the address space");
	/* The largest COUNT is taken (and read up to the end of the area). */
	ASSERT_STATUS(rpt_cli(&P, "peek -t u8 -n 65536 %d %llx", t.pid,
			      (unsigned long long)a + PG - 1), 3);
	ASSERT_ERR("not mapped in the target");
	rpt_target_kill(&t);
}

/* The demo's target: a counter and a message that change every tick. */
struct counter {
	struct rpt_proc p;
	pid_t pid;
	uint64_t counter, mailbox, scratch, marker;
};

static struct counter C;

static void counter_start(struct counter *c, const char *tick_ms)
{
	char *argv[] = { "/tests/rp_demo_target", "-t", (char *)tick_ms, NULL };
	unsigned long long cnt, msg, mb, sc, mk;
	int pid, len;

	rpt_need_module();
	rpt_proc_start(&c->p, -1, false, argv);
	KT_ASSERT_MSG(rpt_proc_wait_for(&c->p, "marker=", 10000), "target: %s", c->p.ebuf);
	KT_ASSERT_EQ(sscanf(c->p.obuf, "pid=%d counter=%llx message=%llx mailbox=%llx "
			    "scratch=%llx scratch_len=%d marker=%llx",
			    &pid, &cnt, &msg, &mb, &sc, &len, &mk), 7);
	c->pid = pid;
	c->counter = cnt;
	c->mailbox = mb;
	c->scratch = sc;
	c->marker = mk;
}

static void counter_stop(struct counter *c)
{
	kill(c->pid, SIGTERM);
	rpt_proc_finish(&c->p, 10000);
}

KT_TEST(watch_changes, "watch -n: COUNT refreshes, the changed lines each time, ^^ under changed bytes")
{
	counter_start(&C, "50");
	ASSERT_STATUS(rpt_cli(&P, "watch -i 0.3 -n 4 %d %llx 40", C.pid,
			      (unsigned long long)C.counter), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "refresh "), 4);
	ASSERT_OUT("refresh 1 (pid");
	ASSERT_OUT("refresh 4 (+");
	ASSERT_OUT("bytes changed");
	ASSERT_OUT("^^");
	ASSERT_OUT("|........tick 0");
	KT_ASSERT(!strchr(P.obuf, '\033'));	/* no escapes into a pipe */
	counter_stop(&C);
}

KT_TEST(watch_revoked, "watch reports pages the target unmaps as revoked, with the reason")
{
	struct rpt_target t;
	char want[128];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 2 * PG);
	rpt_do(&t, RPT_OP_STORE, a + PG - 8, 0x1234, 0, 0, NULL);
	rpt_cli_start(&P, -1, false, "watch -i 0.2 %d %llx 32", t.pid,
		      (unsigned long long)a + PG - 16);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "refresh 2", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	snprintf(want, sizeof(want), "0x%012llx-0x%012llx revoked: not mapped in the target",
		 (unsigned long long)a + PG, (unsigned long long)a + PG + 16);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, want, 10000), "%s%s", P.obuf, P.ebuf);
	/* The rest stays readable and is still shown. */
	rpt_do(&t, RPT_OP_STORE, a + PG - 8, 0x5678, 0, 0, NULL);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "78 56 00 00", 10000), "%s", P.obuf);
	ASSERT_OUT("?? ?? ??");
	kill(P.pid, SIGINT);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 0);
	ASSERT_OUT("stopped after");
	rpt_target_kill(&t);
}

KT_TEST(watch_target_exit, "watch ends at once when the target exits, says so, exit status 4")
{
	struct rpt_target t;
	char want[64];
	uint64_t a, t0;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	snprintf(want, sizeof(want), "process %d exited", t.pid);
	rpt_cli_start(&P, -1, false, "watch -i 30 %d %llx 16", t.pid, (unsigned long long)a);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "refresh 1", 10000), "%s%s", P.obuf, P.ebuf);
	t0 = kt_now_ns();
	rpt_target_exit(&t);
	/* Far sooner than the 30 s interval: the pidfd wakes the watch. */
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 4);
	KT_ASSERT((kt_now_ns() - t0) / 1000000000ull < 5);
	ASSERT_OUT(want);
}

KT_TEST(watch_target_exec, "watch ends when the target execs another program, and says so")
{
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_cli_start(&P, -1, false, "watch -i 30 %d %llx 16", t.pid, (unsigned long long)a);
	KT_ASSERT_MSG(rpt_proc_wait_for(&P, "refresh 1", 10000), "%s%s", P.obuf, P.ebuf);
	rpt_do(&t, RPT_OP_EXEC, 0, 0, 0, 0, "/tests/rpt_target");
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 4);
	/* A copy through /proc/PID/mem (t_cli_procmem) has no mirror to speak of. */
	ASSERT_OUT(rpt_cli_opts ? "exec'd a new program (watched" : "exec'd a new program: the mirror is dead");
	rpt_target_kill(&t);
}

KT_TEST(watch_ctrl_c, "watch stops cleanly on Ctrl-C (SIGINT), exit status 0")
{
	counter_start(&C, "100");
	rpt_cli_start(&P, -1, false, "watch -i 0.1 %d %llx 8", C.pid, (unsigned long long)C.counter);
	KT_ASSERT(rpt_proc_wait_for(&P, "refresh 3", 10000));
	kill(P.pid, SIGINT);
	ASSERT_STATUS(rpt_proc_finish(&P, 10000), 0);
	ASSERT_OUT("stopped after");
	counter_stop(&C);
}

KT_TEST(watch_terminal, "watch on a terminal redraws in place with highlights; --color=never does not")
{
	counter_start(&C, "50");
	rpt_cli_start(&P, -1, true, "watch -i 0.2 -n 3 %d %llx 16", C.pid,
		      (unsigned long long)C.counter);
	ASSERT_STATUS(rpt_proc_finish(&P, 20000), 0);
	ASSERT_OUT("\033[1;7m");		/* a highlighted byte */
	ASSERT_OUT("\033[2A");			/* back up over header and line */
	ASSERT_OUT("refresh 3/3");
	rpt_cli_start(&P, -1, true, "watch --color=never -i 0.2 -n 2 %d %llx 16", C.pid,
		      (unsigned long long)C.counter);
	ASSERT_STATUS(rpt_proc_finish(&P, 20000), 0);
	KT_ASSERT(!strchr(P.obuf, '\033'));
	counter_stop(&C);
}

KT_TEST_TIMEOUT(dump_progress, 180, "a long raw dump shows progress on stderr when stdout is a terminal")
{
	struct rpt_target t;
	struct stat st;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 128ull << 20);
	rpt_cli_start(&P, -1, true, "dump -o /tmp/big.bin %d %llx 128M", t.pid,
		      (unsigned long long)a);
	ASSERT_STATUS(rpt_proc_finish(&P, 170000), 0);
	ASSERT_OUT("dump: ");
	ASSERT_OUT("% ");
	ASSERT_OUT("\r\033[K");
	KT_ASSERT_OK(stat("/tmp/big.bin", &st));
	KT_ASSERT_EQ(st.st_size, 128ull << 20);
	unlink("/tmp/big.bin");
	rpt_target_kill(&t);
}

/* A pattern made up now: no target has it unless a test puts it there. */
static const char *fresh_pattern(void)
{
	static char pat[40];

	snprintf(pat, sizeof(pat), "needle-%08x-%d", (unsigned int)kt_now_ns(), getpid());
	return pat;
}

KT_TEST(find_string, "find: every match, including one across a page boundary; -m; status 5 for none")
{
	const char *pat = fresh_pattern();
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 3 * PG);
	rpt_target_put(t.pid, a + 100, pat, strlen(pat));
	rpt_target_put(t.pid, a + 2 * PG - 5, pat, strlen(pat));
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 2);
	KT_ASSERT(line_has(line_of(P.obuf, a + 100), "[anon]+0x64"));
	KT_ASSERT(line_of(P.obuf, a + 2 * PG - 5));
	ASSERT_STATUS(rpt_cli(&P, "find -m 1 %d %s", t.pid, pat), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 1);
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, fresh_pattern()), 5);
	ASSERT_ERR("no match");
	rpt_target_kill(&t);
}

/* Bounds of the target's area that contains addr (areas may merge). */
static void area_of(pid_t pid, uint64_t addr, uint64_t *start, uint64_t *end)
{
	unsigned long long s, e;
	char path[64], line[512];
	FILE *f;

	*start = *end = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && addr >= s && addr < e) {
			*start = s;
			*end = e;
		}
	fclose(f);
	KT_ASSERT(*end);
}

KT_TEST(find_seams, "find: matches across the 8 MiB scan windows and at the very end of an area")
{
	const char *pat = fresh_pattern();
	size_t n = strlen(pat);
	struct rpt_target t;
	uint64_t a, v, end;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 24ull << 20);
	area_of(t.pid, a, &v, &end);
	KT_ASSERT(end - v >= 24ull << 20);
	rpt_target_put(t.pid, v + (8ull << 20) - 3, pat, n);
	rpt_target_put(t.pid, v + (16ull << 20) - n, pat, n);
	rpt_target_put(t.pid, v + (16ull << 20), pat, n);
	rpt_target_put(t.pid, end - n, pat, n);
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 4, "%s", P.obuf);
	KT_ASSERT(line_of(P.obuf, v + (8ull << 20) - 3));
	KT_ASSERT(line_of(P.obuf, v + (16ull << 20) - n));
	KT_ASSERT(line_of(P.obuf, v + (16ull << 20)));
	KT_ASSERT(line_of(P.obuf, end - n));
	rpt_target_kill(&t);
}

KT_TEST(find_hex, "find -x: hex bytes, with or without separators")
{
	static const uint8_t bytes[] = { 0xde, 0xc0, 0xad, 0x0b, 0x00, 0xfe, 0xed, 0x99, 0x17 };
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	rpt_target_put(t.pid, a + 0x321, bytes, sizeof(bytes));
	ASSERT_STATUS(rpt_cli(&P, "find -x %d dec0ad0b00feed9917", t.pid), 0);
	KT_ASSERT(line_of(P.obuf, a + 0x321));
	ASSERT_STATUS(rpt_cli(&P, "find --hex %d de:c0:ad:0b:00:fe:ed:99:17", t.pid), 0);
	KT_ASSERT(line_of(P.obuf, a + 0x321));
	rpt_target_kill(&t);
}

/*
 * A tag made up now, then four bytes: records for the wildcard and mask
 * tests, each at a + off. Only the first two end in "de ad ?? ef".
 */
struct near {
	unsigned int off;
	uint8_t tail[4];
};

static const struct near nears[] = {
	{ 0x100, { 0xde, 0xad, 0x42, 0xef } },
	{ 0x200, { 0xde, 0xad, 0x99, 0xef } },
	{ 0x300, { 0xde, 0xac, 0x42, 0xef } },	/* second byte one bit off */
	{ 0x400, { 0xde, 0xad, 0x42, 0xee } },	/* last byte one bit off */
	{ 0x500, { 0xdf, 0xad, 0x42, 0xef } },	/* first byte one bit off */
};

/* Put the records into t at a; the tag as hex bytes goes to hex. */
static void put_nears(struct rpt_target *t, uint64_t a, char *hex, size_t len)
{
	uint64_t tag = kt_now_ns() ^ ((uint64_t)getpid() << 40) ^ 0x5a5a5a5a5a5a5a5aull;
	uint8_t rec[12];

	memcpy(rec, &tag, 8);
	for (unsigned int i = 0; i < 8; i++)
		snprintf(hex + 3 * i, len - 3 * i, "%02x:", rec[i]);
	for (unsigned int i = 0; i < sizeof(nears) / sizeof(nears[0]); i++) {
		memcpy(rec + 8, nears[i].tail, 4);
		rpt_target_put(t->pid, a + nears[i].off, rec, sizeof(rec));
	}
}

/* The matches printed are exactly the records at a + the offsets in want[]. */
static void assert_hits(uint64_t a, const unsigned int *want, unsigned int n)
{
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == n, "%u matches wanted:\n%s", n, P.obuf);
	for (unsigned int i = 0; i < n; i++)
		KT_ASSERT_MSG(line_of(P.obuf, a + want[i]), "no match at +0x%x:\n%s", want[i],
			      P.obuf);
}

KT_TEST(find_wildcard, "find -x: ?? matches any byte and a ? digit any half, the near misses do not match")
{
	static const unsigned int any[] = { 0x100, 0x200 }, half[] = { 0x100, 0x300, 0x400 };
	struct rpt_target t;
	char tag[32];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	put_nears(&t, a, tag, sizeof(tag));
	ASSERT_STATUS(rpt_cli(&P, "find -x %d %sde:ad:??:ef", t.pid, tag), 0);
	assert_hits(a, any, 2);
	/* "de a? 42 e?": 0x300 (ac) and 0x400 (ee) too, not 0x200 (99). */
	ASSERT_STATUS(rpt_cli(&P, "find -x %d %sde:a?:42:e?", t.pid, tag), 0);
	assert_hits(a, half, 3);
	/* A leading wildcard: the match is where the pattern starts. */
	ASSERT_STATUS(rpt_cli(&P, "find -x %d ??%.21s", t.pid, tag + 3), 0);
	KT_ASSERT_MSG(line_of(P.obuf, a + 0x100) && rpt_count(P.obuf, "\n") == 5, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "find -x %d %sdf:ad:??:ef", t.pid, tag), 0);
	assert_hits(a, (const unsigned int[]){ 0x500 }, 1);
	ASSERT_STATUS(rpt_cli(&P, "find -x %d %sde:ad:??:ed", t.pid, tag), 5);
	ASSERT_STATUS(rpt_cli(&P, "find -x %d ??:??", t.pid), 2);
	ASSERT_ERR("all wildcards");
	ASSERT_STATUS(rpt_cli(&P, "find -x %d de:?", t.pid), 2);
	ASSERT_ERR("not a list of hex bytes");
	rpt_target_kill(&t);
}

KT_TEST(find_mask, "find --mask: only the bits set are compared; the near misses outside the mask do not match")
{
	static const unsigned int want[] = { 0x100, 0x200, 0x300 };
	struct rpt_target t;
	char tag[32], ones[32];
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, PG);
	put_nears(&t, a, tag, sizeof(tag));
	snprintf(ones, sizeof(ones), "ffffffffffffffff");
	/* ff fe 00 ff: the low bit of the second byte and all the third are free. */
	ASSERT_STATUS(rpt_cli(&P, "find -x -M %sfffe00ff %d %sde:ac:00:ef", ones, t.pid, tag), 0);
	assert_hits(a, want, 3);
	ASSERT_STATUS(rpt_cli(&P, "find -x --mask=%sfffe00fe %d %sde:ac:00:ef", ones, t.pid,
			      tag), 0);
	assert_hits(a, (const unsigned int[]){ 0x100, 0x200, 0x300, 0x400 }, 4);
	/* The mask and ?? together: both leave bits out. */
	ASSERT_STATUS(rpt_cli(&P, "find -x -M %sffffffff %d %sde:ad:??:ef", ones, t.pid, tag), 0);
	assert_hits(a, want, 2);
	ASSERT_STATUS(rpt_cli(&P, "find -x -M ff:ff %d de:ad:be:ef", t.pid), 2);
	ASSERT_ERR("is not 4 hex bytes, as many as PATTERN has");
	ASSERT_STATUS(rpt_cli(&P, "find -x -M 00:00 %d de:ad", t.pid), 2);
	ASSERT_ERR("all wildcards");
	rpt_target_kill(&t);
}

/* The start of the target's area named name ("[stack]"), its end in *end. */
static uint64_t area_named(pid_t pid, const char *name, uint64_t *end)
{
	unsigned long long s = 0, e = 0;
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, name) && sscanf(line, "%llx-%llx", &s, &e) == 2)
			break;
	fclose(f);
	KT_ASSERT_MSG(e, "no %s in the target", name);
	*end = e;
	return s;
}

KT_TEST(find_area, "find --area: by [stack], by file path or name, by address range; repeated; none is status 1")
{
	const char *pat = fresh_pattern();
	size_t n = strlen(pat);
	uint64_t a, as, ae, stack, send, file, fend;
	char file_name[64], range[80];
	struct rpt_target t;
	int fd;

	snprintf(file_name, sizeof(file_name), "/tmp/rp-area-%d.bin", getpid());
	fd = open(file_name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pwrite(fd, pat, n, 0x80), (ssize_t)n);
	KT_ASSERT_OK(ftruncate(fd, PG));
	close(fd);

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 4 * PG);
	area_of(t.pid, a, &as, &ae);
	rpt_target_put(t.pid, a + 0x100, pat, n);
	rpt_target_put(t.pid, a + 2 * PG + 0x100, pat, n);
	file = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_PRIVATE, file_name);
	stack = area_named(t.pid, "[stack]", &send);
	/* The bottom of the stack area, far below what the target uses. */
	rpt_target_put(t.pid, stack + 64, pat, n);
	area_named(t.pid, file_name, &fend);

	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 4, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "find -a [stack] %d %s", t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 1 && line_has(line_of(P.obuf, stack + 64), "[stack]+"),
		      "%s", P.obuf);
	KT_ASSERT(send - stack >= 2 * PG);
	ASSERT_STATUS(rpt_cli(&P, "find --area=%s %d %s", file_name, t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 1 && line_of(P.obuf, file + 0x80), "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "find -a %s %d %s", file_name + 5, t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 1 && line_of(P.obuf, file + 0x80), "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "find -a %s -a [stack] %d %s", file_name + 5, t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 2 && line_of(P.obuf, file + 0x80) &&
		      line_of(P.obuf, stack + 64), "%s", P.obuf);

	/* A range: only the part of the area in it; offsets still from the area's start. */
	snprintf(range, sizeof(range), "%llx-%llx", (unsigned long long)a + PG,
		 (unsigned long long)a + 4 * PG);
	ASSERT_STATUS(rpt_cli(&P, "find -a %s %d %s", range, t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 1 && line_of(P.obuf, a + 2 * PG + 0x100), "%s",
		      P.obuf);
	snprintf(range, sizeof(range), "%llx", (unsigned long long)(a + 2 * PG + 0x100 - as));
	KT_ASSERT(line_has(line_of(P.obuf, a + 2 * PG + 0x100), range));
	/* A match must lie wholly in the range. */
	snprintf(range, sizeof(range), "0x%llx-0x%llx", (unsigned long long)a + 0x101,
		 (unsigned long long)a + 2 * PG + 0x100 + n - 1);
	ASSERT_STATUS(rpt_cli(&P, "find -a %s %d %s", range, t.pid, pat), 5);
	snprintf(range, sizeof(range), "0x%llx-0x%llx", (unsigned long long)a + 0x100,
		 (unsigned long long)a + 2 * PG + 0x100 + n);
	ASSERT_STATUS(rpt_cli(&P, "find -a %s %d %s", range, t.pid, pat), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 2);

	ASSERT_STATUS(rpt_cli(&P, "find -a no-such-area.so %d %s", t.pid, pat), 1);
	ASSERT_ERR("is in the --area given");
	ASSERT_STATUS(rpt_cli(&P, "find -a 2000-1000 %d %s", t.pid, pat), 2);
	ASSERT_ERR("ends before it starts");
	unlink(file_name);
	rpt_target_kill(&t);
}

KT_TEST(find_unreadable, "find skips what cannot be mirrored and survives SIGBUS areas")
{
	const char *pat = fresh_pattern();
	struct rpt_target t;
	uint64_t a, none;
	int err;

	rpt_target_start_helper(&t);
	none = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	rpt_target_put(t.pid, none, pat, strlen(pat));
	rpt_do(&t, RPT_OP_MPROTECT, none, PG, PROT_NONE, 0, NULL);
	a = rpt_target_anon(&t, PG);
	rpt_target_put(t.pid, a + 8, pat, strlen(pat));
	/* Secret memory passes the maps checks but gives SIGBUS. */
	if (rpt_call(&t, RPT_OP_SECRET, 2 * PG, 0, 0, 0, NULL, &err) <= 0)
		kt_diag("memfd_secret unavailable: %s", strerror(err));
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 1);
	KT_ASSERT(line_of(P.obuf, a + 8));
	if (!err)
		ASSERT_ERR("8.0K could not be scanned");
	rpt_target_kill(&t);
}

KT_TEST_TIMEOUT(find_progress, 180, "a long find shows progress on stderr when output is a terminal")
{
	const char *pat = fresh_pattern();
	struct rpt_target t;
	uint64_t a;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 1ull << 30);
	rpt_target_put(t.pid, a + (900ull << 20), pat, strlen(pat));
	rpt_cli_start(&P, -1, true, "find %d %s", t.pid, pat);
	ASSERT_STATUS(rpt_proc_finish(&P, 170000), 0);
	ASSERT_OUT("find: ");
	ASSERT_OUT("% ");
	ASSERT_OUT("\r\033[K");
	KT_ASSERT(line_of(strstr(P.obuf, "0x"), a + (900ull << 20)));
	/* Into a pipe: matches only. */
	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT(!strchr(P.obuf, '\033') && !strchr(P.ebuf, '\033'));
	rpt_target_kill(&t);
}

/* One line of /proc/PID/maps: its five fields as printed, and the pathname. */
struct maps_line {
	char range[40], perms[8], offset[24], dev[16], inode[24], path[512];
	unsigned long long start, end;
};

/* The target's /proc/PID/maps, at most max lines; returns how many. */
static int read_maps(pid_t pid, struct maps_line *m, int max)
{
	char path[64], line[1024];
	int n = 0, at;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	KT_ASSERT(f);
	while (n < max && fgets(line, sizeof(line), f)) {
		struct maps_line *l = &m[n++];

		line[strcspn(line, "\n")] = 0;
		at = 0;
		KT_ASSERT_MSG(sscanf(line, "%39s %7s %23s %15s %23s %n", l->range, l->perms,
				     l->offset, l->dev, l->inode, &at) == 5 && at, "%s", line);
		snprintf(l->path, sizeof(l->path), "%s", line + at);
		KT_ASSERT_EQ(sscanf(l->range, "%llx-%llx", &l->start, &l->end), 2);
	}
	fclose(f);
	return n;
}

/* The area called name (exactly, as maps prints it) in pid's maps. */
static struct maps_line named_area(pid_t pid, const char *name)
{
	static struct maps_line m[512];
	int n = read_maps(pid, m, 512);

	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].path, name))
			return m[i];
	kt_fail(__FILE__, __LINE__, "no area %s in /proc/%d/maps", name, pid);
}

KT_TEST(addr_heap_stack, "ADDR [heap], [stack], [vdso], [heap]+OFF: starts as in /proc/PID/maps")
{
	/* volatile: in memory, where remote-proc reads it. */
	volatile uint64_t on_stack = 0x5354414b5354414bull;
	uint64_t *on_heap = malloc(64), v;
	struct maps_line heap, stack, vdso;
	pid_t self = getpid();
	char want[96];

	/* This process is the target: a small malloc() grows its [heap]. */
	KT_ASSERT(on_heap);
	on_heap[3] = 0x4845415048454150ull;
	rpt_need_module();
	heap = named_area(self, "[heap]");
	stack = named_area(self, "[stack]");
	vdso = named_area(self, "[vdso]");
	KT_ASSERT((uint64_t)(uintptr_t)&on_heap[3] >= heap.start);
	KT_ASSERT((uint64_t)(uintptr_t)&on_stack >= stack.start);

	ASSERT_STATUS(rpt_cli(&P, "dump %d [heap] 16", self), 0);
	KT_ASSERT_MSG(line_of(P.obuf, heap.start) == P.obuf, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "dump %d [heap]+0x10 16", self), 0);
	KT_ASSERT_MSG(line_of(P.obuf, heap.start + 0x10) == P.obuf, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "dump %d [stack] 16", self), 0);
	KT_ASSERT_MSG(line_of(P.obuf, stack.start) == P.obuf, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "dump %d [vdso] 16", self), 0);
	KT_ASSERT_MSG(line_of(P.obuf, vdso.start) == P.obuf, "%s", P.obuf);
	/* The vdso is an ELF image: its first bytes are "\x7f" "ELF". */
	ASSERT_STATUS(rpt_cli(&P, "peek -w 32 %d [vdso]", self), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "0x464c457f\n"), "%s", P.obuf);

	/* OFF counts from the start of a bracketed area, decimal or 0x. */
	v = (uint64_t)(uintptr_t)&on_heap[3] - heap.start;
	ASSERT_STATUS(rpt_cli(&P, "peek %d [heap]+0x%llx", self, (unsigned long long)v), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "0x4845415048454150\n"), "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "peek %d [heap]+%llu", self, (unsigned long long)v), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "0x4845415048454150\n"), "%s", P.obuf);
	v = (uint64_t)(uintptr_t)&on_stack - stack.start;
	ASSERT_STATUS(rpt_cli(&P, "peek %d [stack]+0x%llx", self, (unsigned long long)v), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, "0x5354414b5354414b\n"), "%s", P.obuf);

	ASSERT_STATUS(rpt_cli(&P, "watch -n 1 %d [stack]+0x40 16", self), 0);
	snprintf(want, sizeof(want), "refresh 1 (pid %d, 0x%llx, 16 bytes)", self,
		 stack.start + 0x40);
	ASSERT_OUT(want);

	/* An offset past the area: the error gives the offsets it holds. */
	v = heap.end - heap.start;
	ASSERT_STATUS(rpt_cli(&P, "peek %d [heap]+0x%llx", self, (unsigned long long)v), 2);
	snprintf(want, sizeof(want), "no area of [heap] holds offset 0x%llx",
		 (unsigned long long)v);
	ASSERT_ERR(want);
	snprintf(want, sizeof(want), "%s %s holds offsets 0x0-0x%llx", heap.range, heap.perms,
		 (unsigned long long)v);
	ASSERT_ERR(want);
	free(on_heap);
}

#define FILE_DIR "/tmp/rp-addr"

/* A file of len bytes, byte i of which is file_byte(i). */
static uint8_t file_byte(uint64_t i)
{
	return (uint8_t)(i * 13 + (i >> 12) * 101 + 7);
}

static void make_file(const char *path, uint64_t len)
{
	static uint8_t buf[8 * PG];
	int fd;

	KT_ASSERT(len <= sizeof(buf));
	for (uint64_t i = 0; i < len; i++)
		buf[i] = file_byte(i);
	mkdir(FILE_DIR, 0755);
	mkdir(FILE_DIR "/d1", 0755);
	mkdir(FILE_DIR "/d2", 0755);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT_MSG(fd >= 0, "%s: %s", path, strerror(errno));
	KT_ASSERT_EQ(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* The 64-bit little-endian value at offset off of such a file, as peek prints it. */
static const char *file_value(uint64_t off)
{
	static char s[32];
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | file_byte(off + (uint64_t)i);
	snprintf(s, sizeof(s), "0x%016llx\n", (unsigned long long)v);
	return s;
}

KT_TEST(addr_file_offset, "ADDR NAME+OFF: where file offset OFF is mapped, not start + OFF; NAME")
{
	static uint8_t got[PG];
	struct rpt_target t;
	uint64_t a, b;
	int fd;

	make_file(FILE_DIR "/data.bin", 4 * PG);
	rpt_target_start_helper(&t);
	/* Pages 2 and 3 of the file only: the area's offset column is 0x2000. */
	a = rpt_do(&t, RPT_OP_MMAP, 0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
		   FILE_DIR "/data.bin");
	rpt_do(&t, RPT_OP_MUNMAP, a, 2 * PG, 0, 0, NULL);
	a += 2 * PG;

	ASSERT_STATUS(rpt_cli(&P, "peek %d data.bin+0x2010", t.pid), 0);
	KT_ASSERT_MSG(!strcmp(P.obuf, file_value(0x2010)), "%s, not %s", P.obuf,
		      file_value(0x2010));
	ASSERT_STATUS(rpt_cli(&P, "dump %d data.bin+0x2ff0 32", t.pid), 0);
	KT_ASSERT_MSG(line_of(P.obuf, a + 0xff0) == P.obuf, "%s", P.obuf);
	KT_ASSERT(line_of(P.obuf, a + 0x1000));
	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/addr.bin %d data.bin+12K 4K", t.pid), 0);
	fd = open("/tmp/addr.bin", O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(read(fd, got, sizeof(got)), PG);
	close(fd);
	unlink("/tmp/addr.bin");
	for (uint64_t i = 0; i < PG; i++)
		KT_ASSERT_MSG(got[i] == file_byte(3 * PG + i), "byte 0x%llx",
			      (unsigned long long)i);
	/* The full path and the end of the path name the same file. */
	ASSERT_STATUS(rpt_cli(&P, "peek %d " FILE_DIR "/data.bin+0x3008", t.pid), 0);
	KT_ASSERT(!strcmp(P.obuf, file_value(0x3008)));
	ASSERT_STATUS(rpt_cli(&P, "peek %d rp-addr/data.bin+0x3008", t.pid), 0);
	KT_ASSERT(!strcmp(P.obuf, file_value(0x3008)));
	/* poke through a name reaches the target's mapping. */
	ASSERT_STATUS(rpt_cli(&P, "poke -q %d data.bin+0x2100 0x1122334455667788", t.pid), 0);
	KT_ASSERT_EQ(rpt_do(&t, RPT_OP_LOAD, a + 0x100, 0, 0, 0, NULL), 0x1122334455667788ull);

	/* NAME alone is offset 0, which no mapping holds yet. */
	ASSERT_STATUS(rpt_cli(&P, "peek %d data.bin", t.pid), 2);
	ASSERT_ERR("'data.bin' is not an address in process");
	ASSERT_ERR("no area of data.bin holds offset 0x0");
	ASSERT_ERR("holds offsets 0x2000-0x4000");
	b = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, FILE_DIR "/data.bin");
	ASSERT_STATUS(rpt_cli(&P, "dump %d data.bin 16", t.pid), 0);
	KT_ASSERT_MSG(line_of(P.obuf, b) == P.obuf, "%s", P.obuf);
	ASSERT_STATUS(rpt_cli(&P, "peek %d data.bin+8", t.pid), 0);
	KT_ASSERT(!strcmp(P.obuf, file_value(8)));
	rpt_target_kill(&t);
}

KT_TEST(addr_name_errors, "ADDR names: ambiguous (candidates listed) and unknown names exit 2")
{
	struct rpt_target t;
	char want[160];
	uint64_t a;

	make_file(FILE_DIR "/d1/same.bin", PG);
	make_file(FILE_DIR "/d2/same.bin", PG);
	rpt_target_start_helper(&t);
	rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, FILE_DIR "/d1/same.bin");
	rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, FILE_DIR "/d2/same.bin");

	/* Two files of that basename: both paths listed, nothing attached. */
	ASSERT_STATUS(rpt_cli(&P, "peek %d same.bin+8", t.pid), 2);
	snprintf(want, sizeof(want),
		 "remote-proc: 'same.bin+8' is ambiguous in process %d: 'same.bin' names more than one file:",
		 t.pid);
	ASSERT_ERR(want);
	ASSERT_ERR("    " FILE_DIR "/d1/same.bin\n");
	ASSERT_ERR("    " FILE_DIR "/d2/same.bin\n");
	ASSERT_ERR("Give the path");
	KT_ASSERT_EQ(P.olen, 0);
	ASSERT_STATUS(rpt_cli(&P, "peek %d d2/same.bin+8", t.pid), 0);
	KT_ASSERT(!strcmp(P.obuf, file_value(8)));

	/* The same offset mapped twice: both addresses listed. */
	a = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, FILE_DIR "/d2/same.bin");
	ASSERT_STATUS(rpt_cli(&P, "dump %d d2/same.bin+8 8", t.pid), 2);
	snprintf(want, sizeof(want), "offset 0x8 of d2/same.bin is mapped 2 times:");
	ASSERT_ERR(want);
	snprintf(want, sizeof(want), "    %llx-%llx r--s holds offsets 0x0-0x1000",
		 (unsigned long long)a, (unsigned long long)a + PG);
	ASSERT_ERR(want);

	/* Unknown names: the name and the process named, for every command. */
	ASSERT_STATUS(rpt_cli(&P, "peek %d nosuch.so+0x10", t.pid), 2);
	snprintf(want, sizeof(want),
		 "remote-proc: 'nosuch.so+0x10' is not an address in process %d: ", t.pid);
	ASSERT_ERR(want);
	ASSERT_ERR(": nothing named 'nosuch.so' is mapped there\n");
	ASSERT_STATUS(rpt_cli(&P, "dump %d [nosuch] 16", t.pid), 2);
	ASSERT_ERR("nothing named '[nosuch]' is mapped there");
	ASSERT_STATUS(rpt_cli(&P, "watch -n 1 %d nosuch 16", t.pid), 2);
	ASSERT_ERR("nothing named 'nosuch' is mapped there");
	ASSERT_STATUS(rpt_cli(&P, "poke %d nosuch 1", t.pid), 2);
	ASSERT_ERR("nothing named 'nosuch' is mapped there");
	ASSERT_STATUS(rpt_cli(&P, "peek %d same.bin+zz", t.pid), 2);
	ASSERT_ERR("'zz' is not an offset");
	rpt_target_kill(&t);
}

KT_TEST(addr_range, "ADDR START-END pasted from /proc/PID/maps: exactly that range, no LEN")
{
	static uint8_t want[3 * PG], got[3 * PG];
	struct maps_line m[512];
	struct rpt_target t;
	char range[64];
	int n, i, fd;
	uint64_t a;

	rpt_target_start_helper(&t);
	/*
	 * Read-only in the end, so no anonymous neighbour merges with it;
	 * written while still writable (kernels that refuse forced writes
	 * through /proc/PID/mem, such as Debian's 7.2, refuse them otherwise).
	 */
	a = rpt_do(&t, RPT_OP_MMAP, 0, 3 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	for (size_t j = 0; j < sizeof(want); j++)
		want[j] = (uint8_t)(j * 5 + (j >> 12));
	rpt_target_put(t.pid, a, want, sizeof(want));
	rpt_do(&t, RPT_OP_MPROTECT, a, 3 * PG, PROT_READ, 0, NULL);
	n = read_maps(t.pid, m, 512);
	for (i = 0; i < n && m[i].start != a; i++)
		;
	KT_ASSERT_MSG(i < n && m[i].end == a + 3 * PG, "no area %llx-%llx", (unsigned long long)a,
		      (unsigned long long)a + 3 * PG);

	/* The maps line's first field, as is. */
	ASSERT_STATUS(rpt_cli(&P, "dump -o /tmp/range.bin %d %s", t.pid, m[i].range), 0);
	fd = open("/tmp/range.bin", O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(read(fd, got, sizeof(got)), sizeof(got));
	KT_ASSERT_EQ(read(fd, got, 1), 0);
	close(fd);
	unlink("/tmp/range.bin");
	KT_ASSERT(!memcmp(got, want, sizeof(want)));

	/* A hexdump of a range: its lines and no more; 0x on either side. */
	ASSERT_STATUS(rpt_cli(&P, "dump %d 0x%llx-0x%llx", t.pid, (unsigned long long)a + 0x10,
			      (unsigned long long)a + 0x30), 0);
	KT_ASSERT_MSG(line_of(P.obuf, a + 0x10) == P.obuf, "%s", P.obuf);
	KT_ASSERT(line_of(P.obuf, a + 0x20));
	KT_ASSERT_EQ(rpt_count(P.obuf, "\n"), 2);
	snprintf(range, sizeof(range), "%llx-%llx", (unsigned long long)a + 0x100,
		 (unsigned long long)a + 0x120);
	ASSERT_STATUS(rpt_cli(&P, "watch -n 1 %d %s", t.pid, range), 0);
	snprintf((char *)got, sizeof(got), "refresh 1 (pid %d, 0x%llx, 32 bytes)", t.pid,
		 (unsigned long long)a + 0x100);
	ASSERT_OUT((char *)got);

	/* A range gives the length; peek and poke take one address. */
	ASSERT_STATUS(rpt_cli(&P, "dump %d %s 16", t.pid, range), 2);
	ASSERT_ERR("is a range, which gives the length: no LEN after it");
	ASSERT_STATUS(rpt_cli(&P, "watch %d %s 16", t.pid, range), 2);
	ASSERT_ERR("is a range, which gives the length: no LEN after it");
	ASSERT_STATUS(rpt_cli(&P, "peek %d %s", t.pid, range), 2);
	ASSERT_ERR("is a range; one address is wanted here");
	ASSERT_STATUS(rpt_cli(&P, "dump %d %llx-%llx", t.pid, (unsigned long long)a + PG,
			      (unsigned long long)a), 2);
	ASSERT_ERR("is not a range: END must be above START");
	ASSERT_STATUS(rpt_cli(&P, "dump %d %llx", t.pid, (unsigned long long)a), 2);
	ASSERT_ERR("so LEN must follow");
	rpt_target_kill(&t);
}

/*
 * A target with a file mapping at file offset 0x1000, an anonymous area
 * (its address in *anon) and a PROT_NONE area (returned).
 */
static uint64_t maps_target_start(struct rpt_target *t, uint64_t *anon)
{
	uint64_t a;

	make_file(FILE_DIR "/data.bin", 4 * PG);
	rpt_target_start_helper(t);
	rpt_do(t, RPT_OP_MUNMAP, rpt_do(t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ, MAP_SHARED,
				       FILE_DIR "/data.bin"), PG, 0, 0, NULL);
	a = rpt_target_anon(t, PG);
	if (anon)
		*anon = a;
	return rpt_do(t, RPT_OP_MMAP, 0, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
}

KT_TEST(maps_columns, "maps: the fields of /proc/PID/maps line by line, MIRROR before the pathname")
{
	static struct maps_line m[512];
	struct rpt_target t;
	const char *l;
	int n;

	maps_target_start(&t, NULL);

	for (int probe = 0; probe < 2; probe++) {
		ASSERT_STATUS(rpt_cli(&P, probe ? "maps %d" : "maps -n %d", t.pid), 0);
		n = read_maps(t.pid, m, 512);
		KT_ASSERT(n > 5 && n < 512);
		KT_ASSERT_MSG(!strncmp(P.obuf, "ADDRESS ", 8), "%s", P.obuf);
		l = strchr(P.obuf, '\n');
		KT_ASSERT(l);
		KT_ASSERT_MSG(strstr(P.obuf, " PERM ") < l && strstr(P.obuf, " OFFSET ") < l &&
			      strstr(P.obuf, " DEV ") < l && strstr(P.obuf, " INODE ") < l &&
			      strstr(P.obuf, " MIRROR ") < l && strstr(P.obuf, " PATHNAME\n") < l,
			      "%s", P.obuf);
		for (int i = 0; i < n; i++) {
			const char *end, *rest;
			struct maps_line c;
			char line[1024];
			size_t plen = strlen(m[i].path);
			int at = 0;

			l += 1;
			end = strchr(l, '\n');
			KT_ASSERT_MSG(end, "line %d missing:\n%s", i + 1, P.obuf);
			snprintf(line, sizeof(line), "%.*s", (int)(end - l), l);
			l = end;
			KT_ASSERT_MSG(sscanf(line, "%39s %7s %23s %15s %23s %n", c.range, c.perms,
					     c.offset, c.dev, c.inode, &at) == 5 && at, "%s", line);
			KT_ASSERT_MSG(!strcmp(c.range, m[i].range) &&
				      !strcmp(c.perms, m[i].perms) &&
				      !strcmp(c.offset, m[i].offset) && !strcmp(c.dev, m[i].dev) &&
				      !strcmp(c.inode, m[i].inode),
				      "line %d: %s\nmaps: %s %s %s %s %s", i + 1, line, m[i].range,
				      m[i].perms, m[i].offset, m[i].dev, m[i].inode);
			/* MIRROR, then the pathname (nothing for an anonymous area). */
			rest = line + at;
			KT_ASSERT_MSG(!strncmp(rest, "yes", 3) || !strncmp(rest, "no: ", 4),
				      "%s", line);
			if (plen)
				KT_ASSERT_MSG(strlen(rest) > plen + 1 &&
					      !strcmp(rest + strlen(rest) - plen, m[i].path) &&
					      rest[strlen(rest) - plen - 1] == ' ',
					      "line %d: %s\nmaps path: %s", i + 1, line, m[i].path);
			else
				KT_ASSERT_MSG(!strcmp(rest, "yes") || (!strncmp(rest, "no: ", 4) &&
					      !strchr(rest, '/') && rest[strlen(rest) - 1] != ' '),
					      "line %d: %s", i + 1, line);
		}
		/* Then only the summary line. */
		KT_ASSERT_MSG(strstr(l + 1, " areas, ") && strchr(l + 1, '\n') &&
			      !strchr(l + 1, '\n')[1], "%s", l + 1);
	}
	ASSERT_OUT(" 00001000 ");
	ASSERT_OUT(" " FILE_DIR "/data.bin\n");
	rpt_target_kill(&t);
}

/* --json: the output read back with a strict JSON reader (lib/json.c). */

/* Whether s is a string equal to want. */
static bool str_is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* s for a failure message, other bytes than printable ASCII as \xNN (KTAP stays text). */
static const char *visible(const char *s)
{
	static char buf[2][1024];
	static int which;
	char *b = buf[which ^= 1];
	size_t n = 0;

	for (; *s && n < sizeof(buf[0]) - 5; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			b[n++] = (char)c;
		else
			n += (size_t)snprintf(b + n, 5, "\\x%02x", c);
	}
	b[n] = 0;
	return b;
}

/* Every byte of the output is printable ASCII or a newline. */
static void assert_ascii(const char *out)
{
	for (const char *p = out; *p; p++)
		KT_ASSERT_MSG((*p >= 0x20 && *p < 0x7f) || *p == '\n',
			      "byte 0x%02x at %zu of:\n%s", (unsigned char)*p,
			      (size_t)(p - out), visible(out));
}

/* The output as one JSON document. */
static struct jv *json_doc(void)
{
	char err[128];
	struct jv *v;

	assert_ascii(P.obuf);
	v = json_parse(P.obuf, P.olen, err, sizeof(err));
	KT_ASSERT_MSG(v, "not JSON: %s:\n%s", err, P.obuf);
	return v;
}

/* The output as JSON Lines: an object a line, *n of them (the array, to free). */
static struct jv **json_lines(size_t *n)
{
	size_t cap = rpt_count(P.obuf, "\n") + 1;
	struct jv **v = calloc(cap, sizeof(*v));
	const char *l = P.obuf;
	char err[128];

	KT_ASSERT(v);
	assert_ascii(P.obuf);
	KT_ASSERT_MSG(!P.olen || P.obuf[P.olen - 1] == '\n', "no newline at the end:\n%s", P.obuf);
	*n = 0;
	for (const char *nl; (nl = strchr(l, '\n')); l = nl + 1) {
		v[*n] = json_parse(l, (size_t)(nl - l), err, sizeof(err));
		KT_ASSERT_MSG(v[*n] && v[*n]->type == J_OBJ, "line %zu is no object (%s): %.*s",
			      *n + 1, v[*n] ? "not an object" : err, (int)(nl - l), l);
		(*n)++;
	}
	return v;
}

static void json_lines_free(struct jv **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_free(v[i]);
	free(v);
}

/* MIRROR of a line of text maps output: "" for yes, else the reason after "no: ". */
static void text_mirror(const char *line, const char *path, char *why, size_t len)
{
	struct maps_line c;
	const char *rest;
	size_t n;
	int at = 0;

	KT_ASSERT_MSG(sscanf(line, "%39s %7s %23s %15s %23s %n", c.range, c.perms, c.offset,
			     c.dev, c.inode, &at) == 5 && at, "%s", line);
	rest = line + at;
	n = strcspn(rest, "\n");
	if (path[0]) {
		size_t plen = strlen(path);

		KT_ASSERT_MSG(n > plen && !strncmp(rest + n - plen, path, plen), "%s", line);
		n -= plen;
	}
	while (n && rest[n - 1] == ' ')
		n--;
	if (n == 3 && !strncmp(rest, "yes", 3)) {
		snprintf(why, len, "%s", "");
		return;
	}
	KT_ASSERT_MSG(n > 4 && !strncmp(rest, "no: ", 4), "%s", line);
	snprintf(why, len, "%.*s", (int)(n - 4), rest + 4);
}

/* An element of maps --json against its line of /proc/PID/maps and of text maps. */
static void check_area(const struct jv *a, const struct maps_line *m, const char *text_line)
{
	const struct jv *f;
	char why[128];
	uint64_t v;

	KT_ASSERT_MSG(a->type == J_OBJ && a->n == 9, "%s:\n%s", m->range, P.obuf);
	KT_ASSERT_MSG(json_hex(a, "start", &v) && v == m->start, "%s", m->range);
	KT_ASSERT_MSG(json_hex(a, "end", &v) && v == m->end, "%s", m->range);
	KT_ASSERT_MSG(json_str(a, "perms") && !strcmp(json_str(a, "perms"), m->perms),
		      "%s %s", m->range, m->perms);
	KT_ASSERT_MSG(json_hex(a, "offset", &v) && v == strtoull(m->offset, NULL, 16),
		      "%s %s", m->range, m->offset);
	KT_ASSERT_MSG(json_str(a, "dev") && !strcmp(json_str(a, "dev"), m->dev), "%s %s",
		      m->range, m->dev);
	f = json_get(a, "inode");
	KT_ASSERT_MSG(f && f->type == J_NUM && f->num == strtod(m->inode, NULL), "%s inode %s",
		      m->range, m->inode);
	KT_ASSERT_MSG(json_str(a, "path") && !strcmp(json_str(a, "path"), m->path), "%s %s",
		      m->range, m->path);
	/* mirror and reason: what MIRROR says, "yes" or "no: " and the reason. */
	KT_ASSERT_MSG(text_line, "%s not in the text output", m->range);
	text_mirror(text_line, m->path, why, sizeof(why));
	f = json_get(a, "mirror");
	KT_ASSERT_MSG(f && f->type == J_BOOL && f->b == !why[0], "%s: '%s'", m->range, why);
	f = json_get(a, "reason");
	KT_ASSERT_MSG(f && (why[0] ? f->type == J_STR && !strcmp(f->s, why) : f->type == J_NULL),
		      "%s: '%s'", m->range, why);
}

/* The element of a maps --json array for the area starting at start, or NULL. */
static const struct jv *json_area(const struct jv *arr, uint64_t start)
{
	uint64_t s;

	for (size_t i = 0; i < arr->n; i++)
		if (json_hex(&arr->items[i], "start", &s) && s == start)
			return &arr->items[i];
	return NULL;
}

KT_TEST(maps_json, "maps --json: one array, each area's /proc/PID/maps fields and the text's verdict")
{
	static struct maps_line m[512];
	uint64_t anon, none, mirror, v;
	struct maps_line heap, again;
	uint64_t *on_heap = malloc(64);
	struct rpt_target t;
	pid_t self = getpid();
	struct jv *doc;
	int n;

	none = maps_target_start(&t, &anon);
	mirror = rpt_do(&t, RPT_OP_MAP_MIRROR, t.pid, anon, PG, 0, NULL);

	for (int probe = 0; probe < 2; probe++) {
		const char *text;

		/* The text first: its MIRROR column is what the JSON must say. */
		ASSERT_STATUS(rpt_cli(&P, probe ? "maps %d" : "maps -n %d", t.pid), 0);
		text = strdup(P.obuf);
		KT_ASSERT(text);
		ASSERT_STATUS(rpt_cli(&P, probe ? "maps --json %d" : "maps -j -n %d", t.pid), 0);
		n = read_maps(t.pid, m, 512);
		doc = json_doc();
		KT_ASSERT_MSG(doc->type == J_ARR && doc->n == (size_t)n,
			      "%d areas in /proc/PID/maps:\n%s", n, P.obuf);
		for (int i = 0; i < n; i++)
			check_area(&doc->items[i], &m[i], area_line(text, m[i].start));
		KT_ASSERT(json_area(doc, none) && json_area(doc, mirror) && json_area(doc, anon));
		KT_ASSERT(str_is(json_str(json_area(doc, none), "reason"),
				 "not readable (PROT_NONE)"));
		KT_ASSERT(str_is(json_str(json_area(doc, mirror), "reason"),
				 "VM_IO/VM_PFNMAP (device, or a mirror)"));
		KT_ASSERT(json_get(json_area(doc, anon), "mirror")->b);
		json_free(doc);
		free((void *)text);
	}
	rpt_target_kill(&t);

	/* This process, which has a [heap]: the same range as its maps. */
	KT_ASSERT(on_heap);
	on_heap[0] = 1;
	heap = named_area(self, "[heap]");
	ASSERT_STATUS(rpt_cli(&P, "maps -j -n %d", self), 0);
	again = named_area(self, "[heap]");
	KT_ASSERT_MSG(heap.start == again.start && heap.end == again.end, "the heap moved");
	doc = json_doc();
	KT_ASSERT_MSG(json_area(doc, heap.start) &&
		      json_hex(json_area(doc, heap.start), "end", &v) && v == heap.end &&
		      str_is(json_str(json_area(doc, heap.start), "path"), "[heap]"),
		      "no [heap] %s in:\n%s", heap.range, P.obuf);
	json_free(doc);
	free(on_heap);
}

/* A file name with every kind of byte that needs escaping, and its JSON. */
#define ODD_NAME FILE_DIR "/q\"b\\s\nl\tt\001u\377v\303\251.bin"
/* As /proc/PID/maps prints it: the kernel writes the newline as \012. */
#define ODD_MAPS FILE_DIR "/q\"b\\s\\012l\tt\001u\377v\303\251.bin"
#define ODD_JSON "\"" FILE_DIR "/q\\\"b\\\\s\\\\012l\\tt\\u0001u\\u00ffv\\u00c3\\u00a9.bin\""

KT_TEST(maps_json_escape, "maps --json: a path's quote, backslash, newline, control and 8-bit bytes escaped")
{
	static struct maps_line m[512];
	struct rpt_target t;
	const struct jv *a;
	struct jv *doc;
	uint64_t f;
	int n, i;

	make_file(ODD_NAME, PG);
	rpt_target_start_helper(&t);
	f = rpt_do(&t, RPT_OP_MMAP, 0, PG, PROT_READ, MAP_SHARED, ODD_NAME);
	n = read_maps(t.pid, m, 512);
	for (i = 0; i < n && m[i].start != f; i++)
		;
	KT_ASSERT_MSG(i < n && !strcmp(m[i].path, ODD_MAPS), "maps shows '%s'",
		      i < n ? visible(m[i].path) : "nothing");

	ASSERT_STATUS(rpt_cli(&P, "maps --json %d", t.pid), 0);
	/* The escapes as written, then what a JSON reader makes of them. */
	KT_ASSERT_MSG(strstr(P.obuf, "\"path\":" ODD_JSON "}") ||
		      strstr(P.obuf, "\"path\":" ODD_JSON ","), "no %s in:\n%s", ODD_JSON, P.obuf);
	doc = json_doc();
	a = json_area(doc, f);
	KT_ASSERT(a && json_get(a, "path"));
	KT_ASSERT_MSG(json_get(a, "path")->slen == strlen(ODD_MAPS) &&
		      !memcmp(json_get(a, "path")->s, ODD_MAPS, strlen(ODD_MAPS)),
		      "path read back as '%s'", visible(json_get(a, "path")->s));
	json_free(doc);
	unlink(ODD_NAME);
	rpt_target_kill(&t);
}

/* The find --json record of the match at addr (there must be one). */
static const struct jv *match_at(struct jv **j, size_t n, uint64_t addr)
{
	uint64_t v;

	for (size_t i = 0; i < n; i++)
		if (json_hex(j[i], "address", &v) && v == addr)
			return j[i];
	kt_fail(__FILE__, __LINE__, "no match at 0x%llx:\n%s", (unsigned long long)addr, P.obuf);
}

KT_TEST(find_json, "find --json: an object a line per match; the addresses, areas and offsets the text prints")
{
	const char *pat = fresh_pattern();
	size_t n = strlen(pat), nj;
	char *text, area[600];
	struct rpt_target t;
	uint64_t a, f, v;
	const struct jv *m;
	struct jv **j;
	int fd;

	/* The pattern at file offset 0x1080, mapped from file offset 0x1000. */
	make_file(ODD_NAME, 2 * PG);
	fd = open(ODD_NAME, O_RDWR);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pwrite(fd, pat, n, PG + 0x80), (ssize_t)n);
	close(fd);
	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 3 * PG);
	rpt_target_put(t.pid, a + 100, pat, n);
	rpt_target_put(t.pid, a + 2 * PG - 5, pat, n);
	f = rpt_do(&t, RPT_OP_MMAP, 0, 2 * PG, PROT_READ, MAP_SHARED, ODD_NAME);
	rpt_do(&t, RPT_OP_MUNMAP, f, PG, 0, 0, NULL);
	f += PG;

	ASSERT_STATUS(rpt_cli(&P, "find %d %s", t.pid, pat), 0);
	KT_ASSERT_MSG(rpt_count(P.obuf, "\n") == 3, "%s", P.obuf);
	text = strdup(P.obuf);
	KT_ASSERT(text);
	ASSERT_STATUS(rpt_cli(&P, "find --json %d %s", t.pid, pat), 0);
	j = json_lines(&nj);
	KT_ASSERT_MSG(nj == 3, "%s", P.obuf);
	/* Line by line the text's ADDRESS and NAME+OFF. */
	for (size_t i = 0, at = 0; i < nj; i++) {
		unsigned long long ta;
		char rest[600];
		int used = 0;

		KT_ASSERT_EQ(j[i]->n, 3);
		KT_ASSERT(sscanf(text + at, "0x%llx  %n", &ta, &used) == 1 && used);
		snprintf(rest, sizeof(rest), "%.*s", (int)strcspn(text + at + used, "\n"),
			 text + at + used);
		at += used + strlen(rest) + 1;
		KT_ASSERT_MSG(json_hex(j[i], "address", &v) && v == ta, "line %zu: %s", i, P.obuf);
		KT_ASSERT(json_str(j[i], "area") && json_str(j[i], "offset"));
		snprintf(area, sizeof(area), "%s+%s", json_str(j[i], "area"),
			 json_str(j[i], "offset"));
		KT_ASSERT_MSG(!strcmp(area, rest), "json %s, text %s", visible(area),
			      visible(rest));
	}
	/* And what they must be (in address order: the file is mapped lower). */
	m = match_at(j, nj, a + 100);
	KT_ASSERT(str_is(json_str(m, "area"), "[anon]") && json_hex(m, "offset", &v) && v == 100);
	m = match_at(j, nj, a + 2 * PG - 5);
	KT_ASSERT(str_is(json_str(m, "area"), "[anon]"));
	m = match_at(j, nj, f + 0x80);
	KT_ASSERT_MSG(str_is(json_str(m, "area"), ODD_MAPS), "%s", P.obuf);
	KT_ASSERT(json_hex(m, "offset", &v) && v == PG + 0x80);
	json_lines_free(j, nj);
	free(text);

	ASSERT_STATUS(rpt_cli(&P, "find -j -m 1 %d %s", t.pid, pat), 0);
	j = json_lines(&nj);
	KT_ASSERT_EQ(nj, 1);
	json_lines_free(j, nj);
	/* No match: no output at all, the message on stderr, status 5. */
	ASSERT_STATUS(rpt_cli(&P, "find -j %d %s", t.pid, fresh_pattern()), 5);
	KT_ASSERT_EQ(P.olen, 0);
	ASSERT_ERR("no match");
	unlink(ODD_NAME);
	rpt_target_kill(&t);
}

/*
 * dump --json's records rebuilt into the bytes of [from, to): got[] and
 * read[] (whether the byte was in a data or repeat record); each byte in
 * exactly one record, in order. The unreadable records go to bad[] (at
 * most 8), the number of repeat records to *repeats.
 */
struct bad_range {
	uint64_t start, end;
	char reason[64];
};

static void dump_records(uint64_t from, uint64_t to, uint8_t *got, bool *read,
			 struct bad_range *bad, int *nbad, int *repeats)
{
	uint64_t at = from, s, e;
	uint8_t last[16];
	size_t n, last_n = 0;
	struct jv **j = json_lines(&n);

	*nbad = *repeats = 0;
	for (size_t i = 0; i < n; i++) {
		const char *type = json_str(j[i], "type");

		KT_ASSERT_MSG(type && json_hex(j[i], "address", &s) && s == at,
			      "record %zu not at 0x%llx:\n%s", i, (unsigned long long)at, P.obuf);
		if (!strcmp(type, "data")) {
			const char *hex = json_str(j[i], "bytes");
			size_t len = hex ? strlen(hex) / 2 : 0;

			KT_ASSERT_MSG(j[i]->n == 3 && len && len <= 16 && strlen(hex) == 2 * len &&
				      at + len <= to, "record %zu:\n%s", i, P.obuf);
			for (size_t k = 0; k < len; k++) {
				unsigned int b;

				KT_ASSERT(sscanf(hex + 2 * k, "%2x", &b) == 1);
				got[at - from + k] = last[k] = (uint8_t)b;
				read[at - from + k] = true;
			}
			last_n = len;
			at += len;
		} else if (!strcmp(type, "repeat")) {
			KT_ASSERT_MSG(j[i]->n == 3 && json_hex(j[i], "end", &e) && e > at &&
				      e <= to && !((e - at) % 16) && last_n == 16,
				      "record %zu:\n%s", i, P.obuf);
			for (; at < e; at++) {
				got[at - from] = last[(at - s) % 16];
				read[at - from] = true;
			}
			(*repeats)++;
		} else {
			KT_ASSERT_MSG(!strcmp(type, "unreadable") && j[i]->n == 4 && *nbad < 8 &&
				      json_hex(j[i], "end", &e) && e > at && e <= to &&
				      json_str(j[i], "reason"), "record %zu:\n%s", i, P.obuf);
			bad[*nbad].start = at;
			bad[*nbad].end = e;
			snprintf(bad[*nbad].reason, sizeof(bad[0].reason), "%s",
				 json_str(j[i], "reason"));
			(*nbad)++;
			last_n = 0;
			at = e;
		}
	}
	KT_ASSERT_MSG(at == to, "the records end at 0x%llx, not 0x%llx:\n%s",
		      (unsigned long long)at, (unsigned long long)to, P.obuf);
	json_lines_free(j, n);
}

KT_TEST(dump_json, "dump --json: data records hold the target's bytes; holes and repeated lines are records")
{
	static uint8_t want[4 * PG], got[4 * PG];
	static bool read[4 * PG];
	struct bad_range bad[8];
	int nbad, repeats;
	struct rpt_target t;
	uint64_t a, from, to;

	rpt_target_start_helper(&t);
	a = rpt_target_anon(&t, 4 * PG);
	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7 + (i >> 8) + 1);
	/* A run of equal lines in page 2, for the text's '*'. */
	memset(want + 2 * PG + 0x100, 0x41, 0x200);
	rpt_target_put(t.pid, a, want, sizeof(want));
	rpt_do(&t, RPT_OP_MUNMAP, a + PG, PG, 0, 0, NULL);
	rpt_do(&t, RPT_OP_MPROTECT, a + 3 * PG, PG, PROT_NONE, 0, NULL);
	/* Not line-aligned, into page 3 a little. */
	from = a + PG - 19;
	to = a + 3 * PG + 100;

	for (int all = 0; all < 2; all++) {
		ASSERT_STATUS(rpt_cli(&P, all ? "dump -v --json %d %llx %llu" :
				      "dump -j %d %llx %llu", t.pid, (unsigned long long)from,
				      (unsigned long long)(to - from)), 3);
		ASSERT_ERR("could not be read (2 ranges)");
		memset(read, 0, sizeof(read));
		dump_records(from, to, got, read, bad, &nbad, &repeats);
		KT_ASSERT_MSG(all ? repeats == 0 : repeats == 1, "%d repeat records:\n%s", repeats,
			      P.obuf);
		KT_ASSERT_MSG(nbad == 2 && bad[0].start == a + PG && bad[0].end == a + 2 * PG &&
			      !strcmp(bad[0].reason, "not mapped in the target") &&
			      bad[1].start == a + 3 * PG && bad[1].end == to &&
			      !strcmp(bad[1].reason, "not readable (PROT_NONE) ([anon])"),
			      "%d unreadable records:\n%s", nbad, P.obuf);
		for (uint64_t x = from; x < to; x++) {
			bool hole = (x >= a + PG && x < a + 2 * PG) || x >= a + 3 * PG;

			KT_ASSERT_MSG(read[x - from] == !hole, "0x%llx", (unsigned long long)x);
			KT_ASSERT_MSG(hole || got[x - from] == want[x - a],
				      "byte at 0x%llx: 0x%02x, not 0x%02x", (unsigned long long)x,
				      got[x - from], want[x - a]);
		}
	}

	/* All readable: the exact bytes, status 0; and no raw output as JSON. */
	ASSERT_STATUS(rpt_cli(&P, "dump --json %d %llx 0x333", t.pid,
			      (unsigned long long)a + 2 * PG + 5), 0);
	memset(read, 0, sizeof(read));
	dump_records(a + 2 * PG + 5, a + 2 * PG + 5 + 0x333, got, read, bad, &nbad, &repeats);
	KT_ASSERT(!nbad && !memcmp(got, want + 2 * PG + 5, 0x333));
	ASSERT_STATUS(rpt_cli(&P, "dump -j -o /tmp/json.bin %d %llx 16", t.pid,
			      (unsigned long long)a), 2);
	ASSERT_ERR("not both");
	rpt_target_kill(&t);
}
