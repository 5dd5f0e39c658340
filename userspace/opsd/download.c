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

/*
 * Parse one "bytes=a-b", "bytes=a-" or "bytes=-n" range. Returns 1 with
 * [*first, *last] set, 0 when the header is absent or not a single byte
 * range (serve it all, as RFC 9110 allows), -1 when unsatisfiable.
 */
static int parse_range(const char *h, uint64_t size, uint64_t *first,
		       uint64_t *last)
{
	unsigned long long a, b;
	char tail;

	if (!h || strncmp(h, "bytes=", 6) || strchr(h, ','))
		return 0;
	h += 6;
	if (sscanf(h, "-%llu%c", &b, &tail) == 1 && h[1] >= '0' &&
	    h[1] <= '9') {
		if (!b || !size)
			return -1;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 1;
	}
	if (*h < '0' || *h > '9')
		return 0;
	if (sscanf(h, "%llu-%llu%c", &a, &b, &tail) == 2) {
		if (b < a)
			return 0;
	} else if (sscanf(h, "%llu-%c", &a, &tail) == 1 &&
		   h[strlen(h) - 1] == '-') {
		b = size ? size - 1 : 0;
	} else {
		return 0;
	}
	if (a >= size)
		return -1;
	*first = a;
	*last = b >= size ? size - 1 : b;
	return 1;
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

/* The payload file's bytes [first, last] in a buffer; on failure the reply is sent, NULL. */
static struct evbuffer *payload_bytes(struct opsd *o,
				      struct evhttp_request *req,
				      const char *version, uint64_t size,
				      uint64_t first, uint64_t last)
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
	seg = evbuffer_file_segment_new(fd, (ev_off_t)first,
					size ? (ev_off_t)(last - first + 1) : 0,
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
	if (size)
		evbuffer_add_file_segment(b, seg, 0,
					  (ev_off_t)(last - first + 1));
	evbuffer_file_segment_free(seg);
	return b;
}

static void send_payload(struct evhttp_request *req, struct evbuffer *b,
			 int ranged, uint64_t first, uint64_t last,
			 uint64_t size)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char hdr[128];

	evhttp_add_header(out, "Content-Type", "application/octet-stream");
	evhttp_add_header(out, "Accept-Ranges", "bytes");
	if (ranged) {
		snprintf(hdr, sizeof(hdr),
			 "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, first, last,
			 size);
		evhttp_add_header(out, "Content-Range", hdr);
		evhttp_send_reply(req, 206, "Partial Content", b);
		http_count(206);
	} else {
		evhttp_send_reply(req, 200, "OK", b);
		http_count(200);
	}
	evbuffer_free(b);
}

void h_release_payload_get(struct opsd *o, struct evhttp_request *req,
			   const char *arg)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	uint64_t first = 0, last = 0, size;
	struct evbuffer *b;
	char hdr[128];
	int r;

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
	r = parse_range(evhttp_find_header(
				evhttp_request_get_input_headers(req), "Range"),
			size, &first, &last);
	if (r < 0) {
		snprintf(hdr, sizeof(hdr), "bytes */%" PRIu64, size);
		evhttp_add_header(out, "Content-Range", hdr);
		http_error(req, 416,
			   "release %s: range beyond the end of the %" PRIu64
			   "-byte payload",
			   arg, size);
		return;
	}
	if (!r)
		last = size ? size - 1 : 0;
	b = payload_bytes(o, req, arg, size, first, last);
	if (!b)
		return;
	o->m.downloads++;
	o->m.bytes_served += size ? last - first + 1 : 0;
	send_payload(req, b, r > 0, first, last, size);
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
