// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /api/v1/status: regions, RVS and term, members, tasks, rollouts. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "assign.h"
#include "auth.h"
#include "http.h"
#include "opsd.h"
#include "routes.h"
#include "status.h"
#include "store.h"

struct status_ctx {
	struct opsd *o;
	json_t *a;
};

static void add_member(void *arg, const struct store_node_row *r)
{
	json_t *addrs = json_loads(r->addresses, 0, NULL);

	json_array_append_new(
		arg,
		json_pack("{s:s,s:I,s:s,s:o,s:s,s:I,s:I,s:I}", "node_id", r->id,
			  "score", (json_int_t)r->score, "version", r->version,
			  "addresses", addrs ? addrs : json_array(), "state",
			  r->state, "registered_ns", (json_int_t)r->registered,
			  "last_seen_ns", (json_int_t)r->last_seen,
			  "last_report_ns", (json_int_t)r->last_report));
}

static void add_task(void *arg, const struct store_task_row *r)
{
	json_array_append_new(
		arg,
		json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:I,s:I,s:s}", "task_id",
			  (json_int_t)r->id, "rollout_id",
			  (json_int_t)r->rollout, "region_id",
			  (json_int_t)r->region, "wave", (json_int_t)r->wave,
			  "state", r->state, "reason", r->reason, "term",
			  (json_int_t)r->term, "updated_ns",
			  (json_int_t)r->updated, "version", r->version));
}

static json_t *tasks(struct opsd *o, int by_rollout, int64_t id)
{
	json_t *a = json_array();

	store_tasks_each(o->st, by_rollout, id, add_task, a);
	return a;
}

/* How many of the rollout's tasks are in each state. */
static json_t *state_counts(json_t *tasks)
{
	json_t *counts = json_object(), *e;
	size_t i;

	json_array_foreach(tasks, i, e)
	{
		const char *s = json_string_value(json_object_get(e, "state"));
		json_int_t n = json_integer_value(json_object_get(counts, s));

		json_object_set_new(counts, s, json_integer(n + 1));
	}
	return counts;
}

static void add_rollout(void *arg, const struct store_rollout_row *r)
{
	struct status_ctx *c = arg;
	json_t *t = tasks(c->o, 1, r->id);

	json_array_append_new(
		c->a,
		json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:o}",
			  "rollout_id", (json_int_t)r->id, "version",
			  r->version, "state", r->state, "wave",
			  (json_int_t)r->wave, "waves", (json_int_t)r->waves,
			  "wave_size", (json_int_t)r->wave_size,
			  "failure_threshold", (json_int_t)r->threshold,
			  "created_ns", (json_int_t)r->created, "task_states",
			  state_counts(t), "tasks", t));
}

static void add_region(void *arg, const struct store_region_row *r)
{
	struct status_ctx *c = arg;
	json_t *m = json_array();

	store_members_each(c->o->st, r->id, add_member, m);
	json_array_append_new(
		c->a, json_pack("{s:I,s:s,s:o,s:I,s:I,s:o,s:o}", "region_id",
				(json_int_t)r->id, "group", r->grp, "rvs",
				r->rvs[0] ? json_string(r->rvs) : json_null(),
				"term", (json_int_t)r->term, "size",
				(json_int_t)assign_region_size(c->o->as, r->id),
				"members", m, "tasks", tasks(c->o, 0, r->id)));
}

json_t *status_json(struct opsd *o, int64_t only)
{
	struct status_ctx regions = { o, json_array() };
	struct status_ctx rollouts = { o, json_array() };
	struct store_totals t = { 0 };

	if (store_regions_each(o->st, only, add_region, &regions) ||
	    store_rollouts_each(o->st, 0, add_rollout, &rollouts) ||
	    store_totals(o->st, &t)) {
		json_decref(regions.a);
		json_decref(rollouts.a);
		return NULL;
	}
	return json_pack("{s:{s:I,s:I,s:I,s:I,s:I},s:s,s:I,s:I,s:o,s:o,s:I}",
			 "assignment", "planned_nodes",
			 (json_int_t)assign_planned(o->as), "max_per_region",
			 (json_int_t)assign_max_per_region(o->as), "regions",
			 (json_int_t)assign_nregions(o->as), "arrivals",
			 (json_int_t)assign_arrivals(o->as), "online",
			 (json_int_t)assign_online(o->as), "pool", o->cfg.pool,
			 "port", (json_int_t)o->cfg.port, "nodes",
			 (json_int_t)t.nodes, "regions", regions.a, "rollouts",
			 rollouts.a, "server_time_ns",
			 (json_int_t)clock_real_ns());
}

/* ?NAME=N within [min, max]: 0 (also when absent), -1 when malformed. */
static int query_num(struct evhttp_request *req, const char *name, int64_t min,
		     int64_t max, int64_t *v, char q[16])
{
	char *end;

	if (http_query(req, name, q, 16))
		return 0;
	*v = strtoll(q, &end, 10);
	return !q[0] || *end || *v < min || *v > max ? -1 : 0;
}

void h_status(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	int64_t only = -1;
	char q[16];
	json_t *j;

	(void)arg;
	if (auth_admin(o, req))
		return;
	/* ?region=ID: one region only (a large fleet's full status is big). */
	if (query_num(req, "region", 0, UINT32_MAX, &only, q)) {
		http_error(req, 400, "status: region '%s' is not a region id",
			   q);
		return;
	}
	if (only >= assign_nregions(o->as)) {
		http_error(req, 404,
			   "status: region %" PRId64 " does not exist", only);
		return;
	}
	j = status_json(o, only);
	if (!j) {
		http_error(req, 500, "database error");
		return;
	}
	http_json(req, 200, j);
}

static void add_audit(void *arg, const struct store_audit_row *r)
{
	json_array_append_new(arg, json_pack("{s:I,s:I,s:s,s:s}", "id",
					     (json_int_t)r->id, "time_ns",
					     (json_int_t)r->time, "action",
					     r->action, "detail", r->detail));
}

/* GET /api/v1/audit[?limit=N]: the newest admin actions first. */
void h_audit(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	int64_t limit = 100;
	char q[16];
	json_t *a;

	(void)arg;
	if (auth_admin(o, req))
		return;
	if (query_num(req, "limit", 1, 10000, &limit, q)) {
		http_error(req, 400, "audit: limit must be 1..10000");
		return;
	}
	a = json_array();
	if (store_audit_each(o->st, (long)limit, add_audit, a)) {
		json_decref(a);
		http_error(req, 500, "database error");
		return;
	}
	http_json(req, 200, json_pack("{s:o}", "audit", a));
}
