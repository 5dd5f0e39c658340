// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the release parsers every node runs on data from the
 * network: the manifest JSON, the base64 signature text, versions and
 * ranges. Besides memory errors it checks properties: a parsed version
 * formats back to the same text, a parsed manifest serialises to text that
 * parses to the same fields, precedence is antisymmetric.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "release.h"
#include "semver.h"

static void check_version(const char *s)
{
	struct semver v, w;
	char buf[SEMVER_MAX_LEN + 1];

	if (semver_parse(s, &v, NULL, 0))
		return;
	semver_format(&v, buf, sizeof(buf));
	if (strcmp(buf, s) || semver_parse(buf, &w, NULL, 0) ||
	    semver_cmp(&v, &w))
		abort();
}

static void check_pair(const char *a, const char *b)
{
	struct semver x, y;

	if (semver_parse(a, &x, NULL, 0) || semver_parse(b, &y, NULL, 0))
		return;
	if ((semver_cmp(&x, &y) > 0) != (semver_cmp(&y, &x) < 0))
		abort();
}

static void check_manifest(const uint8_t *data, size_t size)
{
	struct release_manifest *m = malloc(sizeof(*m)),
				*m2 = malloc(sizeof(*m2));
	char err[256];
	char *text;
	size_t len;

	if (!m || !m2)
		abort();
	if (!release_manifest_parse(data, size, m, err, sizeof(err))) {
		text = release_manifest_dump(m, &len, err, sizeof(err));
		if (!text ||
		    release_manifest_parse(text, len, m2, err, sizeof(err)) ||
		    strcmp(m->version, m2->version) ||
		    strcmp(m->range, m2->range) || m->size != m2->size ||
		    memcmp(m->sha256, m2->sha256, sizeof(m->sha256)) ||
		    m->n_args != m2->n_args || strcmp(m->summary, m2->summary))
			abort();
		free(text);
	}
	free(m);
	free(m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sig[RELEASE_SIG_LEN];
	struct range r;
	struct semver v;
	char *s = malloc(size + 1), *comma;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_manifest(data, size);
	release_sig_decode(s, strlen(s), sig, NULL, 0);
	check_version(s);
	if (!range_parse(s, &r, NULL, 0) && !semver_parse("1.2.3", &v, NULL, 0))
		range_match(&r, &v);
	release_check_rfc3339(s);
	comma = strchr(s, ' ');
	if (comma) {
		*comma = '\0';
		check_pair(s, comma + 1);
	}
	free(s);
	return 0;
}
