// SPDX-License-Identifier: GPL-2.0
/* Unit tests: fleet timing bounds match the kernel's rules (kmod/netlink.c). */
#include <string.h>
#include "unit.h"

#include "fleet.h"

static void test_defaults_pass(void **state)
{
	char err[128] = "";

	(void)state;
	assert_int_equal(FLEET_DEAD_DEFAULT_MS, 3500);
	assert_int_equal(fleet_timing_check(FLEET_INTERVAL_DEFAULT_MS,
					    FLEET_DEAD_DEFAULT_MS,
					    FLEET_WINDOW_DEFAULT_MS, err,
					    sizeof(err)),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(fleet_timing_check(10, 11, 1000, err, sizeof(err)), 0);
	assert_int_equal(
		fleet_timing_check(FLEET_INTERVAL_MAX_MS, FLEET_DEAD_MAX_MS,
				   FLEET_WINDOW_MAX_MS, err, sizeof(err)),
		0);
}

static void expect_err(uint32_t iv, uint32_t dead, uint32_t win,
		       const char *msg)
{
	char err[128] = "";

	assert_int_equal(fleet_timing_check(iv, dead, win, err, sizeof(err)),
			 -1);
	assert_string_equal(err, msg);
}

static void test_bounds_named(void **state)
{
	(void)state;
	expect_err(1000, 900, 60000,
		   "dead_ms (900) must exceed interval_ms (1000)");
	expect_err(1000, 1000, 60000,
		   "dead_ms (1000) must exceed interval_ms (1000)");
	expect_err(9, 3500, 60000,
		   "interval_ms (9) must be within 10..3600000");
	expect_err(3600001, 36000000, 60000,
		   "interval_ms (3600001) must be within 10..3600000");
	expect_err(1000, 36000001, 60000,
		   "dead_ms (36000001) must be within 1001..36000000");
	expect_err(1000, 3500, 0, "window_ms (0) must be within 1000..3600000");
	expect_err(1000, 3500, 3600001,
		   "window_ms (3600001) must be within 1000..3600000");
}

static void test_prefix(void **state)
{
	char err[128] = "";

	(void)state;
	/* The ops server's message, as tests/host/opsd-config.sh expects. */
	assert_int_equal(fleet_timing_check_prefix("fleet.", 1000, 900, 60000,
						   err, sizeof(err)),
			 -1);
	assert_string_equal(
		err,
		"fleet.dead_ms (900) must exceed fleet.interval_ms (1000)");
}

static void test_dead_default(void **state)
{
	(void)state;
	assert_int_equal(fleet_dead_default(1000), 3500);
	assert_int_equal(fleet_dead_default(10), 35);
	assert_int_equal(fleet_dead_default(UINT32_MAX / 4), 3758096380u);
	assert_int_equal(fleet_dead_default(UINT32_MAX / 4 + 1), 0);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_defaults_pass),
	  cmocka_unit_test(test_bounds_named), cmocka_unit_test(test_prefix),
	  cmocka_unit_test(test_dead_default))
