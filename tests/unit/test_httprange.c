// SPDX-License-Identifier: GPL-2.0
/* Unit tests: one HTTP byte range (userspace/lib/httprange.c). */
#include <string.h>
#include "unit.h"

#include "httprange.h"

/* A Range header for a payload of @size, and what it should parse to. */
struct range_case {
	const char *h;
	uint64_t size;
	enum http_range_kind kind;
	uint64_t start, len;
};

static void expect_all(const struct range_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct http_range r = { 99, 99 };

		assert_int_equal(http_range_parse(c[i].h, c[i].size, &r),
				 c[i].kind);
		assert_int_equal(r.start, c[i].start);
		assert_int_equal(r.len, c[i].len);
	}
}

static void test_partial(void **state)
{
	static const struct range_case cases[] = {
		{ NULL, 1000, HTTP_RANGE_NONE, 0, 1000 },
		{ "bytes=0-0", 1000, HTTP_RANGE_PARTIAL, 0, 1 },
		{ "bytes=0-99", 1000, HTTP_RANGE_PARTIAL, 0, 100 },
		{ "bytes=100-", 1000, HTTP_RANGE_PARTIAL, 100, 900 },
		{ "bytes=990-999", 1000, HTTP_RANGE_PARTIAL, 990, 10 },
		{ "bytes=990-5000", 1000, HTTP_RANGE_PARTIAL, 990, 10 },
		{ "bytes=990-99999999999999999999999", 1000, HTTP_RANGE_PARTIAL,
		  990, 10 },
		{ "bytes=-10", 1000, HTTP_RANGE_PARTIAL, 990, 10 },
		{ "bytes=-5000", 1000, HTTP_RANGE_PARTIAL, 0, 1000 },
		{ "Bytes=5-5", 1000, HTTP_RANGE_PARTIAL, 5, 1 },
	};

	(void)state;
	expect_all(cases, UNIT_LEN(cases));
}

/* @h is unsatisfiable for a payload of @size: the range is left whole. */
static void expect_unsatisfiable(const char *h, uint64_t size)
{
	const struct range_case c = { h, size, HTTP_RANGE_UNSATISFIABLE, 0,
				      size };

	expect_all(&c, 1);
}

/* Ranges no byte of a 1000-byte payload satisfies. */
static const char *const past_1000[] = {
	"bytes=1000-",
	"bytes=1000-2000",
	"bytes=99999999999999999999999-",
	"bytes=-0",
};

static void test_unsatisfiable(void **state)
{
	(void)state;
	for (size_t i = 0; i < UNIT_LEN(past_1000); i++)
		expect_unsatisfiable(past_1000[i], 1000);
	/* Nothing to send from an empty payload. */
	expect_unsatisfiable("bytes=0-", 0);
	expect_unsatisfiable("bytes=-1", 0);
}

static void test_invalid_never_whole(void **state)
{
	static const char *const bad[] = {
		"",	      "bytes",	       "bytes=",	"bytes=-",
		"bytes=a-b",  "bytes=5-3",     "bytes=0-1,5-6", "bytes= 0-1",
		"bytes=0 -1", "bytes=0-1 ",    "bytes=+1-2",	"bytes=--1",
		"items=0-1",  "bytes=0x10-20", "bytes=-1-2",	"bytes0-1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_range r;

		if (http_range_parse(bad[i], 1000, &r) != HTTP_RANGE_INVALID)
			fail_msg("\"%s\" is not INVALID", bad[i]);
		assert_int_equal(http_range_status(HTTP_RANGE_INVALID), 416);
	}
}

static void test_content_range(void **state)
{
	struct http_range r;
	char buf[64];

	(void)state;
	assert_int_equal(http_range_parse("bytes=100-", 24000000, &r),
			 HTTP_RANGE_PARTIAL);
	assert_int_equal(http_range_content_range(HTTP_RANGE_PARTIAL, &r,
						  24000000, buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "bytes 100-23999999/24000000");
	assert_int_equal(http_range_content_range(HTTP_RANGE_INVALID, &r,
						  24000000, buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "bytes */24000000");
	assert_int_equal(http_range_content_range(HTTP_RANGE_NONE, &r, 1, buf,
						  sizeof(buf)),
			 -1);
	assert_int_equal(http_range_content_range(HTTP_RANGE_PARTIAL, &r,
						  24000000, buf, 10),
			 -1);
	assert_int_equal(http_range_status(HTTP_RANGE_NONE), 200);
	assert_int_equal(http_range_status(HTTP_RANGE_PARTIAL), 206);
	assert_int_equal(http_range_status(HTTP_RANGE_UNSATISFIABLE), 416);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_partial),
	  cmocka_unit_test(test_unsatisfiable),
	  cmocka_unit_test(test_invalid_never_whole),
	  cmocka_unit_test(test_content_range))
