/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The package service's connections (pkgsrv.c's internals): counted at
 * accept, capped in total, per address and for non-members, held to a
 * request deadline; accept errors pause the listener. docs/AGENT.md,
 * "Package service (RVS)".
 */
#ifndef RUP_AGENT_PKGSRV_CONN_H
#define RUP_AGENT_PKGSRV_CONN_H

#include "pkgsrv.h"

struct bufferevent;
struct event;
struct evconnlistener;
struct evhttp;
struct evhttp_connection;
struct evhttp_request;

/* Connections past max_conns, answered 503 and closed. */
#define PKGSRV_OVERFLOW 4
/* Connections from addresses outside the region (members_only): 403. */
#define PKGSRV_STRANGERS 8
/* Accepted before the pass that admits them: bounds descriptors in limbo. */
#define PKGSRV_ACCEPT_BATCH 16
/* The accept pause doubles from the first to the last value. */
#define PKGSRV_PAUSE_MIN_MS 100
#define PKGSRV_PAUSE_MAX_MS 2000
/* At most one log line per kind this often (the rest are counted). */
#define PKGSRV_LOG_EVERY_MS 10000

struct pkgsrv_conn {
	struct pkgsrv *s;
	struct bufferevent *bev; /* our reference, until admitted */
	struct evhttp_connection *evcon; /* NULL until admitted */
	struct event *deadline;
	struct in_addr ip;
	bool member, overflow;
	struct pkgsrv_conn *prev, *next;
};

struct pkgsrv_ratelog {
	uint64_t next_ms, suppressed;
};

struct pkgsrv {
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *lst;
	struct event *admit_ev, *resume_ev;
	struct pkgsrv_opts o;
	char store[512];
	unsigned int overflow,
		strangers; /* PKGSRV_*, or fewer for the fd limit */
	unsigned int nconns; /* tracked: pending and admitted */
	struct pkgsrv_conn *conns;
	unsigned int pending; /* accepted, not yet admitted */
	unsigned int pause_ms; /* 0: not paused */
	unsigned int next_pause_ms;
	struct pkgsrv_ratelog log_accept, log_refuse;
	struct pkgsrv_stats st;
	struct pkgsrv *next_live;
};

/* Listen on o.addr:o.port for @s->http; 0 or -1 with @err. */
int pkgsrv_conn_listen(struct pkgsrv *s, char *err, size_t errlen);
/* After evhttp_free(): what is still tracked, the events. */
void pkgsrv_conn_cleanup(struct pkgsrv *s);
/* The admitted connection of @req, or NULL. */
struct pkgsrv_conn *pkgsrv_conn_of(struct pkgsrv *s,
				   struct evhttp_request *req);
/* @req arrived on @c: stop its deadline until the reply is sent. */
void pkgsrv_conn_busy(struct pkgsrv_conn *c, struct evhttp_request *req);

#endif
