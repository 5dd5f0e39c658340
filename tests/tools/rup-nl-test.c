// SPDX-License-Identifier: GPL-2.0
/*
 * rup-nl-test: a raw client of the rup genl family for the module's guest
 * tests. Unlike rupctl it checks nothing itself, so tests can send exactly
 * the (mis)formed requests they mean to, and it prints replies and events
 * as one "key=value ..." line per message.
 *
 *   rup-nl-test COMMAND [ATTR=VALUE ...]
 *   COMMAND: region-new region-set region-del region-get self-set self-get
 *            peer-get stats-get monitor
 *   ATTR: id group port ifname ifindex key next-key next-key-clear interval
 *         dead window node version score role term
 *         offer=VERSION,SHA256HEX,SIZE,PORT,PATH  offer=none (empty nest)
 *         raw=TYPE:HEX (any attribute, for malformed requests)
 *
 * Exit: 0 ok, 1 the kernel refused (errno and extack on stderr), 2 usage.
 * Socket, family and errors go through the library's genl client (nl.h);
 * requests are built here attribute by attribute.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rup.h>

#include "hexb64.h"
#include "names.h"
#include "nl.h"

#define PROG "rup-nl-test"

static const char *const cmd_names[] = {
	[RUP_CMD_REGION_NEW] = "region-new",
	[RUP_CMD_REGION_DEL] = "region-del",
	[RUP_CMD_REGION_GET] = "region-get",
	[RUP_CMD_REGION_SET] = "region-set",
	[RUP_CMD_SELF_SET] = "self-set",
	[RUP_CMD_SELF_GET] = "self-get",
	[RUP_CMD_PEER_GET] = "peer-get",
	[RUP_CMD_STATS_GET] = "stats-get",
	[RUP_CMD_PEER_NEW] = "peer-new",
	[RUP_CMD_PEER_CHANGED] = "peer-changed",
	[RUP_CMD_PEER_GONE] = "peer-gone",
	[RUP_CMD_RVS_LOST] = "rvs-lost",
};

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* The bytes of @hex ("" is none): at most @max, or die. */
static size_t hex2bin(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;

	if (hex[0] && hex_from_text(hex, out, max, &n))
		die("bad hex \"%s\"", hex);
	return n;
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end)
		die("bad number \"%s\"", s);
	return v;
}

static void put_offer(struct nlmsghdr *nlh, char *v)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RUP_A_OFFER);
	unsigned char sha[64];
	char *f[5];
	int i;

	if (strcmp(v, "none")) {
		for (i = 0; i < 5; i++) {
			f[i] = strsep(&v, ",");
			if (!f[i])
				die("offer needs 5 fields: %s",
				    "VERSION,SHA,SIZE,PORT,PATH");
		}
		mnl_attr_put_strz(nlh, RUP_OFFER_A_VERSION, f[0]);
		mnl_attr_put(nlh, RUP_OFFER_A_SHA256,
			     hex2bin(f[1], sha, sizeof(sha)), sha);
		mnl_attr_put_u64(nlh, RUP_OFFER_A_SIZE, num(f[2]));
		mnl_attr_put_u16(nlh, RUP_OFFER_A_PORT, num(f[3]));
		mnl_attr_put_strz(nlh, RUP_OFFER_A_PATH, f[4]);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_attr(struct nlmsghdr *nlh, char *arg)
{
	unsigned char bin[256];
	char *v = strchr(arg, '=');
	struct in_addr a;

	if (!strcmp(arg, "next-key-clear")) {
		mnl_attr_put(nlh, RUP_A_REGION_NEXT_KEY_CLEAR, 0, NULL);
		return;
	}
	if (!v)
		die("expected ATTR=VALUE, got \"%s\"", arg);
	*v++ = '\0';
	if (!strcmp(arg, "id")) {
		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, num(v));
	} else if (!strcmp(arg, "group")) {
		if (inet_pton(AF_INET, v, &a) != 1)
			die("bad address \"%s\"", v);
		mnl_attr_put(nlh, RUP_A_REGION_GROUP4, 4, &a);
	} else if (!strcmp(arg, "port")) {
		mnl_attr_put_u16(nlh, RUP_A_REGION_PORT, num(v));
	} else if (!strcmp(arg, "ifname")) {
		if (!if_nametoindex(v))
			die("no interface \"%s\"", v);
		mnl_attr_put_u32(nlh, RUP_A_REGION_IFINDEX, if_nametoindex(v));
	} else if (!strcmp(arg, "ifindex")) {
		mnl_attr_put_u32(nlh, RUP_A_REGION_IFINDEX, num(v));
	} else if (!strcmp(arg, "key")) {
		mnl_attr_put(nlh, RUP_A_REGION_KEY,
			     hex2bin(v, bin, sizeof(bin)), bin);
	} else if (!strcmp(arg, "next-key")) {
		mnl_attr_put(nlh, RUP_A_REGION_NEXT_KEY,
			     hex2bin(v, bin, sizeof(bin)), bin);
	} else if (!strcmp(arg, "interval")) {
		mnl_attr_put_u32(nlh, RUP_A_REGION_INTERVAL_MS, num(v));
	} else if (!strcmp(arg, "dead")) {
		mnl_attr_put_u32(nlh, RUP_A_REGION_DEAD_MS, num(v));
	} else if (!strcmp(arg, "window")) {
		mnl_attr_put_u32(nlh, RUP_A_REGION_WINDOW_MS, num(v));
	} else if (!strcmp(arg, "node")) {
		mnl_attr_put(nlh, RUP_A_NODE_ID, hex2bin(v, bin, sizeof(bin)),
			     bin);
	} else if (!strcmp(arg, "version")) {
		mnl_attr_put_strz(nlh, RUP_A_VERSION, v);
	} else if (!strcmp(arg, "score")) {
		mnl_attr_put_u32(nlh, RUP_A_SCORE, num(v));
	} else if (!strcmp(arg, "role")) {
		mnl_attr_put_u32(nlh, RUP_A_ROLE, num(v));
	} else if (!strcmp(arg, "term")) {
		mnl_attr_put_u64(nlh, RUP_A_TERM, num(v));
	} else if (!strcmp(arg, "offer")) {
		put_offer(nlh, v);
	} else if (!strcmp(arg, "raw")) {
		char *hex = strchr(v, ':');

		if (!hex)
			die("raw=TYPE:HEX, got \"%s\"", v);
		*hex++ = '\0';
		mnl_attr_put(nlh, num(v), hex2bin(hex, bin, sizeof(bin)), bin);
	} else {
		die("unknown attribute \"%s\"", arg);
	}
}

static void print_hex(const char *key, const struct nlattr *a)
{
	char hex[HEX_LEN(256) + 1];

	if (hex_to_text(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
			hex, sizeof(hex)))
		snprintf(hex, sizeof(hex), "(%u bytes)",
			 mnl_attr_get_payload_len(a));
	printf(" %s=%s", key, hex);
}

static void print_offer(const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
	{
		switch (mnl_attr_get_type(a)) {
		case RUP_OFFER_A_VERSION:
			printf(" offer_version=%s", mnl_attr_get_str(a));
			break;
		case RUP_OFFER_A_SHA256:
			print_hex("offer_sha256", a);
			break;
		case RUP_OFFER_A_SIZE:
			printf(" offer_size=%" PRIu64, mnl_attr_get_u64(a));
			break;
		case RUP_OFFER_A_PORT:
			printf(" offer_port=%u", mnl_attr_get_u16(a));
			break;
		case RUP_OFFER_A_PATH:
			printf(" offer_path=%s", mnl_attr_get_str(a));
			break;
		}
	}
}

/* The counters of a RUP_A_STATS nest, by name; unknown ones are skipped. */
static void print_stats(const struct nlattr *a)
{
	const struct nlattr *s;

	mnl_attr_for_each_nested(s, a)
	{
		unsigned int t = mnl_attr_get_type(s);

		if (rup_stat_name(t))
			printf(" %s=%" PRIu64, rup_stat_name(t),
			       mnl_attr_get_u64(s));
	}
}

static int print_attr(const struct nlattr *a, void *data)
{
	char buf[INET_ADDRSTRLEN];

	(void)data;
	switch (mnl_attr_get_type(a)) {
	case RUP_A_REGION_ID:
		printf(" region=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_REGION_GROUP4:
	case RUP_A_PEER_ADDR4:
		inet_ntop(AF_INET, mnl_attr_get_payload(a), buf, sizeof(buf));
		printf(" %s=%s",
		       mnl_attr_get_type(a) == RUP_A_PEER_ADDR4 ? "addr" :
								  "group",
		       buf);
		break;
	case RUP_A_REGION_PORT:
		printf(" port=%u", mnl_attr_get_u16(a));
		break;
	case RUP_A_REGION_IFINDEX:
		printf(" ifindex=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_REGION_HAS_NEXT_KEY:
		printf(" next_key=1");
		break;
	case RUP_A_REGION_INTERVAL_MS:
		printf(" interval=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_REGION_DEAD_MS:
		printf(" dead=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_REGION_WINDOW_MS:
		printf(" window=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_REGION_PEERS:
		printf(" peers=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_NODE_ID:
		print_hex("node", a);
		break;
	case RUP_A_VERSION:
		printf(" version=%s", mnl_attr_get_str(a));
		break;
	case RUP_A_SCORE:
		printf(" score=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_ROLE:
		printf(" role=%#x", mnl_attr_get_u32(a));
		break;
	case RUP_A_TERM:
		printf(" term=%" PRIu64, mnl_attr_get_u64(a));
		break;
	case RUP_A_OFFER:
		print_offer(a);
		break;
	case RUP_A_PEER_SEQ:
		printf(" seq=%" PRIu64, mnl_attr_get_u64(a));
		break;
	case RUP_A_PEER_LAST_SEEN_MS:
		printf(" last_seen_ms=%u", mnl_attr_get_u32(a));
		break;
	case RUP_A_PEER_RX:
		printf(" rx=%" PRIu64, mnl_attr_get_u64(a));
		break;
	case RUP_A_CHANGED:
		printf(" changed=%#x", mnl_attr_get_u32(a));
		break;
	case RUP_A_STATS:
		print_stats(a);
		break;
	}
	return MNL_CB_OK;
}

static int print_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	(void)data;
	printf("%s", g->cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) &&
				     cmd_names[g->cmd] ?
			     cmd_names[g->cmd] :
			     "?");
	mnl_attr_parse(nlh, sizeof(*g), print_attr, NULL);
	printf("\n");
	fflush(stdout);
	return 0;
}

/* Runs one request; returns 0 or prints the error and extack, returns 1. */
static int run(struct rupnl *nl, struct nlmsghdr *nlh)
{
	int err = rupnl_talk(nl, nlh, print_msg, NULL);

	/* A dump that raced a change printed what it saw: that is the reply. */
	if (!err || (err == -EINTR && nl->dump_intr))
		return 0;
	if (nl->ext[0])
		fprintf(stderr, PROG ": extack: %s\n", nl->ext);
	fprintf(stderr, PROG ": %s\n", strerror(-err));
	return 1;
}

/* Events as they come; nlctrl's notifications (joined by the library to
 * see rmmod) are not ours to print.
 */
static int monitor(struct rupnl *nl)
{
	ssize_t n;
	int len;
	const struct nlmsghdr *nlh;

	if (rupnl_join_events(nl)) {
		perror(PROG ": join events");
		return 1;
	}
	printf("monitoring\n");
	fflush(stdout);
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, RUPNL_BUFSZ);
		if (n <= 0)
			return 1;
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)nl->rx;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == nl->family)
				print_msg(nlh, NULL);
	}
}

int main(int argc, char **argv)
{
	struct rupnl nl;
	struct nlmsghdr *nlh;
	int cmd = -1, i, flags = 0, rc;

	if (argc < 2)
		die("usage: see the comment at the top of %s", __FILE__);
	for (i = 1; i < (int)(sizeof(cmd_names) / sizeof(cmd_names[0])); i++)
		if (cmd_names[i] && !strcmp(argv[1], cmd_names[i]))
			cmd = i;
	if (cmd < 0 && strcmp(argv[1], "monitor"))
		die("unknown command \"%s\"", argv[1]);

	rc = rupnl_open(&nl);
	if (rc == -ENOENT) {
		fprintf(stderr, PROG ": rup module not loaded\n");
		return 1;
	}
	if (rc) {
		fprintf(stderr, PROG ": netlink: %s\n", strerror(-rc));
		return 1;
	}
	if (cmd < 0)
		return monitor(&nl);
	if ((cmd == RUP_CMD_PEER_GET || cmd == RUP_CMD_REGION_GET ||
	     cmd == RUP_CMD_STATS_GET) &&
	    !(argc > 2 && cmd != RUP_CMD_PEER_GET))
		flags |= NLM_F_DUMP;
	/* Attributes go in as given, so malformed requests reach the kernel. */
	nlh = rupnl_msg(&nl, cmd, flags);
	for (i = 2; i < argc; i++)
		put_attr(nlh, argv[i]);
	rc = run(&nl, nlh);
	rupnl_close(&nl);
	return rc;
}
