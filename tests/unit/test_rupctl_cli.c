// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of rupctl's bounded parsers: command-line values, role names,
 * and the genl peer parser fed crafted (good and malformed) messages.
 */
#include <errno.h>
#include <string.h>
#include "unit.h"
#include <linux/genetlink.h>

#include "../../userspace/lib/names.h"
#include "../../userspace/lib/nl.h"
#include "../../userspace/lib/parse.h"
#include "../../userspace/rupctl/rupctl.h"

static void test_numbers(void **state)
{
	/* No signs, blanks, trailing junk or empty strings; nothing too big. */
	static const char *const bad_u16[] = {
		"65536", "-1", "+1", " 1", "1 ", "1x", "",
	};
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	(void)state;
	assert_int_equal(parse_u64("18446744073709551615", UINT64_MAX, &v64),
			 0);
	assert_true(v64 == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", UINT64_MAX, &v64),
			 -1);
	assert_int_equal(parse_u32("0x10", UINT32_MAX, &v32), 0);
	assert_int_equal(v32, 16);
	assert_int_equal(parse_u32("4294967296", UINT32_MAX, &v32), -1);
	assert_int_equal(parse_u32("7", 6, &v32), -1);
	assert_int_equal(parse_u16("65535", &v16), 0);
	assert_int_equal(v16, 65535);
	for (size_t i = 0; i < UNIT_LEN(bad_u16); i++)
		assert_int_equal(parse_u16(bad_u16[i], &v16), -1);
}

/* A text and the value it parses to. */
struct parsed {
	const char *text;
	uint32_t value;
};

/* Each of @good parses to its value; each of @bad is refused with -1. */
static void expect_parses(int (*parse)(const char *, uint32_t *),
			  const struct parsed *good, size_t n_good,
			  const char *const *bad, size_t n_bad)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < n_good; i++) {
		if (parse(good[i].text, &v))
			fail_msg("\"%s\" refused", good[i].text);
		assert_int_equal(v, good[i].value);
	}
	for (i = 0; i < n_bad; i++)
		if (parse(bad[i], &v) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
}

static void test_ms(void **state)
{
	static const struct parsed good[] = {
		{ "250", 250 },
		{ "250ms", 250 },
		{ "3s", 3000 },
		{ "4294967s", 4294967000u },
	};
	/* clang-format off */
	static const char *const bad[] = {
		"4294968s", /* > UINT32_MAX ms */
		"4294967296",
		"99999999999999999999999",
		"s",
		"1m",
		"1.5s",
		"1sms",
		"-1",
	};
	/* clang-format on */

	(void)state;
	expect_parses(parse_ms, good, UNIT_LEN(good), bad, UNIT_LEN(bad));
}

static void test_hex(void **state)
{
	static const char *const bad[] = {
		"0a0b0c0d0e", "abc", "zz", "", "0x12",
	};
	uint8_t buf[4];
	char text[9];
	size_t len;

	(void)state;
	assert_int_equal(parse_hex("00Ff7a", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 3);
	hex_encode(buf, len, text);
	assert_string_equal(text, "00ff7a");
	assert_int_equal(parse_hex("0a0b0c0d", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 4);
	for (size_t i = 0; i < UNIT_LEN(bad); i++)
		assert_int_equal(parse_hex(bad[i], buf, sizeof(buf), &len), -1);
}

static void test_roles(void **state)
{
	static const struct parsed good[] = {
		{ "member,rvs", RUP_ROLE_MEMBER | RUP_ROLE_RVS },
		{ "hook-failed", RUP_ROLE_HOOK_FAILED },
		{ "none", 0 },
	};
	static const char *const bad[] = { "", "rvs,", ",rvs", "rv", "rvsx" };
	char buf[64];

	(void)state;
	expect_parses(rup_role_parse, good, UNIT_LEN(good), bad, UNIT_LEN(bad));
	rup_role_format(RUP_ROLE_MEMBER | RUP_ROLE_RVS | 0x40, buf,
			sizeof(buf));
	assert_string_equal(buf, "member,rvs,0x40");
	rup_role_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	rup_role_format(__RUP_ROLE_ALL, buf, 8); /* truncated, still a string */
	assert_int_equal(strlen(buf), 7);
	assert_string_equal(rup_stat_name(RUP_STAT_DROP_BAD_MAC),
			    "drop_bad_mac");
	assert_null(rup_stat_name(RUP_STAT_MAX + 1));
	assert_string_equal(rup_event_name(RUP_CMD_RVS_LOST), "rvs-lost");
}

/* A PEER_NEW event; @bad picks one field to break. */
enum breakage {
	GOOD,
	SHORT_ID,
	LONG_VERSION,
	NO_NUL,
	NO_REGION,
	SHORT_SHA,
	BAD_U32,
	OVERRUN,
	NO_GENL,
};

static struct nlmsghdr *craft(char *buf, enum breakage bad)
{
	static const uint8_t id[RUP_NODE_ID_LEN] = { 1, 2, 3, [15] = 0xff };
	uint8_t sha[RUP_SHA256_LEN] = { 0xab };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *nest;
	char longv[RUP_VERSION_LEN + 8];

	nlh->nlmsg_type = 0x20;
	if (bad == NO_GENL)
		return nlh;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = RUP_CMD_PEER_NEW;
	if (bad != NO_REGION)
		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, 7);
	mnl_attr_put(nlh, RUP_A_NODE_ID, bad == SHORT_ID ? 15 : 16, id);
	mnl_attr_put_u32(nlh, RUP_A_PEER_ADDR4, htonl(0x0a000002));
	if (bad == LONG_VERSION) {
		memset(longv, 'v', sizeof(longv) - 1);
		longv[sizeof(longv) - 1] = '\0';
		mnl_attr_put_strz(nlh, RUP_A_VERSION, longv);
	} else if (bad == NO_NUL) {
		mnl_attr_put(nlh, RUP_A_VERSION, 5, "1.2.3");
	} else {
		mnl_attr_put_strz(nlh, RUP_A_VERSION, "1.2.3");
	}
	if (bad == BAD_U32)
		mnl_attr_put_u16(nlh, RUP_A_SCORE, 9);
	else
		mnl_attr_put_u32(nlh, RUP_A_SCORE, 99);
	mnl_attr_put_u32(nlh, RUP_A_ROLE, RUP_ROLE_RVS);
	mnl_attr_put_u64(nlh, RUP_A_TERM, 1ULL << 40);
	nest = mnl_attr_nest_start(nlh, RUP_A_OFFER);
	mnl_attr_put_strz(nlh, RUP_OFFER_A_VERSION, "2.0.0");
	mnl_attr_put(nlh, RUP_OFFER_A_SHA256, bad == SHORT_SHA ? 31 : 32, sha);
	mnl_attr_put_u64(nlh, RUP_OFFER_A_SIZE, 123456789);
	mnl_attr_put_u16(nlh, RUP_OFFER_A_PORT, 8080);
	mnl_attr_put_strz(nlh, RUP_OFFER_A_PATH, "/p/2.0.0");
	mnl_attr_put_u32(nlh, 60, 1); /* unknown in the nest: skipped */
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, RUP_A_PEER_RX, 5);
	mnl_attr_put_u32(nlh, RUP_A_MAX + 9, 1); /* newer kernel: skipped */
	if (bad == OVERRUN) {
		/* The last attribute claims more bytes than the message has. */
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

		mnl_attr_put_u32(nlh, RUP_A_CHANGED, 1);
		a->nla_len = 64;
	}
	return nlh;
}

static void test_peer_parse(void **state)
{
	char buf[1024];
	struct rupnl_peer p;

	(void)state;
	assert_int_equal(rupnl_parse_peer(craft(buf, GOOD), &p), 0);
	assert_int_equal(p.region, 7);
	assert_int_equal(p.node_id[0], 1);
	assert_int_equal(p.node_id[15], 0xff);
	assert_int_equal(ntohl(p.addr.s_addr), 0x0a000002);
	assert_string_equal(p.version, "1.2.3");
	assert_int_equal(p.score, 99);
	assert_int_equal(p.role, RUP_ROLE_RVS);
	assert_true(p.term == 1ULL << 40);
	assert_true(p.rx == 5);
	assert_true(p.mask & RUPNL_BIT(RUP_A_OFFER));
	assert_false(p.mask & RUPNL_BIT(RUP_A_CHANGED));
	assert_string_equal(p.offer.version, "2.0.0");
	assert_int_equal(p.offer.sha256[0], 0xab);
	assert_true(p.offer.size == 123456789);
	assert_int_equal(p.offer.port, 8080);
	assert_string_equal(p.offer.path, "/p/2.0.0");
	assert_int_equal(p.offer.mask, 0x7c); /* attributes 2..6 */

	assert_int_equal(rupnl_parse_peer(craft(buf, SHORT_ID), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, LONG_VERSION), &p),
			 -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, NO_NUL), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, NO_REGION), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, SHORT_SHA), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, BAD_U32), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, OVERRUN), &p), -EPROTO);
	assert_int_equal(rupnl_parse_peer(craft(buf, NO_GENL), &p), -EPROTO);
}

/* "CMD [REGION]": the region, or none; a bad or extra word is a usage error. */
static void test_region_arg(void **state)
{
	char *none[] = { "peers", NULL }, *one[] = { "peers", "7", NULL },
	     *bad[] = { "peers", "x", NULL },
	     *all[] = { "peers", "4294967295", NULL },
	     *two[] = { "peers", "1", "2", NULL };
	char what[64];
	uint32_t r;

	(void)state;
	assert_int_equal(rupctl_region_arg(1, none, "peers", NULL, what,
					   sizeof(what), &r),
			 RUPCTL_EXIT_OK);
	assert_true(r == RUPNL_NO_REGION);
	assert_string_equal(what, "peers");
	assert_int_equal(rupctl_region_arg(2, one, "peers", NULL, what,
					   sizeof(what), &r),
			 RUPCTL_EXIT_OK);
	assert_int_equal(r, 7);
	assert_string_equal(what, "peers 7");
	assert_int_equal(rupctl_region_arg(2, bad, "peers", NULL, what,
					   sizeof(what), &r),
			 RUPCTL_EXIT_USAGE);
	assert_int_equal(rupctl_region_arg(2, all, "peers", NULL, what,
					   sizeof(what), &r),
			 RUPCTL_EXIT_USAGE);
	assert_int_equal(rupctl_region_arg(3, two, "peers", NULL, what,
					   sizeof(what), &r),
			 RUPCTL_EXIT_USAGE);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_numbers), cmocka_unit_test(test_ms),
	  cmocka_unit_test(test_hex), cmocka_unit_test(test_roles),
	  cmocka_unit_test(test_peer_parse), cmocka_unit_test(test_region_arg))
