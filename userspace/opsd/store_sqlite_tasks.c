// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: rollouts, their tasks in waves, RVS reports. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "clock.h"
#include "rollout.h"
#include "store_sqlite.h"
#include "task.h"

static int set_wave_state(sqlite3 *db, int64_t rollout, int64_t wave,
			  const char *from, const char *to)
{
	return db_exec(db,
		       "UPDATE tasks SET state = ?, updated = ? WHERE "
		       "rollout = ? AND state = ? AND (? < 0 OR wave = ?)",
		       "tiitii", to, (int64_t)clock_real_ns(), rollout, from,
		       wave, wave);
}

static int set_rollout(sqlite3 *db, int64_t rollout, const char *state,
		       int64_t wave)
{
	return db_exec(db,
		       "UPDATE rollouts SET state = ?, wave = ? WHERE id = ?",
		       "tii", state, wave, rollout);
}

static int halt(sqlite3 *db, const struct rollout_wave *w)
{
	char detail[128];

	snprintf(detail, sizeof(detail),
		 "rollout %" PRId64 " halted: wave %" PRId64 " had %" PRId64
		 " failed regions (threshold %" PRId64 ")",
		 w->rollout, w->wave, w->failed, w->threshold);
	if (set_wave_state(db, w->rollout, -1, "waiting", "cancelled") ||
	    set_rollout(db, w->rollout, "halted", w->wave) ||
	    db_audit(db, "rollout_halt", detail))
		return -1;
	return 0;
}

/* How many tasks of the wave are still open, and how many failed. */
static int count_wave(sqlite3 *db, struct rollout_wave *w)
{
	sqlite3_stmt *st = db_prepf(
		db,
		"SELECT IFNULL(SUM(state NOT IN ('up_to_date','complete','partial',"
		"'failed')), 0), IFNULL(SUM(state = 'failed'), 0) FROM tasks "
		"WHERE rollout = ? AND wave = ?",
		"ii", w->rollout, w->wave);
	int rc = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		w->open = sqlite3_column_int64(st, 0);
		w->failed = sqlite3_column_int64(st, 1);
		rc = 1;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Load a running rollout's current wave and its open and failed counts; 0 when not running. */
static int load_wave(sqlite3 *db, int64_t rollout, struct rollout_wave *w)
{
	sqlite3_stmt *st =
		db_prepf(db,
			 "SELECT state, wave, waves, failure_threshold "
			 "FROM rollouts WHERE id = ?",
			 "i", rollout);
	int running;

	if (!st)
		return -1;
	running = sqlite3_step(st) == SQLITE_ROW &&
		  !strcmp(db_text(st, 0), "running");
	w->rollout = rollout;
	if (running) {
		w->wave = sqlite3_column_int64(st, 1);
		w->waves = sqlite3_column_int64(st, 2);
		w->threshold = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (!running)
		return 0;
	return count_wave(db, w);
}

int db_rollout_advance(sqlite3 *db, int64_t rollout)
{
	struct rollout_wave w;
	int rc = load_wave(db, rollout, &w);

	if (rc <= 0)
		return rc;
	switch (rollout_next(&w)) {
	case ROLLOUT_WAIT:
		return 0;
	case ROLLOUT_HALT:
		return halt(db, &w);
	case ROLLOUT_DONE:
		return set_rollout(db, rollout, "done", w.wave) ? -1 : 0;
	case ROLLOUT_NEXT:
		break;
	}
	if (set_wave_state(db, rollout, w.wave + 1, "waiting", "open") ||
	    set_rollout(db, rollout, "running", w.wave + 1))
		return -1;
	return 1;
}

/* One entry of a report's node table: the RVS sees each node's version, the fleet's truth. */
static enum store_rc report_node(sqlite3 *db, const struct store_report *r,
				 const struct store_report_node *n)
{
	if (db_int(db, 0,
		   "SELECT COUNT(*) FROM nodes WHERE id = ? AND region = ?",
		   "ti", n->id, (int64_t)r->claim.region) != 1)
		return STORE_INVALID;
	if (db_exec(db,
		    "INSERT OR REPLACE INTO task_nodes(task, node, version, state) "
		    "VALUES(?,?,?,?)",
		    "ittt", (int64_t)r->task, n->id, n->version, n->state))
		return STORE_ERR;
	/*
	 * A node that registered at the task's version after the report was
	 * made (an RVS installs itself once its final report is queued; a
	 * retried report arrives later) keeps `upgraded`.
	 */
	return db_exec(db,
		       "UPDATE nodes SET version = CASE WHEN ?1 = '' THEN version ELSE ?1 "
		       "END, state = ?2, last_report = ?3 WHERE id = ?4 AND NOT "
		       "(state IS 'upgraded' AND version = ?5)",
		       "ttitt", n->valid ? n->version : "", n->state,
		       (int64_t)clock_real_ns(), n->id, r->version) ?
		       STORE_ERR :
		       STORE_OK;
}

/* The task's region, state, rollout and release; STORE_NOT_FOUND when there is no such task. */
static enum store_rc load_task(sqlite3 *db, struct store_report *r,
			       int64_t *rollout)
{
	sqlite3_stmt *st = db_prepf(
		db,
		"SELECT t.region, t.state, t.rollout, ro.version FROM tasks t "
		"JOIN rollouts ro ON ro.id = t.rollout WHERE t.id = ?",
		"i", (int64_t)r->task);

	r->cur[0] = 0;
	if (!st)
		return STORE_ERR;
	db_one(st, "wsis", &r->task_region, r->cur, sizeof(r->cur), rollout,
	       r->version, sizeof(r->version));
	return r->cur[0] ? STORE_OK : STORE_NOT_FOUND;
}

static enum store_rc record(sqlite3 *db, struct store_report *r)
{
	int64_t now = (int64_t)clock_real_ns();
	const char *task_state = task_report_recorded(r->cur, r->state);

	if (db_exec(db,
		    "INSERT INTO reports(task, region, node, term, state, reason, time) "
		    "VALUES(?,?,?,?,?,?,?)",
		    "iititti", (int64_t)r->task, (int64_t)r->claim.region,
		    r->claim.node, (int64_t)r->claim.term, r->state, r->reason,
		    now) ||
	    db_exec(db,
		    "UPDATE tasks SET state = ?, reason = ?, term = ?, updated = ? "
		    "WHERE id = ?",
		    "ttiii", task_state, r->reason, (int64_t)r->claim.term, now,
		    (int64_t)r->task) ||
	    db_exec(db,
		    "UPDATE nodes SET last_report = ?1, last_seen = ?1 WHERE id = ?2",
		    "it", now, r->claim.node))
		return STORE_ERR;
	return STORE_OK;
}

static enum store_rc do_report(sqlite3 *db, struct store_report *r)
{
	enum store_rc rc;
	int64_t rollout = 0;
	int late;

	rc = load_task(db, r, &rollout);
	if (rc)
		return rc;
	if (r->task_region != r->claim.region)
		return STORE_FORBIDDEN;
	rc = db_claim(db, &r->claim);
	if (rc)
		return rc;
	if (!task_report_accepted(r->cur, r->state, &late))
		return STORE_CONFLICT;
	for (r->bad_node = 0; r->bad_node < r->nnodes; r->bad_node++) {
		rc = report_node(db, r, &r->nodes[r->bad_node]);
		if (rc)
			return rc;
	}
	if (r->malformed_next)
		return STORE_INVALID;
	rc = record(db, r);
	if (rc || !api_report_state_final(r->state) || late)
		return rc;
	r->woke = db_rollout_advance(db, rollout);
	return r->woke < 0 ? STORE_ERR : STORE_OK;
}

enum store_rc store_report(struct store *s, struct store_report *r)
{
	r->woke = 0;
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_report(s->db, r));
}
