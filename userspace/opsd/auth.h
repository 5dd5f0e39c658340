/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd tokens: enrollment, per-node (stored as SHA-256), admin. */
#ifndef RUP_OPSD_AUTH_H
#define RUP_OPSD_AUTH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct evhttp_request;
struct opsd;

#define NODE_TOKEN_LEN 64 /* hex characters of 32 random bytes */

/* The bearer token of @req, or NULL when the header is missing or malformed. */
const char *auth_bearer(struct evhttp_request *req);
/* Constant-time equality of a presented token and a configured one. */
int auth_token_eq(const char *presented, const char *expected);
/* Fill @hex (2 * n + 1 bytes) with n random bytes as hex; 0 or -1. */
int auth_random_hex(char *hex, size_t n);
/* SHA-256 of @token into @out (32 bytes). */
void auth_hash(const char *token, uint8_t out[32]);
/*
 * Check an admin request; on failure the reply (401/403) is already sent
 * and -1 is returned.
 */
int auth_admin(struct opsd *o, struct evhttp_request *req);
/*
 * An admin request's JSON body handed to @fn, which fills @err and returns
 * an HTTP status, 0 on success. 0 when @fn succeeded (the caller replies);
 * else -1 with the reply sent: 401, 403, a bad body, or @fn's status with
 * "@what: @err".
 */
typedef int auth_body_fn(struct opsd *o, json_t *body, void *ctx, char *err,
			 size_t errlen);
int auth_admin_json(struct opsd *o, struct evhttp_request *req,
		    const char *what, auth_body_fn *fn, void *ctx, char *err,
		    size_t errlen);
/*
 * Check a node request: X-Rup-Node names the node, the bearer is its token.
 * Copies the node id to @node (33 bytes) and its region to @region.
 * On failure the reply is sent and -1 returned.
 */
int auth_node(struct opsd *o, struct evhttp_request *req, char node[33],
	      uint32_t *region);
/* Node ids are stored lower case. */
void node_id_lower(char *s);
/* 1 when @s is exactly 32 lower- or upper-case hex digits. */
int is_node_id(const char *s);

#endif
