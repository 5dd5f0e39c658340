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
#include "http.h"
#include "opsd.h"
#include "routes.h"
#include "store.h"

/* HTML-escape @s into @b: values on the page come from nodes and admins. */
static void esc(struct evbuffer *b, const char *s)
{
	static const char *const entity[256] = {
		['<'] = "&lt;",	  ['>'] = "&gt;",   ['&'] = "&amp;",
		['"'] = "&quot;", ['\''] = "&#39;",
	};
	const char *e;

	for (; s && *s; s++) {
		e = entity[(unsigned char)*s];
		if (e)
			evbuffer_add(b, e, strlen(e));
		else
			evbuffer_add(b, s, 1);
	}
}

struct page {
	struct opsd *o;
	struct evbuffer *b;
	int first;
};

static void version_count(void *arg, const char *version, int64_t n)
{
	struct page *p = arg;

	if (!p->first)
		evbuffer_add(p->b, ", ", 2);
	p->first = 0;
	esc(p->b, version);
	evbuffer_add_printf(p->b, ": %" PRId64, n);
}

/* "2.0.0: 48, 1.0.0: 2" for one region, or the fleet when @region < 0. */
static void versions(struct page *p, int64_t region)
{
	p->first = 1;
	store_counts_each(p->o->st, STORE_NODE_VERSIONS, region, version_count,
			  p);
}

static void state_count(void *arg, const char *state, int64_t n)
{
	evbuffer_add_printf(arg, "%s: %" PRId64 " ", state, n);
}

static void rollout_row(void *arg, const struct store_rollout_row *r)
{
	struct page *p = arg;

	evbuffer_add_printf(p->b, "<tr><td>%" PRId64 "</td><td>", r->id);
	esc(p->b, r->version);
	/* States are the server's own words: safe as a class name. */
	evbuffer_add_printf(p->b,
			    "</td><td class=\"%s\">%s</td><td>%" PRId64
			    " of %" PRId64 "</td><td>",
			    r->state, r->state, r->wave + 1, r->waves);
	store_counts_each(p->o->st, STORE_TASK_STATES, r->id, state_count,
			  p->b);
	evbuffer_add_printf(p->b, "</td></tr>\n");
}

static void rollouts(struct page *p)
{
	evbuffer_add_printf(p->b, "<h2>Rollouts</h2><table><tr><th>id</th>"
				  "<th>version</th><th>state</th><th>wave</th>"
				  "<th>tasks</th></tr>\n");
	store_rollouts_each(p->o->st, 20, rollout_row, p);
	evbuffer_add_printf(p->b, "</table>\n");
}

static void region_row(void *arg, const struct store_region_row *r)
{
	struct page *p = arg;

	evbuffer_add_printf(p->b, "<tr><td>%u</td><td>", r->id);
	esc(p->b, r->grp);
	evbuffer_add(p->b, "</td><td>", 9);
	esc(p->b, r->rvs[0] ? r->rvs : "none");
	evbuffer_add_printf(p->b, " (%" PRIu64 ")</td><td>%u</td><td>", r->term,
			    assign_region_size(p->o->as, r->id));
	versions(p, r->id);
	evbuffer_add(p->b, "</td><td>", 9);
	esc(p->b, r->last_state);
	evbuffer_add(p->b, " ", 1);
	esc(p->b, r->last_version);
	evbuffer_add_printf(p->b, "</td></tr>\n");
}

static void regions(struct page *p)
{
	evbuffer_add_printf(p->b,
			    "<h2>Regions</h2><table><tr><th>region</th>"
			    "<th>group</th><th>RVS (term)</th><th>nodes</th>"
			    "<th>versions</th><th>last task</th></tr>\n");
	/* The newest task of each region, next to the region's row. */
	store_regions_each(p->o->st, -1, region_row, p);
	evbuffer_add_printf(p->b, "</table>\n");
}

void h_page(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct evbuffer *b = evbuffer_new();
	struct page p = { o, b, 1 };
	struct store_totals t = { 0 };

	(void)arg;
	store_totals(o->st, &t);
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
		t.nodes, assign_nregions(o->as), assign_planned(o->as),
		assign_max_per_region(o->as), o->cfg.port);
	esc(b, o->cfg.pool);
	evbuffer_add_printf(b, "</p>\n<p>Versions: ");
	versions(&p, -1);
	evbuffer_add_printf(b, "</p>\n");
	rollouts(&p);
	regions(&p);
	evbuffer_add_printf(b, "</body></html>\n");
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/html; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	http_count(200);
	evbuffer_free(b);
}
