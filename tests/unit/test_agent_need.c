// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the RVS's "who needs it" decision and per-node report (agent/need.c). */
#include <string.h>
#include "unit.h"

#include "../../userspace/agent/need.h"

static struct range rng;
static struct semver rel;

static void setup_release(const char *range, const char *version)
{
	assert_int_equal(range_parse(range, &rng, NULL, 0), 0);
	assert_int_equal(semver_parse(version, &rel, NULL, 0), 0);
}

static struct rupnl_peer peer(uint8_t idb, const char *version, uint32_t role)
{
	struct rupnl_peer p;

	memset(&p, 0, sizeof(p));
	memset(p.node_id, idb, sizeof(p.node_id));
	strcpy(p.version, version);
	p.role = role;
	return p;
}

#define SELF "ffffffffffffffffffffffffffffffff"
#define HEX(b) b b b b b b b b b b b b b b b b

static void test_classify(void **state)
{
	(void)state;
	setup_release(">=1.0.0,<2.0.0", "2.0.0");
	assert_int_equal(need_classify(&rng, &rel, "1.5.0", 0), NEED_PENDING);
	assert_int_equal(need_classify(&rng, &rel, "1.5.0",
				       RUP_ROLE_HOOK_FAILED),
			 NEED_HOOK_FAILED);
	assert_int_equal(need_classify(&rng, &rel, "2.0.0", 0), NEED_CURRENT);
	assert_int_equal(need_classify(&rng, &rel, "3.0.0", 0), NEED_CURRENT);
	assert_int_equal(need_classify(&rng, &rel, "0.9.0", 0),
			 NEED_NOT_APPLICABLE);
	assert_int_equal(need_classify(&rng, &rel, "garbage", 0),
			 NEED_BAD_VERSION);
	assert_string_equal(need_state_name(NEED_CURRENT), "upgraded");
	assert_string_equal(need_state_name(NEED_HOOK_FAILED), "failed");
}

static void test_count_none_when_current(void **state)
{
	struct rupnl_peer p[2] = { peer(1, "2.0.0", 0), peer(2, "2.1.0", 0) };
	struct need_view v = { SELF, "2.0.0", p, 2 };

	(void)state;
	setup_release("*", "2.0.0");
	assert_int_equal(need_count(&rng, &rel, &v), 0);
}

static void test_count_members_and_self(void **state)
{
	struct rupnl_peer p[3] = { peer(1, "1.0.0", 0), peer(2, "2.0.0", 0),
				   peer(3, "0.5.0", 0) };
	struct need_view v = { SELF, "1.2.0", p, 3 };

	(void)state;
	setup_release(">=1.0.0,<2.0.0", "2.0.0");
	/* self 1.2.0 and peer 1 need it; peer 2 is current; peer 3 outside the range. */
	assert_int_equal(need_count(&rng, &rel, &v), 2);
}

static void test_report_states_and_convergence(void **state)
{
	struct rupnl_peer p[2] = { peer(0x11, "2.0.0", 0),
				   peer(0x22, "1.0.0", 0) };
	struct need_view v = { SELF, "1.0.0", p, 2 };
	api_node_id reg[4] = { HEX("11"), HEX("22"), HEX("33"), SELF };
	api_node_id reg2[3] = { HEX("11"), HEX("22"), SELF };
	struct api_report_node out[4];
	struct need_summary sum;

	(void)state;
	setup_release(">=1.0.0,<2.0.0", "2.0.0");
	assert_int_equal(need_report(&rng, &rel, &v, reg, 4, out, &sum), 4);
	assert_string_equal(out[0].state, "upgraded");
	assert_string_equal(out[1].state, "pending");
	/* Registered but not in the table: unreachable, listed without a version. */
	assert_string_equal(out[2].state, "unreachable");
	assert_string_equal(out[2].version, "");
	assert_string_equal(out[3].node_id, SELF);
	assert_false(sum.converged);
	assert_false(sum.settled);
	assert_int_equal(sum.unreachable, 1);
	assert_int_equal(sum.pending, 2);

	/* Everyone but the RVS itself upgraded, nobody missing: converged. */
	strcpy(p[1].version, "2.0.0");
	assert_int_equal(need_report(&rng, &rel, &v, reg2, 3, out, &sum), 3);
	assert_true(sum.converged);
	assert_true(sum.settled);
	assert_int_equal(sum.current, 2);

	/*
	 * A member whose hook failed keeps the region from converging, but
	 * with everyone else upgraded the region is settled (the RVS reports
	 * it failed at once).
	 */
	strcpy(p[1].version, "1.0.0");
	p[1].role = RUP_ROLE_HOOK_FAILED;
	need_report(&rng, &rel, &v, reg2, 3, out, &sum);
	assert_false(sum.converged);
	assert_true(sum.settled);
	assert_int_equal(sum.hook_failed, 1);
	assert_string_equal(out[1].state, "failed");

	/* ... but not while another member is still pending. */
	strcpy(p[0].version, "1.0.0");
	need_report(&rng, &rel, &v, reg2, 3, out, &sum);
	assert_false(sum.settled);
	assert_int_equal(sum.hook_failed, 1);
}

static void test_report_skips_unlisted_nodes(void **state)
{
	struct rupnl_peer p[1] = { peer(0x44, "1.0.0", 0) };
	struct need_view v = { SELF, "2.0.0", p, 1 };
	struct need_summary sum;

	(void)state;
	setup_release("*", "2.0.0");
	/* The server refuses nodes it does not know: they are counted, not listed. */
	assert_int_equal(need_report(&rng, &rel, &v, NULL, 0, NULL, &sum), 0);
	assert_int_equal(sum.total, 2);
	assert_false(sum.converged);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_classify),
	  cmocka_unit_test(test_count_none_when_current),
	  cmocka_unit_test(test_count_members_and_self),
	  cmocka_unit_test(test_report_states_and_convergence),
	  cmocka_unit_test(test_report_skips_unlisted_nodes))
