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
 * session reads it once, when it opens, and a command's copies go by that
 * list: maps and find make a copy per area, and a look at the target's
 * areas for each would make them quadratic. watch's refreshes look again:
 * at /proc/PID/maps before copying (smaps is read again only when an
 * area is not in the list as it was) and after, and an area that changed
 * meanwhile is wiped from the copy, since /proc/PID/mem reads PROT_NONE
 * pages too.
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

/*
 * Whether this process may map above 47 bits (x86-64 5-level paging): a
 * hint there is honoured only then.
 */
static bool wide_address_space(void)
{
	uint64_t ps = page_size();
	void *p = mmap((void *)(1ull << 48), ps, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return false;
	munmap(p, ps);
	return (uintptr_t)p >= (1ull << 47);
}

uint64_t procmem_size(void)
{
	/*
	 * What a mirror reports: TASK_SIZE_MAX, which userspace cannot ask
	 * for. On x86-64 it follows from the paging depth; elsewhere the end
	 * is left unknown, and reads past the target's areas report "not
	 * mapped".
	 */
#ifdef __x86_64__
	return wide_address_space() ? (1ull << 56) - page_size() : 0x7ffffffff000ull;
#else
	return ~(page_size() - 1);
#endif
}

/*
 * The areas of l that overlap [start, end), in turn: v from
 * vmas_next(l, start) on, each with its part of the range in from, to.
 */
static bool overlap(const struct vma_list *l, const struct vma *v, uint64_t start,
		    uint64_t end, uint64_t *from, uint64_t *to)
{
	if (!v || v >= l->v + l->n || v->start >= end)
		return false;
	*from = v->start > start ? v->start : start;
	*to = v->end < end ? v->end : end;
	return true;
}

static bool same_area(const struct vma *a, const struct vma *b)
{
	return a->start == b->start && a->end == b->end && a->offset == b->offset &&
	       a->inode == b->inode && !strcmp(a->perms, b->perms) && !strcmp(a->dev, b->dev);
}

/* Area v as l has it (the same start, end, permissions and file), or NULL. */
static const struct vma *find_same(const struct vma_list *l, const struct vma *v)
{
	const struct vma *w = vmas_find(l, v->start);

	return w && same_area(w, v) ? w : NULL;
}

/* Make [p, p + len) inaccessible and drop what it held. 0 or -errno. */
static int wipe(uint8_t *p, uint64_t len)
{
	if (len && (mprotect(p, len, PROT_NONE) || madvise(p, len, MADV_DONTNEED)))
		return -errno;
	return 0;
}

/*
 * Copy [from, to) of the target into p (page aligned, inaccessible and
 * empty): what could be read ends up PROT_READ, the rest stays
 * inaccessible. -ESRCH once the target has gone (the rest is not read),
 * -errno if the copy could not be protected as it must be, else 0.
 */
static int copy_range(struct session *s, uint8_t *p, uint64_t from, uint64_t to)
{
	uint64_t ps = page_size(), a = from;
	int ret;

	if (mprotect(p, to - from, PROT_READ | PROT_WRITE))
		return -errno;
	while (a < to) {
		size_t n = to - a > CHUNK ? CHUNK : to - a;
		ssize_t got = pread(s->memfd, p + (a - from), n, (off_t)a);
		uint64_t bad_end;

		if (got > 0) {
			if (mprotect(p + (a - from), (uint64_t)got, PROT_READ))
				return -errno;
			a += (uint64_t)got;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		/* Reads stop at the end of a page: the page at a failed. */
		bad_end = got == 0 ? to : a + ps;
		ret = wipe(p + (a - from), bad_end - a);
		if (ret)
			return ret;
		if (got == 0)
			return -ESRCH;
		a = bad_end;
	}
	return 0;
}

/*
 * Copy what areas (sorted) allow of [start, end) into base. The areas
 * are those of the session's list, or of a fresh look (now) found in it.
 */
static int copy_areas(struct session *s, const struct vma_list *areas,
		      const struct vma_list *now, uint8_t *base, uint64_t start, uint64_t end)
{
	const struct vma_list *l = now ? now : areas;
	uint64_t from, to;

	for (const struct vma *w = vmas_next(l, start); overlap(l, w, start, end, &from, &to); w++) {
		const struct vma *v = now ? find_same(areas, w) : w;
		int ret;

		/* Changed since smaps was read, or not to be read. */
		if (!v || vma_unmirrorable(v, s->info.size))
			continue;
		ret = copy_range(s, base + (from - start), from, to);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Read smaps again if an area of now in [start, end) is not in the list. */
static int update_areas(struct session *s, const struct vma_list *now,
			uint64_t start, uint64_t end)
{
	uint64_t from, to;

	for (const struct vma *v = vmas_next(now, start); overlap(now, v, start, end, &from, &to); v++)
		if (!find_same(&s->areas, v)) {
			vmas_free(&s->areas);
			return vmas_read(s->tgid, &s->areas);
		}
	return 0;
}

/* Wipe what lies in an area of before that after no longer has as it was. */
static int wipe_changed(const struct vma_list *before, const struct vma_list *after,
			uint8_t *base, uint64_t start, uint64_t end)
{
	uint64_t from, to;

	for (const struct vma *v = vmas_next(before, start);
	     overlap(before, v, start, end, &from, &to); v++) {
		int ret = find_same(after, v) ? 0 : wipe(base + (from - start), to - from);

		if (ret)
			return ret;
	}
	return 0;
}

/* The target's areas now, from /proc/PID/maps; -ESRCH once it has gone. */
static int look(struct session *s, struct vma_list *l)
{
	int ret = vmas_read_maps(s->tgid, l);

	return ret == -ENOENT ? -ESRCH : ret;
}

/* A copy made with a look at the target's areas before and after. */
static int fill_fresh(struct session *s, uint8_t *base, uint64_t start, uint64_t end)
{
	struct vma_list now, after;
	int ret;

	ret = look(s, &now);
	if (ret < 0)
		return ret;
	ret = update_areas(s, &now, start, end);
	if (!ret)
		ret = copy_areas(s, &s->areas, &now, base, start, end);
	if (!ret)
		ret = look(s, &after);
	if (!ret) {
		ret = wipe_changed(&now, &after, base, start, end);
		vmas_free(&after);
	}
	vmas_free(&now);
	return ret;
}

int procmem_fill(struct session *s, void *map, uint64_t addr, uint64_t len, bool fresh)
{
	uint64_t ps = page_size(), start = addr & ~(ps - 1);
	uint64_t end = (addr + len + ps - 1) & ~(ps - 1);
	uint8_t *base = (uint8_t *)((uintptr_t)map & ~(uintptr_t)(ps - 1));
	int ret;

	/* Nothing stays from an earlier copy. */
	ret = wipe(base, end - start);
	if (ret)
		return ret;
	if (fresh)
		ret = fill_fresh(s, base, start, end);
	else
		ret = copy_areas(s, &s->areas, NULL, base, start, end);
	if (ret < 0)
		wipe(base, end - start);
	/* A target that has gone has nothing readable, as a dead mirror. */
	return ret == -ESRCH ? 0 : ret;
}

int procmem_map(struct session *s, uint64_t addr, uint64_t len, void **map)
{
	uint64_t ps = page_size(), off = addr & (ps - 1);
	uint64_t span = (off + len + ps - 1) & ~(ps - 1);
	uint8_t *base;
	int ret;

	if (!len)
		return -EINVAL;
	/* As a mirror refuses it: past the end of the address space. */
	if (addr + len < addr || addr + len > s->info.size)
		return -ENXIO;
	if (len > SIZE_MAX - ps)
		return -ENOMEM;
	base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	ret = procmem_fill(s, base + off, addr, len, false);
	if (ret < 0) {
		munmap(base, span);
		return ret;
	}
	*map = base + off;
	return 0;
}
