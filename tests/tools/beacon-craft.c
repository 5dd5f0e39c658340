// SPDX-License-Identifier: GPL-2.0
/*
 * beacon-craft: build rup beacons with the shared codec (include/rup/beacon.h),
 * valid or deliberately broken, sign them with HMAC-SHA256 and send them to
 * a multicast group, or print/write them for host tests.  Test tool only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "beacon-craft.h"
#include "hexb64.h"

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void hmac(const uint8_t *key, const uint8_t *data, size_t len,
		 uint8_t *mac)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	EVP_MAC *m;
	size_t out = 0;

	m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || !EVP_MAC_init(ctx, key, RUP_KEY_LEN, params) ||
	    !EVP_MAC_update(ctx, data, len) ||
	    !EVP_MAC_final(ctx, mac, &out, RUP_MAC_LEN) || out != RUP_MAC_LEN)
		die("HMAC-SHA256 failed");
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
}

/* Insert a TLV just before the MAC and fix the length field. */
static size_t add_tlv(uint8_t *buf, size_t len, uint16_t type, size_t vlen,
		      uint8_t fill)
{
	uint8_t *p = buf + len - RUP_MAC_LEN;

	if (len + RUP_TLV_HDR_LEN + vlen > DGRAM_MAX)
		die("internal: datagram would exceed %d bytes", DGRAM_MAX);
	rup_put_be16(p, type);
	rup_put_be16(p + 2, (uint16_t)vlen);
	memset(p + RUP_TLV_HDR_LEN, fill, vlen);
	len += RUP_TLV_HDR_LEN + vlen;
	rup_put_be16(buf + RUP_BOFF_LEN, (uint16_t)len);
	return len;
}

/* Encode, apply the breakages that the MAC covers, sign, then the rest. */
static size_t build(const struct opts *o, const struct rup_beacon *b,
		    uint8_t *buf)
{
	size_t len, p, l;
	int n;

	n = rup_beacon_encode(b, buf, RUP_BEACON_MAX);
	if (n < 0)
		die("encode: %s", strerror(-n));
	len = (size_t)n;
	if (o->no_version) {
		/* The version TLV is first: cut it out. */
		l = RUP_TLV_HDR_LEN +
		    rup_get_be16(buf + RUP_BEACON_HDR_LEN + 2);
		p = RUP_BEACON_HDR_LEN;
		memmove(buf + p, buf + p + l, len - p - l);
		len -= l;
		rup_put_be16(buf + RUP_BOFF_LEN, (uint16_t)len);
	}
	if (o->unknown_tlv)
		len = add_tlv(buf, len, 0x7ffe, 6, 'x');
	if (o->tlv_overrun) {
		/* An empty TLV, then its length says 65535 bytes. */
		len = add_tlv(buf, len, 0x7ffd, 0, 0);
		rup_put_be16(buf + len - RUP_MAC_LEN - 2, 0xffff);
	}
	if (o->oversize && len <= RUP_BEACON_MAX) {
		l = RUP_BEACON_MAX + 1 - len;
		if (l < RUP_TLV_HDR_LEN)
			l += RUP_TLV_HDR_LEN;
		len = add_tlv(buf, len, 0x7fff, l - RUP_TLV_HDR_LEN, 0);
	}
	if (o->bad_magic)
		buf[RUP_BOFF_MAGIC] ^= 0x20;
	if (o->bad_version)
		buf[RUP_BOFF_PROTO] = RUP_PROTO_VERSION + 1;
	if (o->wrong_region)
		rup_put_be32(buf + RUP_BOFF_REGION, b->region + 1);
	hmac(o->key, buf, len - RUP_MAC_LEN, buf + len - RUP_MAC_LEN);
	if (o->bad_mac)
		buf[len - 1] ^= 0x01;
	if (o->truncate >= 0 && (size_t)o->truncate < len)
		len = (size_t)o->truncate;
	return len;
}

static int open_socket(const struct opts *o)
{
	struct ip_mreqn mr;
	struct sockaddr_in sa;
	int fd, one = 1, ttl = (int)o->ttl;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	memset(&mr, 0, sizeof(mr));
	if (o->ifname) {
		mr.imr_ifindex = (int)if_nametoindex(o->ifname);
		if (!mr.imr_ifindex)
			die("--ifname: %s: %s", o->ifname, strerror(errno));
	}
	if (o->have_src) {
		mr.imr_address = o->src;
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr = o->src;
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("--src: bind %s: %s", inet_ntoa(o->src),
			    strerror(errno));
	}
	if ((o->ifname || o->have_src) &&
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		die("IP_MULTICAST_IF: %s", strerror(errno));
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) <
		    0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one)) <
		    0)
		die("multicast options: %s", strerror(errno));
	return fd;
}

static void emit(const struct opts *o, int fd, const uint8_t *buf, size_t len,
		 bool *written)
{
	struct sockaddr_in to;

	if (o->out && !*written) {
		FILE *f = fopen(o->out, "wb");

		if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
			die("--out: %s: %s", o->out, strerror(errno));
		*written = true;
	}
	if (o->dump) {
		char hex[HEX_LEN(DGRAM_MAX) + 1];

		if (!hex_to_text(buf, len, hex, sizeof(hex)))
			puts(hex);
	}
	if (fd < 0)
		return;
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)o->port);
	to.sin_addr = o->group;
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)len)
		die("sendto %s:%u: %s", inet_ntoa(o->group), o->port,
		    strerror(errno));
}

static void print_id(const uint8_t *id)
{
	char hex[HEX_LEN(RUP_NODE_ID_LEN) + 1];

	hex_to_text(id, RUP_NODE_ID_LEN, hex, sizeof(hex));
	puts(hex);
}

static void pause_ms(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
			       (long)(ms % 1000) * 1000000L };

	while (ms && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	uint8_t(*ids)[RUP_NODE_ID_LEN] = NULL;
	unsigned long nids, round, i, sent = 0;
	uint8_t buf[DGRAM_MAX];
	bool written = false;
	struct rup_beacon b;
	struct opts o;
	uint64_t seq = 0, now;
	size_t len;
	int fd = -1;

	parse_opts(argc, argv, &o);
	nids = o.random_ids ? o.random_ids : 1;
	if (o.random_ids) {
		ids = calloc(nids, RUP_NODE_ID_LEN);
		if (!ids)
			die("out of memory for %lu node ids", nids);
		/* 128 random bits: collisions are not a practical concern. */
		fill_random(ids, nids * RUP_NODE_ID_LEN);
	}
	if (!o.dump && !o.out)
		fd = open_socket(&o);

	b = o.b;
	for (round = 0; round < o.count; round++) {
		for (i = 0; i < nids; i++) {
			if (ids)
				memcpy(b.node_id, ids[i], RUP_NODE_ID_LEN);
			if (o.have_seq) {
				b.seq = o.b.seq + sent;
			} else {
				now = wall_ns() +
				      (uint64_t)(o.seq_offset_sec *
						 1000000000LL) -
				      (uint64_t)(o.stale_sec * 1000000000LL);
				/* Strictly increasing even if the clock stalls. */
				seq = now > seq ? now : seq + 1;
				b.seq = seq;
			}
			len = build(&o, &b, buf);
			emit(&o, fd, buf, len, &written);
			if (o.replay)
				emit(&o, fd, buf, len, &written);
			if (o.list_ids && round == 0)
				print_id(b.node_id);
			sent++;
			if (sent < o.count * nids)
				pause_ms(o.interval_ms);
		}
	}
	if (fd >= 0)
		close(fd);
	free(ids);
	fflush(stdout);
	return 0;
}
