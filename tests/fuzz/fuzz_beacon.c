// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the beacon codec (include/rup/beacon.h), the same
 * parser rup.ko runs on every received datagram.
 *
 * 1. Decode the input as a datagram.  The result must be 0 or one of the
 *    known drop reasons, and agree with the header-only check.  A datagram
 *    that decodes must re-encode (canonically: unknown TLVs dropped, so no
 *    longer than the input) and decode again to the identical struct.
 * 2. Read the input as struct fields and encode them.  Whatever the encoder
 *    accepts must decode back to the same struct.
 * Any violation aborts, which libFuzzer reports as a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rup/beacon.h>

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "fuzz_beacon: %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                             \
			abort();                                              \
		}                                                             \
	} while (0)

static bool known_err(int ret)
{
	return ret == -RUP_BERR_SHORT || ret == -RUP_BERR_TOO_BIG ||
	       ret == -RUP_BERR_MAGIC || ret == -RUP_BERR_VERSION ||
	       ret == -RUP_BERR_MALFORMED || ret == -RUP_BERR_LENGTH;
}

static void decode_direction(const uint8_t *data, size_t size)
{
	struct rup_beacon b, b2;
	uint8_t buf[RUP_BEACON_MAX], buf2[RUP_BEACON_MAX];
	int ret, hdr, n, n2;

	ret = rup_beacon_decode(data, size, &b);
	CHECK(ret == 0 || known_err(ret));
	hdr = rup_beacon_check_header(data, size);
	CHECK(hdr == 0 || known_err(hdr));
	if (hdr)
		CHECK(ret == hdr);
	if (ret)
		return;

	n = rup_beacon_encode(&b, buf, sizeof(buf));
	CHECK(n >= RUP_BEACON_MIN && (size_t)n <= size);
	/* Header bytes survive the round trip (the length may shrink). */
	CHECK(memcmp(buf, data, RUP_BOFF_LEN) == 0);
	CHECK(memcmp(buf + RUP_BOFF_REGION, data + RUP_BOFF_REGION,
		     RUP_BEACON_HDR_LEN - RUP_BOFF_REGION) == 0);
	CHECK(rup_beacon_decode(buf, (size_t)n, &b2) == 0);
	CHECK(memcmp(&b, &b2, sizeof(b)) == 0);
	/* Canonical form is a fixed point. */
	n2 = rup_beacon_encode(&b2, buf2, sizeof(buf2));
	CHECK(n2 == n && memcmp(buf, buf2, (size_t)n) == 0);
}

/* Take up to @n bytes from the input; missing bytes read as zero. */
static void take(const uint8_t **p, size_t *left, void *dst, size_t n)
{
	size_t k = *left < n ? *left : n;

	memset(dst, 0, n);
	memcpy(dst, *p, k);
	*p += k;
	*left -= k;
}

static void encode_direction(const uint8_t *data, size_t size)
{
	struct rup_beacon b, out;
	uint8_t buf[RUP_BEACON_MAX], flag;
	int n;

	memset(&b, 0, sizeof(b));
	take(&data, &size, &flag, 1);
	b.type = flag & 0x80 ? flag & 0x7f : RUP_BEACON_ANNOUNCE;
	b.has_offer = flag & 1;
	take(&data, &size, &b.region, sizeof(b.region));
	take(&data, &size, b.node_id, sizeof(b.node_id));
	take(&data, &size, &b.term, sizeof(b.term));
	take(&data, &size, &b.seq, sizeof(b.seq));
	take(&data, &size, &b.score, sizeof(b.score));
	take(&data, &size, &b.flags, sizeof(b.flags));
	take(&data, &size, b.version, sizeof(b.version));
	if (b.has_offer) {
		take(&data, &size, b.offer.version, sizeof(b.offer.version));
		take(&data, &size, b.offer.sha256, sizeof(b.offer.sha256));
		take(&data, &size, &b.offer.size, sizeof(b.offer.size));
		take(&data, &size, &b.offer.port, sizeof(b.offer.port));
		take(&data, &size, b.offer.path, sizeof(b.offer.path));
	}
	n = rup_beacon_encode(&b, buf, sizeof(buf));
	CHECK(n > 0 || n == -EINVAL || n == -EMSGSIZE);
	if (n < 0)
		return;
	CHECK(n <= RUP_BEACON_MAX);
	CHECK(rup_beacon_decode(buf, (size_t)n, &out) == 0);
	/* Bytes after a string's NUL are not carried: compare field-wise. */
	CHECK(out.type == b.type && out.region == b.region &&
	      out.term == b.term && out.seq == b.seq && out.score == b.score &&
	      out.flags == b.flags && out.has_offer == b.has_offer);
	CHECK(memcmp(out.node_id, b.node_id, sizeof(b.node_id)) == 0);
	CHECK(strcmp(out.version, b.version) == 0);
	if (b.has_offer) {
		CHECK(strcmp(out.offer.version, b.offer.version) == 0);
		CHECK(strcmp(out.offer.path, b.offer.path) == 0);
		CHECK(memcmp(out.offer.sha256, b.offer.sha256,
			     sizeof(b.offer.sha256)) == 0);
		CHECK(out.offer.size == b.offer.size &&
		      out.offer.port == b.offer.port);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_direction(data, size);
	encode_direction(data, size);
	return 0;
}
