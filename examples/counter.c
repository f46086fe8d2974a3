// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * counter: write into another process's memory and watch it react.
 *
 * A child process sets a counter of its own to 7 and waits for it to
 * become 42. The parent attaches to the child with a writable mirror, maps
 * the child's counter, reads 7, stores 42 into the child's page (no
 * copy, no ptrace stop) and the child sees it at once. A parent may attach
 * to its child even with Yama's ptrace_scope at 1.
 *
 *	cc -o counter counter.c $(pkg-config --cflags --libs libremoteproc)
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libremoteproc.h>

/* At the same address in parent and child (fork copies the layout). */
static _Atomic uint64_t counter;

static int child(int ready)
{
	time_t end = time(NULL) + 20;

	atomic_store(&counter, 7);
	if (write(ready, "r", 1) != 1)
		return 3;
	while (atomic_load(&counter) != 42)
		if (time(NULL) > end)
			return 1;	/* the store never arrived */
	printf("child:  my counter became 42\n");
	return 0;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "counter: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(void)
{
	_Atomic uint64_t *remote;
	int pipefd[2], dev, mirror, err, status;
	pid_t pid;
	char c;

	if (pipe(pipefd))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int rc = child(pipefd[1]);

		fflush(stdout);		/* _exit() does not */
		_exit(rc);
	}
	if (read(pipefd[0], &c, 1) != 1)
		return 1;

	dev = remote_proc_dev_open(NULL);
	if (dev < 0)
		return fail("/dev/remote-proc", dev);
	err = remote_proc_dev_handshake(dev, REMOTE_PROC_HAS_WRITE, NULL, 0);
	if (err < 0)
		return fail("handshake", err);
	mirror = remote_proc_attach_pid(dev, pid, REMOTE_PROC_MIRROR_WRITE);
	if (mirror < 0)
		return fail("attach", mirror);
	close(dev);
	err = remote_proc_map(mirror, (uintptr_t)&counter, sizeof(counter),
			      PROT_READ | PROT_WRITE, 0, (void **)&remote);
	if (err < 0)
		return fail("map", err);

	printf("parent: the child's counter is %" PRIu64 "\n", atomic_load(remote));
	fflush(stdout);		/* the child may print before the next line */
	atomic_store(remote, 42);
	printf("parent: stored 42 into the child's page\n");
	fflush(stdout);
	remote_proc_unmap((void *)remote, sizeof(counter));
	close(mirror);

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "counter: the child did not see the store\n");
		return 1;
	}
	printf("parent: the child saw it and exited\n");
	return 0;
}
