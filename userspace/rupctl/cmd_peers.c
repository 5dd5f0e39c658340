// SPDX-License-Identifier: GPL-2.0
/* rupctl peers [REGION]: the kernel's version table, one line per peer. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "peerfmt.h"
#include "rupctl.h"

/* A dump that raced a table change is retried this many times. */
#define DUMP_TRIES 3

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl [-j] peers [REGION]\n"
		"Lists the version table of REGION, or of every region: node id,\n"
		"address, version, score, role, term, ms since last beacon, offer.\n");
}

static int peer_cmp(const void *a, const void *b)
{
	const struct rupnl_peer *x = a, *y = b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return memcmp(x->node_id, y->node_id, RUP_NODE_ID_LEN);
}

static void print_table(const struct rupnl_peer *v, size_t n)
{
	char id[2 * RUP_NODE_ID_LEN + 1], addr[INET_ADDRSTRLEN], role[64];
	size_t i;

	printf("%-6s %-32s %-15s %-12s %10s %-14s %6s %8s %s\n", "REGION",
	       "NODE", "ADDR", "VERSION", "SCORE", "ROLE", "TERM", "SEEN_MS",
	       "OFFER");
	for (i = 0; i < n; i++) {
		const struct rupnl_peer *p = &v[i];

		node_id_hex(p->node_id, id);
		inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
		rup_role_format(p->role, role, sizeof(role));
		printf("%-6u %-32s %-15s %-12s %10u %-14s %6llu %8u %s\n",
		       p->region, id, addr, p->version, p->score, role,
		       (unsigned long long)p->term, p->last_seen_ms,
		       p->mask & RUPNL_BIT(RUP_A_OFFER) ? p->offer.version :
							  "-");
	}
}

int cmd_peers(int argc, char **argv)
{
	struct rupnl_peer *v = NULL;
	struct rupctl_read r;
	size_t n = 0, i;
	int err;

	err = rupctl_read_start(&r, argc, argv, "peers", usage);
	if (err)
		return err < 0 ? RUPCTL_EXIT_OK : err;
	err = rupnl_peers_get(&r.nl, r.region, DUMP_TRIES, &v, &n);
	if (err) {
		err = rupctl_nl_fail(&r.nl, err, r.what);
		goto out;
	}
	if (n)
		qsort(v, n, sizeof(*v), peer_cmp);
	if (rupctl_opts.json) {
		json_t *a = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(a, peer_json(&v[i]));
		rupctl_json_print(a);
	} else {
		print_table(v, n);
	}
out:
	free(v);
	rupnl_close(&r.nl);
	return err;
}
