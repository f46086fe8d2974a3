// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * peek PID ADDR: print the 64-bit value at ADDR (hexadecimal) in process
 * PID, read through a mapping of that process's page: the smallest
 * complete libremoteproc program.
 *
 *	cc -o peek peek.c $(pkg-config --cflags --libs libremoteproc)
 *	./peek 1234 0x55d0c0a002a0
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libremoteproc.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "peek: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t addr;
	uint64_t *p;
	pid_t pid;
	int dev, mirror, err;

	if (argc != 3) {
		fprintf(stderr, "usage: peek PID ADDR\n");
		return 2;
	}
	pid = (pid_t)strtol(argv[1], NULL, 10);
	addr = strtoull(argv[2], NULL, 16);

	dev = remote_proc_dev_open(NULL);
	if (dev < 0)
		return fail("/dev/remote-proc", dev);
	err = remote_proc_dev_handshake(dev, 0, NULL, 0);
	if (err < 0)
		return fail("handshake", err);
	/* The permission check is the one opening /proc/PID/mem makes. */
	mirror = remote_proc_attach_pid(dev, pid, 0);
	if (mirror < 0)
		return fail("attach", mirror);
	close(dev);

	/* Any alignment: p points at the byte asked for. */
	err = remote_proc_map(mirror, addr, sizeof(*p), PROT_READ, 0, (void **)&p);
	if (err < 0)
		return fail("map", err);
	/* One load from the target's own page (SIGBUS if it has none there). */
	printf("%d 0x%" PRIx64 ": 0x%016" PRIx64 "\n", (int)pid, addr, *p);
	remote_proc_unmap(p, sizeof(*p));
	close(mirror);
	return 0;
}
