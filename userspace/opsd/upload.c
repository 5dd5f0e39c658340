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

#include "api.h"
#include "auth.h"
#include "http.h"
#include "olog.h"
#include "offload.h"
#include "opsd.h"
#include "release.h"
#include "routes.h"
#include "store.h"

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

/* fsync folder @dir, so a rename in it survives a crash. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int mark_stored(struct opsd *o, const char *version, uint64_t size)
{
	char detail[160];

	snprintf(detail, sizeof(detail),
		 "release %s payload stored (%" PRIu64 " bytes)", version,
		 size);
	if (store_release_payload_stored(o->st, version, detail))
		return -1;
	olog_info("%s", detail);
	return 0;
}

struct upload {
	struct opsd *o;
	struct evhttp_request *req;
	struct release_manifest m;
	uint64_t n, a, b, total; /* body bytes; bytes a..b of total */
	char pkg[OPSD_PATH_MAX + 80], part[OPSD_PATH_MAX + 88];
	/* The job, done off the loop (offload.h): */
	struct evbuffer *body; /* the chunk, moved out of the request */
	int fd; /* the .part file */
	bool last; /* the chunk completes the payload */
	int err; /* errno of a failed write */
	char why[256]; /* a rejected payload */
};

/* The chunk's place in the payload, checked against the manifest; on failure the reply is sent. */
static int chunk_range(struct evhttp_request *req, struct upload *u)
{
	int cr = content_range(
		evhttp_find_header(evhttp_request_get_input_headers(req),
				   "Content-Range"),
		&u->a, &u->b, &u->total);

	if (cr < 0) {
		http_error(
			req, 400,
			"release %s: Content-Range must be bytes FIRST-LAST/SIZE",
			u->m.version);
		return -1;
	}
	if (!cr) {
		u->b = u->n ? u->n - 1 : 0;
		u->total = u->n;
	}
	if (u->total != u->m.size) {
		http_error(req, u->total > u->m.size ? 413 : 400,
			   "release %s: payload is %" PRIu64
			   " bytes, the signed manifest "
			   "says %" PRIu64,
			   u->m.version, u->total, u->m.size);
		return -1;
	}
	if (!u->n || u->b - u->a + 1 != u->n) {
		http_error(req, 400,
			   "release %s: bytes %" PRIu64 "-%" PRIu64
			   " announced, %" PRIu64 " in the body",
			   u->m.version, u->a, u->b, u->n);
		return -1;
	}
	return 0;
}

/* The .part file open where this chunk goes; on failure the reply is sent, -1. */
static int open_part(struct opsd *o, struct evhttp_request *req,
		     struct upload *u)
{
	struct stat sb;
	int fd;

	if (release_payload_path(o, u->m.version, u->pkg, sizeof(u->pkg)) ||
	    snprintf(u->part, sizeof(u->part), "%s.part", u->pkg) >=
		    (int)sizeof(u->part) ||
	    (mkdir(o->cfg.packages, 0755) && errno != EEXIST)) {
		http_error(req, 500,
			   "release %s: cannot use the package folder %s",
			   u->m.version, o->cfg.packages);
		return -1;
	}
	/* Byte 0 (re)starts an upload; a later chunk must continue where it stopped. */
	fd = open(u->part,
		  u->a ? O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW :
			 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0 && u->a && errno == ENOENT) {
		http_error(req, 409,
			   "release %s: no upload in progress; start at byte 0",
			   u->m.version);
		return -1;
	}
	if (fd < 0 || fstat(fd, &sb)) {
		http_error(req, 500, "release %s: %s: %s", u->m.version,
			   u->part, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((uint64_t)sb.st_size != u->a) {
		http_error(req, 409,
			   "release %s: upload continues at byte %" PRIu64
			   ", not %" PRIu64,
			   u->m.version, (uint64_t)sb.st_size, u->a);
		close(fd);
		return -1;
	}
	return fd;
}

/* A chunk taken (202, bytes received so far) or the payload complete (200). */
static void reply(struct evhttp_request *req, const struct upload *u, bool done)
{
	struct api_upload m = { .done = done,
				.received = u->b + 1,
				.size = u->total };

	snprintf(m.version, sizeof(m.version), "%s", u->m.version);
	if (done)
		snprintf(m.sha256, sizeof(m.sha256), "%s", u->m.sha256_hex);
	http_json(req, done ? 200 : 202, api_upload_encode(&m));
}

/* Off the loop: write and fsync the chunk; after the last, check and rename. */
static void job_work(void *arg)
{
	struct upload *u = arg;

	if (write_body(u->fd, u->body))
		u->err = errno;
	close(u->fd);
	u->fd = -1;
	if (u->err || !u->last)
		return;
	/* The file as stored is what nodes get, so check that file. */
	if (release_verify_payload(&u->m, u->part, u->why, sizeof(u->why))) {
		unlink(u->part);
		return;
	}
	if (rename(u->part, u->pkg) || sync_dir(u->o->cfg.packages))
		u->err = errno;
}

/* Back on the loop: record and reply. */
static void job_done(void *arg)
{
	struct upload *u = arg;
	struct opsd *o = u->o;

	o->upload_busy = false;
	if (u->err)
		http_error(u->req, 500, "release %s: storing %s: %s",
			   u->m.version, u->last ? u->pkg : u->part,
			   strerror(u->err));
	else if (u->why[0])
		http_error(u->req, 400, "release %s: payload rejected: %s",
			   u->m.version, u->why);
	else if (!u->last)
		reply(u->req, u, false);
	else if (mark_stored(o, u->m.version, u->total)) {
		unlink(u->pkg);
		http_error(u->req, 500, "release %s: database error",
			   u->m.version);
	} else {
		reply(u->req, u, true);
	}
	evbuffer_free(u->body);
	free(u);
}

/* Hand the chunk to a thread; 0 when it owns @u now, -1 with the reply sent. */
static int start_job(struct opsd *o, struct evhttp_request *req,
		     struct upload *u, struct evbuffer *body)
{
	u->fd = open_part(o, req, u);
	if (u->fd < 0)
		return -1;
	u->o = o;
	u->req = req;
	u->last = u->b + 1 >= u->total;
	u->body = evbuffer_new();
	if (u->body && !evbuffer_add_buffer(u->body, body) &&
	    !offload(o, job_work, job_done, u)) {
		o->upload_busy = true;
		return 0;
	}
	close(u->fd);
	if (u->body)
		evbuffer_free(u->body);
	http_error(req, 503, "release %s: cannot start writing; retry",
		   u->m.version);
	return -1;
}

void h_release_payload_put(struct opsd *o, struct evhttp_request *req,
			   const char *arg)
{
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	struct upload *u;
	int payload;

	if (auth_admin(o, req))
		return;
	/* One chunk at a time: they append to one file in order. */
	if (o->upload_busy) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Retry-After", "1");
		http_error(req, 503,
			   "another upload chunk is being stored; retry");
		return;
	}
	u = calloc(1, sizeof(*u));
	if (!u) {
		http_error(req, 500, "out of memory");
		return;
	}
	u->n = evbuffer_get_length(body);
	if (load_release(o, req, arg, &u->m, &payload))
		goto out;
	if (payload) {
		http_error(req, 409, "release %s: payload already uploaded",
			   u->m.version);
		goto out;
	}
	if (chunk_range(req, u) || start_job(o, req, u, body))
		goto out;
	return;
out:
	free(u);
}
