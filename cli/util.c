// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Argument parsing, hexdump lines and the progress line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "remote-proc %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'remote-proc %s --help' for more information.\n", cmd);
	return EXIT_USAGE;
}

int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x3fffffff) {
		err_msg("'%s' is not a process id (a positive decimal number)", s);
		return -1;
	}
	*pid = (pid_t)v;
	return 0;
}

bool scan_hex(const char *s, uint64_t *v)
{
	const char *p = s;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	errno = 0;
	*v = strtoull(p, &end, 16);
	return !errno && end != p && !*end && isxdigit((unsigned char)*p);
}

int parse_addr(const char *s, uint64_t *addr)
{
	if (!scan_hex(s, addr)) {
		err_msg("'%s' is not an address (hexadecimal, as in /proc/PID/maps)", s);
		return -1;
	}
	return 0;
}

/* Decimal, or hexadecimal with 0x: a leading 0 is not octal. */
bool scan_size(const char *s, uint64_t *len)
{
	unsigned long long v, mult = 1;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *p = hex ? s + 2 : s;
	char *end;

	errno = 0;
	v = strtoull(p, &end, hex ? 16 : 10);
	if (errno || end == p || !isxdigit((unsigned char)*p))
		return false;
	switch (*end) {
	case 'k': case 'K':
		mult = 1ull << 10, end++;
		break;
	case 'm': case 'M':
		mult = 1ull << 20, end++;
		break;
	case 'g': case 'G':
		mult = 1ull << 30, end++;
		break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B' && mult > 1)
		end++;
	if (*end || (v && v > UINT64_MAX / mult))
		return false;
	*len = v * mult;
	return true;
}

int parse_size(const char *s, uint64_t *len)
{
	if (!scan_size(s, len)) {
		err_msg("'%s' is not a length (e.g. 64, 0x1000, 4K, 2M)", s);
		return -1;
	}
	return 0;
}

int parse_seconds(const char *s, double *sec)
{
	char *end;

	errno = 0;
	*sec = strtod(s, &end);
	if (errno || end == s || *end || !(*sec >= 0.01 && *sec <= 86400)) {
		err_msg("'%s' is not an interval in seconds (0.01 to 86400)", s);
		return -1;
	}
	return 0;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (uint64_t)ps : 4096;
}

const char *human_size(uint64_t n, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)n;
	int u = -1;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
	else
		snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
	return buf;
}

void hex_line(FILE *f, uint64_t addr, const uint8_t *b, const bool *ok,
	      const bool *changed, size_t n, enum hex_style style)
{
	const char *on = "\033[1;7m", *off = "\033[0m";
	size_t i;

	fprintf(f, "0x%012llx  ", (unsigned long long)addr);
	for (i = 0; i < 16; i++) {
		bool hl = style == HEX_ANSI && i < n && changed && changed[i];

		if (i == 8)
			fputc(' ', f);
		if (i >= n)
			fputs("   ", f);
		else if (!ok[i])
			fprintf(f, "%s??%s ", style == HEX_ANSI ? "\033[2m" : "",
				style == HEX_ANSI ? off : "");
		else
			fprintf(f, "%s%02x%s ", hl ? on : "", b[i], hl ? off : "");
	}
	fputs(" |", f);
	for (i = 0; i < n; i++) {
		bool hl = style == HEX_ANSI && changed && changed[i];
		int c = ok[i] ? b[i] : ' ';

		fprintf(f, "%s%c%s", hl ? on : "", isprint(c) ? c : '.', hl ? off : "");
	}
	fputs("|\n", f);
}

void hex_marks(FILE *f, const bool *changed, size_t n)
{
	char line[96];
	size_t i, len;

	memset(line, ' ', sizeof(line));
	for (i = 0; i < n; i++) {
		if (!changed[i])
			continue;
		/* Columns as hex_line() prints them. */
		size_t col = 16 + 3 * i + (i >= 8);

		line[col] = line[col + 1] = '^';
		line[16 + 3 * 16 + 1 + 2 + i] = '^';
	}
	for (len = sizeof(line); len && line[len - 1] == ' '; len--)
		;
	fprintf(f, "%.*s\n", (int)len, line);
}

void progress_start(struct progress *p, const char *what, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->on = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
	p->what = what;
	p->total = total;
	p->start_ns = p->last_ns = now_ns();
}

void progress_update(struct progress *p, uint64_t done)
{
	uint64_t t = now_ns();
	char a[16], b[16];

	/* Not for runs too short to notice; at most ten times a second. */
	if (!p->on || t - p->last_ns < 100000000ull)
		return;
	p->last_ns = t;
	p->shown = true;
	fprintf(stderr, "\r\033[K%s: %3.0f%%  %s of %s", p->what,
		p->total ? 100.0 * (double)done / (double)p->total : 100.0,
		human_size(done, a, sizeof(a)), human_size(p->total, b, sizeof(b)));
	fflush(stderr);
}

void progress_clear(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = false;
	}
}
