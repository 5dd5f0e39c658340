// SPDX-License-Identifier: GPL-2.0
/* rup-opsd tasks: lookups and the task document handed to an RVS. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
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

int task_report_accepted(const char *cur, const char *state, int *late)
{
	/*
	 * After a partial end the RVS keeps offering the package (docs/API.md),
	 * so a node that comes back still upgrades; later partial/complete
	 * reports of such a task keep the node versions current. Anything else
	 * final is closed.
	 */
	*late = !strcmp(cur, "partial") &&
		(!strcmp(state, "partial") || !strcmp(state, "complete"));
	return !((task_state_is_final(cur) && !*late) ||
		 !strcmp(cur, "cancelled") || !strcmp(cur, "waiting"));
}

static json_t *b64(const void *buf, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	json_t *j;

	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	j = json_string(out);
	free(out);
	return j;
}

static void set_url(json_t *j, const char *key, const char *base,
		    const char *version, const char *what)
{
	char url[1024];

	snprintf(url, sizeof(url), "%s/api/v1/releases/%s/%s", base, version,
		 what);
	json_object_set_new(j, key, json_string(url));
}

json_t *task_json(const struct store_task *t, const char *base)
{
	json_t *j, *nodes = json_array();
	size_t i;

	j = json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:o}",
		      "task_id", (json_int_t)t->id, "rollout_id",
		      (json_int_t)t->rollout, "region_id",
		      (json_int_t)t->region, "wave", (json_int_t)t->wave,
		      "state", t->state, "version", t->version, "range",
		      t->range, "summary", t->summary, "sha256", t->sha256,
		      "size", (json_int_t)t->size, "signature", t->signature,
		      "manifest", b64(t->manifest, t->manifest_len));
	if (!j || !nodes) {
		json_decref(j);
		json_decref(nodes);
		return NULL;
	}
	set_url(j, "url", base, t->version, "payload");
	set_url(j, "manifest_url", base, t->version, "manifest");
	set_url(j, "signature_url", base, t->version, "signature");
	/* The region's registered nodes: one missing from the version table is unreachable. */
	for (i = 0; i < t->nnodes; i++)
		json_array_append_new(nodes, json_string(t->nodes[i]));
	json_object_set_new(j, "nodes", nodes);
	return j;
}
