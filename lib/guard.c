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

/*
 * This thread's armed guard, or NULL; the range of addresses whose faults
 * it catches ([lo, hi), or any when hi is 0); where the last fault was.
 */
static _Thread_local sigjmp_buf *guard_env RP_TLS;
static _Thread_local uintptr_t guard_lo RP_TLS, guard_hi RP_TLS;
static _Thread_local uintptr_t guard_addr RP_TLS;

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
/* The handlers ours replaced, to chain to. */
static struct sigaction old_bus, old_segv;

/*
 * A fault this thread's guard is armed for: raised by the kernel for an
 * access (not sent by kill(2) or sigqueue(3), whose si_code is <= 0), at
 * an address in the armed range (SI_KERNEL, a general protection fault,
 * has no address: it counts).
 */
static bool armed_for(const siginfo_t *si)
{
	uintptr_t addr = (uintptr_t)si->si_addr;

	if (!guard_env || si->si_code <= 0)
		return false;
	return !guard_hi || si->si_code == SI_KERNEL || (addr >= guard_lo && addr < guard_hi);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;
	sigjmp_buf *env = guard_env;

	if (armed_for(si)) {
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

/* Whether ours has been installed for SIGBUS, for SIGSEGV. */
static volatile sig_atomic_t bus_installed, segv_installed;

/*
 * Whether sig's handler is as it should stay: ours, or, once ours has
 * been installed, a handler the program installed over it. That one
 * chains to ours (which it kept), and keeping it here would make a loop
 * of the two. Where there is none yet, or the default action or SIG_IGN
 * is back, ours goes in.
 */
static bool settled(const struct sigaction *cur, bool installed)
{
	if (cur->sa_flags & SA_SIGINFO)
		return cur->sa_sigaction == on_fault || installed;
	return installed && cur->sa_handler != SIG_DFL && cur->sa_handler != SIG_IGN;
}

static void install_one(int sig, const struct sigaction *sa, struct sigaction *old,
			volatile sig_atomic_t *installed)
{
	struct sigaction cur;

	if (sigaction(sig, NULL, &cur) || settled(&cur, *installed))
		return;
	/* The kept handler is in place before ours can call it. */
	*old = cur;
	sigaction(sig, sa, NULL);
	*installed = 1;
}

/* Without the lock when nothing is to be done (guarded calls from handlers). */
static void install(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_fault,
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
	};
	struct sigaction bus, segv;

	if (!sigaction(SIGBUS, NULL, &bus) && settled(&bus, bus_installed) &&
	    !sigaction(SIGSEGV, NULL, &segv) && settled(&segv, segv_installed))
		return;
	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&install_lock);
	install_one(SIGBUS, &sa, &old_bus, &bus_installed);
	install_one(SIGSEGV, &sa, &old_segv, &segv_installed);
	pthread_mutex_unlock(&install_lock);
}

/*
 * Run fn(arg), catching the faults at [lo, hi) (any when hi is 0). The
 * two signals are unblocked meanwhile: a fault in a blocked signal kills
 * the process whatever the handler.
 */
static int guard_range(void (*fn)(void *arg), void *arg, uintptr_t *fault,
		       uintptr_t lo, uintptr_t hi)
{
	sigjmp_buf env, *volatile prev;
	volatile uintptr_t prev_lo, prev_hi;
	sigset_t faults, saved;

	install();
	sigemptyset(&faults);
	sigaddset(&faults, SIGBUS);
	sigaddset(&faults, SIGSEGV);
	pthread_sigmask(SIG_UNBLOCK, &faults, &saved);
	prev = guard_env;
	prev_lo = guard_lo;
	prev_hi = guard_hi;
	if (sigsetjmp(env, 0)) {
		/* The handler ran with the signal blocked: the mask as it was. */
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		guard_env = prev;
		guard_lo = prev_lo;
		guard_hi = prev_hi;
		if (fault)
			*fault = guard_addr;
		return -EFAULT;
	}
	guard_lo = lo;
	guard_hi = hi;
	guard_env = &env;
	__asm__ volatile("" ::: "memory");
	fn(arg);
	__asm__ volatile("" ::: "memory");
	guard_env = prev;
	guard_lo = prev_lo;
	guard_hi = prev_hi;
	if (sigismember(&saved, SIGBUS) || sigismember(&saved, SIGSEGV))
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	return 0;
}

RP_EXPORT int remote_proc_guard(void (*fn)(void *arg), void *arg,
				uintptr_t *fault)
{
	if (!fn)
		return -EINVAL;
	return guard_range(fn, arg, fault, 0, 0);
}

struct copy {
	char *dst;
	const char *src;
	size_t len;
	bool to_map;
	volatile size_t done;	/* bytes copied so far */
};

/*
 * In order, a page of the mapping's side at a time, so that a fault
 * leaves everything before its page copied and nothing after it touched
 * (memcpy() may copy a large buffer in any order).
 */
static void copy_fn(void *arg)
{
	uintptr_t ps = (uintptr_t)rp_page_size();
	struct copy *c = arg;

	while (c->done < c->len) {
		uintptr_t at = (uintptr_t)(c->to_map ? c->dst : c->src) + c->done;
		size_t n = ps - (at & (ps - 1));

		if (n > c->len - c->done)
			n = c->len - c->done;
		memcpy(c->dst + c->done, c->src + c->done, n);
		c->done += n;
	}
}

static ssize_t guarded_copy(void *dst, const void *src, size_t len, bool to_map)
{
	struct copy c = { dst, src, len, to_map, 0 };
	uintptr_t map = (uintptr_t)(to_map ? dst : src);

	if (len > SSIZE_MAX)
		return -EINVAL;
	if (!len)
		return 0;
	/* Only the mapping's faults: the caller's own memory is the caller's. */
	if (!guard_range(copy_fn, &c, NULL, map, map + len))
		return (ssize_t)len;
	return c.done ? (ssize_t)c.done : -EFAULT;
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
	ret = guard_range(load_fn, &a, NULL, (uintptr_t)src, (uintptr_t)src + bytes);
	if (!ret)
		*val = a.val;
	return ret;
}

RP_EXPORT int remote_proc_store(void *dst, unsigned int bytes, uint64_t val)
{
	struct access a = { dst, bytes, val };

	if (!good_width(bytes))
		return -EINVAL;
	return guard_range(store_fn, &a, NULL, (uintptr_t)dst, (uintptr_t)dst + bytes);
}
