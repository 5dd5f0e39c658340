// SPDX-License-Identifier: GPL-2.0
/* beacon-craft: command line parsing; every value is checked with context. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
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
		"  --tlv-overrun         add a TLV whose length runs past the MAC (malformed)\n"
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

static void opt_group(struct opts *o, const char *a)
{
	if (inet_pton(AF_INET, a, &o->group) != 1 ||
	    !IN_MULTICAST(ntohl(o->group.s_addr)))
		die("--group: '%s' is not an IPv4 multicast address", a);
}

static void opt_src(struct opts *o, const char *a)
{
	if (inet_pton(AF_INET, a, &o->src) != 1)
		die("--src: '%s' is not an IPv4 address", a);
}

static void opt_seq_offset(struct opts *o, const char *a)
{
	o->seq_offset_sec = parse_s("--seq-offset-sec", a);
}

static void opt_flags(struct opts *o, const char *a)
{
	o->b.flags = parse_flags(a);
}

static void opt_offer_path(struct opts *o, const char *a)
{
	parse_str("--offer-path", o->b.offer.path, sizeof(o->b.offer.path), a);
	if (a[0] != '/')
		die("--offer-path: '%s' must start with '/'", a);
}

/* The key is not echoed in the message. */
static void opt_key(struct opts *o, const char *a)
{
	if (hex_exact(a, o->key, RUP_KEY_LEN))
		die("--key: key must be 32 bytes (64 hex digits)");
}

static void opt_key_file(struct opts *o, const char *a)
{
	read_key_file(a, o->key);
}

/* What an option does with its argument. */
enum opt_kind {
	OPT_BOOL, /* no argument: sets the bool */
	OPT_UINT, /* a number in 0..max, into an unsigned field of any width */
	OPT_STR, /* a beacon string (visible ASCII) into the char array */
	OPT_HEX, /* exactly as many bytes as the array holds, in hex */
	OPT_ARG, /* the argument itself, kept as a const char * */
	OPT_FN, /* checked and stored by a function of its own */
};

struct opt_def {
	const char *name;
	enum opt_kind kind;
	size_t off, size; /* the field of struct opts it sets */
	unsigned long long max; /* OPT_UINT */
	bool nonzero; /* OPT_UINT: 0 is refused */
	size_t have; /* a bool of struct opts set too (0: none) */
	void (*fn)(struct opts *o, const char *a); /* OPT_FN */
};

#define FIELD(f)                         \
	.off = offsetof(struct opts, f), \
	.size = sizeof(((struct opts *)NULL)->f)
#define HAVE(f) .have = offsetof(struct opts, f)

static const struct opt_def opt_defs[] = {
	{ "group", OPT_FN, .fn = opt_group },
	{ "port", OPT_UINT, FIELD(port), .max = 65535, .nonzero = true },
	{ "ifname", OPT_ARG, FIELD(ifname) },
	{ "src", OPT_FN, .fn = opt_src, HAVE(have_src) },
	{ "ttl", OPT_UINT, FIELD(ttl), .max = 255 },
	{ "region", OPT_UINT, FIELD(b.region), .max = UINT32_MAX },
	{ "node-id", OPT_HEX, FIELD(b.node_id), HAVE(have_node_id) },
	{ "random-ids", OPT_UINT, FIELD(random_ids), .max = 1000000 },
	{ "term", OPT_UINT, FIELD(b.term), .max = UINT64_MAX },
	{ "seq", OPT_UINT, FIELD(b.seq), .max = UINT64_MAX, HAVE(have_seq) },
	{ "seq-offset-sec", OPT_FN, .fn = opt_seq_offset },
	{ "score", OPT_UINT, FIELD(b.score), .max = UINT32_MAX },
	{ "flags", OPT_FN, .fn = opt_flags },
	{ "version", OPT_STR, FIELD(b.version) },
	{ "offer-version", OPT_STR, FIELD(b.offer.version), HAVE(b.has_offer) },
	{ "offer-sha256", OPT_HEX, FIELD(b.offer.sha256) },
	{ "offer-size", OPT_UINT, FIELD(b.offer.size), .max = UINT64_MAX },
	{ "offer-port", OPT_UINT, FIELD(b.offer.port), .max = 65535,
	  .nonzero = true },
	{ "offer-path", OPT_FN, .fn = opt_offer_path },
	{ "key", OPT_FN, .fn = opt_key, HAVE(have_key) },
	{ "key-file", OPT_FN, .fn = opt_key_file, HAVE(have_key) },
	{ "truncate", OPT_UINT, FIELD(truncate), .max = DGRAM_MAX },
	{ "oversize", OPT_BOOL, FIELD(oversize) },
	{ "bad-magic", OPT_BOOL, FIELD(bad_magic) },
	{ "bad-version", OPT_BOOL, FIELD(bad_version) },
	{ "wrong-region", OPT_BOOL, FIELD(wrong_region) },
	{ "bad-mac", OPT_BOOL, FIELD(bad_mac) },
	{ "replay", OPT_BOOL, FIELD(replay) },
	{ "stale", OPT_UINT, FIELD(stale_sec), .max = INT32_MAX },
	{ "unknown-tlv", OPT_BOOL, FIELD(unknown_tlv) },
	{ "no-version", OPT_BOOL, FIELD(no_version) },
	{ "tlv-overrun", OPT_BOOL, FIELD(tlv_overrun) },
	{ "count", OPT_UINT, FIELD(count), .max = 100000000 },
	{ "interval-ms", OPT_UINT, FIELD(interval_ms), .max = 3600000 },
	{ "dump", OPT_BOOL, FIELD(dump) },
	{ "out", OPT_ARG, FIELD(out) },
	{ "list-ids", OPT_BOOL, FIELD(list_ids) },
};

#define N_OPTS (sizeof(opt_defs) / sizeof(opt_defs[0]))
/* getopt_long's value for opt_defs[i]: OPT_VAL + i, clear of short options */
#define OPT_VAL 256

/* @v (at most the field's max) into an unsigned field of @size bytes. */
static void set_uint(void *field, size_t size, unsigned long long v)
{
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;
	uint64_t v64 = v;

	if (size == sizeof(v16))
		memcpy(field, &v16, size);
	else if (size == sizeof(v32))
		memcpy(field, &v32, size);
	else
		memcpy(field, &v64, sizeof(v64));
}

static void set_opt(struct opts *o, const struct opt_def *d, const char *a)
{
	char *field = (char *)o + d->off, opt[32];
	unsigned long long v;

	snprintf(opt, sizeof(opt), "--%s", d->name);
	switch (d->kind) {
	case OPT_BOOL:
		*(bool *)field = true;
		break;
	case OPT_UINT:
		v = parse_u(opt, a, d->max);
		if (d->nonzero && !v)
			die("%s: must not be 0", opt);
		set_uint(field, d->size, v);
		break;
	case OPT_STR:
		parse_str(opt, field, d->size, a);
		break;
	case OPT_HEX:
		if (hex_exact(a, field, d->size))
			die("%s: '%s' must be %zu hex digits", opt, a,
			    (size_t)HEX_LEN(d->size));
		break;
	case OPT_ARG:
		*(const char **)field = a;
		break;
	case OPT_FN:
		d->fn(o, a);
		break;
	}
	if (d->have)
		*(bool *)((char *)o + d->have) = true;
}

/* getopt_long's table, made from opt_defs, and --help. */
static void long_opts_fill(struct option *lo)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++) {
		lo[i].name = opt_defs[i].name;
		lo[i].has_arg = opt_defs[i].kind == OPT_BOOL ?
					no_argument :
					required_argument;
		lo[i].flag = NULL;
		lo[i].val = OPT_VAL + (int)i;
	}
	lo[i++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[i] = (struct option){ NULL, 0, NULL, 0 };
}

static void defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	inet_pton(AF_INET, "239.192.0.1", &o->group);
	o->port = 4789;
	o->ttl = 1;
	o->b.type = RUP_BEACON_ANNOUNCE;
	o->b.region = 1;
	o->b.flags = RUP_ROLE_MEMBER;
	strcpy(o->b.version, "1.0.0");
	strcpy(o->b.offer.path, "/pkg");
	o->b.offer.port = 8080;
	o->truncate = -1;
	o->count = 1;
}

void parse_opts(int argc, char **argv, struct opts *o)
{
	struct option long_opts[N_OPTS + 2];
	int c;

	defaults(o);
	long_opts_fill(long_opts);
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c < OPT_VAL || c >= OPT_VAL + (int)N_OPTS) {
			usage(stderr);
			exit(2);
		}
		set_opt(o, &opt_defs[c - OPT_VAL], optarg);
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
