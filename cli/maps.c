// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * maps PID: the target's memory areas and whether each can be mirrored.
 */
#include <errno.h>
#include <getopt.h>
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
"  -h, --help       display this help and exit\n"
"\n"
"Columns: start and end address, permissions as in /proc/PID/maps, size,\n"
"MIRROR (yes, or no and why) and the mapped file or [name].\n";

/* Read one byte of the area's first page through the mirror; NULL if fine. */
static const char *probe(struct session *s, const struct vma *v)
{
	static char why[64];
	uintptr_t fault;
	uint64_t val;
	void *p;
	int ret, sig;

	ret = remote_proc_map(s->mirror, v->start, 1, PROT_READ, 0, &p);
	if (ret < 0) {
		snprintf(why, sizeof(why), "cannot map: %s", strerror(-ret));
		return why;
	}
	sig = guard_load(p, 1, &val, &fault);
	remote_proc_unmap(p, 1);
	if (sig) {
		snprintf(why, sizeof(why), "SIG%s when read (probe)", sigabbrev_np(sig) ?: "?");
		return why;
	}
	return NULL;
}

int cmd_maps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-probe", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t ok_bytes = 0;
	size_t ok_areas = 0;
	bool do_probe = true;
	struct vma_list l;
	struct session s;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			do_probe = false;
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

	printf("%-14s %-14s %-4s %6s  %-38s %s\n", "START", "END", "PERM", "SIZE",
	       "MIRROR", "MAPPING");
	for (size_t i = 0; i < l.n; i++) {
		const struct vma *v = &l.v[i];
		const char *why = vma_unmirrorable(v, s.info.size);
		char size[16], col[96];

		if (!why && do_probe)
			why = probe(&s, v);
		if (!why) {
			ok_areas++;
			ok_bytes += v->end - v->start;
		}
		snprintf(col, sizeof(col), "%s%s", why ? "no: " : "yes", why ? why : "");
		printf("0x%012llx 0x%012llx %-4s %6s  %-38s %s\n",
		       (unsigned long long)v->start, (unsigned long long)v->end, v->perms,
		       human_size(v->end - v->start, size, sizeof(size)), col, vma_label(v));
	}
	{
		char sz[16];

		printf("%zu areas, %zu can be mirrored (%s)%s\n", l.n, ok_areas,
		       human_size(ok_bytes, sz, sizeof(sz)),
		       do_probe ? "" : "; not probed");
	}
	vmas_free(&l);
	ret = session_dead(&s) ? EXIT_GONE : EXIT_OK;
	if (ret == EXIT_GONE)
		err_msg("process %d exited while being listed", (int)pid);
	session_close(&s);
	return ret;
}
