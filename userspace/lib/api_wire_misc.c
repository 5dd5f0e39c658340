// SPDX-License-Identifier: GPL-2.0
/* API codec: the small admin replies and the error body (docs/API.md). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

json_t *api_cancelled_encode(const struct api_cancelled *m)
{
	return json_pack("{s:I, s:s, s:I}", "rollout_id",
			 (json_int_t)m->rollout_id, "state", m->state,
			 "cancelled_tasks", (json_int_t)m->cancelled_tasks);
}

int api_cancelled_decode(json_t *j, struct api_cancelled *m, char *err,
			 size_t errlen)
{
	const char *name = API_MSG_CANCELLED, *state;
	json_int_t id, n;
	size_t slen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:s%, s:I}", "rollout_id",
		       &id, "state", &state, &slen, "cancelled_tasks", &n))
		return -1;
	if (api_i64(name, "rollout_id", id, 1, &m->rollout_id, err, errlen) ||
	    api_u32(name, "cancelled_tasks", n, 0, &m->cancelled_tasks, err,
		    errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen))
		return -1;
	return 0;
}

static int action(const char *name, const char *s, char *out, char *err,
		  size_t errlen)
{
	if (strcmp(s, "stage") && strcmp(s, "promote"))
		return api_fail(err, errlen, name,
				"action: '%.20s' is not stage or promote", s);
	strcpy(out, s); /* at most "promote" */
	return 0;
}

json_t *api_key_action_encode(const struct api_key_action *m)
{
	return json_pack("{s:s}", "action", m->action);
}

int api_key_action_decode(json_t *j, struct api_key_action *m, char *err,
			  size_t errlen)
{
	const char *s;

	memset(m, 0, sizeof(*m));
	if (api_unpack(API_MSG_KEY_ACTION, j, err, errlen, "{s:s}", "action",
		       &s))
		return -1;
	return action(API_MSG_KEY_ACTION, s, m->action, err, errlen);
}

json_t *api_key_done_encode(const struct api_key_done *m)
{
	return json_pack("{s:I, s:s, s:b}", "region_id",
			 (json_int_t)m->region_id, "action", m->action,
			 "next_key_staged", m->next_key_staged);
}

int api_key_done_decode(json_t *j, struct api_key_done *m, char *err,
			size_t errlen)
{
	const char *name = API_MSG_KEY_DONE, *s;
	json_int_t region;
	int staged;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:s, s:b}", "region_id",
		       &region, "action", &s, "next_key_staged", &staged))
		return -1;
	if (api_u32(name, "region_id", region, 0, &m->region_id, err, errlen) ||
	    action(name, s, m->action, err, errlen))
		return -1;
	m->next_key_staged = staged;
	return 0;
}

json_t *api_node_removed_encode(const struct api_node_removed *m)
{
	return json_pack("{s:s, s:I, s:b}", "node_id", m->node_id, "region_id",
			 (json_int_t)m->region_id, "removed", m->removed);
}

int api_node_removed_decode(json_t *j, struct api_node_removed *m, char *err,
			    size_t errlen)
{
	const char *name = API_MSG_NODE_REMOVED, *id;
	json_int_t region;
	int removed;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:s, s:I, s:b}", "node_id", &id,
		       "region_id", &region, "removed", &removed))
		return -1;
	if (api_hex(name, "node_id", id, API_NODE_ID_LEN, m->node_id, err,
		    errlen) ||
	    api_u32(name, "region_id", region, 0, &m->region_id, err, errlen))
		return -1;
	m->removed = removed;
	return 0;
}

json_t *api_error_encode(const char *message)
{
	return json_pack("{s:s}", "error", message);
}

int api_error_decode(json_t *j, struct api_error *m, char *err, size_t errlen)
{
	const char *s;
	size_t len;

	memset(m, 0, sizeof(*m));
	if (api_unpack(API_MSG_ERROR, j, err, errlen, "{s:s%}", "error", &s,
		       &len))
		return -1;
	/* A long server message is cut, not refused: it is only shown. */
	snprintf(m->error, sizeof(m->error), "%s", s);
	(void)len;
	return 0;
}
