// SPDX-License-Identifier: GPL-2.0
/*
 * knl: the kernel side of the beacon-path benchmark, over the rup genl
 * family (libmnl), timed in one process so no shell or fork sits between
 * the kernel and the clock.
 *
 *   knl rxwatch REGION EXPECT [IDLE_MS]   poll STATS_GET every 0.5 ms; the
 *       window runs from the first to the last change of the rx counter;
 *       stops at EXPECT more, IDLE_MS after the last change, or 120 s
 *       without any; prints accepted beacons, window and rate (beacons
 *       counted after the first change over the window).
 *   knl events EXPECT [IDLE_MS]           join the "events" group; for every
 *       PEER_NEW/PEER_CHANGED, latency = receipt - PEER_SEQ (the sender's
 *       wall clock at send); stops at EXPECT events, IDLE_MS after the
 *       last or 120 s without any; prints count, p50 and p99.
 *   knl log                               join the "events" group and print
 *       every event as it arrives, one line each:
 *       "CMD node HEX role ROLE term TERM seq SEQ rx RECEIPT_NS".
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/rup.h>

#include "bench-common.h"

struct fam {
	uint16_t id;
	uint32_t group;
};

static int fam_grp_cb(const struct nlattr *a, void *data)
{
	struct fam *f = data;
	struct nlattr *g;

	mnl_attr_for_each_nested(g, a)
	{
		const char *name = NULL;
		uint32_t id = 0;
		struct nlattr *x;

		mnl_attr_for_each_nested(x, g)
		{
			if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(x);
			else if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(x);
		}
		if (name && !strcmp(name, RUP_MCGRP_EVENTS))
			f->group = id;
	}
	return MNL_CB_OK;
}

static int fam_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fam *f = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			f->id = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			fam_grp_cb(a, f);
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *req(char *buf, uint16_t type, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : RUP_GENL_VERSION;
	return nlh;
}

/* Send @nlh and run @cb over the replies until the ack. */
static void talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int port = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		bench_die("netlink send: %m");
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			bench_die("netlink receive: %m");
		r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, port, cb, data);
	} while (r > 0);
	if (r < 0)
		bench_die("genl request %u: %s", nlh->nlmsg_type,
			  errno == ENOENT ?
				  "no such family or region (module loaded?)" :
				  strerror(errno));
}

static struct mnl_socket *open_rup(struct fam *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		bench_die("netlink socket: %m");
	nlh = req(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, RUP_GENL_NAME);
	memset(f, 0, sizeof(*f));
	talk(nl, nlh, fam_cb, f);
	if (!f->id || !f->group)
		bench_die("genl family '%s' or its events group not found",
			  RUP_GENL_NAME);
	return nl;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a, *s;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		if (mnl_attr_get_type(a) != RUP_A_STATS)
			continue;
		mnl_attr_for_each_nested(s, a) if (mnl_attr_get_type(s) ==
						   RUP_STAT_RX) *
			(uint64_t *)data = mnl_attr_get_u64(s);
	}
	return MNL_CB_OK;
}

static uint64_t rx_of(struct mnl_socket *nl, const struct fam *f,
		      uint32_t region)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = req(buf, f->id, RUP_CMD_STATS_GET, 0);
	uint64_t rx = UINT64_MAX;

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	talk(nl, nlh, stats_cb, &rx);
	if (rx == UINT64_MAX)
		bench_die("region %u: no rx counter in STATS_GET", region);
	return rx;
}

static int rxwatch(uint32_t region, uint64_t expect, uint64_t idle_ms)
{
	struct timespec pause = { .tv_nsec = 500000 };
	struct fam f;
	struct mnl_socket *nl = open_rup(&f);
	uint64_t base = rx_of(nl, &f, region), cur = base, prev = base,
		 first = 0, last = 0;
	uint64_t first_rx = base;
	uint64_t start = bench_now_ns(), now;

	printf("watching region %u from rx %llu\n", region,
	       (unsigned long long)base);
	fflush(stdout);
	for (;;) {
		nanosleep(&pause, NULL);
		cur = rx_of(nl, &f, region);
		now = bench_now_ns();
		if (cur != prev) {
			if (!first) {
				first = now;
				first_rx = cur;
			}
			last = now;
			prev = cur;
		}
		if (cur - base >= expect)
			break;
		/* Before the first beacon the sender may still be signing. */
		if (first ? now - last > idle_ms * 1000000ull :
			    now - start > 120000000000ull)
			break;
	}
	printf("accepted %llu window_s %.6f rate %.0f\n",
	       (unsigned long long)(cur - base), (double)(last - first) / 1e9,
	       last > first ?
		       (double)(cur - first_rx) * 1e9 / (double)(last - first) :
		       0.0);
	mnl_socket_close(nl);
	return 0;
}

struct ev {
	uint64_t *lat;
	size_t n, cap;
	uint64_t now;
};

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct ev *e = data;
	struct nlattr *a;

	if (g->cmd != RUP_CMD_PEER_NEW && g->cmd != RUP_CMD_PEER_CHANGED)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*g))
	{
		if (mnl_attr_get_type(a) == RUP_A_PEER_SEQ && e->n < e->cap)
			e->lat[e->n++] = e->now - mnl_attr_get_u64(a);
	}
	return MNL_CB_OK;
}

static int log_cb(const struct nlmsghdr *nlh, void *data)
{
	static const char *const names[] = {
		[RUP_CMD_PEER_NEW] = "new",
		[RUP_CMD_PEER_CHANGED] = "changed",
		[RUP_CMD_PEER_GONE] = "gone",
		[RUP_CMD_RVS_LOST] = "rvs_lost",
	};
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint64_t term = 0, seq = 0, rx = *(uint64_t *)data;
	uint8_t id[RUP_NODE_ID_LEN] = { 0 };
	uint32_t role = 0;
	struct nlattr *a;
	int i;

	if (g->cmd < RUP_CMD_PEER_NEW || g->cmd > RUP_CMD_RVS_LOST)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*g))
	{
		switch (mnl_attr_get_type(a)) {
		case RUP_A_NODE_ID:
			if (mnl_attr_get_payload_len(a) == RUP_NODE_ID_LEN)
				memcpy(id, mnl_attr_get_payload(a),
				       RUP_NODE_ID_LEN);
			break;
		case RUP_A_ROLE:
			role = mnl_attr_get_u32(a);
			break;
		case RUP_A_TERM:
			term = mnl_attr_get_u64(a);
			break;
		case RUP_A_PEER_SEQ:
			seq = mnl_attr_get_u64(a);
			break;
		}
	}
	printf("%s node ", names[g->cmd]);
	for (i = 0; i < RUP_NODE_ID_LEN; i++)
		printf("%02x", id[i]);
	printf(" role %u term %llu seq %llu rx %llu\n", role,
	       (unsigned long long)term, (unsigned long long)seq,
	       (unsigned long long)rx);
	fflush(stdout);
	return MNL_CB_OK;
}

static int log_events(void)
{
	static char buf[1 << 16];
	struct fam f;
	struct mnl_socket *nl = open_rup(&f);
	int rcvbuf = 4 << 20, fd = mnl_socket_get_fd(nl);
	uint64_t now;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &f.group,
				  sizeof(f.group)))
		bench_die("join events group: %m");
	printf("monitoring\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		now = bench_now_ns();
		if (n < 0) {
			if (errno == ENOBUFS) {
				printf("overrun\n");
				continue;
			}
			bench_die("events: %m");
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, log_cb, &now);
	}
	return 0;
}

static int events(uint64_t expect, uint64_t idle_ms)
{
	static char buf[1 << 16];
	struct fam f;
	struct mnl_socket *nl = open_rup(&f);
	struct ev e = { .cap = expect ? expect : 1 };
	unsigned long overruns = 0;
	int rcvbuf = 8 << 20;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };

	e.lat = malloc(e.cap * sizeof(*e.lat));
	if (!e.lat)
		bench_die("out of memory");
	setsockopt(pfd.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &f.group,
				  sizeof(f.group)))
		bench_die("join events group: %m");
	printf("monitoring\n");
	fflush(stdout);
	while (e.n < e.cap) {
		/* Before the first event the sender may still be starting. */
		int r = poll(&pfd, 1, e.n ? (int)idle_ms : 120000);
		ssize_t n;

		if (r <= 0)
			break;
		n = recv(pfd.fd, buf, sizeof(buf), 0);
		e.now = bench_now_ns();
		if (n < 0) {
			if (errno == ENOBUFS) {
				overruns++;
				continue;
			}
			bench_die("events: %m");
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, ev_cb, &e);
	}
	printf("events %zu overruns %lu lat_p50_us %.1f lat_p99_us %.1f\n", e.n,
	       overruns, (double)bench_percentile(e.lat, e.n, 50) / 1e3,
	       (double)bench_percentile(e.lat, e.n, 99) / 1e3);
	free(e.lat);
	mnl_socket_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	bench_prog = "knl";
	if (argc >= 4 && !strcmp(argv[1], "rxwatch"))
		return rxwatch(
			(uint32_t)bench_parse_u("REGION", argv[2], UINT32_MAX),
			bench_parse_u("EXPECT", argv[3], UINT64_MAX),
			argc > 4 ? bench_parse_u("IDLE_MS", argv[4], 3600000) :
				   2000);
	if (argc >= 3 && !strcmp(argv[1], "events"))
		return events(bench_parse_u("EXPECT", argv[2], 100000000),
			      argc > 3 ? bench_parse_u("IDLE_MS", argv[3],
						       3600000) :
					 2000);
	if (argc == 2 && !strcmp(argv[1], "log"))
		return log_events();
	fprintf(stderr,
		"usage: knl rxwatch REGION EXPECT [IDLE_MS] | knl events EXPECT [IDLE_MS] | knl log\n");
	return 2;
}
