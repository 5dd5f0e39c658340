// SPDX-License-Identifier: GPL-2.0
/* Bounded, checked parsers for command-line and config values. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts "-1" and leading blanks; numbers here do not. */
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, max, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_u16(const char *s, uint16_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT16_MAX, &v))
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int parse_ms(const char *s, uint32_t *out)
{
	char num[24];
	size_t n = strspn(s, "0123456789");
	uint64_t v, mult = 1;

	if (n == 0 || n >= sizeof(num))
		return -1;
	if (!strcmp(s + n, "s"))
		mult = 1000;
	else if (s[n] && strcmp(s + n, "ms"))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u64(num, UINT32_MAX, &v) || v * mult > UINT32_MAX)
		return -1;
	*out = (uint32_t)(v * mult);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

int read_hex_file(const char *path, uint8_t *out, size_t max, size_t *len,
		  char *err, size_t errlen)
{
	char buf[512];
	size_t n, start = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f) || !feof(f)) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(f) ? "read error" : "file too long");
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	while (isspace((unsigned char)buf[start]))
		start++;
	if (parse_hex(buf + start, out, max, len)) {
		snprintf(err, errlen, "%s: expected hex digits", path);
		return -1;
	}
	return 0;
}

int parse_ipv4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? 0 : -1;
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int parse_dec_u64n(const char *s, size_t len, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	uint64_t v = 0;
	bool over = false;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		/* Keep reading: "12x" with many digits is still -EINVAL. */
		if (v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (over || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_dec_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	return parse_dec_u64n(s, strlen(s), min, max, out);
}

int parse_dec_u32n(const char *s, size_t len, uint32_t min, uint32_t max,
		   uint32_t *out)
{
	uint64_t v;
	int rc = parse_dec_u64n(s, len, min, max, &v);

	if (!rc)
		*out = (uint32_t)v;
	return rc;
}

int parse_dec_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return parse_dec_u32n(s, strlen(s), min, max, out);
}

int str_copy(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}
