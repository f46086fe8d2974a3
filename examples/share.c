// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * share: lend memory to another process through a view, then take it back.
 *
 * The owner puts a message in a memfd, makes a view with one read-only
 * window onto it and gives a child an access fd (inherited here; a unix
 * socket with SCM_RIGHTS works the same). The child maps the view and
 * reads the message. The owner revokes the window: the child is told
 * (remote_proc_view_wait()) and its mapping no longer reaches the page
 * (SIGBUS), although the child still holds the fd and the mapping.
 *
 *	cc -o share share.c $(pkg-config --cflags --libs libremoteproc)
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libremoteproc.h>

#define SIZE 4096
#define MESSAGE "hello from the owner"

static sigjmp_buf env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

/* The consumer: it has an access fd and nothing else. */
static int consumer(int acc, int ready)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	volatile char *msg;
	char first;
	int ev;

	if (remote_proc_map(acc, 0, SIZE, PROT_READ, 0, (void **)&msg) < 0)
		return 1;
	printf("consumer: the view says \"%s\"\n", (const char *)msg);
	fflush(stdout);
	if (write(ready, "r", 1) != 1)
		return 1;

	ev = remote_proc_view_wait(acc, 20000, NULL, 0);
	if (ev < 0 || !(ev & REMOTE_PROC_EVENT_REVOKED))
		return 1;
	printf("consumer: the owner revoked the window\n");

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(env, 1) == 0) {
		first = msg[0];
		printf("consumer: still readable (%c): revocation failed\n", first);
		return 1;
	}
	printf("consumer: reading it now raises SIGBUS\n");
	return 0;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "share: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(void)
{
	int dev, memfd, ctl, acc, err, status, pipefd[2];
	void *local;
	pid_t pid;
	char c;

	dev = remote_proc_dev_open(NULL);
	if (dev < 0)
		return fail("/dev/remote-proc", dev);
	err = remote_proc_dev_handshake(dev, REMOTE_PROC_HAS_VIEWS, NULL, 0);
	if (err < 0)
		return fail("handshake (views)", err);

	memfd = memfd_create("message", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, SIZE) ||
	    pwrite(memfd, MESSAGE, sizeof(MESSAGE), 0) != sizeof(MESSAGE))
		return 1;
	ctl = remote_proc_view_create(dev, SIZE);
	if (ctl < 0)
		return fail("view_create", ctl);
	/* Window 0..SIZE of the view: the memfd's first page, read-only. */
	err = remote_proc_view_map_fd(ctl, 0, memfd, 0, SIZE, PROT_READ, &local);
	if (err < 0)
		return fail("view_map_fd", err);
	acc = remote_proc_view_access(ctl, 0);
	if (acc < 0)
		return fail("view_access", acc);

	if (pipe(pipefd))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int rc;

		close(ctl);
		rc = consumer(acc, pipefd[1]);
		fflush(stdout);		/* _exit() does not */
		_exit(rc);
	}
	close(acc);
	if (read(pipefd[0], &c, 1) != 1)
		return 1;

	/* Said first: the consumer may print before this would, once revoked. */
	printf("owner:    revoking the window\n");
	fflush(stdout);
	err = remote_proc_view_unmap(ctl, 0, SIZE);
	if (err < 0)
		return fail("view_unmap", err);
	remote_proc_unmap(local, SIZE);

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "share: the consumer did not see the revocation\n");
		return 1;
	}
	return 0;
}
