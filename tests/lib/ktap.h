/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * A small in-guest test harness that prints KTAP.
 *
 * Every test runs in its own forked child (its own process group) with a
 * timeout, so a crash, hang or leaked fd stays inside one test. A test
 * passes by returning, fails through a KT_ASSERT macro or kt_fail(), and skips only
 * through kt_skip() with a reason, which is reported as "# SKIP <reason>".
 *
 *	KT_TEST(open_close, "the device opens and closes")
 *	{
 *		int fd = open("/dev/remote-proc", O_RDWR);
 *		KT_ASSERT(fd >= 0);
 *	}
 *
 * Fixtures: KT_FIXTURE(name) { members }; KT_SETUP(name) and
 * KT_TEARDOWN(name) receive "self"; KT_TEST_F(name, test, purpose) runs
 * setup, the body and teardown (teardown also runs after a failed assert).
 */
#ifndef _REMOTE_PROC_KTAP_H
#define _REMOTE_PROC_KTAP_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct kt_test {
	const char *name;
	const char *purpose;
	void (*fn)(void);
	unsigned int timeout;		/* seconds, 0: default */
	struct kt_test *next;
};

void kt_register(struct kt_test *t);
/* Keep only the tests keep() accepts (before kt_main()). */
void kt_select(bool (*keep)(const struct kt_test *t));
void kt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void kt_skip(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void kt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kt_main(int argc, char **argv);

/* Teardown hook run in the test child when a test fails or skips. */
void kt_set_cleanup(void (*fn)(void *), void *arg);

#define KT_TEST_TIMEOUT(tname, secs, purpose_)				\
	static void kt_fn_##tname(void);				\
	static struct kt_test kt_t_##tname = {				\
		.name = #tname, .purpose = purpose_,			\
		.fn = kt_fn_##tname, .timeout = secs,			\
	};								\
	__attribute__((constructor)) static void kt_reg_##tname(void)	\
	{								\
		kt_register(&kt_t_##tname);				\
	}								\
	static void kt_fn_##tname(void)

#define KT_TEST(tname, purpose) KT_TEST_TIMEOUT(tname, 0, purpose)

#define KT_FIXTURE(fname) struct kt_fx_##fname
#define KT_SETUP(fname) static void kt_setup_##fname(struct kt_fx_##fname *self)
#define KT_TEARDOWN(fname) \
	static void kt_teardown_##fname(struct kt_fx_##fname *self)

#define KT_TEST_F_TIMEOUT(fname, tname, secs, purpose)			\
	static void kt_body_##fname##_##tname(struct kt_fx_##fname *self); \
	static void kt_td_##fname##_##tname(void *p)			\
	{								\
		kt_teardown_##fname(p);					\
	}								\
	KT_TEST_TIMEOUT(tname, secs, purpose)				\
	{								\
		static struct kt_fx_##fname fx;				\
		kt_setup_##fname(&fx);					\
		kt_set_cleanup(kt_td_##fname##_##tname, &fx);		\
		kt_body_##fname##_##tname(&fx);				\
		kt_set_cleanup(NULL, NULL);				\
		kt_teardown_##fname(&fx);				\
	}								\
	static void kt_body_##fname##_##tname(struct kt_fx_##fname *self)

#define KT_TEST_F(fname, tname, purpose) KT_TEST_F_TIMEOUT(fname, tname, 0, purpose)

#define KT_ASSERT(cond)							\
	do {								\
		if (!(cond))						\
			kt_fail(__FILE__, __LINE__, "assertion failed: %s", #cond); \
	} while (0)

#define KT_ASSERT_MSG(cond, ...)					\
	do {								\
		if (!(cond))						\
			kt_fail(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)

#define KT_ASSERT_EQ(a, b)						\
	do {								\
		long long kt_a = (long long)(a), kt_b = (long long)(b);	\
		if (kt_a != kt_b)					\
			kt_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				#a, #b, kt_a, kt_b);			\
	} while (0)

/* expr must return -1 and set errno to err. */
#define KT_ASSERT_ERRNO(expr, err)					\
	do {								\
		errno = 0;						\
		long long kt_r = (long long)(expr);			\
		int kt_e = errno;					\
		if (kt_r != -1 || kt_e != (err))			\
			kt_fail(__FILE__, __LINE__,			\
				"%s: expected -1/%s, got %lld/%s", #expr, \
				strerrorname_np(err) ?: "?", kt_r,	\
				kt_e ? (strerrorname_np(kt_e) ?: "?") : "0"); \
	} while (0)

/* expr must not return -1. */
#define KT_ASSERT_OK(expr)						\
	do {								\
		errno = 0;						\
		long long kt_r = (long long)(expr);			\
		if (kt_r == -1)						\
			kt_fail(__FILE__, __LINE__, "%s failed: %s", #expr, \
				strerror(errno));			\
	} while (0)

/* Helpers shared by the test programs. */
uint64_t kt_now_ns(void);
/* Run fn(arg) in a child; returns its wait status. */
int kt_run_child(void (*fn)(void *), void *arg);
/* The signal a call of fn(arg) in a child dies from, 0 if it exits. */
int kt_child_signal(void (*fn)(void *), void *arg);
/* Seconds for stress tests: RP_STRESS_SECONDS or the given default. */
unsigned int kt_stress_seconds(unsigned int dflt);

#endif /* _REMOTE_PROC_KTAP_H */
