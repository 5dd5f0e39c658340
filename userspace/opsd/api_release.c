// SPDX-License-Identifier: GPL-2.0
/* rup-opsd release catalogue: publish a signed manifest, upload its payload, list. */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "http.h"
#include "olog.h"
#include "opsd.h"
#include "release.h"
#include "routes.h"
#include "store.h"

struct publish {
	struct api_release rq; /* the manifest's bytes as received, signature */
	char used[512];
	struct release_manifest m;
};

/* Signed by a trusted key, well formed, within server.max_payload. */
static int check(struct opsd *o, struct publish *p, char *err, size_t errlen)
{
	/* The signature covers the bytes as received, before any parsing. */
	int rc = release_verify(p->rq.manifest, p->rq.manifest_len,
				p->rq.signature, o->cfg.release_keys, p->used,
				sizeof(p->used), err, errlen);

	if (rc)
		return rc == -ENOKEY ? 500 : 400;
	if (release_manifest_parse(p->rq.manifest, p->rq.manifest_len, &p->m,
				   err, errlen))
		return 400;
	if (p->m.size > o->cfg.max_payload) {
		snprintf(err, errlen,
			 "release %s: payload of %" PRIu64 " bytes exceeds "
			 "server.max_payload (%" PRIu64 ")",
			 p->m.version, p->m.size, o->cfg.max_payload);
		return 413;
	}
	return 0;
}

static int publish(struct opsd *o, struct publish *p, char *err, size_t errlen)
{
	const struct store_release r = {
		.version = p->m.version,
		.signature = p->rq.signature,
		.sha256 = p->m.sha256_hex,
		.range = p->m.range,
		.summary = p->m.summary,
		.manifest = p->rq.manifest,
		.manifest_len = p->rq.manifest_len,
		.size = p->m.size,
	};
	char detail[256];
	enum store_rc rc;

	snprintf(detail, sizeof(detail),
		 "release %s published (%" PRIu64 " bytes, key %s)",
		 p->m.version, p->m.size, basename(p->used));
	rc = store_release_publish(o->st, &r, detail);
	if (rc == STORE_CONFLICT) {
		snprintf(err, errlen, "release %s: already published",
			 p->m.version);
		return 409;
	}
	if (rc) {
		snprintf(err, errlen,
			 rc == STORE_BUSY ? "database busy" : "database error");
		return 500;
	}
	olog_info("%s", detail);
	return 0;
}

static int publish_steps(struct opsd *o, json_t *body, void *ctx, char *err,
			 size_t errlen)
{
	struct publish *p = ctx;
	int code;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return 500;
	}
	if (api_release_decode(body, &p->rq, err, errlen)) {
		http_api_detail(err, API_MSG_RELEASE);
		return 400;
	}
	code = check(o, p, err, errlen);
	if (!code)
		code = publish(o, p, err, errlen);
	return code;
}

static void reply(struct evhttp_request *req, struct publish *p)
{
	struct api_released rp = { .size = p->m.size, .payload = false };

	snprintf(rp.version, sizeof(rp.version), "%s", p->m.version);
	snprintf(rp.range, sizeof(rp.range), "%s", p->m.range);
	snprintf(rp.sha256, sizeof(rp.sha256), "%s", p->m.sha256_hex);
	snprintf(rp.key, sizeof(rp.key), "%s", basename(p->used));
	http_json(req, 201, api_released_encode(&rp));
}

void h_release_publish(struct opsd *o, struct evhttp_request *req,
		       const char *arg)
{
	struct publish *p = calloc(1, sizeof(*p));
	char err[512] = "";

	(void)arg;
	if (!auth_admin_json(o, req, "release", publish_steps, p, err,
			     sizeof(err)))
		reply(req, p);
	if (p)
		api_release_free(&p->rq);
	free(p);
}

int load_release(struct opsd *o, struct evhttp_request *req,
		 const char *version, struct release_manifest *m, int *payload)
{
	struct store_release_row r;
	struct semver sv;
	enum store_rc rc;
	char err[256];
	int ret = -1;

	if (semver_parse(version, &sv, err, sizeof(err))) {
		http_error(req, 400, "release: %s", err);
		return -1;
	}
	rc = store_release_get(o->st, version, &r);
	if (rc == STORE_NOT_FOUND)
		http_error(req, 404, "release %s: not published", version);
	else if (rc)
		http_error(req, 500, "database error");
	else if (release_manifest_parse(r.manifest, r.manifest_len, m, err,
					sizeof(err)))
		http_error(req, 500, "release %s: stored manifest: %s", version,
			   err);
	else {
		*payload = r.payload;
		ret = 0;
	}
	store_release_row_free(&r);
	return ret;
}

int release_payload_path(struct opsd *o, const char *version, char *out,
			 size_t len)
{
	return snprintf(out, len, "%s/%s.pkg", o->cfg.packages, version) >=
			       (int)len ?
		       -1 :
		       0;
}

static void list_one(void *arg, const struct store_release_info *r)
{
	struct api_release_entry e = { .size = r->size,
				       .payload = r->payload,
				       .created_ns = r->created };

	snprintf(e.version, sizeof(e.version), "%s", r->version);
	snprintf(e.range, sizeof(e.range), "%s", r->range);
	snprintf(e.summary, sizeof(e.summary), "%s", r->summary);
	snprintf(e.sha256, sizeof(e.sha256), "%s", r->sha256);
	json_array_append_new(arg, api_release_entry_encode(&e));
}

void h_releases_list(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	json_t *a;

	(void)arg;
	if (auth_admin(o, req))
		return;
	a = json_array();
	if (store_releases_each(o->st, list_one, a)) {
		json_decref(a);
		http_error(req, 500, "database error");
		return;
	}
	http_json(req, 200, api_list_encode(API_MSG_RELEASES, a));
}
