// SPDX-License-Identifier: GPL-2.0
/* rup-opsd DELETE /api/v1/nodes/ID: an admin removes a node. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "http.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"

void h_node_delete(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[40], detail[128];
	sqlite3_stmt *st;
	int64_t region = -1;

	if (auth_admin(o, req))
		return;
	if (strlen(arg) != 32 || !is_node_id(arg)) {
		http_error(req, 400, "node id '%.40s': must be 32 hex digits",
			   arg);
		return;
	}
	snprintf(node, sizeof(node), "%s", arg);
	node_id_lower(node);
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
	snprintf(detail, sizeof(detail), "node %s removed from region %" PRId64,
		 node, region);
	if (db_audit(o->db, "node_delete", detail) || db_commit(o->db))
		goto dberr;
	olog_info("%s", detail);
	longpoll_forget_node(o, node);
	http_json(req, 200,
		  json_pack("{s:s,s:I,s:b}", "node_id", node, "region_id",
			    (json_int_t)region, "removed", 1));
	return;
dberr:
	db_rollback(o->db);
	region_reload(o);
	http_error(req, 500, "node %s: database error", node);
}
