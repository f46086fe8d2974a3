// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * maps PID: the target's memory areas and whether each can be mirrored.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
"Usage: remote-proc maps [OPTION]... PID\n"
"List the memory areas of process PID (from /proc/PID/smaps) and whether\n"
"each can be mirrored. An area cannot be when it is not readable\n"
"(PROT_NONE), is device memory or another mirror (VM_IO/VM_PFNMAP), is a\n"
"kernel page such as [vvar], or lies outside the user address space\n"
"([vsyscall]). Areas that pass these checks are probed by reading one\n"
"byte of their first page through the mirror, which catches the rest\n"
"(secret memory, a file mapping past the end of its file).\n"
"\n"
"Options:\n"
"  -n, --no-probe   do not probe; judge from /proc/PID/smaps only\n"
"  -j, --json       print one JSON document (see below) instead of columns\n"
"  -h, --help       display this help and exit\n"
"\n"
"Columns: those of /proc/PID/maps, as it prints them (ADDRESS START-END,\n"
"PERM, OFFSET, DEV, INODE and PATHNAME, empty for an anonymous area), with\n"
"MIRROR (yes, or no and why) before PATHNAME. An ADDRESS range can be given\n"
"as the ADDR of dump, watch and view share, which then take no LEN.\n"
"\n"
"With --json: one JSON array, an object per area (one a line), in the\n"
"order of /proc/PID/maps, with no summary:\n"
"  {\"start\":\"0x7f3a2c001000\",\"end\":\"0x7f3a2c022000\",\"perms\":\"rw-p\",\n"
"   \"offset\":\"0x0\",\"dev\":\"00:00\",\"inode\":0,\"path\":\"[heap]\",\n"
"   \"mirror\":true,\"reason\":null}\n"
"start, end and offset are hexadecimal strings; path is \"\" for an anonymous\n"
"area; reason is why the area cannot be mirrored (mirror false), else null.\n"
"Strings are ASCII: a path's bytes are kept as they are, '\"', '\\' and\n"
"control characters escaped, every byte from 0x7f up as \\u00XX (so the\n"
"decoded string's code points are the path's bytes), and a newline in a\n"
"file name stays the \\012 that /proc/PID/maps prints.\n";

/* Read one byte of the area's first page through the mirror; NULL if fine. */
static const char *probe(struct session *s, const struct vma *v)
{
	static char why[64];
	uintptr_t fault;
	uint64_t val;
	void *p;
	int ret, sig;

	ret = session_map(s, v->start, 1, &p);
	if (ret < 0) {
		snprintf(why, sizeof(why), "cannot map: %s", strerror(-ret));
		return why;
	}
	sig = guard_load(p, 1, &val, &fault);
	session_unmap(p, 1);
	if (sig) {
		snprintf(why, sizeof(why), "SIG%s when read (probe)", sigabbrev_np(sig) ?: "?");
		return why;
	}
	return NULL;
}

/* The fields of /proc/PID/maps, as it prints them. */
struct fields {
	char range[40], offset[20], inode[24];
};

static void fields_of(const struct vma *v, struct fields *f)
{
	snprintf(f->range, sizeof(f->range), "%08llx-%08llx", (unsigned long long)v->start,
		 (unsigned long long)v->end);
	snprintf(f->offset, sizeof(f->offset), "%08llx", (unsigned long long)v->offset);
	snprintf(f->inode, sizeof(f->inode), "%lu", v->inode);
}

static int widest(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

/* The maps columns and MIRROR before the pathname, each as wide as it needs. */
static void print_areas(const struct vma_list *l, const char (*col)[96])
{
	int wr = 7, wo = 6, wd = 3, wi = 5, wm = 6;	/* the headings */
	struct fields f;

	for (size_t i = 0; i < l->n; i++) {
		fields_of(&l->v[i], &f);
		wr = widest(wr, f.range);
		wo = widest(wo, f.offset);
		wd = widest(wd, l->v[i].dev);
		wi = widest(wi, f.inode);
		wm = widest(wm, col[i]);
	}
	printf("%-*s PERM %-*s %-*s %-*s %-*s PATHNAME\n", wr, "ADDRESS", wo, "OFFSET",
	       wd, "DEV", wi, "INODE", wm, "MIRROR");
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];

		fields_of(v, &f);
		printf("%-*s %-4s %-*s %-*s %-*s ", wr, f.range, v->perms, wo, f.offset,
		       wd, v->dev, wi, f.inode);
		if (v->name[0])
			printf("%-*s %s\n", wm, col[i], v->name);
		else
			printf("%s\n", col[i]);
	}
}

/* The same as one JSON array; col[i] is "yes" or "no: " and why. */
static void print_json(const struct vma_list *l, const char (*col)[96])
{
	putchar('[');
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		bool no = !strncmp(col[i], "no: ", 4);

		fputs(i ? ",\n{\"start\":" : "\n{\"start\":", stdout);
		json_hex(stdout, v->start);
		fputs(",\"end\":", stdout);
		json_hex(stdout, v->end);
		fputs(",\"perms\":", stdout);
		json_str(stdout, v->perms);
		fputs(",\"offset\":", stdout);
		json_hex(stdout, v->offset);
		fputs(",\"dev\":", stdout);
		json_str(stdout, v->dev);
		printf(",\"inode\":%lu,\"path\":", v->inode);
		json_str(stdout, v->name);
		printf(",\"mirror\":%s,\"reason\":", no ? "false" : "true");
		if (no)
			json_str(stdout, col[i] + 4);
		else
			fputs("null", stdout);
		putchar('}');
	}
	fputs("\n]\n", stdout);
}

int cmd_maps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-probe", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t ok_bytes = 0;
	size_t ok_areas = 0;
	bool do_probe = true, json = false;
	char (*col)[96];
	struct vma_list l;
	struct session s;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "njh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			do_probe = false;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			return usage_error("maps", "bad option");
		}
	}
	if (argc - optind != 1)
		return usage_error("maps", "expected one PID");
	if (parse_pid(argv[optind], &pid))
		return EXIT_USAGE;
	ret = session_open(&s, pid, false);
	if (ret)
		return ret;
	ret = vmas_read(pid, &l);
	if (ret < 0) {
		err_msg("cannot read the memory areas of %d: %s", (int)pid, strerror(-ret));
		session_close(&s);
		return ret == -ESRCH ? EXIT_GONE : EXIT_ERROR;
	}

	col = calloc(l.n ? l.n : 1, sizeof(*col));
	if (!col) {
		err_msg("out of memory");
		vmas_free(&l);
		session_close(&s);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct vma *v = &l.v[i];
		const char *why = vma_unmirrorable(v, s.info.size);

		if (!why && do_probe)
			why = probe(&s, v);
		if (!why) {
			ok_areas++;
			ok_bytes += v->end - v->start;
		}
		snprintf(col[i], sizeof(col[i]), "%s%s", why ? "no: " : "yes", why ? why : "");
	}
	if (json) {
		print_json(&l, col);
	} else {
		char sz[16];

		print_areas(&l, col);
		printf("%zu areas, %zu can be mirrored (%s)%s\n", l.n, ok_areas,
		       human_size(ok_bytes, sz, sizeof(sz)),
		       do_probe ? "" : "; not probed");
	}
	free(col);
	vmas_free(&l);
	ret = session_dead(&s) ? EXIT_GONE : EXIT_OK;
	if (ret == EXIT_GONE)
		err_msg("process %d exited while being listed", (int)pid);
	session_close(&s);
	return ret;
}
