// SPDX-License-Identifier: GPL-2.0
/*
 * rup-opsd region keys. Rotation has two admin steps so no beacon is lost:
 * "stage" makes a next key that nodes fetch (GET /api/v1/keys, or at
 * registration) and accept beside the current one; once they have it,
 * "promote" makes it current and nodes start sending with it.
 */
#include <event2/http.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "routes.h"

static json_t *hex(const void *blob, int len)
{
	const uint8_t *b = blob;
	char h[65];
	json_t *j;
	int i;

	if (!b || len != 32)
		return json_null();
	for (i = 0; i < 32; i++)
		snprintf(h + 2 * i, 3, "%02x", b[i]);
	j = json_string(h);
	OPENSSL_cleanse(h, sizeof(h));
	return j;
}

int keys_json(struct opsd *o, uint32_t region, json_t *j)
{
	sqlite3_stmt *st = db_prep(
		o->db, "SELECT key, next_key FROM regions WHERE id = ?");
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, region);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == 32) {
		json_object_set_new(j, "key",
				    hex(sqlite3_column_blob(st, 0), 32));
		json_object_set_new(j, "next_key",
				    hex(sqlite3_column_blob(st, 1),
					sqlite3_column_bytes(st, 1)));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* GET /api/v1/keys (node token): the keys of the node's own region. */
void h_keys(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[33];
	uint32_t region;
	json_t *j;

	(void)arg;
	if (auth_node(o, req, node, &region))
		return;
	j = json_pack("{s:I}", "region_id", (json_int_t)region);
	if (!j || keys_json(o, region, j)) {
		json_decref(j);
		http_error(req, 500, "region %u: database error", region);
		return;
	}
	http_json(req, 200, j);
}

/* POST /api/v1/regions/ID/key {"action": "stage" | "promote"} (admin). */
void h_region_key(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	static const char *const fields[] = { "action", NULL };
	char action[16], err[200] = "", detail[96], *end;
	unsigned long region = strtoul(arg, &end, 10);
	int staged = 0, code = 400, stage;
	uint8_t key[32];
	sqlite3_stmt *st;
	json_t *body, *j;

	if (auth_admin(o, req))
		return;
	if (!*arg || *end || *arg == '-' || region >= assign_nregions(o->as)) {
		http_error(req, 404, "region '%.20s': no such region", arg);
		return;
	}
	body = http_body_json(o, req);
	if (!body)
		return;
	if (jf_only(body, fields, err, sizeof(err)) ||
	    jf_str(body, "action", action, sizeof(action) - 1, err,
		   sizeof(err)))
		goto bad;
	stage = !strcmp(action, "stage");
	if (!stage && strcmp(action, "promote")) {
		snprintf(err, sizeof(err),
			 "action: '%s' is not stage or promote", action);
		goto bad;
	}
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	st = db_prep(o->db,
		     "SELECT next_key IS NOT NULL FROM regions WHERE id = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, 1, (int64_t)region);
	if (sqlite3_step(st) == SQLITE_ROW)
		staged = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (stage == staged) {
		db_rollback(o->db);
		code = 409;
		snprintf(err, sizeof(err),
			 stage ? "a next key is already staged (promote it "
				 "first)" :
				 "no next key staged (stage one first)");
		goto bad;
	}
	if (stage) {
		if (RAND_bytes(key, sizeof(key)) != 1)
			goto dberr;
		st = db_prep(o->db,
			     "UPDATE regions SET next_key = ? WHERE id = ?");
		if (st)
			sqlite3_bind_blob(st, 1, key, sizeof(key),
					  SQLITE_TRANSIENT);
		OPENSSL_cleanse(key, sizeof(key));
	} else {
		st = db_prep(
			o->db,
			"UPDATE regions SET key = next_key, next_key = NULL "
			"WHERE id = ?");
	}
	if (!st)
		goto dberr;
	sqlite3_bind_int64(st, stage ? 2 : 1, (int64_t)region);
	snprintf(detail, sizeof(detail), "region %lu: next key %s", region,
		 stage ? "staged" : "promoted to current");
	if (db_run(st) ||
	    db_audit(o->db, stage ? "key_stage" : "key_promote", detail) ||
	    db_commit(o->db))
		goto dberr;
	olog_info("%s", detail);
	json_decref(body);
	/* The reply carries no key material: nodes fetch it with their own token. */
	j = json_pack("{s:I,s:s,s:b}", "region_id", (json_int_t)region,
		      "action", action, "next_key_staged", stage);
	http_json(req, 200, j);
	return;
dberr:
	db_rollback(o->db);
	code = 500;
	snprintf(err, sizeof(err), "database error");
bad:
	json_decref(body);
	http_error(req, code, "region %lu: key: %s", region, err);
}
