// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * peek PID ADDR and poke PID ADDR VALUE: one value, loaded or stored
 * through a mapping of the mirror. An aligned value is one load or store
 * of its width, so the target never sees half of it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"

static const char peek_help[] =
"Usage: remote-proc peek [OPTION]... PID ADDR\n"
"Print the 64-bit value (or 8, 16, 32-bit with -w) at ADDR in process PID,\n"
"in hexadecimal unless -d or -s is given. ADDR is hexadecimal (0x optional).\n"
"The value is read with one load through a mapping of the target's page.\n"
"\n"
"Options:\n"
"  -w, --width=BITS   8, 16, 32 or 64 (default 64)\n"
"  -d, --decimal      print it as an unsigned decimal number\n"
"  -s, --signed       print it as a signed decimal number\n"
"  -h, --help         display this help and exit\n";

static const char poke_help[] =
"Usage: remote-proc poke [OPTION]... PID ADDR VALUE\n"
"Write VALUE as a 64-bit value (or 8, 16, 32-bit with -w) at ADDR in process\n"
"PID, and print the old and the new value. ADDR is hexadecimal (0x\n"
"optional); VALUE is decimal, or hexadecimal with 0x, and may be negative.\n"
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

/* Load or store through the mapping: one access when aligned. */
static int access_value(void *p, unsigned int bytes, uint64_t *val, bool store)
{
	uintptr_t fault;

	if ((uintptr_t)p % bytes == 0)
		return store ? guard_store(p, bytes, *val, &fault) :
			       guard_load(p, bytes, val, &fault);
	if (store)
		return guard_copy(p, val, bytes, &fault);	/* little endian */
	*val = 0;
	return guard_copy(val, p, bytes, &fault);
}

static void print_value(uint64_t v, unsigned int bytes, char mode)
{
	unsigned int bits = bytes * 8;

	if (mode == 'd') {
		printf("%" PRIu64 "\n", v);
	} else if (mode == 's') {
		int64_t sv = bits == 64 ? (int64_t)v :
			     (int64_t)(v << (64 - bits)) >> (64 - bits);

		printf("%" PRId64 "\n", sv);
	} else {
		printf("0x%0*" PRIx64 "\n", (int)bytes * 2, v);
	}
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

static int one_value(pid_t pid, uint64_t addr, unsigned int bytes, uint64_t *val,
		     bool store, uint64_t *old)
{
	struct session s;
	void *p;
	int ret;

	ret = session_open(&s, pid, store);
	if (ret)
		return ret;
	ret = remote_proc_map(s.mirror, addr, bytes, store ? PROT_READ | PROT_WRITE : PROT_READ,
			      0, &p);
	if (ret < 0) {
		explain_map_error(&s, -ret, addr, bytes);
		session_close(&s);
		return EXIT_ERROR;
	}
	ret = EXIT_OK;
	if (access_value(p, bytes, store ? old : val, false)) {
		err_msg("cannot read 0x%" PRIx64 " in process %d: %s", addr, (int)pid,
			why_unreadable(&s, addr));
		ret = EXIT_PARTIAL;
	} else if (store && access_value(p, bytes, val, true)) {
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

int cmd_peek(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "decimal", no_argument, NULL, 'd' },
		{ "signed", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int bytes = 8;
	uint64_t addr, val = 0;
	char mode = 'x';
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "w:dsh", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_width("peek", optarg, &bytes))
				return EXIT_USAGE;
			break;
		case 'd':
		case 's':
			mode = (char)c;
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
	if (parse_pid(argv[optind], &pid) || parse_addr_in(pid, argv[optind + 1], &addr, NULL))
		return EXIT_USAGE;
	ret = one_value(pid, addr, bytes, &val, false, NULL);
	if (!ret)
		print_value(val, bytes, mode);
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
	ret = one_value(pid, addr, bytes, &val, true, &old);
	if (!ret && !quiet)
		printf("0x%" PRIx64 ": 0x%0*" PRIx64 " -> 0x%0*" PRIx64 "\n", addr,
		       (int)bytes * 2, old, (int)bytes * 2, val);
	return ret;
}
