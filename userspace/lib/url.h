/* SPDX-License-Identifier: GPL-2.0 */
/*
 * URLs built with libcurl's URL API (CURLU), never by pasting strings:
 * a base with or without a trailing slash, a path prefix, IPv6 literals
 * and ports all come out right.
 *
 *	char *u;
 *	if (url_join("https://[2001:db8::1]:8443/", "/api/v1/status", &u))
 *		... bad base or path ...
 *	... u is "https://[2001:db8::1]:8443/api/v1/status" ...
 *	free(u);
 */
#ifndef RUP_URL_H
#define RUP_URL_H

/*
 * @base: an absolute URL (scheme and host; a path prefix such as
 * "https://h/ops" is kept), with no query or fragment. @path: appended to
 * the base's path with exactly one "/" between them; it may carry a query
 * ("/api/v1/tasks?region=3&term=5") and must already be percent-encoded
 * where needed. On success *out is a malloc()ed string the caller frees;
 * -1 when either part is not valid.
 */
int url_join(const char *base, const char *path, char **out);

#endif
