// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * process_vm_readv(2) over a mirror fd: each remote range is one or more
 * preadv(2) calls at its address, into the local buffers it lines up with.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/uio.h>

#include "libremoteproc.h"
#include "internal.h"

#define BATCH 64

static int check(const struct iovec *v, unsigned long n)
{
	size_t sum = 0;

	if (n > IOV_MAX || (n && !v))
		return -EINVAL;
	for (unsigned long i = 0; i < n; i++) {
		if (v[i].iov_len > SSIZE_MAX - sum)
			return -EINVAL;
		sum += v[i].iov_len;
	}
	return 0;
}

RP_EXPORT ssize_t remote_proc_readv(int mirror, const struct iovec *local,
				    unsigned long liovcnt,
				    const struct iovec *remote,
				    unsigned long riovcnt, unsigned long flags)
{
	unsigned long li = 0, ri;
	size_t loff = 0, total = 0;
	int err = 0;

	if (flags || check(local, liovcnt) || check(remote, riovcnt))
		return -EINVAL;
	for (ri = 0; ri < riovcnt; ri++) {
		uint64_t addr = (uintptr_t)remote[ri].iov_base;
		size_t rlen = remote[ri].iov_len, rdone = 0;

		while (rdone < rlen) {
			struct iovec vec[BATCH];
			size_t want = 0, got;
			unsigned long j = li;
			size_t off = loff;
			uint64_t pos = addr + rdone;
			ssize_t n;
			int nv = 0;

			for (; j < liovcnt && nv < BATCH && want < rlen - rdone; j++, off = 0) {
				size_t l = local[j].iov_len - off;

				if (!l)
					continue;
				if (l > rlen - rdone - want)
					l = rlen - rdone - want;
				vec[nv].iov_base = (char *)local[j].iov_base + off;
				vec[nv].iov_len = l;
				nv++;
				want += l;
			}
			if (!nv)
				goto out;	/* the local buffers are full */
			if (pos < addr || pos > (uint64_t)INT64_MAX) {
				err = -EINVAL;
				goto out;
			}
			n = preadv(mirror, vec, nv, (off_t)pos);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				/* End of file is a target that has gone. */
				err = n ? -errno : -ESRCH;
				goto out;
			}
			got = (size_t)n;
			total += got;
			rdone += got;
			/* Move the local position on by what was read. */
			while (got) {
				size_t l = local[li].iov_len - loff;

				if (got < l) {
					loff += got;
					break;
				}
				got -= l;
				li++;
				loff = 0;
			}
			while (li < liovcnt && local[li].iov_len == loff) {
				li++;
				loff = 0;
			}
		}
	}
out:
	return total ? (ssize_t)total : err;
}
