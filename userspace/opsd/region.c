// SPDX-License-Identifier: GPL-2.0
/* rup-opsd regions: the assignment in memory mirrors its row in SQLite. */
#include <errno.h>
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "assign.h"
#include "db.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"

static struct assign_pool pool;

/* Run @sql with @n integer parameters. */
static int put(struct opsd *o, const char *sql, int n, int64_t a, int64_t b,
	       int64_t c)
{
	sqlite3_stmt *st = db_prep(o->db, sql);
	int64_t v[3] = { a, b, c };
	int i;

	if (!st)
		return -1;
	for (i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	return db_run(st);
}

static int save_meta(struct opsd *o)
{
	sqlite3_stmt *st = db_prep(
		o->db, "INSERT OR REPLACE INTO assign_meta(id, t, m, n, s) "
		       "VALUES(0,?,?,?,?)");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assign_planned(o->as));
	sqlite3_bind_int64(st, 2, assign_max_per_region(o->as));
	sqlite3_bind_int64(st, 3, assign_nregions(o->as));
	sqlite3_bind_int64(st, 4, assign_arrivals(o->as));
	return db_run(st);
}

static int save_slot(struct opsd *o, uint32_t slot)
{
	uint32_t score, region;

	if (assign_slot(o->as, slot, &score, &region))
		return -1;
	return put(
		o,
		"INSERT OR REPLACE INTO assign_slots(slot, score, region) VALUES(?,?,?)",
		3, slot, score, region);
}

static int save_size(struct opsd *o, uint32_t region)
{
	return put(
		o,
		"INSERT OR REPLACE INTO assign_sizes(region, size) VALUES(?,?)",
		2, region, assign_region_size(o->as, region), 0);
}

/* Slots and sizes from @from to N - 1 (all of them at first, new regions after growth). */
static int save_from(struct opsd *o, uint32_t from)
{
	uint32_t j;

	for (j = from; j < assign_nregions(o->as); j++)
		if (save_slot(o, j) || save_size(o, j))
			return -1;
	return save_meta(o);
}

/* Make a row, group and key for every region the assignment has and the table lacks. */
static int make_rows(struct opsd *o, char *err, size_t errlen)
{
	uint32_t n = assign_nregions(o->as);
	uint32_t have =
		(uint32_t)db_int(o->db, "SELECT COUNT(*) FROM regions", 0);
	uint32_t i;

	for (i = have; i < n; i++) {
		uint8_t key[32];
		char grp[32];
		sqlite3_stmt *st;
		int rc;

		if (assign_pool_group(&pool, i, grp, sizeof(grp))) {
			snprintf(err, errlen,
				 "region %u: multicast pool %s exhausted", i,
				 o->cfg.pool);
			return -1;
		}
		if (RAND_bytes(key, sizeof(key)) != 1) {
			snprintf(err, errlen,
				 "region %u: no randomness for its key", i);
			return -1;
		}
		st = db_prep(
			o->db,
			"INSERT INTO regions(id, grp, key, created) VALUES(?,?,?,?)");
		if (!st) {
			snprintf(err, errlen, "region %u: database error", i);
			return -1;
		}
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_text(st, 2, grp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 3, key, sizeof(key), SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, (int64_t)opsd_now_ns());
		rc = db_run(st);
		OPENSSL_cleanse(key, sizeof(key));
		if (rc) {
			snprintf(err, errlen, "region %u: cannot store it", i);
			return -1;
		}
	}
	return 0;
}

static struct assign *load(struct opsd *o, char *err, size_t errlen, int *found)
{
	struct assign_state as = { 0 };
	struct assign *a = NULL;
	sqlite3_stmt *st;
	uint32_t n = 0;

	*found = 0;
	st = db_prep(o->db, "SELECT t, m, n, s FROM assign_meta WHERE id = 0");
	if (!st)
		goto dberr;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*found = 1;
		as.T = (uint32_t)sqlite3_column_int64(st, 0);
		as.M = (uint32_t)sqlite3_column_int64(st, 1);
		as.N = (uint32_t)sqlite3_column_int64(st, 2);
		as.S = (uint32_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (!*found)
		return NULL;
	if (as.N > ASSIGN_MAX_REGIONS) {
		snprintf(err, errlen,
			 "saved assignment: %u regions is too many", as.N);
		return NULL;
	}
	as.slot_score = calloc(as.N + 1, sizeof(uint32_t));
	as.slot_region = calloc(as.N + 1, sizeof(uint32_t));
	as.region_size = calloc(as.N + 1, sizeof(uint32_t));
	if (!as.slot_score || !as.slot_region || !as.region_size) {
		snprintf(err, errlen, "saved assignment: out of memory");
		goto out;
	}
	/* Rows must be exactly 0..N-1: a gap or an extra row is a corrupt state. */
	st = db_prep(
		o->db,
		"SELECT slot, score, region FROM assign_slots ORDER BY slot");
	if (!st)
		goto dberr;
	while (sqlite3_step(st) == SQLITE_ROW && n <= as.N) {
		if (sqlite3_column_int64(st, 0) != n)
			break;
		as.slot_score[n] = (uint32_t)sqlite3_column_int64(st, 1);
		as.slot_region[n++] = (uint32_t)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (n != as.N) {
		snprintf(err, errlen,
			 "saved assignment: slot rows do not match N = %u",
			 as.N);
		goto out;
	}
	n = 0;
	st = db_prep(o->db,
		     "SELECT region, size FROM assign_sizes ORDER BY region");
	if (!st)
		goto dberr;
	while (sqlite3_step(st) == SQLITE_ROW && n <= as.N) {
		if (sqlite3_column_int64(st, 0) != n)
			break;
		as.region_size[n++] = (uint32_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (n != as.N) {
		snprintf(err, errlen,
			 "saved assignment: size rows do not match N = %u",
			 as.N);
		goto out;
	}
	a = assign_import(&as, err, errlen);
	goto out;
dberr:
	snprintf(err, errlen, "database error reading the assignment");
out:
	free(as.slot_score);
	free(as.slot_region);
	free(as.region_size);
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

int region_init(struct opsd *o, char *err, size_t errlen)
{
	int found;

	if (region_check_pool(o, err, errlen))
		return -1;
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
	} else {
		o->as = assign_new(o->cfg.nodes, o->cfg.max_per_region);
		if (!o->as) {
			snprintf(err, errlen, "T=%u M=%u: %s", o->cfg.nodes,
				 o->cfg.max_per_region, strerror(errno));
			return -1;
		}
	}
	if (assign_set_max_regions(o->as, assign_pool_regions(&pool))) {
		snprintf(
			err, errlen,
			"pool %s holds fewer groups than the %u regions in use",
			o->cfg.pool, assign_nregions(o->as));
		return -1;
	}
	if (db_begin(o->db))
		goto dberr;
	if (make_rows(o, err, errlen) || save_from(o, 0)) {
		db_rollback(o->db);
		return -1;
	}
	if (db_commit(o->db))
		goto dberr;
	return 0;
dberr:
	snprintf(err, errlen, "database error saving the assignment");
	return -1;
}

int region_assign(struct opsd *o, uint32_t score, uint32_t *region, char *err,
		  size_t errlen)
{
	uint32_t n0 = assign_nregions(o->as), slots[2], i, k;
	int rc = assign_add(o->as, score, region);

	if (rc) {
		snprintf(err, errlen, "%s",
			 rc == -ENOSPC ? "every region is full and the "
					 "multicast pool is exhausted" :
					 strerror(-rc));
		return -1;
	}
	if (make_rows(o, err, errlen))
		return -1;
	/* Only what assign_add changed: S, up to two slots, one size, any new region. */
	k = assign_last_changed(o->as, slots);
	for (i = 0; i < k; i++)
		if (slots[i] < n0 && save_slot(o, slots[i]))
			goto fail;
	if ((*region < n0 && save_size(o, *region)) || save_from(o, n0))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "database error saving the assignment");
	return -1;
}

int region_remove(struct opsd *o, uint32_t region)
{
	if (assign_remove(o->as, region))
		return -1;
	return save_size(o, region);
}

int region_claim(struct opsd *o, uint32_t region, const char *node,
		 uint64_t term, int *raised, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prep(
		o->db,
		"SELECT term, IFNULL(rvs, '') FROM regions WHERE id = ?");
	uint64_t cur = 0;
	char rvs[33] = "";

	*raised = 0;
	if (!st) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	sqlite3_bind_int64(st, 1, region);
	if (sqlite3_step(st) == SQLITE_ROW) {
		cur = (uint64_t)sqlite3_column_int64(st, 0);
		snprintf(rvs, sizeof(rvs), "%s", db_text(st, 1));
	}
	sqlite3_finalize(st);
	if (term < cur) {
		snprintf(err, errlen,
			 "region %u: term %" PRIu64
			 " is lower than the region's "
			 "term %" PRIu64 " (fenced: another RVS was elected)",
			 region, term, cur);
		return -1;
	}
	if (term == cur && rvs[0] && strcmp(rvs, node)) {
		snprintf(err, errlen,
			 "region %u: term %" PRIu64 " is held by node %s",
			 region, term, rvs);
		return -1;
	}
	if (term == cur && rvs[0])
		return 0;
	st = db_prep(o->db,
		     "UPDATE regions SET term = ?, rvs = ? WHERE id = ?");
	if (!st) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	sqlite3_bind_int64(st, 1, (int64_t)term);
	sqlite3_bind_text(st, 2, node, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, region);
	if (db_run(st)) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	*raised = term > cur;
	return 0;
}
