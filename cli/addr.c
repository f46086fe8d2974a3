// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * ADDR arguments: hexadecimal as today, or symbolic, resolved once from
 * the target's /proc/PID/maps when the command starts:
 *
 *   [heap], [stack], [vdso]...  the start of the area of that name
 *   NAME                        the mapping of file offset 0 of NAME
 *   NAME+OFF                    where file offset OFF of NAME is mapped
 *   START-END                   a range as maps prints it (ADDR and LEN)
 *
 * NAME is a file's basename or its path (or the end of its path, from a
 * '/'), or an area's bracketed name. OFF counts like the offset column of
 * maps: into the file for a file mapping, from the start for the others,
 * so libc.so.6+0x1234 means what gdb and perf print.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

static const char syntax[] =
	"ADDR is hexadecimal, [heap], [stack], NAME, NAME+OFF or START-END (see --help).";

/* A range as /proc/PID/maps prints it: hexadecimal START-END. */
static bool scan_range(const char *s, uint64_t *start, uint64_t *end)
{
	const char *dash = strchr(s, '-');
	char first[24];

	if (!dash || (size_t)(dash - s) >= sizeof(first))
		return false;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = 0;
	return scan_hex(first, start) && scan_hex(dash + 1, end);
}

/* Length of an area's name without the " (deleted)" of a removed file. */
static size_t name_len(const struct vma *v)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(v->name), d = sizeof(deleted) - 1;

	if (v->name[0] == '/' && n > d && !strcmp(v->name + n - d, deleted))
		n -= d;
	return n;
}

/*
 * Whether the area is called name (nlen bytes): a file by its basename,
 * its path or the end of its path from a '/'; other areas by their name.
 */
static bool area_is(const struct vma *v, const char *name, size_t nlen)
{
	size_t n = name_len(v);
	const char *base;

	if (!n || !nlen)
		return false;
	if (v->name[0] != '/' || name[0] == '/')
		return n == nlen && !memcmp(v->name, name, n);
	if (memchr(name, '/', nlen))
		return n > nlen && v->name[n - nlen - 1] == '/' &&
		       !memcmp(v->name + n - nlen, name, nlen);
	base = memrchr(v->name, '/', n) + 1;
	return (size_t)(v->name + n - base) == nlen && !memcmp(base, name, nlen);
}

static size_t count_named(const struct vma_list *l, const char *name, size_t nlen)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += area_is(&l->v[i], name, nlen);
	return n;
}

static bool same_name(const struct vma *a, const struct vma *b)
{
	size_t n = name_len(a);

	return n == name_len(b) && !memcmp(a->name, b->name, n);
}

/* More than one file called name: list them. */
static bool ambiguous_file(const struct vma_list *l, const char *s, const char *name,
			   size_t nlen, pid_t pid)
{
	const struct vma *first = NULL;
	bool many = false;

	for (size_t i = 0; i < l->n && !many; i++) {
		if (!area_is(&l->v[i], name, nlen))
			continue;
		if (!first)
			first = &l->v[i];
		else
			many = !same_name(first, &l->v[i]);
	}
	if (!many)
		return false;
	err_msg("'%s' is ambiguous in process %d: '%.*s' names more than one file:", s,
		(int)pid, (int)nlen, name);
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i], *p;
		bool listed = false;

		if (!area_is(v, name, nlen))
			continue;
		for (p = l->v; p < v && !listed; p++)
			listed = area_is(p, name, nlen) && same_name(p, v);
		if (!listed)
			hint("  %.*s", (int)name_len(v), v->name);
	}
	hint("Give the path (or its end, such as DIR/NAME) instead.");
	return true;
}

/* The address of offset off of the areas called name; false after a message. */
static bool resolve(const struct vma_list *l, const char *s, const char *name, size_t nlen,
		    uint64_t off, pid_t pid, uint64_t *addr)
{
	const struct vma *hit = NULL;
	size_t hits = 0;

	if (ambiguous_file(l, s, name, nlen, pid))
		return false;
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];

		if (area_is(v, name, nlen) && off >= v->offset &&
		    off - v->offset < v->end - v->start) {
			hit = hit ? hit : v;
			hits++;
		}
	}
	if (hits == 1) {
		*addr = hit->start + (off - hit->offset);
		return true;
	}
	if (hits)
		err_msg(
			"'%s' is ambiguous in process %d: offset 0x%llx of %.*s is mapped %zu times:",
			s, (int)pid, (unsigned long long)off, (int)nlen, name, hits);
	else
		err_msg("'%s' is not an address in process %d: no area of %.*s holds offset 0x%llx",
			s, (int)pid, (int)nlen, name, (unsigned long long)off);
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		bool holds = off >= v->offset && off - v->offset < v->end - v->start;

		/* The areas that hold off, or when none does, all of them. */
		if (area_is(v, name, nlen) && (holds || !hits))
			hint("  %llx-%llx %s holds offsets 0x%llx-0x%llx",
			     (unsigned long long)v->start, (unsigned long long)v->end, v->perms,
			     (unsigned long long)v->offset,
			     (unsigned long long)(v->offset + (v->end - v->start)));
	}
	hint(hits ? "Give the address instead." :
	     "OFF counts as the offset column of /proc/PID/maps does (see --help).");
	return false;
}

static int symbolic(pid_t pid, const char *s, uint64_t *addr)
{
	const char *plus = strrchr(s, '+');
	size_t nlen = strlen(s);
	uint64_t off = 0;
	bool has_off = plus && plus != s && scan_size(plus + 1, &off);
	struct vma_list l;
	int ret = -1;

	if (has_off)
		nlen = (size_t)(plus - s);
	ret = vmas_read_maps(pid, &l);
	if (ret < 0) {
		err_msg("cannot resolve '%s': cannot read /proc/%d/maps: %s", s, (int)pid,
			strerror(-ret));
		if (ret == -ENOENT)
			hint("Check the pid (ps, pgrep); the process may have exited.");
		else if (ret == -ESRCH)
			hint("It has no memory areas: a kernel thread, or a process that exited.");
		else if (ret == -EACCES || ret == -EPERM)
			hint("Reading it needs what attaching needs: the process's user, or root.");
		return -1;
	}
	ret = -1;
	if (!count_named(&l, s, nlen) && has_off && count_named(&l, s, strlen(s))) {
		/* A name with a '+' and a number in it, such as "x+1". */
		nlen = strlen(s);
		off = 0;
	}
	if (count_named(&l, s, nlen)) {
		if (resolve(&l, s, s, nlen, off, pid, addr))
			ret = 0;
	} else if (plus && plus != s && !has_off && count_named(&l, s, (size_t)(plus - s))) {
		err_msg(
			"'%s' is not an address: '%s' is not an offset (decimal, or hexadecimal with 0x)",
			s, plus + 1);
	} else {
		err_msg(
			"'%s' is not an address in process %d: nothing named '%.*s' is mapped there",
			s, (int)pid, (int)nlen, s);
		hint("See 'remote-proc maps %d' for its areas. %s", (int)pid, syntax);
	}
	vmas_free(&l);
	return ret;
}

int parse_addr_in(pid_t pid, const char *s, uint64_t *addr, uint64_t *len)
{
	uint64_t end;

	if (len)
		*len = 0;
	if (scan_hex(s, addr))
		return 0;
	if (scan_range(s, addr, &end)) {
		if (end <= *addr) {
			err_msg("'%s' is not a range: END must be above START", s);
			return -1;
		}
		if (!len) {
			err_msg("'%s' is a range; one address is wanted here", s);
			return -1;
		}
		*len = end - *addr;
		return 0;
	}
	if (!*s) {
		err_msg("'' is not an address. %s", syntax);
		return -1;
	}
	return symbolic(pid, s, addr);
}

int parse_addr_len(const char *cmd, pid_t pid, char *const *args, int n,
		   uint64_t *addr, uint64_t *len)
{
	if (n < 1) {
		usage_error(cmd, "expected PID ADDR LEN, or PID START-END");
		return -1;
	}
	if (parse_addr_in(pid, args[0], addr, len))
		return -1;
	if (*len)
		return 1;
	if (n < 2) {
		usage_error(cmd,
			    "expected PID ADDR LEN: '%s' is not a START-END range, so LEN must follow",
			    args[0]);
		return -1;
	}
	return parse_size(args[1], len) ? -1 : 2;
}
