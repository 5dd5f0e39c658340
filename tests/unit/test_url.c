// SPDX-License-Identifier: GPL-2.0
/* Unit tests: URL joining (userspace/lib/url.c) and the clocks (clock.c). */
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#include "clock.h"
#include "url.h"

static void join(const char *base, const char *path, const char *want)
{
	char *u = NULL;

	if (url_join(base, path, &u))
		fail_msg("url_join(%s, %s) failed", base, path);
	assert_string_equal(u, want);
	free(u);
}

static void test_join(void **state)
{
	static const struct {
		const char *base, *path, *want;
	} cases[] = {
		{ "https://h:1", "/api/v1/status",
		  "https://h:1/api/v1/status" },
		{ "https://h:1/", "/api/v1/status",
		  "https://h:1/api/v1/status" },
		{ "https://h:1//", "api/v1/status",
		  "https://h:1/api/v1/status" },
		{ "https://ops.example:8443/ops", "/api/v1/status",
		  "https://ops.example:8443/ops/api/v1/status" },
		{ "https://ops.example:8443/ops/", "/api/v1/status",
		  "https://ops.example:8443/ops/api/v1/status" },
		{ "https://[2001:db8::1]:8443/", "/api/v1/keys",
		  "https://[2001:db8::1]:8443/api/v1/keys" },
		{ "https://[::1]", "/x", "https://[::1]/x" },
		{ "https://127.0.0.1:8443",
		  "/api/v1/tasks?region=3&term=5&wait=0",
		  "https://127.0.0.1:8443/api/v1/tasks?region=3&term=5&wait=0" },
		{ "http://192.0.2.1:7000/",
		  "/api/v1/releases/2.0.0-rc.1+b7/payload",
		  "http://192.0.2.1:7000/api/v1/releases/2.0.0-rc.1+b7/payload" },
	};

	(void)state;
	for (size_t i = 0; i < UNIT_LEN(cases); i++)
		join(cases[i].base, cases[i].path, cases[i].want);
}

static void test_join_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"h:1",
		"/api",
		"https://",
		"https://[2001:db8::1:8443/",
		"https://h/?q=1",
		"https://h/#f",
		"https://h:99999/",
	};
	size_t i;
	char *u = (char *)"x";

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!url_join(bad[i], "/api/v1/status", &u))
			fail_msg("\"%s\" accepted as %s", bad[i], u);
		assert_null(u);
	}
	assert_int_equal(url_join("https://h/", "/a#frag", &u), -1);
}

static void test_clocks(void **state)
{
	uint64_t a = clock_mono_ns(), b = clock_mono_ns();

	(void)state;
	assert_true(b >= a);
	assert_true(clock_mono_ms() >= a / 1000000);
	/* After 2020-01-01 and before 2100. */
	assert_true(clock_real_ns() > 1577836800ULL * 1000000000ULL);
	assert_true(clock_real_ns() < 4102444800ULL * 1000000000ULL);
	assert_int_equal(clock_diff_ms(5000000000ULL, 2000000000ULL), 3000);
	assert_int_equal(clock_diff_ms(2000000000ULL, 5000000000ULL), 3000);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_join),
	  cmocka_unit_test(test_join_rejects), cmocka_unit_test(test_clocks))
