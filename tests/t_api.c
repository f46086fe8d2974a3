// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The ioctl ABI: handshake, size-extensible structs, flag and reserved
 * field checks, ENOTTY for unknown ioctls.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

/* An ioctl number for REMOTE_PROC ioctl nr with another struct size. */
#define RESIZED(cmd, size) _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size)

static int api(int fd, struct remote_proc_api *a)
{
	return ioctl(fd, REMOTE_PROC_IOC_API, a);
}

KT_TEST(handshake, "the handshake reports the API's features, ioctls and version")
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API };
	int fd = rpt_open_dev();

	KT_ASSERT_OK(api(fd, &a));
	KT_ASSERT_EQ(a.api, REMOTE_PROC_API);
	KT_ASSERT(a.features & REMOTE_PROC_FEATURE_WRITE);
	KT_ASSERT(a.features & REMOTE_PROC_FEATURE_RW);
	KT_ASSERT(a.features & REMOTE_PROC_FEATURE_ATTACH_PID);
	KT_ASSERT(a.features & REMOTE_PROC_FEATURE_SELF);
	KT_ASSERT(a.features & REMOTE_PROC_FEATURE_VIEWS);
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_API));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_ATTACH));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_QUERY));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_VIEW_CREATE));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_MAP));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_UNMAP));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_LOCK));
	KT_ASSERT(a.ioctls & (1ull << _REMOTE_PROC_IOC_ACCESS_FD));
	KT_ASSERT_EQ(a.version >> 16, 0);
	KT_ASSERT(a.version != 0);
	close(fd);
}

KT_TEST(handshake_wanted_features, "wanting supported features works; wanting an unknown one fails with EINVAL")
{
	struct remote_proc_api a = {
		.api = REMOTE_PROC_API,
		.features = REMOTE_PROC_FEATURE_WRITE | REMOTE_PROC_FEATURE_RW,
	};
	int fd = rpt_open_dev();

	KT_ASSERT_OK(api(fd, &a));
	a.features = 1ull << 63;
	KT_ASSERT_ERRNO(api(fd, &a), EINVAL);
	close(fd);
}

KT_TEST(handshake_bad_api, "an unknown API value or a non-zero reserved field fails with EINVAL")
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API + 1 };
	int fd = rpt_open_dev();

	KT_ASSERT_ERRNO(api(fd, &a), EINVAL);
	a.api = 0;
	KT_ASSERT_ERRNO(api(fd, &a), EINVAL);
	a.api = REMOTE_PROC_API;
	a.__reserved0 = 1;
	KT_ASSERT_ERRNO(api(fd, &a), EINVAL);
	close(fd);
}

KT_TEST(attach_needs_handshake, "ATTACH fails with EBADFD until a handshake succeeded, also after a failed one")
{
	struct remote_proc_attach at = { .flags = REMOTE_PROC_ATTACH_PID, .memfd = -1,
					 .pid = getpid() };
	struct remote_proc_api a = { .api = 7 };
	int fd = rpt_open_dev(), m;

	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EBADFD);
	KT_ASSERT_ERRNO(api(fd, &a), EINVAL);
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EBADFD);
	a.api = REMOTE_PROC_API;
	KT_ASSERT_OK(api(fd, &a));
	m = ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at);
	KT_ASSERT(m >= 0);
	close(m);
	close(fd);
}

KT_TEST(handshake_repeatable, "the handshake may be repeated on the same fd")
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API };
	int fd = rpt_open_dev();

	KT_ASSERT_OK(api(fd, &a));
	a.features = 0;
	KT_ASSERT_OK(api(fd, &a));
	close(fd);
}

KT_TEST(struct_size_short, "a struct shorter than its first version fails with EINVAL")
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API };
	int fd = rpt_open_dev();

	KT_ASSERT_ERRNO(ioctl(fd, RESIZED(REMOTE_PROC_IOC_API, 16), &a), EINVAL);
	close(fd);
}

KT_TEST(struct_size_longer, "a longer struct works with a zero tail and fails with E2BIG otherwise")
{
	struct {
		struct remote_proc_api a;
		uint64_t tail[4];
	} big = { .a = { .api = REMOTE_PROC_API } };
	unsigned long cmd = RESIZED(REMOTE_PROC_IOC_API, sizeof(big));
	int fd = rpt_open_dev();

	KT_ASSERT_OK(ioctl(fd, cmd, &big));
	KT_ASSERT(big.a.ioctls != 0);
	KT_ASSERT_EQ(big.tail[0], 0);
	big.a.features = 0;
	big.tail[3] = 1;
	KT_ASSERT_ERRNO(ioctl(fd, cmd, &big), E2BIG);
	close(fd);
}

KT_TEST(struct_bad_pointer, "a bad argument pointer fails with EFAULT")
{
	int fd = rpt_open_dev();

	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_API, (void *)8), EFAULT);
	close(fd);
}

KT_TEST(unknown_ioctls, "unknown numbers, directions and types fail with ENOTTY, on both fd kinds")
{
	int fd = rpt_dev(), m;

	KT_ASSERT_ERRNO(ioctl(fd, _IOWR(REMOTE_PROC_IOC_TYPE, 0x3f, uint64_t), 0), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(fd, _IOR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_API,
				     struct remote_proc_api), 0), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(fd, _IOWR('x', _REMOTE_PROC_IOC_API, struct remote_proc_api), 0),
			ENOTTY);
	/* QUERY belongs to mirror fds. */
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_QUERY, 0), ENOTTY);
	m = rpt_attach_pid(fd, getpid(), 0);
	KT_ASSERT(m >= 0);
	KT_ASSERT_ERRNO(ioctl(m, REMOTE_PROC_IOC_API, 0), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(m, _IO('x', 1)), ENOTTY);
	KT_ASSERT_ERRNO(ioctl(m, FIONREAD, 0), ENOTTY);
	close(m);
	close(fd);
}

KT_TEST(attach_bad_flags, "unknown ATTACH flags and non-zero reserved fields fail with EINVAL")
{
	struct remote_proc_attach at = { .flags = REMOTE_PROC_ATTACH_PID, .memfd = -1,
					 .pid = getpid() };
	int fd = rpt_dev();

	at.flags |= 1u << 31;
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	at.flags = REMOTE_PROC_ATTACH_PID;
	at.__reserved0 = 1;
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	at.__reserved0 = 0;
	at.__reserved1[1] = 1;
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	close(fd);
}

KT_TEST(attach_bad_mode_fields, "pid and memfd must match the attach mode (EINVAL otherwise)")
{
	struct remote_proc_attach at = { .flags = REMOTE_PROC_ATTACH_PID, .memfd = 3,
					 .pid = getpid() };
	int fd = rpt_dev();

	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	at.memfd = -1;
	at.pid = 0;
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	at.pid = -5;
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	at.flags = 0;
	at.memfd = rpt_open_mem(getpid(), O_RDONLY);
	at.pid = getpid();
	KT_ASSERT_ERRNO(ioctl(fd, REMOTE_PROC_IOC_ATTACH, &at), EINVAL);
	close(fd);
}

KT_TEST(query_sizes, "QUERY fills what fits in a larger struct; one shorter than its first version fails with EINVAL")
{
	struct {
		struct remote_proc_query q;
		uint64_t tail;
	} big;
	int fd = rpt_dev(), m;

	m = rpt_attach_pid(fd, getpid(), 0);
	KT_ASSERT(m >= 0);
	memset(&big, 0xff, sizeof(big));
	KT_ASSERT_OK(ioctl(m, _IOC(_IOC_READ, REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_QUERY,
				   sizeof(big)), &big));
	KT_ASSERT_EQ(big.q.pid, getpid());
	KT_ASSERT_EQ(big.tail, UINT64_MAX);	/* untouched */
	KT_ASSERT_ERRNO(ioctl(m, _IOC(_IOC_READ, REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_QUERY,
				      8), &big), EINVAL);
	close(m);
	close(fd);
}
