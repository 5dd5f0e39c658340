// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /api/v1/status: regions, RVS and term, members, tasks, rollouts. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assign.h"
#include "auth.h"
#include "clock.h"
#include "http.h"
#include "opsd.h"
#include "parse.h"
#include "routes.h"
#include "status.h"
#include "store.h"

struct status_ctx {
	struct opsd *o;
	json_t *a;
};

/* Copy @src into the codec's text field @dst (bounded by its size). */
#define COPY(dst, src) snprintf(dst, sizeof(dst), "%s", src)

/* The stored addresses (a JSON array of IP literals) into @m. */
static void member_addresses(const char *text, struct api_status_member *m)
{
	json_t *a = json_loads(text, 0, NULL), *e;
	size_t i;

	json_array_foreach(a, i, e)
	{
		if (m->n_addresses == API_ADDRESSES_MAX)
			break;
		if (json_is_string(e))
			COPY(m->addresses[m->n_addresses++],
			     json_string_value(e));
	}
	json_decref(a);
}

static void add_member(void *arg, const struct store_node_row *r)
{
	struct api_status_member m = { .score = (uint32_t)r->score,
				       .registered_ns = r->registered,
				       .last_seen_ns = r->last_seen,
				       .last_report_ns = r->last_report };

	COPY(m.node_id, r->id);
	COPY(m.version, r->version);
	COPY(m.state, r->state);
	member_addresses(r->addresses, &m);
	json_array_append_new(arg, api_status_member_encode(&m));
}

static void add_task(void *arg, const struct store_task_row *r)
{
	struct api_status_task m = { .task_id = r->id,
				     .rollout_id = r->rollout,
				     .region_id = (uint32_t)r->region,
				     .wave = (uint32_t)r->wave,
				     .term = r->term,
				     .updated_ns = r->updated };

	COPY(m.state, r->state);
	COPY(m.reason, r->reason);
	COPY(m.version, r->version);
	json_array_append_new(arg, api_status_task_encode(&m));
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
	struct api_status_rollout m = {
		.rollout_id = r->id,
		.wave = (uint32_t)r->wave,
		.waves = (uint32_t)r->waves,
		.wave_size = (uint32_t)r->wave_size,
		.failure_threshold = (uint32_t)r->threshold,
		.created_ns = r->created,
	};

	COPY(m.version, r->version);
	COPY(m.state, r->state);
	json_array_append_new(
		c->a, api_status_rollout_encode(&m, state_counts(t), t));
}

static void add_region(void *arg, const struct store_region_row *r)
{
	struct status_ctx *c = arg;
	struct api_status_region m = {
		.region_id = r->id,
		.term = r->term,
		.size = (uint32_t)assign_region_size(c->o->as, r->id),
	};
	json_t *members = json_array();

	COPY(m.group, r->grp);
	COPY(m.rvs, r->rvs);
	store_members_each(c->o->st, r->id, add_member, members);
	json_array_append_new(c->a,
			      api_status_region_encode(&m, members,
						       tasks(c->o, 0, r->id)));
}

json_t *status_json(struct opsd *o, int64_t only)
{
	struct status_ctx regions = { o, json_array() };
	struct status_ctx rollouts = { o, json_array() };
	struct store_totals t = { 0 };
	struct api_status m = {
		.planned_nodes = (uint32_t)assign_planned(o->as),
		.max_per_region = (uint32_t)assign_max_per_region(o->as),
		.regions = (uint32_t)assign_nregions(o->as),
		.arrivals = (uint32_t)assign_arrivals(o->as),
		.online = (uint32_t)assign_online(o->as),
		.port = (uint16_t)o->cfg.port,
	};

	if (store_regions_each(o->st, only, add_region, &regions) ||
	    store_rollouts_each(o->st, 0, add_rollout, &rollouts) ||
	    store_totals(o->st, &t)) {
		json_decref(regions.a);
		json_decref(rollouts.a);
		return NULL;
	}
	snprintf(m.pool, sizeof(m.pool), "%.*s", (int)sizeof(m.pool) - 1,
		 o->cfg.pool); /* a checked CIDR */
	m.nodes = (uint32_t)t.nodes;
	m.server_time_ns = clock_real_ns();
	return api_status_encode(&m, regions.a, rollouts.a);
}

/* ?NAME=N within [min, max]: 0 (also when absent), -1 when malformed. */
static int query_num(struct evhttp_request *req, const char *name, int64_t min,
		     int64_t max, int64_t *v, char q[16])
{
	uint64_t u;

	if (http_query(req, name, q, 16))
		return 0;
	if (parse_dec_u64(q, (uint64_t)min, (uint64_t)max, &u))
		return -1;
	*v = (int64_t)u;
	return 0;
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
	struct api_audit_entry m = { .id = r->id, .time_ns = r->time };

	COPY(m.action, r->action);
	COPY(m.detail, r->detail);
	json_array_append_new(arg, api_audit_entry_encode(&m));
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
	http_json(req, 200, api_list_encode(API_MSG_AUDIT, a));
}
