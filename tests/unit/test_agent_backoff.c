// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the agent's exponential backoff with jitter (agent/backoff.c). */
#include "unit.h"

#include "../../userspace/agent/backoff.h"

static void test_doubles_and_caps(void **state)
{
	struct backoff b;

	(void)state;
	backoff_init(&b, 100, 1000);
	/* rnd 0: the fixed half only. */
	assert_int_equal(backoff_next(&b, 0), 50);
	assert_int_equal(backoff_next(&b, 0), 100);
	assert_int_equal(backoff_next(&b, 0), 200);
	assert_int_equal(backoff_next(&b, 0), 400);
	assert_int_equal(backoff_next(&b, 0), 500); /* capped at 1000 */
	for (int i = 0; i < 100; i++)
		assert_int_equal(backoff_next(&b, 0), 500);
}

static void test_jitter_bounds(void **state)
{
	struct backoff b;

	(void)state;
	for (uint32_t r = 0; r < 5000; r += 7) {
		uint32_t d;

		backoff_init(&b, 1000, 60000);
		b.attempt = 3;
		d = backoff_next(&b, r);
		assert_in_range(d, 4000, 8000);
	}
}

static void test_reset(void **state)
{
	struct backoff b;

	(void)state;
	backoff_init(&b, 10, 100000);
	for (int i = 0; i < 10; i++)
		backoff_next(&b, 0);
	backoff_reset(&b);
	assert_int_equal(backoff_next(&b, 0), 5);
	/* A zero base is treated as 1 ms, never a busy loop of zero delays. */
	backoff_init(&b, 0, 0);
	assert_true(backoff_next(&b, 0) >= 1);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_doubles_and_caps),
	  cmocka_unit_test(test_jitter_bounds), cmocka_unit_test(test_reset))
