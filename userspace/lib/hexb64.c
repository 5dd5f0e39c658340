// SPDX-License-Identifier: GPL-2.0
/* Hex and base64 through OpenSSL, with the checks its coders leave out. */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "hexb64.h"

int hex_to_text(const void *in, size_t len, char *out, size_t outsz)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = in;
	size_t i;

	if (len > (SIZE_MAX - 1) / 2 || outsz < HEX_LEN(len) + 1)
		return -1;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
	return 0;
}

int hex_from_text(const char *in, void *out, size_t max, size_t *n)
{
	size_t len = strlen(in);

	/* hexstr2buf_ex would refuse these too, but only after raising an
	 * error on OpenSSL's queue, which callers then find unrelated.
	 */
	if (!len || len % 2 || len / 2 > max ||
	    strspn(in, "0123456789abcdefABCDEF") != len)
		return -1;
	if (!OPENSSL_hexstr2buf_ex(out, max, n, in, '\0'))
		return -1;
	return 0;
}

int hex_exact(const char *in, void *out, size_t len)
{
	size_t n;

	if (strlen(in) != HEX_LEN(len) || hex_from_text(in, out, len, &n))
		return -1;
	return 0;
}

int b64_to_text(const void *in, size_t len, char *out, size_t outsz)
{
	if (len > (size_t)INT32_MAX / 4 * 3 || outsz < B64_LEN(len) + 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}

/* Padding count of well-formed base64 text, or -1. */
static int b64_padding(const char *in, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t body = len;
	size_t i;

	if (!len || len % 4)
		return -1;
	while (body > len - 2 && in[body - 1] == '=')
		body--;
	/* EVP_DecodeBlock skips blanks and stops at '=' mid-text. */
	for (i = 0; i < body; i++)
		if (!in[i] || !strchr(alphabet, in[i]))
			return -1;
	return (int)(len - body);
}

int b64_from_text(const char *in, size_t inlen, void *out, size_t max,
		  size_t *n)
{
	int pad = b64_padding(in, inlen);
	int got;
	size_t bytes;

	if (pad < 0 || inlen > INT32_MAX)
		return -1;
	bytes = inlen / 4 * 3 - (size_t)pad;
	if (bytes > max)
		return -1;
	/* DecodeBlock writes whole groups, padding as zero bytes. */
	if (bytes == inlen / 4 * 3) {
		got = EVP_DecodeBlock(out, (const unsigned char *)in,
				      (int)inlen);
	} else {
		unsigned char last[3];

		got = inlen > 4 ?
			      EVP_DecodeBlock(out, (const unsigned char *)in,
					      (int)inlen - 4) :
			      0;
		if (got < 0 ||
		    EVP_DecodeBlock(last, (const unsigned char *)in + inlen - 4,
				    4) != 3)
			return -1;
		memcpy((uint8_t *)out + got, last, 3 - (size_t)pad);
		got += 3;
	}
	if (got < 0 || (size_t)got != inlen / 4 * 3)
		return -1;
	*n = bytes;
	return 0;
}

int b64_from_text_alloc(const char *in, size_t max, uint8_t **out, size_t *n)
{
	size_t len = strlen(in);
	uint8_t *buf;

	if (!len || len % 4 || len / 4 * 3 > max + 2)
		return -1;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -1;
	if (b64_from_text(in, len, buf, max, n)) {
		free(buf);
		return -1;
	}
	buf[*n] = '\0';
	*out = buf;
	return 0;
}
