/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/* Shared between the remote-proc CLI's sources. */
#ifndef _REMOTE_PROC_CLI_H
#define _REMOTE_PROC_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "libremoteproc.h"

/* Exit codes (documented in --help and the man page). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* nothing done; the message says what to do */
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,	/* some addresses could not be read or written */
	EXIT_GONE = 4,		/* the target exited (or exec'd) meanwhile */
	EXIT_NOMATCH = 5,	/* find: no match */
};

/* Global options, set by main() before a command runs. */
struct cli_opts {
	const char *device;	/* NULL: the default node */
	bool proc_mem;		/* read through /proc/PID/mem, not the device */
};
extern struct cli_opts cli;

/* Target memory areas, from /proc/PID/smaps (or maps). */
#define VMA_IO		0x1	/* VM_IO */
#define VMA_PFNMAP	0x2	/* VM_PFNMAP: device memory or a mirror */
#define VMA_FLAGS_KNOWN	0x80	/* the VmFlags line was read */

struct vma {
	uint64_t start, end;
	uint64_t offset;	/* into the file; 0 for other areas */
	char perms[5];
	char dev[16];		/* "major:minor" as /proc/PID/maps prints it */
	unsigned long inode;
	unsigned int flags;	/* VMA_* */
	uint32_t reason;	/* enum remote_proc_area_reason, judged without a size */
	char name[256];		/* with " (deleted)", as /proc/PID/maps prints it */
};

struct vma_list {
	struct vma *v;
	size_t n;
};

/*
 * A target the command attached to: through a mirror, or, without the
 * device, through /proc/PID/mem (procmem: memfd, and the areas read from
 * smaps; info.size is then computed, as TASK_SIZE_MAX).
 */
struct session {
	pid_t pid;
	int pidfd;		/* pollable: readable once the target exits */
	int mirror;
	struct remote_proc_mirror_info info;
	bool procmem;
	pid_t tgid;		/* procmem: the process of pid, a thread's too */
	int memfd;
	struct vma_list areas;
};

/* Open the device and negotiate the features in want; prints what went wrong. fd or -1. */
int device_open(uint64_t want);
/* Attach to pid (writable: for poke). Prints what went wrong; 0 or an exit code. */
int session_open(struct session *s, pid_t pid, bool writable);
void session_close(struct session *s);
/* Whether the target has exited or exec'd (the mirror is dead). */
bool session_dead(struct session *s);
/*
 * Read-only access to [addr, addr + len): a mapping of the mirror, or a
 * copy (procmem). *map is the byte at addr. 0 or -errno.
 */
int session_map(struct session *s, uint64_t addr, uint64_t len, void **map);
/* Copy the target's bytes again into a copy; nothing for a mirror. 0 or -errno. */
int session_refresh(struct session *s, void *map, uint64_t addr, uint64_t len);
void session_unmap(void *map, uint64_t len);

/*
 * The /proc/PID/mem fallback (procmem.c): a copy of [addr, addr + len)
 * made with the session's list of areas, or (fresh) with a look at the
 * target's areas before and after.
 */
int procmem_open(pid_t pid);				/* fd or -errno */
bool procmem_dead(int fd);				/* exited or exec'd */
uint64_t procmem_size(void);				/* the end of the address space */
int procmem_map(struct session *s, uint64_t addr, uint64_t len, void **map);
int procmem_fill(struct session *s, void *map, uint64_t addr, uint64_t len, bool fresh);

/* Messages on stderr: "remote-proc: ..." and indented hints. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verr_msg(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Explain a failed mapping of [addr, addr + len). */
void explain_map_error(struct session *s, int err, uint64_t addr, uint64_t len);

/* Argument parsing; each prints its own error. 0 or -1. */
int parse_pid(const char *s, pid_t *pid);
int parse_addr(const char *s, uint64_t *addr);		/* hexadecimal, 0x optional */
int parse_size(const char *s, uint64_t *len);		/* decimal or 0x, K/M/G suffixes */
/* The same two, silent: whether s is one. */
bool scan_hex(const char *s, uint64_t *v);
bool scan_size(const char *s, uint64_t *len);
int parse_seconds(const char *s, double *sec);
/*
 * ADDR of process pid: hexadecimal, or symbolic from /proc/PID/maps
 * ([heap], NAME+OFF; addr.c). With len, also a START-END range, which
 * sets *len (0 otherwise); without, a range is refused. 0 or -1.
 */
int parse_addr_in(pid_t pid, const char *s, uint64_t *addr, uint64_t *len);
/*
 * ADDR LEN from the n arguments at args, or one START-END range: how many
 * it took (1 or 2), or -1 after a message. cmd names the command.
 */
int parse_addr_len(const char *cmd, pid_t pid, char *const *args, int n,
		   uint64_t *addr, uint64_t *len);

/* Usage error: message, pointer to --help, EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* From smaps (with VmFlags), or from maps only; 0 or -errno. */
int vmas_read(pid_t pid, struct vma_list *l);
int vmas_read_maps(pid_t pid, struct vma_list *l);
void vmas_free(struct vma_list *l);
const struct vma *vmas_find(const struct vma_list *l, uint64_t addr);
/* The first area ending after addr (addr may be in a hole), or NULL. */
const struct vma *vmas_next(const struct vma_list *l, uint64_t addr);
/* Why an area cannot be mirrored, or NULL when it can. */
const char *vma_unmirrorable(const struct vma *v, uint64_t mirror_size);
/* The name to show for an area ("[anon]" when it has none). */
const char *vma_label(const struct vma *v);
/* Why addr is unreadable now, from a fresh look at the target. */
const char *why_unreadable(struct session *s, uint64_t addr);

/*
 * Reads of mirror mappings that may raise SIGBUS, through the library's
 * remote_proc_copy_from_map() and friends. Each returns 0, or SIGBUS;
 * *fault gets the faulting address (for a copy, the start of the first
 * page that faulted).
 */
int guard_copy(void *dst, const volatile void *src, size_t len, uintptr_t *fault);
int guard_load(const volatile void *src, unsigned int bytes, uint64_t *val,
	       uintptr_t *fault);
/* pattern_search() over mirror memory: *hit is NULL when there is no match. */
struct pattern;
int guard_search(const void *hay, size_t hlen, const struct pattern *pat,
		 const void **hit, uintptr_t *fault);

/* find's patterns: the bits of bytes[i] that mask[i] has set must match. */
#define MAX_PATTERN 4096
struct pattern {
	uint8_t bytes[MAX_PATTERN];
	uint8_t mask[MAX_PATTERN];
	size_t len;
	bool masked;		/* some bit is not compared */
	size_t anchor;		/* a byte compared whole, or SIZE_MAX */
};
/* Hexadecimal bytes, ?? (or a ? digit) matching anything. 0 or -1. */
int pattern_hex(struct pattern *p, const char *s);
/* The bytes of s, all compared. */
void pattern_string(struct pattern *p, const char *s, size_t len);
/* Compare only the bits set in s, hexadecimal bytes as many as the pattern's. 0 or -1. */
int pattern_mask(struct pattern *p, const char *s);
/* Ready p for searching; -1 if it compares nothing. */
int pattern_finish(struct pattern *p);
/* The first match in hay[0..hlen), or NULL. */
const void *pattern_search(const void *hay, size_t hlen, const struct pattern *p);

/* Value types of peek -t. */
enum vtype_kind { VT_UINT, VT_INT, VT_FLOAT, VT_STRING };
struct vtype {
	const char *name;
	enum vtype_kind kind;
	unsigned int bytes;	/* 1 for a string */
};
/* The type called name (u8 ... f64, string), or NULL. */
const struct vtype *vtype_find(const char *name);
/* An integer of bytes bytes: mode 'x' hexadecimal, 'd' unsigned, 's' signed. */
void print_int(FILE *f, uint64_t v, unsigned int bytes, char mode);
/* The float (bytes 4) or double in v's low bytes, in the fewest digits. */
void print_float(FILE *f, uint64_t v, unsigned int bytes);
/* Quoted, with C escapes for '"', '\\' and non-printable bytes. */
void print_cstring(FILE *f, const uint8_t *s, size_t n);

/* Hexdump lines: 16 bytes, "??" for bytes that could not be read. */
enum hex_style { HEX_PLAIN, HEX_ANSI };
void hex_line(FILE *f, uint64_t addr, const uint8_t *b, const bool *ok,
	      const bool *changed, size_t n, enum hex_style style);
/* Under a plain line: ^^ below the changed bytes. */
void hex_marks(FILE *f, const bool *changed, size_t n);

/*
 * JSON output (json.c), ASCII only: a string of bytes, quoted, with '"',
 * '\\' and control characters escaped and each byte from 0x7f up as
 * \u00XX (so a decoded string's code points are the bytes); a number as
 * a "0x..." string; bytes as one string of hexadecimal digit pairs.
 */
void json_strn(FILE *f, const char *s, size_t n);
void json_str(FILE *f, const char *s);
void json_hex(FILE *f, uint64_t v);
void json_hexbytes(FILE *f, const uint8_t *b, size_t n);

/* A progress line on stderr, only when stdout and stderr are terminals. */
struct progress {
	bool on, shown;
	const char *what;
	uint64_t total, start_ns, last_ns;
};
void progress_start(struct progress *p, const char *what, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Erase the line (before printing to a shared terminal, and at the end). */
void progress_clear(struct progress *p);

uint64_t now_ns(void);
uint64_t page_size(void);
/* "4.0K", "1.5M": human-readable sizes. */
const char *human_size(uint64_t n, char *buf, size_t len);

/* Commands: argc/argv start at the command name. Return an exit code. */
int cmd_maps(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_peek(int argc, char **argv);
int cmd_poke(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_find(int argc, char **argv);
int cmd_view(int argc, char **argv);

#endif /* _REMOTE_PROC_CLI_H */
