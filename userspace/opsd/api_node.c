// SPDX-License-Identifier: GPL-2.0
/* rup-opsd node API: register, reports; admin removal of a node. */
#include <arpa/inet.h>
#include <ctype.h>
#include <event2/http.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "rollout.h"
#include "routes.h"
#include "semver.h"
#include "task.h"

#define MAX_ADDRESSES 16

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* addresses: array of IPv4/IPv6 literals, stored as compact JSON text. */
static int check_addresses(json_t *body, char **out, char *err, size_t errlen)
{
	json_t *a = json_object_get(body, "addresses"), *e;
	size_t i;

	if (!a)
		a = json_array();
	else
		json_incref(a);
	if (!json_is_array(a) || json_array_size(a) > MAX_ADDRESSES) {
		snprintf(err, errlen, "addresses: must be an array of at most %d IP addresses",
			 MAX_ADDRESSES);
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, e) {
		unsigned char buf[16];
		const char *s = json_string_value(e);

		if (!s || (inet_pton(AF_INET, s, buf) != 1 && inet_pton(AF_INET6, s, buf) != 1)) {
			snprintf(err, errlen, "addresses[%zu]: not an IPv4 or IPv6 address", i);
			json_decref(a);
			return -1;
		}
	}
	*out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return *out ? 0 : -1;
}

static const char *const register_fields[] = { "node_id", "score", "version", "addresses",
					       NULL };

void h_register(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[40], version[SEMVER_MAX_LEN + 1], err[256] = "", token[NODE_TOKEN_LEN + 1];
	char grp[32] = "", hexkey[65];
	const char *t = auth_bearer(req);
	uint64_t score;
	uint32_t region = 0;
	uint8_t hash[32];
	char *addrs = NULL;
	struct semver sv;
	sqlite3_stmt *st;
	json_t *body;
	int is_new = 0, code = 400, i;
	const uint8_t *key;

	(void)arg;
	if (!t) {
		http_error(req, 401, "missing enrollment token (Authorization: Bearer ...)");
		return;
	}
	if (!auth_token_eq(t, o->cfg.enroll_token)) {
		http_error(req, 403, "wrong enrollment token");
		return;
	}
	body = http_body_json(o, req);
	if (!body)
		return;
	if (jf_only(body, register_fields, err, sizeof(err)) ||
	    jf_str(body, "node_id", node, 32, err, sizeof(err)))
		goto bad;
	if (!is_node_id(node)) {
		snprintf(err, sizeof(err), "node_id: must be 32 hex digits");
		goto bad;
	}
	lower(node);
	if (jf_uint(body, "score", 0, UINT32_MAX, &score, err, sizeof(err)) ||
	    jf_str(body, "version", version, SEMVER_MAX_LEN, err, sizeof(err)) ||
	    semver_parse(version, &sv, err, sizeof(err)) ||
	    check_addresses(body, &addrs, err, sizeof(err)))
		goto bad;
	if (auth_random_hex(token, 32)) {
		code = 500;
		snprintf(err, sizeof(err), "no randomness for a token");
		goto bad;
	}
	auth_hash(token, hash);
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	st = db_prep(o->db, "SELECT region FROM nodes WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		region = (uint32_t)sqlite3_column_int64(st, 0);
	else
		is_new = 1;
	sqlite3_finalize(st);
	/* Re-registration keeps the region: only a new node goes through the assignment. */
	if (is_new && region_assign(o, (uint32_t)score, &region, err, sizeof(err))) {
		code = 503;
		goto rollback;
	}
	st = db_prep(o->db, is_new ?
		     "INSERT INTO nodes(score, version, addresses, token_hash, last_seen, region, "
		     "registered, id) VALUES(?,?,?,?,?,?,?,?)" :
		     "UPDATE nodes SET score = ?, version = ?, addresses = ?, token_hash = ?, "
		     "last_seen = ?, region = ?, registered = ? WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)score);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, addrs, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)opsd_now_ns());
	sqlite3_bind_int64(st, 6, region);
	sqlite3_bind_int64(st, 7, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 8, node, -1, SQLITE_STATIC);
	if (db_run(st))
		goto dberr;
	st = db_prep(o->db, "SELECT grp, key FROM regions WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, region);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 1) != 32) {
		sqlite3_finalize(st);
		goto dberr;
	}
	snprintf(grp, sizeof(grp), "%s", db_text(st, 0));
	key = sqlite3_column_blob(st, 1);
	for (i = 0; i < 32; i++)
		snprintf(hexkey + 2 * i, 3, "%02x", key[i]);
	sqlite3_finalize(st);
	if (db_commit(o->db)) {
		if (is_new)
			region_reload(o);
		code = 500;
		snprintf(err, sizeof(err), "database error");
		goto bad;
	}
	o->m.registrations++;
	olog_info("node %s: %s in region %u (score %" PRIu64 ", version %s)", node,
		  is_new ? "registered" : "re-registered", region, score, version);
	http_json(req, is_new ? 201 : 200,
		  json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:I,s:b}", "node_id", node,
			    "region_id", (json_int_t)region, "group", grp, "port",
			    (json_int_t)o->cfg.port, "interval_ms",
			    (json_int_t)o->cfg.interval_ms, "dead_ms",
			    (json_int_t)o->cfg.dead_ms, "window_ms",
			    (json_int_t)o->cfg.window_ms, "key", hexkey, "node_token", token,
			    "server_time_ns", (json_int_t)opsd_now_ns(), "new", is_new));
	OPENSSL_cleanse(hexkey, sizeof(hexkey));
	OPENSSL_cleanse(token, sizeof(token));
	free(addrs);
	json_decref(body);
	return;
dberr:
	code = 500;
	snprintf(err, sizeof(err), "database error");
rollback:
	db_rollback(o->db);
	if (is_new)
		region_reload(o);
bad:
	free(addrs);
	json_decref(body);
	http_error(req, code, "register: %s", err);
}

/* One entry of a report's "nodes": {node_id, version, state}. */
static int report_node(struct opsd *o, int64_t task, uint32_t region, json_t *e, size_t i,
		       char *err, size_t errlen)
{
	static const char *const states[] = { "upgraded", "pending", "unreachable", "failed",
					      "not_applicable", NULL };
	static const char *const fields[] = { "node_id", "version", "state", NULL };
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
			snprintf(err, errlen, "nodes[%zu]: version has unprintable characters", i);
			return -1;
		}
	/*
	 * A node may beacon a version that is not SemVer (the RVS reports it as
	 * pending): keep the text in the task's record, not as the node's version.
	 */
	valid = version[0] && !semver_parse(version, &sv, NULL, 0);
	if (!is_node_id(id)) {
		snprintf(err, errlen, "nodes[%zu]: node_id must be 32 hex digits", i);
		return -1;
	}
	lower(id);
	for (s = states; *s && strcmp(*s, state); s++)
		;
	if (!*s) {
		snprintf(err, errlen, "nodes[%zu]: state '%s' is not one of upgraded, pending, "
			 "unreachable, failed, not_applicable", i, state);
		return -1;
	}
	st = db_prep(o->db, "SELECT COUNT(*) FROM nodes WHERE id = ? AND region = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, region);
	found = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (found != 1) {
		snprintf(err, errlen, "nodes[%zu]: node %s is not registered in region %u", i, id,
			 region);
		return -1;
	}
	st = db_prep(o->db, "INSERT OR REPLACE INTO task_nodes(task, node, version, state) "
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
	st = db_prep(o->db, "UPDATE nodes SET version = CASE WHEN ?1 = '' THEN version ELSE ?1 "
			    "END, state = ?2, last_report = ?3 WHERE id = ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, valid ? version : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	return db_run(st);
}

static const char *const report_fields[] = { "task_id", "term", "state", "reason", "nodes",
					     NULL };

void h_reports(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[33], state[32], reason[256], err[300] = "", cur[32] = "";
	uint64_t task, term;
	int64_t rollout = 0;
	uint32_t region, task_region = 0;
	int raised = 0, code = 400, woke = 0;
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
	    jf_str_opt(body, "reason", reason, sizeof(reason) - 1, err, sizeof(err)))
		goto bad;
	if (!task_state_is_report(state)) {
		snprintf(err, sizeof(err), "state: '%s' is not one of up_to_date, downloading, "
			 "package_abnormal, distributing, complete, partial, failed", state);
		goto bad;
	}
	if ((!strcmp(state, "package_abnormal") || !strcmp(state, "failed")) && !reason[0]) {
		snprintf(err, sizeof(err), "reason: required with state %s", state);
		goto bad;
	}
	nodes = json_object_get(body, "nodes");
	if (nodes && (!json_is_array(nodes) || json_array_size(nodes) > 100000)) {
		snprintf(err, sizeof(err), "nodes: must be an array");
		goto bad;
	}
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	st = db_prep(o->db, "SELECT region, state, rollout FROM tasks WHERE id = ?");
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
		snprintf(err, sizeof(err), "task %" PRIu64 ": no such task", task);
		goto rollback;
	}
	if (task_region != region) {
		code = 403;
		snprintf(err, sizeof(err), "task %" PRIu64 ": belongs to region %u, node %s to "
			 "region %u", task, task_region, node, region);
		goto rollback;
	}
	if (region_claim(o, region, node, term, &raised, err, sizeof(err))) {
		code = 409;
		goto rollback;
	}
	if (task_state_is_final(cur) || !strcmp(cur, "cancelled") || !strcmp(cur, "waiting")) {
		code = 409;
		snprintf(err, sizeof(err), "task %" PRIu64 ": is %s, no report accepted", task,
			 cur);
		goto rollback;
	}
	json_array_foreach(nodes, i, e)
		if (report_node(o, (int64_t)task, region, e, i, err, sizeof(err)))
			goto rollback;
	st = db_prep(o->db, "INSERT INTO reports(task, region, node, term, state, reason, time) "
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
	st = db_prep(o->db, "UPDATE tasks SET state = ?, reason = ?, term = ?, updated = ? "
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
	st = db_prep(o->db, "UPDATE nodes SET last_report = ?1, last_seen = ?1 WHERE id = ?2");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 2, node, -1, SQLITE_STATIC);
	if (db_run(st))
		goto dberr;
	if (task_state_is_final(state)) {
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
	http_json(req, 200, json_pack("{s:I,s:s,s:b}", "task_id", (json_int_t)task, "state",
				      state, "final", task_state_is_final(state)));
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

void h_node_delete(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[40], detail[128];
	sqlite3_stmt *st;
	int64_t region = -1;

	if (auth_admin(o, req))
		return;
	if (strlen(arg) != 32 || !is_node_id(arg)) {
		http_error(req, 400, "node id '%.40s': must be 32 hex digits", arg);
		return;
	}
	snprintf(node, sizeof(node), "%s", arg);
	lower(node);
	if (db_begin(o->db)) {
		http_error(req, 500, "database busy");
		return;
	}
	st = db_prep(o->db, "SELECT region FROM nodes WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		region = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (region < 0) {
		db_rollback(o->db);
		http_error(req, 404, "node %s: unknown node", node);
		return;
	}
	st = db_prep(o->db, "DELETE FROM nodes WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	if (db_run(st))
		goto dberr;
	/* A removed RVS holds no role; the term stays so old claims remain fenced. */
	st = db_prep(o->db, "UPDATE regions SET rvs = NULL WHERE rvs = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	if (db_run(st) || region_remove(o, (uint32_t)region))
		goto dberr;
	snprintf(detail, sizeof(detail), "node %s removed from region %" PRId64, node, region);
	if (db_audit(o->db, "node_delete", detail) || db_commit(o->db))
		goto dberr;
	olog_info("%s", detail);
	http_json(req, 200, json_pack("{s:s,s:I,s:b}", "node_id", node, "region_id",
				      (json_int_t)region, "removed", 1));
	return;
dberr:
	db_rollback(o->db);
	region_reload(o);
	http_error(req, 500, "node %s: database error", node);
}
