/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * remote_proc.h - user/kernel ABI of /dev/remote-proc
 *
 * remote-proc gives a process zero-copy, coherent access to the memory of
 * another process (the target). It is unrelated to the kernel's remoteproc
 * (co-processor) framework.
 *
 * Objects
 * -------
 * device fd  open("/dev/remote-proc"). Negotiate with REMOTE_PROC_IOC_API
 *            first: every other ioctl on the device fd fails with EBADFD
 *            until a handshake has succeeded on that fd.
 * mirror fd  returned by REMOTE_PROC_IOC_ATTACH. Its file offset space is
 *            the target's virtual address space: offset X is target address
 *            X. It supports mmap, read/pread/readv/preadv,
 *            write/pwrite/writev/pwritev (writable mirrors only), lseek,
 *            REMOTE_PROC_IOC_QUERY and close. Every fd the module returns
 *            has close-on-exec set (clear it with fcntl(F_SETFD) to pass it
 *            across exec).
 *
 * Permission
 * ----------
 * Attaching needs exactly what opening /proc/PID/mem needs: the kernel's
 * ptrace-attach check (uid/gid, CAP_SYS_PTRACE, dumpability, and the LSM
 * and Yama hooks) made with the opener's filesystem credentials. Either the
 * caller passes an fd of /proc/PID/mem it opened (REMOTE_PROC_ATTACH_MEMFD,
 * the default) or the module opens that file for it, with the caller's
 * credentials, in a private procfs instance of the caller's pid namespace
 * (REMOTE_PROC_ATTACH_PID). The mem file binds the target's address space
 * at open time, so a later exec of the target (for example of a setuid
 * binary) does not extend access to the new image: the mirror dies. A mem
 * fd is a capability: whoever holds one (e.g. received over SCM_RIGHTS)
 * may attach with it. A writable mirror needs the mem file open for
 * writing.
 *
 * Mapping a mirror (mmap)
 * -----------------------
 * mmap(addr, len, prot, MAP_SHARED, mirror_fd, X) maps target addresses
 * [X, X + len) (X page aligned). MAP_PRIVATE fails with EINVAL; PROT_WRITE
 * on a read-only mirror fails with EACCES (and mprotect() can never add
 * write later); a range reaching past the highest user address (the size
 * REMOTE_PROC_IOC_QUERY reports) fails with ENXIO. Pages are not copied:
 * a fault maps the target's current page, and no long-term page reference
 * is taken. Whenever the target's
 * mapping of an address changes (munmap, mremap, madvise DONTNEED/FREE,
 * mprotect, fork/COW, THP split/collapse, KSM, migration, swap-out,
 * truncation, exit, exec), the mirror's page-table entries are removed
 * before that change completes, so the next access through the mirror
 * sees the target's current page, never an old one.
 *
 * An access through the mirror raises SIGBUS when:
 *  - the target has no mapping at that address (a hole);
 *  - the target's mapping is not readable (PROT_NONE), is VM_IO/VM_PFNMAP
 *    (device memory, or another remote-proc mirror: no recursion), or is
 *    memfd_secret() memory;
 *  - the access is a write and the target's mapping is not writable;
 *  - the target has exited or exec'd (the mirror is dead).
 * Never-touched anonymous memory reads as zeros (the target maps its zero
 * page for it).
 *
 * Writes through a PROT_WRITE mapping land in the target's page in place
 * and are visible to the target at once. A write never modifies a page the
 * target could not write itself without copy-on-write: for the zero page,
 * KSM pages, pages shared with a forked child, and clean private file
 * pages, the target's own copy-on-write break happens first and the mirror
 * then maps the target's new private page; for mappings the target cannot
 * write at all (read-only), the access gets SIGBUS. Pages written through
 * the mirror are marked dirty, so data written into shmem or a file
 * reaches it.
 *
 * Mirror mappings are not inherited across fork() (VM_DONTCOPY: the child
 * has a hole there), are not expandable with mremap(), and are left out of
 * core dumps. They can be moved, split and partly unmapped like any
 * mapping. Closing the mirror fd does not affect existing mappings, which
 * keep working until munmap(). While any fd or mapping exists the module
 * cannot be unloaded.
 *
 * The mirror's memory is VM_PFNMAP: get_user_pages() on it fails, so
 * O_DIRECT, vmsplice, process_vm_readv and shared futexes on mirror
 * addresses do not work.
 *
 * Self-attach (a process attaching to itself) is allowed and behaves like
 * any other mirror; a mirror's own mapping reached through a mirror is a
 * VM_PFNMAP region and gives SIGBUS, so there is no recursion.
 *
 * read/write on a mirror fd
 * -------------------------
 * pread/pwrite (and preadv/pwritev, read/write at the file position) at
 * offset X access target address X exactly as /proc/PID/mem does, through
 * the mem file the mirror was attached with: they return the number of
 * bytes transferred, which is short when the range runs into an
 * inaccessible address; EIO when nothing could be transferred (unmapped
 * address); and 0 once the target has exited or exec'd. Forced access to
 * read-only private mappings (a debugger writing breakpoints into text)
 * follows the kernel's proc_mem.force_override policy, because the kernel's
 * own mem file does the access. write/pwrite on a read-only mirror fails
 * with EBADF. lseek supports SEEK_SET and SEEK_CUR.
 *
 * Extensible structs
 * ------------------
 * Every ioctl argument is a struct whose size is encoded in the ioctl
 * number. Structs only grow, at the end. The kernel accepts any size from
 * the struct's *_SIZE_VER0 up to one page: a shorter (older) struct is
 * zero-extended; a longer (newer) one fails with E2BIG unless all the bytes
 * the kernel does not know are zero. Out fields are copied back up to the
 * caller's size. Unknown flag bits and non-zero reserved fields fail with
 * EINVAL. Unknown ioctls fail with ENOTTY.
 *
 * ioctl type 0xD5 is not used in the kernel's ioctl-number registry
 * (Documentation/userspace-api/ioctl/ioctl-number.rst).
 */
#ifndef _UAPI_LINUX_REMOTE_PROC_H
#define _UAPI_LINUX_REMOTE_PROC_H

#include <linux/types.h>
#include <linux/const.h>
#include <linux/ioctl.h>

#define REMOTE_PROC_IOC_TYPE		0xD5

/* The one API value; it never changes meaning. New behaviour comes as features. */
#define REMOTE_PROC_API			((__u64)1)

/* ioctl numbers (the bit index in remote_proc_api.ioctls). */
#define _REMOTE_PROC_IOC_API		0x00	/* device fd; fixed forever */
#define _REMOTE_PROC_IOC_ATTACH		0x01	/* device fd */
#define _REMOTE_PROC_IOC_QUERY		0x02	/* mirror fd */

/*
 * Features (remote_proc_api.features).
 * WRITE:      writable mirrors (REMOTE_PROC_ATTACH_WRITE).
 * RW:         read/write/pread/pwrite on mirror fds.
 * ATTACH_PID: attaching by pid (REMOTE_PROC_ATTACH_PID).
 * SELF:       a process may attach to itself.
 */
#define REMOTE_PROC_FEATURE_WRITE	_BITULL(0)
#define REMOTE_PROC_FEATURE_RW		_BITULL(1)
#define REMOTE_PROC_FEATURE_ATTACH_PID	_BITULL(2)
#define REMOTE_PROC_FEATURE_SELF	_BITULL(3)

/*
 * REMOTE_PROC_IOC_API (device fd): the handshake.
 *
 * api       in:  REMOTE_PROC_API.
 * features  in:  features the caller wants; out: all features this module
 *                supports. Wanting a feature the module lacks fails.
 * ioctls    out: bit (1 << _REMOTE_PROC_IOC_x) set for each supported ioctl.
 * version   out: module version, (major << 16) | (minor << 8) | patch.
 *
 * May be repeated; each success replaces the negotiated feature set.
 * Returns 0.
 * Errors: EINVAL  api is not REMOTE_PROC_API, a wanted feature is not
 *                 supported, or a reserved field is non-zero;
 *         E2BIG   non-zero bytes past the struct this module knows;
 *         EFAULT  bad argument pointer.
 * On error nothing is negotiated (a previous success stays in effect).
 */
struct remote_proc_api {
	__u64 api;
	__u64 features;
	__u64 ioctls;
	__u32 version;
	__u32 __reserved0;
};

#define REMOTE_PROC_API_SIZE_VER0	32

/*
 * REMOTE_PROC_IOC_ATTACH (device fd): attach to a target, get a mirror fd.
 *
 * flags     in:  REMOTE_PROC_ATTACH_*.
 * memfd     in:  an fd of /proc/PID/mem (without ATTACH_PID); else ignored
 *                and must be 0 or -1.
 * pid       in:  with ATTACH_PID: the target's pid in the caller's pid
 *                namespace; otherwise must be 0.
 *
 * REMOTE_PROC_ATTACH_WRITE  writable mirror: the fd is opened O_RDWR and
 *                           can be mapped PROT_WRITE and pwrite()n. Needs
 *                           the mem file opened for writing.
 * REMOTE_PROC_ATTACH_PID    resolve the target by pid (see Permission).
 *
 * Returns the new mirror fd (close-on-exec).
 * Errors: EBADFD  no successful REMOTE_PROC_IOC_API on this device fd;
 *         EINVAL  unknown flags, a non-zero reserved field, pid <= 0 with
 *                 ATTACH_PID, or pid/memfd given for the other mode;
 *         E2BIG   non-zero bytes past the struct this module knows;
 *         EFAULT  bad argument pointer;
 *         EBADF   memfd is not an open fd, or not a /proc/PID/mem file;
 *         EACCES  the ptrace-attach check of /proc/PID/mem denied access
 *                 (another uid, a non-dumpable or setuid target, Yama,
 *                 an LSM), or WRITE was asked for and the mem file is not
 *                 open for writing;
 *         ESRCH   no such process (ATTACH_PID), or the target has no user
 *                 address space: a kernel thread, a zombie, or a process
 *                 that has exited or exec'd since the mem file was opened;
 *         EINTR   a fatal signal arrived while registering with the
 *                 target's address space;
 *         EMFILE, ENFILE, ENOMEM  resource limits.
 * On error no fd is created and nothing stays attached.
 */
struct remote_proc_attach {
	__u32 flags;
	__s32 memfd;
	__s32 pid;
	__u32 __reserved0;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_ATTACH_SIZE_VER0	32

#define REMOTE_PROC_ATTACH_WRITE	0x1
#define REMOTE_PROC_ATTACH_PID		0x2

/*
 * REMOTE_PROC_IOC_QUERY (mirror fd): read-only state of a mirror. All
 * fields are out; the kernel writes as much of its struct as the caller's
 * size holds.
 *
 * flags     out: REMOTE_PROC_QUERY_*.
 * pid       out: the target's pid (thread-group id) in the caller's pid
 *                namespace, or 0 when it is not visible there or has been
 *                reaped.
 * size      out: size of the mirror's offset space (the highest user
 *                address plus one).
 *
 * REMOTE_PROC_QUERY_WRITABLE  the mirror is writable.
 * REMOTE_PROC_QUERY_DEAD      the target exited or exec'd: mappings give
 *                             SIGBUS, pread returns 0.
 *
 * Returns 0. Errors: EFAULT.
 */
struct remote_proc_query {
	__u64 flags;
	__s32 pid;
	__u32 __reserved0;
	__u64 size;
};

#define REMOTE_PROC_QUERY_SIZE_VER0	24

#define REMOTE_PROC_QUERY_WRITABLE	_BITULL(0)
#define REMOTE_PROC_QUERY_DEAD		_BITULL(1)

#define REMOTE_PROC_IOC_API	_IOWR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_API, \
				      struct remote_proc_api)
#define REMOTE_PROC_IOC_ATTACH	_IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_ATTACH, \
				     struct remote_proc_attach)
#define REMOTE_PROC_IOC_QUERY	_IOR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_QUERY, \
				      struct remote_proc_query)

#endif /* _UAPI_LINUX_REMOTE_PROC_H */
