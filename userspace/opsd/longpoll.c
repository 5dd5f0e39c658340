// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /api/v1/tasks: the RVS's long-poll for its region's task. */
#include <event2/event.h>
#include <event2/http.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "task.h"

static void poll_free(struct longpoll *p)
{
	TAILQ_REMOVE(&p->o->polls, p, link);
	p->o->npolls--;
	event_free(p->timer);
	free(p);
}

/* Reply with the region's open task: 1 when answered, 0 when none, -1 error answered. */
static int try_answer(struct opsd *o, struct evhttp_request *req,
		      uint32_t region)
{
	int64_t id = task_open_for_region(o, region);
	json_t *j;

	if (id < 0) {
		http_error(req, 500, "region %u: database error", region);
		return -1;
	}
	if (!id)
		return 0;
	j = task_json(o, id);
	if (!j) {
		http_error(req, 500, "task %" PRId64 ": database error", id);
		return -1;
	}
	http_json(req, 200, j);
	return 1;
}

static void poll_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct longpoll *p = arg;

	(void)fd, (void)ev;
	evhttp_send_reply(p->req, 204, "No Content", NULL);
	http_count(204);
	poll_free(p);
}

/* The client went away while held: forget its polls without replying. */
static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct opsd *o = arg;
	struct longpoll *p, *next;

	for (p = TAILQ_FIRST(&o->polls); p; p = next) {
		next = TAILQ_NEXT(p, link);
		if (evhttp_request_get_connection(p->req) == evcon)
			poll_free(p);
	}
}

void longpoll_wake(struct opsd *o)
{
	struct longpoll *p, *next;

	for (p = TAILQ_FIRST(&o->polls); p; p = next) {
		next = TAILQ_NEXT(p, link);
		if (try_answer(o, p->req, p->region))
			poll_free(p);
	}
}

void longpoll_fence(struct opsd *o, uint32_t region, uint64_t term)
{
	struct longpoll *p, *next;

	for (p = TAILQ_FIRST(&o->polls); p; p = next) {
		next = TAILQ_NEXT(p, link);
		if (p->region != region || p->term >= term)
			continue;
		http_error(p->req, 409,
			   "region %u: term %" PRIu64
			   " is lower than the region's "
			   "term %" PRIu64 " (fenced: another RVS was elected)",
			   region, p->term, term);
		poll_free(p);
	}
}

void longpoll_forget_node(struct opsd *o, const char *node)
{
	struct longpoll *p, *next;

	for (p = TAILQ_FIRST(&o->polls); p; p = next) {
		next = TAILQ_NEXT(p, link);
		if (strcmp(p->node, node))
			continue;
		http_error(p->req, 404, "node %s: removed by the admin", node);
		poll_free(p);
	}
}

void longpoll_shutdown(struct opsd *o)
{
	while (!TAILQ_EMPTY(&o->polls)) {
		struct longpoll *p = TAILQ_FIRST(&o->polls);

		http_error(p->req, 503, "server shutting down");
		poll_free(p);
	}
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end || *out > max ? -1 : 0;
}

/* The RVS polls often: its last_seen shows it is alive in status. */
static int touch(struct opsd *o, const char *node)
{
	sqlite3_stmt *st =
		db_prep(o->db, "UPDATE nodes SET last_seen = ? WHERE id = ?");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)opsd_now_ns());
	sqlite3_bind_text(st, 2, node, -1, SQLITE_STATIC);
	return db_run(st);
}

void h_tasks(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char node[33], q[32], err[256];
	uint64_t region_q, term, wait = o->cfg.longpoll_timeout_s;
	struct timeval tv = { 0, 0 };
	struct longpoll *p;
	uint32_t region;
	int raised, rc;

	(void)arg;
	if (auth_node(o, req, node, &region))
		return;
	if (http_query(req, "region", q, sizeof(q)) ||
	    parse_u64(q, UINT32_MAX, &region_q)) {
		http_error(
			req, 400,
			"node %s: query parameter region (a region id) is required",
			node);
		return;
	}
	if (http_query(req, "term", q, sizeof(q)) ||
	    parse_u64(q, INT64_MAX, &term)) {
		http_error(
			req, 400,
			"node %s: query parameter term (0..2^63-1) is required",
			node);
		return;
	}
	if (!http_query(req, "wait", q, sizeof(q))) {
		if (parse_u64(q, UINT32_MAX, &wait)) {
			http_error(req, 400,
				   "node %s: wait must be a number of seconds",
				   node);
			return;
		}
		/* Longer than the server holds: hold as long as it does. */
		if (wait > o->cfg.longpoll_timeout_s)
			wait = o->cfg.longpoll_timeout_s;
	}
	if (region_q != region) {
		http_error(req, 403,
			   "node %s: belongs to region %u, not region %" PRIu64,
			   node, region, region_q);
		return;
	}
	if (db_begin(o->db)) {
		http_error(req, 500, "database busy");
		return;
	}
	if (region_claim(o, region, node, term, &raised, err, sizeof(err))) {
		db_rollback(o->db);
		http_error(req, 409, "%s", err);
		return;
	}
	if (touch(o, node) || db_commit(o->db)) {
		db_rollback(o->db);
		http_error(req, 500, "database error");
		return;
	}
	if (raised) {
		olog_info("region %u: RVS %s at term %" PRIu64, region, node,
			  term);
		longpoll_fence(o, region, term);
	}
	rc = try_answer(o, req, region);
	if (rc)
		return;
	if (!wait) {
		evhttp_send_reply(req, 204, "No Content", NULL);
		http_count(204);
		return;
	}
	if (o->npolls >= o->cfg.max_longpolls) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Retry-After", "5");
		http_error(req, 503,
			   "too many held long-polls (%u); retry later",
			   o->cfg.max_longpolls);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		http_error(req, 500, "out of memory");
		return;
	}
	p->o = o;
	p->req = req;
	p->region = region;
	p->term = term;
	memcpy(p->node, node, sizeof(p->node));
	p->timer = evtimer_new(o->base, poll_timeout, p);
	if (!p->timer) {
		free(p);
		http_error(req, 500, "out of memory");
		return;
	}
	TAILQ_INSERT_TAIL(&o->polls, p, link);
	o->npolls++;
	tv.tv_sec = (time_t)wait;
	evtimer_add(p->timer, &tv);
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
				      conn_closed, o);
	/* The connection must outlive the hold: its idle timeout covers it plus margin. */
	evhttp_connection_set_timeout(evhttp_request_get_connection(req),
				      (int)(wait + o->cfg.timeout_s));
}
