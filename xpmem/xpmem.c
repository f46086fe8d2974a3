// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * libxpmem-remoteproc: XPMEM's API over libremoteproc.
 *
 * XPMEM's ids are process-global by design (a segment id is an integer any
 * process may use), so this library keeps one state per process, guarded
 * by a mutex; every call is thread-safe.
 *
 * Segments. Each maker keeps a table of its segments in a shared memory
 * file named "xpmem-remoteproc" (memfd), mapped in its own address space,
 * where a peer finds it through /proc/PID/maps and reads it through a
 * mirror. A segment id is the maker's pid in the upper 32 bits and a
 * serial in the lower, unique within the maker, so an id is never reused
 * for another segment while the maker lives. The table is mapped once,
 * between two guard pages, at the first xpmem_make(); a child of fork()
 * that makes segments replaces it, at the same address, by a table of its
 * own (the parent's stays the parent's).
 *
 * Access. xpmem_get() attaches a remote-proc mirror to the maker (the
 * kernel's /proc/PID/mem permission check) and then applies the segment's
 * mode the way SysV IPC does: the owner's bits if the caller's effective
 * uid is the maker's real uid, else the group's if its effective or a
 * supplementary gid is the maker's real gid, else the others'; reading
 * needs r, XPMEM_RDWR needs w too. xpmem_attach() maps the mirror
 * (read-only for an XPMEM_RDONLY permit); a source page unmapped by the
 * maker, or a maker that exited, raises SIGBUS, as with XPMEM.
 * xpmem_release() detaches the permit's attachments; xpmem_remove() stops
 * new gets but leaves existing attachments working (see docs/xpmem.txt).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>

#include <libremoteproc.h>

#include "xpmem.h"

#define XP_EXPORT __attribute__((visibility("default")))

/* XPMEM's interface version that this library implements. */
#define XP_VERSION		0x00026005

#define XP_TABLE_NAME		"xpmem-remoteproc"
#define XP_TABLE_MAGIC		0x31305052504d5058ull	/* "XPMPRP01" */
#define XP_MAX_SEGS		1024
#define XP_MAX_GETS		4096
#define XP_MAX_ATTACH		65536

/* One exported segment, as peers read it. token 0: a free slot. */
struct xp_seg {
	uint32_t token;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint64_t vaddr;
	uint64_t size;
};

struct xp_table {
	uint64_t magic;
	uint32_t nsegs;		/* slots in use or used since (a scan bound) */
	uint32_t pad;
	struct xp_seg segs[XP_MAX_SEGS];
};

struct xp_get {
	xpmem_apid_t apid;	/* 0: free */
	int mirror;
	int flags;
	uint64_t vaddr, size;
};

struct xp_attach {
	char *ptr;		/* NULL: free */
	size_t len;
	xpmem_apid_t apid;	/* xpmem_release() detaches it */
};

static struct {
	pthread_mutex_t lock;
	pid_t pid;		/* the process the state belongs to */
	int dev;		/* -1 until first needed */
	struct xp_table *table;	/* NULL until the first xpmem_make() */
	size_t table_len;
	uint32_t serial;
	uint32_t get_serial;
	struct xp_get gets[XP_MAX_GETS];
	struct xp_attach *attach;
	size_t nattach;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER, .dev = -1 };

/* fork() in another thread must not leave the child's lock held. */
static void fork_prepare(void)
{
	pthread_mutex_lock(&st.lock);
}

static void fork_done(void)
{
	pthread_mutex_unlock(&st.lock);
}

__attribute__((constructor)) static void xp_setup(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/*
 * Under Yama's ptrace_scope 1 only ancestors may attach; XPMEM's peers are
 * siblings (MPI ranks). A maker lets any process of its user attach, as
 * MPI stacks already do for process_vm_readv: the kernel's other checks
 * (same user, dumpable) still apply. No Yama: nothing to do.
 */
static void allow_peers(void)
{
	(void)prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
}

/*
 * After fork() the child inherits the parent's state: its gets and
 * attachments are not the child's (mirror mappings are not inherited),
 * and the table mapping is shared with the parent. Forget all of it.
 */
static void forget_parent(void)
{
	pid_t me = getpid();

	if (st.pid == me)
		return;
	for (int i = 0; i < XP_MAX_GETS; i++) {
		if (st.gets[i].apid && st.gets[i].mirror >= 0)
			close(st.gets[i].mirror);
		st.gets[i].apid = 0;
	}
	free(st.attach);
	st.attach = NULL;
	st.nattach = 0;
	if (st.table) {
		/* Keep the address (guard pages stay); a fresh table in place. */
		int fd = memfd_create(XP_TABLE_NAME, MFD_CLOEXEC);

		if (fd >= 0 && ftruncate(fd, (off_t)st.table_len) == 0 &&
		    mmap(st.table, st.table_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED) {
			st.table->magic = XP_TABLE_MAGIC;
			allow_peers();
		} else {
			munmap(st.table, st.table_len);
			st.table = NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	st.pid = me;
}

static int open_dev(void)
{
	int dev, r;

	if (st.dev >= 0)
		return 0;
	dev = remote_proc_dev_open(NULL);
	if (dev < 0)
		return dev == -ENOENT ? -ENODEV : dev;
	r = remote_proc_dev_handshake(dev, REMOTE_PROC_HAS_SELF, NULL, 0);
	if (r < 0) {
		close(dev);
		return r == -EINVAL ? -ENODEV : r;
	}
	st.dev = dev;
	return 0;
}

/* The table, mapped between two PROT_NONE guard pages. */
static int make_table(void)
{
	size_t ps = page_size(), len = (sizeof(struct xp_table) + ps - 1) & ~(ps - 1);
	char *area;
	int fd;

	if (st.table)
		return 0;
	area = mmap(NULL, len + 2 * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return -ENOMEM;
	fd = memfd_create(XP_TABLE_NAME, MFD_CLOEXEC);
	if (fd < 0) {
		munmap(area, len + 2 * ps);
		return -errno;
	}
	if (ftruncate(fd, (off_t)len) < 0 ||
	    mmap(area + ps, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) ==
	    MAP_FAILED) {
		int err = errno;

		close(fd);
		munmap(area, len + 2 * ps);
		return -err;
	}
	close(fd);
	allow_peers();
	st.table = (struct xp_table *)(area + ps);
	st.table_len = len;
	st.table->magic = XP_TABLE_MAGIC;
	if (!st.serial && getrandom(&st.serial, sizeof(st.serial), 0) != sizeof(st.serial))
		st.serial = (uint32_t)getpid() * 2654435761u;
	return 0;
}

XP_EXPORT int xpmem_version(void)
{
	return XP_VERSION;
}

XP_EXPORT int xpmem_init(void)
{
	int r;

	pthread_mutex_lock(&st.lock);
	forget_parent();
	r = open_dev();
	pthread_mutex_unlock(&st.lock);
	return r < 0 ? fail(-r) : 0;
}

XP_EXPORT xpmem_segid_t xpmem_make(void *vaddr, size_t size, int permit_type,
				   void *permit_value)
{
	uintptr_t mode = (uintptr_t)permit_value, start = (uintptr_t)vaddr;
	size_t ps = page_size();
	xpmem_segid_t segid = -1;
	int r, slot = -1;

	if (permit_type != XPMEM_PERMIT_MODE || (mode & ~(uintptr_t)0777) ||
	    (start & (ps - 1)) || !size ||
	    (size != XPMEM_MAXADDR_SIZE && ((size & (ps - 1)) || size > UINTPTR_MAX - start)))
		return fail(EINVAL);
	pthread_mutex_lock(&st.lock);
	forget_parent();
	r = make_table();
	if (r < 0) {
		errno = -r;
		goto unlock;
	}
	for (int i = 0; i < XP_MAX_SEGS; i++) {
		if (!st.table->segs[i].token) {
			slot = i;
			break;
		}
	}
	if (slot < 0) {
		errno = ENOSPC;
		goto unlock;
	}
	do {
		st.serial = (st.serial + 1) & 0x7fffffff;
	} while (!st.serial);
	/* As XPMEM: the maker's real ids own the segment. */
	st.table->segs[slot] = (struct xp_seg) {
		.mode = (uint32_t)mode, .uid = getuid(), .gid = getgid(),
		.vaddr = start, .size = size == XPMEM_MAXADDR_SIZE ? UINT64_MAX - start : size,
	};
	/* Published last: a peer reading the table sees a complete entry. */
	__atomic_store_n(&st.table->segs[slot].token, st.serial, __ATOMIC_RELEASE);
	if ((uint32_t)slot >= st.table->nsegs)
		__atomic_store_n(&st.table->nsegs, slot + 1, __ATOMIC_RELEASE);
	segid = ((xpmem_segid_t)getpid() << 32) | st.serial;
unlock:
	pthread_mutex_unlock(&st.lock);
	return segid;
}

XP_EXPORT int xpmem_remove(xpmem_segid_t segid)
{
	int r = -1;

	if (segid <= 0)
		return fail(EINVAL);
	pthread_mutex_lock(&st.lock);
	forget_parent();
	errno = (pid_t)(segid >> 32) == st.pid ? ENOENT : EACCES;
	if ((pid_t)(segid >> 32) == st.pid && st.table) {
		for (uint32_t i = 0; i < st.table->nsegs; i++) {
			if (st.table->segs[i].token == (uint32_t)segid) {
				__atomic_store_n(&st.table->segs[i].token, 0, __ATOMIC_RELEASE);
				r = 0;
				break;
			}
		}
	}
	pthread_mutex_unlock(&st.lock);
	return r;
}

/* The address of the maker's table, from /proc/PID/maps; 0 if none. */
static uint64_t find_table(pid_t pid)
{
	char path[64], line[512];
	uint64_t addr = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start;

		if (!strstr(line, "/memfd:" XP_TABLE_NAME " (deleted)") &&
		    !strstr(line, "/memfd:" XP_TABLE_NAME "\n"))
			continue;
		if (sscanf(line, "%llx-", &start) == 1) {
			addr = start;
			break;
		}
	}
	fclose(f);
	return addr;
}

static bool in_groups(gid_t gid)
{
	gid_t groups[256];
	int n;

	if (getegid() == gid)
		return true;
	n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* SysV IPC style: the owner's, the group's or the others' bits. */
static bool mode_allows(const struct xp_seg *s, int flags)
{
	unsigned int bits;

	if (geteuid() == s->uid)
		bits = (s->mode >> 6) & 7;
	else if (in_groups(s->gid))
		bits = (s->mode >> 3) & 7;
	else
		bits = s->mode & 7;
	return (bits & 4) && (flags == XPMEM_RDONLY || (bits & 2));
}

XP_EXPORT xpmem_apid_t xpmem_get(xpmem_segid_t segid, int flags, int permit_type,
				 void *permit_value)
{
	pid_t pid = (pid_t)(segid >> 32);
	struct xp_table *t = NULL;
	xpmem_apid_t apid = -1;
	int mirror = -1, err, slot = -1;
	uint64_t where;
	struct xp_seg seg;

	if (segid <= 0 || pid <= 0 || !(uint32_t)segid || permit_value ||
	    (flags != XPMEM_RDONLY && flags != XPMEM_RDWR) || permit_type != XPMEM_PERMIT_MODE)
		return fail(EINVAL);
	pthread_mutex_lock(&st.lock);
	forget_parent();
	err = -open_dev();
	if (err)
		goto out;
	for (int i = 0; i < XP_MAX_GETS; i++) {
		if (!st.gets[i].apid) {
			slot = i;
			break;
		}
	}
	err = ENOMEM;
	if (slot < 0)
		goto out;
	mirror = remote_proc_attach_pid(st.dev, pid,
					flags == XPMEM_RDWR ? REMOTE_PROC_MIRROR_WRITE : 0);
	if (mirror < 0) {
		/* A gone maker is an unknown segment, as with XPMEM. */
		err = mirror == -ESRCH ? ENOENT : -mirror;
		mirror = -1;
		goto out;
	}
	err = ENOENT;
	where = find_table(pid);
	if (!where)
		goto out;
	t = malloc(sizeof(*t));
	err = ENOMEM;
	if (!t)
		goto out;
	err = ENOENT;
	if (remote_proc_pread(mirror, where, t, sizeof(*t)) != (ssize_t)sizeof(*t) ||
	    t->magic != XP_TABLE_MAGIC)
		goto out;
	for (uint32_t i = 0; i < t->nsegs && i < XP_MAX_SEGS; i++) {
		if (t->segs[i].token == (uint32_t)segid) {
			seg = t->segs[i];
			err = 0;
			break;
		}
	}
	if (err)
		goto out;
	err = EACCES;
	if (!mode_allows(&seg, flags))
		goto out;
	do {
		st.get_serial = (st.get_serial + 1) & 0x7fffffff;
	} while (!st.get_serial);
	apid = ((xpmem_apid_t)st.pid << 32) | st.get_serial;
	st.gets[slot] = (struct xp_get) {
		.apid = apid, .mirror = mirror, .flags = flags,
		.vaddr = seg.vaddr, .size = seg.size,
	};
	mirror = -1;
	err = 0;
out:
	pthread_mutex_unlock(&st.lock);
	free(t);
	if (mirror >= 0)
		close(mirror);
	if (err)
		return fail(err);
	return apid;
}

/*
 * The get of apid, or NULL with errno set (the lock held): EINVAL for an
 * id that cannot be one, EACCES for another process's (the parent's,
 * before fork()), ENOENT for one released or never given out.
 */
static struct xp_get *find_get(xpmem_apid_t apid)
{
	if (apid <= 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((pid_t)(apid >> 32) != st.pid) {
		errno = EACCES;
		return NULL;
	}
	for (int i = 0; i < XP_MAX_GETS; i++)
		if (st.gets[i].apid == apid)
			return &st.gets[i];
	errno = ENOENT;
	return NULL;
}

XP_EXPORT int xpmem_release(xpmem_apid_t apid)
{
	struct xp_get *g;
	int r = -1;

	pthread_mutex_lock(&st.lock);
	forget_parent();
	g = find_get(apid);
	if (g) {
		/* As with XPMEM, its attachments go with it. */
		for (size_t i = 0; i < st.nattach; i++) {
			if (st.attach[i].ptr && st.attach[i].apid == apid) {
				munmap(st.attach[i].ptr, st.attach[i].len);
				st.attach[i].ptr = NULL;
			}
		}
		close(g->mirror);
		g->apid = 0;
		r = 0;
	}
	pthread_mutex_unlock(&st.lock);
	return r;
}

static int add_attach(char *ptr, size_t len, xpmem_apid_t apid)
{
	size_t i;

	for (i = 0; i < st.nattach; i++)
		if (!st.attach[i].ptr)
			break;
	if (i == st.nattach) {
		struct xp_attach *n;
		size_t want = st.nattach ? st.nattach * 2 : 16;

		if (want > XP_MAX_ATTACH)
			return -ENOMEM;
		n = realloc(st.attach, want * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + st.nattach, 0, (want - st.nattach) * sizeof(*n));
		st.attach = n;
		st.nattach = want;
	}
	st.attach[i] = (struct xp_attach) { .ptr = ptr, .len = len, .apid = apid };
	return 0;
}

XP_EXPORT void *xpmem_attach(struct xpmem_addr addr, size_t size, void *vaddr)
{
	size_t ps = page_size(), len;
	struct xp_get *g;
	void *p = MAP_FAILED;
	uint64_t off = (uint64_t)addr.offset;
	int prot, err;

	if (addr.offset < 0 || (off & (ps - 1)) || !size || ((uintptr_t)vaddr & (ps - 1))) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	len = (size + ps - 1) & ~(ps - 1);
	if (len < size) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	pthread_mutex_lock(&st.lock);
	forget_parent();
	g = find_get(addr.apid);
	if (!g)
		goto out;
	if (off > g->size || len > g->size - off || g->vaddr + off > (uint64_t)INT64_MAX - len) {
		errno = EINVAL;
		goto out;
	}
	prot = PROT_READ | (g->flags == XPMEM_RDWR ? PROT_WRITE : 0);
	p = mmap(vaddr, len, prot, MAP_SHARED | (vaddr ? MAP_FIXED : 0), g->mirror,
		 (off_t)(g->vaddr + off));
	if (p == MAP_FAILED) {
		/* Past the maker's address space: outside the segment. */
		if (errno == ENXIO)
			errno = EINVAL;
		goto out;
	}
	err = add_attach(p, len, addr.apid);
	if (err) {
		munmap(p, len);
		p = MAP_FAILED;
		errno = -err;
	}
out:
	pthread_mutex_unlock(&st.lock);
	return p;
}

XP_EXPORT int xpmem_detach(void *vaddr)
{
	uintptr_t page = (uintptr_t)vaddr & ~(uintptr_t)(page_size() - 1);
	char *a = vaddr;
	int r = 1;

	pthread_mutex_lock(&st.lock);
	forget_parent();
	for (size_t i = 0; i < st.nattach; i++) {
		struct xp_attach *at = &st.attach[i];

		if (at->ptr && a >= at->ptr && a < at->ptr + at->len) {
			r = munmap(at->ptr, at->len);
			at->ptr = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&st.lock);
	if (r != 1)
		return r;
	/* Not an attachment: nothing to do where nothing is mapped, as with
	 * XPMEM; an address in another mapping is a caller's error. */
	if (msync((void *)page, page_size(), MS_ASYNC) == 0)
		return fail(EINVAL);
	return 0;
}

XP_EXPORT int xpmem_ioctl(int cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return fail(ENOTTY);
}
