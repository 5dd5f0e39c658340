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
#include "auth.h"
#include "http.h"
#include "jfield.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "semver.h"
#include "store.h"

#define MAX_ADDRESSES 16

/* addresses: array of IPv4/IPv6 literals, stored as compact JSON text. */
static int check_addresses(json_t *body, char **out, char *err, size_t errlen)
{
	json_t *a = json_object_get(body, "addresses"), *e;
	size_t i;

	if (!a)
		a = json_array();
	else
		json_incref(a);
	if (!json_is_array(a) || json_array_size(a) > MAX_ADDRESSES) {
		snprintf(
			err, errlen,
			"addresses: must be an array of at most %d IP addresses",
			MAX_ADDRESSES);
		json_decref(a);
		return -1;
	}
	for (i = 0; (e = json_array_get(a, i)); i++) {
		unsigned char buf[16];
		const char *s = json_string_value(e);

		if (!s || (inet_pton(AF_INET, s, buf) != 1 &&
			   inet_pton(AF_INET6, s, buf) != 1)) {
			snprintf(err, errlen,
				 "addresses[%zu]: not an IPv4 or IPv6 address",
				 i);
			json_decref(a);
			return -1;
		}
	}
	*out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return *out ? 0 : -1;
}

static const char *const register_fields[] = { "node_id", "score", "version",
					       "addresses", NULL };

struct registration {
	char node[40], version[SEMVER_MAX_LEN + 1], token[NODE_TOKEN_LEN + 1];
	char *addrs;
	struct store_registration in;
};

/* The body into @r and a fresh token; the HTTP status of an error, 0 when valid. */
static int parse(json_t *body, struct registration *r, char *err, size_t errlen)
{
	struct semver sv;

	if (jf_only(body, register_fields, err, errlen) ||
	    jf_str(body, "node_id", r->node, 32, err, errlen))
		return 400;
	if (!is_node_id(r->node)) {
		snprintf(err, errlen, "node_id: must be 32 hex digits");
		return 400;
	}
	node_id_lower(r->node);
	if (jf_uint(body, "score", 0, UINT32_MAX, &r->in.score, err, errlen) ||
	    jf_str(body, "version", r->version, SEMVER_MAX_LEN, err, errlen) ||
	    semver_parse(r->version, &sv, err, errlen) ||
	    check_addresses(body, &r->addrs, err, errlen))
		return 400;
	if (auth_random_hex(r->token, 32)) {
		snprintf(err, errlen, "no randomness for a token");
		return 500;
	}
	auth_hash(r->token, r->in.token_hash);
	r->in.node = r->node;
	r->in.version = r->version;
	r->in.addresses = r->addrs;
	return 0;
}

static int store_error(enum store_rc rc, char *err, size_t errlen)
{
	if (rc == STORE_FULL)
		return 503;
	snprintf(err, errlen,
		 rc == STORE_BUSY ? "database busy" : "database error");
	return 500;
}

static void reply(struct opsd *o, struct evhttp_request *req,
		  const struct registration *r,
		  const struct store_registered *out)
{
	json_t *j;

	o->m.registrations++;
	olog_info("node %s: %s in region %u (score %" PRIu64 ", version %s)",
		  r->node, out->is_new ? "registered" : "re-registered",
		  out->region, r->in.score, r->version);
	j = json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:I,s:b}", "node_id",
		      r->node, "region_id", (json_int_t)out->region, "group",
		      out->grp, "port", (json_int_t)o->cfg.port, "interval_ms",
		      (json_int_t)o->cfg.interval_ms, "dead_ms",
		      (json_int_t)o->cfg.dead_ms, "window_ms",
		      (json_int_t)o->cfg.window_ms, "node_token", r->token,
		      "server_time_ns", (json_int_t)opsd_now_ns(), "new",
		      out->is_new);
	if (j)
		keys_json(j, &out->keys);
	http_json(req, out->is_new ? 201 : 200, j);
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
		http_error(req, code, "register: %s", err);
	else
		reply(o, req, &r, &out);
	OPENSSL_cleanse(r.token, sizeof(r.token));
	free(r.addrs);
}
