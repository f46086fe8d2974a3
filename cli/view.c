// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * view share|info|watch|dump: views from the shell. A view lives only as
 * long as one of its fds (or a mapping of it) does, and this command
 * exits, so "share" creates a view, runs a command with an access fd of
 * it, and revokes the view when the command ends; the other subcommands
 * work on such an inherited fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define FD_ENV		"REMOTE_PROC_VIEW_FD"
#define SIZE_ENV	"REMOTE_PROC_VIEW_SIZE"

static const char view_help[] =
"Usage: remote-proc view SUBCOMMAND [OPTION]... ARGS...\n"
"Share memory through a view: an offset space made of windows onto other\n"
"processes' memory or files, which consumers map or read through an access\n"
"fd, and which the owner can revoke at any time.\n"
"\n"
"A view lives only while one of its fds is open, so 'share' runs a command\n"
"with an access fd of a new view and revokes the view when the command\n"
"ends; 'info', 'watch' and 'dump' work on such an inherited fd (FD may be\n"
"left out when $" FD_ENV " is set, as 'share' sets it).\n"
"\n"
"Subcommands:\n"
"  share [OPTION]... [PID ADDR LEN]... -- COMMAND [ARG]...\n"
"                 window the ranges (and files) into a new view and run\n"
"                 COMMAND with an access fd of it\n"
"  info [FD]      size, windows, generation and state of a view fd\n"
"  watch [FD]     print each revocation of the view and a source's exit\n"
"  dump [FD] OFFSET LEN\n"
"                 hexdump LEN bytes of the view at OFFSET\n"
"\n"
"Run 'remote-proc view SUBCOMMAND --help' for a subcommand's options.\n";

static const char share_help[] =
"Usage: remote-proc view share [OPTION]... [PID ADDR LEN]... -- COMMAND [ARG]...\n"
"  or:  remote-proc view share [OPTION]... [PID START-END]... -- COMMAND [ARG]...\n"
"Create a view with a window onto each range [ADDR, ADDR + LEN) of process\n"
"PID (rounded out to whole pages) and each --file, laid out one after the\n"
"other from offset 0, and run COMMAND with an access fd of the view as\n"
"fd 3 (see --fd) and " FD_ENV " and " SIZE_ENV " in its environment.\n"
"COMMAND can mmap or read the fd: offset X of the view shows the source's\n"
"current bytes, with no copies. The layout is printed on standard error.\n"
"\n"
"When COMMAND exits, or remote-proc gets SIGINT, SIGTERM or SIGHUP, the\n"
"whole view is revoked: processes COMMAND started that still hold the fd\n"
"or a mapping of it get SIGBUS (EIO for read) from then on. A signal sent\n"
"to remote-proc with kill(1) is passed on to COMMAND.\n"
"\n"
"ADDR is hexadecimal (0x optional), [heap], [stack], NAME or NAME+OFF; a\n"
"range can also be PID START-END, as /proc/PID/maps prints it, with no LEN\n"
"(see 'remote-proc --help' for addresses). LEN is decimal or 0x hex, with\n"
"an optional K, M or G suffix. Options go before the ranges.\n"
"\n"
"Options:\n"
"  -f, --file=PATH[:OFF[:LEN]]\n"
"                     also window LEN bytes of the file PATH from OFF (a\n"
"                     multiple of the page size); default: to its end\n"
"  -w, --rw           writable windows and fd: COMMAND's writes reach the\n"
"                     sources (needs write access to them)\n"
"  -F, --fd=N         the access fd's number in COMMAND (default 3; 0 makes\n"
"                     it COMMAND's standard input)\n"
"  -r, --revoke-after=SECONDS\n"
"                     revoke the view after SECONDS while COMMAND runs on\n"
"  -s, --seal         seal the layout: nothing can revoke it, not even\n"
"                     remote-proc, and the view lives on after COMMAND as\n"
"                     long as a process holds an fd or mapping of it (but\n"
"                     --file windows end with remote-proc)\n"
"  -q, --quiet        print nothing but errors\n"
"  -h, --help         display this help and exit\n"
"\n"
"Exit status: COMMAND's (128 + N when it was killed by signal N); 1 or 2\n"
"when the view could not be set up; 126 when COMMAND could not be run,\n"
"127 when it was not found.\n";

static const char info_help[] =
"Usage: remote-proc view info [FD]\n"
"Print the state of the view behind FD, an fd this process inherited (by\n"
"default $" FD_ENV "): the kind of fd, the view's size, its number of\n"
"windows, its generation (how many revocations it has had), whether it is\n"
"sealed and whether a source process has exited. A mirror fd is described\n"
"too. Reading the generation acknowledges a pending revocation on FD, for\n"
"every process that shares the fd.\n"
"\n"
"Options:\n"
"  -h, --help         display this help and exit\n";

static const char watch_help[] =
"Usage: remote-proc view watch [OPTION]... [FD]\n"
"Wait on FD, an access (or mirror) fd this process inherited (by default\n"
"$" FD_ENV "), and print a line for each revocation of the view, with its\n"
"generation and the windows left, and one when a source process exits or\n"
"execs (the fd hangs up). Stops when a source has gone (exit status 4),\n"
"when a revocation leaves no windows, after -n revocations, or on SIGINT\n"
"or SIGTERM (status 0).\n"
"\n"
"Options:\n"
"  -n, --count=COUNT  stop after COUNT revocations\n"
"  -h, --help         display this help and exit\n";

static const char dump_help[] =
"Usage: remote-proc view dump [FD] OFFSET LEN\n"
"Show LEN bytes of the view behind FD (by default $" FD_ENV ") from\n"
"OFFSET as a hexdump, read through the fd. Holes of the view and revoked\n"
"windows are reported as unreadable ranges (?? within a line), and the\n"
"exit status is then 3.\n"
"\n"
"OFFSET and LEN are decimal or 0x hex, with an optional K, M or G suffix.\n"
"\n"
"Options:\n"
"  -h, --help         display this help and exit\n";

/* Only -h: for the subcommands that take no other option. */
static int help_only(int argc, char **argv, const char *cmd, const char *help)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_OK;
		}
		return usage_error(cmd, "bad option");
	}
	return -1;
}

/* What fd is, for messages: the target of /proc/self/fd/N. */
static const char *fd_what(int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, len - 1);
	if (n < 0)
		snprintf(buf, len, "unknown");
	else
		buf[n] = 0;
	return buf;
}

/* The FD argument, or $REMOTE_PROC_VIEW_FD without one; checked to be open. */
static int fd_arg(const char *cmd, const char *arg, int *fd)
{
	const char *s = arg ? arg : getenv(FD_ENV);
	char *end;
	long v;

	if (!s)
		return usage_error(cmd, "no FD given, and $" FD_ENV " is not set");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return usage_error(cmd, "'%s'%s is not an fd number", s, arg ? "" : " (" FD_ENV ")");
	*fd = (int)v;
	if (fcntl(*fd, F_GETFD) < 0) {
		err_msg("fd %d is not open in this process", *fd);
		hint("Pass the number of a view fd this process inherited: 'remote-proc view");
		hint("share ... -- COMMAND' runs COMMAND with one (fd 3 unless --fd says");
		hint("otherwise, and in $" FD_ENV ").");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

/* Explain a failed query of fd (not a view fd, mostly). */
static int explain_query(int fd, int err)
{
	char what[256];

	if (err == ENOTTY || err == EINVAL) {
		err_msg("fd %d is not a view or mirror fd of remote-proc (it is %s)", fd,
			fd_what(fd, what, sizeof(what)));
		hint("Pass the access fd 'remote-proc view share' gives its COMMAND.");
	} else {
		err_msg("cannot query fd %d: %s", fd, strerror(err));
	}
	return EXIT_ERROR;
}

/*
 * Query fd unless a revocation is pending on it: the query would
 * acknowledge it, for every process sharing the fd (a "view watch" among
 * them). 0, 1 when one is pending (info not read), or an exit code.
 */
static int query_quiet(int fd, struct remote_proc_view_info *vi)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };
	int ret;

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLPRI) && !(p.revents & POLLNVAL))
		return 1;
	ret = remote_proc_view_query(fd, vi, sizeof(*vi));
	return ret < 0 ? -explain_query(fd, -ret) : 0;
}

static const char *fd_kind(const struct remote_proc_view_info *vi)
{
	if (vi->flags & REMOTE_PROC_VIEW_CONTROL)
		return "control fd of a view";
	if (vi->flags & REMOTE_PROC_VIEW_MIRROR)
		return "mirror fd";
	return "access fd of a view";
}

static int view_info(int argc, char **argv)
{
	struct remote_proc_view_info vi;
	char sz[16];
	int fd, ret;

	ret = help_only(argc, argv, "view info", info_help);
	if (ret >= 0)
		return ret;
	if (argc - optind > 1)
		return usage_error("view info", "expected at most one FD");
	ret = fd_arg("view info", argc > optind ? argv[optind] : NULL, &fd);
	if (ret)
		return ret;
	ret = remote_proc_view_query(fd, &vi, sizeof(vi));
	if (ret < 0)
		return explain_query(fd, -ret);
	printf("fd:          %d (%s%s)\n", fd, fd_kind(&vi),
	       vi.flags & REMOTE_PROC_VIEW_CONTROL ? "" :
	       vi.flags & REMOTE_PROC_VIEW_WRITABLE ? ", writable" : ", read-only");
	if (vi.flags & REMOTE_PROC_VIEW_MIRROR)
		printf("process:     %d\n", (int)vi.pid);
	printf("size:        %" PRIu64 " (%s)\n", vi.size, human_size(vi.size, sz, sizeof(sz)));
	if (!(vi.flags & REMOTE_PROC_VIEW_MIRROR)) {
		printf("windows:     %u\n", vi.nr_windows);
		printf("generation:  %" PRIu64 "\n", vi.generation);
		printf("sealed:      %s\n", vi.flags & REMOTE_PROC_VIEW_SEALED ? "yes" : "no");
	}
	printf("sources:     %s\n", vi.flags & REMOTE_PROC_VIEW_DEAD ?
	       "a source process has exited or exec'd (its windows raise SIGBUS)" : "alive");
	return EXIT_OK;
}

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static int view_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_stop };
	struct remote_proc_view_info vi;
	unsigned long count = 0, seen = 0;
	char sz[16], *end;
	int c, fd, ret;

	while ((c = getopt_long(argc, argv, "+n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !count || optarg[0] == '-')
				return usage_error("view watch", "'%s' is not a count (1 or more)",
						   optarg);
			break;
		case 'h':
			fputs(watch_help, stdout);
			return EXIT_OK;
		default:
			return usage_error("view watch", "bad option");
		}
	}
	if (argc - optind > 1)
		return usage_error("view watch", "expected at most one FD");
	ret = fd_arg("view watch", argc > optind ? argv[optind] : NULL, &fd);
	if (ret)
		return ret;
	ret = query_quiet(fd, &vi);
	if (ret < 0)
		return -ret;
	if (vi.flags & REMOTE_PROC_VIEW_CONTROL) {
		err_msg("fd %d is the control fd of a view, which has no events", fd);
		hint("Watch one of its access fds.");
		return EXIT_ERROR;
	}
	if (ret == 0)
		printf("watching fd %d: %s, %s, %u window%s, generation %" PRIu64 "\n", fd,
		       fd_kind(&vi), human_size(vi.size, sz, sizeof(sz)), vi.nr_windows,
		       vi.nr_windows == 1 ? "" : "s", vi.generation);
	else
		printf("watching fd %d: a revocation is pending\n", fd);
	fflush(stdout);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		/* A bounded wait, so that a signal just before it is not missed. */
		ret = remote_proc_view_wait(fd, 500, &vi, sizeof(vi));
		if (stop_sig) {
			printf("stopped after %lu revocation%s\n", seen, seen == 1 ? "" : "s");
			return EXIT_OK;
		}
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret < 0) {
			if (ret == -EINVAL || ret == -ENOTTY)
				return explain_query(fd, -ret);
			err_msg("waiting on fd %d: %s", fd, strerror(-ret));
			return EXIT_ERROR;
		}
		if (ret & REMOTE_PROC_EVENT_REVOKED) {
			seen++;
			printf("revoked: generation %" PRIu64 ", %u window%s left\n", vi.generation,
			       vi.nr_windows, vi.nr_windows == 1 ? "" : "s");
		}
		if (ret & REMOTE_PROC_EVENT_DEAD) {
			printf("hang-up: a source process exited or exec'd; its windows raise SIGBUS\n");
			fflush(stdout);
			return EXIT_GONE;
		}
		fflush(stdout);
		if (!vi.nr_windows) {
			printf("no windows left\n");
			return EXIT_OK;
		}
		if (count && seen >= count)
			return EXIT_OK;
	}
}

/* A run of unreadable bytes, printed in place of the lines it covers. */
static void print_run(uint64_t start, uint64_t end, const char *why)
{
	char sz[16];

	printf("0x%012" PRIx64 "-0x%012" PRIx64 "  unreadable (%s): %s\n", start, end,
	       human_size(end - start, sz, sizeof(sz)), why);
}

static int view_dump(int argc, char **argv)
{
	uint64_t off, len, end, a, bad = 0, run = 0, ps = page_size();
	bool in_run = false;
	struct remote_proc_view_info vi;
	const char *why = "a hole of the view, or a revoked window";
	uint8_t *buf;
	bool *ok;
	int fd, ret, n = 0;

	ret = help_only(argc, argv, "view dump", dump_help);
	if (ret >= 0)
		return ret;
	if (argc - optind != 2 && argc - optind != 3)
		return usage_error("view dump", "expected [FD] OFFSET LEN");
	if (argc - optind == 3)
		n = 1;
	ret = fd_arg("view dump", n ? argv[optind] : NULL, &fd);
	if (ret)
		return ret;
	if (parse_size(argv[optind + n], &off) || parse_size(argv[optind + n + 1], &len))
		return EXIT_USAGE;
	if (!len)
		return usage_error("view dump", "LEN must be at least 1");
	ret = query_quiet(fd, &vi);
	if (ret < 0)
		return -ret;
	if (ret == 0 && (vi.flags & REMOTE_PROC_VIEW_CONTROL)) {
		err_msg("fd %d is the control fd of a view, which cannot be read", fd);
		hint("Dump through one of its access fds.");
		return EXIT_ERROR;
	}
	end = off + len;
	if (ret == 0 && (end < off || end > vi.size)) {
		err_msg("0x%" PRIx64 "-0x%" PRIx64 " goes past the end of the view, at 0x%" PRIx64,
			off, end, vi.size);
		hint("Run 'remote-proc view info %d' for its size.", fd);
		return EXIT_ERROR;
	}
	buf = malloc(ps);
	ok = malloc(ps * sizeof(*ok));
	if (!buf || !ok) {
		free(buf);
		free(ok);
		err_msg("out of memory");
		return EXIT_ERROR;
	}
	/* A page at a time: pread stops at the first unreadable byte. */
	for (a = off; a < end;) {
		uint64_t chunk = ps - (a & (ps - 1)), i;
		ssize_t got;

		if (chunk > end - a)
			chunk = end - a;
		got = remote_proc_pread(fd, a, buf, chunk);
		if (got == -ESRCH)
			why = "the source process has exited";
		else if (got < 0 && got != -EIO) {
			err_msg("reading fd %d at 0x%" PRIx64 ": %s", fd, a, strerror((int)-got));
			if (got == -EBADF)
				hint("Is fd %d open for reading?", fd);
			free(buf);
			free(ok);
			return EXIT_ERROR;
		}
		for (i = 0; i < chunk; i++)
			ok[i] = got > 0 && i < (uint64_t)got;
		/* Lines of 16 bytes from OFFSET, as dump prints them. */
		for (i = 0; i < chunk;) {
			uint64_t la = a + i, line_end = la + 16 - ((la - off) & 15), k, m;
			bool any = false;

			if (line_end > a + chunk)
				line_end = a + chunk;
			m = line_end - la;
			for (k = 0; k < m; k++)
				any |= ok[i + k];
			if (!any && !((la - off) & 15) && (m == 16 || line_end == end)) {
				if (!in_run)
					run = la;
				in_run = true;
				bad += m;
			} else {
				/* A line split by the page edge is printed in two parts. */
				if (in_run) {
					print_run(run, la, why);
					in_run = false;
				}
				for (k = 0; k < m; k++)
					bad += !ok[i + k];
				hex_line(stdout, la, buf + i, ok + i, NULL, (size_t)m, HEX_PLAIN);
			}
			i += m;
		}
		a += chunk;
	}
	if (in_run)
		print_run(run, end, why);
	free(buf);
	free(ok);
	if (fflush(stdout) == EOF) {
		err_msg("writing the output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	if (bad) {
		char sz[16], all[16];

		err_msg("%s of %s could not be read", human_size(bad, sz, sizeof(sz)),
			human_size(len, all, sizeof(all)));
		return EXIT_PARTIAL;
	}
	return EXIT_OK;
}

/* A window of the view being shared. */
struct window {
	bool file;
	pid_t pid;		/* a target's range */
	const char *path;	/* or a file's */
	uint64_t addr, len;	/* as given (for a file: its offset and length) */
	uint64_t start, span;	/* page-rounded source range */
	uint64_t offset;	/* in the view */
	void *local;		/* our mapping of the file */
};

struct share {
	struct window *w;
	unsigned int n;
	uint64_t size;
	bool rw, seal, quiet, revoked;
	int ctl;
};

static void say(struct share *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct share *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->quiet)
		return;
	va_start(ap, fmt);
	verr_msg(fmt, ap);
	va_end(ap);
}

/* PATH[:OFF[:LEN]]: the numbers are taken from the end, when they parse. */
static int parse_file(const char *spec, struct window *w)
{
	char *path = strdup(spec), *c;
	uint64_t nums[2];
	int got = 0;

	if (!path) {
		err_msg("out of memory");
		return -1;
	}
	while (got < 2 && (c = strrchr(path, ':')) && c[1] >= '0' && c[1] <= '9') {
		if (parse_size(c + 1, &nums[got]))
			return -1;
		*c = 0;
		got++;
	}
	w->file = true;
	w->path = path;
	w->addr = got == 2 ? nums[1] : got == 1 ? nums[0] : 0;
	w->len = got == 2 ? nums[0] : 0;	/* 0: to the end of the file */
	if (got == 2 && !w->len) {
		err_msg("'%s': LEN must be at least 1", spec);
		return -1;
	}
	return 0;
}

static int window_target(struct share *sh, struct window *w)
{
	struct session s;
	char sz[16];
	int ret = session_open(&s, w->pid, sh->rw);

	if (ret)
		return ret;
	if (w->start + w->span < w->start || w->start + w->span > s.info.size)
		ret = -EOVERFLOW;
	else
		ret = remote_proc_view_map(sh->ctl, w->offset, s.mirror, w->start, w->span,
					   PROT_READ | (sh->rw ? PROT_WRITE : 0));
	if (ret < 0) {
		explain_map_error(&s, -ret == EOVERFLOW ? ENXIO : -ret, w->addr, w->len);
		if (ret == -ESRCH)
			hint("The process exited or exec'd meanwhile.");
		session_close(&s);
		return EXIT_ERROR;
	}
	session_close(&s);
	say(sh, "  offset 0x%-8" PRIx64 " %6s  process %d, 0x%" PRIx64 "-0x%" PRIx64,
	    w->offset, human_size(w->span, sz, sizeof(sz)), (int)w->pid, w->start,
	    w->start + w->span);
	if (w->addr != w->start)
		say(sh, "    (0x%" PRIx64 " is at offset 0x%" PRIx64 ")", w->addr,
		    w->offset + (w->addr - w->start));
	return EXIT_OK;
}

static int window_file(struct share *sh, struct window *w)
{
	int fd = open(w->path, (sh->rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	int prot = PROT_READ | (sh->rw ? PROT_WRITE : 0), ret;
	char sz[16];

	if (fd < 0) {
		err_msg("cannot open %s%s: %s", w->path, sh->rw ? " for writing" : "",
			strerror(errno));
		return EXIT_ERROR;
	}
	ret = remote_proc_view_map_fd(sh->ctl, w->offset, fd, w->addr, w->len, prot, &w->local);
	close(fd);
	if (ret < 0) {
		err_msg("cannot window %s: %s", w->path, strerror(-ret));
		if (ret == -EINVAL && (w->addr & (page_size() - 1)))
			hint("OFF must be a multiple of the page size (%" PRIu64 ").", page_size());
		else if (ret == -ENODEV)
			hint("It cannot be mapped: use a regular file, a tmpfs file or a memfd.");
		w->local = NULL;
		return EXIT_ERROR;
	}
	say(sh, "  offset 0x%-8" PRIx64 " %6s  %s, 0x%" PRIx64 "-0x%" PRIx64, w->offset,
	    human_size(w->span, sz, sizeof(sz)), w->path, w->addr, w->addr + w->len);
	return EXIT_OK;
}

/* A file window's length, when not given: to the end of the file. */
static int size_file(struct window *w)
{
	struct stat st;

	if (stat(w->path, &st) < 0) {
		err_msg("cannot open %s: %s", w->path, strerror(errno));
		return -1;
	}
	if (!w->len) {
		if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size <= w->addr) {
			err_msg("%s has no data %s offset 0x%" PRIx64, w->path,
				S_ISREG(st.st_mode) ? "from" : "of a known length at", w->addr);
			hint("Give the length: --file %s:OFF:LEN.", w->path);
			return -1;
		}
		w->len = (uint64_t)st.st_size - w->addr;
	}
	w->start = w->addr;
	w->span = (w->len + page_size() - 1) & ~(page_size() - 1);
	return 0;
}

/* Revoke every window; 0, or an exit code. */
static int revoke_all(struct share *sh, const char *why)
{
	struct remote_proc_view_info vi;
	int ret;

	if (sh->revoked || sh->seal)
		return EXIT_OK;
	sh->revoked = true;
	ret = remote_proc_view_unmap(sh->ctl, 0, sh->size);
	if (ret < 0 && ret != -ENOENT) {
		err_msg("revoking the view: %s", strerror(-ret));
		return EXIT_ERROR;
	}
	if (remote_proc_view_query(sh->ctl, &vi, sizeof(vi)) == 0)
		say(sh, "%s: revoked the view (generation %" PRIu64 ")", why, vi.generation);
	return EXIT_OK;
}

static int run(struct share *sh, int acc, int fdnum, char **cmd, double revoke_after)
{
	sigset_t set, old;
	struct pollfd p[2];
	uint64_t deadline = 0;
	int sfd, status = 0, ret = EXIT_ERROR;
	bool hup = false;
	char buf[128];
	pid_t child;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		err_msg("signalfd: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		err_msg("cannot fork: %s", strerror(errno));
		goto out;
	}
	if (!child) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* dup2() leaves the copy open across exec; the rest is close-on-exec. */
		if ((acc == fdnum ? fcntl(acc, F_SETFD, 0) : dup2(acc, fdnum)) < 0) {
			fprintf(stderr, "remote-proc: cannot pass the view as fd %d: %s\n", fdnum,
				strerror(errno));
			_exit(126);
		}
		snprintf(buf, sizeof(buf), "%d", fdnum);
		setenv(FD_ENV, buf, 1);
		snprintf(buf, sizeof(buf), "%" PRIu64, sh->size);
		setenv(SIZE_ENV, buf, 1);
		execvp(cmd[0], cmd);
		fprintf(stderr, "remote-proc: cannot run '%s': %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (revoke_after > 0)
		deadline = now_ns() + (uint64_t)(revoke_after * 1e9);
	p[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = acc, .events = 0 };	/* POLLHUP: a source died */
	for (;;) {
		struct signalfd_siginfo si;
		int timeout = -1;

		if (deadline && !sh->revoked) {
			uint64_t t = now_ns();

			timeout = t >= deadline ? 0 : (int)((deadline - t + 999999) / 1000000);
		}
		if (poll(p, 2, timeout) < 0 && errno != EINTR) {
			err_msg("poll: %s", strerror(errno));
			break;
		}
		if (deadline && !sh->revoked && now_ns() >= deadline) {
			snprintf(buf, sizeof(buf), "after %g s", revoke_after);
			revoke_all(sh, buf);
		}
		if (!hup && (p[1].revents & POLLHUP)) {
			hup = true;
			p[1].fd = -1;
			say(sh, "a source process exited or exec'd: its windows raise SIGBUS now");
		}
		if (!(p[0].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(child, &status, WNOHANG) == child)
				break;
			continue;
		}
		snprintf(buf, sizeof(buf), "got %s", si.ssi_signo == SIGINT ? "SIGINT" :
			 si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGHUP");
		revoke_all(sh, buf);
		/* From a terminal, COMMAND got the signal itself; else pass it on. */
		if (si.ssi_code != SI_KERNEL)
			kill(child, (int)si.ssi_signo);
	}
	if (WIFSIGNALED(status)) {
		ret = 128 + WTERMSIG(status);
		snprintf(buf, sizeof(buf), "%.60s was killed by signal %d", cmd[0], WTERMSIG(status));
	} else {
		ret = WEXITSTATUS(status);
		snprintf(buf, sizeof(buf), "%.60s exited with status %d", cmd[0], ret);
	}
	if (!sh->revoked && !sh->seal)
		revoke_all(sh, buf);
	else if (sh->seal)
		say(sh, "%s; the view is sealed: it lives while a process holds an fd of it", buf);
	else
		say(sh, "%s", buf);
out:
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int view_share(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "rw", no_argument, NULL, 'w' },
		{ "fd", required_argument, NULL, 'F' },
		{ "revoke-after", required_argument, NULL, 'r' },
		{ "seal", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct share sh = { .ctl = -1 };
	uint64_t want = REMOTE_PROC_HAS_VIEWS, ps = page_size();
	unsigned int nfiles = 0, i;
	int c, dev, acc = -1, fdnum = 3, ret = EXIT_ERROR, first, dash;
	double revoke_after = 0;
	char sz[16], *end;
	long v;

	sh.w = calloc((size_t)argc, sizeof(*sh.w));
	if (!sh.w) {
		err_msg("out of memory");
		return EXIT_ERROR;
	}
	while ((c = getopt_long(argc, argv, "+f:wF:r:sqh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_file(optarg, &sh.w[sh.n])) {
				ret = EXIT_USAGE;
				goto out;
			}
			sh.n++;
			nfiles++;
			break;
		case 'w':
			sh.rw = true;
			break;
		case 'F':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 1000000) {
				ret = usage_error("view share", "'%s' is not an fd number", optarg);
				goto out;
			}
			fdnum = (int)v;
			break;
		case 'r':
			if (parse_seconds(optarg, &revoke_after)) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case 's':
			sh.seal = true;
			break;
		case 'q':
			sh.quiet = true;
			break;
		case 'h':
			fputs(share_help, stdout);
			ret = EXIT_OK;
			goto out;
		default:
			ret = usage_error("view share", "bad option");
			goto out;
		}
	}
	/* getopt took a "--" that came right after the options. */
	first = optind;
	if (optind > 1 && !strcmp(argv[optind - 1], "--"))
		dash = optind - 1;
	else
		for (dash = optind; dash < argc && strcmp(argv[dash], "--"); dash++)
			;
	if (dash >= argc || dash + 1 >= argc) {
		ret = usage_error("view share", "expected -- COMMAND [ARG]... after the ranges");
		goto out;
	}
	if (dash < first)
		first = dash;
	if (dash == first && !nfiles) {
		ret = usage_error("view share", "nothing to share: give PID ADDR LEN or --file");
		goto out;
	}
	if (sh.seal && revoke_after > 0) {
		ret = usage_error("view share", "--seal and --revoke-after exclude each other: "
				  "a sealed view cannot be revoked");
		goto out;
	}
	/* PID ADDR LEN, or PID START-END: each range takes two or three arguments. */
	for (i = (unsigned int)first; i < (unsigned int)dash; i += 1 + (unsigned int)c) {
		struct window *w = &sh.w[sh.n];

		if (parse_pid(argv[i], &w->pid)) {
			ret = EXIT_USAGE;
			goto out;
		}
		c = parse_addr_len("view share", w->pid, argv + i + 1, dash - (int)i - 1,
				   &w->addr, &w->len);
		if (c < 0) {
			ret = EXIT_USAGE;
			goto out;
		}
		if (!w->len) {
			ret = usage_error("view share", "LEN must be at least 1");
			goto out;
		}
		if (w->addr + w->len < w->addr) {
			ret = usage_error("view share", "0x%" PRIx64 " + %" PRIu64 " wraps around",
					  w->addr, w->len);
			goto out;
		}
		w->start = w->addr & ~(ps - 1);
		w->span = ((w->addr + w->len + ps - 1) & ~(ps - 1)) - w->start;
		want |= REMOTE_PROC_HAS_ATTACH_PID | (sh.rw ? REMOTE_PROC_HAS_WRITE : 0);
		sh.n++;
	}
	/* One window after the other, from offset 0: the files first, as given. */
	for (i = 0; i < sh.n; i++) {
		struct window *w = &sh.w[i];

		if (w->file && size_file(w))
			goto out;
		w->offset = sh.size;
		sh.size += w->span;
	}

	dev = device_open(want);
	if (dev < 0)
		goto out;
	sh.ctl = remote_proc_view_create(dev, sh.size);
	close(dev);
	if (sh.ctl < 0) {
		err_msg("cannot create a view: %s", strerror(-sh.ctl));
		if (sh.ctl == -ENOSPC)
			hint("This process has too many views (max_views_per_fd).");
		goto out;
	}
	say(&sh, "sharing a view with %s, as its fd %d (%s):", argv[dash + 1], fdnum,
	    sh.rw ? "read-write" : "read-only");
	for (i = 0; i < sh.n; i++) {
		struct window *w = &sh.w[i];

		ret = w->file ? window_file(&sh, w) : window_target(&sh, w);
		if (ret)
			goto out;
	}
	say(&sh, "  %s in %u window%s", human_size(sh.size, sz, sizeof(sz)), sh.n,
	    sh.n == 1 ? "" : "s");
	if (sh.seal && (ret = remote_proc_view_lock(sh.ctl)) < 0) {
		err_msg("cannot seal the view: %s", strerror(-ret));
		ret = EXIT_ERROR;
		goto out;
	}
	acc = remote_proc_view_access(sh.ctl, sh.rw ? REMOTE_PROC_ACCESS_WRITABLE : 0);
	if (acc < 0) {
		err_msg("cannot create an access fd: %s", strerror(-acc));
		ret = EXIT_ERROR;
		goto out;
	}
	ret = run(&sh, acc, fdnum, argv + dash + 1, revoke_after);
out:
	if (acc >= 0)
		close(acc);
	for (i = 0; i < sh.n; i++) {
		if (sh.w[i].local)
			remote_proc_unmap(sh.w[i].local, sh.w[i].len);
		if (sh.w[i].file)
			free((char *)sh.w[i].path);
	}
	if (sh.ctl >= 0)
		close(sh.ctl);
	free(sh.w);
	return ret;
}

int cmd_view(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} sub[] = {
		{ "share", view_share },
		{ "info", view_info },
		{ "watch", view_watch },
		{ "dump", view_dump },
	};

	if (argc < 2) {
		fputs(view_help, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(view_help, stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (!strcmp(argv[1], sub[i].name)) {
			char name[64];

			snprintf(name, sizeof(name), "remote-proc view %s", sub[i].name);
			argv[1] = name;		/* for getopt's messages */
			optind = 0;
			return sub[i].fn(argc - 1, argv + 1);
		}
	return usage_error("view", "unknown subcommand '%s' (share, info, watch or dump)", argv[1]);
}
