// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * peek PID ADDR and poke PID ADDR VALUE: values loaded or stored through
 * a mapping of the mirror. An aligned value is one load or store of its
 * width, so the target never sees half of it. peek prints COUNT values of
 * a TYPE (integers, floats, C strings); poke writes one integer.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"

/* The limits of peek -n and -l (documented in the help). */
#define PEEK_MAX_COUNT	65536
#define PEEK_MAX_LEN	65536
#define PEEK_LEN	256

static const char peek_help[] =
"Usage: remote-proc peek [OPTION]... PID ADDR\n"
"Print the value at ADDR in process PID: by default a 64-bit integer in\n"
"hexadecimal. ADDR is hexadecimal (0x optional), [heap], [stack], NAME or\n"
"NAME+OFF (see remote-proc --help). Each value is read through a mapping\n"
"of the target's pages, an aligned one with one load of its width.\n"
"\n"
"With -n COUNT > 1, COUNT consecutive values are printed one per line as\n"
"'0xADDR: VALUE'; a single value is printed alone. Reading stops at the\n"
"first value that cannot be read (not mapped, PROT_NONE, ...), which is\n"
"reported with its cause; the exit status is then 3.\n"
"\n"
"Types (-t):\n"
"  u8 u16 u32 u64     unsigned integers, in hexadecimal (-d: unsigned and\n"
"                     -s: signed decimal)\n"
"  i8 i16 i32 i64     signed integers, in decimal (-d: unsigned)\n"
"  f32 f64            IEEE floats, in the fewest digits that read back exactly\n"
"  string             a NUL-terminated string of at most MAX bytes (-l), in\n"
"                     double quotes with C escapes (\\n, \\\", \\\\, \\033); '...'\n"
"                     follows one that reached MAX bytes without a NUL. It\n"
"                     is read up to its NUL only. With -n, consecutive\n"
"                     strings, each after the previous NUL (or MAX bytes).\n"
"\n"
"Options:\n"
"  -t, --type=TYPE    the type of the values (default u64)\n"
"  -n, --count=COUNT  print COUNT values, 1 to 65536 (default 1)\n"
"  -l, --length=MAX   the longest string, 1 to 65536 bytes (default 256)\n"
"  -w, --width=BITS   8, 16, 32 or 64: the same as -t uBITS\n"
"  -d, --decimal      print integers as unsigned decimal numbers\n"
"  -s, --signed       print integers as signed decimal numbers\n"
"  -h, --help         display this help and exit\n"
"-w and -t: the last one given counts. -d and -s apply to integers only,\n"
"-l to strings only.\n";

static const char poke_help[] =
"Usage: remote-proc poke [OPTION]... PID ADDR VALUE\n"
"Write VALUE as a 64-bit value (or 8, 16, 32-bit with -w) at ADDR in process\n"
"PID, and print the old and the new value. ADDR is hexadecimal (0x\n"
"optional), [heap], [stack], NAME or NAME+OFF (see remote-proc --help);\n"
"VALUE is decimal, or hexadecimal with 0x, and may be negative.\n"
"The value is written with one store through a mapping of the target's\n"
"page, so the target sees the old or the new value, never a mix (for an\n"
"aligned ADDR). Read-only memory of the target cannot be written.\n"
"Options go before PID.\n"
"\n"
"Options:\n"
"  -w, --width=BITS   8, 16, 32 or 64 (default 64)\n"
"  -q, --quiet        print nothing on success\n"
"  -h, --help         display this help and exit\n";

static int parse_width(const char *cmd, const char *s, unsigned int *bytes)
{
	if (!strcmp(s, "8") || !strcmp(s, "16") || !strcmp(s, "32") || !strcmp(s, "64")) {
		*bytes = (unsigned int)atoi(s) / 8;
		return 0;
	}
	usage_error(cmd, "width must be 8, 16, 32 or 64 (bits), not '%s'", s);
	return -1;
}

static int parse_value(const char *s, unsigned int bytes, uint64_t *val)
{
	unsigned int bits = bytes * 8;
	uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
	bool neg = s[0] == '-';
	const char *p = neg ? s + 1 : s;
	int base = 10;
	char *end;
	uint64_t v;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno || end == p || *end || *p == '-' || *p == '+' ||
	    (neg && v > (max >> 1) + 1) || (!neg && v > max)) {
		err_msg("'%s' is not a %u-bit value (decimal, or hexadecimal with 0x)", s, bits);
		return -1;
	}
	*val = (neg ? (uint64_t)0 - v : v) & max;
	return 0;
}

/*
 * Load or store through the mapping, with the library's SIGBUS-safe
 * helpers: one access when aligned. 0, or SIGBUS with *fault set (for an
 * unaligned value, the start of the page that faulted).
 */
static int access_value(void *p, unsigned int bytes, uint64_t *val, bool store,
			uintptr_t *fault)
{
	ssize_t n;

	if ((uintptr_t)p % bytes == 0) {
		if (!(store ? remote_proc_store(p, bytes, *val) :
			      remote_proc_load(p, bytes, val)))
			return 0;
		*fault = (uintptr_t)p;
		return SIGBUS;
	}
	if (!store)
		*val = 0;
	/* Little endian: the value's low bytes first. */
	n = store ? remote_proc_copy_to_map(p, val, bytes) :
		    remote_proc_copy_from_map(val, p, bytes);
	if (n == (ssize_t)bytes)
		return 0;
	*fault = (uintptr_t)p + (n > 0 ? (size_t)n : 0);
	return SIGBUS;
}

/* Why a store at addr failed, from the target's current areas. */
static const char *why_unwritable(struct session *s, uint64_t addr)
{
	struct vma_list l;
	const struct vma *v;
	const char *why = NULL;

	if (!session_dead(s) && vmas_read(s->pid, &l) == 0) {
		v = vmas_find(&l, addr);
		if (v && v->perms[0] == 'r' && v->perms[1] != 'w')
			why = "the target's mapping there is read-only";
		vmas_free(&l);
	}
	return why ? why : why_unreadable(s, addr);
}

/*
 * The value at target address addr, mapped at p, could not be read: say
 * why, from the page that faulted (a value may cross into a hole).
 */
static void report_unreadable(struct session *s, uint64_t addr, const void *p,
			      unsigned int bytes, uintptr_t fault)
{
	uintptr_t from = (uintptr_t)p;
	uint64_t at = addr;

	if (fault > from && fault < from + bytes)
		at = addr + (fault - from);
	if (at != addr)
		err_msg("cannot read 0x%" PRIx64 " in process %d: %s (at 0x%" PRIx64 ")",
			addr, (int)s->pid, why_unreadable(s, at), at);
	else
		err_msg("cannot read 0x%" PRIx64 " in process %d: %s", addr, (int)s->pid,
			why_unreadable(s, at));
}

struct peek {
	const struct vtype *type;
	unsigned int bytes;	/* of an integer or float */
	char mode;		/* of an integer: 'x', 'd' or 's' */
	uint64_t count, maxlen;
};

static void print_prefix(const struct peek *pk, uint64_t addr)
{
	if (pk->count > 1)
		printf("0x%012" PRIx64 ": ", addr);
}

/* COUNT integers or floats, all in one mapping. */
static int peek_numbers(struct session *s, uint64_t addr, const struct peek *pk)
{
	uint64_t len = pk->count * pk->bytes, v;
	uintptr_t fault;
	uint8_t *base;
	void *map;
	int ret;

	ret = session_map(s, addr, len, &map);
	if (ret < 0) {
		explain_map_error(s, -ret, addr, len);
		return EXIT_ERROR;
	}
	base = map;
	ret = EXIT_OK;
	for (uint64_t i = 0; i < pk->count; i++) {
		uint64_t a = addr + i * pk->bytes;
		uint8_t *p = base + i * pk->bytes;

		if (access_value(p, pk->bytes, &v, false, &fault)) {
			fflush(stdout);
			report_unreadable(s, a, p, pk->bytes, fault);
			ret = EXIT_PARTIAL;
			break;
		}
		print_prefix(pk, a);
		if (pk->type->kind == VT_FLOAT)
			print_float(stdout, v, pk->bytes);
		else
			print_int(stdout, v, pk->bytes, pk->mode);
		putchar('\n');
	}
	session_unmap(map, len);
	return ret;
}

/*
 * One string at addr, read a byte at a time up to its NUL (so the bytes
 * after it need not be readable), at most maxlen bytes. Its length, with
 * the NUL, goes to *used.
 */
static int peek_string(struct session *s, uint64_t addr, const struct peek *pk,
		       uint8_t *buf, uint64_t *used)
{
	uint64_t len = pk->maxlen, n = 0, v = 1;
	uintptr_t fault;
	uint8_t *base;
	void *map;
	int ret;

	/* A string may end right before the end of the address space. */
	if (addr < s->info.size && s->info.size - addr < len)
		len = s->info.size - addr;
	ret = session_map(s, addr, len, &map);
	if (ret < 0) {
		explain_map_error(s, -ret, addr, len);
		return EXIT_ERROR;
	}
	base = map;
	for (; n < len; n++) {
		if (guard_load(base + n, 1, &v, &fault)) {
			fflush(stdout);
			report_unreadable(s, addr + n, base + n, 1, fault);
			session_unmap(map, len);
			return EXIT_PARTIAL;
		}
		if (!v)
			break;
		buf[n] = (uint8_t)v;
	}
	session_unmap(map, len);
	print_prefix(pk, addr);
	print_cstring(stdout, buf, n);
	puts(v ? "..." : "");	/* no NUL within reach */
	*used = n < len ? n + 1 : n;
	return EXIT_OK;
}

static int peek_strings(struct session *s, uint64_t addr, const struct peek *pk)
{
	uint8_t *buf = malloc(pk->maxlen);
	int ret = EXIT_OK;

	if (!buf) {
		err_msg("out of memory");
		return EXIT_ERROR;
	}
	for (uint64_t i = 0; i < pk->count && !ret; i++) {
		uint64_t used;

		ret = peek_string(s, addr, pk, buf, &used);
		addr += used;
	}
	free(buf);
	return ret;
}

static int peek_values(pid_t pid, uint64_t addr, const struct peek *pk)
{
	struct session s;
	int ret;

	ret = session_open(&s, pid, false);
	if (ret)
		return ret;
	if (pk->type->kind == VT_STRING)
		ret = peek_strings(&s, addr, pk);
	else
		ret = peek_numbers(&s, addr, pk);
	if (ret == EXIT_PARTIAL && session_dead(&s))
		ret = EXIT_GONE;
	session_close(&s);
	return ret;
}

/* A COUNT or MAX: decimal from 1 to max. */
static int parse_count(const char *opt, const char *s, uint64_t max, uint64_t *n)
{
	char *end;

	errno = 0;
	*n = strtoull(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s) || !*n || *n > max) {
		usage_error("peek", "%s must be a number from 1 to %" PRIu64 ", not '%s'",
			    opt, max, s);
		return -1;
	}
	return 0;
}

int cmd_peek(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "length", required_argument, NULL, 'l' },
		{ "width", required_argument, NULL, 'w' },
		{ "decimal", no_argument, NULL, 'd' },
		{ "signed", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct peek pk = { .count = 1, .maxlen = PEEK_LEN };
	bool int_opt = false, len_opt = false;
	char mode = 0;
	uint64_t addr;
	pid_t pid;
	int c;

	pk.type = vtype_find("u64");
	while ((c = getopt_long(argc, argv, "t:n:l:w:dsh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			pk.type = vtype_find(optarg);
			if (!pk.type)
				return usage_error("peek", "TYPE must be u8, u16, u32, u64, i8, i16, i32, i64, f32, f64 or string, not '%s'",
						   optarg);
			break;
		case 'n':
			if (parse_count("--count", optarg, PEEK_MAX_COUNT, &pk.count))
				return EXIT_USAGE;
			break;
		case 'l':
			if (parse_count("--length", optarg, PEEK_MAX_LEN, &pk.maxlen))
				return EXIT_USAGE;
			len_opt = true;
			break;
		case 'w':
			if (parse_width("peek", optarg, &pk.bytes))
				return EXIT_USAGE;
			/* -w BITS is -t uBITS. */
			pk.type = vtype_find(pk.bytes == 1 ? "u8" : pk.bytes == 2 ? "u16" :
					     pk.bytes == 4 ? "u32" : "u64");
			break;
		case 'd':
		case 's':
			mode = (char)c;
			int_opt = true;
			break;
		case 'h':
			fputs(peek_help, stdout);
			return EXIT_OK;
		default:
			return usage_error("peek", "bad option");
		}
	}
	if (argc - optind != 2)
		return usage_error("peek", "expected PID ADDR");
	if (int_opt && (pk.type->kind == VT_FLOAT || pk.type->kind == VT_STRING))
		return usage_error("peek", "-d and -s apply to integers, not to %s",
				   pk.type->name);
	if (len_opt && pk.type->kind != VT_STRING)
		return usage_error("peek", "--length applies to strings (-t string)");
	pk.bytes = pk.type->bytes;
	pk.mode = mode ? mode : pk.type->kind == VT_INT ? 's' : 'x';
	if (parse_pid(argv[optind], &pid) || parse_addr_in(pid, argv[optind + 1], &addr, NULL))
		return EXIT_USAGE;
	if (pk.type->kind != VT_STRING && addr + pk.count * pk.bytes - 1 < addr)
		return usage_error("peek", "%" PRIu64 " values at 0x%" PRIx64 " go past the end of the address space",
				   pk.count, addr);
	return peek_values(pid, addr, &pk);
}

/* Read the old value at addr, then store val there. */
static int poke_value(pid_t pid, uint64_t addr, unsigned int bytes, uint64_t val,
		      uint64_t *old)
{
	struct session s;
	uintptr_t fault;
	void *p;
	int ret;

	ret = session_open(&s, pid, true);
	if (ret)
		return ret;
	ret = remote_proc_map(s.mirror, addr, bytes, PROT_READ | PROT_WRITE, 0, &p);
	if (ret < 0) {
		explain_map_error(&s, -ret, addr, bytes);
		session_close(&s);
		return EXIT_ERROR;
	}
	ret = EXIT_OK;
	if (access_value(p, bytes, old, false, &fault)) {
		report_unreadable(&s, addr, p, bytes, fault);
		ret = EXIT_PARTIAL;
	} else if (access_value(p, bytes, &val, true, &fault)) {
		err_msg("cannot write 0x%" PRIx64 " in process %d: %s", addr, (int)pid,
			why_unwritable(&s, addr));
		ret = EXIT_PARTIAL;
	}
	if (ret && session_dead(&s))
		ret = EXIT_GONE;
	remote_proc_unmap(p, bytes);
	session_close(&s);
	return ret;
}

int cmd_poke(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int bytes = 8;
	uint64_t addr, val, old = 0;
	bool quiet = false;
	pid_t pid;
	int c, ret;

	/* "+": options end at PID, so a negative VALUE is not an option. */
	while ((c = getopt_long(argc, argv, "+w:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_width("poke", optarg, &bytes))
				return EXIT_USAGE;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(poke_help, stdout);
			return EXIT_OK;
		default:
			return usage_error("poke", "bad option");
		}
	}
	if (argc - optind != 3)
		return usage_error("poke", "expected PID ADDR VALUE (options go before PID)");
	if (parse_pid(argv[optind], &pid) || parse_addr_in(pid, argv[optind + 1], &addr, NULL) ||
	    parse_value(argv[optind + 2], bytes, &val))
		return EXIT_USAGE;
	ret = poke_value(pid, addr, bytes, val, &old);
	if (!ret && !quiet)
		printf("0x%" PRIx64 ": 0x%0*" PRIx64 " -> 0x%0*" PRIx64 "\n", addr,
		       (int)bytes * 2, old, (int)bytes * 2, val);
	return ret;
}
