// SPDX-License-Identifier: GPL-2.0
/* rup-opsd download slots: budget, per-region cap, RVS reserve, time limit. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "download_slot.h"
#include "http.h"
#include "opsd.h"

struct download_slot {
	LIST_ENTRY(download_slot) link;
	struct opsd *o;
	struct evhttp_connection *evcon;
	struct event *limit;
	uint32_t region;
	bool rvs;
};

static unsigned int in_region(struct opsd *o, uint32_t region)
{
	struct download_slot *d;
	unsigned int n = 0;

	LIST_FOREACH(d, &o->slots, link)
		n += d->region == region;
	return n;
}

/* Why no slot for this download, or NULL when it may have one. */
static const char *refusal(struct opsd *o, uint32_t region, bool rvs)
{
	const struct opsd_config *c = &o->cfg;

	if (o->downloads >= c->download_budget)
		return "download budget reached";
	if (!rvs &&
	    o->downloads + c->download_rvs_reserve >= c->download_budget)
		return "the remaining downloads are kept for RVSs";
	if (region != SLOT_NO_REGION &&
	    in_region(o, region) >= c->downloads_per_region)
		return "the region's share of downloads is in use";
	return NULL;
}

/* Past the time limit: shut the socket; evhttp frees the connection and with it the segment. */
static void on_limit(evutil_socket_t fd, short ev, void *arg)
{
	struct download_slot *d = arg;
	struct bufferevent *bev = evhttp_connection_get_bufferevent(d->evcon);

	(void)fd, (void)ev;
	d->o->m.download_timeouts++;
	if (bev && bufferevent_getfd(bev) >= 0)
		shutdown(bufferevent_getfd(bev), SHUT_RDWR);
}

struct download_slot *slot_take(struct opsd *o, struct evhttp_request *req,
				uint32_t region, bool rvs, const char *version)
{
	const char *why = refusal(o, region, rvs);
	struct timeval tv = { (time_t)o->cfg.download_timeout_s, 0 };
	struct download_slot *d;

	if (why) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Retry-After", "10");
		http_error(req, 429, "release %s: %s; retry later", version,
			   why);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->limit = evtimer_new(o->base, on_limit, d);
	if (!d || !d->limit) {
		free(d);
		http_error(req, 500, "out of memory");
		return NULL;
	}
	d->o = o;
	d->evcon = evhttp_request_get_connection(req);
	d->region = region;
	d->rvs = rvs;
	LIST_INSERT_HEAD(&o->slots, d, link);
	o->downloads++;
	evtimer_add(d->limit, &tv);
	return d;
}

void slot_put(struct download_slot *d)
{
	LIST_REMOVE(d, link);
	d->o->downloads--;
	event_free(d->limit);
	free(d);
}

static void slot_done(struct evbuffer_file_segment const *seg, int flags,
		      void *arg)
{
	(void)seg, (void)flags;
	slot_put(arg);
}

void slot_bind(struct download_slot *d, struct evbuffer_file_segment *seg)
{
	evbuffer_file_segment_add_cleanup_cb(seg, slot_done, d);
}
