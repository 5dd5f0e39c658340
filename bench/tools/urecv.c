// SPDX-License-Identifier: GPL-2.0
/*
 * urecv: the userspace baseline of the kernel's beacon receive path. It does
 * the same work per datagram as rup.ko's receive.c: recvmmsg, the shared
 * codec (include/rup/beacon.h), region check, HMAC-SHA256 in constant time,
 * own-id check, then the version table (a hash table of node id -> state)
 * with the same replay and clock-window rules and a bounded size.
 *
 * It stops after --expect accepted beacons or --idle-ms without any, and
 * prints one line: accepted, drops, the time from the first to the last
 * accepted beacon, the rate, and the latency (receipt - sequence, i.e.
 * - the sender's wall clock at send) p50/p99 in microseconds.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <linux/rup.h>
#include <rup/beacon.h>

#include "bench-common.h"

#define BATCH 64

struct peer {
	uint8_t id[RUP_NODE_ID_LEN];
	bool used;
	uint32_t addr, score, flags;
	uint64_t term, seq, last_seen, rx;
	char version[RUP_VERSION_LEN];
	bool has_offer;
	struct rup_offer offer;
};

struct table {
	struct peer *slots;
	size_t mask, count, max;
};

struct stats {
	unsigned long rx, bad, wrong_region, bad_mac, own, replay, stale, full,
		changed;
};

static struct peer *lookup(struct table *t, const uint8_t *id, bool *found)
{
	uint64_t h = rup_get_be64(id) ^ rup_get_be64(id + 8);
	size_t i;

	h *= 0x9e3779b97f4a7c15ull;
	for (i = (size_t)(h >> 20) & t->mask;; i = (i + 1) & t->mask) {
		if (!t->slots[i].used) {
			*found = false;
			return &t->slots[i];
		}
		if (!memcmp(t->slots[i].id, id, RUP_NODE_ID_LEN)) {
			*found = true;
			return &t->slots[i];
		}
	}
}

/* One datagram, checks cheapest first as in kmod/receive.c. */
static bool handle(const uint8_t *buf, size_t len, uint32_t src,
		   uint32_t region, struct bench_hmac *h, const uint8_t *self,
		   struct table *t, struct stats *st, uint64_t now)
{
	struct rup_beacon b;
	uint8_t mac[RUP_MAC_LEN];
	struct peer *p;
	bool found, changed;

	if (rup_beacon_decode(buf, len, &b)) {
		st->bad++;
		return false;
	}
	if (b.region != region) {
		st->wrong_region++;
		return false;
	}
	bench_hmac(h, buf, len - RUP_MAC_LEN, mac);
	if (CRYPTO_memcmp(mac, buf + len - RUP_MAC_LEN, RUP_MAC_LEN)) {
		st->bad_mac++;
		return false;
	}
	if (!memcmp(b.node_id, self, RUP_NODE_ID_LEN)) {
		st->own++;
		return false;
	}
	p = lookup(t, b.node_id, &found);
	if (!found) {
		uint64_t d = b.seq > now ? b.seq - now : now - b.seq;

		if (d > 60000000000ull) {
			st->stale++;
			return false;
		}
		if (t->count >= t->max) {
			st->full++;
			return false;
		}
		memset(p, 0, sizeof(*p));
		p->used = true;
		memcpy(p->id, b.node_id, RUP_NODE_ID_LEN);
		t->count++;
	} else if (b.seq <= p->seq) {
		st->replay++;
		return false;
	}
	changed = found &&
		  (p->score != b.score || p->flags != b.flags ||
		   p->term != b.term || strcmp(p->version, b.version) ||
		   p->has_offer != b.has_offer);
	p->addr = src;
	p->seq = b.seq;
	p->score = b.score;
	p->flags = b.flags;
	p->term = b.term;
	p->last_seen = now;
	p->rx++;
	memcpy(p->version, b.version, sizeof(p->version));
	p->has_offer = b.has_offer;
	if (b.has_offer)
		p->offer = b.offer;
	st->changed += changed;
	st->rx++;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "group", 1, NULL, 'g' },   { "port", 1, NULL, 'p' },
		{ "region", 1, NULL, 'r' },  { "key", 1, NULL, 'k' },
		{ "ifname", 1, NULL, 'i' },  { "expect", 1, NULL, 'e' },
		{ "idle-ms", 1, NULL, 'I' }, { "max-peers", 1, NULL, 'm' },
		{ "help", 0, NULL, 'h' },    { NULL, 0, NULL, 0 },
	};
	static uint8_t bufs[BATCH][RUP_BEACON_MAX + 1];
	struct sockaddr_in from[BATCH], sa = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct ip_mreqn mr = { 0 };
	struct timeval tv = { .tv_usec = 50000 };
	struct bench_hmac h;
	struct stats st = { 0 };
	struct table t = { 0 };
	uint8_t key[32], self[RUP_NODE_ID_LEN] = { 0 };
	unsigned long expect = 0, idle_ms = 2000, max_peers = 1024, nlat = 0,
		      cap = 1 << 20;
	unsigned int port = 0, region = 0, ifindex = 0;
	uint64_t first = 0, last = 0, *lat;
	bool have_key = false;
	int fd, c, i, n, rcvbuf = 8 << 20;
	size_t slots = 2048;

	bench_prog = "urecv";
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (inet_pton(AF_INET, optarg, &mr.imr_multiaddr) !=
				    1 ||
			    !IN_MULTICAST(ntohl(mr.imr_multiaddr.s_addr)))
				bench_die(
					"--group: '%s' is not an IPv4 multicast address",
					optarg);
			break;
		case 'p':
			port = (unsigned int)bench_parse_u("--port", optarg,
							   65535);
			break;
		case 'r':
			region = (unsigned int)bench_parse_u("--region", optarg,
							     UINT32_MAX);
			break;
		case 'k':
			bench_parse_key(optarg, key);
			have_key = true;
			break;
		case 'i':
			ifindex = if_nametoindex(optarg);
			if (!ifindex)
				bench_die("--ifname: no interface '%s'",
					  optarg);
			break;
		case 'e':
			expect = bench_parse_u("--expect", optarg, 1000000000);
			break;
		case 'I':
			idle_ms = bench_parse_u("--idle-ms", optarg, 3600000);
			break;
		case 'm':
			max_peers =
				bench_parse_u("--max-peers", optarg, 1000000);
			break;
		case 'h':
			printf("usage: urecv --group ADDR --port N --region N --key HEX [--ifname IF]\n"
			       "             [--expect N] [--idle-ms MS] [--max-peers N]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (!mr.imr_multiaddr.s_addr || !port || !have_key)
		bench_die("--group, --port and --key are required");
	while (slots < 2 * max_peers)
		slots *= 2;
	t.slots = calloc(slots, sizeof(*t.slots));
	t.mask = slots - 1;
	t.max = max_peers;
	lat = malloc(cap * sizeof(*lat));
	if (!t.slots || !lat)
		bench_die("out of memory");
	bench_hmac_init(&h, key);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		bench_die("socket: %m");
	c = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &c, sizeof(c));
	/* As big as root may make it: the kernel path has no queue to fill. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sa.sin_addr = mr.imr_multiaddr;
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		bench_die("bind to port %u: %m", port);
	mr.imr_ifindex = (int)ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		bench_die("join group: %m");
	printf("listening\n");
	fflush(stdout);

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &from[i];
	}
	for (;;) {
		uint64_t now;

		for (i = 0; i < BATCH; i++)
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		now = bench_now_ns();
		if (n <= 0) {
			if (first && now - last > idle_ms * 1000000ull)
				break;
			continue;
		}
		for (i = 0; i < n; i++) {
			const uint8_t *b = bufs[i];

			if (!handle(b, msgs[i].msg_len, from[i].sin_addr.s_addr,
				    region, &h, self, &t, &st, now))
				continue;
			now = bench_now_ns();
			if (!first)
				first = now;
			last = now;
			if (nlat < cap)
				lat[nlat++] =
					now - rup_get_be64(b + RUP_BOFF_SEQ);
		}
		if (expect && st.rx >= expect)
			break;
	}
	printf("accepted %lu peers %zu changed %lu drops bad %lu wrong_region %lu bad_mac %lu "
	       "replay %lu stale %lu full %lu window_s %.6f rate %.0f lat_p50_us %.1f lat_p99_us %.1f\n",
	       st.rx, t.count, st.changed, st.bad, st.wrong_region, st.bad_mac,
	       st.replay, st.stale, st.full, (double)(last - first) / 1e9,
	       last > first ?
		       (double)(st.rx - 1) * 1e9 / (double)(last - first) :
		       0.0,
	       (double)bench_percentile(lat, nlat, 50) / 1e3,
	       (double)bench_percentile(lat, nlat, 99) / 1e3);
	bench_hmac_free(&h);
	free(lat);
	free(t.slots);
	close(fd);
	return 0;
}
