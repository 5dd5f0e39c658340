// SPDX-License-Identifier: GPL-2.0
/* rup-opsd rollouts: POST /api/v1/rollouts, cancel, and wave progression. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assign.h"
#include "auth.h"
#include "http.h"
#include "parse.h"
#include "longpoll.h"
#include "opsd.h"
#include "rollout.h"
#include "routes.h"
#include "semver.h"
#include "store.h"

enum rollout_step rollout_next(const struct rollout_wave *w)
{
	if (w->open)
		return ROLLOUT_WAIT;
	if (w->failed > w->threshold)
		return ROLLOUT_HALT;
	return w->wave + 1 >= w->waves ? ROLLOUT_DONE : ROLLOUT_NEXT;
}

/* The listed regions exist (the codec refused repeats and non-ids). */
static int check_regions(struct opsd *o, const struct api_rollout *rq,
			 char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < rq->n_regions; i++)
		if (rq->regions[i] >= assign_nregions(o->as)) {
			snprintf(err, errlen,
				 "regions[%zu]: region %u does not exist", i,
				 rq->regions[i]);
			return -1;
		}
	return 0;
}

/*
 * The body into @rq. Its regions are decoded after the release is found
 * ready, so a release that is not ready is named before any region error,
 * as before the codec: *regions_err holds the regions' 400.
 */
static int decode(json_t *body, struct api_rollout *rq, char *regions_err,
		  size_t rlen, char *err, size_t errlen)
{
	json_t *copy = json_copy(body);
	int rc = -1;

	regions_err[0] = 0;
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!api_rollout_decode(body, rq, regions_err, rlen)) {
		rc = 0;
	} else {
		/* Without the regions: is the rest valid? */
		json_object_del(copy, "regions");
		rc = api_rollout_decode(copy, rq, err, errlen);
		http_api_detail(err, API_MSG_ROLLOUT);
		http_api_detail(regions_err, API_MSG_ROLLOUT);
	}
	json_decref(copy);
	return rc;
}

/* The release must be published with its payload; 409 or 500 with @err. */
static int release_ready(struct opsd *o, const char *version, char *err,
			 size_t errlen)
{
	struct store_release_row rel;
	enum store_rc rc = store_release_get(o->st, version, &rel);
	int payload = rel.payload;

	store_release_row_free(&rel);
	if (rc == STORE_NOT_FOUND || (rc == STORE_OK && !payload)) {
		snprintf(err, errlen,
			 rc ? "release %s: not published" :
			      "release %s: payload not uploaded yet",
			 version);
		return 409;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "database error");
		return 500;
	}
	return 0;
}

/* The request's fields into @r (regions as the request lists them); 400 on error. */
static int parse_start(struct opsd *o, json_t *body, struct api_rollout *rq,
		       struct store_rollout_start *r, int64_t **regions,
		       char *err, size_t errlen)
{
	char regions_err[256];
	size_t i;
	int code;

	if (decode(body, rq, regions_err, sizeof(regions_err), err, errlen))
		return 400;
	code = release_ready(o, rq->version, err, errlen);
	if (code)
		return code;
	if (regions_err[0]) {
		snprintf(err, errlen, "%s", regions_err);
		return 400;
	}
	if (check_regions(o, rq, err, errlen))
		return 400;
	*regions = calloc(rq->n_regions + 1, sizeof(**regions));
	if (!*regions) {
		snprintf(err, errlen, "out of memory");
		return 500;
	}
	for (i = 0; i < rq->n_regions; i++)
		(*regions)[i] = rq->regions[i];
	r->version = rq->version;
	r->wave_size = rq->wave_size;
	r->threshold = rq->failure_threshold;
	r->regions = rq->n_regions ? *regions : NULL;
	r->n = rq->n_regions;
	return 0;
}

static int start_error(enum store_rc rc, const char *version, char *err,
		       size_t errlen)
{
	switch (rc) {
	case STORE_NOT_FOUND:
		snprintf(err, errlen, "release %s: not published", version);
		return 409;
	case STORE_CONFLICT:
		snprintf(err, errlen, "release %s: payload not uploaded yet",
			 version);
		return 409;
	case STORE_INVALID:
		snprintf(err, errlen, "regions: no region has nodes yet");
		return 400;
	default:
		snprintf(err, errlen, "database error");
		return 500;
	}
}

static void started(struct evhttp_request *req,
		    const struct store_rollout_start *r)
{
	struct api_rolled m = {
		.rollout_id = r->id,
		.n_regions = r->n,
		.regions = calloc(r->n + 1, sizeof(*m.regions)),
		.waves = (uint32_t)r->waves,
		.wave_size =
			(uint32_t)(r->wave_size < r->n ? r->wave_size : r->n),
		.failure_threshold = (uint32_t)r->threshold,
		.state = "running",
	};
	size_t i;

	snprintf(m.version, sizeof(m.version), "%s", r->version);
	for (i = 0; m.regions && i < r->n; i++)
		m.regions[i] = (uint32_t)r->chosen[i];
	if (m.regions)
		http_json(req, 201, api_rolled_encode(&m));
	else
		http_error(req, 500, "rollout %" PRId64 ": out of memory",
			   r->id);
	api_rolled_free(&m);
}

/* A rollout being started: the request, what the store gets, and its regions. */
struct start {
	struct api_rollout rq;
	struct store_rollout_start r;
	int64_t *regions;
};

static int start_steps(struct opsd *o, json_t *body, void *ctx, char *err,
		       size_t errlen)
{
	struct start *s = ctx;
	enum store_rc rc;
	int code =
		parse_start(o, body, &s->rq, &s->r, &s->regions, err, errlen);

	if (code)
		return code;
	rc = store_rollout_start(o->st, &s->r);
	return rc ? start_error(rc, s->rq.version, err, errlen) : 0;
}

void h_rollout_start(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	struct start s = { 0 };
	char err[256] = "";

	(void)arg;
	if (!auth_admin_json(o, req, "rollout", start_steps, &s, err,
			     sizeof(err))) {
		longpoll_wake(o);
		started(req, &s.r);
	}
	free(s.regions);
	free(s.r.chosen);
	api_rollout_free(&s.rq);
}

/*
 * POST /api/v1/rollouts/ID/cancel: stop a rollout that cannot finish (a
 * region that never reports would otherwise hold it, and the region's later
 * tasks, forever). Every task not final becomes cancelled.
 */
void h_rollout_cancel(struct opsd *o, struct evhttp_request *req,
		      const char *arg)
{
	char state[STORE_STATE_LEN + 1];
	uint64_t id;
	enum store_rc rc;
	int64_t n = 0;

	if (auth_admin(o, req))
		return;
	if (parse_dec_u64(arg, 0, INT64_MAX, &id)) {
		http_error(req, 400, "rollout id '%.40s': not a number", arg);
		return;
	}
	rc = store_rollout_cancel(o->st, (int64_t)id, state, &n);
	if (rc == STORE_CONFLICT) {
		http_error(req, 409, "rollout %" PRIu64 ": is %s, not running",
			   id, state);
		return;
	}
	if (rc == STORE_NOT_FOUND) {
		http_error(req, 404, "rollout %" PRIu64 ": no such rollout",
			   id);
		return;
	}
	if (rc) {
		http_error(req, 500, "rollout %" PRIu64 ": database error", id);
		return;
	}
	/* Regions may have a later rollout's task waiting behind this one. */
	longpoll_wake(o);
	http_json(req, 200,
		  api_cancelled_encode(&(struct api_cancelled){
			  .rollout_id = (int64_t)id,
			  .state = "cancelled",
			  .cancelled_tasks = (uint32_t)n }));
}
