// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /metrics: Prometheus text exposition format 0.0.4. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>

#include "assign.h"
#include "db.h"
#include "http.h"
#include "opsd.h"
#include "routes.h"

static void gauge(struct evbuffer *b, const char *name, const char *type,
		  const char *help, uint64_t v)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n",
			    name, help, name, type, name, v);
}

void h_metrics(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	static const char *const states[] = {
		"waiting",	    "open",	  "downloading", "distributing",
		"package_abnormal", "up_to_date", "complete",	 "partial",
		"failed",	    "cancelled",  NULL
	};
	struct evbuffer *b = evbuffer_new();
	sqlite3_stmt *st;
	unsigned int i;

	(void)arg;
	if (!b) {
		http_error(req, 500, "out of memory");
		return;
	}
	gauge(b, "rup_registrations_total", "counter",
	      "Registrations answered (new and repeat).", o->m.registrations);
	gauge(b, "rup_nodes", "gauge", "Registered nodes.",
	      (uint64_t)db_int(o->db, "SELECT COUNT(*) FROM nodes", 0));
	gauge(b, "rup_regions", "gauge", "Regions.", assign_nregions(o->as));
	gauge(b, "rup_regions_with_rvs", "gauge",
	      "Regions whose RVS has claimed a term here.",
	      (uint64_t)db_int(
		      o->db,
		      "SELECT COUNT(*) FROM regions WHERE rvs IS NOT NULL", 0));
	gauge(b, "rup_releases", "gauge", "Published releases.",
	      (uint64_t)db_int(o->db, "SELECT COUNT(*) FROM releases", 0));
	gauge(b, "rup_downloads_total", "counter", "Package downloads started.",
	      o->m.downloads);
	gauge(b, "rup_downloads_active", "gauge",
	      "Package downloads in progress.", o->downloads);
	gauge(b, "rup_bytes_served_total", "counter",
	      "Package bytes handed out.", o->m.bytes_served);
	gauge(b, "rup_connections", "gauge", "Open connections.", o->conns);
	gauge(b, "rup_connection_cap_hits_total", "counter",
	      "Times the connection cap paused accepting.",
	      o->m.rejected_conns);
	gauge(b, "rup_longpolls", "gauge", "Held task long-polls.", o->npolls);

	evbuffer_add_printf(
		b,
		"# HELP rup_tasks Tasks by state.\n# TYPE rup_tasks gauge\n");
	for (i = 0; states[i]; i++) {
		int64_t n = 0;

		st = db_prep(o->db,
			     "SELECT COUNT(*) FROM tasks WHERE state = ?");
		if (st) {
			sqlite3_bind_text(st, 1, states[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		evbuffer_add_printf(b, "rup_tasks{state=\"%s\"} %" PRId64 "\n",
				    states[i], n);
	}
	evbuffer_add_printf(
		b,
		"# HELP rup_rollouts Rollouts by state.\n# TYPE rup_rollouts gauge\n");
	st = db_prep(
		o->db,
		"SELECT state, COUNT(*) FROM rollouts GROUP BY state ORDER BY state");
	while (st && sqlite3_step(st) == SQLITE_ROW)
		evbuffer_add_printf(b,
				    "rup_rollouts{state=\"%s\"} %" PRId64 "\n",
				    db_text(st, 0),
				    (int64_t)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	/* Count this reply first so the page is self-consistent. */
	http_count(200);
	evbuffer_add_printf(
		b,
		"# HELP rup_http_requests_total HTTP replies by status code.\n"
		"# TYPE rup_http_requests_total counter\n");
	for (i = 100; i < 600; i++)
		if (o->m.requests_by_code[i])
			evbuffer_add_printf(
				b,
				"rup_http_requests_total{code=\"%u\"} %" PRIu64
				"\n",
				i, o->m.requests_by_code[i]);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}
