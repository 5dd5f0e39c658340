/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rup beacon wire codec: one header-only encoder/decoder compiled into
 * rup.ko and into userspace (unit tests, fuzzer, beacon-craft), so the
 * parser the kernel runs is the one that is fuzzed.  Byte-level layout
 * is documented in docs/PROTOCOL.md.
 *
 * Only memcpy/memset/memcmp are used; all multi-byte fields are read and
 * written one byte at a time (big-endian), so no unaligned access.
 */
#ifndef _RUP_BEACON_H
#define _RUP_BEACON_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#else
#include <linux/types.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#endif

/* Limits (RUP_*_LEN, RUP_BEACON_MAX), role flags and drop counters. */
#include <linux/rup.h>

/* Field sizes of the decoded strings, NUL included (names used by callers). */
#define RUP_VERSION_MAX		RUP_VERSION_LEN
#define RUP_PATH_MAX		RUP_PATH_LEN

#define RUP_BEACON_MAGIC	0x52555042u	/* "RUPB" */
#define RUP_PROTO_VERSION	1
#define RUP_MAC_LEN		32		/* HMAC-SHA256 */

/* Beacon types: byte 5 of the header. */
#define RUP_BEACON_ANNOUNCE	1

/* Fixed header offsets; the header is RUP_BEACON_HDR_LEN bytes. */
#define RUP_BOFF_MAGIC		0	/* 4 bytes */
#define RUP_BOFF_PROTO		4	/* u8 */
#define RUP_BOFF_TYPE		5	/* u8 */
#define RUP_BOFF_LEN		6	/* u16: whole datagram incl. MAC */
#define RUP_BOFF_REGION		8	/* u32 */
#define RUP_BOFF_NODE_ID	12	/* RUP_NODE_ID_LEN bytes */
#define RUP_BOFF_TERM		28	/* u64 */
#define RUP_BOFF_SEQ		36	/* u64: sender wall clock, ns */
#define RUP_BOFF_SCORE		44	/* u32 */
#define RUP_BOFF_FLAGS		48	/* u32: role flags */
#define RUP_BEACON_HDR_LEN	52
#define RUP_TLV_HDR_LEN		4	/* u16 type, u16 value length */

/* Smallest datagram: header, an empty TLV area, MAC. */
#define RUP_BEACON_MIN		(RUP_BEACON_HDR_LEN + RUP_MAC_LEN)

/* Top-level TLV types. */
#define RUP_TLV_VERSION		1	/* string, mandatory */
#define RUP_TLV_OFFER		2	/* nested RUP_OTLV_*, optional */

/* Offer TLV members (all mandatory inside an offer). */
#define RUP_OTLV_VERSION	1	/* string */
#define RUP_OTLV_SHA256		2	/* 32 bytes */
#define RUP_OTLV_SIZE		3	/* u64 */
#define RUP_OTLV_PORT		4	/* u16, non-zero */
#define RUP_OTLV_PATH		5	/* string, starts with '/' */

struct rup_offer {
	char version[RUP_VERSION_LEN];
	__u8 sha256[RUP_SHA256_LEN];
	__u64 size;
	__u16 port;
	char path[RUP_PATH_LEN];
};

struct rup_beacon {
	__u8 type;
	__u32 region;
	__u8 node_id[RUP_NODE_ID_LEN];
	__u64 term;
	__u64 seq;
	__u32 score;
	__u32 flags;
	char version[RUP_VERSION_LEN];
	bool has_offer;
	struct rup_offer offer;
};

/*
 * Decode results, returned negated.  Finer than the per-region drop
 * counters; rup_beacon_drop_stat() maps each to its enum rup_stat counter
 * (the one map: rup.ko's receive path uses it too).
 */
enum rup_beacon_err {
	RUP_BERR_SHORT = 1,	/* shorter than header + MAC */
	RUP_BERR_MAGIC,		/* wrong magic */
	RUP_BERR_VERSION,	/* a protocol version this codec does not speak */
	RUP_BERR_LENGTH,	/* length field vs datagram size, TLV overrun */
	RUP_BERR_MALFORMED,	/* bad type, missing/duplicate TLV, bad value */
	RUP_BERR_TOO_BIG,	/* longer than RUP_BEACON_MAX */
};

/* The drop counter a decode error (-RUP_BERR_*) moves; docs/PROTOCOL.md. */
static inline enum rup_stat rup_beacon_drop_stat(int err)
{
	switch (-err) {
	case RUP_BERR_SHORT:
		return RUP_STAT_DROP_SHORT;
	case RUP_BERR_TOO_BIG:
		return RUP_STAT_DROP_TOO_BIG;
	case RUP_BERR_MAGIC:
	case RUP_BERR_VERSION:
		return RUP_STAT_DROP_BAD_MAGIC;
	default:
		return RUP_STAT_DROP_MALFORMED;
	}
}

/* Big-endian load/store, one byte at a time. */
static inline __u16 rup_get_be16(const __u8 *p)
{
	return (__u16)((p[0] << 8) | p[1]);
}

static inline __u32 rup_get_be32(const __u8 *p)
{
	return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) |
	       ((__u32)p[2] << 8) | (__u32)p[3];
}

static inline __u64 rup_get_be64(const __u8 *p)
{
	return ((__u64)rup_get_be32(p) << 32) | rup_get_be32(p + 4);
}

static inline void rup_put_be16(__u8 *p, __u16 v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

static inline void rup_put_be32(__u8 *p, __u32 v)
{
	p[0] = (v >> 24) & 0xff;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static inline void rup_put_be64(__u8 *p, __u64 v)
{
	rup_put_be32(p, (__u32)(v >> 32));
	rup_put_be32(p + 4, (__u32)v);
}

/* Visible ASCII only: versions and paths carry no spaces or controls. */
static inline bool rup_beacon_char_ok(__u8 c)
{
	return c >= 0x21 && c <= 0x7e;
}

/*
 * Length of a NUL-terminated string held in a buffer of @max bytes, or -1
 * when it is empty, unterminated or holds a byte outside 0x21..0x7e.
 */
static inline int rup_beacon_str_len(const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max; i++) {
		if (s[i] == '\0')
			return i ? (int)i : -1;
		if (!rup_beacon_char_ok((__u8)s[i]))
			return -1;
	}
	return -1;
}

/* Copy a wire string into a NUL-terminated field of @max bytes. */
static inline bool rup_beacon_str_get(char *dst, size_t max,
				      const __u8 *v, size_t vlen)
{
	size_t i;

	if (vlen == 0 || vlen >= max)
		return false;
	for (i = 0; i < vlen; i++)
		if (!rup_beacon_char_ok(v[i]))
			return false;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	return true;
}

/* Writer state for encoding; @err latches the first overflow. */
struct rup_beacon_wr {
	__u8 *buf;
	size_t len;
	size_t pos;
	int err;
};

static inline __u8 *rup_beacon_wr_tlv(struct rup_beacon_wr *w, __u16 type,
				      size_t vlen)
{
	__u8 *p;

	if (w->err)
		return NULL;
	if (vlen > 0xffff || w->len - w->pos < RUP_TLV_HDR_LEN + vlen) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->pos;
	rup_put_be16(p, type);
	rup_put_be16(p + 2, (__u16)vlen);
	w->pos += RUP_TLV_HDR_LEN + vlen;
	return p + RUP_TLV_HDR_LEN;
}

static inline void rup_beacon_wr_str(struct rup_beacon_wr *w, __u16 type,
				     const char *s, size_t slen)
{
	__u8 *v = rup_beacon_wr_tlv(w, type, slen);

	if (v)
		memcpy(v, s, slen);
}

/*
 * Encode @b into @buf: header, TLVs, then RUP_MAC_LEN zero bytes at the end,
 * where the caller writes HMAC-SHA256 over buf[0 .. ret - RUP_MAC_LEN).
 * Returns the total length, -EINVAL for a field that would not decode
 * (empty or non-printable string, zero offer port, offer path without a
 * leading '/'), or -EMSGSIZE if it does not fit @len or RUP_BEACON_MAX.
 */
static inline int rup_beacon_encode(const struct rup_beacon *b, __u8 *buf,
				    size_t len)
{
	struct rup_beacon_wr w;
	int vlen, ovlen = 0, plen = 0;
	size_t off_start;
	__u8 *v;

	vlen = rup_beacon_str_len(b->version, sizeof(b->version));
	if (vlen < 0 || b->type != RUP_BEACON_ANNOUNCE)
		return -EINVAL;
	if (b->has_offer) {
		ovlen = rup_beacon_str_len(b->offer.version,
					   sizeof(b->offer.version));
		plen = rup_beacon_str_len(b->offer.path,
					  sizeof(b->offer.path));
		if (ovlen < 0 || plen < 0 || b->offer.path[0] != '/' ||
		    b->offer.port == 0)
			return -EINVAL;
	}

	if (len > RUP_BEACON_MAX)
		len = RUP_BEACON_MAX;
	if (len < RUP_BEACON_MIN)
		return -EMSGSIZE;

	memset(buf, 0, RUP_BEACON_HDR_LEN);
	rup_put_be32(buf + RUP_BOFF_MAGIC, RUP_BEACON_MAGIC);
	buf[RUP_BOFF_PROTO] = RUP_PROTO_VERSION;
	buf[RUP_BOFF_TYPE] = b->type;
	rup_put_be32(buf + RUP_BOFF_REGION, b->region);
	memcpy(buf + RUP_BOFF_NODE_ID, b->node_id, RUP_NODE_ID_LEN);
	rup_put_be64(buf + RUP_BOFF_TERM, b->term);
	rup_put_be64(buf + RUP_BOFF_SEQ, b->seq);
	rup_put_be32(buf + RUP_BOFF_SCORE, b->score);
	rup_put_be32(buf + RUP_BOFF_FLAGS, b->flags);

	/* Keep room for the MAC while writing TLVs. */
	w.buf = buf;
	w.len = len - RUP_MAC_LEN;
	w.pos = RUP_BEACON_HDR_LEN;
	w.err = 0;

	rup_beacon_wr_str(&w, RUP_TLV_VERSION, b->version, (size_t)vlen);
	if (b->has_offer) {
		off_start = w.pos;
		rup_beacon_wr_tlv(&w, RUP_TLV_OFFER, 0);
		rup_beacon_wr_str(&w, RUP_OTLV_VERSION, b->offer.version,
				  (size_t)ovlen);
		v = rup_beacon_wr_tlv(&w, RUP_OTLV_SHA256, RUP_SHA256_LEN);
		if (v)
			memcpy(v, b->offer.sha256, RUP_SHA256_LEN);
		v = rup_beacon_wr_tlv(&w, RUP_OTLV_SIZE, 8);
		if (v)
			rup_put_be64(v, b->offer.size);
		v = rup_beacon_wr_tlv(&w, RUP_OTLV_PORT, 2);
		if (v)
			rup_put_be16(v, b->offer.port);
		rup_beacon_wr_str(&w, RUP_OTLV_PATH, b->offer.path, (size_t)plen);
		if (!w.err)
			rup_put_be16(buf + off_start + 2,
				     (__u16)(w.pos - off_start -
					     RUP_TLV_HDR_LEN));
	}
	if (w.err)
		return w.err;

	memset(buf + w.pos, 0, RUP_MAC_LEN);
	w.pos += RUP_MAC_LEN;
	rup_put_be16(buf + RUP_BOFF_LEN, (__u16)w.pos);
	return (int)w.pos;
}

/*
 * Cheap checks of the fixed header only (size, magic, version, length
 * field), for a receiver that wants to route or authenticate before the
 * full decode.  Returns 0 or -RUP_BERR_*.  Reads at most @len bytes.
 */
static inline int rup_beacon_check_header(const __u8 *buf, size_t len)
{
	if (len > RUP_BEACON_MAX)
		return -RUP_BERR_TOO_BIG;
	if (len < RUP_BEACON_MIN)
		return -RUP_BERR_SHORT;
	if (rup_get_be32(buf + RUP_BOFF_MAGIC) != RUP_BEACON_MAGIC)
		return -RUP_BERR_MAGIC;
	if (buf[RUP_BOFF_PROTO] != RUP_PROTO_VERSION)
		return -RUP_BERR_VERSION;
	if (rup_get_be16(buf + RUP_BOFF_LEN) != len)
		return -RUP_BERR_LENGTH;
	return 0;
}

/* Region id of a datagram that passed rup_beacon_check_header(). */
static inline __u32 rup_beacon_peek_region(const __u8 *buf)
{
	return rup_get_be32(buf + RUP_BOFF_REGION);
}

/*
 * Walk one TLV at @*pos inside [0, end) of @buf.  Returns 0 with the type,
 * value pointer and length set and @*pos advanced, 1 at the end, or
 * -RUP_BERR_LENGTH when a TLV header or value overruns @end.
 */
static inline int rup_beacon_next_tlv(const __u8 *buf, size_t end,
				      size_t *pos, __u16 *type,
				      const __u8 **val, size_t *vlen)
{
	size_t p = *pos, l;

	if (p == end)
		return 1;
	if (end - p < RUP_TLV_HDR_LEN)
		return -RUP_BERR_LENGTH;
	*type = rup_get_be16(buf + p);
	l = rup_get_be16(buf + p + 2);
	if (end - p - RUP_TLV_HDR_LEN < l)
		return -RUP_BERR_LENGTH;
	*val = buf + p + RUP_TLV_HDR_LEN;
	*vlen = l;
	*pos = p + RUP_TLV_HDR_LEN + l;
	return 0;
}

static inline int rup_beacon_decode_offer(const __u8 *v, size_t vlen,
					  struct rup_offer *o)
{
	unsigned int seen = 0, bit;
	const __u8 *val;
	size_t pos = 0, l;
	__u16 type;
	int ret;

	while ((ret = rup_beacon_next_tlv(v, vlen, &pos, &type, &val,
					  &l)) == 0) {
		if (type < RUP_OTLV_VERSION || type > RUP_OTLV_PATH)
			continue;	/* unknown: skipped, forward compat */
		bit = 1u << type;
		if (seen & bit)
			return -RUP_BERR_MALFORMED;
		seen |= bit;
		switch (type) {
		case RUP_OTLV_VERSION:
			if (!rup_beacon_str_get(o->version,
						sizeof(o->version), val, l))
				return -RUP_BERR_MALFORMED;
			break;
		case RUP_OTLV_SHA256:
			if (l != RUP_SHA256_LEN)
				return -RUP_BERR_MALFORMED;
			memcpy(o->sha256, val, RUP_SHA256_LEN);
			break;
		case RUP_OTLV_SIZE:
			if (l != 8)
				return -RUP_BERR_MALFORMED;
			o->size = rup_get_be64(val);
			break;
		case RUP_OTLV_PORT:
			if (l != 2)
				return -RUP_BERR_MALFORMED;
			o->port = rup_get_be16(val);
			if (!o->port)
				return -RUP_BERR_MALFORMED;
			break;
		case RUP_OTLV_PATH:
			if (!rup_beacon_str_get(o->path, sizeof(o->path),
						val, l) || o->path[0] != '/')
				return -RUP_BERR_MALFORMED;
			break;
		}
	}
	if (ret < 0)
		return ret;
	if (seen != ((1u << (RUP_OTLV_PATH + 1)) - (1u << RUP_OTLV_VERSION)))
		return -RUP_BERR_MALFORMED;
	return 0;
}

/*
 * Decode and validate a whole datagram of @len bytes into @b.  The MAC is
 * the last RUP_MAC_LEN bytes and is NOT checked here (the caller verifies
 * it over buf[0 .. len - RUP_MAC_LEN)).  Unknown TLVs are skipped.
 * Returns 0 or -RUP_BERR_*; never reads past @len.  On error @b holds
 * unspecified content and must not be used.
 */
static inline int rup_beacon_decode(const __u8 *buf, size_t len,
				    struct rup_beacon *b)
{
	bool have_version = false;
	size_t pos, end, l;
	const __u8 *val;
	__u16 type;
	int ret;

	ret = rup_beacon_check_header(buf, len);
	if (ret)
		return ret;

	memset(b, 0, sizeof(*b));
	b->type = buf[RUP_BOFF_TYPE];
	if (b->type != RUP_BEACON_ANNOUNCE)
		return -RUP_BERR_MALFORMED;
	b->region = rup_get_be32(buf + RUP_BOFF_REGION);
	memcpy(b->node_id, buf + RUP_BOFF_NODE_ID, RUP_NODE_ID_LEN);
	b->term = rup_get_be64(buf + RUP_BOFF_TERM);
	b->seq = rup_get_be64(buf + RUP_BOFF_SEQ);
	b->score = rup_get_be32(buf + RUP_BOFF_SCORE);
	b->flags = rup_get_be32(buf + RUP_BOFF_FLAGS);

	pos = RUP_BEACON_HDR_LEN;
	end = len - RUP_MAC_LEN;
	while ((ret = rup_beacon_next_tlv(buf, end, &pos, &type, &val,
					  &l)) == 0) {
		switch (type) {
		case RUP_TLV_VERSION:
			if (have_version ||
			    !rup_beacon_str_get(b->version,
						sizeof(b->version), val, l))
				return -RUP_BERR_MALFORMED;
			have_version = true;
			break;
		case RUP_TLV_OFFER:
			if (b->has_offer)
				return -RUP_BERR_MALFORMED;
			ret = rup_beacon_decode_offer(val, l, &b->offer);
			if (ret)
				return ret;
			b->has_offer = true;
			break;
		default:
			break;	/* unknown: skipped, forward compat */
		}
	}
	if (ret < 0)
		return ret;
	if (!have_version)
		return -RUP_BERR_MALFORMED;
	return 0;
}

#endif /* _RUP_BEACON_H */
