// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: the region assignment row by row, and region rows. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>

#include "assign.h"
#include "clock.h"
#include "store_sqlite.h"

static int save_slot(sqlite3 *db, const struct assign *as, uint32_t slot)
{
	uint32_t score, region;

	if (assign_slot(as, slot, &score, &region))
		return -1;
	return db_exec(
		db,
		"INSERT OR REPLACE INTO assign_slots(slot, score, region) VALUES(?,?,?)",
		"iii", (int64_t)slot, (int64_t)score, (int64_t)region);
}

static int save_size(sqlite3 *db, const struct assign *as, uint32_t region)
{
	return db_exec(
		db,
		"INSERT OR REPLACE INTO assign_sizes(region, size) VALUES(?,?)",
		"ii", (int64_t)region, (int64_t)assign_region_size(as, region));
}

static int save_meta(sqlite3 *db, const struct assign *as)
{
	return db_exec(db,
		       "INSERT OR REPLACE INTO assign_meta(id, t, m, n, s) "
		       "VALUES(0,?,?,?,?)",
		       "iiii", (int64_t)assign_planned(as),
		       (int64_t)assign_max_per_region(as),
		       (int64_t)assign_nregions(as),
		       (int64_t)assign_arrivals(as));
}

/* A row, group and key for every region the assignment has and the table lacks. */
static int make_rows(sqlite3 *db, const struct store_assign_save *sv, char *err,
		     size_t errlen)
{
	uint32_t n = assign_nregions(sv->as), i;
	uint32_t have =
		(uint32_t)db_int(db, 0, "SELECT COUNT(*) FROM regions", "");

	for (i = have; i < n; i++) {
		uint8_t key[STORE_KEY_LEN];
		char grp[32];
		int rc;

		if (sv->new_region(sv->arg, i, grp, key, err, errlen))
			return -1;
		rc = db_exec(
			db,
			"INSERT INTO regions(id, grp, key, created) VALUES(?,?,?,?)",
			"itbi", (int64_t)i, grp, key, (int)sizeof(key),
			(int64_t)clock_real_ns());
		OPENSSL_cleanse(key, sizeof(key));
		if (rc) {
			snprintf(err, errlen, "region %u: cannot store it", i);
			return -1;
		}
	}
	return 0;
}

/* Inside a transaction: the rows @sv names. */
int db_assign_save(sqlite3 *db, const struct store_assign_save *sv, char *err,
		   size_t errlen)
{
	uint32_t j;
	unsigned int i;

	if (make_rows(db, sv, err, errlen))
		return -1;
	for (i = 0; i < sv->nslots; i++)
		if (sv->slots[i] < sv->from &&
		    save_slot(db, sv->as, sv->slots[i]))
			goto fail;
	if (sv->size >= 0 && (uint32_t)sv->size < sv->from &&
	    save_size(db, sv->as, (uint32_t)sv->size))
		goto fail;
	for (j = sv->from; j < assign_nregions(sv->as); j++)
		if (save_slot(db, sv->as, j) || save_size(db, sv->as, j))
			goto fail;
	if (!save_meta(db, sv->as))
		return 0;
fail:
	snprintf(err, errlen, "database error saving the assignment");
	return -1;
}

enum store_rc store_assign_save(struct store *s,
				const struct store_assign_save *save, char *err,
				size_t errlen)
{
	if (db_begin(s->db)) {
		snprintf(err, errlen, "database error saving the assignment");
		return STORE_BUSY;
	}
	if (db_assign_save(s->db, save, err, errlen))
		return db_end(s->db, STORE_ERR);
	if (db_commit(s->db)) {
		snprintf(err, errlen, "database error saving the assignment");
		return STORE_ERR;
	}
	return STORE_OK;
}

/* Rows must be exactly 0..N-1: a gap or an extra row is a corrupt state. */
static int load_column(sqlite3 *db, const char *sql, uint32_t n, uint32_t *a,
		       uint32_t *b)
{
	sqlite3_stmt *st = db_prep(db, sql);
	uint32_t i = 0;

	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW && i <= n) {
		if (sqlite3_column_int64(st, 0) != i)
			break;
		a[i] = (uint32_t)sqlite3_column_int64(st, 1);
		if (b)
			b[i] = (uint32_t)sqlite3_column_int64(st, 2);
		i++;
	}
	sqlite3_finalize(st);
	return i == n ? 0 : -1;
}

static int load_meta(sqlite3 *db, struct assign_state *as)
{
	sqlite3_stmt *st =
		db_prep(db, "SELECT t, m, n, s FROM assign_meta WHERE id = 0");
	int found = 0;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		as->T = (uint32_t)sqlite3_column_int64(st, 0);
		as->M = (uint32_t)sqlite3_column_int64(st, 1);
		as->N = (uint32_t)sqlite3_column_int64(st, 2);
		as->S = (uint32_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return found;
}

enum store_rc store_assign_load(struct store *s, struct assign_state *as,
				char *err, size_t errlen)
{
	int found = load_meta(s->db, as);

	if (found <= 0) {
		if (found < 0)
			snprintf(err, errlen,
				 "database error reading the assignment");
		return found < 0 ? STORE_ERR : STORE_NOT_FOUND;
	}
	if (as->N > ASSIGN_MAX_REGIONS) {
		snprintf(err, errlen,
			 "saved assignment: %u regions is too many", as->N);
		return STORE_ERR;
	}
	as->slot_score = calloc(as->N + 1, sizeof(uint32_t));
	as->slot_region = calloc(as->N + 1, sizeof(uint32_t));
	as->region_size = calloc(as->N + 1, sizeof(uint32_t));
	if (!as->slot_score || !as->slot_region || !as->region_size) {
		snprintf(err, errlen, "saved assignment: out of memory");
		return STORE_ERR;
	}
	if (load_column(
		    s->db,
		    "SELECT slot, score, region FROM assign_slots ORDER BY slot",
		    as->N, as->slot_score, as->slot_region)) {
		snprintf(err, errlen,
			 "saved assignment: slot rows do not match N = %u",
			 as->N);
		return STORE_ERR;
	}
	if (load_column(s->db,
			"SELECT region, size FROM assign_sizes ORDER BY region",
			as->N, as->region_size, NULL)) {
		snprintf(err, errlen,
			 "saved assignment: size rows do not match N = %u",
			 as->N);
		return STORE_ERR;
	}
	return STORE_OK;
}
