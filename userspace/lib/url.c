// SPDX-License-Identifier: GPL-2.0
/* URL joining through libcurl's CURLU parser. */
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "url.h"

/* The base's path (maybe "/") with @path after one slash, query cut off. */
static char *joined_path(const char *bpath, const char *path, char **query)
{
	size_t blen = strlen(bpath), plen;
	const char *q;
	char *s;

	while (blen && bpath[blen - 1] == '/')
		blen--;
	while (*path == '/')
		path++;
	q = strchr(path, '?');
	plen = q ? (size_t)(q - path) : strlen(path);
	*query = NULL;
	if (q && !(*query = strdup(q + 1)))
		return NULL;
	s = malloc(blen + plen + 2);
	if (!s) {
		free(*query);
		return NULL;
	}
	memcpy(s, bpath, blen);
	s[blen] = '/';
	memcpy(s + blen + 1, path, plen);
	s[blen + 1 + plen] = '\0';
	return s;
}

/* Sets path and query of @h; 0 or -1. */
static int set_path(CURLU *h, const char *path)
{
	char *bpath = NULL, *query = NULL, *full;
	int rc = -1;

	if (curl_url_get(h, CURLUPART_PATH, &bpath, 0))
		return -1;
	full = joined_path(bpath, path, &query);
	curl_free(bpath);
	if (!full)
		return -1;
	if (!curl_url_set(h, CURLUPART_PATH, full, 0) &&
	    !curl_url_set(h, CURLUPART_QUERY, query, 0))
		rc = 0;
	free(full);
	free(query);
	return rc;
}

int url_join(const char *base, const char *path, char **out)
{
	CURLU *h = curl_url();
	char *s = NULL, *q = NULL, *frag = NULL;
	int rc = -1;

	*out = NULL;
	if (!h)
		return -1;
	if (curl_url_set(h, CURLUPART_URL, base, 0))
		goto out;
	/* A query or fragment in the base would end up mid-URL. */
	if (curl_url_get(h, CURLUPART_QUERY, &q, 0) != CURLUE_NO_QUERY ||
	    curl_url_get(h, CURLUPART_FRAGMENT, &frag, 0) != CURLUE_NO_FRAGMENT)
		goto out;
	if (strchr(path, '#') || set_path(h, path) ||
	    curl_url_get(h, CURLUPART_URL, &s, 0))
		goto out;
	*out = strdup(s);
	rc = *out ? 0 : -1;
out:
	curl_free(q);
	curl_free(frag);
	curl_free(s);
	curl_url_cleanup(h);
	return rc;
}
