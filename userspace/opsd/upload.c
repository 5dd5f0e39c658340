// SPDX-License-Identifier: GPL-2.0
/*
 * rup-opsd PUT /api/v1/releases/V/payload: the payload of a published
 * release, whole or in chunks (Content-Range: bytes FIRST-LAST/SIZE, in
 * order), so no single request body exceeds server.max_chunk. Chunks go to
 * <packages>/V.part; after the last one the whole file is checked against
 * the signed manifest (size, SHA-256) and renamed to V.pkg.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "http.h"
#include "olog.h"
#include "opsd.h"
#include "release.h"
#include "routes.h"

/* "bytes a-b/total": 1 parsed, 0 absent, -1 malformed. */
static int content_range(const char *h, uint64_t *a, uint64_t *b,
			 uint64_t *total)
{
	unsigned long long x, y, z;
	int used = 0;

	if (!h)
		return 0;
	if (sscanf(h, "bytes %llu-%llu/%llu%n", &x, &y, &z, &used) != 3 ||
	    h[used] || y < x || y >= z)
		return -1;
	*a = x;
	*b = y;
	*total = z;
	return 1;
}

/* Append the body to @fd; 0 or -1 (errno). */
static int write_body(int fd, struct evbuffer *body)
{
	struct evbuffer_iovec v[16];
	int n, i;

	while ((n = evbuffer_peek(body, -1, NULL, v, 16)) > 0) {
		size_t done = 0;

		if (n > 16)
			n = 16;
		for (i = 0; i < n; i++) {
			const char *p = v[i].iov_base;
			size_t left = v[i].iov_len;

			while (left) {
				ssize_t w = write(fd, p, left);

				if (w < 0 && errno == EINTR)
					continue;
				if (w < 0)
					return -1;
				p += w;
				left -= (size_t)w;
			}
			done += v[i].iov_len;
		}
		evbuffer_drain(body, done);
	}
	return fsync(fd);
}

static int mark_stored(struct opsd *o, const char *version, uint64_t size)
{
	char detail[160];
	sqlite3_stmt *st;

	if (db_begin(o->db))
		return -1;
	st = db_prep(o->db,
		     "UPDATE releases SET payload = 1 WHERE version = ?");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_TRANSIENT);
	snprintf(detail, sizeof(detail),
		 "release %s payload stored (%" PRIu64 " bytes)", version,
		 size);
	if (db_run(st) || db_audit(o->db, "release_payload", detail) ||
	    db_commit(o->db))
		goto fail;
	olog_info("%s", detail);
	return 0;
fail:
	db_rollback(o->db);
	return -1;
}

void h_release_payload_put(struct opsd *o, struct evhttp_request *req,
			   const char *arg)
{
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	uint64_t n = evbuffer_get_length(body), a = 0, b, total;
	char err[256], pkg[OPSD_PATH_MAX + 80], part[OPSD_PATH_MAX + 88];
	struct release_manifest *m;
	struct stat sb;
	int payload, cr, fd = -1;

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
	cr = content_range(
		evhttp_find_header(evhttp_request_get_input_headers(req),
				   "Content-Range"),
		&a, &b, &total);
	if (cr < 0) {
		http_error(
			req, 400,
			"release %s: Content-Range must be bytes FIRST-LAST/SIZE",
			m->version);
		goto out;
	}
	if (!cr) {
		b = n ? n - 1 : 0;
		total = n;
	}
	if (total != m->size) {
		http_error(req, total > m->size ? 413 : 400,
			   "release %s: payload is %" PRIu64
			   " bytes, the signed manifest "
			   "says %" PRIu64,
			   m->version, total, m->size);
		goto out;
	}
	if (!n || b - a + 1 != n) {
		http_error(req, 400,
			   "release %s: bytes %" PRIu64 "-%" PRIu64
			   " announced, %" PRIu64 " in the body",
			   m->version, a, b, n);
		goto out;
	}
	if (release_payload_path(o, m->version, pkg, sizeof(pkg)) ||
	    snprintf(part, sizeof(part), "%s.part", pkg) >= (int)sizeof(part) ||
	    (mkdir(o->cfg.packages, 0755) && errno != EEXIST)) {
		http_error(req, 500,
			   "release %s: cannot use the package folder %s",
			   m->version, o->cfg.packages);
		goto out;
	}
	/* Byte 0 (re)starts an upload; a later chunk must continue where it stopped. */
	fd = open(part,
		  a ? O_WRONLY | O_APPEND | O_CLOEXEC :
		      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0644);
	if (fd < 0 && a && errno == ENOENT) {
		http_error(req, 409,
			   "release %s: no upload in progress; start at byte 0",
			   m->version);
		goto out;
	}
	if (fd < 0 || fstat(fd, &sb)) {
		http_error(req, 500, "release %s: %s: %s", m->version, part,
			   strerror(errno));
		goto out;
	}
	if ((uint64_t)sb.st_size != a) {
		http_error(req, 409,
			   "release %s: upload continues at byte %" PRIu64
			   ", not %" PRIu64,
			   m->version, (uint64_t)sb.st_size, a);
		goto out;
	}
	if (write_body(fd, body)) {
		http_error(req, 500, "release %s: writing %s: %s", m->version,
			   part, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (b + 1 < total) {
		http_json(req, 202,
			  json_pack("{s:s,s:I,s:I}", "version", m->version,
				    "received", (json_int_t)(b + 1), "size",
				    (json_int_t)total));
		goto out;
	}
	/* Complete: the file as stored is what nodes get, so check that file. */
	if (release_verify_payload(m, part, err, sizeof(err))) {
		unlink(part);
		http_error(req, 400, "release %s: payload rejected: %s",
			   m->version, err);
		goto out;
	}
	if (rename(part, pkg)) {
		http_error(req, 500, "release %s: %s: %s", m->version, pkg,
			   strerror(errno));
		goto out;
	}
	if (mark_stored(o, m->version, total)) {
		unlink(pkg);
		http_error(req, 500, "release %s: database error", m->version);
		goto out;
	}
	http_json(req, 200,
		  json_pack("{s:s,s:I,s:s,s:b}", "version", m->version, "size",
			    (json_int_t)total, "sha256", m->sha256_hex,
			    "payload", 1));
out:
	if (fd >= 0)
		close(fd);
	free(m);
}
