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

#include "api.h"
#include "assign.h"
#include "auth.h"
#include "http.h"
#include "hexb64.h"
#include "keys.h"
#include "olog.h"
#include "opsd.h"
#include "parse.h"
#include "routes.h"
#include "store.h"

int keys_hex(const struct store_region_keys *k, api_hex32 key,
	     api_hex32 next_key)
{
	next_key[0] = 0;
	if (hex_to_text(k->key, STORE_KEY_LEN, key, sizeof(api_hex32)))
		return -1;
	if (k->has_next && hex_to_text(k->next_key, STORE_KEY_LEN, next_key,
				       sizeof(api_hex32)))
		return -1;
	return 0;
}

/* GET /api/v1/keys (node token): the keys of the node's own region. */
void h_keys(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct store_region_keys k;
	struct api_keys m = { 0 };
	char node[33];

	(void)arg;
	if (auth_node(o, req, node, &m.region_id))
		return;
	if (store_region_keys(o->st, m.region_id, &k) ||
	    keys_hex(&k, m.key, m.next_key)) {
		OPENSSL_cleanse(&k, sizeof(k));
		http_error(req, 500, "region %u: database error", m.region_id);
		return;
	}
	http_json(req, 200, api_keys_encode(&m));
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(&m, sizeof(m));
}

/* {"action": "stage" | "promote"}: 1 stage, 0 promote, -1 with @err. */
static int parse_action(struct opsd *o, struct evhttp_request *req,
			struct api_key_action *a, char *err, size_t errlen)
{
	json_t *body = http_body_json(o, req);
	int rc;

	if (!body)
		return -2;
	rc = api_key_action_decode(body, a, err, errlen) ?
		     -1 :
		     !strcmp(a->action, "stage");
	json_decref(body);
	return rc;
}

static enum store_rc rotate(struct opsd *o, uint32_t region, int stage,
			    char *detail, size_t len)
{
	uint8_t key[STORE_KEY_LEN];
	enum store_rc rc;

	snprintf(detail, len, "region %" PRIu32 ": next key %s", region,
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
	struct api_key_action a;
	struct api_key_done d;
	char err[200] = "", detail[96];
	uint32_t region = 0;
	enum store_rc rc;
	int stage;

	if (auth_admin(o, req))
		return;
	if (parse_dec_u32(arg, 0, UINT32_MAX, &region) ||
	    region >= assign_nregions(o->as)) {
		http_error(req, 404, "region '%.20s': no such region", arg);
		return;
	}
	stage = parse_action(o, req, &a, err, sizeof(err));
	if (stage == -2)
		return;
	if (stage < 0) {
		http_error(req, 400, "region %" PRIu32 ": %s", region, err);
		return;
	}
	rc = rotate(o, region, stage, detail, sizeof(detail));
	if (rc == STORE_CONFLICT) {
		http_error(req, 409, "region %" PRIu32 ": key: %s", region,
			   stage ? "a next key is already staged (promote it "
				   "first)" :
				   "no next key staged (stage one first)");
		return;
	}
	if (rc) {
		http_error(req, 500, "region %" PRIu32 ": key: database error",
			   region);
		return;
	}
	olog_info("%s", detail);
	/* The reply carries no key material: nodes fetch it with their own token. */
	d.region_id = (uint32_t)region;
	memcpy(d.action, a.action, sizeof(d.action));
	d.next_key_staged = stage;
	http_json(req, 200, api_key_done_encode(&d));
}
