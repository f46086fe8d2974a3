// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * dump PID ADDR LEN: read target memory through a mapping of the mirror
 * (no copy by the kernel), as a hexdump or raw into a file. The range is
 * mapped a window at a time, so that neither the page tables a mirror
 * mapping builds here nor the copies of the /proc/PID/mem fallback grow
 * with LEN.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

#define WINDOW	(8ull << 20)

static const char help[] =
"Usage: remote-proc dump [OPTION]... PID ADDR LEN\n"
"  or:  remote-proc dump [OPTION]... PID START-END\n"
"Show LEN bytes of process PID's memory at ADDR (or the range START-END) as\n"
"a hexdump, or write them raw to a file. The bytes are read through a\n"
"mapping of the target's pages (no copies; without the device, copied\n"
"through /proc/PID/mem). Ranges that cannot be read (not\n"
"mapped, PROT_NONE, device memory, revoked meanwhile) are reported, shown as\n"
"?? in a hexdump and written as zeros in raw output, and the exit status is 3.\n"
"\n"
"ADDR is hexadecimal (0x optional), [heap], [stack], NAME or NAME+OFF;\n"
"START-END is a range as /proc/PID/maps prints it (see 'remote-proc --help'\n"
"for addresses). LEN is decimal or 0x hex, with an optional K, M or G suffix.\n"
"\n"
"Like hexdump -C, a run of lines identical to the line before it is shown\n"
"as one line holding '*' (the last line of the range is always shown).\n"
"\n"
"Options:\n"
"  -o, --output=FILE  write the raw bytes to FILE ('-' for standard output)\n"
"  -v, --no-squeeze   show every line, repeated ones too\n"
"  -j, --json         print the hexdump as JSON Lines (see below); not with -o\n"
"  -h, --help         display this help and exit\n"
"\n"
"With --json, each line of the hexdump is a JSON object on a line of its own\n"
"(JSON Lines, written as the dump goes), in address order, of one of three\n"
"types:\n"
"  {\"type\":\"data\",\"address\":\"0x7ffd5e2a1000\",\"bytes\":\"48656c6c6f\"}\n"
"      up to 16 bytes from address, as pairs of hexadecimal digits; only\n"
"      bytes that could be read (where the text shows ??, the bytes are left\n"
"      out and address is the first one read)\n"
"  {\"type\":\"repeat\",\"address\":\"0x7ffd5e2a1010\",\"end\":\"0x7ffd5e2a1100\"}\n"
"      the 16-byte lines from address to end hold the bytes of the data\n"
"      line before (the text's '*'; not with -v)\n"
"  {\"type\":\"unreadable\",\"address\":\"0x7ffd5e2a2000\",\"end\":\"0x7ffd5e2a3000\",\n"
"   \"reason\":\"not mapped in the target\"}\n"
"      a range that could not be read, and why (exit status 3, as without\n"
"      --json, and the summary on standard error)\n"
"Addresses are hexadecimal strings; end is exclusive.\n";

struct dump {
	struct session *s;
	/* The window mapped now: the byte at wstart, up to wend; or NULL. */
	const uint8_t *win;
	uint64_t wstart, wend;
	uint64_t addr, end, ps;
	/* The current page, copied out of the mapping under a guard. */
	uint64_t page;
	bool page_valid, page_ok;
	uint8_t *buf;
	/* A run of unreadable bytes not reported yet. */
	uint64_t bad_start, bad_end, bad_total;
	unsigned int bad_runs;
	FILE *report;		/* where runs are reported */
	bool squeeze;		/* '*' for lines equal to the one before */
	bool json;		/* JSON Lines on stdout */
};

static void unmap_window(struct dump *d)
{
	if (d->win)
		session_unmap((void *)d->win, d->wend - d->wstart);
	d->win = NULL;
}

/* Map the window that starts at from (in [addr, end)). 0 or -errno. */
static int map_window(struct dump *d, uint64_t from)
{
	uint64_t wend = (from & ~(d->ps - 1)) + WINDOW;
	void *p;
	int ret;

	unmap_window(d);
	if (wend > d->end || wend < from)
		wend = d->end;
	ret = session_map(d->s, from, wend - from, &p);
	if (ret < 0)
		return ret;
	d->win = p;
	d->wstart = from;
	d->wend = wend;
	return 0;
}

static bool load_page(struct dump *d, uint64_t a)
{
	uint64_t page = a & ~(d->ps - 1);

	if (!d->page_valid || d->page != page) {
		uint64_t from = page < d->addr ? d->addr : page;
		uint64_t to = page + d->ps < d->end ? page + d->ps : d->end;
		uintptr_t fault;

		d->page = page;
		d->page_valid = true;
		if (!d->win || from < d->wstart || from >= d->wend)
			map_window(d, from);
		d->page_ok = d->win &&
			     !guard_copy(d->buf + (from - page), d->win + (from - d->wstart),
					 to - from, &fault);
	}
	return d->page_ok;
}

static void flush_bad(struct dump *d)
{
	char sz[16];

	if (d->bad_end == d->bad_start)
		return;
	if (d->json) {
		fputs("{\"type\":\"unreadable\",\"address\":", stdout);
		json_hex(stdout, d->bad_start);
		fputs(",\"end\":", stdout);
		json_hex(stdout, d->bad_end);
		fputs(",\"reason\":", stdout);
		json_str(stdout, why_unreadable(d->s, d->bad_start));
		fputs("}\n", stdout);
	} else {
		fprintf(d->report, "%s0x%012llx-0x%012llx  unreadable (%s): %s\n",
			d->report == stderr ? "remote-proc: " : "",
			(unsigned long long)d->bad_start, (unsigned long long)d->bad_end,
			human_size(d->bad_end - d->bad_start, sz, sizeof(sz)),
			why_unreadable(d->s, d->bad_start));
	}
	d->bad_total += d->bad_end - d->bad_start;
	d->bad_runs++;
	d->bad_start = d->bad_end = 0;
}

static void add_bad(struct dump *d, uint64_t from, uint64_t to)
{
	if (d->bad_end != from)
		flush_bad(d);
	if (d->bad_end == d->bad_start)
		d->bad_start = from;
	d->bad_end = to;
}

/* A data record: the n bytes at addr that could be read. */
static void json_data(uint64_t addr, const uint8_t *b, size_t n)
{
	fputs("{\"type\":\"data\",\"address\":", stdout);
	json_hex(stdout, addr);
	fputs(",\"bytes\":", stdout);
	json_hexbytes(stdout, b, n);
	fputs("}\n", stdout);
}

/* The end of a run of repeated lines from start: '*' has said so in text. */
static void end_repeat(struct dump *d, bool starred, uint64_t start, uint64_t end)
{
	if (!d->json || !starred)
		return;
	fputs("{\"type\":\"repeat\",\"address\":", stdout);
	json_hex(stdout, start);
	fputs(",\"end\":", stdout);
	json_hex(stdout, end);
	fputs("}\n", stdout);
}

static void hexdump(struct dump *d)
{
	/* The last line printed, when it was 16 readable bytes. */
	uint8_t prev[16];
	bool have_prev = false, starred = false;
	uint64_t run = 0;	/* where the run of repeated lines began */

	for (uint64_t a = d->addr; a < d->end; a += 16) {
		size_t n = d->end - a < 16 ? d->end - a : 16, good = 0;
		uint8_t b[16];
		bool ok[16];

		for (size_t i = 0; i < n; i++) {
			ok[i] = load_page(d, a + i);
			b[i] = ok[i] ? d->buf[(a + i) & (d->ps - 1)] : 0;
			good += ok[i];
		}
		if (!good) {
			end_repeat(d, starred, run, a);
			add_bad(d, a, a + n);
			have_prev = starred = false;
			continue;
		}
		if (d->squeeze && have_prev && good == 16 && a + 16 < d->end &&
		    !memcmp(b, prev, 16)) {
			if (!starred && !d->json)
				puts("*");
			if (!starred)
				run = a;
			starred = true;
			continue;
		}
		end_repeat(d, starred, run, a);
		have_prev = good == 16;
		starred = false;
		memcpy(prev, b, n);
		/*
		 * A line holds at most one page boundary: its unreadable bytes
		 * (shown as ??) end a run before it or start one after it.
		 */
		size_t lead = 0, tail = n;

		while (!ok[lead])
			lead++;
		while (!ok[tail - 1])
			tail--;
		if (lead)
			add_bad(d, a, a + lead);
		flush_bad(d);
		if (d->json)
			json_data(a + lead, b + lead, tail - lead);
		else
			hex_line(stdout, a, b, ok, NULL, n, HEX_PLAIN);
		if (tail < n)
			add_bad(d, a + tail, a + n);
	}
	flush_bad(d);
}

static int raw(struct dump *d, int fd, const char *name)
{
	struct progress pr;

	progress_start(&pr, "dump", d->end - d->addr);
	for (uint64_t a = d->addr; a < d->end;) {
		uint64_t to = (a & ~(d->ps - 1)) + d->ps;
		const uint8_t *src;
		size_t n, done = 0;

		if (to > d->end)
			to = d->end;
		n = to - a;
		if (load_page(d, a)) {
			src = d->buf + (a & (d->ps - 1));
		} else {
			add_bad(d, a, to);
			memset(d->buf, 0, d->ps);
			src = d->buf;
		}
		while (done < n) {
			ssize_t w = write(fd, src + done, n - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				progress_clear(&pr);
				err_msg("writing %s: %s", name, w < 0 ? strerror(errno) : "short write");
				return -1;
			}
			done += (size_t)w;
		}
		a = to;
		progress_update(&pr, a - d->addr);
	}
	progress_clear(&pr);
	flush_bad(d);
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-squeeze", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	struct dump d = { 0 };
	struct session s;
	uint64_t len;
	pid_t pid;
	int c, ret, fd = -1;

	d.squeeze = true;
	while ((c = getopt_long(argc, argv, "o:vjh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'v':
			d.squeeze = false;
			break;
		case 'j':
			d.json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			return usage_error("dump", "bad option");
		}
	}
	if (argc - optind != 2 && argc - optind != 3)
		return usage_error("dump", "expected PID ADDR LEN, or PID START-END");
	if (parse_pid(argv[optind], &pid))
		return EXIT_USAGE;
	c = parse_addr_len("dump", pid, argv + optind + 1, argc - optind - 1, &d.addr, &len);
	if (c < 0)
		return EXIT_USAGE;
	if (c != argc - optind - 1)
		return usage_error("dump",
				   "'%s' is a range, which gives the length: no LEN after it",
				   argv[optind + 1]);
	if (!len)
		return usage_error("dump", "LEN must be at least 1");
	if (output && d.json)
		return usage_error("dump", "--json is a hexdump; --output writes raw bytes: not both");
	if (output && !strcmp(output, "-") && isatty(STDOUT_FILENO))
		return usage_error("dump", "refusing to write raw bytes to a terminal; use a file or a pipe");

	ret = session_open(&s, pid, false);
	if (ret)
		return ret;
	if (d.addr + len < d.addr || d.addr + len > s.info.size) {
		explain_map_error(&s, ENXIO, d.addr, len);
		session_close(&s);
		return EXIT_ERROR;
	}
	d.s = &s;
	d.end = d.addr + len;
	d.ps = page_size();
	ret = map_window(&d, d.addr);
	if (ret < 0) {
		explain_map_error(&s, -ret, d.addr, len);
		session_close(&s);
		return EXIT_ERROR;
	}
	d.buf = malloc(d.ps);
	d.report = output ? stderr : stdout;
	if (!d.buf) {
		err_msg("out of memory");
		ret = EXIT_ERROR;
		goto out;
	}

	if (!output) {
		hexdump(&d);
	} else {
		fd = strcmp(output, "-") ? open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) :
					   STDOUT_FILENO;
		if (fd < 0) {
			err_msg("cannot create %s: %s", output, strerror(errno));
			ret = EXIT_ERROR;
			goto out;
		}
		if (raw(&d, fd, output)) {
			ret = EXIT_ERROR;
			goto out;
		}
	}
	if (fflush(stdout) == EOF) {
		err_msg("writing the output: %s", strerror(errno));
		ret = EXIT_ERROR;
	} else if (d.bad_runs) {
		char sz[16], all[16];

		ret = session_dead(&s) ? EXIT_GONE : EXIT_PARTIAL;
		err_msg("%s of %s could not be read (%u range%s)%s",
			human_size(d.bad_total, sz, sizeof(sz)), human_size(len, all, sizeof(all)),
			d.bad_runs, d.bad_runs == 1 ? "" : "s",
			ret == EXIT_GONE ? ": the target exited" : "");
	}
out:
	if (fd > STDOUT_FILENO && close(fd)) {
		err_msg("writing %s: %s", output, strerror(errno));
		ret = EXIT_ERROR;
	}
	free(d.buf);
	unmap_window(&d);
	session_close(&s);
	return ret;
}
