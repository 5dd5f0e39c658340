// SPDX-License-Identifier: GPL-2.0
/*
 * bflood: send valid, correctly keyed rup beacons from many node ids as
 * fast as possible (sendmmsg), for the beacon-path benchmark.
 *
 *   --pregen   encode and sign every beacon before the clock starts, so the
 *              sender spends its CPU on sending only and the receiver is the
 *              bottleneck (sequence = start time + index: rising per peer);
 *   default    sequence = wall clock at encode time, so a receiver can take
 *              "now - seq" as the beacon's latency; --rate paces it.
 * --bump-score makes the score rise with every beacon, so each one is a
 * change (a PEER_CHANGED event from the kernel).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/rup.h>
#include <rup/beacon.h>

#include "bench-common.h"

#define BATCH 64

struct opts {
	struct in_addr group;
	unsigned int port, region, ifindex;
	uint8_t key[32];
	bool have_key;
	int pregen, bump_score; /* set by getopt_long itself */
	unsigned long ids, count, rate;
};

static void usage(void)
{
	printf("usage: bflood --group ADDR --port N --region N --key HEX [--ifname IF]\n"
	       "              [--ids N] [--count N] [--rate PER_S] [--pregen] [--bump-score]\n");
}

static void parse(int argc, char **argv, struct opts *o)
{
	const struct option lo[] = {
		{ "group", 1, NULL, 'g' },
		{ "port", 1, NULL, 'p' },
		{ "region", 1, NULL, 'r' },
		{ "key", 1, NULL, 'k' },
		{ "ifname", 1, NULL, 'i' },
		{ "ids", 1, NULL, 'n' },
		{ "count", 1, NULL, 'c' },
		{ "rate", 1, NULL, 'R' },
		{ "pregen", 0, &o->pregen, 1 },
		{ "bump-score", 0, &o->bump_score, 1 },
		{ "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->ids = 1000;
	o->count = 100000;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (inet_pton(AF_INET, optarg, &o->group) != 1 ||
			    !IN_MULTICAST(ntohl(o->group.s_addr)))
				bench_die(
					"--group: '%s' is not an IPv4 multicast address",
					optarg);
			break;
		case 'p':
			o->port = (unsigned int)bench_parse_u("--port", optarg,
							      65535);
			break;
		case 'r':
			o->region = (unsigned int)bench_parse_u(
				"--region", optarg, UINT32_MAX);
			break;
		case 'k':
			bench_parse_key(optarg, o->key);
			o->have_key = true;
			break;
		case 'i':
			o->ifindex = if_nametoindex(optarg);
			if (!o->ifindex)
				bench_die("--ifname: no interface '%s'",
					  optarg);
			break;
		case 'n':
			o->ids = bench_parse_u("--ids", optarg, 1000000);
			break;
		case 'c':
			o->count = bench_parse_u("--count", optarg, 100000000);
			break;
		case 'R':
			o->rate = bench_parse_u("--rate", optarg, 100000000);
			break;
		case 0: /* a flag, set through lo[].flag */
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage();
			exit(2);
		}
	}
	if (!o->group.s_addr || !o->port || !o->have_key || !o->ids)
		bench_die(
			"--group, --port, --key and a non-zero --ids are required");
}

/* Encode beacon @i (peer i % ids) with sequence @seq into @buf; signs it. */
static int build(const struct opts *o, struct bench_hmac *h,
		 const uint8_t *salt, unsigned long i, uint64_t seq,
		 uint8_t *buf)
{
	struct rup_beacon b;
	unsigned long peer = i % o->ids;
	int len;

	memset(&b, 0, sizeof(b));
	b.type = RUP_BEACON_ANNOUNCE;
	b.region = o->region;
	memcpy(b.node_id, salt, 8);
	rup_put_be64(b.node_id + 8, peer + 1);
	b.seq = seq;
	b.score = o->bump_score ? (uint32_t)(i / o->ids + 1) : 42;
	b.flags = RUP_ROLE_MEMBER;
	strcpy(b.version, "1.0.0");
	len = rup_beacon_encode(&b, buf, RUP_BEACON_MAX);
	if (len < 0)
		bench_die("encode: error %d", len);
	bench_hmac(h, buf, (size_t)len - RUP_MAC_LEN, buf + len - RUP_MAC_LEN);
	return len;
}

static void sleep_until(uint64_t t)
{
	uint64_t now = bench_now_ns();
	struct timespec ts;

	if (t <= now)
		return;
	ts.tv_sec = (time_t)((t - now) / 1000000000ull);
	ts.tv_nsec = (long)((t - now) % 1000000000ull);
	nanosleep(&ts, NULL);
}

/* A UDP socket sending to the group on --ifname, looped back to this host. */
static int sender_open(const struct opts *o)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	if (fd < 0)
		bench_die("socket: %m");
	if (o->ifindex) {
		struct ip_mreqn mr = { .imr_ifindex = (int)o->ifindex };

		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
			       sizeof(mr)))
			bench_die("IP_MULTICAST_IF: %m");
	}
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one));
	return fd;
}

int main(int argc, char **argv)
{
	static uint8_t live[BATCH][RUP_BEACON_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct bench_hmac h;
	struct opts o;
	uint8_t salt[8], *pre = NULL;
	int *plen = NULL, fd;
	unsigned long sent = 0, i, n;
	uint64_t t0, t1, last_seq = 0, base;

	bench_prog = "bflood";
	parse(argc, argv, &o);
	if (getrandom(salt, sizeof(salt), 0) != sizeof(salt))
		bench_die("getrandom failed");
	bench_hmac_init(&h, o.key);
	fd = sender_open(&o);
	dst.sin_addr = o.group;
	dst.sin_port = htons((uint16_t)o.port);

	if (o.pregen) {
		pre = malloc(o.count * RUP_BEACON_MAX);
		plen = malloc(o.count * sizeof(*plen));
		if (!pre || !plen)
			bench_die("out of memory for %lu beacons", o.count);
		base = bench_now_ns();
		for (i = 0; i < o.count; i++)
			plen[i] = build(&o, &h, salt, i, base + i,
					pre + i * RUP_BEACON_MAX);
	}
	memset(msgs, 0, sizeof(msgs));
	t0 = bench_now_ns();
	while (sent < o.count) {
		n = o.count - sent < BATCH ? o.count - sent : BATCH;
		if (o.rate && n > 1)
			n = 1;
		if (o.rate)
			sleep_until(t0 + sent * 1000000000ull / o.rate);
		for (i = 0; i < n; i++) {
			if (o.pregen) {
				iov[i].iov_base =
					pre + (sent + i) * RUP_BEACON_MAX;
				iov[i].iov_len = (size_t)plen[sent + i];
			} else {
				uint64_t s = bench_now_ns();

				last_seq = s > last_seq ? s : last_seq + 1;
				iov[i].iov_base = live[i];
				iov[i].iov_len =
					(size_t)build(&o, &h, salt, sent + i,
						      last_seq, live[i]);
			}
			msgs[i].msg_hdr.msg_name = &dst;
			msgs[i].msg_hdr.msg_namelen = sizeof(dst);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int r = sendmmsg(fd, msgs, (unsigned int)n, 0);

		if (r < 0)
			bench_die("sendmmsg: %m");
		sent += (unsigned long)r;
	}
	t1 = bench_now_ns();
	printf("sent %lu beacons from %lu ids in %.3f s: %.0f/s\n", sent, o.ids,
	       (double)(t1 - t0) / 1e9, (double)sent * 1e9 / (double)(t1 - t0));
	bench_hmac_free(&h);
	free(pre);
	free(plen);
	close(fd);
	return 0;
}
