// SPDX-License-Identifier: GPL-2.0
/* rup-opsd tasks: lookups and the task document handed to an RVS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "hexb64.h"
#include "store.h"
#include "task.h"

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
	return !((api_report_state_final(cur) && !*late) ||
		 !strcmp(cur, "cancelled") || !strcmp(cur, "waiting"));
}

const char *task_report_recorded(const char *cur, const char *state)
{
	if (!strcmp(state, "up_to_date") && !strcmp(cur, "distributing"))
		return "complete";
	return state;
}

static void set_url(char *url, const char *base, const char *version,
		    const char *what)
{
	snprintf(url, API_URL_LEN + 1, "%s/api/v1/releases/%s/%s", base,
		 version, what);
}

/* Copy @src into the codec's text field @dst (bounded by its size). */
#define COPY(dst, src) snprintf(dst, sizeof(dst), "%s", src)

json_t *task_json(const struct store_task *t, const char *base)
{
	struct api_task m = {
		.task_id = t->id,
		.rollout_id = t->rollout,
		.region_id = t->region,
		.wave = (uint32_t)t->wave,
		.size = t->size,
		/* The region's registered nodes: one missing from the version table is unreachable. */
		.n_nodes = t->nnodes,
		.nodes = t->nodes,
	};
	size_t len = B64_LEN(t->manifest_len) + 1;
	json_t *j = NULL;

	COPY(m.state, t->state);
	COPY(m.version, t->version);
	COPY(m.range, t->range);
	COPY(m.summary, t->summary);
	COPY(m.sha256, t->sha256);
	COPY(m.signature, t->signature);
	set_url(m.url, base, t->version, "payload");
	set_url(m.manifest_url, base, t->version, "manifest");
	set_url(m.signature_url, base, t->version, "signature");
	m.manifest = malloc(len);
	if (m.manifest &&
	    !b64_to_text(t->manifest, t->manifest_len, m.manifest, len))
		j = api_task_encode(&m);
	free(m.manifest);
	return j;
}
