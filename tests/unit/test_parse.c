// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the number parsers of userspace/lib/parse.c. */
#include <errno.h>
#include <string.h>
#include "unit.h"

#include "parse.h"

static void test_dec_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_dec_u64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(
		parse_dec_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_dec_u64("18446744073709551616", 0, UINT64_MAX,
				       &v),
			 -ERANGE);
	assert_int_equal(parse_dec_u64("010", 0, 100, &v), 0);
	assert_int_equal(v, 10); /* decimal, never octal */
	assert_int_equal(parse_dec_u64("9", 10, 20, &v), -ERANGE);
	assert_int_equal(parse_dec_u64("21", 10, 20, &v), -ERANGE);
	assert_int_equal(parse_dec_u64("20", 10, 20, &v), 0);
}

static void test_dec_rejects(void **state)
{
	static const char *const bad[] = {
		"",    "-1",  "+1",
		" 1",  "1 ",  "0x1",
		"1e3", "1.0", "99999999999999999999x"
	};
	uint64_t v = 5;
	uint32_t w = 5;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_dec_u64(bad[i], 0, UINT64_MAX, &v),
				 -EINVAL);
		assert_int_equal(parse_dec_u32(bad[i], 0, UINT32_MAX, &w),
				 -EINVAL);
	}
	assert_int_equal(v, 5);
	assert_int_equal(w, 5);
}

static void test_dec_u32_and_n(void **state)
{
	uint32_t w = 0;

	(void)state;
	assert_int_equal(parse_dec_u32("4294967295", 0, UINT32_MAX, &w), 0);
	assert_int_equal(w, UINT32_MAX);
	assert_int_equal(parse_dec_u32("4294967296", 0, UINT32_MAX, &w),
			 -ERANGE);
	assert_int_equal(parse_dec_u32n("812345 rest", 6, 0, UINT32_MAX, &w),
			 0);
	assert_int_equal(w, 812345);
	assert_int_equal(parse_dec_u32n("812345 rest", 7, 0, UINT32_MAX, &w),
			 -EINVAL);
	assert_int_equal(parse_dec_u32n("1", 0, 0, UINT32_MAX, &w), -EINVAL);
}

static void test_cli_u64_unchanged(void **state)
{
	uint64_t v;

	(void)state;
	/* The CLI parser keeps C literals. */
	assert_int_equal(parse_u64("0x10", 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(parse_u64("-1", UINT64_MAX, &v), -1);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_dec_u64),
	  cmocka_unit_test(test_dec_rejects),
	  cmocka_unit_test(test_dec_u32_and_n),
	  cmocka_unit_test(test_cli_u64_unchanged))
