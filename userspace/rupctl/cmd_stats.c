// SPDX-License-Identifier: GPL-2.0
/* rupctl stats [REGION]: per-region beacon counters, every drop reason. */
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl [-j] stats [REGION]\n"
		"Per-region counters: tx, tx_err, rx, one drop_* counter per reason\n"
		"(short, too_big, bad_magic, malformed, wrong_region, bad_mac, replay,\n"
		"stale, table_full, own) and expired peers.\n");
}

static int stats_cb(const struct rupnl_stats *s, void *arg)
{
	json_t *list = arg, *j = NULL;
	unsigned int i;

	if (list) {
		j = json_object();
		json_object_set_new(j, "region", json_integer(s->region));
	} else {
		printf("region %u\n", s->region);
	}
	for (i = 0; i <= RUP_STAT_MAX; i++) {
		const char *name = rup_stat_name(i);

		if (!name || !(s->mask & RUPNL_BIT(i)))
			continue;
		if (j)
			json_object_set_new(
				j, name, json_integer((json_int_t)s->count[i]));
		else
			printf("  %-18s %llu\n", name,
			       (unsigned long long)s->count[i]);
	}
	if (j)
		json_array_append_new(list, j);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	struct rupctl_read r;
	json_t *list;
	int err;

	err = rupctl_read_start(&r, argc, argv, "stats", usage);
	if (err)
		return err < 0 ? RUPCTL_EXIT_OK : err;
	list = rupctl_opts.json ? json_array() : NULL;
	err = rupnl_stats_dump(&r.nl, r.region, stats_cb, list);
	err = rupctl_nl_done(&r.nl, err, r.what, list);
	json_decref(list);
	return err;
}
