// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /api/v1/tasks: the RVS's long-poll for its region's task. */
#include <event2/event.h>
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "parse.h"
#include "region.h"
#include "routes.h"
#include "store.h"
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
	struct store_task t;
	enum store_rc rc = store_task_open(o->st, region, &t);
	json_t *j;

	if (rc == STORE_NOT_FOUND)
		return 0;
	if (rc) {
		http_error(req, 500, "region %u: database error", region);
		return -1;
	}
	j = task_json(&t, o->cfg.public_url);
	if (!j)
		http_error(req, 500, "task %" PRId64 ": out of memory", t.id);
	else
		http_json(req, 200, j);
	store_task_free(&t);
	return j ? 1 : -1;
}

static void poll_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct longpoll *p = arg;

	(void)fd, (void)ev;
	olog_debug("node %s: long-poll timed out -> 204", p->node);
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

/* Query parameter @name, a number up to @max; on failure the reply is sent. */
static int required_u64(struct evhttp_request *req, const char *node,
			const char *name, uint64_t max, uint64_t *out,
			const char *what)
{
	char q[32];

	if (!http_query(req, name, q, sizeof(q)) &&
	    !parse_dec_u64(q, 0, max, out))
		return 0;
	http_error(req, 400, "node %s: query parameter %s (%s) is required",
		   node, name, what);
	return -1;
}

/* The query's region, term and wait (capped at the server's hold); on failure the reply is sent. */
static int parse_query(struct opsd *o, struct evhttp_request *req,
		       const char *node, uint64_t *region, uint64_t *term,
		       uint64_t *wait)
{
	char q[32];

	if (required_u64(req, node, "region", UINT32_MAX, region,
			 "a region id") ||
	    required_u64(req, node, "term", INT64_MAX, term, "0..2^63-1"))
		return -1;
	*wait = o->cfg.longpoll_timeout_s;
	if (http_query(req, "wait", q, sizeof(q)))
		return 0;
	if (parse_dec_u64(q, 0, UINT32_MAX, wait)) {
		http_error(req, 400,
			   "node %s: wait must be a number of seconds", node);
		return -1;
	}
	/* Longer than the server holds: hold as long as it does. */
	if (*wait > o->cfg.longpoll_timeout_s)
		*wait = o->cfg.longpoll_timeout_s;
	return 0;
}

/* Claim the term (fencing) and mark the RVS seen; on failure the reply is sent. */
static int claim(struct opsd *o, struct evhttp_request *req,
		 struct store_claim *c)
{
	enum store_rc rc = store_poll(o->st, c);
	char err[256];

	if (rc == STORE_FENCED) {
		region_fenced(err, sizeof(err), c);
		http_error(req, 409, "%s", err);
		return -1;
	}
	if (rc) {
		http_error(req, 500,
			   rc == STORE_BUSY ? "database busy" :
					      "database error");
		return -1;
	}
	if (c->raised) {
		olog_info("region %u: RVS %s at term %" PRIu64, c->region,
			  c->node, c->term);
		longpoll_fence(o, c->region, c->term);
	}
	return 0;
}

/*
 * One held poll per node (a newer one answers the older 204: a restarted
 * agent), a few per region: no node fills others' slots (docs/API.md,
 * "Limits"). NULL when @req may be held, else why not.
 */
static const char *make_room(struct opsd *o, const struct store_claim *c)
{
	struct longpoll *p, *next;
	unsigned int region = 0;

	for (p = TAILQ_FIRST(&o->polls); p; p = next) {
		next = TAILQ_NEXT(p, link);
		if (!strcmp(p->node, c->node)) {
			olog_debug(
				"node %s: newer long-poll -> 204 to the older",
				p->node);
			evhttp_send_reply(p->req, 204, "No Content", NULL);
			http_count(204);
			o->m.longpolls_superseded++;
			poll_free(p);
		} else if (p->region == c->region) {
			region++;
		}
	}
	if (region >= o->cfg.longpolls_per_region)
		return "the region's long-polls are all held";
	if (o->npolls >= o->cfg.max_longpolls)
		return "too many held long-polls";
	return NULL;
}

/* Hold @req until a task opens, the term moves, or @wait seconds pass. */
static void hold(struct opsd *o, struct evhttp_request *req,
		 const struct store_claim *c, uint64_t wait)
{
	struct timeval tv = { (time_t)wait, 0 };
	const char *why = make_room(o, c);
	struct longpoll *p;

	if (why) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Retry-After", "5");
		http_error(req, 503, "region %u: %s; retry later", c->region,
			   why);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (p)
		p->timer = evtimer_new(o->base, poll_timeout, p);
	if (!p || !p->timer) {
		free(p);
		http_error(req, 500, "out of memory");
		return;
	}
	p->o = o;
	p->req = req;
	p->region = c->region;
	p->term = c->term;
	snprintf(p->node, sizeof(p->node), "%s", c->node);
	TAILQ_INSERT_TAIL(&o->polls, p, link);
	o->npolls++;
	evtimer_add(p->timer, &tv);
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
				      conn_closed, o);
	/* The connection must outlive the hold: its idle timeout covers it plus margin. */
	evhttp_connection_set_timeout(evhttp_request_get_connection(req),
				      (int)(wait + o->cfg.timeout_s));
}

void h_tasks(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct store_claim c = { 0 };
	uint64_t region_q, wait;
	char node[33];

	(void)arg;
	if (auth_node(o, req, node, &c.region) ||
	    parse_query(o, req, node, &region_q, &c.term, &wait))
		return;
	if (region_q != c.region) {
		http_error(req, 403,
			   "node %s: belongs to region %u, not region %" PRIu64,
			   node, c.region, region_q);
		return;
	}
	c.node = node;
	if (claim(o, req, &c) || try_answer(o, req, c.region))
		return;
	if (!wait) {
		evhttp_send_reply(req, 204, "No Content", NULL);
		http_count(204);
		return;
	}
	hold(o, req, &c, wait);
}
