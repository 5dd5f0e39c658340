// SPDX-License-Identifier: GPL-2.0
/* The RVS election state machine (SPEC §6); see election.h for the rules. */
#include "election.h"

#include <string.h>

static const char *const state_names[] = {
	[ELECTION_LISTEN] = "listen",	    [ELECTION_MEMBER] = "member",
	[ELECTION_CANDIDATE] = "candidate", [ELECTION_RVS] = "rvs",
	[ELECTION_ABNORMAL] = "abnormal",
};

const char *election_state_name(enum election_state s)
{
	return (unsigned int)s < sizeof(state_names) / sizeof(state_names[0]) ?
		       state_names[s] :
		       "?";
}

int election_rank_cmp(uint32_t score_a, const uint8_t *id_a, uint32_t score_b,
		      const uint8_t *id_b)
{
	if (score_a != score_b)
		return score_a < score_b ? -1 : 1;
	return memcmp(id_a, id_b, RUP_NODE_ID_LEN);
}

void election_config_default(struct election_config *cfg, uint32_t interval_ms,
			     uint32_t dead_ms)
{
	cfg->interval_ms = interval_ms;
	cfg->dead_ms = dead_ms;
	cfg->period_ms = ELECTION_PERIOD_DEFAULT_MS;
	cfg->hysteresis_pct = ELECTION_HYSTERESIS_DEFAULT;
}

void election_init(struct election *e, const struct election_config *cfg,
		   const uint8_t id[RUP_NODE_ID_LEN], uint32_t score,
		   uint64_t now_ms)
{
	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	memcpy(e->id, id, RUP_NODE_ID_LEN);
	e->score = score;
	e->state = ELECTION_LISTEN;
	e->listen_until = now_ms + cfg->dead_ms;
	e->why = "started: listening one dead interval";
}

void election_set_score(struct election *e, uint32_t score)
{
	e->score = score;
}

void election_set_abnormal(struct election *e, bool abnormal)
{
	e->abnormal = abnormal;
}

void election_set_distributing(struct election *e, bool on)
{
	e->distributing = on;
}

static bool live_claim(const struct election_peer *p, uint32_t role)
{
	return (p->role & role) && !(p->role & RUP_ROLE_ABNORMAL);
}

/* @a beats @b by (term, rank); NULL @b is beaten by anything. */
static bool claim_beats(const struct election_peer *a,
			const struct election_peer *b)
{
	if (!b || a->term != b->term)
		return !b || a->term > b->term;
	return election_rank_cmp(a->score, a->id, b->score, b->id) > 0;
}

/* The best live claim holding @role bits in the view, or NULL. */
static const struct election_peer *best_claim(const struct election_peer *peers,
					      size_t n, uint32_t role)
{
	const struct election_peer *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (live_claim(&peers[i], role) && claim_beats(&peers[i], best))
			best = &peers[i];
	return best;
}

static int rank_vs_self(const struct election *e, const struct election_peer *p)
{
	return election_rank_cmp(p->score, p->id, e->score, e->id);
}

/* Does @p's claim beat this node's own claim at e->term? */
static bool beats_self(const struct election *e, const struct election_peer *p)
{
	if (p->term != e->term)
		return p->term > e->term;
	return rank_vs_self(e, p) > 0;
}

/* Eligible (not abnormal) peers ranked above this node. */
static unsigned int ranked_above(const struct election *e,
				 const struct election_peer *peers, size_t n)
{
	unsigned int k = 0;

	for (size_t i = 0; i < n; i++)
		if (!(peers[i].role & RUP_ROLE_ABNORMAL) &&
		    rank_vs_self(e, &peers[i]) > 0)
			k++;
	return k;
}

static void become(struct election *e, enum election_state s, const char *why)
{
	e->state = s;
	e->why = why;
}

static void claim(struct election *e, uint64_t now, const char *why)
{
	e->term = e->max_term + 1;
	e->max_term = e->term;
	e->claim_at = now;
	e->leaderless = false;
	become(e, ELECTION_CANDIDATE, why);
}

static void member_step(struct election *e, uint64_t now,
			const struct election_peer *peers, size_t n,
			const struct election_peer *rvs,
			const struct election_peer *cand)
{
	unsigned int k;

	if (rvs) {
		e->leaderless = false;
		return;
	}
	if (!e->leaderless) {
		e->leaderless = true;
		e->leaderless_since = now;
	}
	/* A better-ranked claim is under way: let it finish. */
	if (cand && rank_vs_self(e, cand) > 0)
		return;
	k = ranked_above(e, peers, n);
	if (k == 0) {
		claim(e, now,
		      cand ? "answering a lower-ranked claim" :
			     "no RVS: top-ranked node claims");
		return;
	}
	if (now - e->leaderless_since >= (uint64_t)k * 2 * e->cfg.interval_ms)
		claim(e, now,
		      "no RVS and no better claim: claiming as fallback");
}

static void candidate_step(struct election *e, uint64_t now,
			   const struct election_peer *rvs,
			   const struct election_peer *cand)
{
	if (rvs && beats_self(e, rvs)) {
		become(e, ELECTION_MEMBER,
		       "candidate: an RVS of a higher term or rank");
		return;
	}
	if (cand && beats_self(e, cand)) {
		if (rank_vs_self(e, cand) < 0)
			claim(e, now, "answering a lower-ranked claim");
		else
			become(e, ELECTION_MEMBER, "candidate: a better claim");
		return;
	}
	if (now - e->claim_at >= e->cfg.interval_ms) {
		become(e, ELECTION_RVS, "unchallenged claim: now RVS");
		e->next_period = now + e->cfg.period_ms;
	}
}

/* A live node whose score beats ours by more than the hysteresis? */
static bool better_node_exists(const struct election *e,
			       const struct election_peer *peers, size_t n)
{
	uint64_t bar = (uint64_t)e->score * (100 + e->cfg.hysteresis_pct);

	for (size_t i = 0; i < n; i++)
		if (!(peers[i].role & RUP_ROLE_ABNORMAL) &&
		    (uint64_t)peers[i].score * 100 > bar)
			return true;
	return false;
}

static void rvs_step(struct election *e, uint64_t now,
		     const struct election_peer *peers, size_t n,
		     const struct election_peer *rvs)
{
	if (rvs && beats_self(e, rvs)) {
		become(e, ELECTION_MEMBER,
		       "RVS: another RVS of a higher term or rank");
		return;
	}
	if (!e->cfg.period_ms || now < e->next_period)
		return;
	e->next_period = now + e->cfg.period_ms;
	if (e->distributing || !better_node_exists(e, peers, n))
		return;
	become(e, ELECTION_MEMBER,
	       "periodic re-election: handing over to a better node");
	/* The better node must claim before our own fallback timer runs out. */
	e->leaderless = true;
	e->leaderless_since = now;
}

static void fill_out(const struct election *e, const struct election_peer *rvs,
		     struct election_out *out)
{
	out->state = e->state;
	switch (e->state) {
	case ELECTION_CANDIDATE:
		out->role = RUP_ROLE_CANDIDATE;
		out->term = e->term;
		break;
	case ELECTION_RVS:
		out->role = RUP_ROLE_RVS;
		out->term = e->term;
		break;
	case ELECTION_ABNORMAL:
		out->role = RUP_ROLE_ABNORMAL;
		out->term = rvs ? rvs->term : e->max_term;
		break;
	default:
		/* PROTOCOL.md: members repeat the term of the RVS they follow. */
		out->role = RUP_ROLE_MEMBER;
		out->term = rvs ? rvs->term : e->max_term;
		break;
	}
	out->self_rvs = e->state == ELECTION_RVS;
	out->have_rvs = out->self_rvs ||
			(rvs && e->state != ELECTION_CANDIDATE);
	if (out->self_rvs) {
		memcpy(out->rvs_id, e->id, RUP_NODE_ID_LEN);
		out->rvs_term = e->term;
	} else if (out->have_rvs) {
		memcpy(out->rvs_id, rvs->id, RUP_NODE_ID_LEN);
		out->rvs_term = rvs->term;
	} else {
		memset(out->rvs_id, 0, RUP_NODE_ID_LEN);
		out->rvs_term = 0;
	}
	out->why = e->why;
}

void election_step(struct election *e, uint64_t now_ms,
		   const struct election_peer *peers, size_t n,
		   struct election_out *out)
{
	enum election_state before = e->state;
	const struct election_peer *rvs, *cand;

	for (size_t i = 0; i < n; i++)
		if (peers[i].term > e->max_term)
			e->max_term = peers[i].term;
	rvs = best_claim(peers, n, RUP_ROLE_RVS);
	cand = best_claim(peers, n, RUP_ROLE_CANDIDATE);

	if (e->abnormal) {
		if (e->state != ELECTION_ABNORMAL)
			become(e, ELECTION_ABNORMAL, "abnormal: stepping down");
	} else {
		if (e->state == ELECTION_ABNORMAL) {
			become(e, ELECTION_MEMBER, "normal again");
			e->leaderless = false;
		}
		if (e->state == ELECTION_LISTEN && now_ms >= e->listen_until) {
			become(e, ELECTION_MEMBER,
			       rvs ? "listened: following the RVS" :
				     "listened: no RVS heard");
			e->leaderless = false;
		}
		switch (e->state) {
		case ELECTION_MEMBER:
			member_step(e, now_ms, peers, n, rvs, cand);
			break;
		case ELECTION_CANDIDATE:
			candidate_step(e, now_ms, rvs, cand);
			break;
		case ELECTION_RVS:
			rvs_step(e, now_ms, peers, n, rvs);
			break;
		default:
			break;
		}
	}
	fill_out(e, rvs, out);
	out->changed = out->state != before || out->term != e->pub_term;
	e->pub_term = out->term;
}
