// SPDX-License-Identifier: GPL-2.0
/*
 * knl: the kernel side of the beacon-path benchmark, over the rup genl
 * family (the library's client, nl.h), timed in one process so no shell or fork sits between
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

#include <sys/socket.h>
#include <linux/rup.h>

#include "bench-common.h"
#include "hexb64.h"
#include "nl.h"

static void open_rup(struct rupnl *nl)
{
	int err = rupnl_open(nl);

	if (err)
		bench_die("genl family '%s': %s", RUP_GENL_NAME,
			  err == -ENOENT ? "not found (module loaded?)" :
					   strerror(-err));
}

/* Join the events group with a receive buffer of @rcvbuf bytes. */
static void join_events(struct rupnl *nl, int rcvbuf)
{
	int err = rupnl_join_events(nl);

	if (err)
		bench_die("join events group: %s", strerror(-err));
	setsockopt(rupnl_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		   sizeof(rcvbuf));
}

static int stats_cb(const struct rupnl_stats *s, void *data)
{
	if (s->mask & RUPNL_BIT(RUP_STAT_RX))
		*(uint64_t *)data = s->count[RUP_STAT_RX];
	return 0;
}

static uint64_t rx_of(struct rupnl *nl, uint32_t region)
{
	uint64_t rx = UINT64_MAX;
	int err = rupnl_stats_dump(nl, region, stats_cb, &rx);

	if (err)
		bench_die("genl request: %s", rupnl_errstr(nl, err));
	if (rx == UINT64_MAX)
		bench_die("region %u: no rx counter in STATS_GET", region);
	return rx;
}

static int rxwatch(uint32_t region, uint64_t expect, uint64_t idle_ms)
{
	struct timespec pause = { .tv_nsec = 500000 };
	struct rupnl nl;
	uint64_t base, cur, prev, first = 0, last = 0;
	uint64_t first_rx;
	uint64_t start = bench_now_ns(), now;

	open_rup(&nl);
	base = rx_of(&nl, region);
	cur = prev = first_rx = base;

	printf("watching region %u from rx %llu\n", region,
	       (unsigned long long)base);
	fflush(stdout);
	for (;;) {
		nanosleep(&pause, NULL);
		cur = rx_of(&nl, region);
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
	rupnl_close(&nl);
	return 0;
}

struct ev {
	uint64_t *lat;
	size_t n, cap;
};

/* Receipt time of an event: when its datagram has just been read. */
static int ev_cb(const struct rupnl_event *ev, void *data)
{
	struct ev *e = data;

	if (ev->cmd != RUP_CMD_PEER_NEW && ev->cmd != RUP_CMD_PEER_CHANGED)
		return 0;
	if ((ev->peer.mask & RUPNL_BIT(RUP_A_PEER_SEQ)) && e->n < e->cap)
		e->lat[e->n++] = bench_now_ns() - ev->peer.seq;
	return 0;
}

static int log_cb(const struct rupnl_event *ev, void *data)
{
	static const char *const names[] = {
		[RUP_CMD_PEER_NEW] = "new",
		[RUP_CMD_PEER_CHANGED] = "changed",
		[RUP_CMD_PEER_GONE] = "gone",
		[RUP_CMD_RVS_LOST] = "rvs_lost",
	};
	uint64_t rx = bench_now_ns();
	char id[HEX_LEN(RUP_NODE_ID_LEN) + 1];

	(void)data;
	hex_to_text(ev->peer.node_id, RUP_NODE_ID_LEN, id, sizeof(id));
	printf("%s node %s", names[ev->cmd], id);
	printf(" role %u term %llu seq %llu rx %llu\n", ev->peer.role,
	       (unsigned long long)ev->peer.term,
	       (unsigned long long)ev->peer.seq, (unsigned long long)rx);
	fflush(stdout);
	return 0;
}

static int log_events(void)
{
	struct rupnl nl;
	int err;

	open_rup(&nl);
	join_events(&nl, 4 << 20);
	printf("monitoring\n");
	fflush(stdout);
	for (;;) {
		err = rupnl_monitor_next(&nl, log_cb, NULL);
		if (err == -ENOBUFS)
			printf("overrun\n");
		else if (err == -EINTR || err == -EAGAIN)
			continue;
		else if (err && err != -EPROTO && err != -ESHUTDOWN)
			bench_die("events: %s", strerror(-err));
	}
	return 0;
}

static int events(uint64_t expect, uint64_t idle_ms)
{
	struct rupnl nl;
	struct ev e = { .cap = expect ? expect : 1 };
	unsigned long overruns = 0;
	struct pollfd pfd = { .events = POLLIN };
	int err;

	e.lat = malloc(e.cap * sizeof(*e.lat));
	if (!e.lat)
		bench_die("out of memory");
	open_rup(&nl);
	join_events(&nl, 8 << 20);
	pfd.fd = rupnl_fd(&nl);
	printf("monitoring\n");
	fflush(stdout);
	while (e.n < e.cap) {
		/* Before the first event the sender may still be starting. */
		if (poll(&pfd, 1, e.n ? (int)idle_ms : 120000) <= 0)
			break;
		err = rupnl_monitor_next(&nl, ev_cb, &e);
		if (err == -ENOBUFS)
			overruns++;
		else if (err && err != -EPROTO && err != -EINTR)
			bench_die("events: %s", strerror(-err));
	}
	printf("events %zu overruns %lu lat_p50_us %.1f lat_p99_us %.1f\n", e.n,
	       overruns, (double)bench_percentile(e.lat, e.n, 50) / 1e3,
	       (double)bench_percentile(e.lat, e.n, 99) / 1e3);
	free(e.lat);
	rupnl_close(&nl);
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
