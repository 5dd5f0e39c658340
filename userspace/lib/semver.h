/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software versions (SemVer 2.0) and applicable ranges.
 *
 * A version is MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], parsed strictly
 * (numeric identifiers without leading zeros, bounded length) and compared
 * by SemVer 2.0 precedence (build metadata is ignored).
 *
 * A range is one or more comparators joined by commas, all of which must
 * hold: ">=2.0.0,<2.1.0". Operators: >= > <= < =, and a bare version means
 * "=". A lone "*" matches every version.
 */
#ifndef RUP_SEMVER_H
#define RUP_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest accepted version string, without the NUL: fits a beacon's
 * RUP_VERSION_MAX (64 bytes with the NUL). */
#define SEMVER_MAX_LEN 63
/* Longest accepted range string and most comparators in one range. */
#define RANGE_MAX_LEN 256
#define RANGE_MAX_COMPARATORS 8

struct semver {
	uint64_t major, minor, patch;
	char pre[SEMVER_MAX_LEN + 1]; /* "" when none */
	char build[SEMVER_MAX_LEN + 1]; /* "" when none */
};

enum range_op { RANGE_EQ, RANGE_GT, RANGE_GE, RANGE_LT, RANGE_LE };

struct range_cmp {
	enum range_op op;
	struct semver v;
};

struct range {
	unsigned int n; /* 0 means "*": every version */
	struct range_cmp c[RANGE_MAX_COMPARATORS];
};

/*
 * Parse @s into @v. Returns 0, or -EINVAL and a message in @err (which may
 * be NULL) naming what is wrong, e.g. "version \"01.2.3\": major has a
 * leading zero".
 */
int semver_parse(const char *s, struct semver *v, char *err, size_t errlen);

/* <0, 0, >0 as @a has lower, equal, higher precedence than @b. */
int semver_cmp(const struct semver *a, const struct semver *b);

/* Canonical text of @v into @buf; returns snprintf's result. */
int semver_format(const struct semver *v, char *buf, size_t len);

/* Parse a range; 0 or -EINVAL with a message in @err. */
int range_parse(const char *s, struct range *r, char *err, size_t errlen);

/* 1 when @v satisfies every comparator of @r, else 0. */
int range_match(const struct range *r, const struct semver *v);

/*
 * docs/RELEASES.md (versions and ranges): a node is eligible for a release when its version satisfies the
 * range and is lower than the release version.
 */
bool release_applies(const struct range *r, const struct semver *node,
		     const struct semver *release);

#endif
