// SPDX-License-Identifier: GPL-2.0
/* rup-opsd rollouts: POST /api/v1/rollouts, cancel, and wave progression. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "auth.h"
#include "http.h"
#include "jfield.h"
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

/* Region @i of the request's list: an id the assignment has, not listed before. */
static int check_region(struct opsd *o, const int64_t *ids, size_t i, json_t *e,
			char *err, size_t errlen)
{
	json_int_t v = json_integer_value(e);
	size_t j;

	if (!json_is_integer(e) || v < 0 || v > UINT32_MAX) {
		snprintf(err, errlen, "regions[%zu]: must be a region id", i);
		return -1;
	}
	if (v >= assign_nregions(o->as)) {
		snprintf(err, errlen,
			 "regions[%zu]: region %" JSON_INTEGER_FORMAT
			 " does not exist",
			 i, v);
		return -1;
	}
	for (j = 0; j < i; j++)
		if (ids[j] == v) {
			snprintf(err, errlen,
				 "regions[%zu]: region %" JSON_INTEGER_FORMAT
				 " listed twice",
				 i, v);
			return -1;
		}
	return 0;
}

/* Regions of the request: "all" (*out NULL: regions with nodes) or a list of ids. */
static int regions_of(struct opsd *o, json_t *body, int64_t **out, size_t *n,
		      char *err, size_t errlen)
{
	json_t *v = json_object_get(body, "regions");

	*out = NULL;
	*n = 0;
	if (!v || (json_is_string(v) && !strcmp(json_string_value(v), "all")))
		return 0;
	if (!json_is_array(v) || !json_array_size(v)) {
		snprintf(
			err, errlen,
			"regions: must be \"all\" or a non-empty array of region ids");
		return -1;
	}
	*out = calloc(json_array_size(v), sizeof(**out));
	if (!*out)
		return -1;
	for (; *n < json_array_size(v); ++*n) {
		if (check_region(o, *out, *n, json_array_get(v, *n), err,
				 errlen))
			return -1;
		(*out)[*n] = json_integer_value(json_array_get(v, *n));
	}
	return 0;
}

static const char *const rollout_fields[] = { "version", "regions", "wave_size",
					      "failure_threshold", NULL };

/* The request's fields into @r (regions as the request lists them); 400 on error. */
static int parse_start(struct opsd *o, json_t *body,
		       struct store_rollout_start *r, char *version,
		       int64_t **regions, char *err, size_t errlen)
{
	struct store_release_row rel;
	struct semver sv;
	enum store_rc rc;

	if (jf_only(body, rollout_fields, err, errlen) ||
	    jf_str(body, "version", version, SEMVER_MAX_LEN, err, errlen) ||
	    semver_parse(version, &sv, err, errlen) ||
	    jf_uint_opt(body, "wave_size", 1, UINT32_MAX, UINT32_MAX,
			&r->wave_size, err, errlen) ||
	    jf_uint_opt(body, "failure_threshold", 0, UINT32_MAX, 0,
			&r->threshold, err, errlen))
		return 400;
	/* A release that is not ready is named before any region error. */
	rc = store_release_get(o->st, version, &rel);
	store_release_row_free(&rel);
	if (rc == STORE_NOT_FOUND || (rc == STORE_OK && !rel.payload)) {
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
	r->version = version;
	if (regions_of(o, body, regions, &r->n, err, errlen))
		return 400;
	r->regions = *regions;
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

void h_rollout_start(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	char version[SEMVER_MAX_LEN + 1], err[256] = "";
	struct store_rollout_start r = { 0 };
	int64_t *regions = NULL;
	json_t *body, *ids;
	enum store_rc rc;
	size_t i;
	int code;

	(void)arg;
	body = auth_admin_body(o, req);
	if (!body)
		return;
	code = parse_start(o, body, &r, version, &regions, err, sizeof(err));
	json_decref(body);
	if (!code) {
		rc = store_rollout_start(o->st, &r);
		code = rc ? start_error(rc, version, err, sizeof(err)) : 0;
	}
	free(regions);
	if (code) {
		http_error(req, code, "rollout: %s", err);
		return;
	}
	ids = json_array();
	for (i = 0; i < r.n; i++)
		json_array_append_new(ids, json_integer(r.chosen[i]));
	free(r.chosen);
	longpoll_wake(o);
	http_json(req, 201,
		  json_pack("{s:I,s:s,s:o,s:I,s:I,s:I,s:s}", "rollout_id",
			    (json_int_t)r.id, "version", version, "regions",
			    ids, "waves", (json_int_t)r.waves, "wave_size",
			    (json_int_t)(r.wave_size < r.n ? r.wave_size : r.n),
			    "failure_threshold", (json_int_t)r.threshold,
			    "state", "running"));
}

/*
 * POST /api/v1/rollouts/ID/cancel: stop a rollout that cannot finish (a
 * region that never reports would otherwise hold it, and the region's later
 * tasks, forever). Every task not final becomes cancelled.
 */
void h_rollout_cancel(struct opsd *o, struct evhttp_request *req,
		      const char *arg)
{
	char *end, state[STORE_STATE_LEN + 1];
	unsigned long long id;
	enum store_rc rc;
	int64_t n = 0;

	if (auth_admin(o, req))
		return;
	id = strtoull(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || id > INT64_MAX) {
		http_error(req, 400, "rollout id '%.40s': not a number", arg);
		return;
	}
	rc = store_rollout_cancel(o->st, (int64_t)id, state, &n);
	if (rc == STORE_CONFLICT) {
		http_error(req, 409, "rollout %llu: is %s, not running", id,
			   state);
		return;
	}
	if (rc == STORE_NOT_FOUND) {
		http_error(req, 404, "rollout %llu: no such rollout", id);
		return;
	}
	if (rc) {
		http_error(req, 500, "rollout %llu: database error", id);
		return;
	}
	/* Regions may have a later rollout's task waiting behind this one. */
	longpoll_wake(o);
	http_json(req, 200,
		  json_pack("{s:I,s:s,s:I}", "rollout_id", (json_int_t)id,
			    "state", "cancelled", "cancelled_tasks",
			    (json_int_t)n));
}
