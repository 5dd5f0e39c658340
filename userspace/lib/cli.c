// SPDX-License-Identifier: GPL-2.0
/* One getopt_long() loop for every option table (cli.h). */
#include <getopt.h>
#include <string.h>

#include "cli.h"

/* getopt_long()'s val for the long-only option at table index i. */
#define CLI_LONG_ONLY 256

static bool takes_value(const struct cli_opt *o)
{
	return o->kind == CLI_STR || o->kind == CLI_CALL;
}

/*
 * The struct option table (in the table's order, --help last) and the
 * short option string. Returns the number of options, or -1 when the
 * table is larger than CLI_OPTS_MAX.
 */
static int getopt_tables(const struct cli_spec *spec, struct option *lo,
			 char *shorts)
{
	const struct cli_opt *o;
	int n;

	if (spec->in_order)
		*shorts++ = '+';
	for (n = 0, o = spec->opts; o->name; n++, o++) {
		if (n == CLI_OPTS_MAX)
			return -1;
		lo[n] = (struct option){ o->name,
					 takes_value(o) ? required_argument :
							  no_argument,
					 NULL, o->letter ?: CLI_LONG_ONLY + n };
		if (!o->letter)
			continue;
		*shorts++ = (char)o->letter;
		if (takes_value(o))
			*shorts++ = ':';
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	strcpy(shorts, "h");
	return n;
}

/* The option getopt_long() returned as @c, or NULL for none of them. */
static const struct cli_opt *find(const struct cli_opt *opts, int n, int c)
{
	int i;

	if (c >= CLI_LONG_ONLY && c < CLI_LONG_ONLY + n)
		return &opts[c - CLI_LONG_ONLY];
	for (i = 0; i < n; i++)
		if (opts[i].letter == c)
			return &opts[i];
	return NULL;
}

static int apply(const struct cli_opt *o, const char *value)
{
	switch (o->kind) {
	case CLI_FLAG:
		*(bool *)o->target = true;
		return 0;
	case CLI_STR:
		*(const char **)o->target = value;
		return 0;
	default:
		return o->call(o, value);
	}
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv)
{
	struct option lo[CLI_OPTS_MAX + 2];
	char shorts[3 * CLI_OPTS_MAX + 3];
	const struct cli_opt *o;
	bool later = false;
	int n, c, rc;

	n = getopt_tables(spec, lo, shorts);
	if (n < 0) {
		fprintf(stderr, "%s: more than %d options\n", argv[0],
			CLI_OPTS_MAX);
		return spec->bad;
	}
	optind = 0; /* GNU: full re-init, an earlier parse may have run */
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		o = c == 'h' ? NULL : find(spec->opts, n, c);
		if (!o) {
			spec->usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? CLI_HELP : spec->bad;
		}
		rc = apply(o, optarg);
		if (rc == CLI_LATER)
			later = true;
		else if (rc)
			return rc;
	}
	return later ? spec->bad : 0;
}
