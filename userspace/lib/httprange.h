/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One HTTP Range header (RFC 9110 "Range Requests"), a single byte range:
 * "bytes=a-b", "bytes=a-" and the suffix "bytes=-n". The unit is matched
 * case-insensitively; no blanks inside the range.
 *
 * Garbage is never answered with the whole file: a header that is present
 * but not one valid byte range (bad syntax, a-b with b < a, several ranges,
 * another unit) gives HTTP_RANGE_INVALID, which the servers answer like an
 * unsatisfiable range: 416 with the Content-Range "bytes", asterisk,
 * "/SIZE", so a client that asked for something odd learns the size and
 * starts over. (The node's package server always did this; the ops server
 * used to send everything, which docs/API.md still says until it adopts
 * this parser.)
 *
 * Usage:
 *	struct http_range r;
 *	switch (http_range_parse(hdr, size, &r)) {
 *	case HTTP_RANGE_NONE:	 200, bytes [0, size)
 *	case HTTP_RANGE_PARTIAL: 206, bytes [r.start, r.start + r.len)
 *	default:		 416 (http_range_status() says which code)
 *	}
 *	http_range_content_range(kind, &r, size, buf, sizeof(buf)) gives the
 *	Content-Range value for 206 and 416.
 */
#ifndef RUP_HTTPRANGE_H
#define RUP_HTTPRANGE_H

#include <stddef.h>
#include <stdint.h>

enum http_range_kind {
	HTTP_RANGE_NONE, /* no header: the whole file */
	HTTP_RANGE_PARTIAL, /* one satisfiable range: r->start, r->len */
	HTTP_RANGE_UNSATISFIABLE, /* starts at/after the end, or "-0" */
	HTTP_RANGE_INVALID, /* present but not one valid byte range */
};

struct http_range {
	uint64_t start, len;
};

/*
 * Parse @header (NULL: absent) against a file of @size bytes. @r is always
 * set: the range for PARTIAL, the whole file (0, size) otherwise. A last
 * position past the end is cut to the end; a suffix longer than the file
 * is the whole file (RFC 9110), both still PARTIAL (206).
 */
enum http_range_kind http_range_parse(const char *header, uint64_t size,
				      struct http_range *r);

/* The status to answer: 200, 206 or 416. */
int http_range_status(enum http_range_kind kind);

/*
 * Content-Range value: "bytes FIRST-LAST/SIZE" for PARTIAL, the asterisk form
 * for UNSATISFIABLE and INVALID; -1 for NONE or a too small buffer.
 */
int http_range_content_range(enum http_range_kind kind,
			     const struct http_range *r, uint64_t size,
			     char *buf, size_t len);

#endif
