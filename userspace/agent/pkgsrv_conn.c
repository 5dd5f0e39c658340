// SPDX-License-Identifier: GPL-2.0
/*
 * Package service connections: evhttp accepts on a listener we own; the
 * bufferevent callback counts each connection at accept and the admission
 * step (the same loop pass) caps it, or closes it before it can hold a
 * descriptor for long. docs/AGENT.md, "Package service (RVS)".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "clock.h"
#include "log.h"
#include "pkgsrv_conn.h"

/*
 * The listener's error callback gets evhttp's argument (evhttp_bind_listener
 * sets it): find our service from it.
 */
static struct pkgsrv *live;

static struct pkgsrv *of_http(void *http)
{
	struct pkgsrv *s;

	for (s = live; s && s->http != http; s = s->next_live)
		;
	return s;
}

/* One line per @r each PKGSRV_LOG_EVERY_MS: a flood must not fill the log. */
static void __attribute__((format(printf, 3, 4)))
ratelog(struct pkgsrv_ratelog *r, uint64_t *count, const char *fmt, ...)
{
	uint64_t now = clock_mono_ms();
	char msg[256];
	va_list ap;

	(*count)++;
	if (now < r->next_ms) {
		r->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	awarn("package service: %s (%" PRIu64 " more since the last line)", msg,
	      r->suppressed);
	r->suppressed = 0;
	r->next_ms = now + PKGSRV_LOG_EVERY_MS;
}

static void untrack(struct pkgsrv_conn *c)
{
	struct pkgsrv *s = c->s;

	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	if (c->deadline)
		event_free(c->deadline);
	free(c);
}

static void on_close(struct evhttp_connection *evcon, void *arg)
{
	evhttp_connection_set_closecb(evcon, NULL, NULL);
	untrack(arg);
}

/* Slow or idle past the deadline, whatever it sent: close it. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct pkgsrv_conn *c = arg;

	(void)fd, (void)what;
	c->s->st.timed_out++;
	evhttp_connection_free(c->evcon);
}

static void arm(struct pkgsrv_conn *c)
{
	struct timeval tv = { .tv_sec = c->s->o.lim.request_timeout_s };

	evtimer_add(c->deadline, &tv);
}

static void on_replied(struct evhttp_request *req, void *arg)
{
	(void)req;
	arm(arg); /* keep-alive: the next request has the same deadline */
}

void pkgsrv_conn_busy(struct pkgsrv_conn *c, struct evhttp_request *req)
{
	evtimer_del(c->deadline);
	evhttp_request_set_on_complete_cb(req, on_replied, c);
}

struct pkgsrv_conn *pkgsrv_conn_of(struct pkgsrv *s, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct pkgsrv_conn *c;

	for (c = s->conns; c && c->evcon != evcon; c = c->next)
		;
	return c;
}

/* Why @c may not stay open, or NULL; counts the admitted ones. */
static const char *refusal(struct pkgsrv *s, struct pkgsrv_conn *c)
{
	unsigned int members = 0, strangers = 0, same = 0;
	struct pkgsrv_conn *o;

	for (o = s->conns; o; o = o->next) {
		if (o == c || !o->evcon)
			continue;
		*(o->member ? &members : &strangers) += 1;
		same += o->ip.s_addr == c->ip.s_addr;
	}
	if (same >= s->o.lim.max_per_ip)
		return "connections from one address";
	if (!c->member && strangers >= s->strangers)
		return "connections from outside the region";
	if (members >= s->o.lim.max_conns + s->overflow)
		return "connections";
	c->overflow = members >= s->o.lim.max_conns;
	return NULL;
}

static void admit(struct pkgsrv *s, struct pkgsrv_conn *c)
{
	struct bufferevent *bev = c->bev;
	const struct sockaddr *sa;
	bufferevent_data_cb rcb;
	const char *why;
	char ip[INET_ADDRSTRLEN];
	void *arg;

	/* evhttp made @bev its connection's, with the connection as argument. */
	bufferevent_getcb(bev, &rcb, NULL, NULL, &arg);
	c->bev = NULL;
	if (!rcb || evhttp_connection_get_bufferevent(arg) != bev) {
		untrack(c); /* already dropped by evhttp */
		bufferevent_decref(bev);
		return;
	}
	c->evcon = arg;
	evhttp_connection_set_closecb(c->evcon, on_close, c);
	bufferevent_decref(bev);
	sa = evhttp_connection_get_addr(c->evcon);
	if (sa && sa->sa_family == AF_INET)
		c->ip = ((const struct sockaddr_in *)sa)->sin_addr;
	c->member = !s->o.lim.members_only || s->o.is_member(s->o.arg, c->ip);
	why = refusal(s, c);
	if (why) {
		ratelog(&s->log_refuse, &s->st.refused,
			"closed a connection from %s: at the cap of %s",
			inet_ntop(AF_INET, &c->ip, ip, sizeof(ip)), why);
		evhttp_connection_free(c->evcon);
		return;
	}
	arm(c);
}

static void on_admit(evutil_socket_t fd, short what, void *arg)
{
	struct pkgsrv *s = arg;
	struct pkgsrv_conn *c, *next;

	(void)fd, (void)what;
	for (c = s->conns; c; c = next) {
		next = c->next;
		if (!c->evcon)
			admit(s, c);
	}
	s->pending = 0;
	if (!s->pause_ms)
		evconnlistener_enable(s->lst);
}

/* evhttp's new connection: counted now, admitted once evhttp set it up. */
static struct bufferevent *on_accept(struct event_base *base, void *arg)
{
	struct pkgsrv *s = arg;
	struct pkgsrv_conn *c = calloc(1, sizeof(*c));
	struct bufferevent *bev =
		bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);

	s->next_pause_ms = PKGSRV_PAUSE_MIN_MS;
	s->st.accepted++;
	if (++s->pending >= PKGSRV_ACCEPT_BATCH)
		evconnlistener_disable(s->lst);
	event_active(s->admit_ev, EV_TIMEOUT, 0);
	if (c)
		c->deadline = evtimer_new(base, on_deadline, c);
	if (!c || !bev || !c->deadline) {
		/*
		 * Out of memory: evhttp makes its own, untracked connection;
		 * its request gets 403, its idle timeout (30 s) closes it.
		 */
		if (c && c->deadline)
			event_free(c->deadline);
		free(c);
		if (bev)
			bufferevent_free(bev);
		return NULL;
	}
	c->s = s;
	c->bev = bev;
	bufferevent_incref(bev); /* valid until on_admit looks at it */
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	return bev;
}

/* EMFILE and the like: pause accepting instead of spinning on them. */
static void on_accept_error(struct evconnlistener *lst, void *arg)
{
	struct pkgsrv *s = of_http(arg);
	int e = EVUTIL_SOCKET_ERROR();
	struct timeval tv;

	evconnlistener_disable(lst);
	if (!s)
		return;
	s->pause_ms = s->next_pause_ms;
	ratelog(&s->log_accept, &s->st.accept_errors,
		"accept: %s; pausing %u ms", strerror(e), s->pause_ms);
	tv.tv_sec = s->pause_ms / 1000;
	tv.tv_usec = (s->pause_ms % 1000) * 1000;
	evtimer_add(s->resume_ev, &tv);
	if (s->next_pause_ms < PKGSRV_PAUSE_MAX_MS)
		s->next_pause_ms *= 2;
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct pkgsrv *s = arg;

	(void)fd, (void)what;
	s->pause_ms = 0;
	evconnlistener_enable(s->lst);
}

/*
 * Each connection may hold two descriptors (socket, file being sent):
 * keep the caps within the descriptor limit, 64 left for the agent.
 */
static void clamp_to_fd_limit(struct pkgsrv *s)
{
	unsigned int fit;
	struct rlimit rl;

	s->overflow = PKGSRV_OVERFLOW;
	s->strangers = PKGSRV_STRANGERS;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return;
	fit = rl.rlim_cur > 64 ? (unsigned int)((rl.rlim_cur - 64) / 2) : 0;
	if (s->o.lim.max_conns + s->overflow + s->strangers <= fit)
		return;
	s->o.lim.max_conns = fit - fit / 3 > 1 ? fit - fit / 3 : 1;
	if (s->overflow > fit / 6)
		s->overflow = fit / 6;
	if (s->strangers > fit / 6)
		s->strangers = fit / 6;
	awarn("package service: descriptor limit %llu: at most %u "
	      "connections (%u more answered 503, %u from outside the region)",
	      (unsigned long long)rl.rlim_cur, s->o.lim.max_conns, s->overflow,
	      s->strangers);
}

int pkgsrv_conn_listen(struct pkgsrv *s, char *err, size_t errlen)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr = s->o.addr,
				   .sin_port = htons(s->o.port) };
	char ip[INET_ADDRSTRLEN];

	clamp_to_fd_limit(s);
	s->next_pause_ms = PKGSRV_PAUSE_MIN_MS;
	s->admit_ev = event_new(s->base, -1, 0, on_admit, s);
	s->resume_ev = evtimer_new(s->base, on_resume, s);
	s->lst = evconnlistener_new_bind(
		s->base, NULL, NULL,
		LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC |
			LEV_OPT_CLOSE_ON_FREE | LEV_OPT_DISABLED,
		128, (struct sockaddr *)&sin, sizeof(sin));
	if (!s->admit_ev || !s->resume_ev || !s->lst ||
	    !evhttp_bind_listener(s->http, s->lst)) {
		snprintf(err, errlen,
			 "package service: cannot listen on %s:%u: %s",
			 inet_ntop(AF_INET, &s->o.addr, ip, sizeof(ip)),
			 s->o.port, strerror(errno));
		if (s->lst)
			evconnlistener_free(s->lst);
		s->lst = NULL;
		return -1;
	}
	evhttp_set_bevcb(s->http, on_accept, s);
	evconnlistener_set_error_cb(s->lst, on_accept_error);
	s->next_live = live;
	live = s;
	evconnlistener_enable(s->lst);
	return 0;
}

void pkgsrv_conn_cleanup(struct pkgsrv *s)
{
	struct pkgsrv **p;

	for (p = &live; *p; p = &(*p)->next_live) {
		if (*p == s) {
			*p = s->next_live;
			break;
		}
	}
	/* evhttp_free() closed the admitted ones; release the pending. */
	while (s->conns) {
		struct bufferevent *bev = s->conns->bev;

		untrack(s->conns);
		if (bev)
			bufferevent_decref(bev);
	}
	if (s->admit_ev)
		event_free(s->admit_ev);
	if (s->resume_ev)
		event_free(s->resume_ev);
}
