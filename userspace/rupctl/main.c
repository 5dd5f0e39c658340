// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl: the command table. One line per command; each command lives in
 * its own file and gets argv starting at its own name.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rupctl.h"

int cmd_region(int argc, char **argv);
int cmd_peers(int argc, char **argv);
int cmd_self(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_ops(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* One line per command, so adding one is a one-line change. */
/* clang-format off */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "region", cmd_region, "add, delete or show regions" },
	{ "peers", cmd_peers, "show the version table of one or all regions" },
	{ "self", cmd_self, "set or show this node's state in the beacons" },
	{ "stats", cmd_stats, "show per-region beacon counters" },
	{ "monitor", cmd_monitor, "print rup events as they happen" },
	{ "version", cmd_version, "show tool and module versions" },
	{ "release", cmd_release, "make signing keys, sign and verify releases" },
	{ "score", cmd_score, "measure this node and show its composite score" },
	{ "ops", cmd_ops, "admin client of the ops server (status, publish, rollout)" },
	{ "agent", cmd_agent, "run the node agent daemon (foreground)" },
	{ "status", cmd_status, "show the agent's region, role, version, task" },
};
/* clang-format on */

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: rupctl [-j] [-p] COMMAND [ARGS...]\n"
		   "       rupctl --version | -h\n\n"
		   "Options:\n"
		   "  -j, --json     JSON output\n"
		   "  -p, --pretty   indented JSON output (implies -j)\n"
		   "  -h, --help     this help; COMMAND -h for the command's\n"
		   "  -V, --version  tool and module versions\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fputc('\n', f);
	rupctl_exit_codes_help(f);
}

/* -p: indented JSON, so JSON as well. */
static int opt_pretty(const struct cli_opt *opt, const char *value)
{
	(void)opt;
	(void)value;
	rupctl_opts.json = true;
	rupctl_opts.pretty = true;
	return 0;
}

/* -V answers at once, like --help: what follows it is not looked at. */
static int opt_version(const struct cli_opt *opt, const char *value)
{
	(void)opt;
	(void)value;
	exit(cmd_version(1, (char *[]){ "version", NULL }));
}

int main(int argc, char **argv)
{
	const struct cli_opt opts[] = {
		{ "json", 'j', CLI_FLAG, .target = &rupctl_opts.json },
		{ "pretty", 'p', CLI_RUN, .call = opt_pretty },
		{ "version", 'V', CLI_RUN, .call = opt_version },
		{ NULL },
	};
	/* "+": stop at the command; its options are its own. */
	const struct cli_spec spec = { opts, usage, RUPCTL_EXIT_USAGE, true };
	size_t i;
	int rc;

	rc = cli_parse(&spec, argc, argv);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return RUPCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return RUPCTL_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].run(argc, argv);
	rupctl_err("unknown command \"%s\"; try \"rupctl help\"", argv[0]);
	return RUPCTL_EXIT_USAGE;
}
