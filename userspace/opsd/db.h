/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd state in SQLite (WAL): schema, transactions, small helpers. */
#ifndef RUP_OPSD_DB_H
#define RUP_OPSD_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* @sync_full: fsync every commit (else WAL's NORMAL: durable across a process crash). */
int db_open(sqlite3 **db, const char *path, int sync_full, char *err,
	    size_t errlen);
void db_close(sqlite3 *db);
/* One transaction per request: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);
/* Prepare; logs and returns NULL on error. */
sqlite3_stmt *db_prep(sqlite3 *db, const char *sql);
/* Run a statement with no result rows (binds already made); finalizes it. */
int db_run(sqlite3_stmt *st);
/* Single integer result of a query, or @def when no row. */
int64_t db_int(sqlite3 *db, const char *sql, int64_t def);
/* Append to the audit log of admin actions. */
int db_audit(sqlite3 *db, const char *action, const char *detail);
/* Text column as a C string ("" for NULL). */
const char *db_text(sqlite3_stmt *st, int col);

#endif
