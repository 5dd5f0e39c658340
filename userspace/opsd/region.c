// SPDX-License-Identifier: GPL-2.0
/* rup-opsd regions: the assignment in memory mirrors its rows in the store. */
#include <errno.h>
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "store.h"

static struct assign_pool pool;

/* A region the store has no row for: its group from the pool and a fresh key. */
static int new_region(void *arg, uint32_t id, char grp[32],
		      uint8_t key[STORE_KEY_LEN], char *err, size_t errlen)
{
	struct opsd *o = arg;

	if (assign_pool_group(&pool, id, grp, 32)) {
		snprintf(err, errlen, "region %u: multicast pool %s exhausted",
			 id, o->cfg.pool);
		return -1;
	}
	if (RAND_bytes(key, STORE_KEY_LEN) != 1) {
		snprintf(err, errlen, "region %u: no randomness for its key",
			 id);
		return -1;
	}
	return 0;
}

static void save_from(struct opsd *o, struct store_assign_save *sv,
		      uint32_t from)
{
	sv->as = o->as;
	sv->from = from;
	sv->new_region = new_region;
	sv->arg = o;
}

static struct assign *load(struct opsd *o, char *err, size_t errlen, int *found)
{
	struct assign_state as = { 0 };
	struct assign *a = NULL;
	enum store_rc rc = store_assign_load(o->st, &as, err, errlen);

	*found = rc != STORE_NOT_FOUND;
	if (rc == STORE_OK)
		a = assign_import(&as, err, errlen);
	assign_state_release(&as);
	return a;
}

int region_reload(struct opsd *o)
{
	char err[256];
	int found;
	struct assign *as = load(o, err, sizeof(err), &found);

	if (!as) {
		olog_err("assignment reload: %s",
			 found ? err : "no saved state");
		return -1;
	}
	assign_set_max_regions(as, assign_pool_regions(&pool));
	assign_free(o->as);
	o->as = as;
	return 0;
}

int region_check_pool(struct opsd *o, char *err, size_t errlen)
{
	return assign_pool_parse(o->cfg.pool, &pool, err, errlen) ? -1 : 0;
}

/* The saved assignment, or a new one from T and M. */
static int start(struct opsd *o, char *err, size_t errlen)
{
	int found;

	o->as = load(o, err, errlen, &found);
	if (found && !o->as)
		return -1;
	if (o->as) {
		if (assign_planned(o->as) != o->cfg.nodes ||
		    assign_max_per_region(o->as) != o->cfg.max_per_region)
			olog_warn(
				"database keeps T=%u M=%u (config says T=%u M=%u): a live "
				"assignment is never re-planned",
				assign_planned(o->as),
				assign_max_per_region(o->as), o->cfg.nodes,
				o->cfg.max_per_region);
		return 0;
	}
	o->as = assign_new(o->cfg.nodes, o->cfg.max_per_region);
	if (!o->as) {
		snprintf(err, errlen, "T=%u M=%u: %s", o->cfg.nodes,
			 o->cfg.max_per_region, strerror(errno));
		return -1;
	}
	return 0;
}

int region_init(struct opsd *o, char *err, size_t errlen)
{
	struct store_assign_save sv = { .size = -1 };

	if (region_check_pool(o, err, errlen) || start(o, err, errlen))
		return -1;
	if (assign_set_max_regions(o->as, assign_pool_regions(&pool))) {
		snprintf(
			err, errlen,
			"pool %s holds fewer groups than the %u regions in use",
			o->cfg.pool, assign_nregions(o->as));
		return -1;
	}
	save_from(o, &sv, 0);
	return store_assign_save(o->st, &sv, err, errlen) ? -1 : 0;
}

/* Place a new node (assign_add); only what it changed is saved: S, up to two slots, one size, any new region. */
static int place(void *arg, uint32_t score, uint32_t *region,
		 struct store_assign_save *sv, char *err, size_t errlen)
{
	struct opsd *o = arg;
	uint32_t n0 = assign_nregions(o->as);
	int rc = assign_add(o->as, score, region);

	if (rc) {
		snprintf(err, errlen, "%s",
			 rc == -ENOSPC ? "every region is full and the "
					 "multicast pool is exhausted" :
					 strerror(-rc));
		return -1;
	}
	save_from(o, sv, n0);
	sv->nslots = assign_last_changed(o->as, sv->slots);
	sv->size = *region;
	return 0;
}

static int remove_node(void *arg, uint32_t region, struct store_assign_save *sv)
{
	struct opsd *o = arg;

	if (assign_remove(o->as, region))
		return -1;
	save_from(o, sv, assign_nregions(o->as));
	sv->size = region;
	return 0;
}

const struct store_assign_hook *region_hook(struct opsd *o)
{
	static struct store_assign_hook hook = { place, remove_node, NULL };

	hook.arg = o;
	return &hook;
}

void region_fenced(char *err, size_t errlen, const struct store_claim *c)
{
	if (c->term < c->cur_term)
		snprintf(err, errlen,
			 "region %u: term %" PRIu64
			 " is lower than the region's "
			 "term %" PRIu64 " (fenced: another RVS was elected)",
			 c->region, c->term, c->cur_term);
	else
		snprintf(err, errlen,
			 "region %u: term %" PRIu64 " is held by node %s",
			 c->region, c->term, c->holder);
}
