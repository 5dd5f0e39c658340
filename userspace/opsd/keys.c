// SPDX-License-Identifier: GPL-2.0
/*
 * rup-opsd region keys. Rotation has two admin steps so no beacon is lost:
 * "stage" makes a next key that nodes fetch (GET /api/v1/keys, or at
 * registration) and accept beside the current one; once they have it,
 * "promote" makes it current and nodes start sending with it.
 */
#include <event2/http.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "auth.h"
#include "http.h"
#include "jfield.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "routes.h"
#include "store.h"

static json_t *hex(const uint8_t *b, int len)
{
	char h[65];
	json_t *j;
	int i;

	for (i = 0; i < len; i++)
		snprintf(h + 2 * i, 3, "%02x", b[i]);
	j = json_string(h);
	OPENSSL_cleanse(h, sizeof(h));
	return j;
}

void keys_json(json_t *j, const struct store_region_keys *k)
{
	json_object_set_new(j, "key", hex(k->key, STORE_KEY_LEN));
	json_object_set_new(j, "next_key",
			    k->has_next ? hex(k->next_key, STORE_KEY_LEN) :
					  json_null());
}

/* GET /api/v1/keys (node token): the keys of the node's own region. */
void h_keys(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct store_region_keys k;
	char node[33];
	uint32_t region;
	json_t *j;

	(void)arg;
	if (auth_node(o, req, node, &region))
		return;
	j = json_pack("{s:I}", "region_id", (json_int_t)region);
	if (!j || store_region_keys(o->st, region, &k)) {
		json_decref(j);
		http_error(req, 500, "region %u: database error", region);
		return;
	}
	keys_json(j, &k);
	http_json(req, 200, j);
}

/* {"action": "stage" | "promote"}: 1 stage, 0 promote, -1 with @err. */
static int parse_action(struct opsd *o, struct evhttp_request *req,
			char action[16], char *err, size_t errlen)
{
	static const char *const fields[] = { "action", NULL };
	json_t *body = http_body_json(o, req);
	int rc = -1;

	if (!body)
		return -2;
	if (jf_only(body, fields, err, errlen) ||
	    jf_str(body, "action", action, 15, err, errlen))
		goto out;
	if (!strcmp(action, "stage") || !strcmp(action, "promote"))
		rc = !strcmp(action, "stage");
	else
		snprintf(err, errlen, "action: '%s' is not stage or promote",
			 action);
out:
	json_decref(body);
	return rc;
}

static enum store_rc rotate(struct opsd *o, unsigned long region, int stage,
			    char *detail, size_t len)
{
	uint8_t key[STORE_KEY_LEN];
	enum store_rc rc;

	snprintf(detail, len, "region %lu: next key %s", region,
		 stage ? "staged" : "promoted to current");
	if (stage && RAND_bytes(key, sizeof(key)) != 1)
		return STORE_ERR;
	rc = store_region_key_rotate(o->st, (uint32_t)region,
				     stage ? key : NULL, detail);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

/* POST /api/v1/regions/ID/key {"action": "stage" | "promote"} (admin). */
void h_region_key(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	char action[16], err[200] = "", detail[96], *end;
	unsigned long region = strtoul(arg, &end, 10);
	enum store_rc rc;
	int stage;

	if (auth_admin(o, req))
		return;
	if (!*arg || *end || *arg == '-' || region >= assign_nregions(o->as)) {
		http_error(req, 404, "region '%.20s': no such region", arg);
		return;
	}
	stage = parse_action(o, req, action, err, sizeof(err));
	if (stage == -2)
		return;
	if (stage < 0) {
		http_error(req, 400, "region %lu: key: %s", region, err);
		return;
	}
	rc = rotate(o, region, stage, detail, sizeof(detail));
	if (rc == STORE_CONFLICT) {
		http_error(req, 409, "region %lu: key: %s", region,
			   stage ? "a next key is already staged (promote it "
				   "first)" :
				   "no next key staged (stage one first)");
		return;
	}
	if (rc) {
		http_error(req, 500, "region %lu: key: database error", region);
		return;
	}
	olog_info("%s", detail);
	/* The reply carries no key material: nodes fetch it with their own token. */
	http_json(req, 200,
		  json_pack("{s:I,s:s,s:b}", "region_id", (json_int_t)region,
			    "action", action, "next_key_staged", stage));
}
