// SPDX-License-Identifier: GPL-2.0
/*
 * rup-opsd GET /: the fleet status page (versions, rollouts, regions with
 * their RVS), refreshing itself. Built from aggregate queries, one row per
 * region rather than per node, so it stays small for a large fleet.
 */
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>
#include <string.h>

#include "assign.h"
#include "db.h"
#include "http.h"
#include "opsd.h"
#include "routes.h"

/* HTML-escape @s into @b: values on the page come from nodes and admins. */
static void esc(struct evbuffer *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			evbuffer_add(b, "&lt;", 4);
			break;
		case '>':
			evbuffer_add(b, "&gt;", 4);
			break;
		case '&':
			evbuffer_add(b, "&amp;", 5);
			break;
		case '"':
			evbuffer_add(b, "&quot;", 6);
			break;
		case '\'':
			evbuffer_add(b, "&#39;", 5);
			break;
		default:
			evbuffer_add(b, s, 1);
		}
	}
}

/* "2.0.0: 48, 1.0.0: 2" for one region, or the fleet when @region < 0. */
static void versions(struct opsd *o, struct evbuffer *b, int64_t region)
{
	/* Two statements so the per-region one uses the nodes(region) index. */
	sqlite3_stmt *st = db_prep(
		o->db, region < 0 ? "SELECT version, COUNT(*) AS n FROM "
				    "nodes GROUP BY version ORDER BY "
				    "n DESC, version" :
				    "SELECT version, COUNT(*) AS n FROM "
				    "nodes WHERE region = ? GROUP BY "
				    "version ORDER BY n DESC, version");
	int first = 1;

	if (!st)
		return;
	if (region >= 0)
		sqlite3_bind_int64(st, 1, region);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!first)
			evbuffer_add(b, ", ", 2);
		first = 0;
		esc(b, db_text(st, 0));
		evbuffer_add_printf(b, ": %" PRId64,
				    (int64_t)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
}

static void rollouts(struct opsd *o, struct evbuffer *b)
{
	sqlite3_stmt *st =
		db_prep(o->db, "SELECT id, version, state, wave, waves FROM "
			       "rollouts ORDER BY id DESC LIMIT 20");
	sqlite3_stmt *c;

	evbuffer_add_printf(b, "<h2>Rollouts</h2><table><tr><th>id</th>"
			       "<th>version</th><th>state</th><th>wave</th>"
			       "<th>tasks</th></tr>\n");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *state = db_text(st, 2);

		evbuffer_add_printf(b, "<tr><td>%" PRId64 "</td><td>",
				    (int64_t)sqlite3_column_int64(st, 0));
		esc(b, db_text(st, 1));
		/* States are the server's own words: safe as a class name. */
		evbuffer_add_printf(b,
				    "</td><td class=\"%s\">%s</td><td>%" PRId64
				    " of %" PRId64 "</td><td>",
				    state, state,
				    (int64_t)sqlite3_column_int64(st, 3) + 1,
				    (int64_t)sqlite3_column_int64(st, 4));
		c = db_prep(o->db, "SELECT state, COUNT(*) FROM tasks WHERE "
				   "rollout = ? GROUP BY state ORDER BY state");
		if (c)
			sqlite3_bind_int64(c, 1, sqlite3_column_int64(st, 0));
		while (c && sqlite3_step(c) == SQLITE_ROW)
			evbuffer_add_printf(
				b, "%s: %" PRId64 " ", db_text(c, 0),
				(int64_t)sqlite3_column_int64(c, 1));
		sqlite3_finalize(c);
		evbuffer_add_printf(b, "</td></tr>\n");
	}
	sqlite3_finalize(st);
	evbuffer_add_printf(b, "</table>\n");
}

static void regions(struct opsd *o, struct evbuffer *b)
{
	/* The newest task of each region, next to the region's row. */
	sqlite3_stmt *st = db_prep(
		o->db,
		"SELECT r.id, r.grp, IFNULL(r.rvs, ''), r.term, "
		"IFNULL(t.state, ''), IFNULL(ro.version, '') FROM regions r "
		"LEFT JOIN tasks t ON t.id = (SELECT MAX(id) FROM tasks "
		"WHERE region = r.id) LEFT JOIN rollouts ro ON ro.id = t.rollout "
		"ORDER BY r.id");

	evbuffer_add_printf(b, "<h2>Regions</h2><table><tr><th>region</th>"
			       "<th>group</th><th>RVS (term)</th><th>nodes</th>"
			       "<th>versions</th><th>last task</th></tr>\n");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *rvs = db_text(st, 2);

		evbuffer_add_printf(b, "<tr><td>%" PRId64 "</td><td>", id);
		esc(b, db_text(st, 1));
		evbuffer_add(b, "</td><td>", 9);
		esc(b, rvs[0] ? rvs : "none");
		evbuffer_add_printf(b, " (%" PRId64 ")</td><td>%u</td><td>",
				    (int64_t)sqlite3_column_int64(st, 3),
				    assign_region_size(o->as, (uint32_t)id));
		versions(o, b, id);
		evbuffer_add(b, "</td><td>", 9);
		esc(b, db_text(st, 4));
		evbuffer_add(b, " ", 1);
		esc(b, db_text(st, 5));
		evbuffer_add_printf(b, "</td></tr>\n");
	}
	sqlite3_finalize(st);
	evbuffer_add_printf(b, "</table>\n");
}

void h_page(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct evbuffer *b = evbuffer_new();

	(void)arg;
	if (!b) {
		http_error(req, 500, "out of memory");
		return;
	}
	evbuffer_add_printf(
		b,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		"<meta http-equiv=\"refresh\" content=\"5\">"
		"<title>rup fleet</title><style>"
		"body{font-family:sans-serif}table{border-collapse:collapse}"
		"td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
		".halted,.failed,.cancelled{color:#b00}.done,.complete{color:#070}"
		"</style></head><body>\n<h1>rup fleet</h1><p>%" PRId64
		" nodes in %u regions (planned %u, at most %u per region), "
		"port %u, pool ",
		db_int(o->db, "SELECT COUNT(*) FROM nodes", 0),
		assign_nregions(o->as), assign_planned(o->as),
		assign_max_per_region(o->as), o->cfg.port);
	esc(b, o->cfg.pool);
	evbuffer_add_printf(b, "</p>\n<p>Versions: ");
	versions(o, b, -1);
	evbuffer_add_printf(b, "</p>\n");
	rollouts(o, b);
	regions(o, b);
	evbuffer_add_printf(b, "</body></html>\n");
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/html; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	http_count(200);
	evbuffer_free(b);
}
