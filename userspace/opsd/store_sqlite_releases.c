// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: the release catalogue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "store_sqlite.h"

static enum store_rc do_publish(sqlite3 *db, const struct store_release *r,
				const char *audit)
{
	int64_t n = db_int(db, -1,
			   "SELECT COUNT(*) FROM releases WHERE version = ?",
			   "t", r->version);

	if (n)
		return n < 0 ? STORE_ERR : STORE_CONFLICT;
	if (db_exec(db,
		    "INSERT INTO releases(version, manifest, signature, sha256, size, "
		    "range, summary, created) VALUES(?,?,?,?,?,?,?,?)",
		    "tbttitti", r->version, r->manifest, (int)r->manifest_len,
		    r->signature, r->sha256, (int64_t)r->size, r->range,
		    r->summary, (int64_t)clock_real_ns()) ||
	    db_audit(db, "release_publish", audit))
		return STORE_ERR;
	return STORE_OK;
}

enum store_rc store_release_publish(struct store *s,
				    const struct store_release *in,
				    const char *audit)
{
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_publish(s->db, in, audit));
}

enum store_rc store_release_payload_stored(struct store *s, const char *version,
					   const char *audit)
{
	enum store_rc rc = STORE_OK;

	if (db_begin(s->db))
		return STORE_BUSY;
	if (db_exec(s->db, "UPDATE releases SET payload = 1 WHERE version = ?",
		    "t", version) ||
	    db_audit(s->db, "release_payload", audit))
		rc = STORE_ERR;
	return db_end(s->db, rc);
}

enum store_rc store_release_get(struct store *s, const char *version,
				struct store_release_row *out)
{
	sqlite3_stmt *st = db_prepf(
		s->db,
		"SELECT manifest, signature, size, payload FROM releases WHERE version = ?",
		"t", version);
	enum store_rc rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if (!st)
		return STORE_ERR;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->manifest_len = (size_t)sqlite3_column_bytes(st, 0);
		out->manifest = malloc(out->manifest_len + 1);
		if (out->manifest)
			memcpy(out->manifest, sqlite3_column_blob(st, 0),
			       out->manifest_len);
		snprintf(out->signature, sizeof(out->signature), "%s",
			 db_text(st, 1));
		out->size = (uint64_t)sqlite3_column_int64(st, 2);
		out->payload = sqlite3_column_int(st, 3);
		rc = out->manifest ? STORE_OK : STORE_ERR;
	}
	sqlite3_finalize(st);
	return rc;
}

void store_release_row_free(struct store_release_row *r)
{
	free(r->manifest);
	r->manifest = NULL;
}

enum store_rc store_releases_each(struct store *s, store_release_info_fn *fn,
				  void *arg)
{
	sqlite3_stmt *st = db_prep(
		s->db,
		"SELECT version, range, summary, sha256, size, payload, created "
		"FROM releases ORDER BY created");
	struct store_release_info r;

	while (db_row(st, "ttttunu", &r.version, &r.range, &r.summary,
		      &r.sha256, &r.size, &r.payload, &r.created))
		fn(arg, &r);
	return db_done(st);
}
