// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: the read-only views behind status, the page and metrics. */
#include <stdio.h>

#include "store_sqlite.h"

/* Each region (?1, or all when it is -1) next to its newest task. */
#define REGIONS_SQL                                                        \
	"SELECT r.id, r.grp, IFNULL(r.rvs, ''), r.term, "                  \
	"IFNULL(t.state, ''), IFNULL(ro.version, '') FROM regions r "      \
	"LEFT JOIN tasks t ON t.id = (SELECT MAX(id) FROM tasks "          \
	"WHERE region = r.id) LEFT JOIN rollouts ro ON ro.id = t.rollout " \
	"WHERE ?1 < 0 OR r.id = ?1 ORDER BY r.id"

enum store_rc store_regions_each(struct store *s, int64_t only,
				 store_region_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_prepf(s->db, REGIONS_SQL, "i", only);
	struct store_region_row r;

	while (db_row(st, "wttutt", &r.id, &r.grp, &r.rvs, &r.term,
		      &r.last_state, &r.last_version))
		fn(arg, &r);
	return db_done(st);
}

enum store_rc store_members_each(struct store *s, uint32_t region,
				 store_node_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_prepf(
		s->db,
		"SELECT id, score, version, addresses, IFNULL(state,''), "
		"registered, last_seen, IFNULL(last_report, 0) FROM nodes "
		"WHERE region = ? ORDER BY id",
		"i", (int64_t)region);
	struct store_node_row r;

	while (db_row(st, "tutttuuu", &r.id, &r.score, &r.version, &r.addresses,
		      &r.state, &r.registered, &r.last_seen, &r.last_report))
		fn(arg, &r);
	return db_done(st);
}

/* Tasks with their rollout's version; WHERE and ORDER BY follow. */
#define TASKS_SQL                                                                  \
	"SELECT t.id, t.rollout, t.region, t.wave, t.state, IFNULL(t.reason,''), " \
	"t.term, t.updated, ro.version FROM tasks t JOIN rollouts ro "             \
	"ON ro.id = t.rollout "

enum store_rc store_tasks_each(struct store *s, int by_rollout, int64_t id,
			       store_task_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_prepf(
		s->db,
		by_rollout ? TASKS_SQL "WHERE t.rollout = ? ORDER BY t.id" :
			     TASKS_SQL "WHERE t.region = ? ORDER BY t.id",
		"i", id);
	struct store_task_row r;

	while (db_row(st, "iiiittuut", &r.id, &r.rollout, &r.region, &r.wave,
		      &r.state, &r.reason, &r.term, &r.updated, &r.version))
		fn(arg, &r);
	return db_done(st);
}

/* Rollouts; the ORDER BY follows. */
#define ROLLOUTS_SQL                                          \
	"SELECT id, version, state, wave, waves, wave_size, " \
	"failure_threshold, created FROM rollouts "

enum store_rc store_rollouts_each(struct store *s, int limit,
				  store_rollout_row_fn *fn, void *arg)
{
	sqlite3_stmt *st =
		limit > 0 ?
			db_prepf(s->db, ROLLOUTS_SQL "ORDER BY id DESC LIMIT ?",
				 "i", (int64_t)limit) :
			db_prep(s->db, ROLLOUTS_SQL "ORDER BY id");
	struct store_rollout_row r;

	while (db_row(st, "ittiiiiu", &r.id, &r.version, &r.state, &r.wave,
		      &r.waves, &r.wave_size, &r.threshold, &r.created))
		fn(arg, &r);
	return db_done(st);
}

static const char *count_sql(enum store_count_of what, int64_t id)
{
	switch (what) {
	case STORE_TASK_STATES:
		return id < 0 ?
			       "SELECT state, COUNT(*) FROM tasks "
			       "GROUP BY state ORDER BY state" :
			       "SELECT state, COUNT(*) FROM tasks WHERE rollout = ? "
			       "GROUP BY state ORDER BY state";
	case STORE_ROLLOUT_STATES:
		return "SELECT state, COUNT(*) FROM rollouts "
		       "GROUP BY state ORDER BY state";
	case STORE_NODE_VERSIONS:
		/* Two statements so the per-region one uses the nodes(region) index. */
		return id < 0 ?
			       "SELECT version, COUNT(*) AS n FROM nodes "
			       "GROUP BY version ORDER BY n DESC, version" :
			       "SELECT version, COUNT(*) AS n FROM nodes WHERE region = ? "
			       "GROUP BY version ORDER BY n DESC, version";
	}
	return NULL;
}

enum store_rc
store_counts_each(struct store *s, enum store_count_of what, int64_t id,
		  void (*fn)(void *arg, const char *word, int64_t n), void *arg)
{
	const char *fmt = id >= 0 && what != STORE_ROLLOUT_STATES ? "i" : "";
	sqlite3_stmt *st = db_prepf(s->db, count_sql(what, id), fmt, id);

	if (!st)
		return STORE_ERR;
	while (sqlite3_step(st) == SQLITE_ROW)
		fn(arg, db_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return STORE_OK;
}

enum store_rc store_totals(struct store *s, struct store_totals *out)
{
	out->nodes = db_int(s->db, 0, "SELECT COUNT(*) FROM nodes", "");
	out->regions_with_rvs = db_int(
		s->db, 0, "SELECT COUNT(*) FROM regions WHERE rvs IS NOT NULL",
		"");
	out->releases = db_int(s->db, 0, "SELECT COUNT(*) FROM releases", "");
	return STORE_OK;
}

enum store_rc store_audit_each(struct store *s, long limit,
			       store_audit_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_prepf(
		s->db,
		"SELECT id, time, action, detail FROM audit ORDER BY id DESC LIMIT ?",
		"i", (int64_t)limit);
	struct store_audit_row r;

	while (db_row(st, "iutt", &r.id, &r.time, &r.action, &r.detail))
		fn(arg, &r);
	return db_done(st);
}
