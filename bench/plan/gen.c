// SPDX-License-Identifier: GPL-2.0
/*
 * plan-gen COUNT [SEED [DUP_PERCENT]]: COUNT `node_id score` lines for
 * `rup-opsd plan`, node ids of 32 hex digits as real nodes have, scores
 * uniform over 0..999999. DUP_PERCENT of the lines repeat an earlier node
 * (re-registrations). Same SEED, same output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t st;

static uint64_t next(void)
{
	/* splitmix64: ids from it are distinct for distinct counters */
	uint64_t z = (st += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*s || *end || errno || *out > max || *s == '-';
}

int main(int argc, char **argv)
{
	unsigned long long count, seed = 1, dup = 0, i;
	uint64_t base, hi, lo;

	if (argc < 2 || argc > 4 || num(argv[1], 1ull << 32, &count) ||
	    (argc > 2 && num(argv[2], UINT64_MAX, &seed)) ||
	    (argc > 3 && num(argv[3], 99, &dup))) {
		fprintf(stderr, "usage: plan-gen COUNT [SEED [DUP_PERCENT]]\n");
		return 2;
	}
	st = seed;
	base = next();
	for (i = 0; i < count; i++) {
		uint64_t r = next(), n = i;

		/* A repeat names node n < i again: same id, new score. */
		if (i && r % 100 < dup)
			n = (r >> 8) % i;
		hi = base ^ (n * 0x9e3779b97f4a7c15ull);
		lo = n;
		printf("%016" PRIx64 "%016" PRIx64 " %" PRIu64 "\n", hi, lo,
		       (r >> 40) % 1000000);
	}
	return fflush(stdout) ? 1 : 0;
}
