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
 * device fd   open("/dev/remote-proc"). Negotiate with REMOTE_PROC_IOC_API
 *             first: every other ioctl on the device fd fails with EBADFD
 *             until a handshake has succeeded on that fd.
 * mirror fd   returned by REMOTE_PROC_IOC_ATTACH. Its file offset space is
 *             the target's virtual address space: offset X is target
 *             address X (the legacy, whole-address-space mode). It is the
 *             access fd of a sealed view with one identity window.
 * control fd  returned by REMOTE_PROC_IOC_VIEW_CREATE: the owner's handle
 *             of a view, an offset space composed of windows. It takes
 *             REMOTE_PROC_IOC_MAP, _UNMAP, _LOCK, _ACCESS_FD and _QUERY,
 *             and nothing else (no mmap, no read/write).
 * access fd   returned by REMOTE_PROC_IOC_ACCESS_FD: what a consumer of a
 *             view gets. Like a mirror fd, it supports only mmap,
 *             read/pread/readv/preadv, write/pwrite/writev/pwritev, lseek,
 *             poll, REMOTE_PROC_IOC_QUERY and close: nothing that changes
 *             the layout, so it is safe to pass to a less trusted process
 *             (SCM_RIGHTS).
 * Every fd the module returns has close-on-exec set (clear it with
 * fcntl(F_SETFD) to pass it across exec).
 *
 * Permission
 * ----------
 * Attaching needs exactly what opening /proc/PID/mem needs: the kernel's
 * ptrace-attach check (uid/gid, CAP_SYS_PTRACE, dumpability, and the LSM
 * and Yama hooks) made with the opener's filesystem credentials. Either the
 * caller passes an fd of /proc/PID/mem it opened (the default) or the
 * module opens that file for it, with the caller's
 * credentials, in a private procfs instance of the caller's pid namespace
 * (REMOTE_PROC_ATTACH_PID). The mem file binds the target's address space
 * at open time, so a later exec of the target (for example of a setuid
 * binary) does not extend access to the new image: the mirror dies. A mem
 * fd is a capability: whoever holds one (e.g. received over SCM_RIGHTS)
 * may attach with it, for what it was opened for: any mirror needs the
 * mem file open for reading, a writable one also for writing.
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
 * and are visible to the target at once. A write to a page a read has
 * mapped read-only makes that entry writable in the same fault, so any
 * instruction form (read-modify-write, atomics, string copies within one
 * page) completes. A write never modifies a page the
 * target could not write itself without copy-on-write: for the zero page,
 * KSM pages, pages shared with a forked child, and clean private file
 * pages, the target's own copy-on-write break happens first and the mirror
 * then maps the target's new private page; for mappings the target cannot
 * write at all (read-only), the access gets SIGBUS. Pages written through
 * the mirror are marked dirty, so data written into shmem or a file
 * reaches it.
 *
 * Mirror mappings are not inherited across fork() (VM_DONTCOPY: the child
 * has a hole there; madvise(MADV_DOFORK) on them fails with EINVAL), are
 * not expandable with mremap(), and are left out of core dumps. They can
 * be moved, split and partly unmapped like any mapping. Closing the mirror
 * fd does not affect existing mappings, which keep working until munmap().
 * While any fd or mapping exists the module cannot be unloaded.
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
 * own mem file does the access, with the checks read(2) and write(2) make
 * on it (its open mode, the LSM file-permission hook, fsnotify events:
 * errors such as EACCES or EPERM from an LSM are passed on). write/pwrite
 * on a read-only mirror fails with EBADF. lseek supports SEEK_SET and
 * SEEK_CUR.
 *
 * Views, windows and revocation
 * -----------------------------
 * A view is an offset space of REMOTE_PROC_VIEW_CREATE's size made of
 * windows, each mapping view offsets [offset, offset + length) to a range
 * of a source address space with rights (read, write, exec). The source is
 * an attached target (a mirror fd from REMOTE_PROC_IOC_ATTACH) or the
 * address space of the process calling MAP (REMOTE_PROC_MAP_SELF): a
 * process shares a memfd, a shmem segment or a file by mapping it itself
 * and windowing that range. Windows never overlap; offsets outside every
 * window are holes. Access fds of a view behave like mirror fds, with the
 * window's source in place of the target:
 *  - mmap: a fault maps the source's current page, coherently (see above);
 *    holes give SIGBUS. mmap with PROT_WRITE (or PROT_EXEC) over a window
 *    without the write (exec) right fails with EACCES; the mapping also
 *    loses VM_MAYWRITE (VM_MAYEXEC), so mprotect() can never add a right
 *    a window in its range lacks. A window added later into a hole of an
 *    existing mapping is checked at fault time: a write (or any access of
 *    an executable mapping) to a window without that right gives SIGBUS;
 *    and mprotect() adding PROT_WRITE (PROT_EXEC) over a range that holds
 *    any window without that right fails with EACCES.
 *    A PTE is writable only if the window grants write, the mapping is
 *    PROT_WRITE, and the source page is writable after any copy-on-write
 *    break in the source.
 *  - read/write: as on a mirror, through the source's mem file; a hole
 *    fails with EIO, a write into a window without the write right with
 *    EACCES (short counts when some bytes were transferred).
 * REMOTE_PROC_IOC_UNMAP revokes: before it returns, every mapping of the
 * range in every process is zapped; later accesses give SIGBUS (EIO for
 * pread), and a fault already in flight cannot bring a revoked page back.
 * Windows partly inside the range are cut down to the part outside it.
 * REMOTE_PROC_IOC_LOCK seals the layout for good: MAP and UNMAP then fail
 * with EPERM. Legacy mirrors are sealed from the start.
 *
 * poll() on an access fd (or a mirror fd) always reports POLLIN|POLLRDNORM
 * (and POLLOUT|POLLWRNORM on a writable fd), plus POLLPRI once the view's
 * generation (the number of revoking UNMAPs so far) differs from the one
 * last read with REMOTE_PROC_IOC_QUERY on that fd, and POLLHUP once a
 * source target of the view has exited or exec'd. A consumer can thus
 * react to a revocation instead of dying on SIGBUS.
 *
 * Limits (module parameters, in /sys/module/remote_proc/parameters):
 * max_windows_per_view (default 4096), max_views_per_fd (views alive
 * that one device fd created; default 256) and max_windows_per_user
 * (windows alive, of views and mirrors alike, that one real uid created
 * through any number of device fds; default 262144). Exceeding them fails
 * with ENOSPC. The kernel memory of targets, views and windows, and the
 * page tables of their mappings, are charged to the memory cgroup of the
 * process that creates them.
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
#define _REMOTE_PROC_IOC_QUERY		0x02	/* mirror, access, control fd */
#define _REMOTE_PROC_IOC_VIEW_CREATE	0x03	/* device fd */
#define _REMOTE_PROC_IOC_MAP		0x04	/* control fd */
#define _REMOTE_PROC_IOC_UNMAP		0x05	/* control fd */
#define _REMOTE_PROC_IOC_LOCK		0x06	/* control fd */
#define _REMOTE_PROC_IOC_ACCESS_FD	0x07	/* control fd */
#define _REMOTE_PROC_IOC_POPULATE	0x08	/* mirror, access fd */

/*
 * Features (remote_proc_api.features).
 * WRITE:      writable mirrors (REMOTE_PROC_ATTACH_WRITE).
 * RW:         read/write/pread/pwrite on mirror fds.
 * ATTACH_PID: attaching by pid (REMOTE_PROC_ATTACH_PID).
 * SELF:       a process may attach to itself.
 * VIEWS:      views, windows, revocation (VIEW_CREATE, MAP, UNMAP, LOCK,
 *             ACCESS_FD; poll on access fds).
 * POPULATE:   REMOTE_PROC_IOC_POPULATE and MAP_POPULATE; faults also map
 *             neighbouring pages already present in the source.
 * PMD:        a THP of the source is mapped with one 2 MiB page-table entry
 *             (kernels with huge PFN mappings, 6.12 and later; elsewhere
 *             the bit is clear and 4 KiB entries are used).
 * EXEC:       mirror and view fds can be mapped PROT_EXEC over windows with
 *             REMOTE_PROC_RIGHT_EXEC (mirrors have it). Clear on kernels
 *             that make every pseudo file non-executable (7.2, whose
 *             anonymous inodes may never be mapped executable): there MAP
 *             with RIGHT_EXEC fails with EOPNOTSUPP, mirrors lack the
 *             right, and mmap() with PROT_EXEC fails with EPERM (the
 *             kernel's own answer for a non-executable file).
 */
#define REMOTE_PROC_FEATURE_WRITE	_BITULL(0)
#define REMOTE_PROC_FEATURE_RW		_BITULL(1)
#define REMOTE_PROC_FEATURE_ATTACH_PID	_BITULL(2)
#define REMOTE_PROC_FEATURE_SELF	_BITULL(3)
#define REMOTE_PROC_FEATURE_VIEWS	_BITULL(4)
#define REMOTE_PROC_FEATURE_POPULATE	_BITULL(5)
#define REMOTE_PROC_FEATURE_PMD		_BITULL(6)
#define REMOTE_PROC_FEATURE_EXEC	_BITULL(7)

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
 *                 an LSM), the mem file is not open for reading, or WRITE
 *                 was asked for and it is not open for writing;
 *         ESRCH   no such process (ATTACH_PID), or the target has no user
 *                 address space: a kernel thread, a zombie, or a process
 *                 that has exited or exec'd since the mem file was opened;
 *         EINTR   a fatal signal arrived while registering with the
 *                 target's address space;
 *         ENOSPC  the caller's uid has max_windows_per_user windows (a
 *                 mirror is a view of one window);
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
 * REMOTE_PROC_IOC_QUERY (mirror, access or control fd): read-only state.
 * All fields are out; the kernel writes as much of its struct as the
 * caller's size holds. On an access or mirror fd it also acknowledges the
 * generation it returns, for poll() (see Views).
 *
 * flags       out: REMOTE_PROC_QUERY_*.
 * pid         out: for a mirror fd, the target's pid (thread-group id) in
 *                  the caller's pid namespace, or 0 when it is not visible
 *                  there or has been reaped; 0 for views.
 * size        out: size of the offset space (for a mirror, the highest user
 *                  address plus one).
 * generation  out: number of revoking UNMAPs of the view so far (ver1).
 * nr_windows  out: number of windows of the view (ver1).
 *
 * REMOTE_PROC_QUERY_WRITABLE  this fd is open for writing.
 * REMOTE_PROC_QUERY_DEAD      a source target exited or exec'd: its
 *                             windows give SIGBUS, pread returns 0.
 * REMOTE_PROC_QUERY_SEALED    the layout is locked (always for mirrors).
 * REMOTE_PROC_QUERY_MIRROR    a mirror fd (from ATTACH).
 * REMOTE_PROC_QUERY_CONTROL   a control fd (from VIEW_CREATE).
 *
 * Returns 0. Errors: EFAULT; EINVAL for a struct shorter than ver0.
 */
struct remote_proc_query {
	__u64 flags;
	__s32 pid;
	__u32 __reserved0;
	__u64 size;
	__u64 generation;
	__u32 nr_windows;
	__u32 __reserved1;
};

#define REMOTE_PROC_QUERY_SIZE_VER0	24
#define REMOTE_PROC_QUERY_SIZE_VER1	40

#define REMOTE_PROC_QUERY_WRITABLE	_BITULL(0)
#define REMOTE_PROC_QUERY_DEAD		_BITULL(1)
#define REMOTE_PROC_QUERY_SEALED	_BITULL(2)
#define REMOTE_PROC_QUERY_MIRROR	_BITULL(3)
#define REMOTE_PROC_QUERY_CONTROL	_BITULL(4)

/*
 * REMOTE_PROC_IOC_VIEW_CREATE (device fd): create an empty view.
 *
 * flags     in:  0.
 * size      in:  size of the view's offset space in bytes, page aligned;
 *                0 for the largest user address space.
 *
 * Returns the new control fd (close-on-exec).
 * Errors: EBADFD  no successful handshake on this device fd;
 *         EINVAL  unknown flags, a non-zero reserved field, an unaligned
 *                 size or one above the largest user address space;
 *         E2BIG, EFAULT  as for every ioctl;
 *         ENOSPC  this device fd already has max_views_per_fd views alive;
 *         EMFILE, ENFILE, ENOMEM  resource limits.
 */
struct remote_proc_view_create {
	__u32 flags;
	__u32 __reserved0;
	__u64 size;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_VIEW_CREATE_SIZE_VER0	32

/*
 * REMOTE_PROC_IOC_MAP (control fd): add a window.
 *
 * flags        in: REMOTE_PROC_MAP_SELF, or 0.
 * rights       in: REMOTE_PROC_RIGHT_READ (required), _WRITE, _EXEC.
 * source       in: a mirror fd (from ATTACH) whose target is the source;
 *                  must be -1 with REMOTE_PROC_MAP_SELF.
 * source_addr  in: page-aligned start in the source address space.
 * offset       in: page-aligned start in the view.
 * length       in: page-aligned, non-zero length.
 *
 * REMOTE_PROC_MAP_SELF  the source is the calling process's own address
 *                       space (a range it mapped, e.g. of a memfd).
 *
 * Returns 0.
 * Errors: EINVAL     unknown flags or rights, READ missing, a non-zero
 *                    reserved field, unaligned addresses, zero length, or
 *                    a source fd given with MAP_SELF;
 *         EOVERFLOW  the range wraps, ends past the view's size, or ends
 *                    past the largest user address in the source;
 *         EEXIST     the range overlaps a window;
 *         EPERM      the view is sealed;
 *         EBADF      source is not a mirror fd;
 *         EACCES     WRITE asked with a read-only mirror as source;
 *         ESRCH      the source target exited or exec'd;
 *         ENOSPC     the view already has max_windows_per_view windows,
 *                    or the caller's uid has max_windows_per_user;
 *         EOPNOTSUPP RIGHT_EXEC on a kernel without REMOTE_PROC_FEATURE_EXEC;
 *         EINTR, ENOMEM, E2BIG, EFAULT.
 * On error the view is unchanged.
 */
struct remote_proc_map {
	__u32 flags;
	__u32 rights;
	__s32 source;
	__u32 __reserved0;
	__u64 source_addr;
	__u64 offset;
	__u64 length;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_MAP_SIZE_VER0	56

#define REMOTE_PROC_MAP_SELF		0x1

#define REMOTE_PROC_RIGHT_READ		0x1
#define REMOTE_PROC_RIGHT_WRITE		0x2
#define REMOTE_PROC_RIGHT_EXEC		0x4

/*
 * REMOTE_PROC_IOC_UNMAP (control fd): revoke a range of the view.
 *
 * flags     in: 0.
 * offset    in: page-aligned start.
 * length    in: page-aligned, non-zero length.
 *
 * Every window inside the range is removed; windows partly inside it keep
 * only their parts outside it. All mappings of the range are zapped before
 * this returns, in every process, and the view's generation goes up by one.
 * Returns 0.
 * Errors: EINVAL (flags, reserved, alignment, zero length), EOVERFLOW (the
 *         range wraps or ends past the view's size), EPERM (sealed),
 *         ENOENT (no window intersects the range), ENOSPC (cutting a window
 *         in two would exceed max_windows_per_view, or the caller's uid
 *         max_windows_per_user), ENOMEM, E2BIG, EFAULT.
 *         On error the view is unchanged.
 */
struct remote_proc_unmap {
	__u32 flags;
	__u32 __reserved0;
	__u64 offset;
	__u64 length;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_UNMAP_SIZE_VER0	40

/*
 * REMOTE_PROC_IOC_LOCK (control fd): seal the layout, for good.
 * flags in: 0. Returns 0 (also when already sealed).
 * Errors: EINVAL (flags, reserved), E2BIG, EFAULT.
 */
struct remote_proc_lock {
	__u32 flags;
	__u32 __reserved0;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_LOCK_SIZE_VER0	24

/*
 * REMOTE_PROC_IOC_ACCESS_FD (control fd): a new access fd of the view.
 *
 * flags in: REMOTE_PROC_ACCESS_WRITE for an O_RDWR fd (needed for
 *           PROT_WRITE mappings and write/pwrite), else O_RDONLY.
 *
 * Returns the new access fd (close-on-exec); any number may exist.
 * Errors: EINVAL (flags, reserved), EMFILE, ENFILE, ENOMEM, E2BIG, EFAULT.
 */
struct remote_proc_access_fd {
	__u32 flags;
	__u32 __reserved0;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_ACCESS_FD_SIZE_VER0	24

#define REMOTE_PROC_ACCESS_WRITE	0x1

/*
 * REMOTE_PROC_IOC_POPULATE (mirror or access fd): map pages ahead of use.
 *
 * addr       in:  page-aligned start, in the caller, of a mapping of this
 *                 fd's view (any fd of the same view).
 * length     in:  page-aligned, non-zero length; the whole range must be
 *                 such mappings.
 * flags      in:  REMOTE_PROC_POPULATE_WRITE: map writable, faulting the
 *                 source for write first (breaking copy-on-write there);
 *                 needs PROT_WRITE mappings. Windows without the write
 *                 right are skipped.
 * populated  out: the number of 4 KiB pages mapped, or (with WRITE) made
 *                 writable where a read had mapped them read-only.
 *
 * Source pages are faulted in first, with only the source's mmap_lock
 * held; then every page present in the source is mapped. Holes and pages
 * the source cannot provide are skipped (they fault as usual later): the
 * holes of the view and the ranges without a source mapping are stepped
 * over whole, so populating a huge sparse range is quick, and a fatal
 * signal ends it (EINTR) wherever it is.
 * mmap() with MAP_POPULATE does the same for the new mapping (read-only)
 * before mmap() returns.
 * Returns 0.
 * Errors: EINVAL     flags, reserved, alignment, zero length;
 *         EOVERFLOW  the range wraps;
 *         ENXIO      part of the range is not a mapping of this view;
 *         EACCES     WRITE with a mapping without PROT_WRITE;
 *         ENOMEM     no memory for a page table of the mapping (they are
 *                    charged to the caller's memory cgroup);
 *         EINTR, E2BIG, EFAULT.
 * Pages mapped before an error stay mapped (populated says how many).
 */
struct remote_proc_populate {
	__u64 addr;
	__u64 length;
	__u32 flags;
	__u32 __reserved0;
	__u64 populated;
	__u64 __reserved1[2];
};

#define REMOTE_PROC_POPULATE_SIZE_VER0	48

#define REMOTE_PROC_POPULATE_WRITE	0x1

#define REMOTE_PROC_IOC_API	_IOWR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_API, \
				      struct remote_proc_api)
#define REMOTE_PROC_IOC_ATTACH	_IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_ATTACH, \
				     struct remote_proc_attach)
#define REMOTE_PROC_IOC_QUERY	_IOR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_QUERY, \
				     struct remote_proc_query)
#define REMOTE_PROC_IOC_VIEW_CREATE _IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_VIEW_CREATE, \
					 struct remote_proc_view_create)
#define REMOTE_PROC_IOC_MAP	_IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_MAP, \
				     struct remote_proc_map)
#define REMOTE_PROC_IOC_UNMAP	_IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_UNMAP, \
				     struct remote_proc_unmap)
#define REMOTE_PROC_IOC_LOCK	_IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_LOCK, \
				     struct remote_proc_lock)
#define REMOTE_PROC_IOC_ACCESS_FD _IOW(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_ACCESS_FD, \
				       struct remote_proc_access_fd)
#define REMOTE_PROC_IOC_POPULATE _IOWR(REMOTE_PROC_IOC_TYPE, _REMOTE_PROC_IOC_POPULATE, \
				       struct remote_proc_populate)

#endif /* _UAPI_LINUX_REMOTE_PROC_H */
