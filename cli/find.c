// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * find PID PATTERN: scan every area of the target that can be mirrored
 * (or those --area picks), through mappings of the mirror, for a byte
 * pattern, some of whose bits may be left out of the comparison.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"

#define WINDOW	(8ull << 20)	/* matches are accepted window by window */
#define MAX_AREAS 16		/* --area options */

static const char help[] =
"Usage: remote-proc find [OPTION]... PID PATTERN\n"
"Search all memory of process PID that can be mirrored for PATTERN and\n"
"print the address of each match and the same address as NAME+OFF (OFF a\n"
"file offset in a file's area, as gdb and perf print it). PATTERN is a\n"
"string (its bytes, without a terminating NUL), or with -x hexadecimal\n"
"bytes such as \"de ad be ef\" or deadbeef, where ?? matches\n"
"any byte and a ? digit any half byte (\"de ?? be e?\"). The memory is\n"
"scanned in place through mappings of the target's pages (no copies);\n"
"areas that cannot be mirrored are skipped (see 'remote-proc maps'), and\n"
"pages that turn unreadable during the scan are skipped and counted.\n"
"\n"
"Options:\n"
"  -x, --hex          PATTERN is hexadecimal bytes, ?? for any byte\n"
"  -M, --mask=HEX     compare only the bits set in HEX, hexadecimal bytes as\n"
"                     many as PATTERN has (\"ff 00 f0 ff\": the 2nd byte is\n"
"                     any, the 3rd only in its high half)\n"
"  -a, --area=AREA    search only AREA; may be given up to 16 times. AREA is\n"
"                     START-END (hexadecimal, as in 'remote-proc maps'): the\n"
"                     part of the mirrorable memory in that range (a match\n"
"                     must lie wholly in it); or a name: the areas whose\n"
"                     path or its last component is AREA, or that are\n"
"                     called AREA ([heap], [stack], [anon], ...)\n"
"  -m, --max=COUNT    stop after COUNT matches\n"
"  -j, --json         print JSON Lines: one JSON object a line per match\n"
"  -h, --help         display this help and exit\n"
"\n"
"With --json, each match is a line of its own as soon as it is found (JSON\n"
"Lines, so that a long scan can be read as it goes; no match, no line):\n"
"  {\"address\":\"0x55d0c0a002a0\",\"area\":\"[heap]\",\"offset\":\"0x2a0\"}\n"
"address and offset are hexadecimal strings; area and offset are the NAME and\n"
"OFF of NAME+OFF above (area \"[anon]\" for an anonymous area). area is ASCII:\n"
"'\"', '\\' and control characters escaped, every byte from 0x7f up as\n"
"\\u00XX (the decoded string's code points are the path's bytes).\n"
"\n"
"Exit status: 0 if something matched, 5 if nothing did, 4 if the target\n"
"exited during the scan, 1 if the --area options pick no memory that can be\n"
"mirrored.\n";

/* An --area: a range (end > 0), or a name. */
struct area {
	const char *name;
	uint64_t start, end;
};

struct find {
	struct session *s;
	const struct pattern *pat;
	size_t nlen;
	uint64_t max, found, skipped, scanned, total;
	struct progress pr;
	bool json;		/* JSON Lines */
};

/* A hexadecimal address, 0x optional, without a word about errors. */
static bool quiet_addr(const char *s, const char *end, uint64_t *addr)
{
	char buf[24], *e;

	if (end - s < 1 || end - s >= (long)sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = 0;
	s = buf;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*addr = strtoull(s, &e, 16);
	return !errno && !*e;
}

/* START-END, or else a name. 0, or -1 for a range that ends before it starts. */
static int parse_area(const char *s, struct area *a)
{
	const char *dash = strchr(s, '-');

	a->name = s;
	a->start = 0;
	a->end = 0;
	if (dash && quiet_addr(s, dash, &a->start) &&
	    quiet_addr(dash + 1, dash + strlen(dash), &a->end)) {
		if (a->end <= a->start)
			return -1;
		a->name = NULL;
	}
	return 0;
}

static bool area_named(const struct vma *v, const char *name)
{
	const char *last = strrchr(v->name, '/');

	if (!strcmp(vma_label(v), name))
		return true;
	return v->name[0] == '/' && last && !strcmp(last + 1, name);
}

struct span {
	uint64_t from, to;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

/*
 * The parts of v that the --area options pick (all of it without any),
 * sorted and merged into sp[]; their number.
 */
static size_t spans_of(const struct vma *v, const struct area *areas, size_t nareas,
		       struct span *sp)
{
	size_t n = 0, m = 0;

	if (!nareas) {
		sp[0] = (struct span){ v->start, v->end };
		return 1;
	}
	for (size_t i = 0; i < nareas; i++) {
		const struct area *a = &areas[i];

		if (a->name && area_named(v, a->name))
			sp[n++] = (struct span){ v->start, v->end };
		else if (!a->name && a->start < v->end && a->end > v->start)
			sp[n++] = (struct span){ a->start > v->start ? a->start : v->start,
						 a->end < v->end ? a->end : v->end };
	}
	qsort(sp, n, sizeof(*sp), span_cmp);
	for (size_t i = 0; i < n; i++) {
		if (m && sp[i].from <= sp[m - 1].to) {
			if (sp[i].to > sp[m - 1].to)
				sp[m - 1].to = sp[i].to;
		} else {
			sp[m++] = sp[i];
		}
	}
	return m;
}

static void report(struct find *f, const struct vma *v, uint64_t addr)
{
	/* NAME+OFF as ADDR reads it back: a file offset for a file's area. */
	uint64_t off = v->offset + (addr - v->start);

	progress_clear(&f->pr);
	if (f->json) {
		fputs("{\"address\":", stdout);
		json_hex(stdout, addr);
		fputs(",\"area\":", stdout);
		json_str(stdout, vma_label(v));
		fputs(",\"offset\":", stdout);
		json_hex(stdout, off);
		fputs("}\n", stdout);
		fflush(stdout);		/* a line as soon as it is found */
	} else {
		printf("0x%012llx  %s+0x%llx\n", (unsigned long long)addr, vma_label(v),
		       (unsigned long long)off);
	}
	f->found++;
}

/*
 * Where to resume after the page of cur faulted: past the area (to) when
 * the target unmapped or protected it meanwhile, else past the page.
 */
static uint64_t after_bad_page(struct find *f, uint64_t to, uint64_t cur, bool *rechecked)
{
	uint64_t ps = page_size();
	uint64_t page = cur & ~(ps - 1);
	struct vma_list l;
	const struct vma *now;
	uint64_t next = page + ps;

	if (!*rechecked && vmas_read(f->s->pid, &l) == 0) {
		*rechecked = true;
		now = vmas_find(&l, page);
		if (!now || vma_unmirrorable(now, f->s->info.size))
			next = to;
		vmas_free(&l);
	}
	if (next > to)
		next = to;
	f->skipped += next - cur;
	return next;
}

static bool done(const struct find *f)
{
	return f->max && f->found >= f->max;
}

/*
 * Scan one area window by window, each mapped on its own, so the page
 * tables this process builds stay small however large the area is.
 * Matches are reported when they start inside the window; the mapping
 * reaches nlen - 1 bytes further so that none is missed at the seams.
 */
static void scan_area(struct find *f, const struct vma *v, uint64_t from, uint64_t to)
{
	uint64_t ps = page_size(), cur = from;
	bool rechecked = false;

	while (cur < to && !done(f)) {
		uint64_t wend = to - cur > WINDOW ? cur + WINDOW : to;
		uint64_t lim = to - wend > f->nlen - 1 ? wend + f->nlen - 1 : to;
		uint64_t mstart = cur, mlen = lim - cur;
		const uint8_t *base;
		void *map;

		if (session_map(f->s, mstart, mlen, &map) < 0) {
			f->skipped += to - cur;
			return;
		}
		base = map;	/* the byte at target address mstart */
		while (cur < wend && !done(f)) {
			const void *hit = NULL;
			bool bad = false;
			uintptr_t fault;

			/*
			 * Search [cur, lim). A fault further on shrinks the
			 * search to the faulting page, which a later round
			 * starts at; a fault in cur's own page means that page
			 * is unreadable.
			 */
			while (guard_search(base + (cur - mstart), lim - cur, f->pat, &hit,
					    &fault)) {
				uint64_t fp = (mstart + ((const uint8_t *)fault - base)) & ~(ps - 1);

				hit = NULL;
				if ((const uint8_t *)fault < base || fp <= cur) {
					bad = true;
					break;
				}
				lim = fp;
				if (wend > fp)
					wend = fp;
			}
			if (hit && mstart + ((const uint8_t *)hit - base) < wend) {
				uint64_t a = mstart + ((const uint8_t *)hit - base);

				report(f, v, a);
				cur = a + 1;
				continue;
			}
			if (bad) {
				cur = after_bad_page(f, to, cur, &rechecked);
				break;		/* map afresh from there */
			}
			f->scanned += wend - cur;
			cur = wend;
		}
		session_unmap(map, mlen);
		progress_update(&f->pr, f->scanned + f->skipped);
	}
}

int cmd_find(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hex", no_argument, NULL, 'x' },
		{ "mask", required_argument, NULL, 'M' },
		{ "area", required_argument, NULL, 'a' },
		{ "max", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct pattern pat;
	struct find f = { .pat = &pat };
	struct area areas[MAX_AREAS];
	struct span sp[MAX_AREAS];
	const char *mask = NULL;
	size_t nareas = 0;
	bool hex = false;
	struct vma_list l;
	struct session s;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "xM:a:m:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			hex = true;
			break;
		case 'M':
			mask = optarg;
			break;
		case 'a':
			if (nareas == MAX_AREAS)
				return usage_error("find", "at most %d --area options", MAX_AREAS);
			if (parse_area(optarg, &areas[nareas]))
				return usage_error("find", "the range '%s' ends before it starts",
						   optarg);
			nareas++;
			break;
		case 'm':
			if (parse_size(optarg, &f.max) || !f.max)
				return usage_error("find", "--max needs a count from 1");
			break;
		case 'j':
			f.json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			return usage_error("find", "bad option");
		}
	}
	if (argc - optind != 2)
		return usage_error("find", "expected PID PATTERN");
	if (parse_pid(argv[optind], &pid))
		return EXIT_USAGE;
	if (hex) {
		if (pattern_hex(&pat, argv[optind + 1]))
			return usage_error("find", "'%s' is not a list of hex bytes (e.g. \"de ad ?? ef\")",
					   argv[optind + 1]);
	} else {
		size_t n = strlen(argv[optind + 1]);

		if (!n || n > MAX_PATTERN)
			return usage_error("find", "PATTERN must be 1 to %d bytes", MAX_PATTERN);
		pattern_string(&pat, argv[optind + 1], n);
	}
	if (mask && pattern_mask(&pat, mask))
		return usage_error("find", "the mask '%s' is not %zu hex bytes, as many as PATTERN has",
				   mask, pat.len);
	if (pattern_finish(&pat))
		return usage_error("find", "PATTERN must compare at least one bit (it is all wildcards)");
	f.nlen = pat.len;

	ret = session_open(&s, pid, false);
	if (ret)
		return ret;
	f.s = &s;
	ret = vmas_read(pid, &l);
	if (ret < 0) {
		err_msg("cannot read the memory areas of %d: %s", (int)pid, strerror(-ret));
		session_close(&s);
		return ret == -ESRCH ? EXIT_GONE : EXIT_ERROR;
	}
	for (size_t i = 0; i < l.n; i++) {
		size_t n = vma_unmirrorable(&l.v[i], s.info.size) ? 0 :
			   spans_of(&l.v[i], areas, nareas, sp);

		for (size_t j = 0; j < n; j++)
			f.total += sp[j].to - sp[j].from;
	}
	if (!f.total && nareas) {
		err_msg("no memory of process %d that can be mirrored is in the --area given",
			(int)pid);
		hint("'remote-proc maps %d' lists its areas.", (int)pid);
		vmas_free(&l);
		session_close(&s);
		return EXIT_ERROR;
	}
	progress_start(&f.pr, "find", f.total);
	for (size_t i = 0; i < l.n && !done(&f); i++) {
		size_t n = vma_unmirrorable(&l.v[i], s.info.size) ? 0 :
			   spans_of(&l.v[i], areas, nareas, sp);

		for (size_t j = 0; j < n && !done(&f); j++)
			scan_area(&f, &l.v[i], sp[j].from, sp[j].to);
	}
	progress_clear(&f.pr);
	vmas_free(&l);

	if (session_dead(&s)) {
		err_msg("process %d exited during the scan", (int)pid);
		ret = EXIT_GONE;
	} else {
		ret = f.found ? EXIT_OK : EXIT_NOMATCH;
	}
	if (f.skipped) {
		char sz[16];

		err_msg("%s could not be scanned (unreadable or revoked pages)",
			human_size(f.skipped, sz, sizeof(sz)));
	}
	if (!f.found && ret == EXIT_NOMATCH)
		err_msg("no match in %d", (int)pid);
	session_close(&s);
	return ret;
}
