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
 * Views (since 1.1) lend memory without lending anything else. The owner
 * creates a view (a control fd), an offset space made of windows: ranges
 * of its own memory (a memfd, a tmpfs or regular file it maps, its heap)
 * or of an attached target, each with read/write/exec rights. It hands
 * out access fds, over a unix socket (SCM_RIGHTS) say, which support only
 * mmap, read/write and poll: a consumer maps the view, and the owner can
 * revoke any window at any time. After remote_proc_view_unmap() returns,
 * no consumer can reach those pages any more (SIGBUS), and
 * remote_proc_view_wait() reports the revocation to each consumer.
 *
 *	int ctl = remote_proc_view_create(dev, 1 << 20);
 *	void *local;
 *	remote_proc_view_map_fd(ctl, 0, memfd, 0, 65536, PROT_READ, &local);
 *	int acc = remote_proc_view_access(ctl, 0);	(send it to a consumer)
 *	...
 *	remote_proc_view_unmap(ctl, 0, 65536);		(revoked everywhere)
 *	remote_proc_unmap(local, 65536);
 *
 * Conventions
 * -----------
 * Every call returns a non-negative value on success and a negative errno
 * on failure (never -1 with errno set; errno's value afterwards is
 * unspecified). The library keeps no state of
 * its own: the caller holds the fds. Device and mirror fds are
 * close-on-exec. Accesses through a mapping of a mirror raise SIGBUS where
 * the target has nothing readable (or writable, for stores); handling that
 * signal is the caller's business: the library installs no handlers,
 * except for the SIGBUS-safe helpers of 1.3 (remote_proc_guard() says how).
 *
 * Threads
 * -------
 * Every call is thread-safe: the library has no global or per-thread
 * state and no locks, except the SIGBUS-safe helpers of 1.3 (a
 * process-wide handler, per-thread armed state: see remote_proc_guard()). Any number of threads may use one device,
 * mirror, view or access fd at the same time; the kernel serialises what
 * needs it. As with mmap(2) and close(2), a thread that unmaps a range or
 * closes an fd another thread is still using decides that thread's fate
 * (SIGBUS, or EBADF and fd reuse): that ordering is the caller's.
 * Calls are not async-signal-safe (remote_proc_attach_pidfd() reads
 * /proc with stdio); loads and stores through a mapping are plain memory
 * accesses and may be made anywhere.
 *
 * Compatibility
 * -------------
 * Symbols are versioned; the soname is libremoteproc.so.1. The calls of
 * release 1.0 are in the version node LIBREMOTEPROC_1; the calls added in
 * 1.1 (views, windows, revocation, populate) are in LIBREMOTEPROC_1.1,
 * remote_proc_lib_version_number() (1.2) in LIBREMOTEPROC_1.2, the
 * helpers of 1.3 (remote_proc_attach(), the maps walk, the SIGBUS-safe
 * accesses, remote_proc_readv()) in LIBREMOTEPROC_1.3, so a
 * program that uses them does not load against an older library. Existing
 * calls keep their behaviour; new flags of existing calls are marked
 * "since 1.1" and are refused with -EINVAL by a 1.0 library.
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

/*
 * Versions are compared as numbers: REMOTE_PROC_VERSION(major, minor, patch)
 * is (major << 16) | (minor << 8) | patch, the encoding of both the
 * library's version (LIBREMOTEPROC_VERSION_NUMBER at build time,
 * remote_proc_lib_version_number() at run time) and the module's
 * (struct remote_proc_dev_info.version). The library's version is that of
 * its interface: the major number is the soname's, the minor number grows
 * with each set of added calls (one symbol version node each), the patch
 * number with fixes. The module, the command and the packages carry the
 * project's release number (remote-proc 0.1.0), which says nothing about
 * the library's interface.
 */
#define REMOTE_PROC_VERSION(major, minor, patch) \
	(((uint32_t)(major) << 16) | ((uint32_t)(minor) << 8) | (uint32_t)(patch))

#define LIBREMOTEPROC_VERSION_MAJOR	1
#define LIBREMOTEPROC_VERSION_MINOR	3
#define LIBREMOTEPROC_VERSION_PATCH	0
#define LIBREMOTEPROC_VERSION_NUMBER					\
	REMOTE_PROC_VERSION(LIBREMOTEPROC_VERSION_MAJOR,		\
			    LIBREMOTEPROC_VERSION_MINOR,		\
			    LIBREMOTEPROC_VERSION_PATCH)

/* Where the device node lives unless the caller says otherwise. */
#define REMOTE_PROC_DEV_PATH		"/dev/remote-proc"

/*
 * Module features (struct remote_proc_dev_info.features; the "want"
 * argument of remote_proc_dev_handshake()). Same bits as the kernel's.
 * WRITE:      writable mirrors (REMOTE_PROC_MIRROR_WRITE).
 * RW:         remote_proc_pread()/remote_proc_pwrite() on mirrors.
 * ATTACH_PID: remote_proc_attach_pid() and remote_proc_attach_pidfd().
 * SELF:       a process may attach to itself.
 * VIEWS:      views, windows and revocation (the remote_proc_view_*()
 *             calls; poll() events on access and mirror fds).
 * POPULATE:   remote_proc_populate() and REMOTE_PROC_MMAP_POPULATE; a
 *             fault also maps the neighbouring pages the source has.
 * PMD:        a transparent huge page of the source is mapped with one
 *             2 MiB entry (kernels 6.12 and later; elsewhere this bit is
 *             clear and 4 KiB entries are used).
 * EXEC:       mappings can be executable where a window has the exec
 *             right. Clear on kernels whose pseudo files can never be
 *             executable (7.2).
 */
#define REMOTE_PROC_HAS_WRITE		(1ULL << 0)
#define REMOTE_PROC_HAS_RW		(1ULL << 1)
#define REMOTE_PROC_HAS_ATTACH_PID	(1ULL << 2)
#define REMOTE_PROC_HAS_SELF		(1ULL << 3)
#define REMOTE_PROC_HAS_VIEWS		(1ULL << 4)	/* since 1.1 */
#define REMOTE_PROC_HAS_POPULATE	(1ULL << 5)	/* since 1.1 */
#define REMOTE_PROC_HAS_PMD		(1ULL << 6)	/* since 1.1 */
#define REMOTE_PROC_HAS_EXEC		(1ULL << 7)	/* since 1.1 */

/* Attach flag: a writable mirror (can be mapped PROT_WRITE and written). */
#define REMOTE_PROC_MIRROR_WRITE	0x1U

/* struct remote_proc_mirror_info.flags */
#define REMOTE_PROC_MIRROR_WRITABLE	(1ULL << 0)	/* attached for writing */
#define REMOTE_PROC_MIRROR_DEAD		(1ULL << 1)	/* target exited or exec'd */

/* remote_proc_map() flag (since 1.1): map every page before returning. */
#define REMOTE_PROC_MMAP_POPULATE	0x1U

/* remote_proc_populate() flag: map writable, for stores (since 1.1). */
#define REMOTE_PROC_POPULATE_FOR_WRITE	0x1U

/* remote_proc_view_access() flag: an access fd open for writing. */
#define REMOTE_PROC_ACCESS_WRITABLE	0x1U

/* struct remote_proc_view_info.flags (the first two as for mirrors) */
#define REMOTE_PROC_VIEW_WRITABLE	(1ULL << 0)	/* fd open for writing */
#define REMOTE_PROC_VIEW_DEAD		(1ULL << 1)	/* a source target is gone */
#define REMOTE_PROC_VIEW_SEALED		(1ULL << 2)	/* layout locked for good */
#define REMOTE_PROC_VIEW_MIRROR		(1ULL << 3)	/* a mirror fd */
#define REMOTE_PROC_VIEW_CONTROL	(1ULL << 4)	/* a control fd */

/* What remote_proc_view_wait() saw (a bit mask). */
#define REMOTE_PROC_EVENT_REVOKED	0x1	/* the view lost windows */
#define REMOTE_PROC_EVENT_DEAD		0x2	/* a source target is gone */

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
 * struct remote_proc_view_info - the state of a view, seen through one fd
 * @flags:      REMOTE_PROC_VIEW_* bits.
 * @size:       size of the view's offset space in bytes (for a mirror fd,
 *              the highest target user address plus one).
 * @generation: how many revocations (remote_proc_view_unmap() calls that
 *              removed something) the view has had.
 * @nr_windows: how many windows the view has now.
 * @pid:        for a mirror fd, the target's pid as in
 *              struct remote_proc_mirror_info; 0 for views.
 */
struct remote_proc_view_info {
	uint64_t flags;
	uint64_t size;
	uint64_t generation;
	uint32_t nr_windows;
	int32_t pid;
};

/**
 * remote_proc_lib_version() - version of the library that is running
 *
 * Return: a static string such as "1.0.0" (never fails).
 */
const char *remote_proc_lib_version(void);

/**
 * remote_proc_lib_version_number() - version of the running library, as a number
 *
 * For comparisons with REMOTE_PROC_VERSION(): a program built against this
 * header can check that the library it runs with is at least the one it
 * was built against,
 *
 *	if (remote_proc_lib_version_number() < LIBREMOTEPROC_VERSION_NUMBER)
 *		(older library than the headers: a fix may be missing)
 *
 * Since 1.2.
 *
 * Return: REMOTE_PROC_VERSION(major, minor, patch) of the library (never
 * fails).
 */
uint32_t remote_proc_lib_version_number(void);

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
 * @mirror: a mirror fd, or (since 1.1) an access fd of a view.
 * @addr:   target address of the first byte (for an access fd: the view
 *          offset); need not be page aligned.
 * @len:    bytes wanted, > 0.
 * @prot:   PROT_READ, optionally | PROT_WRITE (writable mirrors only).
 * @flags:  0, or REMOTE_PROC_MMAP_POPULATE (since 1.1): map every page the
 *          source has before returning (mmap's MAP_POPULATE; read-only
 *          entries), so that later reads do not fault. Needs
 *          REMOTE_PROC_HAS_POPULATE; without it the flag does nothing.
 * @ptr:    out: where the byte at @addr appears in the caller.
 *
 * Maps the pages covering [@addr, @addr + @len) MAP_SHARED; *@ptr points
 * into the first page at @addr's offset. Loads and stores through it
 * reach the target's current pages; holes, PROT_NONE and device memory
 * of the target, and a dead target, raise SIGBUS on access. Through an
 * access fd, holes of the view and revoked windows raise SIGBUS too.
 *
 * Return: 0, or a negative errno: -EINVAL @len is 0, unknown @flags or
 * @prot bits; -EACCES PROT_WRITE on a read-only mirror (or over a window
 * without the write right); -ENXIO the range goes past the target's
 * address space (the view's size); -ENODEV @mirror cannot be mapped
 * (not a mirror or access fd); -EBADF not an open fd; -ENOMEM.
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
 * @mirror: a mirror fd (or an access fd: @addr is then a view offset).
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
 * @mirror: a writable mirror fd (or a writable access fd).
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

/**
 * remote_proc_populate() - map pages of a mapping ahead of use (since 1.1)
 * @fd:        the mirror or access fd the mapping was made from (any fd of
 *             the same view will do).
 * @addr:      start of the range in the caller, inside a mapping made by
 *             remote_proc_map() or mmap() of such an fd; need not be page
 *             aligned (the range is rounded out to whole pages, so the
 *             pointer and length given to remote_proc_map() can be used).
 * @len:       bytes, > 0.
 * @flags:     0, or REMOTE_PROC_POPULATE_FOR_WRITE: map the pages writable,
 *             breaking copy-on-write in the source first; the mapping
 *             must be PROT_WRITE. Windows without the write right are
 *             skipped.
 * @populated: out, may be NULL: how many 4 KiB pages were mapped, also
 *             when the call fails part way.
 *
 * Faults the source's pages in and maps every page the source has, so
 * that later accesses do not fault. Holes and pages the source cannot
 * provide are skipped; they fault (or raise SIGBUS) as usual later. The
 * mapping stays coherent: pages the source changes are unmapped again.
 * Needs REMOTE_PROC_HAS_POPULATE.
 *
 * Return: 0, or a negative errno: -EINVAL @len is 0 or unknown @flags;
 * -EOVERFLOW the range wraps; -ENXIO part of the range is not a mapping
 * of @fd's view; -EACCES FOR_WRITE on a mapping without PROT_WRITE;
 * -ENOTTY @fd is not a mirror or access fd, or the module lacks the
 * feature; -EBADF; -EINTR; -ENOMEM.
 */
int remote_proc_populate(int fd, const void *addr, size_t len,
			 unsigned int flags, uint64_t *populated);

/**
 * remote_proc_view_create() - create an empty view (since 1.1)
 * @dev:  a device fd that passed a handshake.
 * @size: size of the view's offset space in bytes, page aligned; 0 for
 *        the largest user address space.
 *
 * The view starts with no windows: every offset is a hole (SIGBUS, EIO).
 * It lives as long as its control fd, an access fd or a mapping of it
 * does. Needs REMOTE_PROC_HAS_VIEWS.
 *
 * Return: the control fd (close-on-exec), or a negative errno: -EINVAL
 * @size is not page aligned or larger than a user address space;
 * -EBADFD no handshake on @dev; -ENOTTY @dev is not the device, or the
 * module has no views; -EBADF; -ENOSPC @dev already created the maximum
 * number of live views (module parameter max_views_per_fd); -EMFILE,
 * -ENFILE, -ENOMEM.
 */
int remote_proc_view_create(int dev, uint64_t size);

/**
 * remote_proc_view_map() - window a range of an attached target
 * @ctl:    a control fd.
 * @offset: page-aligned start of the window in the view.
 * @mirror: a mirror fd of the target (see remote_proc_attach_pid()); the
 *          window keeps the target, so the mirror fd may be closed.
 * @addr:   page-aligned start of the range in the target.
 * @len:    page-aligned length, > 0.
 * @rights: PROT_READ, optionally | PROT_WRITE | PROT_EXEC: what accesses
 *          through the view may do (PROT_WRITE needs a writable mirror).
 *
 * View offsets [@offset, @offset + @len) then show target addresses
 * [@addr, @addr + @len), coherently, as a mirror mapping would.
 *
 * Return: 0, or a negative errno: -EINVAL unaligned values, @len 0,
 * unknown @rights bits or no PROT_READ; -EOVERFLOW the range wraps or
 * ends past the view's size or the target's address space; -EEXIST it
 * overlaps a window; -EPERM the view is sealed; -EBADF @mirror is not a
 * mirror fd; -EACCES PROT_WRITE with a read-only mirror; -ESRCH the
 * target has exited or exec'd; -ENOSPC the view has the maximum number of
 * windows (module parameter max_windows_per_view); -ENOTTY @ctl is not a
 * control fd; -EINTR, -ENOMEM. On error the view is unchanged.
 */
int remote_proc_view_map(int ctl, uint64_t offset, int mirror, uint64_t addr,
			 uint64_t len, int rights);

/**
 * remote_proc_view_map_self() - window a range of the caller's own memory
 * @ctl:    a control fd.
 * @offset: page-aligned start of the window in the view.
 * @addr:   page-aligned start of the range in the caller.
 * @len:    page-aligned length, > 0.
 * @rights: PROT_READ, optionally | PROT_WRITE | PROT_EXEC.
 *
 * The window shows whatever the caller has at those addresses at the time
 * of each access: a memfd or file it mapped there, anonymous memory,
 * holes (SIGBUS). The caller's later munmap, mprotect or exit take effect
 * through the view as well. Writes through the window need PROT_WRITE in
 * @rights and a writable page in the caller.
 *
 * Return: as for remote_proc_view_map() (without the mirror errors).
 */
int remote_proc_view_map_self(int ctl, uint64_t offset, const void *addr,
			      size_t len, int rights);

/**
 * remote_proc_view_map_fd() - window a range of a file, in one call
 * @ctl:       a control fd.
 * @offset:    page-aligned start of the window in the view.
 * @fd:        an fd that can be mapped MAP_SHARED: a memfd, a tmpfs or
 *             shmem file, a regular file; open for writing when @rights
 *             has PROT_WRITE. The caller may close it afterwards.
 * @fd_offset: page-aligned offset in the file.
 * @len:       bytes, > 0; rounded up to whole pages.
 * @rights:    PROT_READ, optionally | PROT_WRITE | PROT_EXEC.
 * @local:     out: the caller's own mapping of the range.
 *
 * mmap()s [@fd_offset, @fd_offset + @len) of @fd MAP_SHARED into the
 * caller, with @rights as its protection, and windows that mapping at
 * @offset (remote_proc_view_map_self()). Consumers then share the file's
 * pages: their writes reach the file, and they see its changes at once.
 * Pages past the end of the file raise SIGBUS, as in any mapping of it.
 *
 * The window is a window of the caller's mapping, not of the file: the
 * caller owns *@local and must keep it, unchanged, as long as the window
 * is to work. To stop sharing, revoke first, then unmap:
 * remote_proc_view_unmap(@ctl, @offset, len) (consumers are told, see
 * remote_proc_view_wait()), then remote_proc_unmap(*@local, @len). An
 * munmap() of *@local (or the caller's exit or exec) also ends the
 * window, as the kernel unmaps its pages everywhere, but consumers then
 * only get SIGBUS, with no revocation reported. Do not map anything else
 * at *@local while the window exists: the view would show it.
 *
 * Return: 0, or a negative errno; on error nothing stays mapped and the
 * view is unchanged: -EINVAL unaligned @offset or @fd_offset, @len 0,
 * bad @rights, @local NULL; -EACCES @fd is not open for reading, or not
 * for writing with PROT_WRITE; -ENODEV @fd cannot be mapped (a pipe, a
 * directory); -EPERM a sealed memfd, a noexec mount with PROT_EXEC, or a
 * sealed view; -EBADF; -ENOMEM; and the errors of
 * remote_proc_view_map_self().
 */
int remote_proc_view_map_fd(int ctl, uint64_t offset, int fd,
			    uint64_t fd_offset, size_t len, int rights,
			    void **local);

/**
 * remote_proc_view_unmap() - revoke a range of a view
 * @ctl:    a control fd.
 * @offset: page-aligned start.
 * @len:    page-aligned length, > 0.
 *
 * Removes every window inside the range and cuts windows partly inside it
 * down to their parts outside it. Before this returns, every mapping of
 * the range is unmapped in every process: later accesses raise SIGBUS,
 * reads fail with EIO, and no access in flight can bring a page back. The
 * view's generation goes up by one, which poll() and
 * remote_proc_view_wait() report to the holders of access fds.
 *
 * Return: 0, or a negative errno: -EINVAL unaligned values or @len 0;
 * -EOVERFLOW the range wraps or ends past the view's size; -ENOENT no
 * window meets the range; -EPERM the view is sealed; -ENOSPC cutting a
 * window in two would pass the window limit; -ENOTTY @ctl is not a
 * control fd; -EBADF; -ENOMEM. On error the view is unchanged.
 */
int remote_proc_view_unmap(int ctl, uint64_t offset, uint64_t len);

/**
 * remote_proc_view_lock() - seal a view's layout, for good
 * @ctl: a control fd.
 *
 * After it, remote_proc_view_map*() and remote_proc_view_unmap() fail
 * with -EPERM: consumers can rely on the windows staying (unless a source
 * goes away). Sealing a sealed view succeeds.
 *
 * Return: 0, or a negative errno: -ENOTTY @ctl is not a control fd;
 * -EBADF.
 */
int remote_proc_view_lock(int ctl);

/**
 * remote_proc_view_access() - a new access fd of a view
 * @ctl:   a control fd.
 * @flags: 0 for a read-only fd, REMOTE_PROC_ACCESS_WRITABLE for one that
 *         can be mapped PROT_WRITE and written (still only where windows
 *         have the write right).
 *
 * An access fd can be mapped, read, written, polled and queried, and
 * nothing else: it cannot change the layout, so it can be given to a less
 * trusted process. Any number may exist; each has its own acknowledged
 * generation (see remote_proc_view_wait()).
 *
 * Return: the access fd (close-on-exec), or a negative errno: -EINVAL
 * unknown @flags; -ENOTTY @ctl is not a control fd; -EBADF; -EMFILE,
 * -ENFILE, -ENOMEM.
 */
int remote_proc_view_access(int ctl, unsigned int flags);

/**
 * remote_proc_view_query() - state of a view, or of a mirror
 * @fd:   a control, access or mirror fd.
 * @info: out: flags, size, generation, windows, pid.
 * @size: sizeof(*info) as the caller knows it.
 *
 * On an access or mirror fd this also acknowledges the generation it
 * reads, so that poll() stops reporting POLLPRI on that fd, and
 * remote_proc_view_wait() stops reporting REMOTE_PROC_EVENT_REVOKED, until
 * the next revocation.
 *
 * Return: 0, or a negative errno: -ENOTTY @fd is not a control, access or
 * mirror fd; -EBADF; -EINVAL @info is NULL or @size too small.
 */
int remote_proc_view_query(int fd, struct remote_proc_view_info *info,
			   size_t size);

/**
 * remote_proc_view_wait() - wait until a view is revoked or loses a source
 * @fd:         an access fd (or a mirror fd: it reports only DEAD).
 * @timeout_ms: how long to wait: 0 to look without waiting, -1 forever.
 * @info:       out, may be NULL: with REMOTE_PROC_EVENT_REVOKED, the state
 *              read by the query that acknowledged the revocation (its
 *              generation counts every revocation so far); not written
 *              otherwise.
 * @size:       sizeof(*info) as the caller knows it, 0 when @info is NULL.
 *
 * poll()s @fd for POLLPRI (a revocation since the generation last
 * acknowledged on @fd) and POLLHUP (a source target of the view exited or
 * exec'd; for windows of the owner's own memory, the owner did). A
 * revocation is acknowledged with remote_proc_view_query() before the
 * call returns, so each is reported once; several revocations before the
 * call are reported together. A dead source is a lasting state: once it
 * is reported, every later call reports it again at once. Callers that
 * wait on other fds too can poll() @fd themselves with POLLPRI and call
 * remote_proc_view_query() when it reports POLLPRI.
 *
 * Return: REMOTE_PROC_EVENT_REVOKED and/or REMOTE_PROC_EVENT_DEAD; 0 when
 * the time ran out; or a negative errno: -EINTR a signal arrived; -EBADF
 * @fd is not open; -EINVAL @fd cannot be read (a control fd, which has no
 * events: wait on one of its access fds), or bad @info/@size; -ENOTTY
 * the query failed (not a remote-proc fd).
 */
int remote_proc_view_wait(int fd, int timeout_ms,
			  struct remote_proc_view_info *info, size_t size);

/*
 * Helpers (since 1.3): what programs otherwise write by hand around the
 * calls above. remote_proc_attach() attaches in one call;
 * remote_proc_maps_*() walk the target's /proc/PID/maps and say which
 * areas can be mirrored and why not; remote_proc_copy_from_map() and
 * friends access a mapping of a mirror without dying of SIGBUS;
 * remote_proc_readv() is process_vm_readv(2) over a mirror fd.
 */

/**
 * remote_proc_attach() - open the device, attach to a process, close the device (since 1.3)
 * @dev_path: device node, or NULL for REMOTE_PROC_DEV_PATH.
 * @pid:      the target's pid (or a thread id, which attaches its process).
 * @flags:    0, or REMOTE_PROC_MIRROR_WRITE for a writable mirror.
 *
 * remote_proc_dev_open(), remote_proc_dev_handshake() asking for
 * REMOTE_PROC_HAS_ATTACH_PID (and REMOTE_PROC_HAS_WRITE with
 * REMOTE_PROC_MIRROR_WRITE), then an attach through a pidfd of @pid where
 * the kernel has pidfds (so a pid reused meanwhile is never attached) and
 * by pid otherwise (thread ids, old kernels). The attach needs what
 * opening /proc/@pid/mem (for writing, with REMOTE_PROC_MIRROR_WRITE)
 * needs: the kernel's ptrace-attach check. The device fd is closed before
 * returning; the mirror does not need it.
 *
 * Return: a mirror fd (close-on-exec), or a negative errno:
 * -EINVAL @pid <= 0 or unknown @flags bits, or the module lacks a needed
 * feature (the handshake refused it);
 * -ENOENT, -EACCES (on the node), -ENODEV, -ENXIO as for
 * remote_proc_dev_open();
 * -ESRCH no such process, a zombie, or a kernel thread (no memory);
 * -EACCES or -EPERM the ptrace-attach check failed (another user's
 * process, a non-dumpable one, Yama, an LSM) — the kernel chooses which;
 * -ENOTTY @dev_path is not a remote-proc device;
 * -EMFILE, -ENFILE, -ENOMEM resource limits.
 * An -EACCES can thus come from the node or from the target: call
 * remote_proc_dev_open() to tell which.
 */
int remote_proc_attach(const char *dev_path, pid_t pid, unsigned int flags);

/* Flags of remote_proc_maps_open(). */
/*
 * Read /proc/PID/smaps instead of maps, for the VmFlags line of each area:
 * device memory and PFN maps (mirrors among them) are then refused with
 * REMOTE_PROC_AREA_IO_PFNMAP. Slower (the kernel walks each area's pages).
 */
#define REMOTE_PROC_MAPS_SMAPS		0x1u

/* struct remote_proc_area.flags */
#define REMOTE_PROC_AREA_SHARED		0x1u	/* 's' in the permissions */
#define REMOTE_PROC_AREA_DELETED	0x2u	/* file deleted: " (deleted)" cut off @path */
#define REMOTE_PROC_AREA_TRUNCATED	0x4u	/* @path cut: too long, or the caller's struct shorter */
#define REMOTE_PROC_AREA_VMFLAGS	0x8u	/* VmFlags were read (REMOTE_PROC_MAPS_SMAPS) */
#define REMOTE_PROC_AREA_IO		0x10u	/* VmFlags "io" (VM_IO) */
#define REMOTE_PROC_AREA_PFNMAP		0x20u	/* VmFlags "pf" (VM_PFNMAP) */

/**
 * enum remote_proc_area_reason - why an area cannot be mirrored
 * @REMOTE_PROC_AREA_MIRRORABLE:   it can: a mapping of the mirror there
 *                                 shows the target's pages (a hole in a
 *                                 file past its end still raises SIGBUS).
 * @REMOTE_PROC_AREA_OUTSIDE:      above the mirror's size (the user
 *                                 address space), as [vsyscall] is.
 * @REMOTE_PROC_AREA_KERNEL_PAGE:  a kernel data page ([vvar],
 *                                 [vvar_vclock]: VM_PFNMAP, no pages).
 * @REMOTE_PROC_AREA_PROT_NONE:    no access at all (a guard region).
 * @REMOTE_PROC_AREA_NOT_READABLE: writable or executable, not readable.
 * @REMOTE_PROC_AREA_IO_PFNMAP:    device memory or a PFN map, a mirror of
 *                                 some other process among them (known only
 *                                 with REMOTE_PROC_MAPS_SMAPS).
 */
enum remote_proc_area_reason {
	REMOTE_PROC_AREA_MIRRORABLE = 0,
	REMOTE_PROC_AREA_OUTSIDE = 1,
	REMOTE_PROC_AREA_KERNEL_PAGE = 2,
	REMOTE_PROC_AREA_PROT_NONE = 3,
	REMOTE_PROC_AREA_NOT_READABLE = 4,
	REMOTE_PROC_AREA_IO_PFNMAP = 5,
};

/* Room for a path of PATH_MAX bytes with its terminating NUL. */
#define REMOTE_PROC_AREA_PATH_LEN	4096

/**
 * struct remote_proc_area - one line of /proc/PID/maps, judged
 * @start:     first address of the area.
 * @end:       first address past it.
 * @offset:    offset into the mapped file (the page offset for others).
 * @inode:     inode number of the file; 0 for anonymous memory.
 * @dev_major: major number of the file's device.
 * @dev_minor: minor number of the file's device.
 * @prot:      PROT_READ, PROT_WRITE and PROT_EXEC as the area allows.
 * @flags:     REMOTE_PROC_AREA_* flags.
 * @reason:    an enum remote_proc_area_reason: 0 when it can be mirrored.
 * @reserved:  zero.
 * @path:      the file's path (without " (deleted)"), a name such as
 *             "[heap]", "[stack]", "[vdso]" or "[anon:NAME]", or "" for
 *             anonymous memory; NUL-terminated. Spaces are kept; the
 *             kernel writes a newline in a path as "\012".
 *
 * Filled up to the size the caller passes, so the struct may grow at its
 * end.
 */
struct remote_proc_area {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t prot;
	uint32_t flags;
	uint32_t reason;
	uint32_t reserved;
	char path[REMOTE_PROC_AREA_PATH_LEN];
};

/* An open walk of a target's areas; opaque, one per remote_proc_maps_open(). */
struct remote_proc_maps;

/**
 * remote_proc_maps_open() - start walking a process's memory areas (since 1.3)
 * @pid:   the process (0 for the caller itself).
 * @limit: the mirror's size (struct remote_proc_mirror_info.size): areas
 *         at or above it are REMOTE_PROC_AREA_OUTSIDE; 0 if unknown, when
 *         only [vsyscall] is judged outside.
 * @flags: 0 or REMOTE_PROC_MAPS_SMAPS.
 * @maps:  gets the walk, for remote_proc_maps_next() and
 *         remote_proc_maps_close().
 *
 * Opens /proc/@pid/maps (or smaps) close-on-exec. Reading them needs the
 * same permission as attaching (PTRACE_MODE_READ). The walk holds all its
 * state: walks may run in different threads at once; one walk is used by
 * one thread at a time. Each call reads the file as the kernel writes it
 * now: an area that changes between two calls may be seen in either shape.
 *
 * Return: 0, or a negative errno: -EINVAL @maps is NULL, @pid < 0, or an
 * unknown flag; -ESRCH no such process; -EACCES may not read its areas;
 * -ENOMEM, -EMFILE, -ENFILE.
 */
int remote_proc_maps_open(pid_t pid, uint64_t limit, unsigned int flags,
			  struct remote_proc_maps **maps);

/**
 * remote_proc_maps_next() - the next area of a walk (since 1.3)
 * @maps: a walk from remote_proc_maps_open().
 * @area: filled with the next area, in address order.
 * @size: sizeof(*@area) as the caller knows it; at least the size of the
 *        1.3 struct up to @path's first byte plus one.
 *
 * Return: 1 with @area filled; 0 at the end (a process that has exited or
 * is a kernel thread has no areas); or a negative errno: -EINVAL bad
 * arguments; -EIO a line that is not in the maps format; -ESRCH the
 * process exited while it was being read; other read(2) errors.
 */
int remote_proc_maps_next(struct remote_proc_maps *maps,
			  struct remote_proc_area *area, size_t size);

/**
 * remote_proc_maps_close() - end a walk (since 1.3)
 * @maps: a walk from remote_proc_maps_open(), or NULL (nothing to do).
 */
void remote_proc_maps_close(struct remote_proc_maps *maps);

/**
 * remote_proc_area_reason_str() - an enum remote_proc_area_reason in words (since 1.3)
 * @reason: struct remote_proc_area.reason.
 *
 * Return: a static string such as "not readable (PROT_NONE)"; "mirrorable"
 * for REMOTE_PROC_AREA_MIRRORABLE; "unknown reason" for other values.
 */
const char *remote_proc_area_reason_str(uint32_t reason);

/**
 * remote_proc_guard() - run loads and stores of mirror memory, catching SIGBUS (since 1.3)
 * @fn:    the accesses; it must only load and store memory (no locks, no
 *         malloc, no stdio: it may be left half way, by siglongjmp(3)).
 * @arg:   its argument.
 * @fault: where the faulting address goes on failure (may be NULL).
 *
 * Runs @fn(@arg) with a handler armed that turns a fault (SIGBUS or
 * SIGSEGV raised by the kernel for an access) of this thread meanwhile
 * into a return of -EFAULT. The other helpers below are built on it, and
 * catch only the faults of the mapping's side of the access: a fault in
 * the caller's own memory goes on as below. A SIGBUS or SIGSEGV sent with
 * kill(2), raise(3) or sigqueue(3) is never caught.
 *
 * Signals: the first guarded call installs the library's handler for
 * SIGBUS and SIGSEGV with sigaction(2) (SA_SIGINFO | SA_ONSTACK), keeping
 * the handler it replaces. A signal that the library did not arm for
 * (another thread's, outside @fn, sent, or the caller's own memory) goes
 * to the kept handler as if the library's were not there, or, where that
 * was SIG_DFL or SIG_IGN, kills the process with the signal as the
 * default action does. A program that installs its own SIGBUS or SIGSEGV
 * handler after a guarded call must chain to the one it replaces (the
 * library's) for guarded calls to catch their faults; the library leaves
 * it in place. Where the program puts back SIG_DFL or SIG_IGN, the next
 * guarded call installs the library's handler again.
 *
 * Threads: the armed state is per thread (thread-local storage), so any
 * number of threads may make guarded calls at once, each catching only
 * its own faults. Guarded calls may nest (@fn may make one). They may be
 * made from a signal handler once a first guarded call outside one has
 * installed the handler. SIGBUS and SIGSEGV are unblocked while @fn runs
 * (a fault in a blocked signal would kill the process); the signal mask
 * is as it was when the call returns, fault or not.
 *
 * Return: 0; or -EFAULT @fn faulted (SIGBUS: a hole, PROT_NONE, device
 * memory, a truncated file, an exited target; SIGSEGV: not mapped here);
 * -EINVAL @fn is NULL.
 */
int remote_proc_guard(void (*fn)(void *arg), void *arg, uintptr_t *fault);

/**
 * remote_proc_copy_from_map() - copy from a mapping of a mirror without dying of SIGBUS (since 1.3)
 * @dst: local buffer.
 * @src: an address inside a mapping of a mirror (or any memory).
 * @len: bytes to copy.
 *
 * Copies in address order, page by page of @src, under
 * remote_proc_guard() and stops at the first page that faults. Signals
 * and threads as for remote_proc_guard().
 *
 * Return: @len; fewer when a page of @src faults: the bytes before that
 * page were copied, the bytes of the faulting page in @dst are
 * unspecified and those after it untouched; or -EFAULT when the first
 * page faults (nothing copied).
 * @len of 0 returns 0. @len is at most SSIZE_MAX (-EINVAL otherwise).
 */
ssize_t remote_proc_copy_from_map(void *dst, const void *src, size_t len);

/**
 * remote_proc_copy_to_map() - copy into a mapping of a mirror without dying of SIGBUS (since 1.3)
 * @dst: an address inside a writable mapping of a mirror.
 * @src: local buffer.
 * @len: bytes to copy.
 *
 * As remote_proc_copy_from_map(), by pages of @dst: when a page of @dst
 * faults, nothing at or after it was written.
 *
 * Return: as for remote_proc_copy_from_map().
 */
ssize_t remote_proc_copy_to_map(void *dst, const void *src, size_t len);

/**
 * remote_proc_load() - one load from a mapping of a mirror, catching SIGBUS (since 1.3)
 * @src:   address (aligned for @bytes, or the load may be split).
 * @bytes: 1, 2, 4 or 8: one access of that width.
 * @val:   gets the value, zero-extended.
 *
 * Return: 0, -EFAULT the load faulted (*@val untouched), -EINVAL bad @bytes.
 */
int remote_proc_load(const void *src, unsigned int bytes, uint64_t *val);

/**
 * remote_proc_store() - one store into a mapping of a mirror, catching SIGBUS (since 1.3)
 * @dst:   address.
 * @bytes: 1, 2, 4 or 8: one access of that width.
 * @val:   the value (its low @bytes bytes are stored).
 *
 * Return: 0, -EFAULT the store faulted (nothing stored), -EINVAL bad @bytes.
 */
int remote_proc_store(void *dst, unsigned int bytes, uint64_t val);

struct iovec;

/**
 * remote_proc_readv() - scatter-gather read of target memory (since 1.3)
 * @mirror:  a mirror fd (or an access fd).
 * @local:   local buffers, filled in order.
 * @liovcnt: how many; at most IOV_MAX.
 * @remote:  target ranges (iov_base is a target address), read in order.
 * @riovcnt: how many; at most IOV_MAX.
 * @flags:   0.
 *
 * process_vm_readv(2) over the mirror: the bytes of @remote, in order,
 * go to @local, in order, with preadv(2) on the mirror; the two lists
 * need not split at the same places. The transfer stops when either list
 * is exhausted, or at the first target address that cannot be read: the
 * bytes before it are transferred, including a partial element of
 * either list (unlike process_vm_readv(2), which may stop at an element's
 * start). Elements of length 0 are skipped.
 *
 * Return: the bytes read (0 when both lists are empty or have only empty
 * elements); or, when the first byte cannot be read, a negative errno:
 * -EIO it is in a hole (nothing mapped, PROT_NONE, device memory); -ESRCH
 * the target has exited or exec'd; -EINVAL a count above IOV_MAX, a NULL
 * list with a count, @flags not 0, lengths that add up to more than
 * SSIZE_MAX, or an address past the largest file offset; -EFAULT a local
 * buffer is not writable; -EBADF.
 */
ssize_t remote_proc_readv(int mirror, const struct iovec *local,
			  unsigned long liovcnt, const struct iovec *remote,
			  unsigned long riovcnt, unsigned long flags);

#ifdef __cplusplus
}
#endif

#endif /* _LIBREMOTEPROC_H */
