/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd: shared server context, one instance per process. */
#ifndef RUP_OPSD_H
#define RUP_OPSD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "config.h"

struct event;
struct event_base;
struct evhttp;
struct evconnlistener;
struct evhttp_request;
struct ssl_ctx_st;
struct store;
struct assign;

/* A held GET /api/v1/tasks: answered when a task opens, the term moves, or it times out. */
struct longpoll {
	TAILQ_ENTRY(longpoll) link;
	struct opsd *o;
	struct evhttp_request *req;
	struct event *timer;
	char node[33];
	uint32_t region;
	uint64_t term;
};
TAILQ_HEAD(longpoll_list, longpoll);

struct conn;
TAILQ_HEAD(conn_list, conn);
struct download_slot;
LIST_HEAD(slot_list, download_slot);

struct opsd_metrics {
	uint64_t registrations;
	uint64_t downloads;
	uint64_t bytes_served;
	uint64_t rejected_conns; /* cap reached with no untrusted one to close */
	uint64_t evicted_conns; /* untrusted, closed to make room */
	uint64_t deadline_conns; /* untrusted past server.auth_deadline */
	uint64_t peer_cap_conns; /* over server.max_per_peer */
	uint64_t accept_errors;
	uint64_t download_timeouts; /* cut at server.download_timeout */
	uint64_t longpolls_superseded; /* a node's newer poll replaced it */
	uint64_t requests_by_code[600];
};

struct opsd {
	struct opsd_config cfg;
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct ssl_ctx_st *ssl;
	struct store *st;
	struct assign *as;
	struct longpoll_list polls;
	struct conn_list conn_list; /* conn.c, oldest first */
	unsigned int conns, untrusted;
	struct event *accept_backoff;
	unsigned int backoff_s;
	uint64_t last_accept_error_ms;
	bool accept_paused;
	unsigned int npolls;
	unsigned int downloads;
	bool upload_busy; /* a payload chunk is being stored (upload.c) */
	struct slot_list slots; /* download_slot.c */
	int stopping;
	struct opsd_metrics m;
};

#endif
