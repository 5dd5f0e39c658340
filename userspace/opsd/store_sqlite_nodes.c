// SPDX-License-Identifier: GPL-2.0
/* rup-opsd store on SQLite: nodes, their region's keys and term. */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "store_sqlite.h"

enum store_rc store_node_auth(struct store *s, const char *node,
			      struct store_node_auth *out)
{
	sqlite3_stmt *st = db_prepf(
		s->db, "SELECT token_hash, region FROM nodes WHERE id = ?", "t",
		node);
	enum store_rc rc = STORE_NOT_FOUND;

	if (!st)
		return STORE_ERR;
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = STORE_OK;
		out->hash_ok = sqlite3_column_bytes(st, 0) == 32;
		if (out->hash_ok)
			memcpy(out->token_hash, sqlite3_column_blob(st, 0), 32);
		out->region = (uint32_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_region_is_rvs(struct store *s, uint32_t region, const char *node)
{
	int64_t n =
		db_int(s->db, -1,
		       "SELECT COUNT(*) FROM regions WHERE id = ? AND rvs = ?",
		       "it", (int64_t)region, node);

	return n < 0 ? -1 : n > 0;
}

/* The region's group and keys; -1 unless its key has 32 bytes. */
static int region_row(sqlite3 *db, uint32_t region, char grp[32],
		      struct store_region_keys *k)
{
	sqlite3_stmt *st = db_prepf(
		db, "SELECT grp, key, next_key FROM regions WHERE id = ?", "i",
		(int64_t)region);
	int rc = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 1) == STORE_KEY_LEN) {
		if (grp)
			snprintf(grp, 32, "%s", db_text(st, 0));
		memcpy(k->key, sqlite3_column_blob(st, 1), STORE_KEY_LEN);
		k->has_next = sqlite3_column_bytes(st, 2) == STORE_KEY_LEN;
		if (k->has_next)
			memcpy(k->next_key, sqlite3_column_blob(st, 2),
			       STORE_KEY_LEN);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

enum store_rc store_region_keys(struct store *s, uint32_t region,
				struct store_region_keys *out)
{
	return region_row(s->db, region, NULL, out) ? STORE_ERR : STORE_OK;
}

/* Write the node's row; then mark it upgraded when it has its region's newest task's version. */
static int put_node(sqlite3 *db, const struct store_registration *in,
		    const struct store_registered *out)
{
	int64_t now = (int64_t)clock_real_ns();

	if (db_exec(db,
		    out->is_new ?
			    "INSERT INTO nodes(score, version, addresses, token_hash, last_seen, "
			    "region, registered, id) VALUES(?,?,?,?,?,?,?,?)" :
			    "UPDATE nodes SET score = ?, version = ?, addresses = ?, "
			    "token_hash = ?, last_seen = ?, region = ?, registered = ? WHERE id = ?",
		    "ittbiiit", (int64_t)in->score, in->version, in->addresses,
		    in->token_hash, 32, now, (int64_t)out->region, now,
		    in->node))
		return -1;
	/*
	 * A node's state is what its RVS last reported for the region's newest
	 * task. A node that registers with that task's version has it, even if
	 * no RVS reports again (the RVS that installs itself after reporting
	 * complete, a node that comes back to a task already complete) or none
	 * ever named it.
	 */
	return db_exec(
		db,
		"UPDATE nodes SET state = 'upgraded' WHERE id = ?1 "
		"AND state IS NOT 'upgraded' AND version = (SELECT ro.version FROM tasks t "
		"JOIN rollouts ro ON ro.id = t.rollout WHERE t.region = nodes.region "
		"ORDER BY t.id DESC LIMIT 1)",
		"t", in->node);
}

static enum store_rc do_register(sqlite3 *db,
				 const struct store_registration *in,
				 const struct store_assign_hook *hook,
				 struct store_registered *out, char *err,
				 size_t errlen)
{
	struct store_assign_save sv = { .size = -1 };
	int64_t region = db_int(db, -1, "SELECT region FROM nodes WHERE id = ?",
				"t", in->node);

	out->is_new = region < 0;
	out->region = (uint32_t)region;
	/* Re-registration keeps the region: only a new node goes through the assignment. */
	if (out->is_new) {
		if (hook->place(hook->arg, (uint32_t)in->score, &out->region,
				&sv, err, errlen))
			return STORE_FULL;
		if (db_assign_save(db, &sv, err, errlen))
			return STORE_ERR;
	}
	if (put_node(db, in, out) ||
	    region_row(db, out->region, out->grp, &out->keys))
		return STORE_ERR;
	return STORE_OK;
}

enum store_rc store_node_register(struct store *s,
				  const struct store_registration *in,
				  const struct store_assign_hook *hook,
				  struct store_registered *out, char *err,
				  size_t errlen)
{
	out->is_new = 0;
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_register(s->db, in, hook, out, err, errlen));
}

static enum store_rc do_remove(sqlite3 *db, const char *node,
			       const struct store_assign_hook *hook,
			       uint32_t *region)
{
	struct store_assign_save sv = { .size = -1 };
	int64_t r = db_int(db, -1, "SELECT region FROM nodes WHERE id = ?", "t",
			   node);
	char detail[128], err[128];

	if (r < 0)
		return STORE_NOT_FOUND;
	*region = (uint32_t)r;
	if (db_exec(db, "DELETE FROM nodes WHERE id = ?", "t", node) ||
	    /* A removed RVS holds no role; the term stays so old claims remain fenced. */
	    db_exec(db, "UPDATE regions SET rvs = NULL WHERE rvs = ?", "t",
		    node) ||
	    hook->remove(hook->arg, *region, &sv) ||
	    db_assign_save(db, &sv, err, sizeof(err)))
		return STORE_ERR;
	snprintf(detail, sizeof(detail), "node %s removed from region %u", node,
		 *region);
	return db_audit(db, "node_delete", detail) ? STORE_ERR : STORE_OK;
}

enum store_rc store_node_remove(struct store *s, const char *node,
				const struct store_assign_hook *hook,
				uint32_t *region)
{
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_remove(s->db, node, hook, region));
}

static enum store_rc do_rotate(sqlite3 *db, uint32_t region, const uint8_t *key,
			       const char *audit)
{
	int staged = (int)db_int(
		db, 0, "SELECT next_key IS NOT NULL FROM regions WHERE id = ?",
		"i", (int64_t)region);

	if (!!key == staged)
		return STORE_CONFLICT;
	if (key ? db_exec(db, "UPDATE regions SET next_key = ? WHERE id = ?",
			  "bi", key, STORE_KEY_LEN, (int64_t)region) :
		  db_exec(db,
			  "UPDATE regions SET key = next_key, next_key = NULL "
			  "WHERE id = ?",
			  "i", (int64_t)region))
		return STORE_ERR;
	return db_audit(db, key ? "key_stage" : "key_promote", audit) ?
		       STORE_ERR :
		       STORE_OK;
}

enum store_rc store_region_key_rotate(struct store *s, uint32_t region,
				      const uint8_t *key, const char *audit)
{
	if (db_begin(s->db))
		return STORE_BUSY;
	return db_end(s->db, do_rotate(s->db, region, key, audit));
}

enum store_rc db_claim(sqlite3 *db, struct store_claim *c)
{
	sqlite3_stmt *st = db_prepf(
		db, "SELECT term, IFNULL(rvs, '') FROM regions WHERE id = ?",
		"i", (int64_t)c->region);

	c->raised = 0;
	c->cur_term = 0;
	c->holder[0] = 0;
	if (!st)
		return STORE_ERR;
	db_one(st, "us", &c->cur_term, c->holder, sizeof(c->holder));
	if (c->term < c->cur_term || (c->term == c->cur_term && c->holder[0] &&
				      strcmp(c->holder, c->node)))
		return STORE_FENCED;
	if (c->term == c->cur_term && c->holder[0])
		return STORE_OK;
	if (db_exec(db, "UPDATE regions SET term = ?, rvs = ? WHERE id = ?",
		    "iti", (int64_t)c->term, c->node, (int64_t)c->region))
		return STORE_ERR;
	c->raised = c->term > c->cur_term;
	return STORE_OK;
}

enum store_rc store_poll(struct store *s, struct store_claim *c)
{
	enum store_rc rc;

	if (db_begin(s->db))
		return STORE_BUSY;
	rc = db_claim(s->db, c);
	/* The RVS polls often: its last_seen shows it is alive in status. */
	if (rc == STORE_OK &&
	    db_exec(s->db, "UPDATE nodes SET last_seen = ? WHERE id = ?", "it",
		    (int64_t)clock_real_ns(), c->node))
		rc = STORE_ERR;
	return db_end(s->db, rc);
}
