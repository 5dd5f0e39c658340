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
#include "download_slot.h"
#include "http.h"
#include "httprange.h"
#include "opsd.h"
#include "routes.h"
#include "semver.h"
#include "store.h"

int auth_reader(struct opsd *o, struct evhttp_request *req, struct reader *who)
{
	who->node[0] = 0;
	who->region = SLOT_NO_REGION;
	if (evhttp_find_header(evhttp_request_get_input_headers(req),
			       "X-Rup-Node"))
		return auth_node(o, req, who->node, &who->region);
	return auth_admin(o, req);
}

/* A download slot for @who: an RVS's own region's download is reserved for. */
static struct download_slot *take_slot(struct opsd *o,
				       struct evhttp_request *req,
				       const struct reader *who,
				       const char *version)
{
	int rvs = 0;

	if (who->node[0]) {
		rvs = store_region_is_rvs(o->st, who->region, who->node);
		if (rvs < 0) {
			http_error(req, 500, "database error");
			return NULL;
		}
	}
	return slot_take(o, req, who->region, rvs > 0, version);
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
				      uint64_t start, uint64_t len,
				      struct download_slot *slot)
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
	slot_bind(slot, seg);
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
	struct download_slot *slot;
	enum http_range_kind kind;
	struct http_range r;
	struct reader who;
	struct evbuffer *b;
	uint64_t size;

	if (auth_reader(o, req, &who) || payload_size(o, req, arg, &size))
		return;
	kind = http_range_parse(
		evhttp_find_header(evhttp_request_get_input_headers(req),
				   "Range"),
		size, &r);
	if (http_range_status(kind) == 416) {
		refuse_range(req, arg, kind, &r, size);
		return;
	}
	slot = take_slot(o, req, &who, arg);
	if (!slot)
		return;
	b = payload_bytes(o, req, arg, size, r.start, r.len, slot);
	if (!b) {
		slot_put(slot);
		return;
	}
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

	struct reader who;

	if (auth_reader(o, req, &who))
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
