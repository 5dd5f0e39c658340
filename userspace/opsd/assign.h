/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Region assignment, SPEC section 4, as a module with no I/O.
 *
 * Used by live registration and by `rup-opsd plan`, so a dry run gives the
 * layout the server would give.
 *
 * State: T planned nodes, M most nodes per region, N regions (ceil(T/M) at
 * first, one more each time every region is full), S arrivals of new nodes,
 * the slot array R (one slot per region: best score seen in it, region) and
 * the size of every region. Region ids are 0..N-1 in order of creation.
 *
 * Decisions where the SPEC is silent:
 * - Growth (step 3) happens when every region is full. Without removals and
 *   with M dividing T this is exactly "S > T"; when M does not divide T the
 *   N*M - T spare places are used first, as the step's wording says.
 * - A re-registering node is the caller's business (it knows node ids): it
 *   keeps its region and nothing here is called, so S does not change.
 * - assign_remove() frees the node's place: its region's size goes down by
 *   one, so a later node may fill it and growth waits until every region is
 *   really full again. S is NOT decreased: S counts arrivals, so k = S - 1
 *   stays the 0-based arrival order, step 1 (seeding region k) never runs a
 *   second time and the round-robin cursor a = k mod N keeps moving. R keeps
 *   the best score *seen* in the region, even if that node is removed.
 *
 * Cost: O(log N) per assign_add() (a min segment tree over the slots keyed
 * by (score, slot) for non-full regions), O(1) per assign_remove() plus one
 * tree update.
 *
 * Functions returning int give 0 or a negative errno.
 */
#ifndef RUP_OPSD_ASSIGN_H
#define RUP_OPSD_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

/* Hard cap on regions (memory); a pool usually caps earlier. */
#define ASSIGN_MAX_REGIONS (1u << 24)
#define ASSIGN_DEFAULT_POOL "239.192.0.0/16"

struct assign;

/*
 * New state for T planned nodes, at most M per region: N = ceil(T/M)
 * regions. NULL with errno EINVAL (T or M zero, N above
 * ASSIGN_MAX_REGIONS) or ENOMEM.
 */
struct assign *assign_new(uint32_t T, uint32_t M);
void assign_free(struct assign *as);

/*
 * Cap the number of regions, e.g. at the pool's size (assign_pool_size()).
 * -ERANGE when more regions exist already. Not part of the exported state:
 * it is configuration, set again after assign_import().
 */
int assign_set_max_regions(struct assign *as, uint32_t max);

/*
 * A node not seen before, with composite score @score: puts it in a region
 * (*region), S goes up by one. -ENOSPC when every region is full and no new
 * region may be made (max regions), -EOVERFLOW when S would wrap; on error
 * nothing changed.
 */
int assign_add(struct assign *as, uint32_t score, uint32_t *region);

/*
 * After a successful assign_add(): the slots of R it changed (0, 1 or 2),
 * so a caller persisting R row by row writes only those (plus S and the
 * region's size). Returns the count; fills slots[0..count-1].
 */
unsigned int assign_last_changed(const struct assign *as, uint32_t slots[2]);

/* Remove one node of @region: frees its place (see above). -EINVAL when the
 * region does not exist or is empty. */
int assign_remove(struct assign *as, uint32_t region);

uint32_t assign_nregions(const struct assign *as); /* N */
uint32_t assign_arrivals(const struct assign *as); /* S */
uint32_t assign_online(const struct assign *as); /* sum of region sizes */
uint32_t assign_planned(const struct assign *as); /* T */
uint32_t assign_max_per_region(const struct assign *as); /* M */
/* Size of @region, 0 when it does not exist. */
uint32_t assign_region_size(const struct assign *as, uint32_t region);
/* Slot @slot of R; -EINVAL when slot >= N. */
int assign_slot(const struct assign *as, uint32_t slot, uint32_t *score,
		uint32_t *region);

/*
 * Persistence: all of the state as plain arrays of N entries each. After
 * assign_import() of an export the next assign_add() calls give exactly
 * what they would have given without the round trip.
 */
struct assign_state {
	uint32_t T, M, N, S;
	uint32_t *slot_score; /* R[j].score, j = 0..N-1 */
	uint32_t *slot_region; /* R[j].region, a permutation of 0..N-1 */
	uint32_t *region_size; /* size of region i, i = 0..N-1 */
};

/* Copy the state into malloc'd arrays; free them with assign_state_release(). */
int assign_export(const struct assign *as, struct assign_state *st);
void assign_state_release(struct assign_state *st);

/*
 * New assignment from a saved state; every field is checked (N against T/M,
 * R a permutation, sizes within M and S, unseeded slots untouched). NULL
 * with a reason in @err on bad state, errno set (EINVAL or ENOMEM).
 */
struct assign *assign_import(const struct assign_state *st, char *err,
			     size_t errlen);

/*
 * The same state as one little-endian blob (a single SQLite BLOB column):
 * "RUPA", version 1, T, M, N, S, then N x (score, region), N x size, all u32.
 * assign_serialize() returns a malloc'd buffer and its length, or NULL.
 * assign_deserialize() checks length and content, as assign_import().
 */
void *assign_serialize(const struct assign *as, size_t *len);
struct assign *assign_deserialize(const void *buf, size_t len, char *err,
				  size_t errlen);

/*
 * Multicast groups. A pool is an IPv4 CIDR inside 224.0.0.0/4 that does not
 * overlap the link-local control block 224.0.0.0/24, with no host bits set.
 * Region i gets the i-th address of the pool, counting from the pool's
 * first address: every address of a multicast range is a usable group (no
 * network or broadcast address exists), so none is skipped and
 * 239.192.0.0/16 gives 65536 groups, 239.192.0.0 to region 0.
 */
struct assign_pool {
	uint32_t base; /* first address, host byte order */
	uint32_t prefix; /* 4..32 */
	uint64_t size; /* number of addresses */
};

int assign_pool_parse(const char *cidr, struct assign_pool *pool, char *err,
		      size_t errlen);
/* Pool size capped to ASSIGN_MAX_REGIONS, for assign_set_max_regions(). */
uint32_t assign_pool_regions(const struct assign_pool *pool);
/* Dotted quad of @region's group into @out; -ENOSPC when the pool is
 * exhausted, -EINVAL when @len is too small. */
int assign_pool_group(const struct assign_pool *pool, uint32_t region,
		      char *out, size_t len);
/* The two above in one: parse @pool_cidr (NULL: the default pool). */
int assign_group(const char *pool_cidr, uint32_t region, char *out, size_t len);

#endif
