/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rup-opsd connection admission (docs/API.md, "Limits"): every accepted
 * connection is untrusted until a request on it passes a token check.
 * Untrusted connections are capped per peer address and in total (the
 * rest of max_connections is kept for trusted ones: admins, RVS long-polls)
 * and must authenticate within server.auth_deadline seconds of accept
 * (TLS handshake and headers included: slowloris). At a cap the oldest
 * untrusted connection is closed, so a real client always gets in.
 */
#ifndef RUP_OPSD_CONN_H
#define RUP_OPSD_CONN_H

#include <stdbool.h>
#include <stddef.h>

struct bufferevent;
struct evhttp_request;
struct opsd;
struct ssl_st;

/* Once at start: register the SSL ex-data slot that tracks connections. */
int conn_init(void);
/* A new connection's record, tied to @ssl; false when out of memory. */
bool conn_new(struct opsd *o, struct ssl_st *ssl, struct bufferevent *bev);
/*
 * The request's connection passed a token check: no deadline, not evicted.
 * @admin lets its later requests carry bodies up to server.max_chunk.
 */
void conn_trust(struct evhttp_request *req, bool admin);
/* Clamp max_connections to what RLIMIT_NOFILE allows (said in the log). */
int conn_clamp(struct opsd *o, char *err, size_t errlen);
/* Watch the listener's accept errors: back off instead of spinning. */
void conn_listen(struct opsd *o);
/* Free what conn_listen set up. */
void conn_stop(struct opsd *o);

#endif
