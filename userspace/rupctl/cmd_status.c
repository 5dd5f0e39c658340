// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl status: the agent's status file (written by userspace/agent) as
 * text or JSON: region, role, term, RVS, version, offer, current task,
 * last error.
 */
#include <stdio.h>

#include "../agent/agent.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl status [-j] [--config FILE | --state DIR]\n"
		"Show the agent's state: region, role, term, RVS, version, offer,\n"
		"current task, last error (from DIR/status.json).\n");
}

static void print_human(json_t *j)
{
	const char *keys[] = { "node_id", "module", "region",  "role",
			       "term",	  "rvs",    "version", "highest",
			       "score",	  "peers",  NULL };
	json_t *v, *o;

	for (int i = 0; keys[i]; i++) {
		v = json_object_get(j, keys[i]);
		if (!v)
			continue;
		if (json_is_string(v))
			printf("%-10s %s\n", keys[i], json_string_value(v));
		else
			printf("%-10s %" JSON_INTEGER_FORMAT "\n", keys[i],
			       json_integer_value(v));
	}
	o = json_object_get(j, "offer");
	if (o)
		printf("%-10s %s (%" JSON_INTEGER_FORMAT
		       " bytes) port %" JSON_INTEGER_FORMAT " path %s\n",
		       "offer",
		       json_string_value(json_object_get(o, "version")),
		       json_integer_value(json_object_get(o, "size")),
		       json_integer_value(json_object_get(o, "port")),
		       json_string_value(json_object_get(o, "path")));
	o = json_object_get(j, "task");
	if (o)
		printf("%-10s %" JSON_INTEGER_FORMAT
		       " release %s, %s (last report %s)\n",
		       "task", json_integer_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "version")),
		       json_string_value(json_object_get(o, "phase")),
		       json_string_value(json_object_get(o, "reported")));
	o = json_object_get(j, "upgrade");
	if (o)
		printf("%-10s %s from %s, %s\n", "upgrade",
		       json_string_value(json_object_get(o, "version")),
		       json_string_value(json_object_get(o, "from")),
		       json_string_value(json_object_get(o, "phase")));
	if (json_is_true(json_object_get(j, "hook_failed")))
		printf("%-10s %s\n", "hook", "last install hook FAILED");
	v = json_object_get(j, "last_error");
	printf("%-10s %s\n", "error", v ? json_string_value(v) : "-");
}

int cmd_status(int argc, char **argv)
{
	const char *config = AGENT_DEFAULT_CONFIG, *state = NULL;
	const struct cli_opt opts[] = {
		{ "config", 'c', CLI_STR, .target = &config },
		{ "state", 's', CLI_STR, .target = &state },
		{ "json", 'j', CLI_FLAG, .target = &rupctl_opts.json },
		{ NULL },
	};
	char err[1024];
	json_t *j;
	int rc;

	rc = rupctl_options(argc, argv, opts, usage, "status");
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	j = status_read(config, state, err, sizeof(err));
	if (!j) {
		rupctl_err("status: %s", err);
		return RUPCTL_EXIT_USAGE;
	}
	if (rupctl_opts.json) {
		rupctl_json_print(j);
		return RUPCTL_EXIT_OK;
	}
	print_human(j);
	json_decref(j);
	return RUPCTL_EXIT_OK;
}
