// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: starting and cancelling rollouts, a region's open task. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "store_sqlite.h"

/* STORE_NOT_FOUND: not published; STORE_CONFLICT: no payload yet. */
static enum store_rc release_ready(sqlite3 *db, const char *version)
{
	int64_t p = db_int(db, -1,
			   "SELECT payload FROM releases WHERE version = ?",
			   "t", version);

	return p < 0 ? STORE_NOT_FOUND : p ? STORE_OK : STORE_CONFLICT;
}

/* Every region with nodes. */
static enum store_rc all_regions(sqlite3 *db, struct store_rollout_start *r)
{
	size_t cap =
		(size_t)db_int(db, 0, "SELECT COUNT(*) FROM regions", "") + 1;
	sqlite3_stmt *st = db_prep(
		db, "SELECT DISTINCT region FROM nodes ORDER BY region");

	r->n = 0;
	r->chosen = calloc(cap, sizeof(*r->chosen));
	while (st && r->chosen && r->n < cap && sqlite3_step(st) == SQLITE_ROW)
		r->chosen[r->n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!st || !r->chosen)
		return STORE_ERR;
	return r->n ? STORE_OK : STORE_INVALID;
}

static enum store_rc listed_regions(struct store_rollout_start *r)
{
	r->chosen = calloc(r->n ? r->n : 1, sizeof(*r->chosen));
	if (!r->chosen)
		return STORE_ERR;
	memcpy(r->chosen, r->regions, r->n * sizeof(*r->chosen));
	return STORE_OK;
}

static enum store_rc make_tasks(sqlite3 *db, struct store_rollout_start *r)
{
	char detail[256];
	size_t i;

	r->waves = (r->n + r->wave_size - 1) / r->wave_size;
	if (db_exec(db,
		    "INSERT INTO rollouts(version, wave_size, failure_threshold, state, "
		    "wave, waves, created) VALUES(?,?,?,'running',0,?,?)",
		    "tiiii", r->version,
		    (int64_t)(r->wave_size < r->n ? r->wave_size : r->n),
		    (int64_t)r->threshold, (int64_t)r->waves,
		    (int64_t)clock_real_ns()))
		return STORE_ERR;
	r->id = sqlite3_last_insert_rowid(db);
	for (i = 0; i < r->n; i++)
		if (db_exec(db,
			    "INSERT INTO tasks(rollout, region, wave, state, updated) "
			    "VALUES(?,?,?,?,?)",
			    "iiiti", r->id, r->chosen[i],
			    (int64_t)(i / r->wave_size),
			    i < r->wave_size ? "open" : "waiting",
			    (int64_t)clock_real_ns()))
			return STORE_ERR;
	snprintf(detail, sizeof(detail),
		 "rollout %" PRId64 ": version %s, %zu regions, %zu "
		 "waves, failure threshold %" PRIu64,
		 r->id, r->version, r->n, r->waves, r->threshold);
	return db_audit(db, "rollout_start", detail) ? STORE_ERR : STORE_OK;
}

enum store_rc store_rollout_start(struct store *s,
				  struct store_rollout_start *r)
{
	enum store_rc rc;

	r->chosen = NULL;
	if (db_begin(s->db))
		return STORE_BUSY;
	rc = release_ready(s->db, r->version);
	if (!rc)
		rc = r->regions ? listed_regions(r) : all_regions(s->db, r);
	if (!rc)
		rc = make_tasks(s->db, r);
	rc = db_end(s->db, rc);
	if (rc) {
		free(r->chosen);
		r->chosen = NULL;
	}
	return rc;
}

static enum store_rc do_cancel(sqlite3 *db, int64_t id,
			       char state[STORE_STATE_LEN + 1], int64_t *n)
{
	sqlite3_stmt *st = db_prepf(
		db, "SELECT state FROM rollouts WHERE id = ?", "i", id);
	char detail[128];

	state[0] = 0;
	if (!st)
		return STORE_ERR;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(state, STORE_STATE_LEN + 1, "%s", db_text(st, 0));
	sqlite3_finalize(st);
	if (!state[0])
		return STORE_NOT_FOUND;
	if (strcmp(state, "running"))
		return STORE_CONFLICT;
	if (db_exec(db,
		    "UPDATE tasks SET state = 'cancelled', updated = ? WHERE rollout = ? "
		    "AND state NOT IN ('up_to_date','complete','partial','failed')",
		    "ii", (int64_t)clock_real_ns(), id))
		return STORE_ERR;
	*n = sqlite3_changes(db);
	snprintf(detail, sizeof(detail),
		 "rollout %" PRId64 " cancelled (%" PRId64 " tasks)", id, *n);
	if (db_exec(db, "UPDATE rollouts SET state = 'cancelled' WHERE id = ?",
		    "i", id) ||
	    db_audit(db, "rollout_cancel", detail))
		return STORE_ERR;
	return STORE_OK;
}

enum store_rc store_rollout_cancel(struct store *s, int64_t id,
				   char state[STORE_STATE_LEN + 1], int64_t *n)
{
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_cancel(s->db, id, state, n));
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	return strdup(db_text(st, col));
}

static int task_row(sqlite3 *db, int64_t id, struct store_task *t)
{
	sqlite3_stmt *st = db_prepf(
		db,
		"SELECT t.rollout, t.region, t.wave, t.state, r.version, r.range, "
		"r.summary, r.sha256, r.size, r.signature, r.manifest "
		"FROM tasks t JOIN rollouts ro ON ro.id = t.rollout "
		"JOIN releases r ON r.version = ro.version WHERE t.id = ?",
		"i", id);
	int rc = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		t->id = id;
		t->rollout = sqlite3_column_int64(st, 0);
		t->region = (uint32_t)sqlite3_column_int64(st, 1);
		t->wave = sqlite3_column_int64(st, 2);
		snprintf(t->state, sizeof(t->state), "%s", db_text(st, 3));
		t->version = dup_text(st, 4);
		t->range = dup_text(st, 5);
		t->summary = dup_text(st, 6);
		t->sha256 = dup_text(st, 7);
		t->size = (uint64_t)sqlite3_column_int64(st, 8);
		t->signature = dup_text(st, 9);
		t->manifest_len = (size_t)sqlite3_column_bytes(st, 10);
		t->manifest = malloc(t->manifest_len + 1);
		if (t->manifest)
			memcpy(t->manifest, sqlite3_column_blob(st, 10),
			       t->manifest_len);
		rc = t->version && t->range && t->summary && t->sha256 &&
				     t->signature && t->manifest ?
			     0 :
			     -1;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The region's registered nodes: one missing from the version table is unreachable. */
static int task_nodes(sqlite3 *db, struct store_task *t)
{
	size_t cap = (size_t)db_int(
		db, 0, "SELECT COUNT(*) FROM nodes WHERE region = ?", "i",
		(int64_t)t->region);
	sqlite3_stmt *st = db_prepf(
		db, "SELECT id FROM nodes WHERE region = ? ORDER BY id", "i",
		(int64_t)t->region);

	t->nodes = calloc(cap + 1, sizeof(*t->nodes));
	while (st && t->nodes && t->nnodes < cap &&
	       sqlite3_step(st) == SQLITE_ROW)
		snprintf(t->nodes[t->nnodes++], sizeof(*t->nodes), "%s",
			 db_text(st, 0));
	sqlite3_finalize(st);
	return st && t->nodes ? 0 : -1;
}

/*
 * The region's open task id: STORE_NOT_FOUND only when the query ran and
 * found none; a failed query is STORE_ERR (a 5xx, not "no task").
 */
static enum store_rc open_task_id(sqlite3 *db, uint32_t region, int64_t *id)
{
	sqlite3_stmt *st = db_prepf(
		db,
		"SELECT id FROM tasks WHERE region = ? AND state IN "
		"('open','downloading','distributing','package_abnormal') "
		"ORDER BY id LIMIT 1",
		"i", (int64_t)region);
	int step = st ? sqlite3_step(st) : SQLITE_ERROR;
	enum store_rc rc = STORE_ERR;

	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = STORE_OK;
	} else if (step == SQLITE_DONE) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_finalize(st);
	return rc;
}

enum store_rc store_task_open(struct store *s, uint32_t region,
			      struct store_task *t)
{
	int64_t id = 0;
	enum store_rc rc;

	memset(t, 0, sizeof(*t));
	if (db_begin(s->db))
		return STORE_BUSY;
	rc = open_task_id(s->db, region, &id);
	if (!rc && (task_row(s->db, id, t) || task_nodes(s->db, t)))
		rc = STORE_ERR;
	db_rollback(s->db);
	if (rc)
		store_task_free(t);
	return rc;
}

void store_task_free(struct store_task *t)
{
	free(t->version);
	free(t->range);
	free(t->summary);
	free(t->sha256);
	free(t->signature);
	free(t->manifest);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}
