// SPDX-License-Identifier: GPL-2.0
/* The HTTPS requests of `rupctl ops` (libcurl), docs/API.md. */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ops.h"
#include "release.h"
#include "rupctl.h"
#include "url.h"

#define REPLY_MAX (64u << 20)

struct buf {
	char *p;
	size_t n;
};

static size_t on_data(char *d, size_t sz, size_t nm, void *arg)
{
	struct buf *b = arg;
	size_t n = sz * nm;
	char *p;

	if (b->n + n > REPLY_MAX)
		return 0;
	p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, d, n);
	b->p = p;
	b->n += n;
	p[b->n] = 0;
	return n;
}

static void set_body(CURL *c, const char *body, const struct upload *up)
{
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (up) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, up->data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)up->len);
	}
}

/* The reply of a finished transfer: parsed JSON, or an exit code. */
static int take_reply(const char *what, long code, struct buf *b,
		      json_t **reply)
{
	char err[256];

	*reply = b->n ? api_load(b->p, b->n, what, err, sizeof(err)) :
			json_object();
	if (code >= 400) {
		struct api_error e;
		bool ok = *reply &&
			  !api_error_decode(*reply, &e, err, sizeof(err));

		rupctl_err("ops: %s: HTTP %ld: %s", what, code,
			   ok ? e.error : (b->p ? b->p : ""));
		json_decref(*reply);
		*reply = NULL;
		return RUPCTL_EXIT_REFUSED;
	}
	if (!*reply) {
		rupctl_err("ops: %s: HTTP %ld with a reply that is not JSON",
			   what, code);
		return RUPCTL_EXIT_UNREACHABLE;
	}
	return 0;
}

/*
 * One handle for every request of a command, so they share one connection:
 * the server takes an upload chunk only on a connection whose admin token
 * it has already checked (docs/API.md, "Limits").
 */
static CURL *shared;

void ops_http_close(void)
{
	if (shared)
		curl_easy_cleanup(shared);
	shared = NULL;
}

static CURL *handle(void)
{
	if (!shared)
		shared = curl_easy_init();
	else
		curl_easy_reset(shared);
	return shared;
}

int ops_request(const struct ops *o, const char *what, const char *method,
		const char *path, const char *body, const struct upload *up,
		json_t **reply)
{
	struct curl_slist *h = NULL;
	struct buf b = { NULL, 0 };
	char *url, auth[600], cerr[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURL *c;
	int rc;

	*reply = NULL;
	if (url_join(o->server, path, &url)) {
		rupctl_err("ops: %s: bad server URL %s", what, o->server);
		return RUPCTL_EXIT_USAGE;
	}
	c = handle();
	if (!c) {
		free(url);
		rupctl_err("ops: %s: cannot start libcurl", what);
		return RUPCTL_EXIT_UNREACHABLE;
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o->token);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, up ? "Content-Type: application/octet-stream" :
				      "Content-Type: application/json");
	if (up && up->range)
		h = curl_slist_append(h, up->range);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (o->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	set_body(c, body, up);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* The kept handle must not point at this frame's buffers. */
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	free(url);
	/* The header held the token: wipe it. */
	OPENSSL_cleanse(auth, sizeof(auth));
	if (rc != CURLE_OK) {
		rupctl_err("ops: %s: %s: %s", what, o->server,
			   cerr[0] ? cerr : curl_easy_strerror(rc));
		rc = RUPCTL_EXIT_UNREACHABLE;
	} else {
		rc = take_reply(what, code, &b, reply);
	}
	free(b.p);
	return rc;
}

int ops_read_file(const char *path, size_t max, char **out, size_t *len)
{
	char err[256];
	int rc = release_read_file(path, max, out, len, err, sizeof(err));

	if (rc)
		rupctl_err("ops: %s", err);
	return rc ? RUPCTL_EXIT_IO : 0;
}
