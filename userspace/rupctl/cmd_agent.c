// SPDX-License-Identifier: GPL-2.0
/* rupctl agent: the command line of the node daemon (userspace/agent). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "../agent/agent.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl agent [--config FILE] [--debug]\n"
		"Run the rup node agent in the foreground (see docs/AGENT.md).\n"
		"  -c, --config FILE  configuration (default %s)\n"
		"  -d, --debug        debug logging\n",
		AGENT_DEFAULT_CONFIG);
}

int cmd_agent(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		CLI_OPT_HELP_END,
	};
	const char *config = AGENT_DEFAULT_CONFIG;
	bool debug = false;
	char err[512];
	int c;

	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while ((c = getopt_long(argc, argv, "c:dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			debug = true;
			break;
		default:
			return rupctl_opt_other(c, usage);
		}
	}
	if (optind < argc)
		return rupctl_unexpected("agent", argv[optind]);
	if (agent_run(config, debug, err, sizeof(err))) {
		rupctl_err("agent: %s", err);
		return RUPCTL_EXIT_USAGE;
	}
	return RUPCTL_EXIT_OK;
}
