/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd store on SQLite (WAL): the helpers its files share, nothing outside them. */
#ifndef RUP_OPSD_STORE_SQLITE_H
#define RUP_OPSD_STORE_SQLITE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct store {
	sqlite3 *db;
};

/* One transaction per operation: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);
/* Roll back unless @rc is STORE_OK, then commit; the operation's result. */
enum store_rc db_end(sqlite3 *db, enum store_rc rc);
/* Prepare; logs and returns NULL on error. */
sqlite3_stmt *db_prep(sqlite3 *db, const char *sql);
/* Bind by a format: i int64, t text, b blob (pointer then int length). */
sqlite3_stmt *db_prepf(sqlite3 *db, const char *sql, const char *fmt, ...);
/* Run a statement with no result rows (binds already made); finalizes it. */
int db_run(sqlite3_stmt *st);
/* db_prepf then db_run. */
int db_exec(sqlite3 *db, const char *sql, const char *fmt, ...);
/* Single integer result of a query (db_prepf binds), or @def when no row. */
int64_t db_int(sqlite3 *db, int64_t def, const char *sql, const char *fmt, ...);
/* Append to the audit log of admin actions. */
int db_audit(sqlite3 *db, const char *action, const char *detail);
/* Text column as a C string ("" for NULL). */
const char *db_text(sqlite3_stmt *st, int col);
/*
 * Step @st to its next row and store the row's columns by @fmt in the
 * pointers that follow: i int64_t, u uint64_t, w uint32_t, n int,
 * t const char * (db_text, valid until the next step), s a char buffer then
 * its size_t size (copied). 1 on a row; 0 at the end, or when @st is NULL.
 */
int db_row(sqlite3_stmt *st, const char *fmt, ...);
/* After the db_row loop: finalizes @st; STORE_ERR when it was NULL (not prepared). */
enum store_rc db_done(sqlite3_stmt *st);
/* The first row only, as db_row, then finalizes @st; 1 when there was a row. */
int db_one(sqlite3_stmt *st, const char *fmt, ...);
/* Fencing: claim @c inside a transaction (store_sqlite_nodes.c). */
enum store_rc db_claim(sqlite3 *db, struct store_claim *c);
/* The assignment rows @sv names, inside a transaction (store_sqlite_assign.c). */
int db_assign_save(sqlite3 *db, const struct store_assign_save *sv, char *err,
		   size_t errlen);
/* The rollout's wave progression after a task went final (store_sqlite_tasks.c). */
int db_rollout_advance(sqlite3 *db, int64_t rollout);

#endif
