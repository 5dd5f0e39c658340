// SPDX-License-Identifier: GPL-2.0
/* Unit tests: bounded hex and base64 coders (userspace/lib/hexb64.c). */
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#include "hexb64.h"

static void test_hex_roundtrip(void **state)
{
	const uint8_t in[] = { 0x00, 0x4f, 0xab, 0xff };
	uint8_t out[8];
	char text[HEX_LEN(sizeof(in)) + 1];
	size_t n;

	(void)state;
	assert_int_equal(hex_to_text(in, sizeof(in), text, sizeof(text)), 0);
	assert_string_equal(text, "004fabff");
	assert_int_equal(hex_to_text(in, sizeof(in), text, sizeof(text) - 1),
			 -1);
	assert_int_equal(hex_from_text("004FabfF", out, sizeof(out), &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, in, 4);
	assert_int_equal(hex_exact("004fabff", out, 4), 0);
	assert_int_equal(hex_exact("004fabff", out, 3), -1);
	assert_int_equal(hex_exact("004fab", out, 4), -1);
}

static void test_hex_rejects(void **state)
{
	static const char *const bad[] = { "",	   "0",	  "abc", "0g",
					   "0x12", " 12", "12 ", "1:2" };
	uint8_t out[4];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hex_from_text(bad[i], out, sizeof(out), &n),
				 -1);
	/* Five bytes never fit in four. */
	assert_int_equal(hex_from_text("0102030405", out, 4, &n), -1);
}

static void b64_case(const char *bytes, const char *text)
{
	char enc[64];
	uint8_t dec[64];
	size_t n, len = strlen(bytes);

	assert_int_equal(b64_to_text(bytes, len, enc, sizeof(enc)), 0);
	assert_string_equal(enc, text);
	assert_int_equal(b64_from_text(text, strlen(text), dec, len, &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(dec, bytes, len);
	if (len)
		assert_int_equal(b64_from_text(text, strlen(text), dec, len - 1,
					       &n),
				 -1);
}

static void test_b64_rfc4648_vectors(void **state)
{
	(void)state;
	b64_case("f", "Zg==");
	b64_case("fo", "Zm8=");
	b64_case("foo", "Zm9v");
	b64_case("foob", "Zm9vYg==");
	b64_case("fooba", "Zm9vYmE=");
	b64_case("foobar", "Zm9vYmFy");
}

static void test_b64_rejects(void **state)
{
	static const char *const bad[] = {
		"",	  "Zg=",       "Zg",	     "Z===",
		"====",	  "Zm9v Yg==", "Zm=v",	     "Zm9vYg==Zg==",
		"Zm9\nv", "Zm9-",      "Zm9v\tYmFy",
	};
	uint8_t out[32];
	size_t i, n;
	char enc[4];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			b64_from_text(bad[i], strlen(bad[i]), out, 32, &n), -1);
	assert_int_equal(b64_to_text("foo", 3, enc, sizeof(enc)), -1);
}

static void test_b64_alloc(void **state)
{
	uint8_t *out = NULL;
	size_t n;

	(void)state;
	assert_int_equal(b64_from_text_alloc("Zm9vYg==", 4, &out, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal((char *)out, "foob");
	free(out);
	assert_int_equal(b64_from_text_alloc("Zm9vYg==", 3, &out, &n), -1);
	assert_int_equal(b64_from_text_alloc("Zm9vY", 16, &out, &n), -1);
}

/* Every length 1..300 of pseudo-random bytes comes back the same. */
static void test_roundtrip_lengths(void **state)
{
	uint8_t in[300], out[300];
	char text[HEX_LEN(300) + 1]; /* the longer of the two */
	unsigned seed = 12345;
	size_t len, i, n;

	(void)state;
	for (len = 1; len <= sizeof(in); len++) {
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (uint8_t)(seed >> 16);
		}
		assert_int_equal(b64_to_text(in, len, text, sizeof(text)), 0);
		assert_int_equal(strlen(text), B64_LEN(len));
		assert_int_equal(
			b64_from_text(text, strlen(text), out, len, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(in, out, len);
		assert_int_equal(hex_to_text(in, len, text, sizeof(text)), 0);
		assert_int_equal(hex_from_text(text, out, len, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(in, out, len);
	}
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_hex_roundtrip),
	  cmocka_unit_test(test_hex_rejects),
	  cmocka_unit_test(test_b64_rfc4648_vectors),
	  cmocka_unit_test(test_b64_rejects), cmocka_unit_test(test_b64_alloc),
	  cmocka_unit_test(test_roundtrip_lengths))
