/* SPDX-License-Identifier: GPL-2.0 */
/* What every cmocka unit test program includes and ends with. */
#ifndef RUP_TESTS_UNIT_H
#define RUP_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define UNIT_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* main(): run the listed test cases as one group named "tests". */
#define UNIT_MAIN(setup, teardown, ...)                                \
	int main(void)                                                 \
	{                                                              \
		const struct CMUnitTest tests[] = { __VA_ARGS__ };     \
		return cmocka_run_group_tests(tests, setup, teardown); \
	}

#endif
