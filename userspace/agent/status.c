// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's status file (<state>/status.json, rewritten atomically at
 * least once a second and on every change) and `rupctl status`, which
 * reads it: region, role, term, RVS, version, offer, current task, last
 * error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "../rupctl/rupctl.h"
#include "agent.h"
#include "log.h"

#define STATUS_MAX (64 * 1024)

static const char *const task_phase_names[] = {
	[TASK_NONE] = "none",
	[TASK_DOWNLOADING] = "downloading",
	[TASK_DISTRIBUTING] = "distributing",
	[TASK_INSTALLING_SELF] = "installing_self",
	[TASK_DONE] = "done",
	[TASK_WAIT_RETRY] = "retry_wait",
};
static const char *const job_phase_names[] = {
	[MEM_IDLE] = "idle",	   [MEM_MANIFEST] = "manifest",
	[MEM_SIG] = "signature",   [MEM_PAYLOAD] = "payload",
	[MEM_HOOK] = "installing", [MEM_WAIT] = "retry_wait",
};

void status_write(struct agent *a)
{
	char path[600], hex[2 * RUP_NODE_ID_LEN + 1], err[256];
	struct timespec ts;
	json_t *j = json_object(), *t;
	char *txt;

	clock_gettime(CLOCK_REALTIME, &ts);
	json_object_set_new(j, "node_id", json_string(a->cfg.node_hex));
	json_object_set_new(j, "pid", json_integer(getpid()));
	json_object_set_new(j, "updated", json_integer(ts.tv_sec));
	json_object_set_new(j, "module",
			    json_string(a->kernel_ok ? "ok" : "not loaded"));
	json_object_set_new(j, "registered", json_boolean(a->registered));
	if (a->st.reg.valid)
		json_object_set_new(j, "region",
				    json_integer(a->st.reg.region));
	json_object_set_new(
		j, "role",
		json_string(a->el_running ? election_state_name(a->eo.state) :
					    "none"));
	json_object_set_new(j, "term", json_integer((json_int_t)a->eo.term));
	json_object_set_new(j, "score", json_integer(a->score));
	if (a->el_running && a->eo.have_rvs) {
		hex_encode(a->eo.rvs_id, RUP_NODE_ID_LEN, hex);
		json_object_set_new(j, "rvs", json_string(hex));
	}
	json_object_set_new(j, "version", json_string(a->st.version));
	if (a->st.highest[0])
		json_object_set_new(j, "highest", json_string(a->st.highest));
	json_object_set_new(j, "hook_failed",
			    json_boolean(a->role_flags & RUP_ROLE_HOOK_FAILED));
	json_object_set_new(j, "peers", json_integer((json_int_t)a->npeers));
	if (a->offering && a->eo.self_rvs)
		json_object_set_new(j, "offer",
				    json_pack("{s:s, s:I, s:i, s:s}", "version",
					      a->offer.version, "size",
					      (json_int_t)a->offer.size, "port",
					      (int)a->offer.port, "path",
					      a->offer.path));
	if (a->task.id) {
		t = json_pack("{s:I, s:s, s:s, s:s}", "id",
			      (json_int_t)a->task.id, "version",
			      a->task.version, "phase",
			      task_phase_names[a->task.phase], "reported",
			      a->task.last_state);
		json_object_set_new(j, "task", t);
	}
	if (a->job.phase != MEM_IDLE)
		json_object_set_new(
			j, "upgrade",
			json_pack("{s:s, s:s, s:s}", "version", a->job.version,
				  "phase", job_phase_names[a->job.phase],
				  "from",
				  a->job.from_server ? "server" : "rvs"));
	if (a->last_error[0])
		json_object_set_new(j, "last_error",
				    json_string(a->last_error));
	txt = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!txt)
		return;
	snprintf(path, sizeof(path), "%s/status.json", a->cfg.state_dir);
	if (release_write_file(path, txt, strlen(txt), 0644, err, sizeof(err)))
		adebug("status: %s", err);
	free(txt);
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
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = AGENT_DEFAULT_CONFIG, *state = NULL;
	struct agent_config cfg;
	char path[600], err[512];
	json_error_t je;
	size_t len;
	char *buf;
	json_t *j;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:s:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			state = optarg;
			break;
		case 'j':
			rupctl_opts.json = true;
			break;
		case 'h':
			printf("Usage: rupctl status [-j] [--config FILE | --state DIR]\n"
			       "Show the agent's state: region, role, term, RVS, version, offer,\n"
			       "current task, last error (from DIR/status.json).\n");
			return RUPCTL_EXIT_OK;
		default:
			return RUPCTL_EXIT_USAGE;
		}
	}
	if (!state) {
		agent_config_defaults(&cfg);
		if (access(config, R_OK) == 0 &&
		    agent_config_load(&cfg, config, err, sizeof(err))) {
			rupctl_err("status: %s", err);
			return RUPCTL_EXIT_USAGE;
		}
		state = cfg.state_dir;
		snprintf(path, sizeof(path), "%s/status.json", state);
	} else {
		snprintf(path, sizeof(path), "%s/status.json", state);
	}
	if (release_read_file(path, STATUS_MAX, &buf, &len, err, sizeof(err))) {
		rupctl_err("status: %s (is the agent running?)", err);
		return RUPCTL_EXIT_USAGE;
	}
	j = json_loadb(buf, len, 0, &je);
	free(buf);
	if (!j) {
		rupctl_err("status: %s: %s", path, je.text);
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
