/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd HTTPS server: TLS, limits, routing and JSON reply helpers. */
#ifndef RUP_OPSD_HTTP_H
#define RUP_OPSD_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct evhttp_request;
struct opsd;

/* Load certificate and key (before anything is written, so a bad one changes nothing). */
int http_tls(struct opsd *o, char *err, size_t errlen);
/* Listen and serve (after http_tls). */
int http_start(struct opsd *o, char *err, size_t errlen);
void http_stop(struct opsd *o);

/* Reply {"error": "..."} with @code; the message gives context. */
void http_error(struct evhttp_request *req, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Drop the codec's "NAME: " from @err (api.h) in place: the handlers'
 * replies name the message themselves ("release: ...").
 */
void http_api_detail(char *err, const char *name);
/* Reply @j (reference stolen) as JSON with @code. */
void http_json(struct evhttp_request *req, int code, json_t *j);
/* Reply plain bytes with a content type. */
void http_bytes(struct evhttp_request *req, int code, const char *type,
		const void *buf, size_t len);
/*
 * Parse the request body as a JSON object, bounded by max_body. On error
 * the 4xx reply is sent and NULL returned.
 */
json_t *http_body_json(struct opsd *o, struct evhttp_request *req);
/* Query parameter @name of @req copied to @out, or -1 when absent/too long. */
int http_query(struct evhttp_request *req, const char *name, char *out,
	       size_t len);
/* Count a reply code for /metrics (called by every reply helper). */
void http_count(int code);
extern struct opsd *http_opsd;

#endif
