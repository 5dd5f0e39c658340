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

int api_status_task_decode(json_t *j, struct api_status_task *m, char *err,
			   size_t errlen)
{
	const char *state, *reason, *ver, *name = API_MSG_STATUS;
	size_t slen, rlen, vlen;
	json_int_t v[6];

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:I, s:I, s:I, s:I, s:s%, s:s%, s:I, s:I, s:s%}",
		       "task_id", &v[0], "rollout_id", &v[1], "region_id",
		       &v[2], "wave", &v[3], "state", &state, &slen, "reason",
		       &reason, &rlen, "term", &v[4], "updated_ns", &v[5],
		       "version", &ver, &vlen))
		return -1;
	if (api_i64(name, "task_id", v[0], 1, &m->task_id, err, errlen) ||
	    api_i64(name, "rollout_id", v[1], 1, &m->rollout_id, err, errlen) ||
	    api_u32(name, "region_id", v[2], 0, &m->region_id, err, errlen) ||
	    api_u32(name, "wave", v[3], 0, &m->wave, err, errlen) ||
	    api_uint(name, "term", v[4], 0, INT64_MAX, &m->term, err, errlen) ||
	    api_uint(name, "updated_ns", v[5], 0, INT64_MAX, &m->updated_ns,
		     err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen) ||
	    api_str(name, "reason", reason, rlen, m->reason, API_REASON_LEN,
		    false, err, errlen) ||
	    api_str(name, "version", ver, vlen, m->version, SEMVER_MAX_LEN,
		    true, err, errlen))
		return -1;
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
	json_int_t v[6];

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:I, s:s%, s:s%, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
		       "rollout_id", &v[0], "version", &ver, &vlen, "state",
		       &state, &slen, "wave", &v[1], "waves", &v[2],
		       "wave_size", &v[3], "failure_threshold", &v[4],
		       "created_ns", &v[5], "task_states", task_states, "tasks",
		       tasks))
		return -1;
	if (api_i64(name, "rollout_id", v[0], 1, &m->rollout_id, err, errlen) ||
	    api_u32(name, "wave", v[1], 0, &m->wave, err, errlen) ||
	    api_u32(name, "waves", v[2], 0, &m->waves, err, errlen) ||
	    api_u32(name, "wave_size", v[3], 0, &m->wave_size, err, errlen) ||
	    api_u32(name, "failure_threshold", v[4], 0, &m->failure_threshold,
		    err, errlen) ||
	    api_uint(name, "created_ns", v[5], 0, INT64_MAX, &m->created_ns,
		     err, errlen) ||
	    api_str(name, "version", ver, vlen, m->version, SEMVER_MAX_LEN,
		    true, err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen) ||
	    task_states_ok(*task_states, err, errlen))
		return -1;
	if (!json_is_array(*tasks))
		return api_fail(err, errlen, name, "tasks: must be an array");
	return 0;
}
