// SPDX-License-Identifier: GPL-2.0
/* rup-opsd POST /api/v1/register: enrollment, region assignment, node token. */
#include <arpa/inet.h>
#include <event2/http.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "api.h"
#include "auth.h"
#include "conn.h"
#include "http.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "semver.h"
#include "store.h"

/* The decoded addresses as the compact JSON array the store keeps. */
static char *addresses_text(const struct api_register *rq)
{
	json_t *a = json_array();
	char *out = NULL;
	size_t i;

	for (i = 0; a && i < rq->n_addresses; i++)
		if (json_array_append_new(a, json_string(rq->addresses[i])))
			goto out;
	if (a)
		out = json_dumps(a, JSON_COMPACT);
out:
	json_decref(a);
	return out;
}

struct registration {
	struct api_register rq;
	char token[NODE_TOKEN_LEN + 1];
	char *addrs;
	struct store_registration in;
};

/* The body into @r and a fresh token; the HTTP status of an error, 0 when valid. */
static int parse(json_t *body, struct registration *r, char *err, size_t errlen)
{
	if (api_register_decode(body, &r->rq, err, errlen))
		return 400;
	r->addrs = addresses_text(&r->rq);
	if (!r->addrs) {
		snprintf(err, errlen, "register: out of memory");
		return 500;
	}
	if (auth_random_hex(r->token, 32)) {
		snprintf(err, errlen, "register: no randomness for a token");
		return 500;
	}
	auth_hash(r->token, r->in.token_hash);
	r->in.node = r->rq.node_id;
	r->in.score = r->rq.score;
	r->in.version = r->rq.version;
	r->in.addresses = r->addrs;
	return 0;
}

static int store_error(enum store_rc rc, char *err, size_t errlen)
{
	char why[256];

	snprintf(why, sizeof(why), "%s",
		 rc == STORE_FULL ? err :
		 rc == STORE_BUSY ? "database busy" :
				    "database error");
	snprintf(err, errlen, "%s: %.200s", API_MSG_REGISTER, why);
	return rc == STORE_FULL ? 503 : 500;
}

static void reply(struct opsd *o, struct evhttp_request *req,
		  const struct registration *r,
		  const struct store_registered *out)
{
	struct api_registered rp = {
		.region_id = out->region,
		.port = (uint16_t)o->cfg.port,
		.interval_ms = o->cfg.interval_ms,
		.dead_ms = o->cfg.dead_ms,
		.window_ms = o->cfg.window_ms,
		.server_time_ns = clock_real_ns(),
		.is_new = out->is_new,
	};

	o->m.registrations++;
	olog_info("node %s: %s in region %u (score %" PRIu32 ", version %s)",
		  r->rq.node_id, out->is_new ? "registered" : "re-registered",
		  out->region, r->rq.score, r->rq.version);
	memcpy(rp.node_id, r->rq.node_id, sizeof(rp.node_id));
	snprintf(rp.group, sizeof(rp.group), "%.15s", out->grp);
	memcpy(rp.node_token, r->token, sizeof(rp.node_token));
	if (keys_hex(&out->keys, rp.key, rp.next_key))
		http_error(req, 500, "register: out of memory");
	else
		http_json(req, out->is_new ? 201 : 200,
			  api_registered_encode(&rp));
	OPENSSL_cleanse(&rp, sizeof(rp));
}

void h_register(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct registration r = { .addrs = NULL };
	struct store_registered out = { 0 };
	const char *t = auth_bearer(req);
	char err[256] = "";
	enum store_rc rc;
	json_t *body;
	int code;

	(void)arg;
	if (!t) {
		http_error(
			req, 401,
			"missing enrollment token (Authorization: Bearer ...)");
		return;
	}
	if (!auth_token_eq(t, o->cfg.enroll_token)) {
		http_error(req, 403, "wrong enrollment token");
		return;
	}
	conn_trust(req, false);
	body = http_body_json(o, req);
	if (!body)
		return;
	code = parse(body, &r, err, sizeof(err));
	json_decref(body);
	if (!code) {
		rc = store_node_register(o->st, &r.in, region_hook(o), &out,
					 err, sizeof(err));
		if (rc && out.is_new)
			region_reload(o);
		code = rc ? store_error(rc, err, sizeof(err)) : 0;
	}
	if (code)
		http_error(req, code, "%s", err);
	else
		reply(o, req, &r, &out);
	OPENSSL_cleanse(r.token, sizeof(r.token));
	free(r.addrs);
}
