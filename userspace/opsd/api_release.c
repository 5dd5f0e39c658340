// SPDX-License-Identifier: GPL-2.0
/* rup-opsd release catalogue: publish a signed manifest, upload its payload, list. */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "http.h"
#include "jfield.h"
#include "olog.h"
#include "opsd.h"
#include "release.h"
#include "routes.h"
#include "store.h"

/* Strict base64 (RFC 4648, padded) of at most @max decoded bytes; -1 when malformed. */
static int b64_decode(const char *in, size_t len, unsigned char *out,
		      size_t max, size_t *n)
{
	int got;
	size_t pad = 0;

	if (!len || len % 4 || len / 4 * 3 > max + 2)
		return -1;
	got = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (got < 0)
		return -1;
	if (in[len - 1] == '=')
		pad++;
	if (in[len - 2] == '=')
		pad++;
	*n = (size_t)got - pad;
	return *n > max ? -1 : 0;
}

struct publish {
	unsigned char *man;
	size_t mlen;
	char sig[RELEASE_SIG_B64_LEN + 8], used[512];
	struct release_manifest m;
};

/* The manifest's bytes as received, and its signature; 400 or 500 on error. */
static int parse(json_t *body, struct publish *p, char *err, size_t errlen)
{
	static const char *const fields[] = { "manifest", "signature", NULL };
	const char *b64;

	if (jf_only(body, fields, err, errlen) ||
	    jf_str(body, "signature", p->sig, RELEASE_SIG_B64_LEN + 4, err,
		   errlen))
		return 400;
	b64 = json_string_value(json_object_get(body, "manifest"));
	p->man = malloc(RELEASE_MANIFEST_MAX + 3);
	if (!p->man) {
		snprintf(err, errlen, "out of memory");
		return 500;
	}
	if (!b64 || b64_decode(b64, strlen(b64), p->man, RELEASE_MANIFEST_MAX,
			       &p->mlen)) {
		snprintf(err, errlen,
			 "manifest: must be the manifest file's exact bytes in "
			 "base64, at most %d bytes",
			 RELEASE_MANIFEST_MAX);
		return 400;
	}
	return 0;
}

/* Signed by a trusted key, well formed, within server.max_payload. */
static int check(struct opsd *o, struct publish *p, char *err, size_t errlen)
{
	/* The signature covers the bytes as received, before any parsing. */
	int rc = release_verify(p->man, p->mlen, p->sig, o->cfg.release_keys,
				p->used, sizeof(p->used), err, errlen);

	if (rc)
		return rc == -ENOKEY ? 500 : 400;
	if (release_manifest_parse(p->man, p->mlen, &p->m, err, errlen))
		return 400;
	if (p->m.size > o->cfg.max_payload) {
		snprintf(err, errlen,
			 "release %s: payload of %" PRIu64 " bytes exceeds "
			 "server.max_payload (%" PRIu64 ")",
			 p->m.version, p->m.size, o->cfg.max_payload);
		return 413;
	}
	return 0;
}

static int publish(struct opsd *o, struct publish *p, char *err, size_t errlen)
{
	const struct store_release r = {
		.version = p->m.version,
		.signature = p->sig,
		.sha256 = p->m.sha256_hex,
		.range = p->m.range,
		.summary = p->m.summary,
		.manifest = p->man,
		.manifest_len = p->mlen,
		.size = p->m.size,
	};
	char detail[256];
	enum store_rc rc;

	snprintf(detail, sizeof(detail),
		 "release %s published (%" PRIu64 " bytes, key %s)",
		 p->m.version, p->m.size, basename(p->used));
	rc = store_release_publish(o->st, &r, detail);
	if (rc == STORE_CONFLICT) {
		snprintf(err, errlen, "release %s: already published",
			 p->m.version);
		return 409;
	}
	if (rc) {
		snprintf(err, errlen,
			 rc == STORE_BUSY ? "database busy" : "database error");
		return 500;
	}
	olog_info("%s", detail);
	return 0;
}

static int publish_steps(struct opsd *o, json_t *body, struct publish *p,
			 char *err, size_t errlen)
{
	int code;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return 500;
	}
	code = parse(body, p, err, errlen);
	if (!code)
		code = check(o, p, err, errlen);
	if (!code)
		code = publish(o, p, err, errlen);
	return code;
}

void h_release_publish(struct opsd *o, struct evhttp_request *req,
		       const char *arg)
{
	struct publish *p;
	char err[512] = "";
	json_t *body;
	int code;

	(void)arg;
	body = auth_admin_body(o, req);
	if (!body)
		return;
	p = calloc(1, sizeof(*p));
	code = publish_steps(o, body, p, err, sizeof(err));
	json_decref(body);
	if (code)
		http_error(req, code, "release: %s", err);
	else
		http_json(req, 201,
			  json_pack("{s:s,s:s,s:s,s:I,s:b,s:s}", "version",
				    p->m.version, "range", p->m.range, "sha256",
				    p->m.sha256_hex, "size",
				    (json_int_t)p->m.size, "payload", 0, "key",
				    basename(p->used)));
	if (p)
		free(p->man);
	free(p);
}

int load_release(struct opsd *o, struct evhttp_request *req,
		 const char *version, struct release_manifest *m, int *payload)
{
	struct store_release_row r;
	struct semver sv;
	enum store_rc rc;
	char err[256];
	int ret = -1;

	if (semver_parse(version, &sv, err, sizeof(err))) {
		http_error(req, 400, "release: %s", err);
		return -1;
	}
	rc = store_release_get(o->st, version, &r);
	if (rc == STORE_NOT_FOUND)
		http_error(req, 404, "release %s: not published", version);
	else if (rc)
		http_error(req, 500, "database error");
	else if (release_manifest_parse(r.manifest, r.manifest_len, m, err,
					sizeof(err)))
		http_error(req, 500, "release %s: stored manifest: %s", version,
			   err);
	else {
		*payload = r.payload;
		ret = 0;
	}
	store_release_row_free(&r);
	return ret;
}

int release_payload_path(struct opsd *o, const char *version, char *out,
			 size_t len)
{
	return snprintf(out, len, "%s/%s.pkg", o->cfg.packages, version) >=
			       (int)len ?
		       -1 :
		       0;
}

static void list_one(void *arg, const struct store_release_info *r)
{
	json_array_append_new(
		arg, json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:I}", "version",
			       r->version, "range", r->range, "summary",
			       r->summary, "sha256", r->sha256, "size",
			       (json_int_t)r->size, "payload", r->payload,
			       "created_ns", (json_int_t)r->created));
}

void h_releases_list(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	json_t *a;

	(void)arg;
	if (auth_admin(o, req))
		return;
	a = json_array();
	if (store_releases_each(o->st, list_one, a)) {
		json_decref(a);
		http_error(req, 500, "database error");
		return;
	}
	http_json(req, 200, json_pack("{s:o}", "releases", a));
}
