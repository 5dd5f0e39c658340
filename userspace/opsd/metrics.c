// SPDX-License-Identifier: GPL-2.0
/* rup-opsd GET /metrics: Prometheus text exposition format 0.0.4. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>
#include <string.h>

#include "assign.h"
#include "http.h"
#include "opsd.h"
#include "routes.h"
#include "store.h"

static void gauge(struct evbuffer *b, const char *name, const char *type,
		  const char *help, uint64_t v)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n",
			    name, help, name, type, name, v);
}

struct state_count {
	const char *state;
	int64_t n;
};

static void count_task_state(void *arg, const char *word, int64_t n)
{
	struct state_count *c;

	for (c = arg; c->state; c++)
		if (!strcmp(c->state, word))
			c->n = n;
}

/* Every task state, 0 for those no task is in. */
static void task_states(struct opsd *o, struct evbuffer *b)
{
	struct state_count c[] = {
		{ "waiting", 0 },
		{ "open", 0 },
		{ "downloading", 0 },
		{ "distributing", 0 },
		{ "package_abnormal", 0 },
		{ "up_to_date", 0 },
		{ "complete", 0 },
		{ "partial", 0 },
		{ "failed", 0 },
		{ "cancelled", 0 },
		{ NULL, 0 },
	};
	unsigned int i;

	store_counts_each(o->st, STORE_TASK_STATES, -1, count_task_state, c);
	evbuffer_add_printf(
		b,
		"# HELP rup_tasks Tasks by state.\n# TYPE rup_tasks gauge\n");
	for (i = 0; c[i].state; i++)
		evbuffer_add_printf(b, "rup_tasks{state=\"%s\"} %" PRId64 "\n",
				    c[i].state, c[i].n);
}

static void rollout_state(void *arg, const char *word, int64_t n)
{
	evbuffer_add_printf(arg, "rup_rollouts{state=\"%s\"} %" PRId64 "\n",
			    word, n);
}

static void http_codes(struct opsd *o, struct evbuffer *b)
{
	unsigned int i;

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
}

static void gauges(struct opsd *o, struct evbuffer *b)
{
	struct store_totals t = { 0 };

	store_totals(o->st, &t);
	gauge(b, "rup_registrations_total", "counter",
	      "Registrations answered (new and repeat).", o->m.registrations);
	gauge(b, "rup_nodes", "gauge", "Registered nodes.", (uint64_t)t.nodes);
	gauge(b, "rup_regions", "gauge", "Regions.", assign_nregions(o->as));
	gauge(b, "rup_regions_with_rvs", "gauge",
	      "Regions whose RVS has claimed a term here.",
	      (uint64_t)t.regions_with_rvs);
	gauge(b, "rup_releases", "gauge", "Published releases.",
	      (uint64_t)t.releases);
	gauge(b, "rup_downloads_total", "counter", "Package downloads started.",
	      o->m.downloads);
	gauge(b, "rup_downloads_active", "gauge",
	      "Package downloads in progress.", o->downloads);
	gauge(b, "rup_bytes_served_total", "counter",
	      "Package bytes handed out.", o->m.bytes_served);
	gauge(b, "rup_connections", "gauge", "Open connections.", o->conns);
	gauge(b, "rup_connections_untrusted", "gauge",
	      "Open connections without a checked token yet.", o->untrusted);
	gauge(b, "rup_connections_evicted_total", "counter",
	      "Untrusted connections closed to make room.", o->m.evicted_conns);
	gauge(b, "rup_connections_deadline_total", "counter",
	      "Connections closed for no token within server.auth_deadline.",
	      o->m.deadline_conns);
	gauge(b, "rup_connections_peer_cap_total", "counter",
	      "Connections refused over server.max_per_peer.",
	      o->m.peer_cap_conns);
	gauge(b, "rup_accept_errors_total", "counter",
	      "accept() failures (each pauses accepting).", o->m.accept_errors);
	gauge(b, "rup_connection_cap_hits_total", "counter",
	      "Times the connection cap paused accepting (no untrusted connection to close).",
	      o->m.rejected_conns);
	gauge(b, "rup_longpolls", "gauge", "Held task long-polls.", o->npolls);
	gauge(b, "rup_longpolls_superseded_total", "counter",
	      "Held long-polls answered early for the same node's newer one.",
	      o->m.longpolls_superseded);
	gauge(b, "rup_download_timeouts_total", "counter",
	      "Downloads cut at server.download_timeout.",
	      o->m.download_timeouts);
}

void h_metrics(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct evbuffer *b = evbuffer_new();

	(void)arg;
	if (!b) {
		http_error(req, 500, "out of memory");
		return;
	}
	gauges(o, b);
	task_states(o, b);
	evbuffer_add_printf(
		b,
		"# HELP rup_rollouts Rollouts by state.\n# TYPE rup_rollouts gauge\n");
	store_counts_each(o->st, STORE_ROLLOUT_STATES, -1, rollout_state, b);
	/* Count this reply first so the page is self-consistent. */
	http_count(200);
	http_codes(o, b);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}
