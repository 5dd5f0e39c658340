/* SPDX-License-Identifier: GPL-2.0 */
/* What every cmocka unit test program includes and ends with. */
#ifndef RUP_TESTS_UNIT_H
#define RUP_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#define UNIT_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Remove a test's temporary folder and all in it (a group teardown); 0 or -1. */
static inline int unit_rm_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* main(): run the listed test cases as one group named "tests". */
#define UNIT_MAIN(setup, teardown, ...)                                \
	int main(void)                                                 \
	{                                                              \
		const struct CMUnitTest tests[] = { __VA_ARGS__ };     \
		return cmocka_run_group_tests(tests, setup, teardown); \
	}

#endif
