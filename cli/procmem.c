// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The read-only fallback when /dev/remote-proc is absent: the target's
 * memory read through /proc/PID/mem, which needs the same permission.
 *
 * A "mapping" here is a copy: anonymous memory filled with pread() when
 * it is made (and again at each refresh), in which the pages that could
 * not be read stay PROT_NONE. The commands read it exactly as they read a
 * mapping of a mirror, under the same guard (a read of a page that could
 * not be copied raises SIGSEGV instead of SIGBUS), and they report the
 * same causes. Areas the mirror does not serve are not read here either:
 * through /proc/PID/mem, device memory (VM_IO) would be read by its
 * driver, with whatever side effects reading its registers has, and a
 * PROT_NONE reservation would be filled with zero pages in the target.
 *
 * Deciding that needs each area's VmFlags, which only /proc/PID/smaps
 * has, and reading smaps walks every page table of the target. So the
 * session keeps the smaps list, and each copy compares it with a fresh
 * (cheap) /proc/PID/maps: smaps is read again only when an area the copy
 * needs is not in the list as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

/* The most pread() is asked for at once. */
#define CHUNK	(1ull << 20)

int procmem_open(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

/*
 * The file holds the memory of the process as it was when opened: after
 * the process exits or execs, every read returns 0 (end of file), while a
 * live process answers EIO for an address it has not mapped.
 */
bool procmem_dead(int fd)
{
	uint8_t b;

	return pread(fd, &b, 1, 0) == 0;
}

uint64_t procmem_size(const struct vma_list *l)
{
	uint64_t size = 0;

	/*
	 * Userspace cannot ask for the target's TASK_SIZE. On x86-64 it is
	 * 0x7ffffffff000 unless the target has mapped above 47 bits (5-level
	 * paging); elsewhere, the end of the space is left unknown and reads
	 * past the target's areas report "not mapped".
	 */
#ifdef __x86_64__
	size = 0x7ffffffff000ull;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].end > size && l->v[i].reason != REMOTE_PROC_AREA_OUTSIDE)
			size = (1ull << 56) - page_size();
#else
	(void)l;
#endif
	return size ? size : ~(page_size() - 1);
}

static bool same_area(const struct vma *a, const struct vma *b)
{
	return a->start == b->start && a->end == b->end && a->offset == b->offset &&
	       a->inode == b->inode && !strcmp(a->perms, b->perms) && !strcmp(a->dev, b->dev);
}

/* The smaps entry of area v as the session knows it, or NULL. */
static const struct vma *known(const struct vma_list *cache, const struct vma *v)
{
	const struct vma *c = vmas_find(cache, v->start);

	return c && same_area(c, v) ? c : NULL;
}

/*
 * Copy [from, to) of the target into p (page aligned, writable), and leave
 * what was read PROT_READ, and the pages that could not be read
 * PROT_NONE. -ESRCH once the target is gone (the rest is left unread),
 * else 0.
 */
static int copy_range(struct session *s, uint8_t *p, uint64_t from, uint64_t to)
{
	uint64_t ps = page_size(), a = from, good = from;
	int ret = 0;

	while (a < to) {
		size_t n = to - a > CHUNK ? CHUNK : to - a;
		ssize_t got = pread(s->memfd, p + (a - from), n, (off_t)a);

		if (got > 0) {
			a += (uint64_t)got;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		/* Reads stop at the end of a page: the page at a failed. */
		mprotect(p + (good - from), a - good, PROT_READ);
		good = got == 0 ? to : a + ps;
		mprotect(p + (a - from), good - a, PROT_NONE);
		madvise(p + (a - from), good - a, MADV_DONTNEED);
		if (got == 0) {
			ret = -ESRCH;
			break;
		}
		a = good;
	}
	mprotect(p + (good - from), to - good, PROT_READ);
	return ret;
}

int procmem_fill(struct session *s, void *map, uint64_t addr, uint64_t len)
{
	uint64_t ps = page_size(), start = addr & ~(ps - 1);
	uint64_t end = (addr + len + ps - 1) & ~(ps - 1);
	uint8_t *base = (uint8_t *)((uintptr_t)map & ~(uintptr_t)(ps - 1));
	struct vma_list now;
	bool reread = false;
	int ret;

	/* Nothing stays from an earlier copy. */
	if (mprotect(base, end - start, PROT_NONE) ||
	    madvise(base, end - start, MADV_DONTNEED))
		return -errno;
	ret = vmas_read_maps(s->pid, &now);
	if (ret == -ESRCH || ret == -ENOENT)
		return 0;		/* gone: nothing is readable */
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < now.n; i++) {
		const struct vma *v = &now.v[i], *c;
		uint64_t from = v->start > start ? v->start : start;
		uint64_t to = v->end < end ? v->end : end;
		uint8_t *p = base + (from - start);

		if (from >= to)
			continue;
		c = known(&s->areas, v);
		if (!c && !reread) {
			vmas_free(&s->areas);
			if (vmas_read(s->pid, &s->areas) < 0)
				break;
			reread = true;
			c = known(&s->areas, v);
		}
		/* Changed between the two reads, or not to be read. */
		if (!c || vma_unmirrorable(c, s->info.size))
			continue;
		if (mprotect(p, to - from, PROT_READ | PROT_WRITE)) {
			ret = -errno;
			break;
		}
		ret = copy_range(s, p, from, to);
		if (ret == -ESRCH) {
			ret = 0;	/* the rest is unreadable, as in a dead mirror */
			break;
		}
	}
	vmas_free(&now);
	return ret;
}

int procmem_map(struct session *s, uint64_t addr, uint64_t len, void **map)
{
	uint64_t ps = page_size(), off = addr & (ps - 1);
	uint64_t span = (off + len + ps - 1) & ~(ps - 1);
	uint8_t *base;
	int ret;

	if (!len || len > SIZE_MAX - ps || addr + len < addr)
		return -EINVAL;
	base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	ret = procmem_fill(s, base + off, addr, len);
	if (ret < 0) {
		munmap(base, span);
		return ret;
	}
	*map = base + off;
	return 0;
}
