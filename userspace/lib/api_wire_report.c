// SPDX-License-Identifier: GPL-2.0
/* API codec: an RVS's report and its reply (docs/API.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

json_t *api_report_encode(const struct api_report *m)
{
	json_t *nodes, *j = json_pack("{s:I, s:I, s:s}", "task_id",
				      (json_int_t)m->task_id, "term",
				      (json_int_t)m->term, "state", m->state);
	size_t i;

	if (j && m->reason[0])
		json_object_set_new(j, "reason", json_string(m->reason));
	if (!j || !m->has_nodes)
		return j;
	nodes = json_array();
	for (i = 0; nodes && i < m->n_nodes; i++) {
		const struct api_report_node *n = &m->nodes[i];
		json_t *o = json_pack("{s:s, s:s}", "node_id", n->node_id,
				      "state", n->state);

		if (o && n->version[0])
			json_object_set_new(o, "version",
					    json_string(n->version));
		json_array_append_new(nodes, o);
	}
	if (!nodes || json_object_set_new(j, "nodes", nodes)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* A node's version: printable text (a node may beacon a non-SemVer one). */
static int printable(const char *s, const char *field, char *err, size_t errlen)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return api_fail(
				err, errlen, API_MSG_REPORT,
				"%s: version has unprintable characters",
				field);
	return 0;
}

static int report_node(json_t *e, size_t i, void *item, char *err,
		       size_t errlen)
{
	struct api_report_node *n = item;
	const char *id, *state, *ver = "";
	size_t slen, vlen = 0;
	char field[40], f2[64];

	snprintf(field, sizeof(field), "nodes[%zu]", i);
	snprintf(f2, sizeof(f2), "%s: %s", API_MSG_REPORT, field);
	if (api_unpack(f2, e, err, errlen, "{s:s, s:s%, s?s%}", "node_id", &id,
		       "state", &state, &slen, "version", &ver, &vlen))
		return -1;
	snprintf(f2, sizeof(f2), "%s.node_id", field);
	if (api_hex(API_MSG_REPORT, f2, id, API_NODE_ID_LEN, n->node_id, err,
		    errlen))
		return -1;
	snprintf(f2, sizeof(f2), "%s.version", field);
	if (api_str(API_MSG_REPORT, f2, ver, vlen, n->version, SEMVER_MAX_LEN,
		    false, err, errlen) ||
	    printable(n->version, field, err, errlen))
		return -1;
	if (slen > API_STATE_LEN || !api_node_state_ok(state))
		return api_fail(err, errlen, API_MSG_REPORT,
				"%s: state '%.32s' is not one of upgraded, "
				"pending, unreachable, failed, not_applicable",
				field, state);
	memcpy(n->state, state, slen + 1);
	return 0;
}

static int report_nodes(json_t *a, struct api_report *m, char *err,
			size_t errlen)
{
	size_t n = json_array_size(a);

	if (!json_is_array(a) || n > API_REPORT_NODES_MAX)
		return api_fail(err, errlen, API_MSG_REPORT,
				"nodes: must be an array of at most %d nodes",
				API_REPORT_NODES_MAX);
	m->has_nodes = true;
	return api_items(API_MSG_REPORT, a, sizeof(*m->nodes), report_node,
			 &m->nodes, &m->n_nodes, err, errlen);
}

int api_report_decode(json_t *j, struct api_report *m, char *err, size_t errlen)
{
	const char *name = API_MSG_REPORT, *state, *reason = "";
	size_t slen, rlen = 0;
	json_int_t task, term;
	json_t *nodes = NULL;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:I, s:s%, s?s%, s?o}",
		       "task_id", &task, "term", &term, "state", &state, &slen,
		       "reason", &reason, &rlen, "nodes", &nodes))
		return -1;
	if (api_i64(name, "task_id", task, 1, &m->task_id, err, errlen) ||
	    api_uint(name, "term", term, 0, INT64_MAX, &m->term, err, errlen) ||
	    api_str(name, "reason", reason, rlen, m->reason, API_REASON_LEN,
		    false, err, errlen))
		return -1;
	if (slen > API_STATE_LEN || !api_report_state_ok(state))
		return api_fail(err, errlen, name,
				"state: '%.32s' is not one of up_to_date, "
				"downloading, package_abnormal, distributing, "
				"complete, partial, failed",
				state);
	memcpy(m->state, state, slen + 1);
	if ((!strcmp(state, "package_abnormal") || !strcmp(state, "failed")) &&
	    !m->reason[0])
		return api_fail(err, errlen, name,
				"reason: required with state %s", m->state);
	if (nodes && report_nodes(nodes, m, err, errlen)) {
		api_report_free(m);
		return -1;
	}
	return 0;
}

void api_report_free(struct api_report *m)
{
	API_FREE_ARRAY(m->nodes, m->n_nodes);
}

json_t *api_reported_encode(const struct api_reported *m)
{
	return json_pack("{s:I, s:s, s:b}", "task_id", (json_int_t)m->task_id,
			 "state", m->state, "final", m->final);
}

int api_reported_decode(json_t *j, struct api_reported *m, char *err,
			size_t errlen)
{
	const char *name = API_MSG_REPORTED, *state;
	json_int_t task;
	size_t slen;
	int final;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:s%, s:b}", "task_id",
		       &task, "state", &state, &slen, "final", &final))
		return -1;
	if (api_i64(name, "task_id", task, 1, &m->task_id, err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen))
		return -1;
	m->final = final;
	return 0;
}
