// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the beacon wire codec (include/rup/beacon.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include <rup/beacon.h>

static void fill_beacon(struct rup_beacon *b, bool offer)
{
	int i;

	memset(b, 0, sizeof(*b));
	b->type = RUP_BEACON_ANNOUNCE;
	b->region = 0x01020304;
	for (i = 0; i < RUP_NODE_ID_LEN; i++)
		b->node_id[i] = (uint8_t)(0xa0 + i);
	b->term = 0x1112131415161718ULL;
	b->seq = 0x2122232425262728ULL;
	b->score = 0x31323334;
	b->flags = 0x5;
	strcpy(b->version, "1.2.3-rc.1");
	if (!offer)
		return;
	b->has_offer = true;
	strcpy(b->offer.version, "1.3.0");
	for (i = 0; i < RUP_SHA256_LEN; i++)
		b->offer.sha256[i] = (uint8_t)i;
	b->offer.size = 123456789012ULL;
	b->offer.port = 8443;
	strcpy(b->offer.path, "/pkg/rup-1.3.0.tar");
}

/* Raw builder: the fixed header of fill_beacon(), then hand-made TLVs. */
struct raw {
	uint8_t buf[RUP_BEACON_MAX + 64];
	size_t len;
};

static void raw_init(struct raw *r)
{
	struct rup_beacon b;
	int n;

	fill_beacon(&b, false);
	n = rup_beacon_encode(&b, r->buf, sizeof(r->buf));
	assert_true(n > 0);
	r->len = RUP_BEACON_HDR_LEN;
}

static void raw_tlv(struct raw *r, uint16_t type, const void *v, size_t vlen)
{
	rup_put_be16(r->buf + r->len, type);
	rup_put_be16(r->buf + r->len + 2, (uint16_t)vlen);
	memcpy(r->buf + r->len + 4, v, vlen);
	r->len += 4 + vlen;
}

static void raw_str(struct raw *r, uint16_t type, const char *s)
{
	raw_tlv(r, type, s, strlen(s));
}

/* Append the (zero) MAC and set the length field. */
static size_t raw_finish(struct raw *r)
{
	memset(r->buf + r->len, 0, RUP_MAC_LEN);
	r->len += RUP_MAC_LEN;
	rup_put_be16(r->buf + RUP_BOFF_LEN, (uint16_t)r->len);
	return r->len;
}

/* A raw beacon with just the version TLV "1.0.0" so far. */
static void raw_v1(struct raw *r)
{
	raw_init(r);
	raw_str(r, RUP_TLV_VERSION, "1.0.0");
}

/* Finish @r and decode it into @out. */
static int raw_decode(struct raw *r, struct rup_beacon *out)
{
	size_t n = raw_finish(r);

	return rup_beacon_decode(r->buf, n, out);
}

/* An offer TLV value with all members, into @out; returns its length. */
static size_t raw_offer(uint8_t *out, bool skip_port, bool extra_unknown)
{
	struct raw r;
	uint8_t sha[32] = { 0 }, size[8], port[2];

	rup_put_be64(size, 42);
	rup_put_be16(port, 80);
	r.len = 0;
	if (extra_unknown)
		raw_str(&r, 200, "from-the-future");
	raw_str(&r, RUP_OTLV_VERSION, "2.0.0");
	raw_tlv(&r, RUP_OTLV_SHA256, sha, sizeof(sha));
	raw_tlv(&r, RUP_OTLV_SIZE, size, sizeof(size));
	if (!skip_port)
		raw_tlv(&r, RUP_OTLV_PORT, port, sizeof(port));
	raw_str(&r, RUP_OTLV_PATH, "/p");
	memcpy(out, r.buf, r.len);
	return r.len;
}

static void test_round_trip(void **state)
{
	struct rup_beacon in, out;
	uint8_t buf[RUP_BEACON_MAX];
	int n, offer;

	(void)state;
	for (offer = 0; offer < 2; offer++) {
		fill_beacon(&in, offer);
		n = rup_beacon_encode(&in, buf, sizeof(buf));
		assert_true(n >= RUP_BEACON_MIN && n <= RUP_BEACON_MAX);
		assert_int_equal(rup_get_be16(buf + RUP_BOFF_LEN), n);
		assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out), 0);
		/* Both zeroed fully before filling, so bytes compare. */
		assert_memory_equal(&in, &out, sizeof(in));
	}
}

/* The exact bytes, so docs/PROTOCOL.md's example cannot drift silently. */
static void test_golden_header(void **state)
{
	static const uint8_t want[] = {
		'R',  'U',  'P',  'B',	1,    1,    0,	  98,	1,    2,
		3,    4,    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0x11, 0x12,
		0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22, 0x23, 0x24,
		0x25, 0x26, 0x27, 0x28, 0x31, 0x32, 0x33, 0x34, 0,    0,
		0,    5,    0,	  1,	0,    10,   '1',  '.',	'2',  '.',
		'3',  '-',  'r',  'c',	'.',  '1',
	};
	struct rup_beacon b;
	uint8_t buf[RUP_BEACON_MAX], zero[RUP_MAC_LEN] = { 0 };
	int n;

	(void)state;
	fill_beacon(&b, false);
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want) + RUP_MAC_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	assert_memory_equal(buf + sizeof(want), zero, RUP_MAC_LEN);
}

static void test_every_truncation_rejected(void **state)
{
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX];
	int n, i, ret;

	(void)state;
	fill_beacon(&b, true);
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		ret = rup_beacon_decode(buf, (size_t)i, &out);
		if (i < RUP_BEACON_MIN)
			assert_int_equal(ret, -RUP_BERR_SHORT);
		else
			assert_int_equal(ret, -RUP_BERR_LENGTH);
	}
	/* Trailing bytes beyond the length field are refused as well. */
	assert_int_equal(rup_beacon_decode(buf, (size_t)n + 1, &out),
			 -RUP_BERR_LENGTH);
}

static void test_bad_magic_and_version(void **state)
{
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX];
	int n, i;

	(void)state;
	fill_beacon(&b, false);
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	for (i = 0; i < 4; i++) {
		buf[i] ^= 0x40;
		assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
				 -RUP_BERR_MAGIC);
		buf[i] ^= 0x40;
	}
	buf[RUP_BOFF_PROTO] = 0;
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
			 -RUP_BERR_VERSION);
	buf[RUP_BOFF_PROTO] = 2;
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
			 -RUP_BERR_VERSION);
	buf[RUP_BOFF_PROTO] = RUP_PROTO_VERSION;
	buf[RUP_BOFF_TYPE] = 7;
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
			 -RUP_BERR_MALFORMED);
	buf[RUP_BOFF_TYPE] = RUP_BEACON_ANNOUNCE;
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out), 0);
}

static void test_oversized(void **state)
{
	struct raw r;
	struct rup_beacon out;
	uint8_t pad[RUP_BEACON_MAX];
	size_t n;

	(void)state;
	memset(pad, 'x', sizeof(pad));
	raw_v1(&r);
	/* Unknown TLV padding to exactly the limit: accepted. */
	raw_tlv(&r, 99, pad, RUP_BEACON_MAX - r.len - 4 - RUP_MAC_LEN);
	n = raw_finish(&r);
	assert_int_equal(n, RUP_BEACON_MAX);
	assert_int_equal(rup_beacon_decode(r.buf, n, &out), 0);

	/* One byte more: refused, even with a consistent length field. */
	raw_v1(&r);
	raw_tlv(&r, 99, pad, RUP_BEACON_MAX - r.len - 4 - RUP_MAC_LEN + 1);
	n = raw_finish(&r);
	assert_int_equal(n, RUP_BEACON_MAX + 1);
	assert_int_equal(rup_beacon_decode(r.buf, n, &out), -RUP_BERR_TOO_BIG);
}

static void test_length_field_mismatch(void **state)
{
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX];
	int n;

	(void)state;
	fill_beacon(&b, false);
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	rup_put_be16(buf + RUP_BOFF_LEN, (uint16_t)(n - 1));
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
			 -RUP_BERR_LENGTH);
	rup_put_be16(buf + RUP_BOFF_LEN, 0xffff);
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out),
			 -RUP_BERR_LENGTH);
}

static void test_tlv_overrun(void **state)
{
	struct raw r;
	struct rup_beacon out;

	(void)state;
	/* Value length runs into the MAC. */
	raw_v1(&r);
	raw_str(&r, 77, "abc");
	rup_put_be16(r.buf + r.len - 3 - 2, 4);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_LENGTH);

	/* A partial TLV header (3 bytes) before the MAC. */
	raw_v1(&r);
	memset(r.buf + r.len, 0, 3);
	r.len += 3;
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_LENGTH);

	/* Nested offer member overrunning its offer (but not the beacon). */
	raw_v1(&r);
	{
		uint8_t off[128];
		size_t ol = raw_offer(off, false, false);

		rup_put_be16(off + ol - 2 - 2, 3); /* path "/p" claims 3 */
		raw_tlv(&r, RUP_TLV_OFFER, off, ol);
		raw_str(&r, 88, "after");
	}
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_LENGTH);
}

static void test_unknown_tlv_skipped(void **state)
{
	struct raw r;
	struct rup_beacon out;
	uint8_t off[128];
	size_t ol;

	(void)state;
	raw_init(&r);
	raw_tlv(&r, 0, "", 0);
	raw_str(&r, 0xffff, "zz\001\377");
	raw_str(&r, RUP_TLV_VERSION, "9.9.9");
	ol = raw_offer(off, false, true);
	raw_tlv(&r, RUP_TLV_OFFER, off, ol);
	raw_str(&r, 3, "future");
	assert_int_equal(raw_decode(&r, &out), 0);
	assert_string_equal(out.version, "9.9.9");
	assert_true(out.has_offer);
	assert_string_equal(out.offer.version, "2.0.0");
	assert_string_equal(out.offer.path, "/p");
	assert_int_equal(out.offer.port, 80);
	assert_int_equal(out.offer.size, 42);
	assert_int_equal(out.region, 0x01020304);
}

static void test_string_bounds(void **state)
{
	char s[RUP_VERSION_LEN + 1];
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX];
	struct raw r;

	(void)state;
	memset(s, '7', sizeof(s));
	/* Longest that fits: RUP_VERSION_LEN - 1 bytes. */
	s[RUP_VERSION_LEN - 1] = '\0';
	raw_init(&r);
	raw_str(&r, RUP_TLV_VERSION, s);
	assert_int_equal(raw_decode(&r, &out), 0);
	assert_string_equal(out.version, s);

	/* One more: no room for the NUL. */
	s[RUP_VERSION_LEN - 1] = '7';
	s[RUP_VERSION_LEN] = '\0';
	raw_init(&r);
	raw_str(&r, RUP_TLV_VERSION, s);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);

	/* Empty, embedded NUL, space, control, high byte. */
	{
		static const struct {
			const char *v;
			size_t l;
		} bad[] = {
			{ "", 0 },
			{ "1.0\0"
			  "0",
			  5 },
			{ "1 0", 3 },
			{ "1.0\n", 4 },
			{ "1.\2000", 4 },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			raw_init(&r);
			raw_tlv(&r, RUP_TLV_VERSION, bad[i].v, bad[i].l);
			assert_int_equal(raw_decode(&r, &out),
					 -RUP_BERR_MALFORMED);
		}
	}

	/* Encoder refuses what the decoder would refuse. */
	fill_beacon(&b, false);
	memset(b.version, 'v', sizeof(b.version)); /* unterminated */
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
	fill_beacon(&b, false);
	b.version[0] = '\0';
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
	fill_beacon(&b, false);
	b.version[1] = ' ';
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
	fill_beacon(&b, true);
	b.offer.path[0] = 'p';
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
	fill_beacon(&b, true);
	b.offer.port = 0;
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
	fill_beacon(&b, true);
	memset(b.offer.path, '/', sizeof(b.offer.path));
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
}

static void test_mandatory_and_duplicates(void **state)
{
	struct raw r;
	struct rup_beacon out;
	uint8_t off[128], bad8[7] = { 0 };
	size_t ol;

	(void)state;
	/* No version TLV. */
	raw_init(&r);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
	/* Two version TLVs. */
	raw_v1(&r);
	raw_str(&r, RUP_TLV_VERSION, "1.0.1");
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
	/* Two offers. */
	raw_v1(&r);
	ol = raw_offer(off, false, false);
	raw_tlv(&r, RUP_TLV_OFFER, off, ol);
	raw_tlv(&r, RUP_TLV_OFFER, off, ol);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
	/* Offer missing its port. */
	raw_v1(&r);
	ol = raw_offer(off, true, false);
	raw_tlv(&r, RUP_TLV_OFFER, off, ol);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
	/* Offer with a member of the wrong size (size in 7 bytes). */
	raw_v1(&r);
	ol = raw_offer(off, false, false);
	memcpy(off + ol, "\0\3\0\7", 4);
	memcpy(off + ol + 4, bad8, sizeof(bad8));
	ol += 4 + sizeof(bad8);
	raw_tlv(&r, RUP_TLV_OFFER, off, ol);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
	/* Empty offer. */
	raw_v1(&r);
	raw_tlv(&r, RUP_TLV_OFFER, "", 0);
	assert_int_equal(raw_decode(&r, &out), -RUP_BERR_MALFORMED);
}

static void test_encode_sizes(void **state)
{
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX * 2];
	int n, i;

	(void)state;
	/* Every field at its maximum still fits RUP_BEACON_MAX. */
	fill_beacon(&b, true);
	memset(b.version, 'a', sizeof(b.version) - 1);
	b.version[sizeof(b.version) - 1] = '\0';
	memset(b.offer.version, 'b', sizeof(b.offer.version) - 1);
	b.offer.version[sizeof(b.offer.version) - 1] = '\0';
	memset(b.offer.path, 'c', sizeof(b.offer.path) - 1);
	b.offer.path[0] = '/';
	b.offer.path[sizeof(b.offer.path) - 1] = '\0';
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	assert_true(n > 0 && n <= RUP_BEACON_MAX);
	assert_int_equal(rup_beacon_decode(buf, (size_t)n, &out), 0);
	assert_memory_equal(&b, &out, sizeof(b));

	/* Every too-small buffer is refused, and nothing is written past it. */
	for (i = 0; i < n; i++) {
		memset(buf, 0xee, sizeof(buf));
		assert_int_equal(rup_beacon_encode(&b, buf, (size_t)i),
				 -EMSGSIZE);
		assert_int_equal(buf[i], 0xee);
	}
	b.type = 0;
	assert_int_equal(rup_beacon_encode(&b, buf, sizeof(buf)), -EINVAL);
}

static void test_check_header_and_peek(void **state)
{
	struct rup_beacon b;
	uint8_t buf[RUP_BEACON_MAX];
	int n;

	(void)state;
	fill_beacon(&b, false);
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	assert_int_equal(rup_beacon_check_header(buf, (size_t)n), 0);
	assert_int_equal(rup_beacon_peek_region(buf), 0x01020304);
	assert_int_equal(rup_beacon_check_header(buf, 3), -RUP_BERR_SHORT);
	assert_int_equal(rup_beacon_check_header(buf, RUP_BEACON_MAX + 1),
			 -RUP_BERR_TOO_BIG);
}

static void test_drop_stat(void **state)
{
	static const struct {
		int err;
		int stat;
	} map[] = {
		{ -RUP_BERR_SHORT, RUP_STAT_DROP_SHORT },
		{ -RUP_BERR_TOO_BIG, RUP_STAT_DROP_TOO_BIG },
		{ -RUP_BERR_MAGIC, RUP_STAT_DROP_BAD_MAGIC },
		{ -RUP_BERR_VERSION, RUP_STAT_DROP_BAD_MAGIC },
		{ -RUP_BERR_LENGTH, RUP_STAT_DROP_MALFORMED },
		{ -RUP_BERR_MALFORMED, RUP_STAT_DROP_MALFORMED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		assert_int_equal(rup_beacon_drop_stat(map[i].err), map[i].stat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_golden_header),
		cmocka_unit_test(test_every_truncation_rejected),
		cmocka_unit_test(test_bad_magic_and_version),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_length_field_mismatch),
		cmocka_unit_test(test_tlv_overrun),
		cmocka_unit_test(test_unknown_tlv_skipped),
		cmocka_unit_test(test_string_bounds),
		cmocka_unit_test(test_mandatory_and_duplicates),
		cmocka_unit_test(test_encode_sizes),
		cmocka_unit_test(test_check_header_and_peek),
		cmocka_unit_test(test_drop_stat),
	};

	return cmocka_run_group_tests_name("beacon", tests, NULL, NULL);
}
