// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktap.h"
#include "rpt.h"

static struct kmod_module *get_mod(struct kmod_ctx **ctxp)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;

	ctx = kmod_new(NULL, NULL);
	KT_ASSERT_MSG(ctx, "kmod_new failed");
	kmod_set_log_priority(ctx, 2);	/* LOG_CRIT: callers report errors */
	KT_ASSERT_MSG(kmod_module_new_from_name(ctx, RPT_MODULE, &mod) == 0,
		      "kmod_module_new_from_name(%s) failed", RPT_MODULE);
	*ctxp = ctx;
	return mod;
}

static void put_mod(struct kmod_ctx *ctx, struct kmod_module *mod)
{
	kmod_module_unref(mod);
	kmod_unref(ctx);
}

int rpt_modprobe(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	put_mod(ctx, mod);
	return ret > 0 ? -EINVAL : ret;
}

int rpt_rmmod(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_remove_module(mod, 0);
	put_mod(ctx, mod);
	return ret;
}

bool rpt_module_live(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	bool live;

	live = kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE;
	put_mod(ctx, mod);
	return live;
}

int rpt_module_refcnt(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_get_refcnt(mod);
	put_mod(ctx, mod);
	return ret;
}

const char *rpt_module_path(void)
{
	static char path[512];
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	const char *p = kmod_module_get_path(mod);

	KT_ASSERT_MSG(p, "libkmod does not know where %s is installed", RPT_MODULE);
	snprintf(path, sizeof(path), "%s", p);
	put_mod(ctx, mod);
	return path;
}

void rpt_need_module(void)
{
	int ret;

	if (rpt_module_live())
		return;
	ret = rpt_modprobe();
	KT_ASSERT_MSG(ret == 0, "modprobe %s: %s", RPT_MODULE, strerror(-ret));
}

int rpt_open_dev(void)
{
	int fd;

	rpt_need_module();
	fd = open(RPT_DEV, O_RDWR | O_CLOEXEC);
	KT_ASSERT_MSG(fd >= 0, "open %s: %s", RPT_DEV, strerror(errno));
	return fd;
}

#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <linux/remote_proc.h>

int rpt_dev(void)
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API };
	int fd = rpt_open_dev();

	KT_ASSERT_MSG(ioctl(fd, REMOTE_PROC_IOC_API, &a) == 0,
		      "handshake: %s", strerror(errno));
	return fd;
}

int rpt_attach_pid(int dev, pid_t pid, unsigned int flags)
{
	struct remote_proc_attach a = {
		.flags = flags | REMOTE_PROC_ATTACH_PID,
		.memfd = -1,
		.pid = pid,
	};
	int fd = ioctl(dev, REMOTE_PROC_IOC_ATTACH, &a);

	return fd < 0 ? -errno : fd;
}

int rpt_attach_memfd(int dev, int memfd, unsigned int flags)
{
	struct remote_proc_attach a = { .flags = flags, .memfd = memfd };
	int fd = ioctl(dev, REMOTE_PROC_IOC_ATTACH, &a);

	return fd < 0 ? -errno : fd;
}

int rpt_open_mem(pid_t pid, int oflags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, oflags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void *rpt_map(int mirror, uint64_t taddr, size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_SHARED, mirror, (off_t)taddr);
}

/* volatile: the store must not move past the probing access. */
static __thread sigjmp_buf *volatile probe_env;

static void probe_handler(int sig)
{
	if (probe_env)
		siglongjmp(*probe_env, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void probe_install(void)
{
	static bool done;
	struct sigaction sa = { .sa_handler = probe_handler, .sa_flags = SA_NODEFER };

	if (done)
		return;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	done = true;
}

/*
 * Run one access with the SIGBUS/SIGSEGV probe armed: 0, or the signal it
 * raised. A macro: sigsetjmp() must be in the frame that does the access.
 */
#define PROBE(access) ({					\
	sigjmp_buf env_;					\
	int sig_;						\
								\
	probe_install();					\
	sig_ = sigsetjmp(env_, 1);				\
	if (!sig_) {						\
		probe_env = &env_;				\
		__asm__ volatile("" ::: "memory");		\
		access;						\
		__asm__ volatile("" ::: "memory");		\
	}							\
	probe_env = NULL;					\
	sig_;							\
})

int rpt_try_load(const volatile void *p, uint64_t *val)
{
	return PROBE(*val = *(const volatile uint64_t *)p);
}

int rpt_try_store(volatile void *p, uint64_t val)
{
	return PROBE(*(volatile uint64_t *)p = val);
}

int rpt_try_copy(void *dst, const volatile void *src, size_t len)
{
	return PROBE(memcpy(dst, (const void *)src, len));
}

uint64_t rpt_load(const volatile void *p)
{
	uint64_t v = 0;
	int sig = rpt_try_load(p, &v);

	KT_ASSERT_MSG(!sig, "load at %p raised %s", (void *)p, sigabbrev_np(sig));
	return v;
}

uint64_t rpt_pfn(pid_t pid, uint64_t addr)
{
	char path[64];
	uint64_t e = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &e, 8, (addr / 4096) * 8), 8);
	close(fd);
	return (e >> 63) ? (e & ((1ull << 55) - 1)) : 0;
}

int rpt_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

long long rpt_read_ll(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

const char *rpt_kernel_release(void)
{
	static struct utsname u;

	uname(&u);
	return u.release;
}

void rpt_send_fd(int sock, int fd)
{
	char c = 'f', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	KT_ASSERT_EQ(sendmsg(sock, &msg, 0), 1);
}

int rpt_recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	KT_ASSERT_EQ(recvmsg(sock, &msg, 0), 1);
	cm = CMSG_FIRSTHDR(&msg);
	KT_ASSERT(cm && cm->cmsg_type == SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

#define RPT_STATS "/sys/kernel/debug/remote_proc/stats"

uint64_t rpt_stat(const char *name)
{
	char line[128];
	uint64_t v = 0;
	FILE *f = fopen(RPT_STATS, "r");

	KT_ASSERT_MSG(f, "no %s", RPT_STATS);
	while (fgets(line, sizeof(line), f)) {
		char key[64];
		unsigned long long n;

		if (sscanf(line, "%63s %llu", key, &n) == 2 && !strcmp(key, name))
			v = n;
	}
	fclose(f);
	return v;
}

void rpt_stats_reset(void)
{
	KT_ASSERT_EQ(rpt_write_file(RPT_STATS, "0"), 0);
}

/* Every feature the module on dev supports. */
uint64_t rpt_features(int dev)
{
	struct remote_proc_api api = { .api = REMOTE_PROC_API };

	KT_ASSERT_OK(ioctl(dev, REMOTE_PROC_IOC_API, &api));
	return api.features;
}

bool rpt_have_pmd(int dev)
{
	return rpt_features(dev) & REMOTE_PROC_FEATURE_PMD;
}

uint64_t rpt_kpageflags(pid_t pid, uint64_t addr)
{
	uint64_t pfn = rpt_pfn(pid, addr), flags = 0;
	int fd;

	if (!pfn)
		return 0;
	fd = open("/proc/kpageflags", O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(pread(fd, &flags, 8, pfn * 8), 8);
	close(fd);
	return flags;
}

bool rpt_is_thp(pid_t pid, uint64_t addr)
{
	return rpt_kpageflags(pid, addr) & (1ull << 22);	/* KPF_THP */
}

bool rpt_is_huge_zero(pid_t pid, uint64_t addr)
{
	uint64_t f = rpt_kpageflags(pid, addr);

	return (f & (1ull << 22)) && (f & (1ull << 24));	/* KPF_THP, KPF_ZERO_PAGE */
}

/*
 * Count kernel log lines containing needle after a marker line. The
 * kernel's own one-time taint notices for an out-of-tree, unsigned module
 * carry the module name too; they are not the module's output.
 */
int rpt_kmsg_count_after(const char *marker, const char *needle)
{
	char buf[2048];
	bool seen = false;
	int fd, count = 0;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	KT_ASSERT_MSG(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		buf[n] = 0;
		if (strstr(buf, marker))
			seen = true;
		else if (seen && strstr(buf, needle) && !strstr(buf, "taint"))
			count++;
	}
	close(fd);
	KT_ASSERT_MSG(seen, "marker not found in /dev/kmsg");
	return count;
}

bool rpt_kernel_at_least(unsigned int want_major, unsigned int want_minor)
{
	unsigned int major = 0, minor = 0;

	sscanf(rpt_kernel_release(), "%u.%u", &major, &minor);
	return major > want_major || (major == want_major && minor >= want_minor);
}
