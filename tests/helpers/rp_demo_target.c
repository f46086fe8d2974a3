// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The target of the demo (and of the CLI tests): a process that counts.
 *
 * Every tick it increments a counter and rewrites a message next to it
 * ("tick 000042"), and when its mailbox word changes (someone poked it)
 * it says so. Its scratch region holds a marker string to be found;
 * SIGUSR1 makes it unmap that region; SIGTERM or SIGINT makes it exit.
 * It prints where everything is, one "key=value" per word, on its first
 * line, then one line per event.
 *
 *	rp_demo_target [-t TICK_MS] [-n TICKS]
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH_LEN	(4 * 4096)
#define MARKER_OFFSET	0x1a0

/* The watched words: one page of its own. */
struct state {
	uint64_t counter;
	char message[24];
	uint64_t mailbox;
};

static volatile sig_atomic_t want_unmap, want_exit;

static void on_usr1(int sig)
{
	(void)sig;
	want_unmap = 1;
}

static void on_term(int sig)
{
	(void)sig;
	want_exit = 1;
}

/*
 * The marker is stored rot13'd and decoded at run time, so the only copy
 * of the plain text in this process is the one in the scratch region.
 */
static void put_marker(char *dst)
{
	static const char enc[] = "ERZBGR-CEBP-QRZB-ZNEXRE";

	for (size_t i = 0; i < sizeof(enc); i++) {
		char c = enc[i];

		dst[i] = c >= 'A' && c <= 'Z' ? (char)('A' + (c - 'A' + 13) % 26) : c;
	}
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 200 * 1000000L };
	struct sigaction sa = { .sa_handler = on_usr1 };
	long ticks = -1;
	struct state *st;
	uint64_t seen = 0;
	char *scratch;
	int c;

	while ((c = getopt(argc, argv, "t:n:")) != -1) {
		if (c == 't') {
			long ms = atol(optarg);

			tick.tv_sec = ms / 1000;
			tick.tv_nsec = (ms % 1000) * 1000000L;
		} else if (c == 'n') {
			ticks = atol(optarg);
		} else {
			fprintf(stderr, "usage: %s [-t TICK_MS] [-n TICKS]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	st = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	scratch = mmap(NULL, SCRATCH_LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED || scratch == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(scratch, '.', SCRATCH_LEN);
	put_marker(scratch + MARKER_OFFSET);
	snprintf(st->message, sizeof(st->message), "tick %06d", 0);

	printf("pid=%d counter=%p message=%p mailbox=%p scratch=%p scratch_len=%d marker=%p\n",
	       (int)getpid(), (void *)&st->counter, (void *)st->message,
	       (void *)&st->mailbox, (void *)scratch, SCRATCH_LEN,
	       (void *)(scratch + MARKER_OFFSET));

	while (!want_exit && ticks != 0) {
		nanosleep(&tick, NULL);
		st->counter++;
		snprintf(st->message, sizeof(st->message), "tick %06llu",
			 (unsigned long long)st->counter);
		if (st->mailbox != seen) {
			seen = st->mailbox;
			printf("target: my mailbox now holds %llu (0x%llx)\n",
			       (unsigned long long)seen, (unsigned long long)seen);
		}
		if (want_unmap && scratch) {
			munmap(scratch, SCRATCH_LEN);
			printf("target: unmapped my scratch region %p-%p\n", (void *)scratch,
			       (void *)(scratch + SCRATCH_LEN));
			scratch = NULL;
		}
		if (ticks > 0)
			ticks--;
	}
	printf("target: exiting after %llu ticks\n", (unsigned long long)st->counter);
	return 0;
}
