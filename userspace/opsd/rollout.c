// SPDX-License-Identifier: GPL-2.0
/* rup-opsd rollouts: POST /api/v1/rollouts and wave progression. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "longpoll.h"
#include "opsd.h"
#include "rollout.h"
#include "routes.h"
#include "semver.h"

static int set_wave_state(struct opsd *o, int64_t rollout, int64_t wave,
			  const char *from, const char *to)
{
	sqlite3_stmt *st = db_prep(
		o->db, "UPDATE tasks SET state = ?, updated = ? WHERE "
		       "rollout = ? AND state = ? AND (? < 0 OR wave = ?)");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)opsd_now_ns());
	sqlite3_bind_int64(st, 3, rollout);
	sqlite3_bind_text(st, 4, from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, wave);
	sqlite3_bind_int64(st, 6, wave);
	return db_run(st);
}

static int set_rollout(struct opsd *o, int64_t rollout, const char *state,
		       int64_t wave)
{
	sqlite3_stmt *st = db_prep(
		o->db, "UPDATE rollouts SET state = ?, wave = ? WHERE id = ?");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, wave);
	sqlite3_bind_int64(st, 3, rollout);
	return db_run(st);
}

int rollout_advance(struct opsd *o, int64_t rollout)
{
	sqlite3_stmt *st = db_prep(
		o->db, "SELECT state, wave, waves, failure_threshold FROM "
		       "rollouts WHERE id = ?");
	int64_t wave, waves, threshold, open, failed;
	char sql[256], detail[128];

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, rollout);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp(db_text(st, 0), "running")) {
		sqlite3_finalize(st);
		return 0;
	}
	wave = sqlite3_column_int64(st, 1);
	waves = sqlite3_column_int64(st, 2);
	threshold = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM tasks WHERE rollout = %" PRId64
		 " AND wave = %" PRId64
		 " AND state NOT IN ('up_to_date','complete','partial',"
		 "'failed')",
		 rollout, wave);
	open = db_int(o->db, sql, -1);
	if (open)
		return open < 0 ? -1 : 0;
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM tasks WHERE rollout = %" PRId64
		 " AND wave = %" PRId64 " AND state = 'failed'",
		 rollout, wave);
	failed = db_int(o->db, sql, -1);
	if (failed < 0)
		return -1;
	if (failed > threshold) {
		snprintf(detail, sizeof(detail),
			 "rollout %" PRId64 " halted: wave %" PRId64
			 " had %" PRId64 " failed regions (threshold %" PRId64
			 ")",
			 rollout, wave, failed, threshold);
		if (set_wave_state(o, rollout, -1, "waiting", "cancelled") ||
		    set_rollout(o, rollout, "halted", wave) ||
		    db_audit(o->db, "rollout_halt", detail))
			return -1;
		return 0;
	}
	if (wave + 1 >= waves)
		return set_rollout(o, rollout, "done", wave) ? -1 : 0;
	if (set_wave_state(o, rollout, wave + 1, "waiting", "open") ||
	    set_rollout(o, rollout, "running", wave + 1))
		return -1;
	return 1;
}

/* Regions of the request: "all" (regions with nodes) or a list of ids. */
static int regions_of(struct opsd *o, json_t *body, int64_t **out, size_t *n,
		      char *err, size_t errlen)
{
	json_t *v = json_object_get(body, "regions");
	size_t i, j, cap;
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if (!v || (json_is_string(v) && !strcmp(json_string_value(v), "all"))) {
		st = db_prep(
			o->db,
			"SELECT DISTINCT region FROM nodes ORDER BY region");
		if (!st)
			return -1;
		cap = (size_t)db_int(o->db, "SELECT COUNT(*) FROM regions", 0) +
		      1;
		*out = calloc(cap, sizeof(**out));
		while (*out && *n < cap && sqlite3_step(st) == SQLITE_ROW)
			(*out)[(*n)++] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (!*out)
			return -1;
		if (!*n) {
			snprintf(err, errlen,
				 "regions: no region has nodes yet");
			return -1;
		}
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v)) {
		snprintf(
			err, errlen,
			"regions: must be \"all\" or a non-empty array of region ids");
		return -1;
	}
	*out = calloc(json_array_size(v), sizeof(**out));
	if (!*out)
		return -1;
	for (i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		char sql[96];

		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > UINT32_MAX) {
			snprintf(err, errlen,
				 "regions[%zu]: must be a region id", i);
			return -1;
		}
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM regions WHERE id = %" PRId64,
			 (int64_t)json_integer_value(e));
		if (db_int(o->db, sql, 0) != 1) {
			snprintf(err, errlen,
				 "regions[%zu]: region %" JSON_INTEGER_FORMAT
				 " does not exist",
				 i, json_integer_value(e));
			return -1;
		}
		for (j = 0; j < *n; j++)
			if ((*out)[j] == json_integer_value(e)) {
				snprintf(
					err, errlen,
					"regions[%zu]: region %" JSON_INTEGER_FORMAT
					" listed twice",
					i, json_integer_value(e));
				return -1;
			}
		(*out)[(*n)++] = json_integer_value(e);
	}
	return 0;
}

static int release_ready(struct opsd *o, const char *version, char *err,
			 size_t errlen)
{
	sqlite3_stmt *st = db_prep(
		o->db, "SELECT payload FROM releases WHERE version = ?");
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		snprintf(err, errlen, "release %s: not published", version);
	else if (!sqlite3_column_int(st, 0))
		snprintf(err, errlen, "release %s: payload not uploaded yet",
			 version);
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

static const char *const rollout_fields[] = { "version", "regions", "wave_size",
					      "failure_threshold", NULL };

void h_rollout_start(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	char version[SEMVER_MAX_LEN + 1], err[256] = "", detail[256];
	uint64_t wave_size, threshold;
	int64_t *regions = NULL, id;
	size_t n = 0, i, waves;
	struct semver sv;
	sqlite3_stmt *st;
	json_t *body, *ids;
	int code = 400;

	(void)arg;
	if (auth_admin(o, req))
		return;
	body = http_body_json(o, req);
	if (!body)
		return;
	if (jf_only(body, rollout_fields, err, sizeof(err)) ||
	    jf_str(body, "version", version, SEMVER_MAX_LEN, err,
		   sizeof(err)) ||
	    semver_parse(version, &sv, err, sizeof(err)) ||
	    jf_uint_opt(body, "wave_size", 1, UINT32_MAX, UINT32_MAX,
			&wave_size, err, sizeof(err)) ||
	    jf_uint_opt(body, "failure_threshold", 0, UINT32_MAX, 0, &threshold,
			err, sizeof(err)))
		goto bad;
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	if (release_ready(o, version, err, sizeof(err))) {
		code = 409;
		goto rollback;
	}
	if (regions_of(o, body, &regions, &n, err, sizeof(err)))
		goto rollback;
	waves = (n + wave_size - 1) / wave_size;
	st = db_prep(
		o->db,
		"INSERT INTO rollouts(version, wave_size, failure_threshold, state, "
		"wave, waves, created) VALUES(?,?,?,'running',0,?,?)");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)(wave_size < n ? wave_size : n));
	sqlite3_bind_int64(st, 3, (int64_t)threshold);
	sqlite3_bind_int64(st, 4, (int64_t)waves);
	sqlite3_bind_int64(st, 5, (int64_t)opsd_now_ns());
	if (db_run(st))
		goto dberr;
	id = sqlite3_last_insert_rowid(o->db);
	ids = json_array();
	for (i = 0; i < n; i++) {
		st = db_prep(
			o->db,
			"INSERT INTO tasks(rollout, region, wave, state, updated) "
			"VALUES(?,?,?,?,?)");
		if (!st) {
			json_decref(ids);
			goto dberr;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, regions[i]);
		sqlite3_bind_int64(st, 3, (int64_t)(i / wave_size));
		sqlite3_bind_text(st, 4, i < wave_size ? "open" : "waiting", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (int64_t)opsd_now_ns());
		if (db_run(st)) {
			json_decref(ids);
			goto dberr;
		}
		json_array_append_new(ids, json_integer(regions[i]));
	}
	snprintf(detail, sizeof(detail),
		 "rollout %" PRId64 ": version %s, %zu regions, %zu "
		 "waves, failure threshold %" PRIu64,
		 id, version, n, waves, threshold);
	if (db_audit(o->db, "rollout_start", detail) || db_commit(o->db)) {
		json_decref(ids);
		goto dberr;
	}
	free(regions);
	json_decref(body);
	longpoll_wake(o);
	http_json(req, 201,
		  json_pack("{s:I,s:s,s:o,s:I,s:I,s:I,s:s}", "rollout_id",
			    (json_int_t)id, "version", version, "regions", ids,
			    "waves", (json_int_t)waves, "wave_size",
			    (json_int_t)(wave_size < n ? wave_size : n),
			    "failure_threshold", (json_int_t)threshold, "state",
			    "running"));
	return;
dberr:
	code = 500;
	snprintf(err, sizeof(err), "database error");
rollback:
	db_rollback(o->db);
bad:
	free(regions);
	json_decref(body);
	http_error(req, code, "rollout: %s", err);
}

/*
 * POST /api/v1/rollouts/ID/cancel: stop a rollout that cannot finish (a
 * region that never reports would otherwise hold it, and the region's later
 * tasks, forever). Every task not final becomes cancelled.
 */
void h_rollout_cancel(struct opsd *o, struct evhttp_request *req,
		      const char *arg)
{
	char *end, detail[128], state[16] = "";
	unsigned long long id;
	sqlite3_stmt *st;
	int64_t n;

	if (auth_admin(o, req))
		return;
	id = strtoull(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || id > INT64_MAX) {
		http_error(req, 400, "rollout id '%.40s': not a number", arg);
		return;
	}
	if (db_begin(o->db)) {
		http_error(req, 500, "database busy");
		return;
	}
	st = db_prep(o->db, "SELECT state FROM rollouts WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(state, sizeof(state), "%s", db_text(st, 0));
	sqlite3_finalize(st);
	if (!state[0] || strcmp(state, "running")) {
		db_rollback(o->db);
		if (state[0])
			http_error(req, 409, "rollout %llu: is %s, not running",
				   id, state);
		else
			http_error(req, 404, "rollout %llu: no such rollout",
				   id);
		return;
	}
	st = db_prep(
		o->db,
		"UPDATE tasks SET state = 'cancelled', updated = ? WHERE rollout = ? "
		"AND state NOT IN ('up_to_date','complete','partial','failed')");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)opsd_now_ns());
	sqlite3_bind_int64(st, 2, (int64_t)id);
	if (db_run(st))
		goto dberr;
	n = sqlite3_changes(o->db);
	st = db_prep(o->db,
		     "UPDATE rollouts SET state = 'cancelled' WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)id);
	snprintf(detail, sizeof(detail),
		 "rollout %llu cancelled (%" PRId64 " tasks)", id, n);
	if (db_run(st) || db_audit(o->db, "rollout_cancel", detail) ||
	    db_commit(o->db))
		goto dberr;
	/* Regions may have a later rollout's task waiting behind this one. */
	longpoll_wake(o);
	http_json(req, 200,
		  json_pack("{s:I,s:s,s:I}", "rollout_id", (json_int_t)id,
			    "state", "cancelled", "cancelled_tasks",
			    (json_int_t)n));
	return;
dberr:
	db_rollback(o->db);
	http_error(req, 500, "rollout %llu: database error", id);
}
