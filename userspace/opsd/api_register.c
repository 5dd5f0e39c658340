// SPDX-License-Identifier: GPL-2.0
/* rup-opsd POST /api/v1/register: enrollment, region assignment, node token. */
#include <arpa/inet.h>
#include <event2/http.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "semver.h"

#define MAX_ADDRESSES 16

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
		snprintf(
			err, errlen,
			"addresses: must be an array of at most %d IP addresses",
			MAX_ADDRESSES);
		json_decref(a);
		return -1;
	}
	for (i = 0; (e = json_array_get(a, i)); i++) {
		unsigned char buf[16];
		const char *s = json_string_value(e);

		if (!s || (inet_pton(AF_INET, s, buf) != 1 &&
			   inet_pton(AF_INET6, s, buf) != 1)) {
			snprintf(err, errlen,
				 "addresses[%zu]: not an IPv4 or IPv6 address",
				 i);
			json_decref(a);
			return -1;
		}
	}
	*out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return *out ? 0 : -1;
}

static const char *const register_fields[] = { "node_id", "score", "version",
					       "addresses", NULL };

void h_register(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[40], version[SEMVER_MAX_LEN + 1], err[256] = "",
						    token[NODE_TOKEN_LEN + 1];
	char grp[32] = "";
	json_t *keys = NULL, *reply;
	const char *t = auth_bearer(req);
	uint64_t score;
	uint32_t region = 0;
	uint8_t hash[32];
	char *addrs = NULL;
	struct semver sv;
	sqlite3_stmt *st;
	json_t *body;
	int is_new = 0, code = 400;

	(void)arg;
	if (!t) {
		http_error(
			req, 401,
			"missing enrollment token (Authorization: Bearer ...)");
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
	node_id_lower(node);
	if (jf_uint(body, "score", 0, UINT32_MAX, &score, err, sizeof(err)) ||
	    jf_str(body, "version", version, SEMVER_MAX_LEN, err,
		   sizeof(err)) ||
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
	if (is_new &&
	    region_assign(o, (uint32_t)score, &region, err, sizeof(err))) {
		code = 503;
		goto rollback;
	}
	st = db_prep(
		o->db,
		is_new ?
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
	/*
	 * A node's state is what its RVS last reported for the region's newest
	 * task. A node that registers with that task's version has it, even if
	 * no RVS reports again: the RVS that installs itself after reporting
	 * complete, or a node that comes back to a task already complete.
	 */
	st = db_prep(
		o->db,
		"UPDATE nodes SET state = 'upgraded' WHERE id = ?1 AND state IS NOT NULL "
		"AND state != 'upgraded' AND version = (SELECT ro.version FROM tasks t "
		"JOIN rollouts ro ON ro.id = t.rollout WHERE t.region = nodes.region "
		"ORDER BY t.id DESC LIMIT 1)");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	if (db_run(st))
		goto dberr;
	st = db_prep(o->db, "SELECT grp FROM regions WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, region);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		goto dberr;
	}
	snprintf(grp, sizeof(grp), "%s", db_text(st, 0));
	sqlite3_finalize(st);
	keys = json_object();
	if (!keys || keys_json(o, region, keys))
		goto dberr;
	if (db_commit(o->db)) {
		if (is_new)
			region_reload(o);
		code = 500;
		snprintf(err, sizeof(err), "database error");
		goto bad;
	}
	o->m.registrations++;
	olog_info("node %s: %s in region %u (score %" PRIu64 ", version %s)",
		  node, is_new ? "registered" : "re-registered", region, score,
		  version);
	reply = json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:I,s:b}",
			  "node_id", node, "region_id", (json_int_t)region,
			  "group", grp, "port", (json_int_t)o->cfg.port,
			  "interval_ms", (json_int_t)o->cfg.interval_ms,
			  "dead_ms", (json_int_t)o->cfg.dead_ms, "window_ms",
			  (json_int_t)o->cfg.window_ms, "node_token", token,
			  "server_time_ns", (json_int_t)opsd_now_ns(), "new",
			  is_new);
	if (reply)
		json_object_update(reply, keys);
	json_decref(keys);
	http_json(req, is_new ? 201 : 200, reply);
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
	json_decref(keys);
	free(addrs);
	json_decref(body);
	http_error(req, code, "register: %s", err);
}
