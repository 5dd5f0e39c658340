/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the bench tools: fatal errors with the program's name,
 * bounded number parsing, wall clock, HMAC-SHA256 with the key set once
 * (the kernel's shash keeps its ipad/opad state the same way) and sorted
 * percentiles.
 */
#ifndef RUP_BENCH_COMMON_H
#define RUP_BENCH_COMMON_H

#include <stdint.h>
#include <stddef.h>

#include <openssl/evp.h>

extern const char *bench_prog;

void bench_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
unsigned long long bench_parse_u(const char *what, const char *s,
				 unsigned long long max);
void bench_parse_key(const char *s, uint8_t key[32]);
uint64_t bench_now_ns(void);

struct bench_hmac {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
};

void bench_hmac_init(struct bench_hmac *h, const uint8_t key[32]);
void bench_hmac(struct bench_hmac *h, const uint8_t *data, size_t len,
		uint8_t out[32]);
void bench_hmac_free(struct bench_hmac *h);

/* Sorts @v in place; p in 0..100. 0 for an empty set. */
uint64_t bench_percentile(uint64_t *v, size_t n, double p);

#endif
