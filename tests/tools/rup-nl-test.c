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
 * Requests are built here attribute by attribute, in the order given;
 * socket, errors and the parsing of replies and events go through the
 * library's genl client (nl.h), the one reader of the genl contract.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/rup.h>

#include "hexb64.h"
#include "names.h"
#include "nl.h"

#define PROG "rup-nl-test"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* Requests */

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

/* How the VALUE of an ATTR=VALUE argument goes into its attribute. */
enum arg_kind {
	ARG_U16,
	ARG_U32,
	ARG_U64,
	ARG_HEX, /* bytes of any length: the kernel judges it */
	ARG_STR,
	ARG_ADDR4,
	ARG_IFNAME, /* interface name, sent as its index */
	ARG_FLAG, /* no value */
	ARG_OFFER, /* the RUP_A_OFFER nest, see put_offer */
	ARG_RAW, /* TYPE:HEX, any attribute */
};

static const struct arg {
	const char *name;
	uint16_t attr;
	enum arg_kind kind;
} args[] = {
	{ "id", RUP_A_REGION_ID, ARG_U32 },
	{ "group", RUP_A_REGION_GROUP4, ARG_ADDR4 },
	{ "port", RUP_A_REGION_PORT, ARG_U16 },
	{ "ifname", RUP_A_REGION_IFINDEX, ARG_IFNAME },
	{ "ifindex", RUP_A_REGION_IFINDEX, ARG_U32 },
	{ "key", RUP_A_REGION_KEY, ARG_HEX },
	{ "next-key", RUP_A_REGION_NEXT_KEY, ARG_HEX },
	{ "next-key-clear", RUP_A_REGION_NEXT_KEY_CLEAR, ARG_FLAG },
	{ "interval", RUP_A_REGION_INTERVAL_MS, ARG_U32 },
	{ "dead", RUP_A_REGION_DEAD_MS, ARG_U32 },
	{ "window", RUP_A_REGION_WINDOW_MS, ARG_U32 },
	{ "node", RUP_A_NODE_ID, ARG_HEX },
	{ "version", RUP_A_VERSION, ARG_STR },
	{ "score", RUP_A_SCORE, ARG_U32 },
	{ "role", RUP_A_ROLE, ARG_U32 },
	{ "term", RUP_A_TERM, ARG_U64 },
	{ "offer", RUP_A_OFFER, ARG_OFFER },
	{ "raw", 0, ARG_RAW },
};

/* Numbers are cut to the attribute's width, as the caller wrote them. */
static void put_value(struct nlmsghdr *nlh, const struct arg *a, char *v)
{
	unsigned char bin[256];
	struct in_addr addr;
	uint16_t type = a->attr;
	char *hex;

	switch (a->kind) {
	case ARG_U16:
		mnl_attr_put_u16(nlh, type, num(v));
		break;
	case ARG_U32:
		mnl_attr_put_u32(nlh, type, num(v));
		break;
	case ARG_U64:
		mnl_attr_put_u64(nlh, type, num(v));
		break;
	case ARG_RAW:
		hex = strchr(v, ':');
		if (!hex)
			die("raw=TYPE:HEX, got \"%s\"", v);
		*hex++ = '\0';
		type = num(v);
		v = hex;
		/* fall through */
	case ARG_HEX:
		mnl_attr_put(nlh, type, hex2bin(v, bin, sizeof(bin)), bin);
		break;
	case ARG_STR:
		mnl_attr_put_strz(nlh, type, v);
		break;
	case ARG_ADDR4:
		if (inet_pton(AF_INET, v, &addr) != 1)
			die("bad address \"%s\"", v);
		mnl_attr_put(nlh, type, sizeof(addr), &addr);
		break;
	case ARG_IFNAME:
		if (!if_nametoindex(v))
			die("no interface \"%s\"", v);
		mnl_attr_put_u32(nlh, type, if_nametoindex(v));
		break;
	case ARG_FLAG:
		mnl_attr_put(nlh, type, 0, NULL);
		break;
	case ARG_OFFER:
		put_offer(nlh, v);
		break;
	}
}

static void put_arg(struct nlmsghdr *nlh, char *arg)
{
	char *v = strchr(arg, '=');
	size_t i;

	if (v)
		*v++ = '\0';
	for (i = 0; i < ARRAY_SIZE(args); i++) {
		if (strcmp(arg, args[i].name))
			continue;
		if (!v != (args[i].kind == ARG_FLAG))
			die(v ? "%s takes no value" : "expected %s=VALUE", arg);
		put_value(nlh, &args[i], v);
		return;
	}
	die("unknown attribute \"%s\"", arg);
}

/* Replies and events, from the library's structs, in the kernel's order */

static void print_hex(const char *key, const uint8_t *b, size_t len)
{
	char hex[HEX_LEN(RUP_SHA256_LEN) + 1];

	if (hex_to_text(b, len, hex, sizeof(hex)))
		snprintf(hex, sizeof(hex), "(%zu bytes)", len);
	printf(" %s=%s", key, hex);
}

static const char *addr_text(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static void print_offer(const struct rupnl_offer *o)
{
	printf(" offer_version=%s", o->version);
	print_hex("offer_sha256", o->sha256, RUP_SHA256_LEN);
	printf(" offer_size=%" PRIu64 " offer_port=%u offer_path=%s", o->size,
	       o->port, o->path);
}

static bool has(uint32_t mask, unsigned int attr)
{
	return mask & RUPNL_BIT(attr);
}

static int print_region(const struct nlmsghdr *nlh)
{
	struct rupnl_region r;

	if (rupnl_parse_region(nlh, &r))
		return -EPROTO;
	printf(" region=%u group=%s port=%u ifindex=%u", r.id,
	       addr_text(r.group), r.port, r.ifindex);
	printf(" interval=%u dead=%u window=%u peers=%u", r.interval_ms,
	       r.dead_ms, r.window_ms, r.peers);
	if (r.has_next_key)
		printf(" next_key=1");
	return 0;
}

static int print_self(const struct nlmsghdr *nlh)
{
	struct rupnl_self s;

	if (rupnl_parse_self(nlh, &s))
		return -EPROTO;
	print_hex("node", s.node_id, RUP_NODE_ID_LEN);
	printf(" version=%s score=%u", s.version, s.score);
	/* The per-region part, asked for with a region id */
	if (has(s.mask, RUP_A_REGION_ID))
		printf(" region=%u role=%#x term=%" PRIu64, s.region, s.role,
		       s.term);
	if (has(s.mask, RUP_A_OFFER))
		print_offer(&s.offer);
	return 0;
}

/* A PEER_GET message or a peer event; RVS_LOST has region, node, term. */
static void print_peer_fields(const struct rupnl_peer *p)
{
	printf(" region=%u", p->region);
	print_hex("node", p->node_id, RUP_NODE_ID_LEN);
	if (has(p->mask, RUP_A_PEER_ADDR4))
		printf(" addr=%s version=%s score=%u role=%#x",
		       addr_text(p->addr), p->version, p->score, p->role);
	printf(" term=%" PRIu64, p->term);
	if (has(p->mask, RUP_A_OFFER))
		print_offer(&p->offer);
	if (has(p->mask, RUP_A_PEER_SEQ))
		printf(" seq=%" PRIu64 " last_seen_ms=%u rx=%" PRIu64, p->seq,
		       p->last_seen_ms, p->rx);
	if (has(p->mask, RUP_A_CHANGED))
		printf(" changed=%#x", p->changed);
}

static int print_peer(const struct nlmsghdr *nlh)
{
	struct rupnl_peer p;

	if (rupnl_parse_peer(nlh, &p))
		return -EPROTO;
	print_peer_fields(&p);
	return 0;
}

/* The counters by name, in the kernel's order; unknown ones are skipped. */
static int print_stats(const struct nlmsghdr *nlh)
{
	struct rupnl_stats s;
	unsigned int i;

	if (rupnl_parse_stats(nlh, &s))
		return -EPROTO;
	printf(" region=%u", s.region);
	for (i = 0; i <= RUP_STAT_MAX; i++)
		if (has(s.mask, i) && rup_stat_name(i))
			printf(" %s=%" PRIu64, rup_stat_name(i), s.count[i]);
	return 0;
}

/* Commands */

/* When a request asks for a dump rather than one reply. */
enum dump { DUMP_NEVER, DUMP_BARE /* when given no attributes */, DUMP_ALWAYS };

static const struct command {
	const char *name;
	uint8_t cmd;
	enum dump dump;
	int (*print)(const struct nlmsghdr *nlh); /* NULL: only an ack */
} commands[] = {
	{ "region-new", RUP_CMD_REGION_NEW, DUMP_NEVER, NULL },
	{ "region-set", RUP_CMD_REGION_SET, DUMP_NEVER, NULL },
	{ "region-del", RUP_CMD_REGION_DEL, DUMP_NEVER, NULL },
	{ "region-get", RUP_CMD_REGION_GET, DUMP_BARE, print_region },
	{ "self-set", RUP_CMD_SELF_SET, DUMP_NEVER, NULL },
	{ "self-get", RUP_CMD_SELF_GET, DUMP_NEVER, print_self },
	{ "peer-get", RUP_CMD_PEER_GET, DUMP_ALWAYS, print_peer },
	{ "stats-get", RUP_CMD_STATS_GET, DUMP_BARE, print_stats },
};

/* One line per reply message: the command's name, then its fields. */
static int print_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct command *c = arg;
	int err;

	printf("%s", c->name);
	err = c->print(nlh);
	printf("\n");
	fflush(stdout);
	return err;
}

/* Runs one request; returns 0 or prints the error and extack, returns 1. */
static int run(struct rupnl *nl, const struct command *c, int argc, char **argv)
{
	bool dump = c->dump == DUMP_ALWAYS || (c->dump == DUMP_BARE && !argc);
	struct nlmsghdr *nlh = rupnl_msg(nl, c->cmd, dump ? NLM_F_DUMP : 0);
	int err, i;

	/* Attributes go in as given, so malformed requests reach the kernel. */
	for (i = 0; i < argc; i++)
		put_arg(nlh, argv[i]);
	err = rupnl_talk(nl, nlh, c->print ? print_reply : NULL, (void *)c);
	/* A dump that raced a change printed what it saw: that is the reply. */
	if (!err || (err == -EINTR && nl->dump_intr))
		return 0;
	if (nl->ext[0])
		fprintf(stderr, PROG ": extack: %s\n", nl->ext);
	fprintf(stderr, PROG ": %s\n", strerror(-err));
	return 1;
}

static int print_event(const struct rupnl_event *ev, void *arg)
{
	(void)arg;
	printf("%s", rup_event_name(ev->cmd));
	print_peer_fields(&ev->peer);
	printf("\n");
	fflush(stdout);
	return 0;
}

/*
 * Events as they come. When the module goes away the monitor stays, and
 * just hears nothing more (the lifecycle test unloads under it).
 */
static int monitor(struct rupnl *nl)
{
	int err;

	if (rupnl_join_events(nl)) {
		perror(PROG ": join events");
		return 1;
	}
	printf("monitoring\n");
	fflush(stdout);
	do
		err = rupnl_monitor_next(nl, print_event, NULL);
	while (!err || err == -ESHUTDOWN);
	fprintf(stderr, PROG ": monitor: %s\n", strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	const struct command *c = NULL;
	struct rupnl nl;
	size_t i;
	int rc;

	if (argc < 2)
		die("usage: see the comment at the top of %s", __FILE__);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			c = &commands[i];
	if (!c && strcmp(argv[1], "monitor"))
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
	rc = c ? run(&nl, c, argc - 2, argv + 2) : monitor(&nl);
	rupnl_close(&nl);
	return rc;
}
