// SPDX-License-Identifier: GPL-2.0
/* rup-opsd HTTPS server: TLS bufferevents, connection cap, routing, replies. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "clear.h"
#include "conn.h"
#include "http.h"
#include "olog.h"
#include "opsd.h"
#include "routes.h"

/*
 * TLS 1.2 suites (docs/API.md, "TLS"): ECDHE or DHE key exchange with AEAD
 * ciphers only (no CBC, no SHA-1 MACs).
 */
#define OPSD_TLS12_CIPHERS                                           \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"       \
	"DHE-RSA-CHACHA20-POLY1305"

struct opsd *http_opsd;

void http_count(int code)
{
	if (http_opsd && code >= 100 && code < 600)
		http_opsd->m.requests_by_code[code]++;
}

static struct bufferevent *bev_new(struct event_base *base, void *arg)
{
	struct opsd *o = arg;
	struct bufferevent *bev;
	SSL *ssl = SSL_new(o->ssl);

	if (!ssl) {
		/* evhttp would fall back to plain text on NULL: never serve that. */
		olog_err("out of memory for a TLS connection");
		abort();
	}
	bev = bufferevent_openssl_socket_new(
		base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
		BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (!bev || !conn_new(o, ssl, bev))
		abort();
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

void http_json(struct evhttp_request *req, int code, json_t *j)
{
	struct evbuffer *b = evbuffer_new();
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	if (!b || !s) {
		free(s);
		if (b)
			evbuffer_free(b);
		evhttp_send_error(req, 500, "out of memory");
		http_count(500);
		return;
	}
	evbuffer_add(b, s, strlen(s));
	evbuffer_add(b, "\n", 1);
	free(s);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", "application/json");
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
	http_count(code);
}

static const char *method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	default:
		return "other";
	}
}

void http_error(struct evhttp_request *req, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	olog_debug("%s %s -> %d %s",
		   method_name(evhttp_request_get_command(req)),
		   evhttp_request_get_uri(req), code, msg);
	http_json(req, code, api_error_encode(msg));
}

void http_api_detail(char *err, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(err, name, n) && err[n] == ':' && err[n + 1] == ' ')
		memmove(err, err + n + 2, strlen(err + n + 2) + 1);
}

void http_bytes(struct evhttp_request *req, int code, const char *type,
		const void *buf, size_t len)
{
	struct evbuffer *b = evbuffer_new();

	if (!b) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	evbuffer_add(b, buf, len);
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", type);
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
	http_count(code);
}

json_t *http_body_json(struct opsd *o, struct evhttp_request *req)
{
	struct evbuffer *b = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(b);
	json_error_t e;
	json_t *j;

	if (n > o->cfg.max_body) {
		http_error(
			req, 413,
			"request body of %zu bytes exceeds the limit of %u bytes",
			n, o->cfg.max_body);
		return NULL;
	}
	if (!n) {
		http_error(req, 400,
			   "empty request body (a JSON object is expected)");
		return NULL;
	}
	j = json_loadb((const char *)evbuffer_pullup(b, -1), n,
		       JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		http_error(req, 400, "malformed JSON at line %d column %d: %s",
			   e.line, e.column, e.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_error(req, 400, "request body must be a JSON object");
		return NULL;
	}
	return j;
}

int http_query(struct evhttp_request *req, const char *name, char *out,
	       size_t len)
{
	const char *q =
		evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq kv;
	const char *v;
	int rc = -1;

	if (!q)
		return -1;
	TAILQ_INIT(&kv);
	if (evhttp_parse_query_str(q, &kv))
		return -1;
	v = evhttp_find_header(&kv, name);
	if (v && strlen(v) < len) {
		memcpy(out, v, strlen(v) + 1);
		rc = 0;
	}
	evhttp_clear_headers(&kv);
	return rc;
}

struct route {
	enum evhttp_cmd_type method;
	const char *pattern; /* '*' matches one path segment, passed as arg */
	route_fn *fn;
};

static const struct route routes[] = {
	{ EVHTTP_REQ_POST, "/api/v1/register", h_register },
	{ EVHTTP_REQ_GET, "/api/v1/tasks", h_tasks },
	{ EVHTTP_REQ_POST, "/api/v1/reports", h_reports },
	{ EVHTTP_REQ_GET, "/api/v1/keys", h_keys },
	{ EVHTTP_REQ_POST, "/api/v1/regions/*/key", h_region_key },
	{ EVHTTP_REQ_POST, "/api/v1/releases", h_release_publish },
	{ EVHTTP_REQ_GET, "/api/v1/releases", h_releases_list },
	{ EVHTTP_REQ_PUT, "/api/v1/releases/*/payload", h_release_payload_put },
	{ EVHTTP_REQ_GET, "/api/v1/releases/*/payload", h_release_payload_get },
	{ EVHTTP_REQ_GET, "/api/v1/releases/*/manifest", h_release_manifest },
	{ EVHTTP_REQ_GET, "/api/v1/releases/*/signature", h_release_signature },
	{ EVHTTP_REQ_POST, "/api/v1/rollouts", h_rollout_start },
	{ EVHTTP_REQ_POST, "/api/v1/rollouts/*/cancel", h_rollout_cancel },
	{ EVHTTP_REQ_GET, "/api/v1/status", h_status },
	{ EVHTTP_REQ_GET, "/api/v1/audit", h_audit },
	{ EVHTTP_REQ_DELETE, "/api/v1/nodes/*", h_node_delete },
	{ EVHTTP_REQ_GET, "/metrics", h_metrics },
	{ EVHTTP_REQ_GET, "/", h_page },
};

/* Match @path against @pat; the '*' segment is copied to @arg. */
static int match(const char *pat, const char *path, char *arg, size_t arglen)
{
	while (*pat && *path) {
		if (*pat == '*') {
			size_t n = strcspn(path, "/");

			if (!n || n >= arglen)
				return 0;
			memcpy(arg, path, n);
			arg[n] = 0;
			path += n;
			pat++;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return !*pat && !*path;
}

static void dispatch(struct evhttp_request *req, void *arg)
{
	struct opsd *o = arg;
	const char *path =
		evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	char seg[128] = "";
	int path_found = 0;
	size_t i;

	if (!path)
		path = "/";
	if (o->stopping) {
		http_error(req, 503, "server shutting down");
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!match(routes[i].pattern, path, seg, sizeof(seg)))
			continue;
		path_found = 1;
		if (routes[i].method == m) {
			routes[i].fn(o, req, seg);
			return;
		}
	}
	if (path_found)
		http_error(req, 405, "%s: method not allowed", path);
	else
		http_error(req, 404, "%s: no such endpoint", path);
}

/* "TLS: PATH: why", the file's own error first (OpenSSL's reason is vague for those). */
static void tls_err(char *err, size_t errlen, const char *path)
{
	unsigned long e = ERR_get_error();
	const char *why = e ? ERR_reason_error_string(e) : NULL;

	if (access(path, R_OK))
		why = strerror(errno);
	snprintf(err, errlen, "TLS: %s: %s", path, why ? why : "not usable");
	ERR_clear_error();
}

static SSL_CTX *tls_ctx(const struct opsd_config *c, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		snprintf(err, errlen, "TLS: cannot create context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	/* TLS 1.2 with forward-secret AEAD suites only; TLS 1.3's defaults. */
	if (SSL_CTX_set_cipher_list(ctx, OPSD_TLS12_CIPHERS) != 1) {
		snprintf(err, errlen, "TLS: cipher list not supported");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1) {
		tls_err(err, errlen, c->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tls_err(err, errlen, c->key);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int http_tls(struct opsd *o, char *err, size_t errlen)
{
	if (conn_init()) {
		snprintf(err, errlen, "TLS: cannot track connections");
		return -1;
	}
	o->ssl = tls_ctx(&o->cfg, err, errlen);
	return o->ssl ? 0 : -1;
}

int http_start(struct opsd *o, char *err, size_t errlen)
{
	struct evhttp_bound_socket *bound;
	int one = 1;

	http_opsd = o;
	o->http = evhttp_new(o->base);
	if (!o->http) {
		snprintf(err, errlen, "cannot create HTTP server");
		return -1;
	}
	evhttp_set_bevcb(o->http, bev_new, o);
	evhttp_set_gencb(o->http, dispatch, o);
	evhttp_set_allowed_methods(o->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
						    EVHTTP_REQ_PUT |
						    EVHTTP_REQ_DELETE);
	evhttp_set_timeout(o->http, (int)o->cfg.timeout_s);
	evhttp_set_max_headers_size(o->http, 16384);
	/*
	 * libevent reads a whole body before any handler (and token check)
	 * runs: before a token is checked, bodies stop at max_body; an admin's
	 * connection may then send upload chunks (conn_trust).
	 */
	evhttp_set_max_body_size(o->http, (ev_ssize_t)o->cfg.max_body);
	bound = evhttp_bind_socket_with_handle(o->http, o->cfg.listen,
					       (ev_uint16_t)o->cfg.listen_port);
	if (!bound) {
		snprintf(err, errlen, "cannot listen on %s:%u", o->cfg.listen,
			 o->cfg.listen_port);
		return -1;
	}
	o->listener = evhttp_bound_socket_get_listener(bound);
	conn_listen(o);
	/*
	 * No Nagle: a reply goes out as several TLS records, and the client's
	 * delayed ACK would hold the last one ~40 ms. Accepted sockets inherit it.
	 */
	setsockopt(evconnlistener_get_fd(o->listener), IPPROTO_TCP, TCP_NODELAY,
		   &one, sizeof(one));
	olog_info("listening on https://%s:%u", o->cfg.listen,
		  o->cfg.listen_port);
	return 0;
}

void http_stop(struct opsd *o)
{
	/* evhttp_free frees the listener; conn_freed must not touch it. */
	o->listener = NULL;
	conn_stop(o);
	CLEAR_PTR(o->http, evhttp_free);
	CLEAR_PTR(o->ssl, SSL_CTX_free);
}
