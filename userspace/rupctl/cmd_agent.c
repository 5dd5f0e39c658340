// SPDX-License-Identifier: GPL-2.0
/* rupctl agent: the command line of the node daemon (userspace/agent). */
#include <stdio.h>

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
	const char *config = AGENT_DEFAULT_CONFIG;
	bool debug = false;
	const struct cli_opt opts[] = {
		{ "config", 'c', CLI_STR, .target = &config },
		{ "debug", 'd', CLI_FLAG, .target = &debug },
		{ NULL },
	};
	char err[512];
	int rc;

	rc = rupctl_options(argc, argv, opts, usage, "agent");
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	if (agent_run(config, debug, err, sizeof(err))) {
		rupctl_err("agent: %s", err);
		return RUPCTL_EXIT_USAGE;
	}
	return RUPCTL_EXIT_OK;
}
