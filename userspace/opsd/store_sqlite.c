// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: schema, open, transactions and statement helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "olog.h"
#include "store_sqlite.h"

/*
 * Schema. Versions and ids are TEXT as nodes send them; region keys are
 * BLOBs; token_hash is SHA-256 of the node token (the token is never stored).
 */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS regions(id INTEGER PRIMARY KEY, grp TEXT NOT NULL UNIQUE,"
	" key BLOB NOT NULL, next_key BLOB, rvs TEXT, term INTEGER NOT NULL DEFAULT 0,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS nodes(id TEXT PRIMARY KEY, region INTEGER NOT NULL,"
	" score INTEGER NOT NULL, version TEXT NOT NULL, addresses TEXT NOT NULL,"
	" token_hash BLOB NOT NULL, registered INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" state TEXT, last_report INTEGER);"
	/* The assignment (assign.h's export) row by row: a registration writes O(1) rows. */
	"CREATE INDEX IF NOT EXISTS nodes_region ON nodes(region);"
	"CREATE TABLE IF NOT EXISTS assign_meta(id INTEGER PRIMARY KEY CHECK(id = 0),"
	" t INTEGER NOT NULL, m INTEGER NOT NULL, n INTEGER NOT NULL, s INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS assign_slots(slot INTEGER PRIMARY KEY,"
	" score INTEGER NOT NULL, region INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS assign_sizes(region INTEGER PRIMARY KEY,"
	" size INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS releases(version TEXT PRIMARY KEY, manifest BLOB NOT NULL,"
	" signature TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
	" range TEXT NOT NULL, summary TEXT NOT NULL, payload INTEGER NOT NULL DEFAULT 0,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS rollouts(id INTEGER PRIMARY KEY, version TEXT NOT NULL,"
	" wave_size INTEGER NOT NULL, failure_threshold INTEGER NOT NULL, state TEXT NOT NULL,"
	" wave INTEGER NOT NULL DEFAULT 0, waves INTEGER NOT NULL, created INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS tasks(id INTEGER PRIMARY KEY, rollout INTEGER NOT NULL,"
	" region INTEGER NOT NULL, wave INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT,"
	" term INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS tasks_region ON tasks(region, state);"
	"CREATE INDEX IF NOT EXISTS tasks_rollout ON tasks(rollout, wave, state);"
	"CREATE TABLE IF NOT EXISTS task_nodes(task INTEGER NOT NULL, node TEXT NOT NULL,"
	" version TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY(task, node));"
	"CREATE TABLE IF NOT EXISTS reports(id INTEGER PRIMARY KEY, task INTEGER NOT NULL,"
	" region INTEGER NOT NULL, node TEXT NOT NULL, term INTEGER NOT NULL,"
	" state TEXT NOT NULL, reason TEXT, time INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	" action TEXT NOT NULL, detail TEXT NOT NULL);";

static int fail_open(sqlite3 *db, const char *path, const char *msg, char *err,
		     size_t errlen)
{
	snprintf(err, errlen, "%s: %s", path, msg);
	sqlite3_close(db);
	return -1;
}

static int open_db(sqlite3 **db, const char *path, int sync_full, char *err,
		   size_t errlen)
{
	char *msg = NULL;
	int rc;

	if (sqlite3_open_v2(path, db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK)
		return fail_open(*db, path,
				 *db ? sqlite3_errmsg(*db) : "out of memory",
				 err, errlen);
	sqlite3_busy_timeout(*db, 5000);
	/*
	 * WAL: a kill -9 after a reply never loses what was replied. FULL also
	 * survives an OS crash or power loss, at one fsync per request.
	 */
	if (sqlite3_exec(*db, "PRAGMA journal_mode=WAL;", NULL, NULL, &msg) !=
		    SQLITE_OK ||
	    sqlite3_exec(*db,
			 sync_full ? "PRAGMA synchronous=FULL;" :
				     "PRAGMA synchronous=NORMAL;",
			 NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(*db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		rc = fail_open(*db, path, msg ? msg : "schema failed", err,
			       errlen);
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

struct store *store_open(const char *where, int sync_full, char *err,
			 size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "%s: out of memory", where);
		return NULL;
	}
	if (open_db(&s->db, where, sync_full, err, errlen)) {
		free(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s);
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		olog_err("db: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_begin(sqlite3 *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

int db_commit(sqlite3 *db)
{
	if (exec(db, "COMMIT")) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		exec(db, "ROLLBACK");
}

enum store_rc db_end(sqlite3 *db, enum store_rc rc)
{
	if (rc != STORE_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) ? STORE_ERR : STORE_OK;
}

sqlite3_stmt *db_prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		olog_err("db: prepare '%s': %s", sql, sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

static sqlite3_stmt *vprepf(sqlite3 *db, const char *sql, const char *fmt,
			    va_list ap)
{
	sqlite3_stmt *st = db_prep(db, sql);
	const void *p;
	int i;

	for (i = 1; st && fmt[i - 1]; i++) {
		switch (fmt[i - 1]) {
		case 'i':
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 't':
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1,
					  SQLITE_TRANSIENT);
			break;
		case 'b':
			p = va_arg(ap, const void *);
			sqlite3_bind_blob(st, i, p, va_arg(ap, int),
					  SQLITE_TRANSIENT);
			break;
		}
	}
	return st;
}

sqlite3_stmt *db_prepf(sqlite3 *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepf(db, sql, fmt, ap);
	va_end(ap);
	return st;
}

int db_run(sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		olog_err("db: %s: %s", sqlite3_sql(st),
			 sqlite3_errmsg(sqlite3_db_handle(st)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int db_exec(sqlite3 *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepf(db, sql, fmt, ap);
	va_end(ap);
	return db_run(st);
}

int64_t db_int(sqlite3 *db, int64_t def, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	int64_t v = def;
	va_list ap;

	va_start(ap, fmt);
	st = vprepf(db, sql, fmt, ap);
	va_end(ap);
	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_audit(sqlite3 *db, const char *action, const char *detail)
{
	return db_exec(db,
		       "INSERT INTO audit(time, action, detail) VALUES(?,?,?)",
		       "itt", (int64_t)clock_real_ns(), action, detail);
}

/* The current row's columns into the pointers @ap holds, by @fmt (see db_row). */
static void vcols(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	char *buf;
	int c;

	for (c = 0; fmt[c]; c++) {
		switch (fmt[c]) {
		case 'i':
			*va_arg(ap, int64_t *) = sqlite3_column_int64(st, c);
			break;
		case 'u':
			*va_arg(ap, uint64_t *) =
				(uint64_t)sqlite3_column_int64(st, c);
			break;
		case 'w':
			*va_arg(ap, uint32_t *) =
				(uint32_t)sqlite3_column_int64(st, c);
			break;
		case 'n':
			*va_arg(ap, int *) = sqlite3_column_int(st, c);
			break;
		case 't':
			*va_arg(ap, const char **) = db_text(st, c);
			break;
		case 's':
			buf = va_arg(ap, char *);
			snprintf(buf, va_arg(ap, size_t), "%s", db_text(st, c));
			break;
		}
	}
}

int db_row(sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return 0;
	va_start(ap, fmt);
	vcols(st, fmt, ap);
	va_end(ap);
	return 1;
}

enum store_rc db_done(sqlite3_stmt *st)
{
	if (!st)
		return STORE_ERR;
	sqlite3_finalize(st);
	return STORE_OK;
}

int db_one(sqlite3_stmt *st, const char *fmt, ...)
{
	int row = sqlite3_step(st) == SQLITE_ROW;
	va_list ap;

	if (row) {
		va_start(ap, fmt);
		vcols(st, fmt, ap);
		va_end(ap);
	}
	sqlite3_finalize(st);
	return row;
}

const char *db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}
