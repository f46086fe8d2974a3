// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The target's memory areas, from /proc/PID/smaps: the maps lines plus
 * VmFlags, which tell device memory (io) and PFN maps such as mirrors
 * (pf) apart. Falls back to /proc/PID/maps where smaps is missing;
 * resolving a symbolic address needs the maps lines only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_header(const char *line, struct vma *v)
{
	unsigned long long start, end, off;
	unsigned long inode;
	int n = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %15s %lu %n", &start, &end, v->perms,
		   &off, v->dev, &inode, &n) < 6 || !n)
		return -1;
	v->start = start;
	v->end = end;
	v->offset = off;
	v->inode = inode;
	v->flags = 0;
	snprintf(v->name, sizeof(v->name), "%s", line + n);
	v->name[strcspn(v->name, "\n")] = 0;
	return 0;
}

static void parse_vmflags(const char *flags, struct vma *v)
{
	char buf[1024], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", flags);
	v->flags |= VMA_FLAGS_KNOWN;
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		if (!strcmp(tok, "io"))
			v->flags |= VMA_IO;
		else if (!strcmp(tok, "pf"))
			v->flags |= VMA_PFNMAP;
	}
}

static FILE *open_areas(pid_t pid, bool smaps)
{
	char path[64];
	FILE *f;

	if (smaps) {
		snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
		f = fopen(path, "re");
		if (f || errno != ENOENT)
			return f;
	}
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	return fopen(path, "re");
}

static int read_areas(pid_t pid, bool smaps, struct vma_list *l)
{
	char line[1024];
	size_t cap = 0;
	FILE *f;

	l->v = NULL;
	l->n = 0;
	f = open_areas(pid, smaps);
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct vma v;

		if (!strncmp(line, "VmFlags:", 8)) {
			if (l->n)
				parse_vmflags(line + 8, &l->v[l->n - 1]);
			continue;
		}
		if (parse_header(line, &v))
			continue;
		if (l->n == cap) {
			struct vma *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(l->v, cap * sizeof(*nv));
			if (!nv) {
				fclose(f);
				vmas_free(l);
				return -ENOMEM;
			}
			l->v = nv;
		}
		l->v[l->n++] = v;
	}
	fclose(f);
	/* An empty list means the process has gone (or is a kernel thread). */
	return l->n ? 0 : -ESRCH;
}

int vmas_read(pid_t pid, struct vma_list *l)
{
	return read_areas(pid, true, l);
}

int vmas_read_maps(pid_t pid, struct vma_list *l)
{
	return read_areas(pid, false, l);
}

void vmas_free(struct vma_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct vma *vmas_find(const struct vma_list *l, uint64_t addr)
{
	for (size_t i = 0; i < l->n; i++)
		if (addr >= l->v[i].start && addr < l->v[i].end)
			return &l->v[i];
	return NULL;
}

const struct vma *vmas_next(const struct vma_list *l, uint64_t addr)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].end > addr)
			return &l->v[i];
	return NULL;
}

const char *vma_unmirrorable(const struct vma *v, uint64_t mirror_size)
{
	if (v->start >= mirror_size)
		return "outside the user address space";
	if (!strncmp(v->name, "[vvar", 5))
		return "kernel data page (VM_PFNMAP)";
	if (v->perms[0] != 'r')
		return v->perms[1] == '-' && v->perms[2] == '-' ?
		       "not readable (PROT_NONE)" : "not readable";
	if (v->flags & (VMA_IO | VMA_PFNMAP))
		return "VM_IO/VM_PFNMAP (device, or a mirror)";
	return NULL;
}

const char *vma_label(const struct vma *v)
{
	return v->name[0] ? v->name : "[anon]";
}
