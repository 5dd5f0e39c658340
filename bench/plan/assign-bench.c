// SPDX-License-Identifier: GPL-2.0
/*
 * assign-bench: cost of assign_add() alone per node against the number of
 * regions, next to the obvious O(N) scan of R that docs/ASSIGNMENT.md reads as
 * (which must give the same regions; checked as it runs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "assign.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t *scores(uint32_t n)
{
	uint32_t *s = malloc(n * sizeof(*s)), i, x = 2463534242u;

	for (i = 0; s && i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		s[i] = x % 1000000;
	}
	return s;
}

/* The scan: no removals, so only steps 1 and 2 and growth on S > N*M. */
static double naive(uint32_t T, uint32_t M, uint32_t n, const uint32_t *s,
		    const uint32_t *want)
{
	uint32_t N = (T + M - 1) / M, cap = N + n / M + 2, i, j, a, b, r, t;
	uint32_t *sc = calloc(cap, 4), *rg = calloc(cap, 4),
		 *sz = calloc(cap, 4);
	double t0 = now();

	for (j = 0; j < N; j++)
		rg[j] = j;
	for (i = 0; i < n; i++) {
		if (i < N) {
			sc[i] = s[i];
			r = i;
		} else if (i == N * M) {
			sc[N] = s[i];
			rg[N] = N;
			r = N++;
		} else {
			a = i % N;
			b = UINT32_MAX;
			for (j = 0; j < N; j++)
				if (sc[j] < s[i] && sz[rg[j]] < M &&
				    (b == UINT32_MAX || sc[j] < sc[b]))
					b = j;
			if (b == UINT32_MAX) {
				for (j = a; sz[rg[j]] >= M; j = (j + 1) % N)
					;
				r = rg[j];
			} else {
				r = rg[b];
				sc[b] = sc[a];
				sc[a] = s[i];
				t = rg[a];
				rg[a] = rg[b];
				rg[b] = t;
			}
		}
		sz[r]++;
		if (r != want[i]) {
			fprintf(stderr, "naive and fast differ at node %u\n",
				i);
			exit(1);
		}
	}
	free(sc);
	free(rg);
	free(sz);
	return now() - t0;
}

int main(void)
{
	static const uint32_t Ms[] = { 5000, 50, 5 };
	uint32_t n = 1000000, *s = scores(n), *got = malloc(n * 4), i, k;
	struct assign *as;
	double t0, dt;

	if (!s || !got)
		return 1;
	printf("| regions N | M | assign_add ns/node | O(N) scan ns/node (first 200k nodes) |\n");
	printf("| ---: | ---: | ---: | ---: |\n");
	for (k = 0; k < 3; k++) {
		as = assign_new(n, Ms[k]);
		t0 = now();
		for (i = 0; i < n; i++)
			if (assign_add(as, s[i], &got[i]))
				return 1;
		dt = now() - t0;
		printf("| %u | %u | %.0f |", assign_nregions(as), Ms[k],
		       dt * 1e9 / n);
		assign_free(as);
		if (Ms[k] >= 50)
			printf(" %.0f |\n",
			       naive(n, Ms[k], 200000, s, got) * 1e9 / 200000);
		else
			printf(" (skipped: hours) |\n");
		fflush(stdout);
	}
	free(s);
	free(got);
	return 0;
}
