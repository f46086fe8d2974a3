// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Accessing mirror memory safely: a load or store through a mapping of a
 * mirror raises SIGBUS where the target has nothing (a hole, PROT_NONE,
 * device memory, an exited target). Each helper runs its access with a
 * handler armed that jumps back out, and reports the signal and the
 * faulting address instead of dying. The CLI is single-threaded.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "cli.h"

static sigjmp_buf guard_env;
static volatile sig_atomic_t guard_armed;
static volatile uintptr_t guard_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!guard_armed) {
		/* Not ours: die of it as if there were no handler. */
		signal(sig, SIG_DFL);
		return;
	}
	guard_armed = 0;
	guard_addr = (uintptr_t)si->si_addr;
	siglongjmp(guard_env, sig);
}

static void install(void)
{
	static bool done;
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };

	if (done)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	done = true;
}

/*
 * The body of a guarded helper: GUARD_BEGIN arms the handler; a fault in
 * the access makes the helper return the signal (with *fault set), and
 * GUARD_END disarms it and returns 0.
 */
#define GUARD_BEGIN(fault)						\
	int sig_;							\
	install();							\
	sig_ = sigsetjmp(guard_env, 1);					\
	if (sig_) {							\
		if (fault)						\
			*(fault) = guard_addr;				\
		return sig_;						\
	}								\
	guard_armed = 1;						\
	__asm__ volatile("" ::: "memory")

#define GUARD_END()							\
	__asm__ volatile("" ::: "memory");				\
	guard_armed = 0;						\
	return 0

int guard_copy(void *dst, const volatile void *src, size_t len, uintptr_t *fault)
{
	GUARD_BEGIN(fault);
	memcpy(dst, (const void *)src, len);
	GUARD_END();
}

int guard_load(const volatile void *src, unsigned int bytes, uint64_t *val,
	       uintptr_t *fault)
{
	GUARD_BEGIN(fault);
	switch (bytes) {
	case 1:
		*val = *(const volatile uint8_t *)src;
		break;
	case 2:
		*val = *(const volatile uint16_t *)src;
		break;
	case 4:
		*val = *(const volatile uint32_t *)src;
		break;
	default:
		*val = *(const volatile uint64_t *)src;
	}
	GUARD_END();
}

int guard_store(volatile void *dst, unsigned int bytes, uint64_t val, uintptr_t *fault)
{
	GUARD_BEGIN(fault);
	switch (bytes) {
	case 1:
		*(volatile uint8_t *)dst = (uint8_t)val;
		break;
	case 2:
		*(volatile uint16_t *)dst = (uint16_t)val;
		break;
	case 4:
		*(volatile uint32_t *)dst = (uint32_t)val;
		break;
	default:
		*(volatile uint64_t *)dst = val;
	}
	GUARD_END();
}

int guard_search(const void *hay, size_t hlen, const struct pattern *pat,
		 const void **hit, uintptr_t *fault)
{
	GUARD_BEGIN(fault);
	*hit = pattern_search(hay, hlen, pat);
	GUARD_END();
}
