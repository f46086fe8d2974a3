// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * find PID PATTERN: scan every area of the target that can be mirrored,
 * through mappings of the mirror, for a byte pattern.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"

#define WINDOW	(8ull << 20)	/* matches are accepted window by window */
#define MAX_PATTERN 4096

static const char help[] =
"Usage: remote-proc find [OPTION]... PID PATTERN\n"
"Search all memory of process PID that can be mirrored for PATTERN and\n"
"print the address of each match, with the area it lies in and its offset\n"
"there. PATTERN is a string (its bytes, without a terminating NUL), or with\n"
"-x hexadecimal bytes such as \"de ad be ef\" or deadbeef. The memory is\n"
"scanned in place through mappings of the target's pages (no copies);\n"
"areas that cannot be mirrored are skipped (see 'remote-proc maps'), and\n"
"pages that turn unreadable during the scan are skipped and counted.\n"
"\n"
"Options:\n"
"  -x, --hex         PATTERN is hexadecimal bytes\n"
"  -m, --max=COUNT   stop after COUNT matches\n"
"  -h, --help        display this help and exit\n"
"\n"
"Exit status: 0 if something matched, 5 if nothing did, 4 if the target\n"
"exited during the scan.\n";

struct find {
	struct session *s;
	const uint8_t *pat;
	size_t nlen;
	uint64_t max, found, skipped, scanned, total;
	struct progress pr;
};

static int parse_hex(const char *s, uint8_t *out, size_t *len)
{
	size_t n = 0;
	int hi = -1;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s) || *s == ':' || *s == '-')
			continue;
		if (!isxdigit((unsigned char)*s) || n == MAX_PATTERN)
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0 || !n)
		return -1;
	*len = n;
	return 0;
}

static void report(struct find *f, const struct vma *v, uint64_t addr)
{
	progress_clear(&f->pr);
	printf("0x%012llx  %s+0x%llx\n", (unsigned long long)addr, vma_label(v),
	       (unsigned long long)(addr - v->start));
	f->found++;
}

/*
 * Where to resume after a page that faulted: past the area when the
 * target unmapped or protected it meanwhile, else past the page.
 */
static uint64_t after_bad_page(struct find *f, const struct vma *v, uint64_t page,
			       bool *rechecked)
{
	uint64_t ps = page_size();
	struct vma_list l;
	const struct vma *now;
	uint64_t next = page + ps;

	if (!*rechecked && vmas_read(f->s->pid, &l) == 0) {
		*rechecked = true;
		now = vmas_find(&l, page);
		if (!now || vma_unmirrorable(now, f->s->info.size))
			next = v->end;
		vmas_free(&l);
	}
	f->skipped += (next < v->end ? next : v->end) - page;
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
static void scan_area(struct find *f, const struct vma *v)
{
	uint64_t ps = page_size(), cur = v->start;
	bool rechecked = false;

	while (cur < v->end && !done(f)) {
		uint64_t wend = v->end - cur > WINDOW ? cur + WINDOW : v->end;
		uint64_t lim = v->end - wend > f->nlen - 1 ? wend + f->nlen - 1 : v->end;
		uint64_t mstart = cur, mlen = lim - cur;
		const uint8_t *base;
		void *map;

		if (remote_proc_map(f->s->mirror, mstart, mlen, PROT_READ, 0, &map) < 0) {
			f->skipped += v->end - cur;
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
			while (guard_memmem(base + (cur - mstart), lim - cur, f->pat, f->nlen,
					    &hit, &fault)) {
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
				cur = after_bad_page(f, v, cur & ~(ps - 1), &rechecked);
				break;		/* map afresh from there */
			}
			f->scanned += wend - cur;
			cur = wend;
		}
		remote_proc_unmap(map, mlen);
		progress_update(&f->pr, f->scanned + f->skipped);
	}
}

int cmd_find(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hex", no_argument, NULL, 'x' },
		{ "max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t pat[MAX_PATTERN];
	struct find f = { .pat = pat };
	bool hex = false;
	struct vma_list l;
	struct session s;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "xm:h", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			hex = true;
			break;
		case 'm':
			if (parse_size(optarg, &f.max) || !f.max)
				return usage_error("find", "--max needs a count from 1");
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
		if (parse_hex(argv[optind + 1], pat, &f.nlen))
			return usage_error("find", "'%s' is not a list of hex bytes (e.g. \"de ad be ef\")",
					   argv[optind + 1]);
	} else {
		f.nlen = strlen(argv[optind + 1]);
		if (!f.nlen || f.nlen > MAX_PATTERN)
			return usage_error("find", "PATTERN must be 1 to %d bytes", MAX_PATTERN);
		memcpy(pat, argv[optind + 1], f.nlen);
	}

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
	for (size_t i = 0; i < l.n; i++)
		if (!vma_unmirrorable(&l.v[i], s.info.size))
			f.total += l.v[i].end - l.v[i].start;
	progress_start(&f.pr, "find", f.total);
	for (size_t i = 0; i < l.n && !done(&f); i++)
		if (!vma_unmirrorable(&l.v[i], s.info.size))
			scan_area(&f, &l.v[i]);
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
