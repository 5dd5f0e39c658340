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

#include "clock.h"
#include "auth.h"
#include "db.h"
#include "http.h"
#include "jfield.h"
#include "olog.h"
#include "opsd.h"
#include "release.h"
#include "routes.h"

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

void h_release_publish(struct opsd *o, struct evhttp_request *req,
		       const char *arg)
{
	static const char *const fields[] = { "manifest", "signature", NULL };
	unsigned char *man = NULL;
	char sig[RELEASE_SIG_B64_LEN + 8], err[512] = "", used[512] = "",
					   detail[256];
	struct release_manifest *m = NULL;
	const char *b64;
	size_t mlen;
	sqlite3_stmt *st;
	json_t *body;
	int code = 400, rc;

	(void)arg;
	if (auth_admin(o, req))
		return;
	body = http_body_json(o, req);
	if (!body)
		return;
	if (jf_only(body, fields, err, sizeof(err)) ||
	    jf_str(body, "signature", sig, RELEASE_SIG_B64_LEN + 4, err,
		   sizeof(err)))
		goto bad;
	b64 = json_string_value(json_object_get(body, "manifest"));
	man = malloc(RELEASE_MANIFEST_MAX + 3);
	if (!man) {
		code = 500;
		snprintf(err, sizeof(err), "out of memory");
		goto bad;
	}
	if (!b64 ||
	    b64_decode(b64, strlen(b64), man, RELEASE_MANIFEST_MAX, &mlen)) {
		snprintf(err, sizeof(err),
			 "manifest: must be the manifest file's exact bytes in "
			 "base64, at most %d bytes",
			 RELEASE_MANIFEST_MAX);
		goto bad;
	}
	/* The signature covers the bytes as received, before any parsing. */
	rc = release_verify(man, mlen, sig, o->cfg.release_keys, used,
			    sizeof(used), err, sizeof(err));
	if (rc) {
		code = rc == -ENOKEY ? 500 : 400;
		goto bad;
	}
	m = calloc(1, sizeof(*m));
	if (!m || release_manifest_parse(man, mlen, m, err, sizeof(err)))
		goto bad;
	if (m->size > o->cfg.max_payload) {
		code = 413;
		snprintf(err, sizeof(err),
			 "release %s: payload of %" PRIu64 " bytes exceeds "
			 "server.max_payload (%" PRIu64 ")",
			 m->version, m->size, o->cfg.max_payload);
		goto bad;
	}
	if (db_begin(o->db)) {
		code = 500;
		snprintf(err, sizeof(err), "database busy");
		goto bad;
	}
	st = db_prep(o->db, "SELECT COUNT(*) FROM releases WHERE version = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, m->version, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc) {
		code = rc < 0 ? 500 : 409;
		snprintf(err, sizeof(err), "release %s: already published",
			 m->version);
		goto rollback;
	}
	st = db_prep(
		o->db,
		"INSERT INTO releases(version, manifest, signature, sha256, size, "
		"range, summary, created) VALUES(?,?,?,?,?,?,?,?)");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, m->version, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, man, (int)mlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sig, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->sha256_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)m->size);
	sqlite3_bind_text(st, 6, m->range, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, m->summary, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (int64_t)opsd_now_ns());
	if (db_run(st))
		goto dberr;
	snprintf(detail, sizeof(detail),
		 "release %s published (%" PRIu64 " bytes, key %s)", m->version,
		 m->size, basename(used));
	if (db_audit(o->db, "release_publish", detail) || db_commit(o->db))
		goto dberr;
	olog_info("%s", detail);
	http_json(req, 201,
		  json_pack("{s:s,s:s,s:s,s:I,s:b,s:s}", "version", m->version,
			    "range", m->range, "sha256", m->sha256_hex, "size",
			    (json_int_t)m->size, "payload", 0, "key",
			    basename(used)));
	free(m);
	free(man);
	json_decref(body);
	return;
dberr:
	code = 500;
	snprintf(err, sizeof(err), "database error");
rollback:
	db_rollback(o->db);
bad:
	free(m);
	free(man);
	json_decref(body);
	http_error(req, code, "release: %s", err);
}

int load_release(struct opsd *o, struct evhttp_request *req,
		 const char *version, struct release_manifest *m, int *payload)
{
	sqlite3_stmt *st;
	struct semver sv;
	char err[256];
	int rc = -1;

	if (semver_parse(version, &sv, err, sizeof(err))) {
		http_error(req, 400, "release: %s", err);
		return -1;
	}
	st = db_prep(
		o->db,
		"SELECT manifest, payload FROM releases WHERE version = ?");
	if (!st) {
		http_error(req, 500, "database error");
		return -1;
	}
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		http_error(req, 404, "release %s: not published", version);
	else if (release_manifest_parse(sqlite3_column_blob(st, 0),
					(size_t)sqlite3_column_bytes(st, 0), m,
					err, sizeof(err)))
		http_error(req, 500, "release %s: stored manifest: %s", version,
			   err);
	else {
		*payload = sqlite3_column_int(st, 1);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int release_payload_path(struct opsd *o, const char *version, char *out,
			 size_t len)
{
	return snprintf(out, len, "%s/%s.pkg", o->cfg.packages, version) >=
			       (int)len ?
		       -1 :
		       0;
}

void h_releases_list(struct opsd *o, struct evhttp_request *req,
		     const char *arg)
{
	sqlite3_stmt *st;
	json_t *a;

	(void)arg;
	if (auth_admin(o, req))
		return;
	st = db_prep(
		o->db,
		"SELECT version, range, summary, sha256, size, payload, created "
		"FROM releases ORDER BY created");
	if (!st) {
		http_error(req, 500, "database error");
		return;
	}
	a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:I}", "version",
				     db_text(st, 0), "range", db_text(st, 1),
				     "summary", db_text(st, 2), "sha256",
				     db_text(st, 3), "size",
				     (json_int_t)sqlite3_column_int64(st, 4),
				     "payload", sqlite3_column_int(st, 5),
				     "created_ns",
				     (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_finalize(st);
	http_json(req, 200, json_pack("{s:o}", "releases", a));
}
