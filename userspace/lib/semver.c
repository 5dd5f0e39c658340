// SPDX-License-Identifier: GPL-2.0
/* SemVer 2.0 parsing and precedence, and applicable ranges. */
#include "semver.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

/* Parse one numeric core field; *p advances past its digits. */
static int parse_num(const char **p, uint64_t *out, const char *what,
		     const char *s, char *err, size_t errlen)
{
	const char *q = *p;
	uint64_t n = 0;

	if (!is_digit(*q))
		return fail(err, errlen, "version \"%s\": %s is not a number",
			    s, what);
	if (*q == '0' && is_digit(q[1]))
		return fail(err, errlen,
			    "version \"%s\": %s has a leading zero", s, what);
	for (; is_digit(*q); q++) {
		if (n > (UINT64_MAX - (uint64_t)(*q - '0')) / 10)
			return fail(err, errlen,
				    "version \"%s\": %s is too large", s, what);
		n = n * 10 + (uint64_t)(*q - '0');
	}
	*out = n;
	*p = q;
	return 0;
}

/*
 * Check a dot-separated identifier list of @len bytes at @q. Pre-release
 * numeric identifiers may not have leading zeros; build ones may.
 */
static int check_idents(const char *q, size_t len, bool prerelease,
			const char *s, char *err, size_t errlen)
{
	const char *what = prerelease ? "pre-release" : "build metadata";
	size_t i = 0;

	while (i <= len) {
		size_t start = i;
		bool numeric = true;

		while (i < len && q[i] != '.') {
			if (!is_ident_char(q[i]))
				return fail(
					err, errlen,
					"version \"%s\": invalid character '%c' in %s",
					s, q[i], what);
			if (!is_digit(q[i]))
				numeric = false;
			i++;
		}
		if (i == start)
			return fail(err, errlen,
				    "version \"%s\": empty %s identifier", s,
				    what);
		if (prerelease && numeric && q[start] == '0' && i - start > 1)
			return fail(
				err, errlen,
				"version \"%s\": pre-release identifier has a leading zero",
				s);
		i++; /* past '.' or the end */
	}
	return 0;
}

/*
 * The pre-release (after '-', up to '+') or build (after '+', to the end)
 * part at *@p, if @mark starts one: into @out and @out_len (NULL and 0 when
 * absent), its identifiers checked, *@p moved past it.
 */
static int suffix(const char **p, char mark, char stop, bool prerelease,
		  const char *s, const char **out, size_t *out_len, char *err,
		  size_t errlen)
{
	*out = NULL;
	*out_len = 0;
	if (**p != mark)
		return 0;
	*out = ++*p;
	while (**p && **p != stop)
		(*p)++;
	*out_len = (size_t)(*p - *out);
	return check_idents(*out, *out_len, prerelease, s, err, errlen);
}

int semver_parse(const char *s, struct semver *v, char *err, size_t errlen)
{
	static const char *const part_name[] = { "major", "minor", "patch" };
	uint64_t *part[] = { &v->major, &v->minor, &v->patch };
	const char *p = s, *pre, *build;
	size_t len, pre_len, build_len;
	int rc;

	if (!s)
		return fail(err, errlen, "version is missing");
	len = strnlen(s, SEMVER_MAX_LEN + 1);
	if (len == 0)
		return fail(err, errlen, "version is empty");
	if (len > SEMVER_MAX_LEN)
		return fail(err, errlen,
			    "version \"%.20s...\" is longer than %d characters",
			    s, SEMVER_MAX_LEN);
	memset(v, 0, sizeof(*v));

	for (int i = 0; i < 3; i++) {
		if (i && *p++ != '.')
			return fail(
				err, errlen,
				"version \"%s\": expected MAJOR.MINOR.PATCH",
				s);
		rc = parse_num(&p, part[i], part_name[i], s, err, errlen);
		if (rc)
			return rc;
	}

	rc = suffix(&p, '-', '+', true, s, &pre, &pre_len, err, errlen);
	if (!rc)
		rc = suffix(&p, '+', '\0', false, s, &build, &build_len, err,
			    errlen);
	if (rc)
		return rc;
	if (*p)
		return fail(
			err, errlen,
			"version \"%s\": unexpected '%c' after the patch number",
			s, *p);
	if (pre)
		memcpy(v->pre, pre, pre_len);
	if (build)
		memcpy(v->build, build, build_len);
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* Compare two pre-release identifiers by SemVer 2.0 §11.4. */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
	bool anum = all_digits(a, an), bnum = all_digits(b, bn);
	int c;

	if (anum && bnum) {
		/* No leading zeros, so the longer number is the larger one. */
		if (an != bn)
			return an < bn ? -1 : 1;
		c = memcmp(a, b, an);
		return c < 0 ? -1 : c > 0;
	}
	if (anum != bnum)
		return anum ? -1 : 1; /* numeric < alphanumeric */
	c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(an, bn);
}

static int cmp_pre(const char *a, const char *b)
{
	/* A version without pre-release ranks above one with. */
	if (!*a || !*b)
		return !*a && !*b ? 0 : (!*a ? 1 : -1);
	for (;;) {
		size_t an = strcspn(a, "."), bn = strcspn(b, ".");
		int c = cmp_ident(a, an, b, bn);

		if (c)
			return c;
		a += an;
		b += bn;
		if (!*a || !*b)
			return !*a && !*b ?
				       0 :
				       (!*a ? -1 : 1); /* more fields wins */
		a++;
		b++;
	}
}

int semver_cmp(const struct semver *a, const struct semver *b)
{
	int c = cmp_u64(a->major, b->major);

	if (!c)
		c = cmp_u64(a->minor, b->minor);
	if (!c)
		c = cmp_u64(a->patch, b->patch);
	if (!c)
		c = cmp_pre(a->pre, b->pre);
	return c;
}

int semver_format(const struct semver *v, char *buf, size_t len)
{
	return snprintf(buf, len, "%llu.%llu.%llu%s%s%s%s",
			(unsigned long long)v->major,
			(unsigned long long)v->minor,
			(unsigned long long)v->patch, *v->pre ? "-" : "",
			v->pre, *v->build ? "+" : "", v->build);
}

static const struct {
	const char *text;
	enum range_op op;
} range_ops[] = {
	/* Two-character operators first so ">=" is not read as ">". */
	{ ">=", RANGE_GE }, { "<=", RANGE_LE }, { ">", RANGE_GT },
	{ "<", RANGE_LT },  { "=", RANGE_EQ },
};

static int parse_comparator(const char *s, size_t n, struct range_cmp *c,
			    const char *range, char *err, size_t errlen)
{
	char vbuf[SEMVER_MAX_LEN + 1], verr[160];
	size_t i;

	c->op = RANGE_EQ;
	for (i = 0; i < sizeof(range_ops) / sizeof(range_ops[0]); i++) {
		size_t ol = strlen(range_ops[i].text);

		if (n >= ol && !memcmp(s, range_ops[i].text, ol)) {
			c->op = range_ops[i].op;
			s += ol;
			n -= ol;
			break;
		}
	}
	while (n && *s == ' ') {
		s++;
		n--;
	}
	if (!n)
		return fail(err, errlen,
			    "range \"%s\": comparator without a version",
			    range);
	if (n > SEMVER_MAX_LEN)
		return fail(err, errlen,
			    "range \"%s\": version longer than %d characters",
			    range, SEMVER_MAX_LEN);
	memcpy(vbuf, s, n);
	vbuf[n] = '\0';
	if (semver_parse(vbuf, &c->v, verr, sizeof(verr)))
		return fail(err, errlen, "range \"%s\": %s", range, verr);
	return 0;
}

int range_parse(const char *s, struct range *r, char *err, size_t errlen)
{
	const char *p;
	size_t len;

	if (!s)
		return fail(err, errlen, "range is missing");
	len = strnlen(s, RANGE_MAX_LEN + 1);
	if (len > RANGE_MAX_LEN)
		return fail(err, errlen, "range is longer than %d characters",
			    RANGE_MAX_LEN);
	memset(r, 0, sizeof(*r));
	p = s;
	while (*p == ' ')
		p++;
	if (!strcmp(p, "*"))
		return 0;
	for (;;) {
		const char *end;
		size_t n;
		int rc;

		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n && p[n - 1] == ' ')
			n--;
		if (!n)
			return fail(err, errlen,
				    "range \"%s\": empty comparator", s);
		if (r->n == RANGE_MAX_COMPARATORS)
			return fail(err, errlen,
				    "range \"%s\": more than %d comparators", s,
				    RANGE_MAX_COMPARATORS);
		rc = parse_comparator(p, n, &r->c[r->n], s, err, errlen);
		if (rc)
			return rc;
		r->n++;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int range_match(const struct range *r, const struct semver *v)
{
	for (unsigned int i = 0; i < r->n; i++) {
		int c = semver_cmp(v, &r->c[i].v);
		bool ok;

		switch (r->c[i].op) {
		case RANGE_EQ:
			ok = c == 0;
			break;
		case RANGE_GT:
			ok = c > 0;
			break;
		case RANGE_GE:
			ok = c >= 0;
			break;
		case RANGE_LT:
			ok = c < 0;
			break;
		case RANGE_LE:
			ok = c <= 0;
			break;
		default:
			ok = false;
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

bool release_applies(const struct range *r, const struct semver *node,
		     const struct semver *release)
{
	return range_match(r, node) && semver_cmp(node, release) < 0;
}
