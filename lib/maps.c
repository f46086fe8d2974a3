// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Walking /proc/PID/maps (or smaps), one area per call, each judged: can
 * a mapping of a mirror show it, and if not, why not.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "libremoteproc.h"
#include "internal.h"

struct remote_proc_maps {
	FILE *f;
	int dir;		/* /proc/PID, which stays that process's */
	unsigned long areas;	/* returned so far */
	uint64_t limit;
	unsigned int flags;
	char *line;		/* the next area's first line, read ahead */
	size_t cap;
	int have_line;
};

/* The fields of struct remote_proc_area up to the first byte of path. */
#define RP_AREA_SIZE_MIN (offsetof(struct remote_proc_area, path) + 1)

RP_EXPORT int remote_proc_maps_open(pid_t pid, uint64_t limit,
				    unsigned int flags,
				    struct remote_proc_maps **maps)
{
	struct remote_proc_maps *m;
	char path[64];
	int fd, err;

	if (!maps || pid < 0 || (flags & ~REMOTE_PROC_MAPS_SMAPS))
		return -EINVAL;
	*maps = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self");
	m->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = m->dir < 0 ? -1 :
	     openat(m->dir, flags & REMOTE_PROC_MAPS_SMAPS ? "smaps" : "maps", O_RDONLY | O_CLOEXEC);
	m->f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!m->f) {
		err = errno;
		if (fd >= 0)
			close(fd);
		if (m->dir >= 0)
			close(m->dir);
		free(m);
		/* A missing /proc/PID is a missing process when /proc is there. */
		if (err == ENOENT && access("/proc/self/maps", F_OK) == 0)
			return -ESRCH;
		return -err;
	}
	m->limit = limit;
	m->flags = flags;
	*maps = m;
	return 0;
}

RP_EXPORT void remote_proc_maps_close(struct remote_proc_maps *maps)
{
	if (!maps)
		return;
	fclose(maps->f);
	close(maps->dir);
	free(maps->line);
	free(maps);
}

/* Read the next line into m->line: 1, 0 at the end, or -errno. */
static int read_line(struct remote_proc_maps *m)
{
	ssize_t n;

	errno = 0;
	n = getline(&m->line, &m->cap, m->f);
	if (n < 0) {
		if (ferror(m->f))
			return errno ? -errno : -EIO;
		return 0;
	}
	if (n && m->line[n - 1] == '\n')
		m->line[n - 1] = 0;
	return 1;
}

/*
 * Whether the process has no memory any more: gone, a zombie, or exiting
 * past the release of its memory (its size in /proc/PID/stat is 0). Its
 * maps file then ends early.
 */
static bool memory_gone(struct remote_proc_maps *m)
{
	char buf[512], *p;
	unsigned long long vsize = 1;
	char state = 0;
	ssize_t n;
	int fd;

	fd = openat(m->dir, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ESRCH || errno == ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 && errno == ESRCH;
	buf[n] = 0;
	/* After the name in parentheses: state, then fields 4 to 23 (vsize). */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %*u %llu", &state, &vsize) != 2)
		return false;
	return state == 'Z' || state == 'X' || !vsize;
}

/* Whether a line starts an area ("START-END "), not an smaps field. */
static int is_header(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n && s[n] == '-';
}

static int parse_header(const char *line, struct remote_proc_area *a)
{
	char perms[5] = "";
	const char *path;
	size_t len, dl = strlen(" (deleted)");
	int n = -1;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %" SCNx32
		   ":%" SCNx32 " %" SCNu64 "%n", &a->start, &a->end, perms,
		   &a->offset, &a->dev_major, &a->dev_minor, &a->inode, &n) < 7 ||
	    n < 0 || strlen(perms) != 4)
		return -EIO;
	a->prot = (perms[0] == 'r' ? PROT_READ : 0) |
		  (perms[1] == 'w' ? PROT_WRITE : 0) |
		  (perms[2] == 'x' ? PROT_EXEC : 0);
	if (perms[3] == 's')
		a->flags |= REMOTE_PROC_AREA_SHARED;
	/* The kernel pads the path to a column with spaces. */
	path = line + n;
	path += strspn(path, " ");
	len = strlen(path);
	if (a->inode && len > dl && !strcmp(path + len - dl, " (deleted)")) {
		len -= dl;
		a->flags |= REMOTE_PROC_AREA_DELETED;
	}
	if (len >= sizeof(a->path)) {
		len = sizeof(a->path) - 1;
		a->flags |= REMOTE_PROC_AREA_TRUNCATED;
	}
	memcpy(a->path, path, len);
	a->path[len] = 0;
	return 0;
}

static void parse_vmflags(const char *s, struct remote_proc_area *a)
{
	a->flags |= REMOTE_PROC_AREA_VMFLAGS;
	while (*s) {
		size_t n;

		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n == 2 && !strncmp(s, "io", 2))
			a->flags |= REMOTE_PROC_AREA_IO;
		else if (n == 2 && !strncmp(s, "pf", 2))
			a->flags |= REMOTE_PROC_AREA_PFNMAP;
		s += n;
	}
}

static uint32_t judge(const struct remote_proc_area *a, uint64_t limit)
{
	if ((limit && a->start >= limit) || !strcmp(a->path, "[vsyscall]"))
		return REMOTE_PROC_AREA_OUTSIDE;
	if (!strncmp(a->path, "[vvar", 5))
		return REMOTE_PROC_AREA_KERNEL_PAGE;
	if (!(a->prot & PROT_READ))
		return a->prot ? REMOTE_PROC_AREA_NOT_READABLE :
				 REMOTE_PROC_AREA_PROT_NONE;
	if (a->flags & (REMOTE_PROC_AREA_IO | REMOTE_PROC_AREA_PFNMAP))
		return REMOTE_PROC_AREA_IO_PFNMAP;
	return REMOTE_PROC_AREA_MIRRORABLE;
}

RP_EXPORT int remote_proc_maps_next(struct remote_proc_maps *m,
				    struct remote_proc_area *area, size_t size)
{
	struct remote_proc_area *a;
	int ret;

	if (!m || !area || size < RP_AREA_SIZE_MIN)
		return -EINVAL;
	if (!m->have_line) {
		ret = read_line(m);
		/* An end after some areas, the process gone: it ended early. */
		if (!ret && m->areas && memory_gone(m))
			return -ESRCH;
		if (ret <= 0)
			return ret;
	}
	m->have_line = 0;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	ret = parse_header(m->line, a);
	if (ret)
		goto out;
	/* smaps: the fields up to the next area's line, which is kept. */
	if (m->flags & REMOTE_PROC_MAPS_SMAPS) {
		while ((ret = read_line(m)) > 0) {
			if (is_header(m->line)) {
				m->have_line = 1;
				break;
			}
			if (!strncmp(m->line, "VmFlags:", 8))
				parse_vmflags(m->line + 8, a);
		}
		if (ret < 0)
			goto out;
	}
	a->reason = judge(a, m->limit);
	/* A caller's shorter path still ends in a NUL, and says it is cut. */
	if (size < sizeof(*a) && strlen(a->path) >= size - offsetof(struct remote_proc_area, path))
		a->flags |= REMOTE_PROC_AREA_TRUNCATED;
	rp_copy_out(area, size, a, sizeof(*a));
	if (size < sizeof(*a))
		((char *)area)[size - 1] = 0;
	m->areas++;
	ret = 1;
out:
	free(a);
	return ret;
}

RP_EXPORT const char *remote_proc_area_reason_str(uint32_t reason)
{
	switch (reason) {
	case REMOTE_PROC_AREA_MIRRORABLE:
		return "mirrorable";
	case REMOTE_PROC_AREA_OUTSIDE:
		return "outside the user address space";
	case REMOTE_PROC_AREA_KERNEL_PAGE:
		return "kernel data page (VM_PFNMAP)";
	case REMOTE_PROC_AREA_PROT_NONE:
		return "not readable (PROT_NONE)";
	case REMOTE_PROC_AREA_NOT_READABLE:
		return "not readable";
	case REMOTE_PROC_AREA_IO_PFNMAP:
		return "VM_IO/VM_PFNMAP (device, or a mirror)";
	}
	return "unknown reason";
}
