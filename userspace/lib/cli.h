/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options of rupctl's commands and `rup-opsd plan`: each
 * command lists its options in a table, one getopt_long() loop walks it.
 * Every table answers --help (-h) the same way: usage on stdout and
 * CLI_HELP; an unknown or malformed option (getopt says why) prints usage
 * on stderr and gives the command's usage exit code.
 */
#ifndef RUP_CLI_H
#define RUP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What an option does. */
enum cli_kind {
	CLI_FLAG, /* no value: *(bool *)target = true */
	CLI_STR, /* a value, kept in *(const char **)target */
	CLI_CALL, /* a value, handed to call() */
	CLI_RUN, /* no value: call() with value NULL */
};

/* One option; a table of them ends with a NULL name. */
struct cli_opt {
	const char *name; /* --NAME */
	int letter; /* -LETTER as well, or 0 for the long form only */
	enum cli_kind kind;
	void *target; /* FLAG and STR: see above; CALL and RUN: call()'s own */
	/* 0 or CLI_LATER to go on, or stop and return this (an exit code). */
	int (*call)(const struct cli_opt *opt, const char *value);
	size_t size; /* of a buffer at target, for a call() that fills one */
};

/* The most options one table may hold (--help aside). */
#define CLI_OPTS_MAX 16

/* cli_parse()'s answer after help: exit successfully. */
#define CLI_HELP (-1)

/*
 * A call()'s answer for a bad value it has reported: parse the other
 * options too (each bad one is reported), then fail with the usage code.
 */
#define CLI_LATER (-2)

struct cli_spec {
	const struct cli_opt *opts;
	void (*usage)(FILE *f);
	int bad; /* exit code for an unknown or malformed option */
	bool in_order; /* stop at the first operand (getopt's "+") */
};

/*
 * Options of argv (argv[0] is the command's name; getopt starts over).
 * 0 with optind at the first operand, CLI_HELP after --help, @spec->bad
 * after a bad option (or at the end, after a CLI_LATER), or what a call()
 * returned to stop.
 */
int cli_parse(const struct cli_spec *spec, int argc, char **argv);

#endif
