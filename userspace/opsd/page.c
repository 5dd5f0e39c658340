// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /: a fleet status page (regions, RVS, versions, rollouts), auto-refreshing. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>

#include "http.h"
#include "opsd.h"
#include "routes.h"
#include "status.h"

/* HTML-escape @s into @b: every value on the page comes from nodes or admins. */
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

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_int_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void rollouts(struct evbuffer *b, json_t *a)
{
	json_t *r;
	size_t i;

	evbuffer_add_printf(
		b, "<h2>Rollouts</h2><table><tr><th>id</th><th>version</th>"
		   "<th>state</th><th>wave</th><th>tasks</th></tr>\n");
	for (i = 0; (r = json_array_get(a, i)); i++) {
		const char *k;
		json_t *v;

		evbuffer_add_printf(b,
				    "<tr><td>%" JSON_INTEGER_FORMAT "</td><td>",
				    jint(r, "rollout_id"));
		esc(b, jstr(r, "version"));
		/* States are the server's own words: safe as a class name. */
		evbuffer_add_printf(
			b,
			"</td><td class=\"%s\">%s</td><td>%" JSON_INTEGER_FORMAT
			" of %" JSON_INTEGER_FORMAT "</td><td>",
			jstr(r, "state"), jstr(r, "state"), jint(r, "wave") + 1,
			jint(r, "waves"));
		json_object_foreach(json_object_get(r, "task_states"), k, v)
			evbuffer_add_printf(b, "%s: %" JSON_INTEGER_FORMAT " ",
					    k, json_integer_value(v));
		evbuffer_add_printf(b, "</td></tr>\n");
	}
	evbuffer_add_printf(b, "</table>\n");
}

static void regions(struct evbuffer *b, json_t *a)
{
	json_t *r, *m, *t;
	size_t i, j;

	evbuffer_add_printf(
		b,
		"<h2>Regions</h2><table><tr><th>region</th><th>group</th>"
		"<th>RVS (term)</th><th>members: version</th><th>task</th></tr>\n");
	for (i = 0; (r = json_array_get(a, i)); i++) {
		json_t *ts = json_object_get(r, "tasks");

		evbuffer_add_printf(b,
				    "<tr><td>%" JSON_INTEGER_FORMAT "</td><td>",
				    jint(r, "region_id"));
		esc(b, jstr(r, "group"));
		evbuffer_add(b, "</td><td>", 9);
		esc(b, json_is_string(json_object_get(r, "rvs")) ?
			       jstr(r, "rvs") :
			       "none");
		evbuffer_add_printf(b, " (%" JSON_INTEGER_FORMAT ")</td><td>",
				    jint(r, "term"));
		for (j = 0;
		     (m = json_array_get(json_object_get(r, "members"), j));
		     j++) {
			esc(b, jstr(m, "node_id"));
			evbuffer_add(b, ": ", 2);
			esc(b, jstr(m, "version"));
			evbuffer_add(b, "<br>", 4);
		}
		evbuffer_add_printf(b, "</td><td>");
		t = json_array_get(ts, json_array_size(ts) - 1);
		if (t) {
			evbuffer_add_printf(b, "%s ", jstr(t, "state"));
			esc(b, jstr(t, "version"));
		}
		evbuffer_add_printf(b, "</td></tr>\n");
	}
	evbuffer_add_printf(b, "</table>\n");
}

void h_page(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct evbuffer *b;
	json_t *s, *as;

	(void)arg;
	s = status_json(o, -1);
	b = evbuffer_new();
	if (!s || !b) {
		json_decref(s);
		if (b)
			evbuffer_free(b);
		http_error(req, 500, "database error");
		return;
	}
	as = json_object_get(s, "assignment");
	evbuffer_add_printf(
		b,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		"<meta http-equiv=\"refresh\" content=\"5\"><title>rup fleet</title><style>"
		"body{font-family:sans-serif}table{border-collapse:collapse}"
		"td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
		".halted,.failed{color:#b00}.done,.complete{color:#070}</style></head><body>\n"
		"<h1>rup fleet</h1><p>%" JSON_INTEGER_FORMAT
		" nodes in %" JSON_INTEGER_FORMAT
		" regions (planned %" JSON_INTEGER_FORMAT
		", at most %" JSON_INTEGER_FORMAT
		" per region), port %" JSON_INTEGER_FORMAT ", pool ",
		jint(s, "nodes"), jint(as, "regions"),
		jint(as, "planned_nodes"), jint(as, "max_per_region"),
		jint(s, "port"));
	esc(b, jstr(s, "pool"));
	evbuffer_add_printf(b, "</p>\n");
	rollouts(b, json_object_get(s, "rollouts"));
	regions(b, json_object_get(s, "regions"));
	evbuffer_add_printf(b, "</body></html>\n");
	json_decref(s);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/html; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	http_count(200);
	evbuffer_free(b);
}
