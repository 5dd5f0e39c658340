// SPDX-License-Identifier: GPL-2.0
/* rup-opsd connection admission: caps, eviction, deadline, fd limit (conn.h). */
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <openssl/ssl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "clock.h"
#include "conn.h"
#include "olog.h"
#include "opsd.h"

/* Descriptors besides connections: stdio, epoll, signals, database, uploads. */
#define CONN_FD_OVERHEAD 16
#define CONN_BACKOFF_MAX_S 8

struct conn {
	TAILQ_ENTRY(conn) link; /* oldest first */
	struct opsd *o;
	struct bufferevent *bev;
	struct event *timer; /* admission (at once), then the deadline */
	struct sockaddr_in6 peer; /* IPv4 as mapped */
	bool admitted, trusted, closing;
};

static int conn_idx = -1;

static bool untrusted(const struct conn *c)
{
	return !c->trusted && !c->closing;
}

/*
 * Close from outside libevent's HTTP layer: shutting the socket down makes
 * the next read see EOF, and evhttp frees the connection the normal way.
 */
static void conn_close(struct conn *c)
{
	evutil_socket_t fd = bufferevent_getfd(c->bev);

	if (c->closing)
		return;
	c->closing = true;
	if (c->admitted)
		c->o->untrusted--;
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

/* Close the oldest untrusted connection; false when there is none. */
static bool evict_oldest(struct opsd *o)
{
	struct conn *c;

	TAILQ_FOREACH(c, &o->conn_list, link) {
		if (untrusted(c) && c->admitted) {
			o->m.evicted_conns++;
			conn_close(c);
			return true;
		}
	}
	return false;
}

/* OpenSSL frees the SSL with the connection: the one exact end of every connection. */
static void conn_freed(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
		       long argl, void *argp)
{
	struct conn *c = ptr;
	struct opsd *o;

	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	if (!c)
		return;
	o = c->o;
	if (c->admitted && untrusted(c))
		o->untrusted--;
	TAILQ_REMOVE(&o->conn_list, c, link);
	o->conns--;
	event_free(c->timer);
	free(c);
	if (o->listener && !o->stopping && !o->accept_paused &&
	    o->conns < o->cfg.max_connections)
		evconnlistener_enable(o->listener);
}

int conn_init(void)
{
	if (conn_idx < 0)
		conn_idx =
			SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_freed);
	return conn_idx < 0 ? -1 : 0;
}

static unsigned int same_peer(struct opsd *o, const struct conn *n)
{
	const struct conn *c;
	unsigned int k = 0;

	TAILQ_FOREACH(c, &o->conn_list, link)
		if (c != n && c->admitted && untrusted(c) &&
		    !memcmp(&c->peer.sin6_addr, &n->peer.sin6_addr,
			    sizeof(n->peer.sin6_addr)))
			k++;
	return k;
}

static void peer_of(evutil_socket_t fd, struct sockaddr_in6 *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(p, 0, sizeof(*p));
	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET6) {
		*p = *(struct sockaddr_in6 *)&ss;
	} else if (ss.ss_family == AF_INET) {
		p->sin6_addr.s6_addr[10] = 0xff;
		p->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&p->sin6_addr.s6_addr[12],
		       &((struct sockaddr_in *)&ss)->sin_addr, 4);
	}
}

static void on_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct conn *c = arg;

	(void)fd, (void)ev;
	if (untrusted(c)) {
		c->o->m.deadline_conns++;
		conn_close(c);
	}
}

/*
 * Runs once right after accept (evhttp has set the socket by then): the
 * per-peer cap, then the untrusted cap, then the deadline.
 */
static void on_admit(evutil_socket_t fd, short ev, void *arg)
{
	struct conn *c = arg;
	struct opsd *o = c->o;
	struct timeval dl = { (time_t)o->cfg.auth_deadline_s, 0 };

	(void)fd, (void)ev;
	if (c->closing || c->trusted)
		return;
	peer_of(bufferevent_getfd(c->bev), &c->peer);
	if (same_peer(o, c) >= o->cfg.max_per_peer) {
		o->m.peer_cap_conns++;
		conn_close(c);
		return;
	}
	c->admitted = true;
	o->untrusted++;
	while (o->untrusted + o->cfg.reserved_connections >
		       o->cfg.max_connections &&
	       evict_oldest(o))
		;
	evtimer_assign(c->timer, o->base, on_deadline, c);
	evtimer_add(c->timer, &dl);
}

bool conn_new(struct opsd *o, SSL *ssl, struct bufferevent *bev)
{
	static const struct timeval now = { 0, 0 };
	struct conn *c = calloc(1, sizeof(*c));

	if (c)
		c->timer = evtimer_new(o->base, on_admit, c);
	if (!c || !c->timer) {
		free(c);
		return false;
	}
	c->o = o;
	c->bev = bev;
	SSL_set_ex_data(ssl, conn_idx, c);
	TAILQ_INSERT_TAIL(&o->conn_list, c, link);
	o->conns++;
	evtimer_add(c->timer, &now);
	/* Full: make room by the oldest untrusted one, else stop accepting. */
	if (o->conns > o->cfg.max_connections && !evict_oldest(o)) {
		o->m.rejected_conns++;
		evconnlistener_disable(o->listener);
	}
	return true;
}

static struct conn *conn_of(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev =
		evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;

	return ssl ? SSL_get_ex_data(ssl, conn_idx) : NULL;
}

void conn_trust(struct evhttp_request *req, bool admin)
{
	struct conn *c = conn_of(req);

	if (!c || c->closing)
		return;
	if (!c->trusted) {
		if (c->admitted)
			c->o->untrusted--;
		c->trusted = true;
		evtimer_del(c->timer);
	}
	if (admin)
		evhttp_connection_set_max_body_size(
			evhttp_request_get_connection(req),
			(ev_ssize_t)c->o->cfg.max_chunk);
}

int conn_clamp(struct opsd *o, char *err, size_t errlen)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)o->cfg.max_connections + o->cfg.download_budget +
		      CONN_FD_OVERHEAD,
	       fit;

	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		snprintf(err, errlen, "RLIMIT_NOFILE: %s", strerror(errno));
		return -1;
	}
	/* The soft limit may rise to the hard one without privilege. */
	if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = need < rl.rlim_max ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= need)
		return 0;
	fit = rl.rlim_cur > o->cfg.download_budget + CONN_FD_OVERHEAD ?
		      rl.rlim_cur - o->cfg.download_budget - CONN_FD_OVERHEAD :
		      0;
	if (fit < 4) {
		snprintf(err, errlen,
			 "RLIMIT_NOFILE %llu leaves no room for connections "
			 "(need %llu for server.max_connections %u)",
			 (unsigned long long)rl.rlim_cur,
			 (unsigned long long)need, o->cfg.max_connections);
		return -1;
	}
	olog_warn(
		"server.max_connections %u lowered to %llu: RLIMIT_NOFILE is %llu",
		o->cfg.max_connections, (unsigned long long)fit,
		(unsigned long long)rl.rlim_cur);
	o->cfg.max_connections = (uint32_t)fit;
	if (o->cfg.reserved_connections >= o->cfg.max_connections)
		o->cfg.reserved_connections = o->cfg.max_connections / 2;
	return 0;
}

static void on_backoff_end(evutil_socket_t fd, short ev, void *arg)
{
	struct opsd *o = arg;

	(void)fd, (void)ev;
	o->accept_paused = false;
	if (o->listener && !o->stopping && o->conns < o->cfg.max_connections)
		evconnlistener_enable(o->listener);
}

/*
 * accept() failed (out of descriptors or memory): pause accepting for a
 * doubling time, free a descriptor by the oldest untrusted connection, and
 * log once per pause, so a full table costs neither CPU nor log.
 */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
	struct opsd *o = arg;
	int e = EVUTIL_SOCKET_ERROR();
	struct timeval tv;

	uint64_t now = clock_mono_ms();

	o->m.accept_errors++;
	if (o->accept_paused)
		return;
	/* A minute without errors starts the doubling afresh. */
	if (now - o->last_accept_error_ms > 60000)
		o->backoff_s = 0;
	o->last_accept_error_ms = now;
	o->backoff_s = o->backoff_s ? o->backoff_s * 2 : 1;
	if (o->backoff_s > CONN_BACKOFF_MAX_S)
		o->backoff_s = CONN_BACKOFF_MAX_S;
	olog_warn(
		"accept: %s; pausing new connections for %u s (%llu errors so far)",
		strerror(e), o->backoff_s,
		(unsigned long long)o->m.accept_errors);
	evconnlistener_disable(l);
	o->accept_paused = true;
	evict_oldest(o);
	tv.tv_sec = (time_t)o->backoff_s;
	tv.tv_usec = 0;
	evtimer_add(o->accept_backoff, &tv);
}

void conn_listen(struct opsd *o)
{
	o->accept_backoff = evtimer_new(o->base, on_backoff_end, o);
	evconnlistener_set_error_cb(o->listener, on_accept_error);
}

void conn_stop(struct opsd *o)
{
	if (o->accept_backoff)
		event_free(o->accept_backoff);
	o->accept_backoff = NULL;
}
