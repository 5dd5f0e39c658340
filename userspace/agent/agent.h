/* SPDX-License-Identifier: GPL-2.0 */
/* rupctl agent: the daemon's shared context (one per process) and its parts. */
#ifndef RUP_AGENT_H
#define RUP_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "api.h"
#include "election.h"
#include "fetch.h"
#include "score.h"
#include "score_measure.h"
#include "backoff.h"
#include "clock.h"
#include "config.h"
#include "knl.h"
#include "release.h"
#include "state.h"

struct event_base;
struct event;
struct fetch;
struct hook;
struct pkgsrv;

/* The RVS's current upgrade task (SPEC §7). */
enum task_phase {
	TASK_NONE,
	TASK_DOWNLOADING,
	TASK_DISTRIBUTING,
	TASK_INSTALLING_SELF,
	TASK_DONE, /* final state reported; keep offering */
	TASK_WAIT_RETRY, /* failed step; retried after a backoff */
	TASK_VERIFYING, /* the payload is being hashed off the loop */
};

struct rvs_task {
	enum task_phase phase;
	int64_t id;
	char version[SEMVER_MAX_LEN + 1];
	char url[1024];
	char *manifest; /* the signed bytes */
	size_t manifest_len;
	char sig[RELEASE_SIG_B64_LEN + 1];
	struct release_manifest m;
	api_node_id *nodes; /* registered node ids of the region */
	size_t n_nodes;
	uint64_t started_ms; /* distribution start, for the deadline */
	bool downloaded; /* the .part is complete: verify and store it */
	bool refetch; /* fetching again a corrupt offered copy */
	char last_state[32];
	struct backoff bo;
};

/* A member's upgrade in progress (from the RVS or the ops server). */
enum member_phase {
	MEM_IDLE,
	MEM_MANIFEST,
	MEM_SIG,
	MEM_PAYLOAD,
	MEM_HOOK,
	MEM_WAIT,
	MEM_VERIFY /* the payload is being hashed off the loop */
};

struct member_job {
	enum member_phase phase;
	bool from_server;
	char version[SEMVER_MAX_LEN + 1];
	char base[600]; /* http://rvs:port/pkg/V, or the server URL */
	char *manifest;
	size_t manifest_len;
	char sig[RELEASE_SIG_B64_LEN + 1];
	struct release_manifest m;
	bool fetched; /* the .part is complete: verify and store it */
	uint8_t offer_sha[RUP_SHA256_LEN];
	uint64_t offer_size;
	uint64_t retry_at_ms;
	struct backoff bo;
	/* Versions this node will not take (range does not fit, rollback). */
	char skip[SEMVER_MAX_LEN + 1];
	/* Last offer seen from any RVS (for the fallback to the ops server). */
	char seen_version[SEMVER_MAX_LEN + 1];
	uint64_t no_rvs_since_ms;
	uint64_t fallback_delay_ms;
};

struct agent {
	struct agent_config cfg;
	struct agent_state st;
	struct event_base *base;
	struct event *tick_ev, *nl_ev, *sig_term, *sig_int, *kick_ev;
	uint64_t now_ms;

	/* Kernel. */
	struct knl k;
	bool kernel_ok; /* genl family present and our region set up */
	bool said_no_module;
	uint32_t ifindex;
	struct rupnl_peer *peers; /* the region's table, as of peers_ms */
	size_t npeers;
	bool peers_stale; /* a table event came: dump it again */
	uint64_t peers_ms;

	/* Registration with the ops server. */
	bool registered; /* this run (a cached registration may be in use) */
	struct fetch *reg_fetch;
	struct backoff reg_bo;
	uint64_t reg_retry_ms;
	bool clock_warned;

	/* Election. */
	struct election el;
	struct election_out eo;
	bool el_running;
	uint32_t score;
	struct score_config scfg;
	struct score_link_info link_prev;
	bool link_abnormal; /* link down: never RVS */
	struct score_linkwatch *lw;
	struct event *lw_ev;
	uint32_t role_flags; /* RUP_ROLE_HOOK_FAILED */
	uint32_t pub_role;
	uint64_t pub_term;
	bool pub_valid;
	uint64_t lease_renewed_ms; /* monotonic, of the last SELF_SET */

	/* RVS duties. */
	struct rvs_task task;
	struct fetch *poll_fetch, *task_fetch, *report_fetch;
	struct backoff poll_bo;
	uint64_t poll_retry_ms;
	uint64_t next_report_ms;
	struct pkgsrv *srv;
	bool offering;
	struct rupnl_offer offer;
	struct release_manifest offer_m;
	bool srv_failed;

	/* Member duties. */
	struct member_job job;
	struct fetch *job_fetch;
	struct hook *hook;

	char last_error[256];
	bool status_dirty;
	/* The last tick's duration, the longest, and the longest in CPU time
	 * (without the time the process waited for a CPU). */
	uint32_t tick_us, tick_max_us, tick_cpu_max_us;
};

/* agent.c */
/*
 * Run the daemon in the foreground until SIGTERM or SIGINT: 0, or -1 with
 * why in @err when the configuration, state or event loop cannot be set up.
 */
int agent_run(const char *config, bool debug, char *err, size_t errlen);
/*
 * Start an ops server API request: @path (with any query) joined to the
 * server URL, @body (consumed; NULL: a GET) sent as its JSON. @o holds the
 * rest; NULL when it could not start.
 */
struct fetch *agent_api_start(struct agent *a, struct fetch_opts *o,
			      const char *path, json_t *body, fetch_done_cb cb);
void agent_error(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Publish role/term/offer to the kernel now. */
void agent_publish(struct agent *a);
/* Set a new installed version (persisted, announced). 0 or -1. */
int agent_set_version(struct agent *a, const char *version);
/* Run the tick soon (after events, finished transfers). */
void agent_kick(struct agent *a);
uint32_t agent_rand(void);

/* rvs.c */
void rvs_tick(struct agent *a);
void rvs_stop(struct agent *a); /* no longer RVS: drop task, offer, service */
/* member.c */
void member_tick(struct agent *a);
void member_stop(struct agent *a);
/* Install @m from the store (also the RVS's own install); @done runs after. */
int member_install_stored(struct agent *a, const struct release_manifest *m,
			  void (*done)(struct agent *a, bool ok));
/* Prune the store to [store] keep versions, never what is in use. */
void member_prune_store(struct agent *a);
/* status.c */
void status_write(struct agent *a);
/*
 * The status file the agent writes: in @state, or in the state directory
 * of @config (defaults when that file does not exist). NULL with why in
 * @err when it cannot be read or parsed.
 */
json_t *status_read(const char *config, const char *state, char *err,
		    size_t errlen);

#endif
