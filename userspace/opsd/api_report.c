// SPDX-License-Identifier: GPL-2.0
/* rup-opsd POST /api/v1/reports: an RVS reports its task, fenced by term. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "longpoll.h"
#include "opsd.h"
#include "region.h"
#include "rollout.h"
#include "routes.h"
#include "semver.h"
#include "task.h"

/* One entry of a report's "nodes": {node_id, version, state}. */
static int report_node(struct opsd *o, int64_t task, uint32_t region, json_t *e,
		       size_t i, char *err, size_t errlen)
{
	static const char *const states[] = { "upgraded",	"pending",
					      "unreachable",	"failed",
					      "not_applicable", NULL };
	static const char *const fields[] = { "node_id", "version", "state",
					      NULL };
	char id[40], version[SEMVER_MAX_LEN + 1], state[32], e2[200];
	const char *p;
	int found, valid;
	const char *const *s;
	struct semver sv;
	sqlite3_stmt *st;

	if (!json_is_object(e)) {
		snprintf(err, errlen, "nodes[%zu]: must be an object", i);
		return -1;
	}
	if (jf_only(e, fields, e2, sizeof(e2)) ||
	    jf_str(e, "node_id", id, 32, e2, sizeof(e2)) ||
	    jf_str(e, "state", state, sizeof(state) - 1, e2, sizeof(e2)) ||
	    jf_str_opt(e, "version", version, SEMVER_MAX_LEN, e2, sizeof(e2))) {
		snprintf(err, errlen, "nodes[%zu]: %s", i, e2);
		return -1;
	}
	for (p = version; *p; p++)
		if (*p < 0x21 || *p > 0x7e) {
			snprintf(
				err, errlen,
				"nodes[%zu]: version has unprintable characters",
				i);
			return -1;
		}
	/*
	 * A node may beacon a version that is not SemVer (the RVS reports it as
	 * pending): keep the text in the task's record, not as the node's version.
	 */
	valid = version[0] && !semver_parse(version, &sv, NULL, 0);
	if (!is_node_id(id)) {
		snprintf(err, errlen,
			 "nodes[%zu]: node_id must be 32 hex digits", i);
		return -1;
	}
	node_id_lower(id);
	for (s = states; *s && strcmp(*s, state); s++)
		;
	if (!*s) {
		snprintf(
			err, errlen,
			"nodes[%zu]: state '%s' is not one of upgraded, pending, "
			"unreachable, failed, not_applicable",
			i, state);
		return -1;
	}
	st = db_prep(o->db,
		     "SELECT COUNT(*) FROM nodes WHERE id = ? AND region = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, region);
	found = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (found != 1) {
		snprintf(err, errlen,
			 "nodes[%zu]: node %s is not registered in region %u",
			 i, id, region);
		return -1;
	}
	st = db_prep(
		o->db,
		"INSERT OR REPLACE INTO task_nodes(task, node, version, state) "
		"VALUES(?,?,?,?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, task);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	if (db_run(st))
		return -1;
	/* The RVS sees each node's version in its table: that is the fleet's truth. */
	st = db_prep(
		o->db,
		"UPDATE nodes SET version = CASE WHEN ?1 = '' THEN version ELSE ?1 "
		"END, state = ?2, last_report = ?3 WHERE id = ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, valid ? version : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	return db_run(st);
}

static const char *const report_fields[] = { "task_id", "term",	 "state",
					     "reason",	"nodes", NULL };

void h_reports(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[33], state[32], reason[256], err[300] = "", cur[32] = "";
	uint64_t task, term;
	int64_t rollout = 0;
	uint32_t region, task_region = 0;
	int raised = 0, code = 400, woke = 0, late = 0;
	sqlite3_stmt *st;
	json_t *body, *nodes = NULL, *e;
	size_t i;

	(void)arg;
	if (auth_node(o, req, node, &region))
		return;
	body = http_body_json(o, req);
	if (!body)
		return;
	if (jf_only(body, report_fields, err, sizeof(err)) ||
	    jf_uint(body, "task_id", 1, INT64_MAX, &task, err, sizeof(err)) ||
	    jf_uint(body, "term", 0, INT64_MAX, &term, err, sizeof(err)) ||
	    jf_str(body, "state", state, sizeof(state) - 1, err, sizeof(err)) ||
	    jf_str_opt(body, "reason", reason, sizeof(reason) - 1, err,
		       sizeof(err)))
		goto bad;
	if (!task_state_is_report(state)) {
		snprintf(
			err, sizeof(err),
			"state: '%s' is not one of up_to_date, downloading, "
			"package_abnormal, distributing, complete, partial, failed",
			state);
		goto bad;
	}
	if ((!strcmp(state, "package_abnormal") || !strcmp(state, "failed")) &&
	    !reason[0]) {
		snprintf(err, sizeof(err), "reason: required with state %s",
			 state);
		goto bad;
	}
	nodes = json_object_get(body, "nodes");
	if (nodes &&
	    (!json_is_array(nodes) || json_array_size(nodes) > 100000)) {
		snprintf(err, sizeof(err), "nodes: must be an array");
		goto bad;
	}
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	st = db_prep(o->db,
		     "SELECT region, state, rollout FROM tasks WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)task);
	if (sqlite3_step(st) == SQLITE_ROW) {
		task_region = (uint32_t)sqlite3_column_int64(st, 0);
		snprintf(cur, sizeof(cur), "%s", db_text(st, 1));
		rollout = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (!cur[0]) {
		code = 404;
		snprintf(err, sizeof(err), "task %" PRIu64 ": no such task",
			 task);
		goto rollback;
	}
	if (task_region != region) {
		code = 403;
		snprintf(err, sizeof(err),
			 "task %" PRIu64 ": belongs to region %u, node %s to "
			 "region %u",
			 task, task_region, node, region);
		goto rollback;
	}
	if (region_claim(o, region, node, term, &raised, err, sizeof(err))) {
		code = 409;
		goto rollback;
	}
	/*
	 * SPEC §7: after a partial end the RVS keeps offering the package, so
	 * a node that comes back still upgrades; later partial/complete reports
	 * of such a task keep the node versions current. Anything else final
	 * is closed.
	 */
	late = !strcmp(cur, "partial") &&
	       (!strcmp(state, "partial") || !strcmp(state, "complete"));
	if ((task_state_is_final(cur) && !late) || !strcmp(cur, "cancelled") ||
	    !strcmp(cur, "waiting")) {
		code = 409;
		snprintf(err, sizeof(err),
			 "task %" PRIu64 ": is %s, no %s report accepted", task,
			 cur, state);
		goto rollback;
	}
	for (i = 0; (e = json_array_get(nodes, i)); i++)
		if (report_node(o, (int64_t)task, region, e, i, err,
				sizeof(err)))
			goto rollback;
	st = db_prep(
		o->db,
		"INSERT INTO reports(task, region, node, term, state, reason, time) "
		"VALUES(?,?,?,?,?,?,?)");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)task);
	sqlite3_bind_int64(st, 2, region);
	sqlite3_bind_text(st, 3, node, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)term);
	sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (int64_t)opsd_now_ns());
	if (db_run(st))
		goto dberr;
	st = db_prep(
		o->db,
		"UPDATE tasks SET state = ?, reason = ?, term = ?, updated = ? "
		"WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)term);
	sqlite3_bind_int64(st, 4, (int64_t)opsd_now_ns());
	sqlite3_bind_int64(st, 5, (int64_t)task);
	if (db_run(st))
		goto dberr;
	st = db_prep(
		o->db,
		"UPDATE nodes SET last_report = ?1, last_seen = ?1 WHERE id = ?2");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 2, node, -1, SQLITE_STATIC);
	if (db_run(st))
		goto dberr;
	if (task_state_is_final(state) && !late) {
		woke = rollout_advance(o, rollout);
		if (woke < 0)
			goto dberr;
	}
	if (db_commit(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database error");
		goto bad;
	}
	json_decref(body);
	if (raised)
		longpoll_fence(o, region, term);
	if (woke)
		longpoll_wake(o);
	http_json(req, 200,
		  json_pack("{s:I,s:s,s:b}", "task_id", (json_int_t)task,
			    "state", state, "final",
			    task_state_is_final(state)));
	return;
dberr:
	code = 500;
	snprintf(err, sizeof(err), "database error");
rollback:
	db_rollback(o->db);
bad:
	json_decref(body);
	http_error(req, code, "report from node %s: %s", node, err);
}
