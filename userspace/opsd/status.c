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
#include "db.h"
#include "http.h"
#include "opsd.h"
#include "routes.h"
#include "status.h"

static json_t *members(struct opsd *o, int64_t region)
{
	sqlite3_stmt *st = db_prep(
		o->db,
		"SELECT id, score, version, addresses, IFNULL(state,''), "
		"registered, last_seen, IFNULL(last_report, 0) FROM nodes "
		"WHERE region = ? ORDER BY id");
	json_t *a = json_array();

	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, region);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *addrs = json_loads(db_text(st, 3), 0, NULL);

		json_array_append_new(
			a, json_pack("{s:s,s:I,s:s,s:o,s:s,s:I,s:I,s:I}",
				     "node_id", db_text(st, 0), "score",
				     (json_int_t)sqlite3_column_int64(st, 1),
				     "version", db_text(st, 2), "addresses",
				     addrs ? addrs : json_array(), "state",
				     db_text(st, 4), "registered_ns",
				     (json_int_t)sqlite3_column_int64(st, 5),
				     "last_seen_ns",
				     (json_int_t)sqlite3_column_int64(st, 6),
				     "last_report_ns",
				     (json_int_t)sqlite3_column_int64(st, 7)));
	}
	sqlite3_finalize(st);
	return a;
}

static json_t *tasks(struct opsd *o, const char *where, int64_t id)
{
	char sql[320];
	sqlite3_stmt *st;
	json_t *a = json_array();

	snprintf(
		sql, sizeof(sql),
		"SELECT t.id, t.rollout, t.region, t.wave, t.state, "
		"IFNULL(t.reason,''), t.term, t.updated, ro.version FROM tasks t JOIN rollouts "
		"ro ON ro.id = t.rollout WHERE %s = ? ORDER BY t.id",
		where);
	st = db_prep(o->db, sql);
	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
			a, json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:I,s:I,s:s}",
				     "task_id",
				     (json_int_t)sqlite3_column_int64(st, 0),
				     "rollout_id",
				     (json_int_t)sqlite3_column_int64(st, 1),
				     "region_id",
				     (json_int_t)sqlite3_column_int64(st, 2),
				     "wave",
				     (json_int_t)sqlite3_column_int64(st, 3),
				     "state", db_text(st, 4), "reason",
				     db_text(st, 5), "term",
				     (json_int_t)sqlite3_column_int64(st, 6),
				     "updated_ns",
				     (json_int_t)sqlite3_column_int64(st, 7),
				     "version", db_text(st, 8)));
	sqlite3_finalize(st);
	return a;
}

static json_t *rollouts(struct opsd *o)
{
	sqlite3_stmt *st = db_prep(
		o->db, "SELECT id, version, state, wave, waves, wave_size, "
		       "failure_threshold, created FROM rollouts ORDER BY id");
	json_t *a = json_array();

	if (!st)
		return a;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		json_t *t = tasks(o, "t.rollout", id), *counts = json_object(),
		       *e;
		size_t i;

		for (i = 0; (e = json_array_get(t, i)); i++) {
			const char *s =
				json_string_value(json_object_get(e, "state"));
			json_int_t n =
				json_integer_value(json_object_get(counts, s));

			json_object_set_new(counts, s, json_integer(n + 1));
		}
		json_array_append_new(
			a,
			json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:o}",
				  "rollout_id", (json_int_t)id, "version",
				  db_text(st, 1), "state", db_text(st, 2),
				  "wave",
				  (json_int_t)sqlite3_column_int64(st, 3),
				  "waves",
				  (json_int_t)sqlite3_column_int64(st, 4),
				  "wave_size",
				  (json_int_t)sqlite3_column_int64(st, 5),
				  "failure_threshold",
				  (json_int_t)sqlite3_column_int64(st, 6),
				  "created_ns",
				  (json_int_t)sqlite3_column_int64(st, 7),
				  "task_states", counts, "tasks", t));
	}
	sqlite3_finalize(st);
	return a;
}

json_t *status_json(struct opsd *o, int64_t only)
{
	sqlite3_stmt *st = db_prep(
		o->db, "SELECT id, grp, IFNULL(rvs, ''), term FROM regions "
		       "WHERE ?1 < 0 OR id = ?1 ORDER BY id");
	json_t *regions = json_array();

	if (!st) {
		json_decref(regions);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, only);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *rvs = db_text(st, 2);

		json_array_append_new(
			regions,
			json_pack(
				"{s:I,s:s,s:o,s:I,s:I,s:o,s:o}", "region_id",
				(json_int_t)id, "group", db_text(st, 1), "rvs",
				rvs[0] ? json_string(rvs) : json_null(), "term",
				(json_int_t)sqlite3_column_int64(st, 3), "size",
				(json_int_t)assign_region_size(o->as,
							       (uint32_t)id),
				"members", members(o, id), "tasks",
				tasks(o, "t.region", id)));
	}
	sqlite3_finalize(st);
	return json_pack("{s:{s:I,s:I,s:I,s:I,s:I},s:s,s:I,s:I,s:o,s:o,s:I}",
			 "assignment", "planned_nodes",
			 (json_int_t)assign_planned(o->as), "max_per_region",
			 (json_int_t)assign_max_per_region(o->as), "regions",
			 (json_int_t)assign_nregions(o->as), "arrivals",
			 (json_int_t)assign_arrivals(o->as), "online",
			 (json_int_t)assign_online(o->as), "pool", o->cfg.pool,
			 "port", (json_int_t)o->cfg.port, "nodes",
			 (json_int_t)db_int(o->db, "SELECT COUNT(*) FROM nodes",
					    0),
			 "regions", regions, "rollouts", rollouts(o),
			 "server_time_ns", (json_int_t)opsd_now_ns());
}

void h_status(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char q[16], *end;
	int64_t only = -1;
	json_t *j;

	(void)arg;
	if (auth_admin(o, req))
		return;
	/* ?region=ID: one region only (a large fleet's full status is big). */
	if (!http_query(req, "region", q, sizeof(q))) {
		only = strtoll(q, &end, 10);
		if (!q[0] || *end || only < 0 || only > UINT32_MAX) {
			http_error(req, 400,
				   "status: region '%s' is not a region id", q);
			return;
		}
		if (only >= assign_nregions(o->as)) {
			http_error(req, 404,
				   "status: region %" PRId64 " does not exist",
				   only);
			return;
		}
	}
	j = status_json(o, only);
	if (!j) {
		http_error(req, 500, "database error");
		return;
	}
	http_json(req, 200, j);
}

/* GET /api/v1/audit[?limit=N]: the newest admin actions first. */
void h_audit(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char q[16], *end;
	long limit = 100;
	sqlite3_stmt *st;
	json_t *a;

	(void)arg;
	if (auth_admin(o, req))
		return;
	if (!http_query(req, "limit", q, sizeof(q))) {
		limit = strtol(q, &end, 10);
		if (!q[0] || *end || limit < 1 || limit > 10000) {
			http_error(req, 400, "audit: limit must be 1..10000");
			return;
		}
	}
	st = db_prep(
		o->db,
		"SELECT id, time, action, detail FROM audit ORDER BY id DESC LIMIT ?");
	if (!st) {
		http_error(req, 500, "database error");
		return;
	}
	sqlite3_bind_int64(st, 1, limit);
	a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
			a, json_pack("{s:I,s:I,s:s,s:s}", "id",
				     (json_int_t)sqlite3_column_int64(st, 0),
				     "time_ns",
				     (json_int_t)sqlite3_column_int64(st, 1),
				     "action", db_text(st, 2), "detail",
				     db_text(st, 3)));
	sqlite3_finalize(st);
	http_json(req, 200, json_pack("{s:o}", "audit", a));
}
