/* SPDX-License-Identifier: GPL-2.0 */
/* What every rupctl command shares: exit codes, global options, messages. */
#ifndef RUPCTL_H
#define RUPCTL_H

#include <stdbool.h>
#include <jansson.h>

#include "cli.h"
#include "nl.h"

#include <stdio.h>

/* Every exit code of rupctl, listed by `rupctl --help` and in rupctl(8). */
enum {
	RUPCTL_EXIT_OK = 0,
	RUPCTL_EXIT_USAGE = 1, /* bad command line */
	RUPCTL_EXIT_KERNEL = 2, /* netlink or kernel refused */
	RUPCTL_EXIT_NOMODULE = 3, /* genl family "rup" missing */
	RUPCTL_EXIT_ABNORMAL = 4, /* score: the node is abnormal */
	RUPCTL_EXIT_MANIFEST = 5, /* release: malformed manifest */
	RUPCTL_EXIT_SIGNATURE = 6, /* release: bad signature or key */
	RUPCTL_EXIT_PAYLOAD = 7, /* release: payload hash or size differs */
	RUPCTL_EXIT_ROLLBACK = 8, /* release: not newer than --highest */
	RUPCTL_EXIT_IO = 9, /* a file could not be read or written */
	RUPCTL_EXIT_REFUSED = 10, /* ops: the server answered 4xx/5xx */
	RUPCTL_EXIT_UNREACHABLE = 11, /* ops: no connection, TLS, bad reply */
};

/* The exit codes as lines of help text (rupctl --help). */
void rupctl_exit_codes_help(FILE *f);

/* Global options, set by main() before a command runs. */
struct rupctl_opts {
	bool json; /* -j */
	bool pretty; /* -p (implies -j) */
};
extern struct rupctl_opts rupctl_opts;

/* "rupctl: " + message + newline on stderr. */
void rupctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -h, --help or help. */
bool rupctl_is_help(const char *arg);

/* -h or --help anywhere after the command, or "help" as its first two words. */
bool rupctl_wants_help(int argc, char **argv);

/* Open the genl client; on failure print why and return the exit code. */
int rupctl_nl_open(struct rupnl *nl);

/* Print "rupctl: WHAT: <extack or strerror>" and return the exit code. */
int rupctl_nl_fail(const struct rupnl *nl, int err, const char *what);

/* The value after argv[*i] (advancing *i), or NULL after printing
 * "WHAT: KEY needs a value".
 */
const char *rupctl_arg(int *i, int argc, char **argv, const char *what);

/* Print "WHAT: KEY: bad value "VAL" (EXPECT)" and return RUPCTL_EXIT_USAGE. */
int rupctl_bad_value(const char *what, const char *key, const char *val,
		     const char *expect);

/*
 * The options of a command (cli_parse(), options anywhere, exit code
 * RUPCTL_EXIT_USAGE when bad): 0 with optind at the first operand,
 * CLI_HELP after --help, or an exit code. With @what the command takes no
 * operands: one is "WHAT: unexpected argument" (rupctl_unexpected()).
 */
int rupctl_options(int argc, char **argv, const struct cli_opt *opts,
		   void (*usage)(FILE *f), const char *what);

/*
 * rupctl_options() for a command of exactly one operand (a MANIFEST, a
 * VERSION): *arg is it; none or more print "rupctl: NEEDS" and return
 * RUPCTL_EXIT_USAGE.
 */
int rupctl_options_arg(int argc, char **argv, const struct cli_opt *opts,
		       void (*usage)(FILE *f), const char *needs,
		       const char **arg);

/* Print "WHAT: unexpected argument "ARG"" and return RUPCTL_EXIT_USAGE. */
int rupctl_unexpected(const char *what, const char *arg);

/*
 * The optional REGION of "CMD [REGION]" (argv[0] is CMD's verb): *region is
 * RUPNL_NO_REGION without one, @what "CMD REGION" for messages. Too many
 * arguments print @usage (if given) on stderr. 0 or RUPCTL_EXIT_USAGE.
 */
int rupctl_region_arg(int argc, char **argv, const char *cmd,
		      void (*usage)(FILE *f), char *what, size_t whatlen,
		      uint32_t *region);

/* The genl client, REGION and message prefix of "CMD [REGION]" (peers, stats). */
struct rupctl_read {
	struct rupnl nl;
	uint32_t region; /* RUPNL_NO_REGION without one */
	char what[64]; /* "CMD" or "CMD REGION" */
};

/*
 * Start "CMD [REGION]": help anywhere prints @usage (CLI_HELP), else the
 * REGION (rupctl_region_arg()) and the open genl client (0), or an exit code.
 */
int rupctl_read_start(struct rupctl_read *r, int argc, char **argv,
		      const char *cmd, void (*usage)(FILE *f));

/*
 * End of a read command: on @err print why (rupctl_nl_fail), else print
 * @list when given (-j); close @nl. Returns the exit code.
 */
int rupctl_nl_done(struct rupnl *nl, int err, const char *what, json_t *list);

/* One verb of "CMD VERB ..." (region, self). */
struct rupctl_verb {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the verb */
};

/*
 * Run "CMD [VERB] [ARGS...]": help anywhere prints @usage; no VERB runs
 * the table's first, an unknown one is an error. @verbs ends with a NULL name.
 */
int rupctl_verbs(int argc, char **argv, const struct rupctl_verb *verbs,
		 void (*usage)(FILE *f));

/* Print @j as one line (or indented with -p), flush, release it. */
void rupctl_json_print(json_t *j);

#endif
