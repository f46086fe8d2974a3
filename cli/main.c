// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * remote-proc: look at and change another process's memory through
 * /dev/remote-proc. Built on libremoteproc only.
 *
 * The help texts are written so that help2man can turn them into a man
 * page; cli/remote-proc.1 is kept in step by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef RP_VERSION
#define RP_VERSION "unknown"
#endif

struct cli_opts cli;

static const char main_help[] =
"Usage: remote-proc [--device PATH | --proc-mem] COMMAND [OPTION]... ARGS...\n"
"Look at and change another process's memory with no copies: remote-proc\n"
"maps the target's pages into itself through /dev/remote-proc.\n"
"Without that device (the module not loaded or not installed), maps, dump,\n"
"peek, watch and find read through /proc/PID/mem instead and say so on\n"
"standard error: read-only, slower, and a copy made when read rather than a\n"
"live mapping (watch copies again at each refresh). poke and view need the\n"
"device.\n"
"\n"
"Commands:\n"
"  maps PID              list the target's memory areas and whether each\n"
"                        can be mirrored\n"
"  dump PID ADDR LEN     hexdump LEN bytes at ADDR (raw bytes with -o FILE)\n"
"  dump PID START-END    the same for a range pasted from /proc/PID/maps\n"
"  peek PID ADDR         read a 64-bit value, or COUNT values of a type\n"
"                        (-t u8 ... i64, f32, f64, string; -n COUNT)\n"
"  poke PID ADDR VALUE   write a 64-bit value (-w 8, 16 or 32 for smaller)\n"
"  watch PID ADDR LEN    show memory live, highlighting bytes that change\n"
"  find PID PATTERN      print the addresses of a string (or, with -x, of\n"
"                        hex bytes, ?? for any) in all readable memory or\n"
"                        in the areas -a picks\n"
"  view SUBCOMMAND ...   share memory through a view, with revocation:\n"
"                        view share [PID ADDR LEN]... -- COMMAND runs\n"
"                        COMMAND with an access fd; view info, view watch\n"
"                        and view dump work on such an fd\n"
"  help [COMMAND]        this text, or a command's own help\n"
"\n"
"Options:\n"
"  -d, --device=PATH     device node (default /dev/remote-proc); no fallback\n"
"                        to /proc/PID/mem when it is missing\n"
"      --proc-mem        read through /proc/PID/mem even when the device is\n"
"                        there (the fallback above, without the notice)\n"
"  -h, --help            display this help and exit\n"
"  -V, --version         output version information and exit\n"
"\n"
"Run 'remote-proc COMMAND --help' for a command's options.\n"
"\n"
"Addresses (ADDR), wherever a command takes one:\n"
"  7f3a2c001000    hexadecimal, as /proc/PID/maps prints it (0x optional)\n"
"  [heap], [stack] the start of the area of that name in /proc/PID/maps\n"
"                  (any [name] there: [vdso], [anon:NAME]...)\n"
"  NAME            where file offset 0 of the file NAME is mapped: NAME is\n"
"                  its basename (libc.so.6), its path, or the end of its\n"
"                  path from a '/' (x86_64-linux-gnu/libc.so.6)\n"
"  NAME+OFF        where file offset OFF of NAME is mapped, as gdb and perf\n"
"                  print addresses (libc.so.6+0x2a1c0); for a [name] and\n"
"                  other areas that are no file, OFF from its start\n"
"  START-END       a range as /proc/PID/maps and remote-proc maps print it,\n"
"                  in place of ADDR LEN (dump, watch, view share): no LEN\n"
"                  follows it\n"
"Names are looked up in /proc/PID/maps once, when the command starts. A\n"
"NAME that names two files, or an offset mapped twice, is an error that\n"
"lists the candidates; so is a NAME that is not mapped, an OFF outside its\n"
"mappings, or a name when /proc/PID/maps cannot be read (exit status 2,\n"
"like any ADDR that is not one). Something that reads as hexadecimal is an\n"
"address, not a name.\n"
"Lengths (LEN) and OFF are decimal, or hexadecimal with 0x, with an optional\n"
"K, M or G suffix (powers of 1024).\n"
"\n"
"Permissions:\n"
"  remote-proc needs read and write access to /dev/remote-proc (the module\n"
"  must be loaded: modprobe remote_proc; without it, the reading commands\n"
"  need only what follows, through /proc/PID/mem), and attaching to a\n"
"  process needs exactly what opening /proc/PID/mem needs: the kernel's\n"
"  ptrace-attach check, which refuses another user's process, a setuid,\n"
"  setgid or non-dumpable one, and, with Yama's ptrace_scope at 1, any\n"
"  process that is not a descendant of the caller (unless it named the\n"
"  caller with prctl(PR_SET_PTRACER)); at 2 only CAP_SYS_PTRACE passes, at\n"
"  3 nothing.\n"
"  Root (CAP_SYS_PTRACE) passes it below 3.\n"
"\n"
"Exit status:\n"
"  0  success (find: something matched)\n"
"  1  error: nothing was done; the message says why and what to do\n"
"  2  usage error\n"
"  3  partial: some addresses could not be read or written (reported)\n"
"  4  the target exited (or exec'd) while the command ran\n"
"  5  find: no match\n"
"view share exits with its COMMAND's status.\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "maps", cmd_maps },
	{ "dump", cmd_dump },
	{ "peek", cmd_peek },
	{ "poke", cmd_poke },
	{ "watch", cmd_watch },
	{ "find", cmd_find },
	{ "view", cmd_view },
};

/* Whether a command's arguments ask for its help (before any "--"). */
static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int run_command(int argc, char **argv)
{
	char name[64];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name)) {
			/* getopt's messages name the command as it was typed. */
			snprintf(name, sizeof(name), "remote-proc %s", commands[i].name);
			argv[0] = name;
			optind = 0;	/* commands parse their own options */
			if (cli.proc_mem && (commands[i].fn == cmd_poke || commands[i].fn == cmd_view) &&
			    !asks_help(argc, argv)) {
				fprintf(stderr, "remote-proc: --proc-mem reads only: %s needs the device\n"
					"Try 'remote-proc --help' for more information.\n",
					commands[i].name);
				return EXIT_USAGE;
			}
			return commands[i].fn(argc, argv);
		}
	fprintf(stderr, "remote-proc: unknown command '%s'\n"
		"Try 'remote-proc --help' for the list of commands.\n", argv[0]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "proc-mem", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+": stop at the command; what follows is its own. */
	while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.device = optarg;
			break;
		case 'P':
			cli.proc_mem = true;
			break;
		case 'h':
			fputs(main_help, stdout);
			return EXIT_OK;
		case 'V':
			printf("remote-proc %s (libremoteproc %s)\n", RP_VERSION,
			       remote_proc_lib_version());
			return EXIT_OK;
		default:
			fputs("Try 'remote-proc --help' for more information.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (cli.device && cli.proc_mem) {
		fputs("remote-proc: --device and --proc-mem: one or the other\n"
		      "Try 'remote-proc --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "help")) {
		if (argc < 2) {
			fputs(main_help, stdout);
			return EXIT_OK;
		}
		/* help view share: "view share --help". */
		char *args[] = { argv[1], argc > 2 ? argv[2] : "--help", "--help", NULL };

		return run_command(argc > 2 ? 3 : 2, args);
	}
	return run_command(argc, argv);
}
