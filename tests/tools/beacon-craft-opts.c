// SPDX-License-Identifier: GPL-2.0
/* beacon-craft: command line parsing; every value is checked with context. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "beacon-craft.h"
#include "hexb64.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [OPTIONS]\n"
		"Build rup beacons (valid or broken), sign and send them to a group.\n"
		"\n"
		"  --group ADDR          IPv4 multicast group (default 239.192.0.1)\n"
		"  --port N              UDP port (default 4789)\n"
		"  --ifname NAME         send on this interface\n"
		"  --src ADDR            send from this local address\n"
		"  --ttl N               multicast TTL (default 1)\n"
		"  --region N            region id (default 1)\n"
		"  --node-id HEX         32 hex digits (default: random)\n"
		"  --random-ids N        N distinct random node ids, one beacon each per round\n"
		"  --term N  --score N   election term and composite score (default 0)\n"
		"  --flags LIST          role bits: number, or member,candidate,rvs,abnormal,\n"
		"                        hook-failed joined by commas (default member)\n"
		"  --version STR         software version (default 1.0.0)\n"
		"  --seq N               first sequence (default: wall clock in ns)\n"
		"  --seq-offset-sec S    wall clock + S seconds (S may be negative)\n"
		"  --offer-version STR --offer-sha256 HEX --offer-size N --offer-port N\n"
		"  --offer-path PATH     offer (all five; version alone uses defaults)\n"
		"  --key HEX | --key-file PATH   region key, 32 bytes (64 hex digits or raw)\n"
		"  --count N             rounds to send (default 1); sequence rises each time\n"
		"  --interval-ms MS      pause between datagrams (default 0)\n"
		"breakages:\n"
		"  --truncate N          send only the first N bytes (after signing)\n"
		"  --oversize            pad with an unknown TLV to RUP_BEACON_MAX + 1 bytes\n"
		"  --bad-magic --bad-version   wrong magic / protocol version (MAC is valid)\n"
		"  --wrong-region        header says region + 1 (MAC is valid)\n"
		"  --bad-mac             flip one bit of the MAC\n"
		"  --replay              send every datagram twice (same sequence)\n"
		"  --stale SECONDS       sequence = wall clock - SECONDS\n"
		"  --unknown-tlv         add an unknown TLV (receivers must accept)\n"
		"  --no-version          omit the mandatory version TLV (malformed)\n"
		"output instead of sending:\n"
		"  --dump                print each datagram as one line of hex\n"
		"  --out FILE            write the first datagram's raw bytes to FILE\n"
		"  --list-ids            print each node id (hex) once, after its first datagram\n"
		"  -h, --help\n");
}

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static unsigned long long parse_u(const char *opt, const char *s,
				  unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s == '-' || *s == '\0')
		die("%s: '%s' is not a non-negative number", opt, s);
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		die("%s: '%s' is not a number in 0..%llu", opt, s, max);
	return v;
}

static long long parse_s(const char *opt, const char *s)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || *end || *s == '\0' || v > INT32_MAX || v < INT32_MIN)
		die("%s: '%s' is not a number of seconds", opt, s);
	return v;
}

static void parse_str(const char *opt, char *dst, size_t max, const char *s)
{
	size_t l = strlen(s);

	size_t i;

	if (l == 0 || l >= max)
		die("%s: '%s' must be 1..%zu characters", opt, s, max - 1);
	for (i = 0; i < l; i++)
		if (!rup_beacon_char_ok((uint8_t)s[i]))
			die("%s: '%s' must be visible ASCII without spaces",
			    opt, s);
	memcpy(dst, s, l + 1);
}

static uint32_t parse_flags(const char *s)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} names[] = {
		{ "member", RUP_ROLE_MEMBER },
		{ "candidate", RUP_ROLE_CANDIDATE },
		{ "rvs", RUP_ROLE_RVS },
		{ "abnormal", RUP_ROLE_ABNORMAL },
		{ "hook-failed", RUP_ROLE_HOOK_FAILED },
	};
	char buf[128], *tok, *save = NULL;
	uint32_t v = 0;
	size_t i;

	if (*s >= '0' && *s <= '9')
		return (uint32_t)parse_u("--flags", s, UINT32_MAX);
	if (strlen(s) >= sizeof(buf))
		die("--flags: '%s' is too long", s);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			die("--flags: unknown role '%s'", tok);
		v |= names[i].bit;
	}
	return v;
}

static void read_key_file(const char *path, uint8_t *key)
{
	char buf[RUP_KEY_LEN * 2 + 4];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		die("--key-file: %s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (n == RUP_KEY_LEN) {
		memcpy(key, buf, RUP_KEY_LEN);
		return;
	}
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (hex_exact(buf, key, RUP_KEY_LEN))
		die("--key-file: %s: key must be 32 raw bytes or 64 hex digits",
		    path);
}

void fill_random(void *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n)
		die("getrandom: %s", strerror(errno));
}

enum {
	O_GROUP = 256,
	O_PORT,
	O_IFNAME,
	O_SRC,
	O_TTL,
	O_REGION,
	O_NODE_ID,
	O_RANDOM_IDS,
	O_TERM,
	O_SEQ,
	O_SEQ_OFF,
	O_SCORE,
	O_FLAGS,
	O_VERSION,
	O_OFF_VERSION,
	O_OFF_SHA,
	O_OFF_SIZE,
	O_OFF_PORT,
	O_OFF_PATH,
	O_KEY,
	O_KEY_FILE,
	O_TRUNCATE,
	O_OVERSIZE,
	O_BAD_MAGIC,
	O_BAD_VERSION,
	O_WRONG_REGION,
	O_BAD_MAC,
	O_REPLAY,
	O_STALE,
	O_UNKNOWN_TLV,
	O_NO_VERSION,
	O_COUNT,
	O_INTERVAL,
	O_DUMP,
	O_OUT,
	O_LIST_IDS,
};

static const struct option long_opts[] = {
	{ "group", required_argument, NULL, O_GROUP },
	{ "port", required_argument, NULL, O_PORT },
	{ "ifname", required_argument, NULL, O_IFNAME },
	{ "src", required_argument, NULL, O_SRC },
	{ "ttl", required_argument, NULL, O_TTL },
	{ "region", required_argument, NULL, O_REGION },
	{ "node-id", required_argument, NULL, O_NODE_ID },
	{ "random-ids", required_argument, NULL, O_RANDOM_IDS },
	{ "term", required_argument, NULL, O_TERM },
	{ "seq", required_argument, NULL, O_SEQ },
	{ "seq-offset-sec", required_argument, NULL, O_SEQ_OFF },
	{ "score", required_argument, NULL, O_SCORE },
	{ "flags", required_argument, NULL, O_FLAGS },
	{ "version", required_argument, NULL, O_VERSION },
	{ "offer-version", required_argument, NULL, O_OFF_VERSION },
	{ "offer-sha256", required_argument, NULL, O_OFF_SHA },
	{ "offer-size", required_argument, NULL, O_OFF_SIZE },
	{ "offer-port", required_argument, NULL, O_OFF_PORT },
	{ "offer-path", required_argument, NULL, O_OFF_PATH },
	{ "key", required_argument, NULL, O_KEY },
	{ "key-file", required_argument, NULL, O_KEY_FILE },
	{ "truncate", required_argument, NULL, O_TRUNCATE },
	{ "oversize", no_argument, NULL, O_OVERSIZE },
	{ "bad-magic", no_argument, NULL, O_BAD_MAGIC },
	{ "bad-version", no_argument, NULL, O_BAD_VERSION },
	{ "wrong-region", no_argument, NULL, O_WRONG_REGION },
	{ "bad-mac", no_argument, NULL, O_BAD_MAC },
	{ "replay", no_argument, NULL, O_REPLAY },
	{ "stale", required_argument, NULL, O_STALE },
	{ "unknown-tlv", no_argument, NULL, O_UNKNOWN_TLV },
	{ "no-version", no_argument, NULL, O_NO_VERSION },
	{ "count", required_argument, NULL, O_COUNT },
	{ "interval-ms", required_argument, NULL, O_INTERVAL },
	{ "dump", no_argument, NULL, O_DUMP },
	{ "out", required_argument, NULL, O_OUT },
	{ "list-ids", no_argument, NULL, O_LIST_IDS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void parse_opts(int argc, char **argv, struct opts *o)
{
	struct rup_offer *of = &o->b.offer;
	const char *a;
	int c;

	memset(o, 0, sizeof(*o));
	inet_pton(AF_INET, "239.192.0.1", &o->group);
	o->port = 4789;
	o->ttl = 1;
	o->b.type = RUP_BEACON_ANNOUNCE;
	o->b.region = 1;
	o->b.flags = RUP_ROLE_MEMBER;
	strcpy(o->b.version, "1.0.0");
	strcpy(of->path, "/pkg");
	of->port = 8080;
	o->truncate = -1;
	o->count = 1;

	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		a = optarg;
		switch (c) {
		case O_GROUP:
			if (inet_pton(AF_INET, a, &o->group) != 1 ||
			    !IN_MULTICAST(ntohl(o->group.s_addr)))
				die("--group: '%s' is not an IPv4 multicast address",
				    a);
			break;
		case O_PORT:
			o->port = (unsigned int)parse_u("--port", a, 65535);
			if (!o->port)
				die("--port: must not be 0");
			break;
		case O_IFNAME:
			o->ifname = a;
			break;
		case O_SRC:
			if (inet_pton(AF_INET, a, &o->src) != 1)
				die("--src: '%s' is not an IPv4 address", a);
			o->have_src = true;
			break;
		case O_TTL:
			o->ttl = (unsigned int)parse_u("--ttl", a, 255);
			break;
		case O_REGION:
			o->b.region =
				(uint32_t)parse_u("--region", a, UINT32_MAX);
			break;
		case O_NODE_ID:
			if (hex_exact(a, o->b.node_id, RUP_NODE_ID_LEN))
				die("--node-id: '%s' must be 32 hex digits", a);
			o->have_node_id = true;
			break;
		case O_RANDOM_IDS:
			o->random_ids = parse_u("--random-ids", a, 1000000);
			break;
		case O_TERM:
			o->b.term = parse_u("--term", a, UINT64_MAX);
			break;
		case O_SEQ:
			o->b.seq = parse_u("--seq", a, UINT64_MAX);
			o->have_seq = true;
			break;
		case O_SEQ_OFF:
			o->seq_offset_sec = parse_s("--seq-offset-sec", a);
			break;
		case O_SCORE:
			o->b.score =
				(uint32_t)parse_u("--score", a, UINT32_MAX);
			break;
		case O_FLAGS:
			o->b.flags = parse_flags(a);
			break;
		case O_VERSION:
			parse_str("--version", o->b.version,
				  sizeof(o->b.version), a);
			break;
		case O_OFF_VERSION:
			parse_str("--offer-version", of->version,
				  sizeof(of->version), a);
			o->b.has_offer = true;
			break;
		case O_OFF_SHA:
			if (hex_exact(a, of->sha256, RUP_SHA256_LEN))
				die("--offer-sha256: '%s' must be 64 hex digits",
				    a);
			break;
		case O_OFF_SIZE:
			of->size = parse_u("--offer-size", a, UINT64_MAX);
			break;
		case O_OFF_PORT:
			of->port = (uint16_t)parse_u("--offer-port", a, 65535);
			if (!of->port)
				die("--offer-port: must not be 0");
			break;
		case O_OFF_PATH:
			parse_str("--offer-path", of->path, sizeof(of->path),
				  a);
			if (a[0] != '/')
				die("--offer-path: '%s' must start with '/'",
				    a);
			break;
		case O_KEY:
			if (hex_exact(a, o->key, RUP_KEY_LEN))
				die("--key: key must be 32 bytes (64 hex digits)");
			o->have_key = true;
			break;
		case O_KEY_FILE:
			read_key_file(a, o->key);
			o->have_key = true;
			break;
		case O_TRUNCATE:
			o->truncate = (long)parse_u("--truncate", a, DGRAM_MAX);
			break;
		case O_OVERSIZE:
			o->oversize = true;
			break;
		case O_BAD_MAGIC:
			o->bad_magic = true;
			break;
		case O_BAD_VERSION:
			o->bad_version = true;
			break;
		case O_WRONG_REGION:
			o->wrong_region = true;
			break;
		case O_BAD_MAC:
			o->bad_mac = true;
			break;
		case O_REPLAY:
			o->replay = true;
			break;
		case O_STALE:
			o->stale_sec =
				(long long)parse_u("--stale", a, INT32_MAX);
			break;
		case O_UNKNOWN_TLV:
			o->unknown_tlv = true;
			break;
		case O_NO_VERSION:
			o->no_version = true;
			break;
		case O_COUNT:
			o->count = parse_u("--count", a, 100000000);
			break;
		case O_INTERVAL:
			o->interval_ms = parse_u("--interval-ms", a, 3600000);
			break;
		case O_DUMP:
			o->dump = true;
			break;
		case O_OUT:
			o->out = a;
			break;
		case O_LIST_IDS:
			o->list_ids = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!o->have_key && !o->dump && !o->out)
		die("a region key is needed: --key HEX or --key-file PATH");
	if (o->have_seq && (o->seq_offset_sec || o->stale_sec))
		die("--seq excludes --seq-offset-sec and --stale");
	if (!o->have_node_id && !o->random_ids)
		fill_random(o->b.node_id, RUP_NODE_ID_LEN);
}
