// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Accessing mirror memory safely, through the library's SIGBUS-safe
 * helpers: a load, store or copy through a mapping of a mirror that
 * faults (a hole, PROT_NONE, device memory, an exited target) returns
 * SIGBUS and the faulting address instead of killing the command. The
 * mappings the command accesses are its own, so a fault there is SIGBUS.
 */
#include <signal.h>

#include "cli.h"

int guard_copy(void *dst, const volatile void *src, size_t len, uintptr_t *fault)
{
	ssize_t n = remote_proc_copy_from_map(dst, (const void *)src, len);

	if (n == (ssize_t)len)
		return 0;
	if (fault)
		*fault = (uintptr_t)src + (n > 0 ? (size_t)n : 0);
	return SIGBUS;
}

int guard_load(const volatile void *src, unsigned int bytes, uint64_t *val,
	       uintptr_t *fault)
{
	if (remote_proc_load((const void *)src, bytes, val) == 0)
		return 0;
	if (fault)
		*fault = (uintptr_t)src;
	return SIGBUS;
}

struct search {
	const void *hay;
	size_t hlen;
	const struct pattern *pat;
	const void *hit;
};

static void search_fn(void *arg)
{
	struct search *s = arg;

	s->hit = pattern_search(s->hay, s->hlen, s->pat);
}

int guard_search(const void *hay, size_t hlen, const struct pattern *pat,
		 const void **hit, uintptr_t *fault)
{
	struct search s = { hay, hlen, pat, NULL };

	if (remote_proc_guard(search_fn, &s, fault))
		return SIGBUS;
	*hit = s.hit;
	return 0;
}
