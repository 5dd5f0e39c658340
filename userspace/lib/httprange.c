// SPDX-License-Identifier: GPL-2.0
/* A single HTTP byte range, parsed by the grammar of RFC 9110. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httprange.h"

/*
 * Digits at *s (at least one); *v saturates at UINT64_MAX, which is past
 * any file's end: the grammar allows any number of digits.
 */
static bool digits(const char **s, uint64_t *v)
{
	const char *p = *s;

	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	if (p == *s)
		return false;
	*s = p;
	return true;
}

/* "-n": the last n bytes; @r is only written for a satisfiable range. */
static enum http_range_kind suffix(const char *p, uint64_t size,
				   struct http_range *r)
{
	uint64_t n;

	if (!digits(&p, &n) || *p)
		return HTTP_RANGE_INVALID;
	if (!n || !size)
		return HTTP_RANGE_UNSATISFIABLE;
	if (n > size)
		n = size;
	r->start = size - n;
	r->len = n;
	return HTTP_RANGE_PARTIAL;
}

enum http_range_kind http_range_parse(const char *header, uint64_t size,
				      struct http_range *r)
{
	const char *p = header;
	uint64_t first, last = UINT64_MAX;

	r->start = 0;
	r->len = size;
	if (!header)
		return HTTP_RANGE_NONE;
	if (strncasecmp(p, "bytes=", 6))
		return HTTP_RANGE_INVALID;
	p += 6;
	if (*p == '-')
		return suffix(p + 1, size, r);
	if (!digits(&p, &first) || *p++ != '-')
		return HTTP_RANGE_INVALID;
	if (*p && (!digits(&p, &last) || *p || last < first))
		return HTTP_RANGE_INVALID;
	if (first >= size)
		return HTTP_RANGE_UNSATISFIABLE;
	if (last >= size)
		last = size - 1;
	r->start = first;
	r->len = last - first + 1;
	return HTTP_RANGE_PARTIAL;
}

int http_range_status(enum http_range_kind kind)
{
	switch (kind) {
	case HTTP_RANGE_NONE:
		return 200;
	case HTTP_RANGE_PARTIAL:
		return 206;
	default:
		return 416;
	}
}

int http_range_content_range(enum http_range_kind kind,
			     const struct http_range *r, uint64_t size,
			     char *buf, size_t len)
{
	int n;

	if (kind == HTTP_RANGE_NONE)
		return -1;
	if (kind == HTTP_RANGE_PARTIAL)
		n = snprintf(buf, len, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
			     r->start, r->start + r->len - 1, size);
	else
		n = snprintf(buf, len, "bytes */%" PRIu64, size);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
