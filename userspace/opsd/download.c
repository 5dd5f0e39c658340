// SPDX-License-Identifier: GPL-2.0
/* rup-opsd package downloads: payload with HTTP Range and a concurrency budget; manifest and signature. */
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
#include "http.h"
#include "httprange.h"
#include "opsd.h"
#include "routes.h"
#include "semver.h"
#include "store.h"

int auth_reader(struct opsd *o, struct evhttp_request *req)
{
	char node[33];
	uint32_t region;

	if (evhttp_find_header(evhttp_request_get_input_headers(req),
			       "X-Rup-Node"))
		return auth_node(o, req, node, &region);
	return auth_admin(o, req);
}

/* The budget slot is held until libevent drops the file segment: sent or connection gone. */
static void download_done(struct evbuffer_file_segment const *seg, int flags,
			  void *arg)
{
	struct opsd *o = arg;

	(void)seg, (void)flags;
	o->downloads--;
}

/* A published release's payload size; on failure the reply is sent, -1. */
static int payload_size(struct opsd *o, struct evhttp_request *req,
			const char *version, uint64_t *size)
{
	struct store_release_row r;
	struct semver sv;
	enum store_rc rc;
	char err[200];

	if (semver_parse(version, &sv, err, sizeof(err))) {
		http_error(req, 400, "release: %s", err);
		return -1;
	}
	rc = store_release_get(o->st, version, &r);
	store_release_row_free(&r);
	if (rc && rc != STORE_NOT_FOUND) {
		http_error(req, 500, "database error");
		return -1;
	}
	if (rc || !r.payload) {
		http_error(req, 404, "release %s: no payload", version);
		return -1;
	}
	*size = r.size;
	return 0;
}

/* The payload file's @len bytes from @start in a buffer; on failure the reply is sent, NULL. */
static struct evbuffer *payload_bytes(struct opsd *o,
				      struct evhttp_request *req,
				      const char *version, uint64_t size,
				      uint64_t start, uint64_t len)
{
	char path[OPSD_PATH_MAX + 80];
	struct evbuffer_file_segment *seg;
	struct evbuffer *b;
	struct stat sb;
	int fd;

	if (release_payload_path(o, version, path, sizeof(path)) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		http_error(req, 500, "release %s: payload file missing",
			   version);
		return NULL;
	}
	if (fstat(fd, &sb) || (uint64_t)sb.st_size != size) {
		close(fd);
		http_error(req, 500,
			   "release %s: payload file has the wrong size",
			   version);
		return NULL;
	}
	seg = evbuffer_file_segment_new(fd, (ev_off_t)start, (ev_off_t)len,
					EVBUF_FS_CLOSE_ON_FREE);
	b = evbuffer_new();
	if (!seg || !b) {
		if (seg)
			evbuffer_file_segment_free(seg);
		else
			close(fd);
		if (b)
			evbuffer_free(b);
		http_error(req, 500, "out of memory");
		return NULL;
	}
	o->downloads++;
	evbuffer_file_segment_add_cleanup_cb(seg, download_done, o);
	if (len)
		evbuffer_add_file_segment(b, seg, 0, (ev_off_t)len);
	evbuffer_file_segment_free(seg);
	return b;
}

static void send_payload(struct evhttp_request *req, struct evbuffer *b,
			 enum http_range_kind kind, const struct http_range *r,
			 uint64_t size)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char hdr[128];

	evhttp_add_header(out, "Content-Type", "application/octet-stream");
	evhttp_add_header(out, "Accept-Ranges", "bytes");
	if (kind == HTTP_RANGE_PARTIAL &&
	    !http_range_content_range(kind, r, size, hdr, sizeof(hdr))) {
		evhttp_add_header(out, "Content-Range", hdr);
		evhttp_send_reply(req, 206, "Partial Content", b);
		http_count(206);
	} else {
		evhttp_send_reply(req, 200, "OK", b);
		http_count(200);
	}
	evbuffer_free(b);
}

/* 416 for a range past the end or garbage (never the whole file, httprange.h). */
static void refuse_range(struct evhttp_request *req, const char *version,
			 enum http_range_kind kind, const struct http_range *r,
			 uint64_t size)
{
	char hdr[128];

	if (!http_range_content_range(kind, r, size, hdr, sizeof(hdr)))
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Content-Range", hdr);
	if (kind == HTTP_RANGE_INVALID)
		http_error(req, 416,
			   "release %s: Range must be one byte range of the "
			   "%" PRIu64 "-byte payload",
			   version, size);
	else
		http_error(req, 416,
			   "release %s: range beyond the end of the %" PRIu64
			   "-byte payload",
			   version, size);
}

void h_release_payload_get(struct opsd *o, struct evhttp_request *req,
			   const char *arg)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	enum http_range_kind kind;
	struct http_range r;
	struct evbuffer *b;
	uint64_t size;

	if (auth_reader(o, req) || payload_size(o, req, arg, &size))
		return;
	if (o->downloads >= o->cfg.download_budget) {
		evhttp_add_header(out, "Retry-After", "10");
		http_error(
			req, 429,
			"release %s: download budget of %u concurrent downloads "
			"reached; retry later",
			arg, o->cfg.download_budget);
		return;
	}
	kind = http_range_parse(
		evhttp_find_header(evhttp_request_get_input_headers(req),
				   "Range"),
		size, &r);
	if (http_range_status(kind) == 416) {
		refuse_range(req, arg, kind, &r, size);
		return;
	}
	b = payload_bytes(o, req, arg, size, r.start, r.len);
	if (!b)
		return;
	o->m.downloads++;
	o->m.bytes_served += r.len;
	send_payload(req, b, kind, &r, size);
}

/* The manifest (@manifest) or signature of a published release, as stored. */
static void send_stored(struct opsd *o, struct evhttp_request *req,
			const char *version, int manifest)
{
	struct store_release_row r;
	struct semver sv;
	enum store_rc rc;
	char err[200];

	if (auth_reader(o, req))
		return;
	if (semver_parse(version, &sv, err, sizeof(err))) {
		http_error(req, 400, "release: %s", err);
		return;
	}
	rc = store_release_get(o->st, version, &r);
	if (rc == STORE_NOT_FOUND)
		http_error(req, 404, "release %s: not published", version);
	else if (rc)
		http_error(req, 500, "database error");
	else if (manifest)
		http_bytes(req, 200, "application/json", r.manifest,
			   r.manifest_len);
	else
		http_bytes(req, 200, "text/plain", r.signature,
			   strlen(r.signature));
	store_release_row_free(&r);
}

void h_release_manifest(struct opsd *o, struct evhttp_request *req,
			const char *arg)
{
	send_stored(o, req, arg, 1);
}

void h_release_signature(struct opsd *o, struct evhttp_request *req,
			 const char *arg)
{
	send_stored(o, req, arg, 0);
}
