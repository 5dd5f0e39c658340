/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line pieces rupctl's commands and rup-opsd share: every option
 * table ends in --help and the terminator, and every getopt loop answers
 * -h and an unknown option the same way (usage on stdout and success for
 * -h, usage on stderr and the usage exit code otherwise).
 */
#ifndef RUP_CLI_H
#define RUP_CLI_H

#include <getopt.h>
#include <stdio.h>

/* The last two entries of a struct option table. */
/* clang-format off */
#define CLI_OPT_HELP_END \
	{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
/* clang-format on */

/* Answer -h (c == 'h') or an unknown option: print usage, return the code. */
static inline int cli_help_or_usage(int c, void (*usage)(FILE *), int ok,
				    int bad)
{
	usage(c == 'h' ? stdout : stderr);
	return c == 'h' ? ok : bad;
}

#endif
