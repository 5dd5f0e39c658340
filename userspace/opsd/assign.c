// SPDX-License-Identifier: GPL-2.0
/*
 * Region assignment (SPEC section 4). See assign.h for the decisions.
 *
 * The two questions step 2 asks of R, "the lowest-score slot whose region has
 * room" and "the first slot at or after a whose region has room", are both
 * answered by a min segment tree over the slots. A leaf holds
 * (score << 32 | slot) while the slot's region has room and KEY_FULL when it
 * is full, so the minimum is the lowest score with the lowest index on ties,
 * and a subtree holding anything but KEY_FULL has a slot with room.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "assign.h"

#define KEY_FULL UINT64_MAX

struct assign {
	uint32_t T, M, N, S;
	uint32_t max_regions;
	uint32_t online; /* sum of sizes */
	uint32_t nonfull; /* regions with room */
	uint32_t cap; /* slots allocated, a power of two */
	uint32_t *score; /* R[j].score */
	uint32_t *region; /* R[j].region */
	uint32_t *pos; /* slot of region i: region[pos[i]] == i */
	uint32_t *size; /* size of region i */
	uint64_t *tree; /* 2 * cap nodes, root at 1, leaf j at cap + j */
	uint32_t changed[2];
	unsigned int nchanged;
};

static uint64_t leaf_key(const struct assign *as, uint32_t j)
{
	if (j >= as->N || as->size[as->region[j]] >= as->M)
		return KEY_FULL;
	return (uint64_t)as->score[j] << 32 | j;
}

static void tree_update(struct assign *as, uint32_t j)
{
	uint64_t *t = as->tree;
	uint32_t p = as->cap + j;

	t[p] = leaf_key(as, j);
	for (p /= 2; p; p /= 2)
		t[p] = t[2 * p] < t[2 * p + 1] ? t[2 * p] : t[2 * p + 1];
}

static void tree_build(struct assign *as)
{
	uint64_t *t = as->tree;
	uint32_t j, p;

	for (j = 0; j < as->cap; j++)
		t[as->cap + j] = leaf_key(as, j);
	for (p = as->cap - 1; p; p--)
		t[p] = t[2 * p] < t[2 * p + 1] ? t[2 * p] : t[2 * p + 1];
}

/* First slot >= @from whose region has room, or -1. */
static int64_t tree_first_from(const struct assign *as, uint32_t from)
{
	const uint64_t *t = as->tree;
	uint32_t node = 1, lo = 0, hi = as->cap; /* node covers [lo, hi) */
	uint32_t stack[64], slo[64], shi[64];
	unsigned int sp = 0;

	/* Depth-first, left to right, pruning subtrees before @from or full. */
	for (;;) {
		if (hi > from && t[node] != KEY_FULL) {
			if (hi - lo == 1)
				return lo;
			/* Right child later, left child now. */
			stack[sp] = 2 * node + 1;
			slo[sp] = lo + (hi - lo) / 2;
			shi[sp] = hi;
			sp++;
			node = 2 * node;
			hi = lo + (hi - lo) / 2;
			continue;
		}
		if (!sp)
			return -1;
		sp--;
		node = stack[sp];
		lo = slo[sp];
		hi = shi[sp];
	}
}

/* Room for @n slots: arrays and tree sized to the next power of two. */
static int assign_reserve(struct assign *as, uint32_t n)
{
	uint32_t **arrays[] = { &as->score, &as->region, &as->pos, &as->size };
	uint32_t cap = as->cap ? as->cap : 1;
	uint32_t *p;
	uint64_t *tree;
	bool short_of = false;
	size_t i;

	if (n <= as->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	tree = calloc(2 * (size_t)cap, sizeof(*tree));
	if (!tree)
		return -ENOMEM;
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		p = realloc(*arrays[i], cap * sizeof(uint32_t));
		if (p)
			*arrays[i] = p;
		else
			short_of = true;
	}
	if (short_of) {
		/* Arrays that grew stay grown; cap still says the old size. */
		free(tree);
		return -ENOMEM;
	}
	free(as->tree);
	as->tree = tree;
	as->cap = cap;
	tree_build(as);
	return 0;
}

static struct assign *assign_alloc(uint32_t T, uint32_t M, uint32_t N)
{
	struct assign *as = calloc(1, sizeof(*as));

	if (!as) {
		errno = ENOMEM;
		return NULL;
	}
	as->T = T;
	as->M = M;
	as->max_regions = ASSIGN_MAX_REGIONS;
	if (assign_reserve(as, N)) {
		assign_free(as);
		errno = ENOMEM;
		return NULL;
	}
	return as;
}

struct assign *assign_new(uint32_t T, uint32_t M)
{
	struct assign *as;
	uint32_t N, j;

	if (!T || !M) {
		errno = EINVAL;
		return NULL;
	}
	N = T / M + (T % M != 0);
	if (N > ASSIGN_MAX_REGIONS) {
		errno = EINVAL;
		return NULL;
	}
	as = assign_alloc(T, M, N);
	if (!as)
		return NULL;
	/* Unseeded slots: step 1 fills R[k] = (s, k) in arrival order. */
	for (j = 0; j < N; j++) {
		as->score[j] = 0;
		as->region[j] = j;
		as->pos[j] = j;
		as->size[j] = 0;
	}
	as->N = N;
	as->nonfull = N;
	tree_build(as);
	return as;
}

void assign_free(struct assign *as)
{
	if (!as)
		return;
	free(as->score);
	free(as->region);
	free(as->pos);
	free(as->size);
	free(as->tree);
	free(as);
}

int assign_set_max_regions(struct assign *as, uint32_t max)
{
	if (max > ASSIGN_MAX_REGIONS)
		max = ASSIGN_MAX_REGIONS;
	if (max < as->N)
		return -ERANGE;
	as->max_regions = max;
	return 0;
}

static void mark_changed(struct assign *as, uint32_t slot)
{
	if (as->nchanged && as->changed[0] == slot)
		return;
	as->changed[as->nchanged++] = slot;
}

/* One more node in @r; keeps nonfull, online and the tree current. */
static void region_grow(struct assign *as, uint32_t r)
{
	as->size[r]++;
	as->online++;
	if (as->size[r] == as->M) {
		as->nonfull--;
		tree_update(as, as->pos[r]);
	}
}

int assign_add(struct assign *as, uint32_t score, uint32_t *region)
{
	uint32_t k = as->S, a, b, r, ra, rb;
	uint64_t min;
	int64_t j;

	if (as->S == UINT32_MAX)
		return -EOVERFLOW;
	as->nchanged = 0;

	/* Step 1: the first N arrivals seed regions 0..N-1 in order. */
	if (k < as->N) {
		r = as->region[k]; /* == k: no swap happens before k >= N */
		as->score[k] = score;
		tree_update(as, k);
		mark_changed(as, k);
		goto placed;
	}

	/* Step 3: every region full, so make one (checked first: step 2 has no room). */
	if (!as->nonfull) {
		if (as->N >= as->max_regions)
			return -ENOSPC;
		if (assign_reserve(as, as->N + 1))
			return -ENOMEM;
		r = as->N;
		as->score[r] = score;
		as->region[r] = r;
		as->pos[r] = r;
		as->size[r] = 0;
		as->N++;
		as->nonfull++;
		tree_update(as, r);
		mark_changed(as, r);
		goto placed;
	}

	/* Step 2. */
	a = k % as->N;
	min = as->tree[1];
	if (min != KEY_FULL && (uint32_t)(min >> 32) < score) {
		/* L not empty: b is its lowest score, lowest index on ties. */
		b = (uint32_t)min;
		r = as->region[b];
		/* R[b].score = s, then R[a] and R[b] swap places. */
		ra = as->region[a];
		rb = as->region[b];
		as->score[b] = as->score[a];
		as->score[a] = score;
		as->region[a] = rb;
		as->region[b] = ra;
		as->pos[rb] = a;
		as->pos[ra] = b;
		tree_update(as, a);
		tree_update(as, b);
		mark_changed(as, b);
		mark_changed(as, a);
	} else {
		/* L empty: slot a, or the next slot after it (cyclically) with room. */
		j = tree_first_from(as, a);
		if (j < 0)
			j = tree_first_from(as, 0);
		if (j < 0)
			return -EIO; /* nonfull > 0 says there is room: state is corrupt */
		r = as->region[j];
	}

placed:
	as->S++;
	region_grow(as, r);
	*region = r;
	return 0;
}

unsigned int assign_last_changed(const struct assign *as, uint32_t slots[2])
{
	unsigned int i;

	for (i = 0; i < as->nchanged; i++)
		slots[i] = as->changed[i];
	return as->nchanged;
}

int assign_remove(struct assign *as, uint32_t region)
{
	if (region >= as->N || !as->size[region])
		return -EINVAL;
	if (as->size[region] == as->M)
		as->nonfull++;
	as->size[region]--;
	as->online--;
	tree_update(as, as->pos[region]);
	return 0;
}

uint32_t assign_nregions(const struct assign *as)
{
	return as->N;
}

uint32_t assign_arrivals(const struct assign *as)
{
	return as->S;
}

uint32_t assign_online(const struct assign *as)
{
	return as->online;
}

uint32_t assign_planned(const struct assign *as)
{
	return as->T;
}

uint32_t assign_max_per_region(const struct assign *as)
{
	return as->M;
}

uint32_t assign_region_size(const struct assign *as, uint32_t region)
{
	return region < as->N ? as->size[region] : 0;
}

int assign_slot(const struct assign *as, uint32_t slot, uint32_t *score,
		uint32_t *region)
{
	if (slot >= as->N)
		return -EINVAL;
	*score = as->score[slot];
	*region = as->region[slot];
	return 0;
}

int assign_export(const struct assign *as, struct assign_state *st)
{
	size_t bytes = (size_t)as->N * sizeof(uint32_t);

	memset(st, 0, sizeof(*st));
	st->slot_score = malloc(bytes ? bytes : 1);
	st->slot_region = malloc(bytes ? bytes : 1);
	st->region_size = malloc(bytes ? bytes : 1);
	if (!st->slot_score || !st->slot_region || !st->region_size) {
		assign_state_release(st);
		return -ENOMEM;
	}
	st->T = as->T;
	st->M = as->M;
	st->N = as->N;
	st->S = as->S;
	memcpy(st->slot_score, as->score, bytes);
	memcpy(st->slot_region, as->region, bytes);
	memcpy(st->region_size, as->size, bytes);
	return 0;
}

void assign_state_release(struct assign_state *st)
{
	free(st->slot_score);
	free(st->slot_region);
	free(st->region_size);
	memset(st, 0, sizeof(*st));
}

static struct assign *import_fail(struct assign *as, char *err, size_t errlen,
				  const char *why)
{
	snprintf(err, errlen, "assignment state: %s", why);
	assign_free(as);
	errno = EINVAL;
	return NULL;
}

struct assign *assign_import(const struct assign_state *st, char *err,
			     size_t errlen)
{
	struct assign *as;
	uint64_t sum = 0;
	uint32_t N0, j, r;
	char why[128];

	if (!st->T || !st->M)
		return import_fail(NULL, err, errlen,
				   "T and M must be at least 1");
	N0 = st->T / st->M + (st->T % st->M != 0);
	if (st->N < N0 || st->N > ASSIGN_MAX_REGIONS) {
		snprintf(why, sizeof(why),
			 "N = %u, but T = %u and M = %u need %u to %u", st->N,
			 st->T, st->M, N0, ASSIGN_MAX_REGIONS);
		return import_fail(NULL, err, errlen, why);
	}
	if (st->N > N0 && st->S < (uint64_t)(st->N - 1) * st->M + 1)
		return import_fail(NULL, err, errlen,
				   "more regions than arrivals can have made");
	as = assign_alloc(st->T, st->M, st->N);
	if (!as) {
		snprintf(err, errlen, "assignment state: out of memory");
		return NULL;
	}
	for (j = 0; j < st->N; j++)
		as->pos[j] = UINT32_MAX;
	for (j = 0; j < st->N; j++) {
		r = st->slot_region[j];
		if (r >= st->N || as->pos[r] != UINT32_MAX) {
			snprintf(why, sizeof(why),
				 "slot %u: region %u repeated or out of range",
				 j, r);
			return import_fail(as, err, errlen, why);
		}
		if (st->region_size[j] > st->M) {
			snprintf(why, sizeof(why),
				 "region %u: size %u above M = %u", j,
				 st->region_size[j], st->M);
			return import_fail(as, err, errlen, why);
		}
		/* Slots not yet seeded by step 1 are still (0, j) and empty. */
		if (j >= st->S && j < N0 &&
		    (r != j || st->slot_score[j] || st->region_size[j])) {
			snprintf(why, sizeof(why),
				 "slot %u: not yet seeded but not empty", j);
			return import_fail(as, err, errlen, why);
		}
		as->pos[r] = j;
		as->score[j] = st->slot_score[j];
		as->region[j] = r;
		as->size[j] = st->region_size[j];
		sum += st->region_size[j];
	}
	if (sum > st->S)
		return import_fail(as, err, errlen,
				   "more nodes in regions than arrivals");
	as->N = st->N;
	as->S = st->S;
	as->online = (uint32_t)sum;
	for (j = 0; j < st->N; j++)
		as->nonfull += as->size[j] < as->M;
	tree_build(as);
	return as;
}

#define BLOB_MAGIC 0x41505552u /* "RUPA" read as little-endian u32 */
#define BLOB_VERSION 1u
#define BLOB_HEAD 6

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void *assign_serialize(const struct assign *as, size_t *len)
{
	size_t n = BLOB_HEAD + 3 * (size_t)as->N;
	unsigned char *buf = malloc(n * 4), *p;
	uint32_t j;

	if (!buf)
		return NULL;
	p = buf;
	put32(p, BLOB_MAGIC);
	put32(p + 4, BLOB_VERSION);
	put32(p + 8, as->T);
	put32(p + 12, as->M);
	put32(p + 16, as->N);
	put32(p + 20, as->S);
	p += BLOB_HEAD * 4;
	for (j = 0; j < as->N; j++, p += 8) {
		put32(p, as->score[j]);
		put32(p + 4, as->region[j]);
	}
	for (j = 0; j < as->N; j++, p += 4)
		put32(p, as->size[j]);
	*len = n * 4;
	return buf;
}

struct assign *assign_deserialize(const void *buf, size_t len, char *err,
				  size_t errlen)
{
	const unsigned char *p = buf;
	struct assign_state st;
	struct assign *as;
	uint32_t j;

	if (len < BLOB_HEAD * 4 || get32(p) != BLOB_MAGIC ||
	    get32(p + 4) != BLOB_VERSION) {
		snprintf(err, errlen, "assignment state: not a version %u blob",
			 BLOB_VERSION);
		errno = EINVAL;
		return NULL;
	}
	memset(&st, 0, sizeof(st));
	st.T = get32(p + 8);
	st.M = get32(p + 12);
	st.N = get32(p + 16);
	st.S = get32(p + 20);
	if (st.N > ASSIGN_MAX_REGIONS ||
	    len != (BLOB_HEAD + 3 * (size_t)st.N) * 4) {
		snprintf(err, errlen,
			 "assignment state: %zu bytes do not hold %u regions",
			 len, st.N);
		errno = EINVAL;
		return NULL;
	}
	st.slot_score = malloc(st.N * 4 + 4);
	st.slot_region = malloc(st.N * 4 + 4);
	st.region_size = malloc(st.N * 4 + 4);
	if (!st.slot_score || !st.slot_region || !st.region_size) {
		assign_state_release(&st);
		snprintf(err, errlen, "assignment state: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	p += BLOB_HEAD * 4;
	for (j = 0; j < st.N; j++, p += 8) {
		st.slot_score[j] = get32(p);
		st.slot_region[j] = get32(p + 4);
	}
	for (j = 0; j < st.N; j++, p += 4)
		st.region_size[j] = get32(p);
	as = assign_import(&st, err, errlen);
	assign_state_release(&st);
	return as;
}

int assign_pool_parse(const char *cidr, struct assign_pool *pool, char *err,
		      size_t errlen)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash;
	struct in_addr in;
	unsigned long prefix;
	uint32_t base, mask;
	size_t alen;
	char *end;

	slash = strchr(cidr, '/');
	if (!slash) {
		snprintf(err, errlen, "pool '%s': expected ADDRESS/PREFIX",
			 cidr);
		return -EINVAL;
	}
	alen = (size_t)(slash - cidr);
	if (alen >= sizeof(addr)) {
		snprintf(err, errlen, "pool '%.40s': address too long", cidr);
		return -EINVAL;
	}
	memcpy(addr, cidr, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1) {
		snprintf(err, errlen, "pool '%s': '%s' is not an IPv4 address",
			 cidr, addr);
		return -EINVAL;
	}
	errno = 0;
	prefix = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || errno || prefix > 32) {
		snprintf(err, errlen, "pool '%s': prefix must be 0..32", cidr);
		return -EINVAL;
	}
	base = ntohl(in.s_addr);
	mask = prefix ? UINT32_MAX << (32 - prefix) : 0;
	if (base & ~mask) {
		snprintf(
			err, errlen,
			"pool '%s': host bits set (did you mean %u.%u.%u.%u/%lu?)",
			cidr, (base & mask) >> 24, (base & mask) >> 16 & 255,
			(base & mask) >> 8 & 255, base & mask & 255, prefix);
		return -EINVAL;
	}
	if (prefix < 4 || (base & 0xf0000000u) != 0xe0000000u) {
		snprintf(err, errlen,
			 "pool '%s': must lie inside 224.0.0.0/4 (multicast)",
			 cidr);
		return -EINVAL;
	}
	/* 224.0.0.0/24 is the link-local control block (IGMP, OSPF, ...). */
	if ((base & 0xffffff00u) == 0xe0000000u ||
	    (0xe0000000u & mask) == base) {
		snprintf(err, errlen,
			 "pool '%s': overlaps 224.0.0.0/24 (reserved)", cidr);
		return -EINVAL;
	}
	pool->base = base;
	pool->prefix = (uint32_t)prefix;
	pool->size = 1ull << (32 - prefix);
	return 0;
}

uint32_t assign_pool_regions(const struct assign_pool *pool)
{
	return pool->size > ASSIGN_MAX_REGIONS ? ASSIGN_MAX_REGIONS :
						 (uint32_t)pool->size;
}

int assign_pool_group(const struct assign_pool *pool, uint32_t region,
		      char *out, size_t len)
{
	struct in_addr in;

	if (region >= pool->size)
		return -ENOSPC;
	in.s_addr = htonl(pool->base + region);
	if (!inet_ntop(AF_INET, &in, out, len))
		return -EINVAL;
	return 0;
}

int assign_group(const char *pool_cidr, uint32_t region, char *out, size_t len)
{
	struct assign_pool pool;
	char err[160];
	int ret;

	ret = assign_pool_parse(pool_cidr ? pool_cidr : ASSIGN_DEFAULT_POOL,
				&pool, err, sizeof(err));
	if (ret)
		return ret;
	return assign_pool_group(&pool, region, out, len);
}
