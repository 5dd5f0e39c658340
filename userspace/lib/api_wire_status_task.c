// SPDX-License-Identifier: GPL-2.0
/* API codec: the tasks and rollouts of GET /api/v1/status (docs/API.md). */
#include <string.h>

#include "api.h"
#include "api_check.h"

json_t *api_status_task_encode(const struct api_status_task *m)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:s}",
			 "task_id", (json_int_t)m->task_id, "rollout_id",
			 (json_int_t)m->rollout_id, "region_id",
			 (json_int_t)m->region_id, "wave", (json_int_t)m->wave,
			 "state", m->state, "reason", m->reason, "term",
			 (json_int_t)m->term, "updated_ns",
			 (json_int_t)m->updated_ns, "version", m->version);
}

/* Integers of a status task or rollout, each within [min, max]. */
struct num {
	const char *name;
	json_int_t v;
	uint64_t min, max, *out;
};

static int nums(struct num *n, size_t count, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (api_uint(API_MSG_STATUS, n[i].name, n[i].v, n[i].min,
			     n[i].max, n[i].out, err, errlen))
			return -1;
	return 0;
}

int api_status_task_decode(json_t *j, struct api_status_task *m, char *err,
			   size_t errlen)
{
	const char *state, *reason, *ver, *name = API_MSG_STATUS;
	size_t slen, rlen, vlen;
	uint64_t u[6];
	struct num n[] = {
		{ "task_id", 0, 1, INT64_MAX, &u[0] },
		{ "rollout_id", 0, 1, INT64_MAX, &u[1] },
		{ "region_id", 0, 0, UINT32_MAX, &u[2] },
		{ "wave", 0, 0, UINT32_MAX, &u[3] },
		{ "term", 0, 0, INT64_MAX, &u[4] },
		{ "updated_ns", 0, 0, INT64_MAX, &u[5] },
	};

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:I, s:I, s:I, s:I, s:s%, s:s%, s:I, s:I, s:s%}",
		       "task_id", &n[0].v, "rollout_id", &n[1].v, "region_id",
		       &n[2].v, "wave", &n[3].v, "state", &state, &slen,
		       "reason", &reason, &rlen, "term", &n[4].v, "updated_ns",
		       &n[5].v, "version", &ver, &vlen))
		return -1;
	if (nums(n, 6, err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen) ||
	    api_str(name, "reason", reason, rlen, m->reason, API_REASON_LEN,
		    false, err, errlen) ||
	    api_str(name, "version", ver, vlen, m->version, SEMVER_MAX_LEN,
		    true, err, errlen))
		return -1;
	m->task_id = (int64_t)u[0];
	m->rollout_id = (int64_t)u[1];
	m->region_id = (uint32_t)u[2];
	m->wave = (uint32_t)u[3];
	m->term = u[4];
	m->updated_ns = u[5];
	return 0;
}

json_t *api_status_rollout_encode(const struct api_status_rollout *m,
				  json_t *task_states, json_t *tasks)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
			 "rollout_id", (json_int_t)m->rollout_id, "version",
			 m->version, "state", m->state, "wave",
			 (json_int_t)m->wave, "waves", (json_int_t)m->waves,
			 "wave_size", (json_int_t)m->wave_size,
			 "failure_threshold", (json_int_t)m->failure_threshold,
			 "created_ns", (json_int_t)m->created_ns, "task_states",
			 task_states, "tasks", tasks);
}

static int task_states_ok(json_t *o, char *err, size_t errlen)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return api_fail(err, errlen, API_MSG_STATUS,
				"task_states: must be an object");
	json_object_foreach(o, k, v) if (
		!json_is_integer(v) ||
		json_integer_value(v) <
			0) return api_fail(err, errlen, API_MSG_STATUS,
					   "task_states.%.32s: must be a count",
					   k);
	return 0;
}

int api_status_rollout_decode(json_t *j, struct api_status_rollout *m,
			      json_t **task_states, json_t **tasks, char *err,
			      size_t errlen)
{
	const char *ver, *state, *name = API_MSG_STATUS;
	size_t vlen, slen;
	uint64_t u[6];
	struct num n[] = {
		{ "rollout_id", 0, 1, INT64_MAX, &u[0] },
		{ "wave", 0, 0, UINT32_MAX, &u[1] },
		{ "waves", 0, 0, UINT32_MAX, &u[2] },
		{ "wave_size", 0, 0, UINT32_MAX, &u[3] },
		{ "failure_threshold", 0, 0, UINT32_MAX, &u[4] },
		{ "created_ns", 0, 0, INT64_MAX, &u[5] },
	};

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:I, s:s%, s:s%, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
		       "rollout_id", &n[0].v, "version", &ver, &vlen, "state",
		       &state, &slen, "wave", &n[1].v, "waves", &n[2].v,
		       "wave_size", &n[3].v, "failure_threshold", &n[4].v,
		       "created_ns", &n[5].v, "task_states", task_states,
		       "tasks", tasks))
		return -1;
	if (nums(n, 6, err, errlen) ||
	    api_str(name, "version", ver, vlen, m->version, SEMVER_MAX_LEN,
		    true, err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen) ||
	    task_states_ok(*task_states, err, errlen))
		return -1;
	if (!json_is_array(*tasks))
		return api_fail(err, errlen, name, "tasks: must be an array");
	m->rollout_id = (int64_t)u[0];
	m->wave = (uint32_t)u[1];
	m->waves = (uint32_t)u[2];
	m->wave_size = (uint32_t)u[3];
	m->failure_threshold = (uint32_t)u[4];
	m->created_ns = u[5];
	return 0;
}
