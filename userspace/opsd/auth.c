// SPDX-License-Identifier: GPL-2.0
/* rup-opsd tokens: constant-time checks; tokens never reach the log. */
#include <ctype.h>
#include <event2/http.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "auth.h"
#include "conn.h"
#include "hexb64.h"
#include "http.h"
#include "opsd.h"
#include "store.h"

const char *auth_bearer(struct evhttp_request *req)
{
	const char *h = evhttp_find_header(
		evhttp_request_get_input_headers(req), "Authorization");

	if (!h || strncasecmp(h, "Bearer ", 7))
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h ? h : NULL;
}

int auth_token_eq(const char *presented, const char *expected)
{
	uint8_t a[32], b[32];

	/* Hash both so the comparison length never depends on the secret. */
	auth_hash(presented, a);
	auth_hash(expected, b);
	return CRYPTO_memcmp(a, b, sizeof(a)) == 0;
}

int auth_random_hex(char *hex, size_t n)
{
	uint8_t buf[64];
	int rc;

	if (n > sizeof(buf) || RAND_bytes(buf, (int)n) != 1)
		return -1;
	rc = hex_to_text(buf, n, hex, HEX_LEN(n) + 1);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

void auth_hash(const char *token, uint8_t out[32])
{
	unsigned int len = 32;

	EVP_Digest(token, strlen(token), out, &len, EVP_sha256(), NULL);
}

void node_id_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int is_node_id(const char *s)
{
	size_t i;

	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[32] == 0;
}

int auth_admin(struct opsd *o, struct evhttp_request *req)
{
	const char *t = auth_bearer(req);

	if (!t) {
		http_error(req, 401,
			   "missing admin token (Authorization: Bearer ...)");
		return -1;
	}
	if (!auth_token_eq(t, o->cfg.admin_token)) {
		http_error(req, 403, "wrong admin token");
		return -1;
	}
	conn_trust(req, true);
	return 0;
}

int auth_admin_json(struct opsd *o, struct evhttp_request *req,
		    const char *what, auth_body_fn *fn, void *ctx, char *err,
		    size_t errlen)
{
	json_t *body = auth_admin(o, req) ? NULL : http_body_json(o, req);
	int code;

	if (!body)
		return -1;
	code = fn(o, body, ctx, err, errlen);
	json_decref(body);
	if (code)
		http_error(req, code, "%s: %s", what, err);
	return code ? -1 : 0;
}

int auth_node(struct opsd *o, struct evhttp_request *req, char node[33],
	      uint32_t *region)
{
	const char *id = evhttp_find_header(
		evhttp_request_get_input_headers(req), "X-Rup-Node");
	const char *t = auth_bearer(req);
	struct store_node_auth a;
	enum store_rc rc;
	uint8_t h[32];
	size_t i;

	if (!t) {
		http_error(req, 401,
			   "missing node token (Authorization: Bearer ...)");
		return -1;
	}
	if (!id || !is_node_id(id)) {
		http_error(
			req, 400,
			"missing or malformed X-Rup-Node header (32 hex digits)");
		return -1;
	}
	for (i = 0; i < 32; i++)
		node[i] = (char)tolower((unsigned char)id[i]);
	node[32] = 0;
	rc = store_node_auth(o->st, node, &a);
	if (rc == STORE_NOT_FOUND) {
		http_error(req, 404, "node %s: unknown node (register first)",
			   node);
		return -1;
	}
	if (rc) {
		http_error(req, 500, "database error");
		return -1;
	}
	auth_hash(t, h);
	if (!a.hash_ok || CRYPTO_memcmp(a.token_hash, h, 32)) {
		http_error(req, 403, "node %s: wrong node token", node);
		return -1;
	}
	*region = a.region;
	conn_trust(req, false);
	return 0;
}
