// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the bench tools (see bench-common.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "bench-common.h"
#include "hexb64.h"

const char *bench_prog = "bench";

void bench_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

unsigned long long bench_parse_u(const char *what, const char *s,
				 unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		bench_die("%s: '%s' is not a number from 0 to %llu", what, s,
			  max);
	return v;
}

void bench_parse_key(const char *s, uint8_t key[32])
{
	if (strlen(s) != 64)
		bench_die(
			"--key: key must be 32 bytes (64 hex digits), got %zu digits",
			strlen(s));
	if (hex_exact(s, key, 32))
		bench_die("--key: '%s' is not hex", s);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_hmac_init(struct bench_hmac *h, const uint8_t key[32])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};

	h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	h->ctx = h->mac ? EVP_MAC_CTX_new(h->mac) : NULL;
	if (!h->ctx || !EVP_MAC_init(h->ctx, key, 32, params))
		bench_die("OpenSSL: HMAC-SHA256 unavailable");
}

/* EVP_MAC_init without a key restarts with the key already set. */
void bench_hmac(struct bench_hmac *h, const uint8_t *data, size_t len,
		uint8_t out[32])
{
	size_t olen = 0;

	if (!EVP_MAC_init(h->ctx, NULL, 0, NULL) ||
	    !EVP_MAC_update(h->ctx, data, len) ||
	    !EVP_MAC_final(h->ctx, out, &olen, 32) || olen != 32)
		bench_die("OpenSSL: HMAC failed");
}

void bench_hmac_free(struct bench_hmac *h)
{
	EVP_MAC_CTX_free(h->ctx);
	EVP_MAC_free(h->mac);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t bench_percentile(uint64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}
