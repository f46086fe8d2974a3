// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The device fd: open, handshake, and the three ways to attach.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "libremoteproc.h"
#include "internal.h"

/* The library's constants are the kernel's bits; keep them in step. */
_Static_assert(REMOTE_PROC_HAS_WRITE == REMOTE_PROC_FEATURE_WRITE, "feature bit");
_Static_assert(REMOTE_PROC_HAS_RW == REMOTE_PROC_FEATURE_RW, "feature bit");
_Static_assert(REMOTE_PROC_HAS_ATTACH_PID == REMOTE_PROC_FEATURE_ATTACH_PID,
	       "feature bit");
_Static_assert(REMOTE_PROC_HAS_SELF == REMOTE_PROC_FEATURE_SELF, "feature bit");
_Static_assert(REMOTE_PROC_MIRROR_WRITE == REMOTE_PROC_ATTACH_WRITE, "attach flag");

RP_EXPORT int remote_proc_dev_open(const char *path)
{
	int fd = open(path ? path : REMOTE_PROC_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

RP_EXPORT int remote_proc_dev_handshake(int dev, uint64_t want,
					struct remote_proc_dev_info *info,
					size_t size)
{
	struct remote_proc_api a = { .api = REMOTE_PROC_API, .features = want };
	struct remote_proc_dev_info out = { 0 };

	if ((info && size < RP_DEV_INFO_SIZE_VER0) || (!info && size))
		return -EINVAL;
	if (ioctl(dev, REMOTE_PROC_IOC_API, &a) < 0)
		return -errno;
	out.features = a.features;
	out.ioctls = a.ioctls;
	out.version = a.version;
	out.api = (uint32_t)REMOTE_PROC_API;
	rp_copy_out(info, size, &out, sizeof(out));
	return 0;
}

RP_EXPORT int remote_proc_open_mem(pid_t pid, unsigned int flags)
{
	char path[32];
	int fd;

	if (pid <= 0 || (flags & ~REMOTE_PROC_MIRROR_WRITE))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, (flags & REMOTE_PROC_MIRROR_WRITE ? O_RDWR : O_RDONLY) |
		  O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* A missing /proc/PID is a missing process when /proc is there. */
	if (errno == ENOENT && access("/proc/self/mem", F_OK) == 0)
		return -ESRCH;
	return -errno;
}

static int attach(int dev, struct remote_proc_attach *a)
{
	int fd = ioctl(dev, REMOTE_PROC_IOC_ATTACH, a);

	return fd < 0 ? -errno : fd;
}

RP_EXPORT int remote_proc_attach_pid(int dev, pid_t pid, unsigned int flags)
{
	struct remote_proc_attach a = {
		.flags = REMOTE_PROC_ATTACH_PID,
		.memfd = -1,
		.pid = pid,
	};

	if (pid <= 0 || (flags & ~REMOTE_PROC_MIRROR_WRITE))
		return -EINVAL;
	if (flags & REMOTE_PROC_MIRROR_WRITE)
		a.flags |= REMOTE_PROC_ATTACH_WRITE;
	return attach(dev, &a);
}

RP_EXPORT int remote_proc_attach_memfd(int dev, int memfd, unsigned int flags)
{
	struct remote_proc_attach a = { .memfd = memfd };

	if (flags & ~REMOTE_PROC_MIRROR_WRITE)
		return -EINVAL;
	if (memfd < 0)
		return -EBADF;
	if (flags & REMOTE_PROC_MIRROR_WRITE)
		a.flags |= REMOTE_PROC_ATTACH_WRITE;
	return attach(dev, &a);
}

/*
 * The pid a pidfd refers to, from the "Pid:" line of its fdinfo: -1 there
 * means the process is gone, 0 that it is outside our pid namespace.
 */
static int pidfd_pid(int pidfd, pid_t *pid)
{
	char path[64], line[256];
	int found = 0, ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT && access("/proc/self", F_OK) == 0 ?
		       -EBADF : -errno;
	while (fgets(line, sizeof(line), f)) {
		int v;

		if (sscanf(line, "Pid: %d", &v) == 1) {
			found = 1;
			*pid = v;
			break;
		}
	}
	if (ferror(f))
		ret = -EIO;
	fclose(f);
	if (ret)
		return ret;
	if (!found)
		return -EBADF;
	return *pid > 0 ? 0 : -ESRCH;
}

RP_EXPORT int remote_proc_attach_pidfd(int dev, int pidfd, unsigned int flags)
{
	pid_t pid;
	int mirror, ret;

	if (flags & ~REMOTE_PROC_MIRROR_WRITE)
		return -EINVAL;
	if (pidfd < 0)
		return -EBADF;
	ret = pidfd_pid(pidfd, &pid);
	if (ret)
		return ret;
	mirror = remote_proc_attach_pid(dev, pid, flags);
	if (mirror < 0)
		return mirror;
	/*
	 * The pid was only a name: if the pidfd's process died after we read
	 * it, the name may now belong to another process, which we may just
	 * have attached to. A pid is reused only after its process is
	 * reaped, so a process that is still there now was alive all along
	 * and is the one we attached. EPERM (we may not signal it, say
	 * CAP_SYS_PTRACE without CAP_KILL) also means it is there.
	 */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 ||
	    errno == EPERM)
		return mirror;
	ret = errno == EBADF || errno == EINVAL ? -EBADF : -ESRCH;
	close(mirror);
	return ret;
}

RP_EXPORT int remote_proc_attach(const char *dev_path, pid_t pid,
				 unsigned int flags)
{
	uint64_t want = REMOTE_PROC_HAS_ATTACH_PID;
	int dev, pidfd, ret;

	if (pid <= 0 || (flags & ~REMOTE_PROC_MIRROR_WRITE))
		return -EINVAL;
	if (flags & REMOTE_PROC_MIRROR_WRITE)
		want |= REMOTE_PROC_HAS_WRITE;
	dev = remote_proc_dev_open(dev_path);
	if (dev < 0)
		return dev;
	ret = remote_proc_dev_handshake(dev, want, NULL, 0);
	if (ret < 0)
		goto out;
	/*
	 * Through a pidfd where there is one: the pid is checked to still be
	 * the same process after the attach. Thread ids have no pidfd
	 * (EINVAL), nor have kernels before 5.3 (ENOSYS): attach by pid.
	 */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		ret = remote_proc_attach_pidfd(dev, pidfd, flags);
		close(pidfd);
	} else if (errno == ESRCH) {
		ret = -ESRCH;
	} else {
		ret = remote_proc_attach_pid(dev, pid, flags);
	}
out:
	close(dev);
	return ret;
}
