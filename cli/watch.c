// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * watch PID ADDR LEN: a live hexdump of target memory, read through a
 * mapping of the mirror at each refresh, with the bytes that changed
 * highlighted. The target's pidfd wakes us the moment it exits.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

#define MAX_LEN		(64 * 1024)
#define MAX_EVENTS	6

static const char help[] =
"Usage: remote-proc watch [OPTION]... PID ADDR LEN\n"
"  or:  remote-proc watch [OPTION]... PID START-END\n"
"Show LEN bytes of process PID's memory at ADDR (or the range START-END)\n"
"and refresh them every interval, highlighting the bytes that changed since\n"
"the previous refresh.\n"
"The bytes are read through a mapping of the target's pages: the target is\n"
"not stopped and nothing is copied by the kernel.\n"
"\n"
"On a terminal the dump is redrawn in place with the changes highlighted;\n"
"otherwise each refresh prints the lines that changed, with ^^ under the\n"
"changed bytes. Pages that stop being readable while watched (the target\n"
"unmapped or protected them) are reported as revoked and shown as ??.\n"
"The watch ends after COUNT refreshes, on Ctrl-C (exit status 0), or when\n"
"the target exits, which is reported (exit status 4).\n"
"\n"
"ADDR is hexadecimal (0x optional), [heap], [stack], NAME or NAME+OFF;\n"
"START-END is a range as /proc/PID/maps prints it (see 'remote-proc --help'\n"
"for addresses). LEN is at most 64K.\n"
"\n"
"Options:\n"
"  -i, --interval=SECONDS  time between refreshes (default 1, fractions allowed)\n"
"  -n, --count=COUNT       stop after COUNT refreshes\n"
"      --color=WHEN        redraw in place and highlight with ANSI escapes:\n"
"                          auto (on a terminal unless TERM=dumb), always, never\n"
"  -h, --help              display this help and exit\n";

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

struct watch {
	struct session *s;
	const uint8_t *map;
	uint64_t addr, len, ps;
	uint8_t *cur, *prev;
	bool *ok, *prev_ok, *changed;
	bool ansi;
	unsigned int lines_drawn;	/* to move back up over, in ANSI mode */
	char events[MAX_EVENTS][160];
	unsigned int n_events;
};

static void add_event(struct watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_event(struct watch *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n_events == MAX_EVENTS) {
		memmove(w->events[0], w->events[1], sizeof(w->events[0]) * (MAX_EVENTS - 1));
		w->n_events--;
	}
	va_start(ap, fmt);
	vsnprintf(w->events[w->n_events++], sizeof(w->events[0]), fmt, ap);
	va_end(ap);
	if (!w->ansi)
		printf("  %s\n", w->events[w->n_events - 1]);
}

/* Copy the range out of the mapping, page by page; note pages that changed state. */
static int sample(struct watch *w, bool first)
{
	/* A copy (the /proc/PID/mem fallback) is made anew. */
	int ret = first ? 0 : session_refresh(w->s, (void *)w->map, w->addr, w->len);

	if (ret < 0) {
		err_msg("cannot copy process %d's memory again: %s", (int)w->s->pid,
			strerror(-ret));
		return ret;
	}
	for (uint64_t a = w->addr; a < w->addr + w->len;) {
		uint64_t to = (a & ~(w->ps - 1)) + w->ps, i = a - w->addr;
		uintptr_t fault;
		bool ok;

		if (to > w->addr + w->len)
			to = w->addr + w->len;
		ok = !guard_copy(w->cur + i, w->map + i, to - a, &fault);
		if (!ok)
			memset(w->cur + i, 0, to - a);
		memset(w->ok + i, ok, to - a);
		if (first && !ok)
			add_event(w, "0x%012llx-0x%012llx unreadable: %s", (unsigned long long)a,
				  (unsigned long long)to, why_unreadable(w->s, a));
		else if (!first && w->prev_ok[i] && !ok)
			add_event(w, "0x%012llx-0x%012llx revoked: %s", (unsigned long long)a,
				  (unsigned long long)to, why_unreadable(w->s, a));
		else if (!first && !w->prev_ok[i] && ok)
			add_event(w, "0x%012llx-0x%012llx readable again", (unsigned long long)a,
				  (unsigned long long)to);
		a = to;
	}
	/* Changed: readable now, and different (or unreadable) before. */
	for (uint64_t i = 0; i < w->len; i++)
		w->changed[i] = !first && w->ok[i] &&
				(!w->prev_ok[i] || w->cur[i] != w->prev[i]);
	return 0;
}

static void draw_ansi(struct watch *w, unsigned int frame, unsigned int count,
		      double interval)
{
	unsigned int lines = 0;

	if (w->lines_drawn)
		printf("\033[%uA\r\033[J", w->lines_drawn);
	printf("\033[1mremote-proc watch\033[0m pid %d  0x%llx  %llu bytes  every %gs  "
	       "refresh %u", (int)w->s->pid, (unsigned long long)w->addr,
	       (unsigned long long)w->len, interval, frame);
	if (count)
		printf("/%u", count);
	printf("\n");
	lines++;
	for (uint64_t o = 0; o < w->len; o += 16, lines++)
		hex_line(stdout, w->addr + o, w->cur + o, w->ok + o, w->changed + o,
			 w->len - o < 16 ? w->len - o : 16, HEX_ANSI);
	for (unsigned int e = 0; e < w->n_events; e++, lines++)
		printf("  \033[33m%s\033[0m\n", w->events[e]);
	w->lines_drawn = lines;
	fflush(stdout);
}

static void draw_plain(struct watch *w, unsigned int frame, double elapsed)
{
	unsigned int nchanged = 0, nlost = 0;

	for (uint64_t i = 0; i < w->len; i++) {
		nchanged += w->changed[i];
		nlost += w->prev_ok[i] && !w->ok[i];
	}
	if (frame == 1)
		printf("refresh 1 (pid %d, 0x%llx, %llu bytes)\n", (int)w->s->pid,
		       (unsigned long long)w->addr, (unsigned long long)w->len);
	else if (!nlost)
		printf("refresh %u (+%.1fs): %u byte%s changed\n", frame, elapsed,
		       nchanged, nchanged == 1 ? "" : "s");
	else
		printf("refresh %u (+%.1fs): %u byte%s changed, %u unreadable now\n", frame,
		       elapsed, nchanged, nchanged == 1 ? "" : "s", nlost);
	for (uint64_t o = 0; o < w->len; o += 16) {
		size_t n = w->len - o < 16 ? w->len - o : 16;
		bool any = frame == 1;

		/* Lines with changes, or bytes that changed readability. */
		for (size_t i = 0; i < n; i++)
			any |= w->changed[o + i] || (frame > 1 && w->ok[o + i] != w->prev_ok[o + i]);
		if (!any)
			continue;
		hex_line(stdout, w->addr + o, w->cur + o, w->ok + o, NULL, n, HEX_PLAIN);
		if (frame > 1)
			hex_marks(stdout, w->changed + o, n);
	}
	fflush(stdout);
}

/*
 * Sleep for the interval; true if the target exited or exec'd meanwhile.
 * The pidfd wakes us at an exit; an exec only kills the mirror, which is
 * checked four times a second.
 */
static bool wait_interval(struct watch *w, double interval)
{
	struct pollfd pfd = { .fd = w->s->pidfd, .events = POLLIN };
	uint64_t end = now_ns() + (uint64_t)(interval * 1e9);

	while (!stop) {
		uint64_t t = now_ns();
		int ms;

		if (t >= end)
			return false;
		ms = (int)((end - t) / 1000000) + 1;
		if (ms > 250)
			ms = 250;
		if (poll(&pfd, w->s->pidfd >= 0 ? 1 : 0, ms) == 1 || session_dead(w->s))
			return true;
	}
	return false;
}

static bool use_ansi(const char *color)
{
	const char *term = getenv("TERM");

	if (!strcmp(color, "always"))
		return true;
	if (!strcmp(color, "never"))
		return false;
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb");
}

static int run(struct watch *w, double interval, unsigned int count)
{
	uint64_t t0 = now_ns();
	unsigned int drawn = 0;
	bool exited = false;

	while (!stop) {
		exited = session_dead(w->s);
		if (exited)
			break;
		if (sample(w, drawn == 0))
			return EXIT_ERROR;
		drawn++;
		if (w->ansi)
			draw_ansi(w, drawn, count, interval);
		else
			draw_plain(w, drawn, (double)(now_ns() - t0) / 1e9);
		memcpy(w->prev, w->cur, w->len);
		memcpy(w->prev_ok, w->ok, w->len);
		if (count && drawn == count)
			return EXIT_OK;
		exited = wait_interval(w, interval);
		if (exited)
			break;
	}
	if (exited) {
		/*
		 * A dead mirror with a live process: it exec'd another program.
		 * An exiting process has its memory torn down a moment before
		 * its pidfd reports the exit, hence the grace period.
		 */
		struct pollfd pfd = { .fd = w->s->pidfd, .events = POLLIN };
		bool execd = w->s->pidfd >= 0 && poll(&pfd, 1, 500) == 0;

		printf("process %d %s (watched for %.1fs, %u refreshes)\n", (int)w->s->pid,
		       !execd ? "exited" : w->s->procmem ? "exec'd a new program" :
		       "exec'd a new program: the mirror is dead",
		       (double)(now_ns() - t0) / 1e9, drawn);
		return EXIT_GONE;
	}
	printf("stopped after %u refreshes\n", drawn);
	return EXIT_OK;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_stop };
	const char *color = "auto";
	struct watch w = { 0 };
	double interval = 1.0;
	unsigned int count = 0;
	struct session s;
	uint64_t n;
	void *map;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "i:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_seconds(optarg, &interval))
				return EXIT_USAGE;
			break;
		case 'n':
			if (parse_size(optarg, &n) || !n || n > 1000000000)
				return usage_error("watch", "COUNT must be a number from 1");
			count = (unsigned int)n;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				return usage_error("watch", "--color takes auto, always or never");
			color = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			return usage_error("watch", "bad option");
		}
	}
	if (argc - optind != 2 && argc - optind != 3)
		return usage_error("watch", "expected PID ADDR LEN, or PID START-END");
	if (parse_pid(argv[optind], &pid))
		return EXIT_USAGE;
	c = parse_addr_len("watch", pid, argv + optind + 1, argc - optind - 1, &w.addr, &w.len);
	if (c < 0)
		return EXIT_USAGE;
	if (c != argc - optind - 1)
		return usage_error("watch",
				   "'%s' is a range, which gives the length: no LEN after it",
				   argv[optind + 1]);
	if (!w.len || w.len > MAX_LEN)
		return usage_error("watch", "LEN must be from 1 to 64K");

	ret = session_open(&s, pid, false);
	if (ret)
		return ret;
	if (w.addr + w.len < w.addr || w.addr + w.len > s.info.size) {
		explain_map_error(&s, ENXIO, w.addr, w.len);
		session_close(&s);
		return EXIT_ERROR;
	}
	ret = session_map(&s, w.addr, w.len, &map);
	if (ret < 0) {
		explain_map_error(&s, -ret, w.addr, w.len);
		session_close(&s);
		return EXIT_ERROR;
	}
	w.s = &s;
	w.map = map;
	w.ps = page_size();
	w.ansi = use_ansi(color);
	w.cur = malloc(w.len);
	w.prev = malloc(w.len);
	w.ok = malloc(w.len * sizeof(bool));
	w.prev_ok = malloc(w.len * sizeof(bool));
	w.changed = malloc(w.len * sizeof(bool));
	if (!w.cur || !w.prev || !w.ok || !w.prev_ok || !w.changed) {
		err_msg("out of memory");
		ret = EXIT_ERROR;
	} else {
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		ret = run(&w, interval, count);
	}
	free(w.cur);
	free(w.prev);
	free(w.ok);
	free(w.prev_ok);
	free(w.changed);
	session_unmap(map, w.len);
	session_close(&s);
	return ret;
}
