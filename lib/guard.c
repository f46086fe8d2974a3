// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Loads and stores through a mapping of a mirror that raise SIGBUS (a
 * hole, PROT_NONE, device memory, a target that has gone) come back as
 * -EFAULT: a process-wide handler, armed per thread, jumps back out of
 * the access. Faults it was not armed for go on to the handler it
 * replaced, or kill the process as the default action would.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>

#include "libremoteproc.h"
#include "internal.h"

#define RP_TLS __attribute__((tls_model("initial-exec")))

/* This thread's armed guard, or NULL; where the last fault was. */
static _Thread_local sigjmp_buf *guard_env RP_TLS;
static _Thread_local uintptr_t guard_addr RP_TLS;

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
/* The handlers ours replaced, to chain to. */
static struct sigaction old_bus, old_segv;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;
	sigjmp_buf *env = guard_env;

	if (env) {
		guard_env = NULL;
		guard_addr = (uintptr_t)si->si_addr;
		siglongjmp(*env, 1);
	}
	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/*
	 * Die of it: returning retries the access, which faults again, now
	 * with the default action; a signal that was sent (not a fault) is
	 * sent again, delivered when this handler returns.
	 */
	signal(sig, SIG_DFL);
	if (si->si_code <= 0)
		raise(sig);
}

static bool ours(int sig)
{
	struct sigaction cur;

	return sigaction(sig, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
	       cur.sa_sigaction == on_fault;
}

/* Our handler for both signals, again if the program replaced it. */
static void install(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_fault,
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
	};

	if (ours(SIGBUS) && ours(SIGSEGV))
		return;
	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&install_lock);
	if (!ours(SIGBUS))
		sigaction(SIGBUS, &sa, &old_bus);
	if (!ours(SIGSEGV))
		sigaction(SIGSEGV, &sa, &old_segv);
	pthread_mutex_unlock(&install_lock);
}

RP_EXPORT int remote_proc_guard(void (*fn)(void *arg), void *arg,
				uintptr_t *fault)
{
	sigjmp_buf env, *prev;

	if (!fn)
		return -EINVAL;
	install();
	prev = guard_env;
	if (sigsetjmp(env, 1)) {
		guard_env = prev;
		if (fault)
			*fault = guard_addr;
		return -EFAULT;
	}
	guard_env = &env;
	__asm__ volatile("" ::: "memory");
	fn(arg);
	__asm__ volatile("" ::: "memory");
	guard_env = prev;
	return 0;
}

struct copy {
	void *dst;
	const void *src;
	size_t len;
};

static void copy_fn(void *arg)
{
	struct copy *c = arg;

	memcpy(c->dst, c->src, c->len);
}

/*
 * All at once first; after a fault, page by page of the mapping's side
 * (map: src when reading, dst when writing) to find where it starts.
 */
static ssize_t guarded_copy(void *dst, const void *src, size_t len, bool to_map)
{
	uintptr_t ps = (uintptr_t)rp_page_size();
	struct copy c = { dst, src, len };
	size_t done = 0;

	if (len > SSIZE_MAX)
		return -EINVAL;
	if (!len || !remote_proc_guard(copy_fn, &c, NULL))
		return (ssize_t)len;
	while (done < len) {
		uintptr_t at = (uintptr_t)(to_map ? dst : src) + done;
		size_t n = ps - (at & (ps - 1));

		if (n > len - done)
			n = len - done;
		c.dst = (char *)dst + done;
		c.src = (const char *)src + done;
		c.len = n;
		if (remote_proc_guard(copy_fn, &c, NULL))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	/* No fault this time: the memory came back meanwhile. */
	return (ssize_t)len;
}

RP_EXPORT ssize_t remote_proc_copy_from_map(void *dst, const void *src,
					    size_t len)
{
	return guarded_copy(dst, src, len, false);
}

RP_EXPORT ssize_t remote_proc_copy_to_map(void *dst, const void *src,
					  size_t len)
{
	return guarded_copy(dst, src, len, true);
}

struct access {
	volatile void *p;
	unsigned int bytes;
	uint64_t val;
};

static void load_fn(void *arg)
{
	struct access *a = arg;

	switch (a->bytes) {
	case 1:
		a->val = *(volatile uint8_t *)a->p;
		break;
	case 2:
		a->val = *(volatile uint16_t *)a->p;
		break;
	case 4:
		a->val = *(volatile uint32_t *)a->p;
		break;
	default:
		a->val = *(volatile uint64_t *)a->p;
	}
}

static void store_fn(void *arg)
{
	struct access *a = arg;

	switch (a->bytes) {
	case 1:
		*(volatile uint8_t *)a->p = (uint8_t)a->val;
		break;
	case 2:
		*(volatile uint16_t *)a->p = (uint16_t)a->val;
		break;
	case 4:
		*(volatile uint32_t *)a->p = (uint32_t)a->val;
		break;
	default:
		*(volatile uint64_t *)a->p = a->val;
	}
}

static bool good_width(unsigned int bytes)
{
	return bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
}

RP_EXPORT int remote_proc_load(const void *src, unsigned int bytes,
			       uint64_t *val)
{
	struct access a = { (volatile void *)src, bytes, 0 };
	int ret;

	if (!good_width(bytes) || !val)
		return -EINVAL;
	ret = remote_proc_guard(load_fn, &a, NULL);
	if (!ret)
		*val = a.val;
	return ret;
}

RP_EXPORT int remote_proc_store(void *dst, unsigned int bytes, uint64_t val)
{
	struct access a = { dst, bytes, val };

	if (!good_width(bytes))
		return -EINVAL;
	return remote_proc_guard(store_fn, &a, NULL);
}
