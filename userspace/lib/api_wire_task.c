// SPDX-License-Identifier: GPL-2.0
/* API codec, the RVS's task loop: task, report, report reply (docs/API.md). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

static const char *const report_states[] = { "downloading",  "package_abnormal",
					     "distributing", "up_to_date",
					     "complete",     "partial",
					     "failed",	     NULL };
static const char *const node_states[] = { "upgraded",	     "pending",
					   "unreachable",    "failed",
					   "not_applicable", NULL };

static bool in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

bool api_report_state_ok(const char *state)
{
	return in(report_states, state);
}

bool api_report_state_final(const char *state)
{
	return in(report_states + 3, state);
}

bool api_node_state_ok(const char *state)
{
	return in(node_states, state);
}

json_t *api_task_encode(const struct api_task *m)
{
	json_t *nodes = api_string_rows((const char *)m->nodes,
					sizeof(m->nodes[0]), m->n_nodes);

	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, "
			 "s:s, s:s, s:s, s:s, s:s, s:o}",
			 "task_id", (json_int_t)m->task_id, "rollout_id",
			 (json_int_t)m->rollout_id, "region_id",
			 (json_int_t)m->region_id, "wave", (json_int_t)m->wave,
			 "state", m->state, "version", m->version, "range",
			 m->range, "summary", m->summary, "sha256", m->sha256,
			 "size", (json_int_t)m->size, "signature", m->signature,
			 "manifest", m->manifest ? m->manifest : "", "url",
			 m->url, "manifest_url", m->manifest_url,
			 "signature_url", m->signature_url, "nodes", nodes);
}

static int task_node(json_t *e, size_t i, void *item, char *err, size_t errlen)
{
	const char *s = json_string_value(e);
	char field[32];

	snprintf(field, sizeof(field), "nodes[%zu]", i);
	return api_hex(API_MSG_TASK, field, s ? s : "", API_NODE_ID_LEN, item,
		       err, errlen);
}

/* Strings of a task, all bounded. */
static int task_strings(struct api_task *m, const char *const s[9],
			const size_t len[9], char *err, size_t errlen)
{
	const char *name = API_MSG_TASK;

	return api_str(name, "state", s[0], len[0], m->state, API_STATE_LEN,
		       true, err, errlen) ||
	       api_version(name, "version", s[1], len[1], m->version, err,
			   errlen) ||
	       api_str(name, "range", s[2], len[2], m->range, RANGE_MAX_LEN,
		       false, err, errlen) ||
	       api_str(name, "summary", s[3], len[3], m->summary,
		       RELEASE_SUMMARY_MAX, false, err, errlen) ||
	       api_hex(name, "sha256", s[4], API_HEX32_LEN, m->sha256, err,
		       errlen) ||
	       api_str(name, "signature", s[5], len[5], m->signature,
		       API_SIG_LEN, true, err, errlen) ||
	       api_str(name, "url", s[6], len[6], m->url, API_URL_LEN, true,
		       err, errlen) ||
	       api_str(name, "manifest_url", s[7], len[7], m->manifest_url,
		       API_URL_LEN, true, err, errlen) ||
	       api_str(name, "signature_url", s[8], len[8], m->signature_url,
		       API_URL_LEN, true, err, errlen);
}

static int task_numbers(struct api_task *m, const json_int_t v[5], char *err,
			size_t errlen)
{
	const char *name = API_MSG_TASK;

	if (api_i64(name, "task_id", v[0], 1, &m->task_id, err, errlen) ||
	    api_i64(name, "rollout_id", v[1], 1, &m->rollout_id, err, errlen) ||
	    api_u32(name, "region_id", v[2], 0, &m->region_id, err, errlen) ||
	    api_u32(name, "wave", v[3], 0, &m->wave, err, errlen) ||
	    api_uint(name, "size", v[4], 0, RELEASE_SIZE_MAX, &m->size, err,
		     errlen))
		return -1;
	return 0;
}

int api_task_decode(json_t *j, struct api_task *m, char *err, size_t errlen)
{
	const char *s[9], *man;
	size_t len[9], manlen;
	json_int_t v[5];
	json_t *nodes;

	memset(m, 0, sizeof(*m));
	if (api_unpack(API_MSG_TASK, j, err, errlen,
		       "{s:I, s:I, s:I, s:I, s:s%, s:s%, s:s%, s:s%, "
		       "s:s%, s:I, s:s%, s:s%, s:s%, s:s%, s:s%, s:o}",
		       "task_id", &v[0], "rollout_id", &v[1], "region_id",
		       &v[2], "wave", &v[3], "state", &s[0], &len[0], "version",
		       &s[1], &len[1], "range", &s[2], &len[2], "summary",
		       &s[3], &len[3], "sha256", &s[4], &len[4], "size", &v[4],
		       "signature", &s[5], &len[5], "manifest", &man, &manlen,
		       "url", &s[6], &len[6], "manifest_url", &s[7], &len[7],
		       "signature_url", &s[8], &len[8], "nodes", &nodes))
		return -1;
	if (!json_is_array(nodes))
		return api_fail(err, errlen, API_MSG_TASK,
				"nodes: must be an array of node ids");
	if (task_numbers(m, v, err, errlen) ||
	    task_strings(m, s, len, err, errlen))
		return -1;
	if (!manlen || manlen > API_MANIFEST_B64_LEN || strlen(man) != manlen)
		return api_fail(err, errlen, API_MSG_TASK,
				"manifest: must be base64 of at most %d bytes",
				RELEASE_MANIFEST_MAX);
	m->manifest = strdup(man);
	if (!m->manifest)
		return api_fail(err, errlen, API_MSG_TASK, "out of memory");
	if (api_items(API_MSG_TASK, nodes, sizeof(*m->nodes), task_node,
		      &m->nodes, &m->n_nodes, err, errlen)) {
		api_task_free(m);
		return -1;
	}
	return 0;
}

void api_task_free(struct api_task *m)
{
	free(m->manifest);
	free(m->nodes);
	m->manifest = NULL;
	m->nodes = NULL;
	m->n_nodes = 0;
}
