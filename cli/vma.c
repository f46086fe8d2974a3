// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The target's memory areas as a list, from the library's walk of
 * /proc/PID/smaps (VmFlags tell device memory and PFN maps such as
 * mirrors apart) or /proc/PID/maps (enough to resolve a symbolic
 * address). The library judges each area; the list keeps the lines as
 * /proc/PID/maps prints them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"

static void from_area(const struct remote_proc_area *a, struct vma *v)
{
	v->start = a->start;
	v->end = a->end;
	v->offset = a->offset;
	v->inode = (unsigned long)a->inode;
	snprintf(v->perms, sizeof(v->perms), "%c%c%c%c",
		 a->prot & PROT_READ ? 'r' : '-', a->prot & PROT_WRITE ? 'w' : '-',
		 a->prot & PROT_EXEC ? 'x' : '-',
		 a->flags & REMOTE_PROC_AREA_SHARED ? 's' : 'p');
	snprintf(v->dev, sizeof(v->dev), "%02x:%02x", a->dev_major, a->dev_minor);
	v->flags = 0;
	if (a->flags & REMOTE_PROC_AREA_VMFLAGS)
		v->flags |= VMA_FLAGS_KNOWN;
	if (a->flags & REMOTE_PROC_AREA_IO)
		v->flags |= VMA_IO;
	if (a->flags & REMOTE_PROC_AREA_PFNMAP)
		v->flags |= VMA_PFNMAP;
	v->reason = a->reason;
	/* A longer name is cut, as it always was here. */
	if (snprintf(v->name, sizeof(v->name), "%s%s", a->path,
		     a->flags & REMOTE_PROC_AREA_DELETED ? " (deleted)" : "") >=
	    (int)sizeof(v->name))
		v->name[sizeof(v->name) - 1] = 0;
}

static int read_areas(pid_t pid, unsigned int flags, struct vma_list *l)
{
	struct remote_proc_area *a;
	struct remote_proc_maps *m;
	size_t cap = 0;
	int ret;

	l->v = NULL;
	l->n = 0;
	ret = remote_proc_maps_open(pid, 0, flags, &m);
	/* No /proc/PID: the callers' messages call that ENOENT. */
	if (ret == -ESRCH)
		return -ENOENT;
	if (ret < 0)
		return ret;
	a = malloc(sizeof(*a));
	if (!a) {
		remote_proc_maps_close(m);
		return -ENOMEM;
	}
	while ((ret = remote_proc_maps_next(m, a, sizeof(*a))) > 0) {
		if (l->n == cap) {
			struct vma *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(l->v, cap * sizeof(*nv));
			if (!nv) {
				ret = -ENOMEM;
				break;
			}
			l->v = nv;
		}
		from_area(a, &l->v[l->n++]);
	}
	free(a);
	remote_proc_maps_close(m);
	if (ret < 0) {
		vmas_free(l);
		return ret;
	}
	/* An empty list means the process has gone (or is a kernel thread). */
	return l->n ? 0 : -ESRCH;
}

int vmas_read(pid_t pid, struct vma_list *l)
{
	return read_areas(pid, REMOTE_PROC_MAPS_SMAPS, l);
}

int vmas_read_maps(pid_t pid, struct vma_list *l)
{
	return read_areas(pid, 0, l);
}

void vmas_free(struct vma_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The list is in address order, as /proc/PID/maps prints it. */
const struct vma *vmas_next(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < l->n ? &l->v[lo] : NULL;
}

const struct vma *vmas_find(const struct vma_list *l, uint64_t addr)
{
	const struct vma *v = vmas_next(l, addr);

	return v && addr >= v->start ? v : NULL;
}

const char *vma_unmirrorable(const struct vma *v, uint64_t mirror_size)
{
	/* The list was judged without the mirror's size: areas above it. */
	if (v->start >= mirror_size)
		return remote_proc_area_reason_str(REMOTE_PROC_AREA_OUTSIDE);
	return v->reason ? remote_proc_area_reason_str(v->reason) : NULL;
}

const char *vma_label(const struct vma *v)
{
	return v->name[0] ? v->name : "[anon]";
}
