// SPDX-License-Identifier: GPL-2.0
/* Package service over evhttp: store files by version, byte ranges, caller checks. */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httprange.h"
#include "log.h"
#include "pkgsrv_conn.h"
#include "semver.h"
#include "store.h"

static void reply_err(struct pkgsrv *s, struct evhttp_request *req, int code,
		      const char *why)
{
	struct evbuffer *b = evbuffer_new();

	s->st.errors++;
	evbuffer_add_printf(b, "%s\n", why);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "text/plain");
	/* A refused caller gets no keep-alive to sit on. */
	if (code == 403 || code == 503)
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Connection", "close");
	evhttp_send_reply(req, code, why, b);
	evbuffer_free(b);
}

/* The store file that @uri names ("/pkg/V", "/pkg/V.manifest",
 * "/pkg/V.sig"): 0, or -1 when it names none.
 */
static int uri_path(const struct pkgsrv *s, const char *uri, char *path,
		    size_t len, enum store_kind *kind)
{
	char ver[SEMVER_MAX_LEN + 1];
	const char *name;
	struct semver sv;
	size_t n;

	if (strncmp(uri, "/pkg/", 5))
		return -1;
	name = uri + 5;
	n = strlen(name);
	*kind = STORE_PKG;
	if (n > 9 && !strcmp(name + n - 9, ".manifest")) {
		*kind = STORE_MANIFEST;
		n -= 9;
	} else if (n > 4 && !strcmp(name + n - 4, ".sig")) {
		*kind = STORE_SIG;
		n -= 4;
	}
	/* Only a well-formed version names a file: no path tricks. */
	if (memchr(name, '/', n) || n > SEMVER_MAX_LEN)
		return -1;
	memcpy(ver, name, n);
	ver[n] = '\0';
	if (semver_parse(ver, &sv, NULL, 0) ||
	    store_path(s->store, ver, *kind, path, len))
		return -1;
	return 0;
}

/*
 * Reply with the open file @fd (its @size bytes, or the asked range of a
 * package; httprange.h: garbage or an unsatisfiable range is a 416).
 */
static void serve(struct pkgsrv *s, struct evhttp_request *req, int fd,
		  uint64_t size, enum store_kind kind)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	enum http_range_kind rk;
	struct http_range r;
	struct evbuffer *body;
	char hdr[96];
	int code;

	evhttp_add_header(out, "Accept-Ranges", "bytes");
	evhttp_add_header(out, "Content-Type",
			  kind == STORE_PKG ? "application/octet-stream" :
					      "text/plain");
	rk = http_range_parse(
		kind == STORE_PKG ?
			evhttp_find_header(evhttp_request_get_input_headers(req),
					   "Range") :
			NULL,
		size, &r);
	code = http_range_status(rk);
	if (!http_range_content_range(rk, &r, size, hdr, sizeof(hdr)))
		evhttp_add_header(out, "Content-Range", hdr);
	if (code == 416) {
		close(fd);
		reply_err(s, req, 416, "Range Not Satisfiable");
		return;
	}
	body = evbuffer_new();
	if (r.len && evhttp_request_get_command(req) == EVHTTP_REQ_GET) {
		if (evbuffer_add_file(body, fd, (ev_off_t)r.start,
				      (ev_off_t)r.len)) {
			evbuffer_free(body);
			reply_err(s, req, 500, "Internal Server Error");
			return;
		}
		s->st.served_bytes += r.len;
	} else {
		close(fd);
	}
	evhttp_send_reply(req, code, code == 206 ? "Partial Content" : "OK",
			  body);
	evbuffer_free(body);
}

/* 503: come back later (Retry-After), on a new connection. */
static void busy(struct pkgsrv *s, struct evhttp_request *req)
{
	s->st.rejected++;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After",
			  "2");
	reply_err(s, req, 503, "Service Unavailable");
}

/* 403 for callers outside the region, 503 past max_conns; true if sent. */
static bool refuse(struct pkgsrv *s, struct evhttp_request *req)
{
	struct pkgsrv_conn *c = pkgsrv_conn_of(s, req);

	if (c)
		pkgsrv_conn_busy(c, req);
	if (!c || !c->member) {
		s->st.rejected++;
		reply_err(s, req, 403, "Forbidden");
		return true;
	}
	if (c->overflow) {
		busy(s, req);
		return true;
	}
	return false;
}

static void handle(struct evhttp_request *req, void *arg)
{
	struct pkgsrv *s = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	enum store_kind kind;
	char path[600];
	struct stat st;
	int fd;

	s->st.requests++;
	if (refuse(s, req))
		return;
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		reply_err(s, req, 405, "Method Not Allowed");
		return;
	}
	if (uri_path(s, evhttp_request_get_uri(req), path, sizeof(path),
		     &kind)) {
		reply_err(s, req, 404, "Not Found");
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		busy(s, req);
		return;
	}
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		reply_err(s, req, 404, "Not Found");
		return;
	}
	serve(s, req, fd, (uint64_t)st.st_size, kind);
}

struct pkgsrv *pkgsrv_start(struct event_base *base,
			    const struct pkgsrv_opts *o, char *err,
			    size_t errlen)
{
	struct pkgsrv *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "package service: out of memory");
		return NULL;
	}
	s->base = base;
	s->o = *o;
	snprintf(s->store, sizeof(s->store), "%s", o->store);
	s->o.store = s->store;
	s->o.lim.max_conns = o->lim.max_conns ? o->lim.max_conns : 1;
	s->o.lim.max_per_ip = o->lim.max_per_ip ? o->lim.max_per_ip : 1;
	s->o.lim.request_timeout_s =
		o->lim.request_timeout_s ? o->lim.request_timeout_s : 1;
	s->http = evhttp_new(base);
	if (!s->http) {
		snprintf(err, errlen, "package service: out of memory");
		goto fail;
	}
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	/* Idle reads or writes during a transfer; requests have a deadline. */
	evhttp_set_timeout(s->http, 30);
	evhttp_set_max_headers_size(s->http, 8192);
	evhttp_set_max_body_size(s->http, 0);
	evhttp_set_gencb(s->http, handle, s);
	if (pkgsrv_conn_listen(s, err, errlen))
		goto fail;
	return s;
fail:
	pkgsrv_stop(s);
	return NULL;
}

void pkgsrv_stop(struct pkgsrv *s)
{
	if (!s)
		return;
	if (s->http)
		evhttp_free(s->http);
	pkgsrv_conn_cleanup(s);
	free(s);
}

const struct pkgsrv_stats *pkgsrv_stats(const struct pkgsrv *s)
{
	return &s->st;
}
