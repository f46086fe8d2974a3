/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libremoteproc - userspace library for /dev/remote-proc
 *
 * A process (the caller) opens the device, negotiates the API, and
 * attaches to another process (the target). Attaching returns a mirror fd
 * whose file offset X is the target's virtual address X: map it to see the
 * target's memory with no copies, or pread/pwrite it like /proc/PID/mem.
 * uapi/linux/remote_proc.h is the kernel ABI behind this library; this
 * header does not need it.
 *
 *	int dev = remote_proc_dev_open(NULL);
 *	remote_proc_dev_handshake(dev, 0, NULL, 0);
 *	int mirror = remote_proc_attach_pid(dev, pid, REMOTE_PROC_MIRROR_WRITE);
 *	close(dev);				(the mirror does not need it)
 *	uint64_t *p;
 *	remote_proc_map(mirror, addr, 8, PROT_READ | PROT_WRITE, 0, (void **)&p);
 *	*p = 42;				(lands in the target's page)
 *	remote_proc_unmap(p, 8);
 *
 * Conventions
 * -----------
 * Every call returns a non-negative value on success and a negative errno
 * on failure (never -1 with errno set; errno's value afterwards is
 * unspecified). The library keeps no state of
 * its own: the caller holds the fds. Device and mirror fds are
 * close-on-exec. Accesses through a mapping of a mirror raise SIGBUS where
 * the target has nothing readable (or writable, for stores); handling that
 * signal is the caller's business, the library installs no handlers.
 *
 * Compatibility
 * -------------
 * Symbols are versioned (LIBREMOTEPROC_1); the soname is
 * libremoteproc.so.1. New calls (the views and windows of a later kernel
 * API) get a new version node; existing calls keep their behaviour.
 * Structs filled by the library are passed with their size (the caller's
 * sizeof): the library fills what both sides know and zeroes the rest, so
 * structs may grow at the end without breaking either side. Flag arguments
 * reject unknown bits with -EINVAL.
 */
#ifndef _LIBREMOTEPROC_H
#define _LIBREMOTEPROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBREMOTEPROC_VERSION_MAJOR	1
#define LIBREMOTEPROC_VERSION_MINOR	0
#define LIBREMOTEPROC_VERSION_PATCH	0

/* Where the device node lives unless the caller says otherwise. */
#define REMOTE_PROC_DEV_PATH		"/dev/remote-proc"

/*
 * Module features (struct remote_proc_dev_info.features; the "want"
 * argument of remote_proc_dev_handshake()). Same bits as the kernel's.
 * WRITE:      writable mirrors (REMOTE_PROC_MIRROR_WRITE).
 * RW:         remote_proc_pread()/remote_proc_pwrite() on mirrors.
 * ATTACH_PID: remote_proc_attach_pid() and remote_proc_attach_pidfd().
 * SELF:       a process may attach to itself.
 */
#define REMOTE_PROC_HAS_WRITE		(1ULL << 0)
#define REMOTE_PROC_HAS_RW		(1ULL << 1)
#define REMOTE_PROC_HAS_ATTACH_PID	(1ULL << 2)
#define REMOTE_PROC_HAS_SELF		(1ULL << 3)

/* Attach flag: a writable mirror (can be mapped PROT_WRITE and written). */
#define REMOTE_PROC_MIRROR_WRITE	0x1U

/* struct remote_proc_mirror_info.flags */
#define REMOTE_PROC_MIRROR_WRITABLE	(1ULL << 0)	/* attached for writing */
#define REMOTE_PROC_MIRROR_DEAD		(1ULL << 1)	/* target exited or exec'd */

/**
 * struct remote_proc_dev_info - what a handshake learned about the module
 * @features: every feature the module supports (REMOTE_PROC_HAS_*).
 * @ioctls:   bit N set for each supported ioctl number N.
 * @version:  module version, (major << 16) | (minor << 8) | patch.
 * @api:      the API level negotiated (1).
 */
struct remote_proc_dev_info {
	uint64_t features;
	uint64_t ioctls;
	uint32_t version;
	uint32_t api;
};

/**
 * struct remote_proc_mirror_info - the state of a mirror
 * @flags:  REMOTE_PROC_MIRROR_WRITABLE, REMOTE_PROC_MIRROR_DEAD.
 * @size:   size of the mirror's offset space: the highest target user
 *          address plus one. Ranges past it cannot be mapped.
 * @pid:    the target's pid in the caller's pid namespace, 0 when it is
 *          not visible there or has been reaped.
 * @__reserved: zero.
 */
struct remote_proc_mirror_info {
	uint64_t flags;
	uint64_t size;
	int32_t pid;
	uint32_t __reserved;
};

/**
 * remote_proc_lib_version() - version of the library that is running
 *
 * Return: a static string such as "1.0.0" (never fails).
 */
const char *remote_proc_lib_version(void);

/**
 * remote_proc_dev_open() - open the remote-proc device
 * @path: device node, or NULL for REMOTE_PROC_DEV_PATH.
 *
 * Opens the node O_RDWR | O_CLOEXEC. The fd must pass a handshake
 * (remote_proc_dev_handshake()) before it can attach. Close it with
 * close(2); mirrors made from it stay valid.
 *
 * Return: the device fd, or a negative errno:
 * -ENOENT the node does not exist: the kernel module is not loaded
 * (modprobe remote_proc) or no devtmpfs/udev created it;
 * -EACCES no permission on the node (it is usually root only, or the
 * group the packaging's udev rule names);
 * -ENODEV/-ENXIO the node exists but no driver is behind it;
 * -EMFILE, -ENFILE, -ENOMEM resource limits.
 */
int remote_proc_dev_open(const char *path);

/**
 * remote_proc_dev_handshake() - negotiate the API on a device fd
 * @dev:  fd from remote_proc_dev_open().
 * @want: features the caller needs (REMOTE_PROC_HAS_*), 0 for none.
 * @info: out, may be NULL: what the module supports.
 * @size: sizeof(*info) as the caller knows it, 0 when @info is NULL.
 *
 * May be repeated. Asking for a feature the module lacks fails and leaves
 * the previous negotiation in place.
 *
 * Return: 0, or a negative errno:
 * -EINVAL the module lacks a wanted feature, speaks another API, or @size
 * is smaller than the first version of the struct (but not 0) or @info is
 * NULL with a non-zero @size;
 * -ENOTTY @dev is not a remote-proc device;
 * -EBADF @dev is not an open fd.
 */
int remote_proc_dev_handshake(int dev, uint64_t want,
			      struct remote_proc_dev_info *info, size_t size);

/**
 * remote_proc_open_mem() - open /proc/PID/mem for remote_proc_attach_memfd()
 * @pid:   the target.
 * @flags: 0 for a read-only mem fd, REMOTE_PROC_MIRROR_WRITE for O_RDWR.
 *
 * The open runs the kernel's ptrace-attach check with the caller's
 * credentials, now: a mem fd can be opened with privileges that are
 * dropped before attaching, or handed to another process.
 *
 * Return: the mem fd (close-on-exec), or a negative errno: -ESRCH no such
 * process; -ENOENT /proc is not mounted; -EACCES the ptrace check failed;
 * -EINVAL unknown @flags or @pid <= 0.
 */
int remote_proc_open_mem(pid_t pid, unsigned int flags);

/**
 * remote_proc_attach_pid() - attach to a process by pid
 * @dev:   a device fd that passed a handshake.
 * @pid:   target pid in the caller's pid namespace (the caller may be the
 *         target when the module has REMOTE_PROC_HAS_SELF).
 * @flags: 0, or REMOTE_PROC_MIRROR_WRITE for a writable mirror.
 *
 * The module opens /proc/@pid/mem with the caller's credentials, so
 * attaching needs exactly what opening that file needs.
 *
 * Return: the mirror fd (close-on-exec), or a negative errno:
 * -ESRCH no such process, or a kernel thread, zombie or exiting process;
 * -EACCES the ptrace-attach check of /proc/PID/mem failed (another uid, a
 * setuid or non-dumpable target, Yama ptrace_scope, an LSM);
 * -EINVAL unknown @flags or @pid <= 0;
 * -EBADFD no handshake on @dev; -ENOTTY @dev is not the device;
 * -EINTR a fatal signal arrived; -EMFILE, -ENFILE, -ENOMEM.
 */
int remote_proc_attach_pid(int dev, pid_t pid, unsigned int flags);

/**
 * remote_proc_attach_memfd() - attach with a /proc/PID/mem fd
 * @dev:   a device fd that passed a handshake.
 * @memfd: an open /proc/PID/mem fd (it stays the caller's; close it when
 *         done, the mirror keeps what it needs).
 * @flags: 0, or REMOTE_PROC_MIRROR_WRITE (@memfd must be open O_RDWR).
 *
 * Return: the mirror fd, or a negative errno: -EBADF @memfd is not open
 * or not a /proc/PID/mem file; -EACCES a writable mirror was asked for
 * and @memfd is read-only; -ESRCH the process has exited or exec'd since
 * @memfd was opened; and the errors of remote_proc_attach_pid().
 */
int remote_proc_attach_memfd(int dev, int memfd, unsigned int flags);

/**
 * remote_proc_attach_pidfd() - attach to the process a pidfd refers to
 * @dev:   a device fd that passed a handshake.
 * @pidfd: a pidfd (pidfd_open(2), clone(CLONE_PIDFD)).
 * @flags: 0, or REMOTE_PROC_MIRROR_WRITE.
 *
 * The pid is read from /proc/self/fdinfo/@pidfd and attached by pid; then
 * the pidfd is checked to still refer to a live process
 * (pidfd_send_signal() with signal 0 succeeds, or fails only with EPERM,
 * which needs a live process too). If it does not,
 * the pid may have been reused by another process between the two steps,
 * so the new mirror is closed and -ESRCH returned: a success always
 * mirrors the process of @pidfd.
 *
 * Return: the mirror fd, or a negative errno: -EBADF @pidfd is not a
 * pidfd; -ESRCH the process has exited (or is not visible in the
 * caller's pid namespace); -ENOENT /proc is not mounted; and the errors
 * of remote_proc_attach_pid().
 */
int remote_proc_attach_pidfd(int dev, int pidfd, unsigned int flags);

/**
 * remote_proc_mirror_query() - state of a mirror
 * @mirror: a mirror fd.
 * @info:   out: flags, offset-space size and target pid.
 * @size:   sizeof(*info) as the caller knows it.
 *
 * Return: 0, or a negative errno: -ENOTTY @mirror is not a mirror fd;
 * -EBADF not an open fd; -EINVAL @info is NULL or @size too small.
 */
int remote_proc_mirror_query(int mirror, struct remote_proc_mirror_info *info,
			     size_t size);

/**
 * remote_proc_map() - map target memory into the caller
 * @mirror: a mirror fd.
 * @addr:   target address of the first byte; need not be page aligned.
 * @len:    bytes wanted, > 0.
 * @prot:   PROT_READ, optionally | PROT_WRITE (writable mirrors only).
 * @flags:  0 (reserved for later use).
 * @ptr:    out: where the byte at @addr appears in the caller.
 *
 * Maps the pages covering [@addr, @addr + @len) MAP_SHARED; *@ptr points
 * into the first page at @addr's offset. Loads and stores through it
 * reach the target's current pages; holes, PROT_NONE and device memory
 * of the target, and a dead target, raise SIGBUS on access.
 *
 * Return: 0, or a negative errno: -EINVAL @len is 0, unknown @flags or
 * @prot bits; -EACCES PROT_WRITE on a read-only mirror; -ENXIO the range
 * goes past the target's address space; -ENODEV @mirror cannot be mapped
 * (not a mirror); -EBADF not an open fd; -ENOMEM.
 */
int remote_proc_map(int mirror, uint64_t addr, size_t len, int prot,
		    unsigned int flags, void **ptr);

/**
 * remote_proc_unmap() - undo remote_proc_map()
 * @ptr: the pointer remote_proc_map() returned.
 * @len: the length given to remote_proc_map().
 *
 * Return: 0, or -EINVAL when @ptr/@len cannot be a mapping.
 */
int remote_proc_unmap(void *ptr, size_t len);

/**
 * remote_proc_pread() - copy target memory into a buffer
 * @mirror: a mirror fd.
 * @addr:   target address.
 * @buf:    destination.
 * @len:    bytes to read.
 *
 * Reads like pread(2) on /proc/PID/mem (forced access follows the
 * kernel's proc_mem.force_override policy), retrying short counts and
 * EINTR until @len bytes are done or the target's memory stops being
 * readable.
 *
 * Return: @len; or fewer bytes when the range runs into an address that
 * cannot be read (the bytes before it were read; a call at @addr + the
 * count tells why); or a negative errno: -EIO nothing is readable at
 * @addr (a hole, or memory even forced access cannot read); -ESRCH the
 * target has exited
 * or exec'd; -EINVAL @addr is past the largest file offset; -EBADF.
 */
ssize_t remote_proc_pread(int mirror, uint64_t addr, void *buf, size_t len);

/**
 * remote_proc_pwrite() - copy a buffer into target memory
 * @mirror: a writable mirror fd.
 * @addr:   target address.
 * @buf:    source.
 * @len:    bytes to write.
 *
 * Writes like pwrite(2) on /proc/PID/mem, retrying short counts and EINTR.
 *
 * Return: as for remote_proc_pread(); -EBADF also when @mirror is
 * read-only; -EIO nothing is writable at @addr.
 */
ssize_t remote_proc_pwrite(int mirror, uint64_t addr, const void *buf,
			   size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _LIBREMOTEPROC_H */
