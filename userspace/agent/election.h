/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RVS election of one region (SPEC §6) as a pure state machine: no
 * sockets, no clocks. The agent feeds it the kernel's view of the live
 * peers and the time, and publishes what comes out (role and term) with
 * RUP_CMD_SELF_SET; the kernel beacons it.
 *
 * Ranking: by (score, node id), higher wins. Abnormal nodes do not rank.
 *
 * States and rules:
 *   LISTEN     after start, for one dead interval: follow a live RVS if one
 *              is heard, never claim.
 *   MEMBER     follow the live RVS of the highest term (equal terms: the
 *              higher rank). With none, the top-ranked eligible node claims
 *              at once; a node with k eligible nodes ranked above it claims
 *              only after 2*k intervals without an RVS or a better claim,
 *              so a region whose best node's agent is dead still elects.
 *   CANDIDATE  beacons the claim with term = highest term seen + 1. Steps
 *              down on a better claim (higher term; equal term and higher
 *              rank) unless the claimant ranks below it, in which case it
 *              answers with a fresh claim. Unchallenged for one interval:
 *              becomes RVS.
 *   RVS        steps down on a live RVS of a higher term, or of an equal
 *              term and higher rank; when abnormal; and at each election
 *              period when a live node's score beats its own by more than
 *              the hysteresis and no distribution is in progress (handover:
 *              it becomes a member, the better node claims).
 *   ABNORMAL   published as RUP_ROLE_ABNORMAL; follows, never claims.
 *
 * Members publish the term of the RVS they follow (PROTOCOL.md), or with
 * none the highest term they have seen; a claim always uses the highest
 * term seen anywhere (members' too) + 1.
 */
#ifndef RUPCTL_ELECTION_H
#define RUPCTL_ELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rup.h>

struct election_config {
	uint32_t interval_ms; /* beacon interval of the region */
	uint32_t dead_ms; /* the kernel's dead interval */
	uint64_t period_ms; /* periodic re-election; 0 = never */
	uint32_t hysteresis_pct; /* handover margin, percent */
};

#define ELECTION_PERIOD_DEFAULT_MS (24ULL * 3600 * 1000)
#define ELECTION_HYSTERESIS_DEFAULT 10

/* A live peer as the kernel's version table shows it. */
struct election_peer {
	uint8_t id[RUP_NODE_ID_LEN];
	uint32_t score;
	uint32_t role; /* RUP_ROLE_* */
	uint64_t term;
};

enum election_state {
	ELECTION_LISTEN,
	ELECTION_MEMBER,
	ELECTION_CANDIDATE,
	ELECTION_RVS,
	ELECTION_ABNORMAL,
};

struct election {
	struct election_config cfg;
	uint8_t id[RUP_NODE_ID_LEN];
	uint32_t score;
	bool abnormal;
	bool distributing;
	enum election_state state;
	uint64_t term; /* own claim (candidate / RVS) */
	uint64_t max_term; /* highest term seen anywhere */
	uint64_t pub_term; /* term of the last step's output */
	uint64_t listen_until;
	uint64_t claim_at; /* when the current claim was made */
	uint64_t next_period; /* next periodic re-election check */
	bool leaderless; /* member with no RVS in sight ... */
	uint64_t leaderless_since; /* ... since then */
	const char *why; /* reason for the last transition */
};

/* What to publish and whom to follow after a step. */
struct election_out {
	enum election_state state;
	uint32_t role; /* RUP_ROLE_* bits for SELF_SET */
	uint64_t term; /* term for SELF_SET */
	bool have_rvs; /* an RVS to follow (maybe this node) */
	bool self_rvs;
	uint8_t rvs_id[RUP_NODE_ID_LEN];
	uint64_t rvs_term;
	bool changed; /* state or term differs from before */
	const char *why; /* why it changed (static text) */
};

void election_config_default(struct election_config *cfg, uint32_t interval_ms,
			     uint32_t dead_ms);
void election_init(struct election *e, const struct election_config *cfg,
		   const uint8_t id[RUP_NODE_ID_LEN], uint32_t score,
		   uint64_t now_ms);
void election_set_score(struct election *e, uint32_t score);
void election_set_abnormal(struct election *e, bool abnormal);
void election_set_distributing(struct election *e, bool on);

/*
 * Run the machine on the current view (every live peer of the region,
 * this node excluded). Call it on every kernel event (peer new, changed,
 * gone, RVS lost: the lost RVS is simply no longer in the view), after the
 * set_* calls, and on a timer at least every interval / 4. @now_ms must
 * come from a monotonic clock (CLOCK_MONOTONIC), never the wall clock.
 */
void election_step(struct election *e, uint64_t now_ms,
		   const struct election_peer *peers, size_t n,
		   struct election_out *out);

/* <0, 0, >0 as (score a, id a) ranks below, equal to, above (score b, id b). */
int election_rank_cmp(uint32_t score_a, const uint8_t *id_a, uint32_t score_b,
		      const uint8_t *id_b);

const char *election_state_name(enum election_state s);

#endif
