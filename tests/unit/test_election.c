// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the election state machine: several simulated nodes of one
 * region exchange views (what each publishes is what the others' kernels
 * show), ticking every 100 ms with a 1 s interval and a 3.5 s dead interval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#include "../../userspace/agent/election.h"

#define MAXN 8
#define TICK 100
#define IVAL 1000
#define DEAD 3500

struct node {
	bool started; /* agent has run at least once */
	bool kernel; /* kernel beacons (what it last published) */
	bool agent; /* agent runs the election */
	int side; /* partition side; nodes see only their side */
	uint64_t gone_at; /* when the kernel stopped beaconing */
	uint32_t score;
	uint8_t id[RUP_NODE_ID_LEN];
	struct election e;
	struct election_out out;
	int role_changes;
};

struct sim {
	struct node n[MAXN];
	int count;
	uint64_t now;
	struct election_config cfg;
};

static void sim_init(struct sim *s, uint64_t period_ms)
{
	memset(s, 0, sizeof(*s));
	election_config_default(&s->cfg, IVAL, DEAD);
	s->cfg.period_ms = period_ms;
	s->now = 1000000; /* the clock is arbitrary; not zero */
}

/* Start node @i (id = i + 1) with @score now. */
static void start(struct sim *s, int i, uint32_t score)
{
	struct node *nd = &s->n[i];

	memset(nd, 0, sizeof(*nd));
	nd->id[RUP_NODE_ID_LEN - 1] = (uint8_t)(i + 1);
	nd->score = score;
	nd->kernel = nd->agent = nd->started = true;
	election_init(&nd->e, &s->cfg, nd->id, score, s->now);
	nd->out.role = RUP_ROLE_MEMBER;
	if (i >= s->count)
		s->count = i + 1;
}

static void kill_node(struct sim *s, int i)
{
	s->n[i].kernel = s->n[i].agent = false;
	s->n[i].gone_at = s->now;
}

/* What node @i's kernel shows: peers beaconing, or silent for < DEAD. */
static size_t view(const struct sim *s, int i, struct election_peer *v)
{
	size_t k = 0;

	for (int j = 0; j < s->count; j++) {
		const struct node *p = &s->n[j];

		if (j == i || !p->started || p->side != s->n[i].side)
			continue;
		if (!p->kernel && s->now - p->gone_at >= DEAD)
			continue;
		memcpy(v[k].id, p->id, RUP_NODE_ID_LEN);
		v[k].score = p->score;
		v[k].role = p->out.role;
		v[k].term = p->out.term;
		k++;
	}
	return k;
}

/* One tick: every agent steps on the state published before the tick. */
static void tick(struct sim *s)
{
	struct election_peer views[MAXN][MAXN];
	size_t nv[MAXN];

	s->now += TICK;
	for (int i = 0; i < s->count; i++)
		nv[i] = view(s, i, views[i]);
	for (int i = 0; i < s->count; i++) {
		struct node *nd = &s->n[i];
		uint32_t role = nd->out.role;

		if (!nd->agent)
			continue;
		election_set_score(&nd->e, nd->score);
		election_step(&nd->e, s->now, views[i], nv[i], &nd->out);
		if (nd->out.role != role)
			nd->role_changes++;
	}
}

static void run(struct sim *s, uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += TICK)
		tick(s);
}

/* Index of the single RVS among running agents, -1 if none, -2 if several. */
static int the_rvs(const struct sim *s)
{
	int found = -1;

	for (int i = 0; i < s->count; i++) {
		if (!s->n[i].agent || s->n[i].out.role != RUP_ROLE_RVS)
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

/* Every running agent except @rvs follows @rvs. */
static void assert_all_follow(const struct sim *s, int rvs)
{
	for (int i = 0; i < s->count; i++) {
		const struct node *nd = &s->n[i];

		if (!nd->agent)
			continue;
		if (!nd->out.have_rvs ||
		    memcmp(nd->out.rvs_id, s->n[rvs].id, RUP_NODE_ID_LEN))
			fail_msg("node %d does not follow node %d (state %s)",
				 i, rvs, election_state_name(nd->out.state));
		if (i != rvs)
			assert_int_equal(nd->out.role, RUP_ROLE_MEMBER);
	}
}

/* Run until there is exactly one RVS; returns the ms it took, or fails. */
static uint64_t until_one_rvs(struct sim *s, uint64_t limit)
{
	uint64_t t0 = s->now;

	while (s->now - t0 <= limit) {
		if (the_rvs(s) >= 0)
			return s->now - t0;
		tick(s);
	}
	fail_msg("no single RVS within %llu ms", (unsigned long long)limit);
	return 0;
}

/* A fresh simulation with nodes 0.. started with the given scores. */
static void sim_start(struct sim *s, uint64_t period_ms, const uint32_t *scores,
		      int n)
{
	sim_init(s, period_ms);
	for (int i = 0; i < n; i++)
		start(s, i, scores[i]);
}

#define SIM_START(s, period_ms, ...)                            \
	do {                                                    \
		static const uint32_t sc_[] = { __VA_ARGS__ };  \
		sim_start(s, period_ms, sc_,                    \
			  (int)(sizeof(sc_) / sizeof(sc_[0]))); \
	} while (0)

/* After @ms more, node @rvs is the single RVS and every agent follows it. */
static void assert_settled(struct sim *s, uint64_t ms, int rvs)
{
	run(s, ms);
	assert_int_equal(the_rvs(s), rvs);
	assert_all_follow(s, rvs);
}

/* Four nodes elect the best one, node 3. */
static void elect_best_of_four(struct sim *s)
{
	SIM_START(s, 0, 50, 80, 30, 90);
	until_one_rvs(s, DEAD + 5 * IVAL);
	assert_int_equal(the_rvs(s), 3);
}

/* A lone election with the test timings, never stepped yet. */
static void lone_init(struct election *e, struct election_config *cfg,
		      const uint8_t *id, uint32_t score)
{
	election_config_default(cfg, IVAL, DEAD);
	election_init(e, cfg, id, score, 0);
}

static void test_start_without_rvs(void **state)
{
	struct sim s;
	uint64_t took;

	(void)state;
	SIM_START(&s, 0, 50, 80, 30, 90);
	/* Nobody claims while listening. */
	run(&s, DEAD - TICK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(s.n[i].out.state, ELECTION_LISTEN);
	took = until_one_rvs(&s, 5 * IVAL);
	assert_int_equal(the_rvs(&s), 3); /* the highest score */
	assert_true(took <= 2 * IVAL);
	assert_int_equal(s.n[3].out.term, 1);
	assert_settled(&s, 10 * IVAL, 3);
	for (int i = 0; i < 4; i++)
		assert_int_equal(s.n[i].out.term,
				 1); /* members publish it too */
}

static void test_equal_scores_node_id_breaks_tie(void **state)
{
	struct sim s;

	(void)state;
	SIM_START(&s, 0, 70, 70, 70);
	until_one_rvs(&s, DEAD + 5 * IVAL);
	assert_int_equal(the_rvs(&s), 2); /* highest node id */
}

static void test_start_with_live_rvs(void **state)
{
	struct sim s;
	uint64_t term;

	(void)state;
	SIM_START(&s, 0, 40, 60);
	until_one_rvs(&s, DEAD + 5 * IVAL);
	assert_int_equal(the_rvs(&s), 1);
	term = s.n[1].out.term;
	/* A better node joins: it hears the live RVS and follows it. */
	start(&s, 2, 99);
	run(&s, IVAL);
	assert_int_equal(s.n[2].out.state, ELECTION_LISTEN);
	assert_true(s.n[2].out.have_rvs);
	assert_settled(&s, 20 * IVAL, 1);
	assert_int_equal(s.n[1].out.term, term);
	assert_int_equal(s.n[2].role_changes, 0);
}

static void test_rvs_lost(void **state)
{
	struct sim s;
	uint64_t took;

	(void)state;
	elect_best_of_four(&s);
	run(&s, 5 * IVAL);
	assert_int_equal(the_rvs(&s), 3);
	kill_node(&s, 3);
	/* SPEC §6 target: a new RVS within dead interval + 2 intervals. */
	took = until_one_rvs(&s, DEAD + 4 * IVAL);
	assert_true(took <= DEAD + 2 * IVAL);
	assert_int_equal(the_rvs(&s), 1); /* next best */
	assert_int_equal(s.n[1].out.term, 2);
	assert_settled(&s, 10 * IVAL, 1);
}

static void test_best_agent_dead_fallback(void **state)
{
	struct sim s;

	(void)state;
	SIM_START(&s, 0, 10, 20, 99);
	s.n[2].agent = false; /* its kernel beacons "member"; it never claims */
	until_one_rvs(&s, DEAD + 6 * IVAL);
	assert_int_equal(the_rvs(&s), 1); /* second best, after its wait */
	run(&s, 10 * IVAL);
	assert_int_equal(the_rvs(&s), 1);
	assert_int_equal(s.n[0].role_changes, 0);
}

static void test_split_then_heal_equal_terms(void **state)
{
	struct sim s;

	(void)state;
	/* Two halves that cannot hear each other elect at the same time. */
	SIM_START(&s, 0, 50, 70, 60, 40);
	s.n[2].side = s.n[3].side = 1;
	run(&s, DEAD + 3 * IVAL);
	assert_int_equal(s.n[1].out.role, RUP_ROLE_RVS);
	assert_int_equal(s.n[2].out.role, RUP_ROLE_RVS);
	assert_int_equal(s.n[1].out.term, s.n[2].out.term); /* equal terms */
	assert_int_equal(the_rvs(&s), -2);
	/* Healed: the higher rank wins, the other steps down. */
	s.n[2].side = s.n[3].side = 0;
	run(&s, 2 * TICK);
	assert_int_equal(the_rvs(&s), 1);
	assert_settled(&s, 10 * IVAL, 1);
}

static void test_higher_term_wins(void **state)
{
	struct sim s;

	(void)state;
	SIM_START(&s, 0, 90, 10, 20, 30);
	s.n[1].side = s.n[2].side = s.n[3].side = 1;
	run(&s, DEAD + 3 * IVAL);
	assert_int_equal(s.n[0].out.role, RUP_ROLE_RVS);
	assert_int_equal(s.n[3].out.role, RUP_ROLE_RVS);
	/* The small side loses its RVS and elects again: term 2. */
	kill_node(&s, 3);
	run(&s, DEAD + 3 * IVAL);
	assert_int_equal(s.n[2].out.role, RUP_ROLE_RVS);
	assert_int_equal(s.n[2].out.term, 2);
	assert_int_equal(s.n[0].out.term, 1);
	/* Healed: the higher term wins although it ranks lower. */
	s.n[1].side = s.n[2].side = 0;
	run(&s, 2 * TICK);
	assert_int_equal(the_rvs(&s), 2);
	assert_settled(&s, 10 * IVAL, 2);
	assert_int_equal(s.n[0].out.term, 2);
}

static void test_simultaneous_claims(void **state)
{
	struct election a, b;
	struct election_config cfg;
	struct election_out oa, ob;
	struct election_peer pa, pb;
	uint8_t ida[RUP_NODE_ID_LEN] = { 1 }, idb[RUP_NODE_ID_LEN] = { 2 };
	uint64_t now = 5000;

	(void)state;
	election_config_default(&cfg, IVAL, DEAD);
	/* Both listened and saw nothing, so both claim term 1 in the same tick. */
	election_init(&a, &cfg, ida, 50, 0);
	election_init(&b, &cfg, idb, 50, 0);
	election_step(&a, now, NULL, 0, &oa);
	election_step(&b, now, NULL, 0, &ob);
	assert_int_equal(oa.state, ELECTION_CANDIDATE);
	assert_int_equal(ob.state, ELECTION_CANDIDATE);
	assert_int_equal(oa.term, 1);
	assert_int_equal(ob.term, 1);
	assert_true(oa.changed);
	/* Each hears the other's claim: same term, b's id ranks higher. */
	memcpy(pa.id, ida, sizeof(ida));
	memcpy(pb.id, idb, sizeof(idb));
	pa.score = pb.score = 50;
	pa.role = pb.role = RUP_ROLE_CANDIDATE;
	pa.term = pb.term = 1;
	now += TICK;
	election_step(&a, now, &pb, 1, &oa);
	election_step(&b, now, &pa, 1, &ob);
	assert_int_equal(oa.state, ELECTION_MEMBER);
	assert_int_equal(ob.state, ELECTION_CANDIDATE);
	assert_false(oa.have_rvs);
	pa.role = RUP_ROLE_MEMBER;
	now += IVAL;
	election_step(&b, now, &pa, 1, &ob);
	assert_int_equal(ob.state, ELECTION_RVS);
	assert_true(ob.self_rvs);
	pb.role = RUP_ROLE_RVS;
	election_step(&a, now + TICK, &pb, 1, &oa);
	assert_true(oa.have_rvs);
	assert_memory_equal(oa.rvs_id, idb, sizeof(idb));
	assert_int_equal(oa.rvs_term, 1);
}

static void test_higher_rank_answers_claim(void **state)
{
	struct election e;
	struct election_config cfg;
	struct election_out o;
	struct election_peer low = {
		.id = { 1 }, .score = 10, .role = RUP_ROLE_CANDIDATE, .term = 4
	};
	uint8_t id[RUP_NODE_ID_LEN] = { 9 };

	(void)state;
	lone_init(&e, &cfg, id, 80);
	/* Still listening: it hears the claim but does not answer yet. */
	election_step(&e, 100, &low, 1, &o);
	assert_int_equal(o.state, ELECTION_LISTEN);
	assert_int_equal(o.term, 4);
	election_step(&e, DEAD, &low, 1, &o);
	assert_int_equal(o.state, ELECTION_CANDIDATE);
	assert_int_equal(o.term, 5);
	/* The lower-ranked one somehow claims higher: answered again. */
	low.term = 7;
	election_step(&e, DEAD + TICK, &low, 1, &o);
	assert_int_equal(o.state, ELECTION_CANDIDATE);
	assert_int_equal(o.term, 8);
	/* It has stepped down: one interval after the last claim, RVS. */
	low.role = RUP_ROLE_MEMBER;
	election_step(&e, DEAD + TICK + IVAL - 1, &low, 1, &o);
	assert_int_equal(o.state, ELECTION_CANDIDATE);
	election_step(&e, DEAD + TICK + IVAL, &low, 1, &o);
	assert_int_equal(o.state, ELECTION_RVS);
	assert_int_equal(o.role, RUP_ROLE_RVS);
	assert_int_equal(o.term, 8);
}

static void test_abnormal_step_down(void **state)
{
	struct sim s;
	uint64_t took;

	(void)state;
	elect_best_of_four(&s);
	/* Its store fails: it says so at once, and the next best takes over. */
	election_set_abnormal(&s.n[3].e, true);
	tick(&s);
	assert_int_equal(s.n[3].out.role, RUP_ROLE_ABNORMAL);
	assert_int_equal(s.n[3].out.state, ELECTION_ABNORMAL);
	took = until_one_rvs(&s, 3 * IVAL);
	assert_true(took <= 2 * IVAL); /* no dead interval to wait for */
	assert_int_equal(the_rvs(&s), 1);
	assert_true(s.n[1].out.term > 1);
	/* Healthy again: it follows, it does not grab the role back. */
	election_set_abnormal(&s.n[3].e, false);
	assert_settled(&s, 20 * IVAL, 1);
	assert_int_equal(s.n[3].out.state, ELECTION_MEMBER);
}

static void test_abnormal_never_claims(void **state)
{
	struct sim s;

	(void)state;
	SIM_START(&s, 0, 10, 99);
	election_set_abnormal(&s.n[1].e, true);
	/* The abnormal best node neither claims nor delays the other. */
	until_one_rvs(&s, DEAD + 3 * IVAL);
	assert_int_equal(the_rvs(&s), 0);
	run(&s, 10 * IVAL);
	assert_int_equal(the_rvs(&s), 0);
	assert_int_equal(s.n[1].out.role, RUP_ROLE_ABNORMAL);
	assert_true(s.n[1].out.have_rvs); /* it still follows */
}

/* RVS node 0 elected first (score 100), then node 1 joins with @score. */
static void handover_setup(struct sim *s, uint32_t score)
{
	sim_init(s, 60000);
	start(s, 0, 100);
	until_one_rvs(s, DEAD + 3 * IVAL);
	start(s, 1, score);
	start(s, 2, 50);
	run(s, DEAD + IVAL);
	assert_int_equal(the_rvs(s), 0);
}

static void test_periodic_handover(void **state)
{
	struct sim s;

	(void)state;
	/* 110 is exactly 10 % better: not more than the hysteresis. */
	handover_setup(&s, 110);
	run(&s, 3 * 60000);
	assert_int_equal(the_rvs(&s), 0);
	assert_int_equal(s.n[0].role_changes,
			 2); /* member -> candidate -> rvs, once */
	/* 111 beats it by more: handed over at the next period, not before. */
	s.n[1].score = 111;
	run(&s, 30000);
	assert_int_equal(the_rvs(&s), 0);
	run(&s, 35000);
	assert_int_equal(the_rvs(&s), 1);
	assert_int_equal(s.n[1].out.term, 2);
	assert_all_follow(&s, 1);
	/* And it stays: the old RVS does not beat the new one by 10 %. */
	run(&s, 5 * 60000);
	assert_int_equal(the_rvs(&s), 1);
}

static void test_no_handover_while_distributing(void **state)
{
	struct sim s;

	(void)state;
	handover_setup(&s, 200);
	election_set_distributing(&s.n[0].e, true);
	run(&s, 3 * 60000);
	assert_int_equal(the_rvs(&s), 0);
	election_set_distributing(&s.n[0].e, false);
	run(&s, 61000);
	assert_int_equal(the_rvs(&s), 1);
}

static void test_handover_gap_is_short(void **state)
{
	struct sim s;
	uint64_t t0, took;

	(void)state;
	handover_setup(&s, 200);
	/* Step to the moment the RVS lets go. */
	while (the_rvs(&s) == 0)
		tick(&s);
	t0 = s.now;
	took = until_one_rvs(&s, 5 * IVAL);
	(void)t0;
	assert_true(took <= 2 * IVAL);
	assert_int_equal(the_rvs(&s), 1);
}

static void test_no_flapping(void **state)
{
	struct sim s;
	int changes[MAXN] = { 0 };
	unsigned int seed = 12345;

	(void)state;
	sim_init(&s, 10000);
	for (int i = 0; i < 6; i++)
		start(&s, i, 1000 + 2 * (uint32_t)i);
	until_one_rvs(&s, DEAD + 3 * IVAL);
	run(&s, 2 * IVAL);
	for (int i = 0; i < s.count; i++)
		changes[i] = s.n[i].role_changes;
	/*
	 * 20 minutes of noisy scores (+-4 %, never 10 % apart) with a
	 * re-election every 10 s: exactly one RVS at every tick, and nobody's
	 * role moves.
	 */
	for (int t = 0; t < 12000; t++) {
		for (int i = 0; i < s.count; i++)
			s.n[i].score = 1000 + 2 * (uint32_t)i - 40 +
				       (uint32_t)(rand_r(&seed) % 81);
		tick(&s);
		if (the_rvs(&s) != 5)
			fail_msg("tick %d: RVS %d", t, the_rvs(&s));
	}
	for (int i = 0; i < s.count; i++)
		assert_int_equal(s.n[i].role_changes, changes[i]);
	assert_all_follow(&s, 5);
}

static void test_staggered_start(void **state)
{
	struct sim s;

	(void)state;
	sim_init(&s, 0);
	/* A weaker node starts first; the best one is still listening when
	 * the first one's listen ends: it waits for it rather than claim. */
	start(&s, 0, 50);
	run(&s, IVAL);
	start(&s, 1, 90);
	run(&s, DEAD - IVAL + TICK);
	assert_int_equal(s.n[0].out.state, ELECTION_MEMBER);
	assert_int_equal(s.n[1].out.state, ELECTION_LISTEN);
	until_one_rvs(&s, 4 * IVAL);
	assert_int_equal(the_rvs(&s), 1);
	assert_int_equal(s.n[0].role_changes, 0); /* never claimed */
	assert_int_equal(s.n[1].out.term, 1);
	run(&s, 10 * IVAL);
	assert_all_follow(&s, 1);
}

static void test_member_term(void **state)
{
	struct election e;
	struct election_config cfg;
	struct election_out o;
	struct election_peer p[2] = {
		{ .id = { 5 }, .score = 90, .role = RUP_ROLE_RVS, .term = 3 },
		{ .id = { 6 }, .score = 20, .role = RUP_ROLE_MEMBER, .term = 5 },
	};
	uint8_t id[RUP_NODE_ID_LEN] = { 7 };

	(void)state;
	lone_init(&e, &cfg, id, 50);
	/* It follows the RVS and repeats its term, though it has seen 5. */
	election_step(&e, DEAD, p, 2, &o);
	assert_int_equal(o.state, ELECTION_MEMBER);
	assert_true(o.have_rvs);
	assert_int_equal(o.term, 3);
	assert_int_equal(o.rvs_term, 3);
	/* The RVS is gone: it is the best left and claims above all it saw. */
	election_step(&e, DEAD + TICK, p + 1, 1, &o);
	assert_int_equal(o.state, ELECTION_CANDIDATE);
	assert_int_equal(o.term, 6);
	assert_true(o.changed);
	election_step(&e, DEAD + 2 * TICK, p + 1, 1, &o);
	assert_false(o.changed);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(election_state_name(ELECTION_RVS), "rvs");
	assert_string_equal(election_state_name(ELECTION_LISTEN), "listen");
	assert_string_equal(election_state_name((enum election_state)42), "?");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_start_without_rvs),
	  cmocka_unit_test(test_equal_scores_node_id_breaks_tie),
	  cmocka_unit_test(test_start_with_live_rvs),
	  cmocka_unit_test(test_rvs_lost),
	  cmocka_unit_test(test_best_agent_dead_fallback),
	  cmocka_unit_test(test_split_then_heal_equal_terms),
	  cmocka_unit_test(test_higher_term_wins),
	  cmocka_unit_test(test_simultaneous_claims),
	  cmocka_unit_test(test_higher_rank_answers_claim),
	  cmocka_unit_test(test_abnormal_step_down),
	  cmocka_unit_test(test_abnormal_never_claims),
	  cmocka_unit_test(test_periodic_handover),
	  cmocka_unit_test(test_no_handover_while_distributing),
	  cmocka_unit_test(test_handover_gap_is_short),
	  cmocka_unit_test(test_no_flapping),
	  cmocka_unit_test(test_staggered_start),
	  cmocka_unit_test(test_member_term),
	  cmocka_unit_test(test_state_names))
