// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's status file (<state>/status.json, rewritten atomically at
 * least once a second and on every change) and its reader for `rupctl
 * status`: region, role, term, RVS, version, offer, current task, last
 * error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
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
	[TASK_VERIFYING] = "verifying",
};
static const char *const job_phase_names[] = {
	[MEM_IDLE] = "idle",	    [MEM_MANIFEST] = "manifest",
	[MEM_SIG] = "signature",    [MEM_PAYLOAD] = "payload",
	[MEM_HOOK] = "installing",  [MEM_WAIT] = "retry_wait",
	[MEM_VERIFY] = "verifying",
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
	json_object_set_new(j, "tick_us",
			    json_pack("{s:i, s:i, s:i}", "last",
				      (int)a->tick_us, "max",
				      (int)a->tick_max_us, "cpu_max",
				      (int)a->tick_cpu_max_us));
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

json_t *status_read(const char *config, const char *state, char *err,
		    size_t errlen)
{
	struct agent_config cfg;
	char path[600], why[512];
	json_error_t je;
	size_t len;
	char *buf;
	json_t *j;

	if (!state) {
		agent_config_defaults(&cfg);
		if (access(config, R_OK) == 0 &&
		    agent_config_load(&cfg, config, err, errlen))
			return NULL;
		state = cfg.state_dir;
	}
	snprintf(path, sizeof(path), "%s/status.json", state);
	if (release_read_file(path, STATUS_MAX, &buf, &len, why, sizeof(why))) {
		snprintf(err, errlen, "%s (is the agent running?)", why);
		return NULL;
	}
	j = json_loadb(buf, len, 0, &je);
	free(buf);
	if (!j)
		snprintf(err, errlen, "%s: %s", path, je.text);
	return j;
}
