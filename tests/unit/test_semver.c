// SPDX-License-Identifier: GPL-2.0
/* Unit tests: SemVer 2.0 parsing, precedence and applicable ranges. */
#include <errno.h>
#include <string.h>
#include "unit.h"

#include "semver.h"

static struct semver V(const char *s) {
	struct semver v;
	char err[160];

	if (semver_parse(s, &v, err, sizeof(err)))
		fail_msg("parse %s: %s", s, err);
	return v;
}

static void
test_parse_valid(void **state)
{
	static const char *const ok[] = {
		"0.0.0",
		"1.2.3",
		"10.20.30",
		"1.0.0-alpha",
		"1.0.0-alpha.1",
		"1.0.0-0.3.7",
		"1.0.0-x.7.z.92",
		"1.0.0+20130313144700",
		"1.0.0-beta+exp.sha.5114f85",
		"1.0.0+21AF26D3---117B344092BD",
		"1.0.0-x-y-z.--",
		"18446744073709551615.0.0",
		"1.0.0+001",
	};
	struct semver v;
	char buf[SEMVER_MAX_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(semver_parse(ok[i], &v, NULL, 0), 0);
		semver_format(&v, buf, sizeof(buf));
		assert_string_equal(buf, ok[i]); /* round trip */
	}
	v = V("1.0.0-beta+exp.sha.5114f85");
	assert_int_equal(v.major, 1);
	assert_string_equal(v.pre, "beta");
	assert_string_equal(v.build, "exp.sha.5114f85");
}

static int parse_version(const char *s, char *err, size_t len)
{
	struct semver v;

	return semver_parse(s, &v, err, len);
}

static int parse_range(const char *s, char *err, size_t len)
{
	struct range r;

	return range_parse(s, &r, err, len);
}

/* Each of @bad is refused by @parse with -EINVAL and a message. */
static void expect_invalid(int (*parse)(const char *, char *, size_t),
			   const char *const *bad, size_t n)
{
	char err[200];

	for (size_t i = 0; i < n; i++) {
		err[0] = '\0';
		if (parse(bad[i], err, sizeof(err)) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(err[0] != '\0');
	}
}

/* @parse refuses @text with -EINVAL and exactly the message @msg. */
static void expect_message(int (*parse)(const char *, char *, size_t),
			   const char *text, const char *msg)
{
	char err[200];

	assert_int_equal(parse(text, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

/* Not SemVer 2.0 versions. */
static const char *const bad_versions[] = {
	"",
	"1",
	"1.2",
	"1.2.3.4",
	"01.2.3",
	"1.02.3",
	"1.2.03",
	"v1.2.3",
	"1.2.3-",
	"1.2.3+",
	"1.2.3-01",
	"1.2.3-a..b",
	"1.2.3-a.",
	"1.2.3-a_b",
	"1.2.3+a+b",
	" 1.2.3",
	"1.2.3 ",
	"-1.2.3",
	"1.-2.3",
	"18446744073709551616.0.0",
	"1.2.x",
	"1.2.3-\xc3\xa9",
	"1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static void test_parse_invalid(void **state)
{
	char err[160];

	(void)state;
	expect_invalid(parse_version, bad_versions, UNIT_LEN(bad_versions));
	expect_message(parse_version, "01.2.3",
		       "version \"01.2.3\": major has a leading zero");
	assert_int_equal(parse_version(NULL, err, sizeof(err)), -EINVAL);
}

static void test_precedence(void **state)
{
	/* SemVer 2.0 §11's example chain, plus numeric (not text) ordering. */
	static const char *const chain[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta",  "1.0.0-beta.2",	"1.0.0-beta.11",
		"1.0.0-rc.1",  "1.0.0",		"1.0.1",
		"1.1.0",       "1.9.0",		"1.10.0",
		"2.0.0",
	};
	size_t n = sizeof(chain) / sizeof(chain[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			struct semver a = V(chain[i]), b = V(chain[j]);
			int c = semver_cmp(&a, &b);

			if ((i < j && c >= 0) || (i > j && c <= 0) ||
			    (i == j && c))
				fail_msg("%s vs %s gave %d", chain[i], chain[j],
					 c);
		}
	}
	/* Build metadata does not count. */
	struct semver a = V("1.0.0+a"), b = V("1.0.0+b");

	assert_int_equal(semver_cmp(&a, &b), 0);
	a = V("1.0.0-2");
	b = V("1.0.0-10");
	assert_true(semver_cmp(&a, &b) < 0);
	a = V("1.0.0-999");
	b = V("1.0.0-a");
	assert_true(semver_cmp(&a, &b) < 0);
}

static int match(const char *range, const char *ver)
{
	struct range r;
	struct semver v = V(ver);
	char err[200];

	if (range_parse(range, &r, err, sizeof(err)))
		fail_msg("range %s: %s", range, err);
	return range_match(&r, &v);
}

static void test_ranges(void **state)
{
	(void)state;
	assert_true(match(">=2.0.0,<2.1.0", "2.0.0"));
	assert_true(match(">=2.0.0,<2.1.0", "2.0.9"));
	assert_false(match(">=2.0.0,<2.1.0", "2.1.0"));
	assert_false(match(">=2.0.0,<2.1.0", "1.9.9"));
	assert_false(match(">=2.0.0,<2.1.0", "2.0.0-rc.1")); /* pre < release */
	assert_true(match(">1.0.0", "1.0.1"));
	assert_false(match(">1.0.0", "1.0.0"));
	assert_true(match("<=1.0.0", "1.0.0"));
	assert_false(match("<1.0.0", "1.0.0"));
	assert_true(match("=1.2.3", "1.2.3"));
	assert_true(match("1.2.3", "1.2.3"));
	assert_false(match("1.2.3", "1.2.4"));
	assert_true(match(" >= 1.0.0 , < 2.0.0 ", "1.5.0"));
	assert_true(match("*", "0.0.1"));
	assert_true(match("*", "99.0.0-x"));
}

/* Not ranges (docs/RELEASES.md gives the form). */
static const char *const bad_ranges[] = {
	"",
	",",
	">=1.0.0,",
	",<2.0.0",
	">=",
	"=>1.0.0",
	"~1.0.0",
	"^1.0.0",
	">=1.0",
	"1.0.0 || 2.0.0",
	">=1.0.0,,<2.0.0",
	"**",
	"1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0",
};

static void test_range_invalid(void **state)
{
	(void)state;
	expect_invalid(parse_range, bad_ranges, UNIT_LEN(bad_ranges));
	expect_message(
		parse_range, ">=1.0",
		"range \">=1.0\": version \"1.0\": expected MAJOR.MINOR.PATCH");
}

static void test_release_applies(void **state)
{
	struct range r;
	struct semver rel = V("2.0.5"), node;

	(void)state;
	assert_int_equal(range_parse(">=2.0.0,<2.1.0", &r, NULL, 0), 0);
	node = V("2.0.1");
	assert_true(release_applies(&r, &node, &rel));
	node = V("2.0.5"); /* already there */
	assert_false(release_applies(&r, &node, &rel));
	node = V("2.0.7"); /* in range but newer: never a downgrade */
	assert_false(release_applies(&r, &node, &rel));
	node = V("1.9.0"); /* outside the range */
	assert_false(release_applies(&r, &node, &rel));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_parse_valid),
	  cmocka_unit_test(test_parse_invalid),
	  cmocka_unit_test(test_precedence), cmocka_unit_test(test_ranges),
	  cmocka_unit_test(test_range_invalid),
	  cmocka_unit_test(test_release_applies))
