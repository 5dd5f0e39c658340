// SPDX-License-Identifier: GPL-2.0
/*
 * `rup-opsd plan`: read `node_id score` lines, assign each new node exactly as
 * live registration does, print `node_id region_id group`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "cli.h"
#include "assign.h"
#include "parse.h"
#include "plan.h"

#define PROG "rup-opsd plan"

/*
 * Node ids seen so far, for re-registrations: open addressing over a power
 * of two table; the ids themselves are packed into large arena blocks so a
 * million of them cost two allocations per megabyte, not one each.
 */
struct seen_entry {
	const char *id;
	uint32_t hash;
	uint32_t region;
};

struct seen_block {
	struct seen_block *next;
	size_t used;
	char data[1 << 20];
};

struct seen {
	struct seen_entry *tab;
	size_t cap, count;
	struct seen_block *blocks;
};

static uint32_t seen_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h ^ h >> 32);
}

static struct seen_entry *seen_slot(struct seen_entry *tab, size_t cap,
				    const char *id, size_t len, uint32_t hash)
{
	size_t i = hash & (cap - 1);

	while (tab[i].id && (tab[i].hash != hash ||
			     strncmp(tab[i].id, id, len) || tab[i].id[len]))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int seen_grow(struct seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i;
	struct seen_entry *tab = calloc(cap, sizeof(*tab)), *e;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		if (!s->tab[i].id)
			continue;
		e = seen_slot(tab, cap, s->tab[i].id, strlen(s->tab[i].id),
			      s->tab[i].hash);
		*e = s->tab[i];
	}
	free(s->tab);
	s->tab = tab;
	s->cap = cap;
	return 0;
}

static const char *seen_store(struct seen *s, const char *id, size_t len)
{
	struct seen_block *b = s->blocks;
	char *p;

	if (!b || b->used + len + 1 > sizeof(b->data)) {
		b = malloc(sizeof(*b));
		if (!b)
			return NULL;
		b->next = s->blocks;
		b->used = 0;
		s->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, id, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static void seen_free(struct seen *s)
{
	struct seen_block *b, *next;

	for (b = s->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->tab);
}

/*
 * One line into @buf (newline dropped). 1 on a line, 0 at the end,
 * -E2BIG when longer than PLAN_LINE_MAX, -EINVAL on a NUL byte.
 */
static int read_line(FILE *in, char *buf, size_t *len)
{
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		if (n + 2 > PLAN_LINE_MAX) {
			while ((c = getc_unlocked(in)) != EOF && c != '\n')
				;
			return -E2BIG;
		}
		if (!c)
			return -EINVAL;
		buf[n++] = (char)c;
	}
	if (c == EOF && !n)
		return 0;
	buf[n] = '\0';
	*len = n;
	return 1;
}

static int is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
	       c == '-';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Split `node_id score`. 1 on a node, 0 for a blank or comment line, -1
 * with the reason printed.
 */
static int parse_node(char *line, unsigned long lineno, const char **id,
		      size_t *idlen, uint32_t *score)
{
	char *p = line, *tok;
	size_t n;

	while (is_blank(*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	tok = p;
	while (*p && !is_blank(*p))
		p++;
	n = (size_t)(p - tok);
	if (n > PLAN_ID_MAX) {
		fprintf(stderr,
			PROG
			": line %lu: node id '%.20s...' is longer than %d bytes\n",
			lineno, tok, PLAN_ID_MAX);
		return -1;
	}
	for (*idlen = 0; *idlen < n; (*idlen)++) {
		if (!is_id_char(tok[*idlen])) {
			fprintf(stderr,
				PROG
				": line %lu: node id '%.*s' has a character outside "
				"[A-Za-z0-9._:-]\n",
				lineno, (int)n, tok);
			return -1;
		}
	}
	*id = tok;
	while (is_blank(*p))
		p++;
	if (!*p) {
		fprintf(stderr,
			PROG ": line %lu: node '%.*s' has no score "
			     "(expected 'node_id score')\n",
			lineno, (int)n, tok);
		return -1;
	}
	tok = p;
	while (*p && !is_blank(*p))
		p++;
	n = (size_t)(p - tok);
	if (parse_dec_u32n(tok, n, 0, UINT32_MAX, score)) {
		fprintf(stderr,
			PROG
			": line %lu: score '%.*s' is not an integer 0..4294967295\n",
			lineno, (int)(n > 40 ? 40 : n), tok);
		return -1;
	}
	while (is_blank(*p))
		p++;
	if (*p) {
		fprintf(stderr,
			PROG ": line %lu: unexpected '%.40s' after the score "
			     "(expected 'node_id score')\n",
			lineno, p);
		return -1;
	}
	return 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rup-opsd plan --nodes T --max-per-region M [--pool CIDR] < nodes\n"
		"  reads 'node_id score' lines, prints 'node_id region_id group' lines,\n"
		"  assigned exactly as live registration would (SPEC section 4)\n"
		"  -n, --nodes T            planned number of nodes (T >= 1)\n"
		"  -m, --max-per-region M   most nodes in one region (M >= 1)\n"
		"  -p, --pool CIDR          multicast pool (default " ASSIGN_DEFAULT_POOL
		")\n");
}

/* --nodes and --max-per-region: an integer 1..4294967295 into the target. */
static int opt_u32(const struct cli_opt *opt, const char *arg)
{
	if (parse_dec_u32(arg, 1, UINT32_MAX, opt->target)) {
		fprintf(stderr,
			PROG ": --%s '%s': must be an integer 1..4294967295\n",
			opt->name, arg);
		return PLAN_EXIT_USAGE;
	}
	return 0;
}

struct plan {
	struct assign *as;
	struct assign_pool pool;
	const char *pool_cidr;
	struct seen seen;
};

/* One node line: look it up, assign it if new, print its region and group. */
static int plan_node(struct plan *pl, const char *id, size_t idlen,
		     uint32_t score, unsigned long lineno)
{
	uint32_t hash = seen_hash(id, idlen), region;
	char group[INET_ADDRSTRLEN];
	struct seen_entry *e;
	int ret;

	if ((pl->seen.count + 1) * 10 > pl->seen.cap * 7 &&
	    seen_grow(&pl->seen))
		goto nomem;
	e = seen_slot(pl->seen.tab, pl->seen.cap, id, idlen, hash);
	if (!e->id) {
		ret = assign_add(pl->as, score, &region);
		if (ret == -ENOSPC) {
			fprintf(stderr,
				PROG
				": line %lu: every region is full and pool %s has "
				"no address for region %u\n",
				lineno, pl->pool_cidr, assign_nregions(pl->as));
			return -1;
		}
		if (ret) {
			fprintf(stderr,
				PROG ": line %lu: assignment failed: %s\n",
				lineno, strerror(-ret));
			return -1;
		}
		e->id = seen_store(&pl->seen, id, idlen);
		if (!e->id)
			goto nomem;
		e->hash = hash;
		e->region = region;
		pl->seen.count++;
	}
	/* Cannot fail: assign caps regions at the pool's size. */
	if (assign_pool_group(&pl->pool, e->region, group, sizeof(group)))
		return -1;
	printf("%s %u %s\n", e->id, e->region, group);
	return 0;
nomem:
	fprintf(stderr, PROG ": line %lu: out of memory\n", lineno);
	return -1;
}

static int plan_run(struct plan *pl, FILE *in)
{
	char line[PLAN_LINE_MAX];
	unsigned long lineno = 0;
	const char *id;
	uint32_t score;
	size_t len, idlen;
	int ret;

	for (;;) {
		ret = read_line(in, line, &len);
		lineno++;
		if (!ret)
			break;
		if (ret == -E2BIG) {
			fprintf(stderr,
				PROG ": line %lu: longer than %d bytes\n",
				lineno, PLAN_LINE_MAX - 1);
			return -1;
		}
		if (ret < 0) {
			fprintf(stderr,
				PROG ": line %lu: contains a NUL byte\n",
				lineno);
			return -1;
		}
		ret = parse_node(line, lineno, &id, &idlen, &score);
		if (ret < 0)
			return -1;
		if (ret && plan_node(pl, id, idlen, score, lineno))
			return -1;
	}
	if (ferror(in)) {
		fprintf(stderr, PROG ": reading stdin: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int opsd_plan_main(int argc, char **argv)
{
	uint32_t T = 0, M = 0;
	struct plan pl = { .pool_cidr = ASSIGN_DEFAULT_POOL };
	const struct cli_opt opts[] = {
		{ "nodes", 'n', CLI_CALL, .target = &T, .call = opt_u32 },
		{ "max-per-region", 'm', CLI_CALL, .target = &M,
		  .call = opt_u32 },
		{ "pool", 'p', CLI_STR, .target = &pl.pool_cidr },
		{ NULL },
	};
	const struct cli_spec spec = { opts, usage, PLAN_EXIT_USAGE, true };
	char err[200];
	int ret;

	ret = cli_parse(&spec, argc, argv);
	if (ret)
		return ret < 0 ? PLAN_EXIT_OK : ret;
	if (optind < argc) {
		fprintf(stderr,
			PROG
			": unexpected argument '%s' (nodes are read on stdin)\n",
			argv[optind]);
		return PLAN_EXIT_USAGE;
	}
	if (!T || !M) {
		fprintf(stderr,
			PROG ": --nodes and --max-per-region are required\n");
		usage(stderr);
		return PLAN_EXIT_USAGE;
	}
	if (assign_pool_parse(pl.pool_cidr, &pl.pool, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return PLAN_EXIT_USAGE;
	}
	pl.as = assign_new(T, M);
	if (!pl.as) {
		fprintf(stderr, PROG ": %u nodes at %u per region: %s\n", T, M,
			errno == ENOMEM ? "out of memory" : "too many regions");
		return PLAN_EXIT_USAGE;
	}
	if (assign_set_max_regions(pl.as, assign_pool_regions(&pl.pool))) {
		fprintf(stderr,
			PROG
			": pool %s has %u addresses, %u regions are planned\n",
			pl.pool_cidr, assign_pool_regions(&pl.pool),
			assign_nregions(pl.as));
		assign_free(pl.as);
		return PLAN_EXIT_USAGE;
	}
	ret = plan_run(&pl, stdin) ? PLAN_EXIT_INPUT : PLAN_EXIT_OK;
	assign_free(pl.as);
	seen_free(&pl.seen);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": writing stdout: %s\n", strerror(errno));
		ret = PLAN_EXIT_INPUT;
	}
	return ret;
}
