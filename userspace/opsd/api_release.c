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

/* Load a published release's manifest (parsed) and payload flag; 404/500 replied on error. */
static int load_release(struct opsd *o, struct evhttp_request *req,
			const char *version, struct release_manifest *m,
			int *payload)
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

void h_release_payload_put(struct opsd *o, struct evhttp_request *req,
			   const char *arg)
{
	struct evbuffer *b = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(b);
	struct release_manifest *m;
	struct release_hash h;
	char err[256], path[OPSD_PATH_MAX + 80], detail[256];
	sqlite3_stmt *st;
	int payload, rc;

	if (auth_admin(o, req))
		return;
	m = calloc(1, sizeof(*m));
	if (!m) {
		http_error(req, 500, "out of memory");
		return;
	}
	if (load_release(o, req, arg, m, &payload))
		goto out;
	if (payload) {
		http_error(req, 409, "release %s: payload already uploaded",
			   m->version);
		goto out;
	}
	if (n != m->size) {
		http_error(req, n > m->size ? 413 : 400,
			   "release %s: payload is %zu bytes, the "
			   "signed manifest says %" PRIu64,
			   m->version, n, m->size);
		goto out;
	}
	if (release_hash_init(&h, m->size)) {
		http_error(req, 500, "out of memory");
		goto out;
	}
	rc = release_hash_update(&h, evbuffer_pullup(b, -1), n);
	if (rc || release_hash_final(&h, m, err, sizeof(err))) {
		if (rc)
			release_hash_free(&h);
		http_error(req, 400, "release %s: payload rejected: %s",
			   m->version, rc ? "larger than signed" : err);
		goto out;
	}
	if (release_payload_path(o, m->version, path, sizeof(path)) ||
	    (mkdir(o->cfg.packages, 0755) && errno != EEXIST) ||
	    release_write_file(path, evbuffer_pullup(b, -1), n, 0644, err,
			       sizeof(err))) {
		http_error(req, 500, "release %s: cannot store payload in %s",
			   m->version, o->cfg.packages);
		goto out;
	}
	if (db_begin(o->db))
		goto dberr;
	st = db_prep(o->db,
		     "UPDATE releases SET payload = 1 WHERE version = ?");
	if (!st)
		goto dberr;
	sqlite3_bind_text(st, 1, m->version, -1, SQLITE_STATIC);
	snprintf(detail, sizeof(detail),
		 "release %s payload stored (%zu bytes)", m->version, n);
	if (db_run(st) || db_audit(o->db, "release_payload", detail) ||
	    db_commit(o->db))
		goto dberr;
	olog_info("%s", detail);
	http_json(req, 200,
		  json_pack("{s:s,s:I,s:s,s:b}", "version", m->version, "size",
			    (json_int_t)n, "sha256", m->sha256_hex, "payload",
			    1));
	goto out;
dberr:
	db_rollback(o->db);
	unlink(path);
	http_error(req, 500, "release %s: database error", m->version);
out:
	free(m);
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
