// SPDX-License-Identifier: GPL-2.0
/* rup-opsd tasks: lookups and the task document handed to an RVS. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "opsd.h"
#include "task.h"

static const char *const report_states[] = {
	"up_to_date", "downloading", "package_abnormal", "distributing",
	"complete",   "partial",     "failed",		 NULL,
};
static const char *const final_states[] = { "up_to_date", "complete", "partial",
					    "failed", NULL };

static int in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

int task_state_is_report(const char *s)
{
	return in(s, report_states);
}

int task_state_is_final(const char *s)
{
	return in(s, final_states);
}

int64_t task_open_for_region(struct opsd *o, uint32_t region)
{
	sqlite3_stmt *st = db_prep(
		o->db,
		"SELECT id FROM tasks WHERE region = ? AND state IN "
		"('open','downloading','distributing','package_abnormal') "
		"ORDER BY id LIMIT 1");
	int64_t id = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, region);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		id = -1;
	sqlite3_finalize(st);
	return id;
}

static json_t *b64(const void *buf, int len)
{
	char *out = malloc((size_t)(4 * ((len + 2) / 3) + 1));
	json_t *j;

	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, buf, len);
	j = json_string(out);
	free(out);
	return j;
}

json_t *task_json(struct opsd *o, int64_t task)
{
	sqlite3_stmt *st = db_prep(
		o->db,
		"SELECT t.id, t.rollout, t.region, t.wave, t.state, r.version, r.range, "
		"r.summary, r.sha256, r.size, r.signature, r.manifest "
		"FROM tasks t JOIN rollouts ro ON ro.id = t.rollout "
		"JOIN releases r ON r.version = ro.version WHERE t.id = ?");
	json_t *j = NULL, *nodes;
	const char *base = o->cfg.public_url;
	char url[1024];

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, task);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	j = json_object();
	json_object_set_new(j, "task_id",
			    json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(j, "rollout_id",
			    json_integer(sqlite3_column_int64(st, 1)));
	json_object_set_new(j, "region_id",
			    json_integer(sqlite3_column_int64(st, 2)));
	json_object_set_new(j, "wave",
			    json_integer(sqlite3_column_int64(st, 3)));
	json_object_set_new(j, "state", json_string(db_text(st, 4)));
	json_object_set_new(j, "version", json_string(db_text(st, 5)));
	json_object_set_new(j, "range", json_string(db_text(st, 6)));
	json_object_set_new(j, "summary", json_string(db_text(st, 7)));
	json_object_set_new(j, "sha256", json_string(db_text(st, 8)));
	json_object_set_new(j, "size",
			    json_integer(sqlite3_column_int64(st, 9)));
	json_object_set_new(j, "signature", json_string(db_text(st, 10)));
	json_object_set_new(j, "manifest",
			    b64(sqlite3_column_blob(st, 11),
				sqlite3_column_bytes(st, 11)));
	snprintf(url, sizeof(url), "%s/api/v1/releases/%s/payload", base,
		 db_text(st, 5));
	json_object_set_new(j, "url", json_string(url));
	snprintf(url, sizeof(url), "%s/api/v1/releases/%s/manifest", base,
		 db_text(st, 5));
	json_object_set_new(j, "manifest_url", json_string(url));
	snprintf(url, sizeof(url), "%s/api/v1/releases/%s/signature", base,
		 db_text(st, 5));
	json_object_set_new(j, "signature_url", json_string(url));
	sqlite3_finalize(st);

	/* The region's registered nodes: one missing from the version table is unreachable. */
	nodes = json_array();
	st = db_prep(
		o->db,
		"SELECT id FROM nodes WHERE region = (SELECT region FROM tasks "
		"WHERE id = ?) ORDER BY id");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, task);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(nodes, json_string(db_text(st, 0)));
	json_object_set_new(j, "nodes", nodes);
out:
	sqlite3_finalize(st);
	return j;
fail:
	json_decref(nodes);
	json_decref(j);
	return NULL;
}
