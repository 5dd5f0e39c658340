// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: region assignment (SPEC section 4). The fast module is checked
 * against the SPEC's worked example and against a naive O(N) reference that
 * follows the SPEC's wording step by step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#include "assign.h"

/* Seeded PRNG (xorshift64*), so every run sees the same sequences. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
}

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(((uint64_t)rng() * n) >> 32);
}

/* --- naive reference: the SPEC's text, O(N) per node --- */

struct naive {
	uint32_t T, M, N, S;
	uint32_t score[4096], region[4096], size[4096];
};

static void naive_init(struct naive *n, uint32_t T, uint32_t M)
{
	uint32_t j;

	memset(n, 0, sizeof(*n));
	n->T = T;
	n->M = M;
	n->N = (T + M - 1) / M;
	assert_true(n->N <= 4096);
	for (j = 0; j < n->N; j++)
		n->region[j] = j;
}

static uint32_t naive_add(struct naive *n, uint32_t s)
{
	uint32_t k = n->S, a, j, b, r, full = 1, t;
	int have_b = 0;

	n->S++;
	if (k < n->N) { /* step 1 */
		n->score[k] = s;
		n->region[k] = k;
		r = k;
		goto out;
	}
	for (j = 0; j < n->N; j++)
		if (n->size[j] < n->M)
			full = 0;
	if (full) { /* step 3 */
		assert_true(n->N < 4096);
		n->score[n->N] = s;
		n->region[n->N] = n->N;
		r = n->N++;
		goto out;
	}
	a = k % n->N; /* step 2 */
	b = 0;
	for (j = 0; j < n->N; j++) {
		if (n->score[j] < s && n->size[n->region[j]] < n->M &&
		    (!have_b || n->score[j] < n->score[b])) {
			b = j;
			have_b = 1;
		}
	}
	if (!have_b) {
		for (j = 0; j < n->N; j++) {
			r = n->region[(a + j) % n->N];
			if (n->size[r] < n->M)
				goto out;
		}
		fail_msg("naive: no room");
	}
	r = n->region[b];
	n->score[b] = s;
	t = n->score[a];
	n->score[a] = n->score[b];
	n->score[b] = t;
	t = n->region[a];
	n->region[a] = n->region[b];
	n->region[b] = t;
out:
	n->size[r]++;
	return r;
}

static void naive_remove(struct naive *n, uint32_t r)
{
	assert_true(r < n->N && n->size[r] > 0);
	n->size[r]--;
}

/* Whole state of the fast module equals the reference's. */
static void assert_same(const struct assign *as, const struct naive *n)
{
	uint32_t j, sc, rg;

	assert_int_equal(assign_nregions(as), n->N);
	assert_int_equal(assign_arrivals(as), n->S);
	for (j = 0; j < n->N; j++) {
		assert_int_equal(assign_slot(as, j, &sc, &rg), 0);
		assert_int_equal(sc, n->score[j]);
		assert_int_equal(rg, n->region[j]);
		assert_int_equal(assign_region_size(as, j), n->size[j]);
	}
}

/* --- the SPEC's worked example --- */

static const uint32_t ex_score[] = { 50, 80, 30, 90, 20, 60, 85,
				     10, 40, 95, 70, 25, 99 };
static const uint32_t ex_region[] = { 0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 0, 2, 3 };

static void test_spec_example(void **state)
{
	struct assign *as = assign_new(12, 4);
	uint32_t i, r;

	(void)state;
	assert_non_null(as);
	assert_int_equal(assign_nregions(as), 3);
	for (i = 0; i < 13; i++) {
		assert_int_equal(assign_add(as, ex_score[i], &r), 0);
		if (r != ex_region[i])
			fail_msg("n%02u score %u: region %u, SPEC says %u",
				 i + 1, ex_score[i], r, ex_region[i]);
	}
	assert_int_equal(assign_nregions(as), 4);
	assert_int_equal(assign_arrivals(as), 13);
	assert_int_equal(assign_online(as), 13);
	for (i = 0; i < 3; i++)
		assert_int_equal(assign_region_size(as, i), 4);
	assert_int_equal(assign_region_size(as, 3), 1);
	assign_free(as);
}

static void test_spec_example_naive(void **state)
{
	static struct naive n;
	uint32_t i;

	(void)state;
	naive_init(&n, 12, 4);
	for (i = 0; i < 13; i++)
		assert_int_equal(naive_add(&n, ex_score[i]), ex_region[i]);
}

/* --- fast == naive on random sequences, with ties and removals --- */

static void run_random(uint64_t seed, int with_removals)
{
	static struct naive n;
	uint32_t T, M, count, i, r, rn, score_range, sc, rg;
	unsigned int nch, c;
	uint32_t ch[2];
	struct assign *as;

	rng_seed(seed);
	M = 1 + rng_below(12);
	T = 1 + rng_below(200);
	score_range = rng_below(2) ? 8 :
				     UINT32_MAX; /* many ties, or almost none */
	count = rng_below(3 * T + 10);
	naive_init(&n, T, M);
	as = assign_new(T, M);
	assert_non_null(as);
	for (i = 0; i < count; i++) {
		if (with_removals && assign_online(as) && rng_below(4) == 0) {
			do
				r = rng_below(n.N);
			while (!n.size[r]);
			naive_remove(&n, r);
			assert_int_equal(assign_remove(as, r), 0);
		} else {
			uint32_t s = score_range == UINT32_MAX ?
					     rng() :
					     rng_below(score_range);

			rn = naive_add(&n, s);
			assert_int_equal(assign_add(as, s, &r), 0);
			if (r != rn)
				fail_msg(
					"seed %llu T %u M %u step %u score %u: fast %u naive %u",
					(unsigned long long)seed, T, M, i, s, r,
					rn);
			/* The slots it says it changed are the only ones that did. */
			nch = assign_last_changed(as, ch);
			assert_true(nch <= 2);
			for (c = 0; c < nch; c++) {
				assert_int_equal(
					assign_slot(as, ch[c], &sc, &rg), 0);
				assert_int_equal(sc, n.score[ch[c]]);
			}
		}
		assert_same(as, &n);
	}
	assign_free(as);
}

static void test_fast_equals_naive(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 2000; seed++)
		run_random(seed, 0);
}

static void test_fast_equals_naive_removals(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 5001; seed <= 7000; seed++)
		run_random(seed, 1);
}

/* --- properties --- */

/* While S <= T, no region holds more than M and no region is made. */
static void test_sizes_within_M(void **state)
{
	uint64_t seed;
	uint32_t T, M, N, i, j, r;
	struct assign *as;

	(void)state;
	for (seed = 100; seed < 600; seed++) {
		rng_seed(seed);
		M = 1 + rng_below(60);
		T = 1 + rng_below(3000);
		N = (T + M - 1) / M;
		as = assign_new(T, M);
		assert_non_null(as);
		for (i = 0; i < T; i++) {
			assert_int_equal(assign_add(as, rng_below(1000), &r),
					 0);
			assert_true(r < N);
			assert_true(assign_region_size(as, r) <= M);
		}
		assert_int_equal(assign_nregions(as), N);
		for (j = 0; j < N; j++)
			assert_true(assign_region_size(as, j) <= M);
		assign_free(as);
	}
}

/* Past T, new regions appear exactly when all are full, and stay within M. */
static void test_growth_past_T(void **state)
{
	uint32_t T = 100, M = 10, i, r, expect_N;
	struct assign *as = assign_new(T, M);

	(void)state;
	rng_seed(42);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(assign_add(as, rng(), &r), 0);
		/* Without removals every region fills before one is made. */
		expect_N = (i + 1 + M - 1) / M;
		if (expect_N < 10)
			expect_N = 10;
		assert_int_equal(assign_nregions(as), expect_N);
		assert_true(assign_region_size(as, r) <= M);
		if (i + 1 == T + 1)
			assert_int_equal(r,
					 10); /* S > T: the first new region */
	}
	assert_int_equal(assign_nregions(as), 100);
	assign_free(as);

	/* M does not divide T: the spare places of the last region fill first. */
	as = assign_new(10, 4);
	for (i = 0; i < 12; i++)
		assert_int_equal(assign_add(as, i, &r), 0);
	assert_int_equal(assign_nregions(as), 3);
	assert_int_equal(assign_add(as, 5, &r), 0);
	assert_int_equal(r, 3);
	assign_free(as);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Against round robin (node k to region k mod N) on the same input: the
 * weakest region's best node, and the mean of the regions' best nodes.
 */
static void test_vs_round_robin(void **state)
{
	static uint32_t best_a[4096], best_rr[4096];
	uint32_t T, M, N, i, j, r, s, trials = 0, min_a, min_rr;
	uint32_t lower_min = 0, lower_mean = 0, lower_sorted = 0;
	double mean_a, mean_rr, sum_mean_a = 0, sum_mean_rr = 0;
	double sum_min_a = 0, sum_min_rr = 0;
	uint64_t seed;
	struct assign *as;
	int cmp_sorted;

	(void)state;
	for (seed = 1; seed <= 1000; seed++) {
		rng_seed(seed * 7919);
		M = 2 + rng_below(50);
		N = 2 + rng_below(60);
		T = N * M;
		as = assign_new(T, M);
		memset(best_a, 0, sizeof(best_a));
		memset(best_rr, 0, sizeof(best_rr));
		for (i = 0; i < T; i++) {
			s = rng_below(1000000);
			assert_int_equal(assign_add(as, s, &r), 0);
			if (s > best_a[r])
				best_a[r] = s;
			if (s > best_rr[i % N])
				best_rr[i % N] = s;
		}
		assign_free(as);
		min_a = min_rr = UINT32_MAX;
		mean_a = mean_rr = 0;
		for (j = 0; j < N; j++) {
			min_a = best_a[j] < min_a ? best_a[j] : min_a;
			min_rr = best_rr[j] < min_rr ? best_rr[j] : min_rr;
			mean_a += best_a[j];
			mean_rr += best_rr[j];
		}
		mean_a /= N;
		mean_rr /= N;
		/* k-th weakest region against k-th weakest, for every k. */
		qsort(best_a, N, sizeof(*best_a), cmp_u32);
		qsort(best_rr, N, sizeof(*best_rr), cmp_u32);
		cmp_sorted = 0;
		for (j = 0; j < N; j++)
			if (best_a[j] < best_rr[j])
				cmp_sorted = 1;
		lower_min += min_a < min_rr;
		lower_mean += mean_a < mean_rr;
		lower_sorted += cmp_sorted;
		sum_min_a += min_a;
		sum_min_rr += min_rr;
		sum_mean_a += mean_a;
		sum_mean_rr += mean_rr;
		trials++;
	}
	print_message(
		"# vs round robin, %u trials (S = T = N*M, scores 0..999999):\n",
		trials);
	print_message(
		"#   weakest region's best: mean %.0f (round robin %.0f), lower in %u trials\n",
		sum_min_a / trials, sum_min_rr / trials, lower_min);
	print_message(
		"#   mean of regions' best: %.0f (round robin %.0f), lower in %u trials\n",
		sum_mean_a / trials, sum_mean_rr / trials, lower_mean);
	print_message(
		"#   k-th weakest below round robin's k-th weakest for some k: %u trials\n",
		lower_sorted);
	/*
	 * Per input the SPEC's "never below" does not hold (see the counter-
	 * example below); on the whole the assignment must clearly beat it.
	 */
	assert_true(sum_min_a > sum_min_rr * 1.05);
	assert_true(sum_mean_a > sum_mean_rr);
	assert_true(lower_min * 20 < trials);
	assert_true(lower_mean * 20 < trials);
}

/*
 * The smallest input where the SPEC's algorithm, followed exactly, leaves a
 * region with a weaker best node than round robin would: T = 4, M = 2,
 * scores 30 10 20 30. Node 3 (20) takes region 1's slot and swaps it to the
 * front; node 4 (30) beats slot 0 (20) but region 1 is full, so L is empty
 * and it goes round robin to region 0. Bests: 30 and 20; round robin: 30, 30.
 */
static void test_rr_counterexample(void **state)
{
	static const uint32_t sc[] = { 30, 10, 20, 30 },
			      want[] = { 0, 1, 1, 0 };
	struct assign *as = assign_new(4, 2);
	uint32_t i, r;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_int_equal(assign_add(as, sc[i], &r), 0);
		assert_int_equal(r, want[i]);
	}
	assign_free(as);
}

/* --- restart: export/import (and the blob) mid-sequence changes nothing --- */

static struct assign *roundtrip(struct assign *as, int blob)
{
	struct assign_state st;
	struct assign *back;
	char err[160] = "";
	size_t len;
	void *buf;

	if (blob) {
		buf = assign_serialize(as, &len);
		assert_non_null(buf);
		back = assign_deserialize(buf, len, err, sizeof(err));
		free(buf);
	} else {
		assert_int_equal(assign_export(as, &st), 0);
		back = assign_import(&st, err, sizeof(err));
		assign_state_release(&st);
	}
	if (!back)
		fail_msg("import: %s", err);
	assign_free(as);
	return back;
}

static void test_restart_same_result(void **state)
{
	uint32_t T, M, count, cut, i, r1, r2, s;
	struct assign *a1, *a2;
	uint64_t seed;

	(void)state;
	for (seed = 900; seed < 1400; seed++) {
		rng_seed(seed);
		M = 1 + rng_below(20);
		T = 1 + rng_below(300);
		count = 1 + rng_below(3 * T);
		cut = rng_below(count);
		a1 = assign_new(T, M);
		a2 = assign_new(T, M);
		for (i = 0; i < count; i++) {
			if (i == cut || i == cut / 2)
				a2 = roundtrip(a2, (int)(seed & 1));
			if (rng_below(6) == 0 && assign_online(a1)) {
				do
					r1 = rng_below(assign_nregions(a1));
				while (!assign_region_size(a1, r1));
				assert_int_equal(assign_remove(a1, r1), 0);
				assert_int_equal(assign_remove(a2, r1), 0);
				continue;
			}
			s = rng_below(100);
			assert_int_equal(assign_add(a1, s, &r1), 0);
			assert_int_equal(assign_add(a2, s, &r2), 0);
			assert_int_equal(r1, r2);
		}
		assert_int_equal(assign_arrivals(a1), assign_arrivals(a2));
		assert_int_equal(assign_online(a1), assign_online(a2));
		assign_free(a1);
		assign_free(a2);
	}
}

static void test_import_rejects_bad_state(void **state)
{
	struct assign *as = assign_new(12, 4), *bad;
	struct assign_state st;
	unsigned char *buf;
	char err[160];
	uint32_t i, r;
	size_t len;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(assign_add(as, ex_score[i], &r), 0);
	assert_int_equal(assign_export(as, &st), 0);

	r = st.slot_region[1];
	st.slot_region[1] = st.slot_region[0]; /* not a permutation */
	bad = assign_import(&st, err, sizeof(err));
	assert_null(bad);
	assert_non_null(strstr(err, "repeated"));
	st.slot_region[1] = r;

	st.region_size[2] = 5; /* above M */
	assert_null(assign_import(&st, err, sizeof(err)));
	assert_non_null(strstr(err, "above M"));
	st.region_size[2] = assign_region_size(as, 2);

	st.N = 2; /* fewer than ceil(T/M) */
	assert_null(assign_import(&st, err, sizeof(err)));
	st.N = 3;
	st.S = 2; /* more nodes than arrivals */
	assert_null(assign_import(&st, err, sizeof(err)));
	st.S = 8;
	bad = assign_import(&st, err, sizeof(err));
	assert_non_null(bad);
	assign_free(bad);
	assign_state_release(&st);

	buf = assign_serialize(as, &len);
	assert_null(assign_deserialize(buf, len - 1, err, sizeof(err)));
	assert_non_null(strstr(err, "bytes"));
	assert_null(assign_deserialize(buf, 10, err, sizeof(err)));
	buf[0] ^= 1;
	assert_null(assign_deserialize(buf, len, err, sizeof(err)));
	free(buf);
	assign_free(as);
}

/* --- removal frees a place; S keeps counting arrivals --- */

static void test_remove_frees_place(void **state)
{
	struct assign *as = assign_new(12, 4);
	uint32_t i, r;

	(void)state;
	for (i = 0; i < 12; i++)
		assert_int_equal(assign_add(as, ex_score[i], &r), 0);
	assert_int_equal(assign_remove(as, 1), 0);
	assert_int_equal(assign_region_size(as, 1), 3);
	assert_int_equal(assign_online(as), 11);
	assert_int_equal(assign_arrivals(as), 12);
	/* The freed place is used instead of making a region. */
	assert_int_equal(assign_add(as, 99, &r), 0);
	assert_int_equal(r, 1);
	assert_int_equal(assign_nregions(as), 3);
	assert_int_equal(assign_arrivals(as), 13);
	/* Now every region is full again: growth. */
	assert_int_equal(assign_add(as, 1, &r), 0);
	assert_int_equal(r, 3);
	assert_int_equal(assign_nregions(as), 4);

	assert_int_equal(assign_remove(as, 4), -EINVAL); /* no such region */
	assert_int_equal(assign_remove(as, 3), 0);
	assert_int_equal(assign_remove(as, 3), -EINVAL); /* empty */
	assign_free(as);
}

/* --- groups, pools and the region cap --- */

/* Region @region's group in @pool (NULL: the default); NULL: no such region. */
/* clang-format off */
static const struct {
	const char *pool;
	uint32_t region;
	const char *want;
} groups[] = {
	{ NULL, 0, "239.192.0.0" },
	{ NULL, 3, "239.192.0.3" },
	{ NULL, 65535, "239.192.255.255" },
	{ NULL, 65536, NULL },
	{ "239.1.2.0/30", 3, "239.1.2.3" },
	{ "239.1.2.0/30", 4, NULL },
};
/* clang-format on */

/* Pools and how many regions they hold. */
static const struct {
	const char *text;
	uint32_t regions;
} good_pools[] = {
	{ "239.192.0.0/16", 65536 },
	{ "224.0.1.0/24", 256 },
	{ "239.255.255.255/32", 1 },
};

/* Pools refused, and what the error names ("": anything). */
static const struct {
	const char *text, *msg;
} bad_pools[] = {
	{ "239.192.0.1/16", "239.192.0.0/16" },
	{ "10.0.0.0/8", "224.0.0.0/4" },
	{ "224.0.0.0/16", "" },
	{ "224.0.0.128/25", "" },
	{ "239.192.0.0", "" },
	{ "239.192.0.0/33", "" },
	{ "239.192.0.0/", "" },
	{ "239.192.0.0/-1", "" },
	{ "239.192.0/16", "" },
	{ "239.192.0.0/16x", "" },
};

static void test_groups(void **state)
{
	struct assign_pool pool;
	char g[16], err[160];
	size_t i;

	(void)state;
	for (i = 0; i < UNIT_LEN(groups); i++) {
		int rc = assign_group(groups[i].pool, groups[i].region, g,
				      sizeof(g));

		if (!groups[i].want) {
			assert_int_equal(rc, -ENOSPC);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(g, groups[i].want);
	}
	assert_int_equal(assign_group(NULL, 1, g, 4), -EINVAL);
	for (i = 0; i < UNIT_LEN(good_pools); i++) {
		assert_int_equal(assign_pool_parse(good_pools[i].text, &pool,
						   err, sizeof(err)),
				 0);
		assert_int_equal(assign_pool_regions(&pool),
				 good_pools[i].regions);
	}
	for (i = 0; i < UNIT_LEN(bad_pools); i++) {
		assert_int_equal(assign_pool_parse(bad_pools[i].text, &pool,
						   err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, bad_pools[i].msg));
	}
}

static void test_max_regions(void **state)
{
	struct assign *as = assign_new(2, 1);
	uint32_t r;

	(void)state;
	assert_int_equal(assign_set_max_regions(as, 1), -ERANGE);
	assert_int_equal(assign_set_max_regions(as, 3), 0);
	assert_int_equal(assign_add(as, 5, &r), 0);
	assert_int_equal(assign_add(as, 6, &r), 0);
	assert_int_equal(assign_add(as, 7, &r), 0);
	assert_int_equal(r, 2);
	/* The cap is reached: refused, and nothing changed. */
	assert_int_equal(assign_add(as, 8, &r), -ENOSPC);
	assert_int_equal(assign_arrivals(as), 3);
	assert_int_equal(assign_nregions(as), 3);
	/* A freed place is still usable. */
	assert_int_equal(assign_remove(as, 0), 0);
	assert_int_equal(assign_add(as, 8, &r), 0);
	assert_int_equal(r, 0);
	assign_free(as);

	assert_null(assign_new(0, 4));
	assert_int_equal(errno, EINVAL);
	assert_null(assign_new(4, 0));
	assert_null(assign_new(UINT32_MAX, 1));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_spec_example),
	  cmocka_unit_test(test_spec_example_naive),
	  cmocka_unit_test(test_fast_equals_naive),
	  cmocka_unit_test(test_fast_equals_naive_removals),
	  cmocka_unit_test(test_sizes_within_M),
	  cmocka_unit_test(test_growth_past_T),
	  cmocka_unit_test(test_vs_round_robin),
	  cmocka_unit_test(test_rr_counterexample),
	  cmocka_unit_test(test_restart_same_result),
	  cmocka_unit_test(test_import_rejects_bad_state),
	  cmocka_unit_test(test_remove_frees_place),
	  cmocka_unit_test(test_groups), cmocka_unit_test(test_max_regions))
