/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Asynchronous HTTP(S) transfers: libcurl's multi interface driven by the
 * agent's libevent loop. Used for the ops server API and for package
 * downloads (to a file, resumable with Range, bounded in size).
 */
#ifndef RUP_AGENT_FETCH_H
#define RUP_AGENT_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetch;

typedef void (*fetch_done_cb)(struct fetch *f, void *arg);

struct fetch_opts {
	const char *url;
	const char *ca; /* CA file for https (NULL: system store) */
	const char *post_json; /* POST this body (NULL: GET) */
	const char *bearer; /* Authorization: Bearer ... */
	const char *node_hex; /* X-Rup-Node */
	long timeout_s; /* whole transfer, 0 = none */
	long connect_timeout_s;
	long low_speed_s; /* abort below 1 byte/s for this long, 0 = off */
	/* Download to a file instead of memory. */
	const char *out_path;
	bool resume; /* continue a partial file with Range */
	uint64_t max_bytes; /* file bound (the signed size) */
	size_t mem_max; /* memory body bound, default 1 MiB */
};

/* Result, valid in the done callback. */
struct fetch_result {
	int curl_code; /* CURLcode, 0 = transfer finished */
	long http_code; /* 0 when no response */
	char error[256]; /* human text when curl_code or a bound failed */
	bool too_big; /* body went past max_bytes / mem_max */
	char *body; /* memory body (NUL-terminated), or error body */
	size_t body_len;
	uint64_t file_bytes; /* size of the output file at the end */
	int64_t retry_after_s; /* Retry-After header, -1 when absent */
	int64_t date_s; /* Date header as epoch seconds, -1 when absent */
};

int fetch_global_init(struct event_base *base);
void fetch_global_exit(void);

/* Start a transfer; NULL on failure (message logged). */
struct fetch *fetch_start(const struct fetch_opts *o, fetch_done_cb cb,
			  void *arg);
/* Abort without calling back. */
void fetch_cancel(struct fetch *f);
/* After the done callback: the result, then free it. */
const struct fetch_result *fetch_result(const struct fetch *f);
void fetch_free(struct fetch *f);

#endif
