// SPDX-License-Identifier: GPL-2.0
/* API codec: GET /api/v1/status, one level at a time (docs/API.md). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

/* Each of @n integers within [0, max[i]] into out[i]. */
static int uints(const char *const names[], const json_int_t v[],
		 const uint64_t max[], uint64_t out[], size_t n, char *err,
		 size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (api_uint(API_MSG_STATUS, names[i], v[i], 0, max[i], &out[i],
			     err, errlen))
			return -1;
	return 0;
}

static int array(const char *field, json_t *a, char *err, size_t errlen)
{
	if (json_is_array(a))
		return 0;
	return api_fail(err, errlen, API_MSG_STATUS, "%s: must be an array",
			field);
}

json_t *api_status_encode(const struct api_status *m, json_t *regions,
			  json_t *rollouts)
{
	return json_pack(
		"{s:{s:I, s:I, s:I, s:I, s:I}, s:s, s:I, s:I, s:o, s:o, s:I}",
		"assignment", "planned_nodes", (json_int_t)m->planned_nodes,
		"max_per_region", (json_int_t)m->max_per_region, "regions",
		(json_int_t)m->regions, "arrivals", (json_int_t)m->arrivals,
		"online", (json_int_t)m->online, "pool", m->pool, "port",
		(json_int_t)m->port, "nodes", (json_int_t)m->nodes, "regions",
		regions, "rollouts", rollouts, "server_time_ns",
		(json_int_t)m->server_time_ns);
}

int api_status_decode(json_t *j, struct api_status *m, json_t **regions,
		      json_t **rollouts, char *err, size_t errlen)
{
	static const char *const names[] = {
		"planned_nodes", "max_per_region", "regions", "arrivals",
		"online",	 "port",	   "nodes",   "server_time_ns"
	};
	static const uint64_t max[] = { UINT32_MAX, UINT32_MAX, UINT32_MAX,
					UINT32_MAX, UINT32_MAX, 65535,
					UINT32_MAX, INT64_MAX };
	json_int_t v[8];
	uint64_t u[8];
	const char *pool;
	size_t plen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(API_MSG_STATUS, j, err, errlen,
		       "{s:{s:I, s:I, s:I, s:I, s:I}, s:s%, s:I, s:I, s:o, s:o, "
		       "s:I}",
		       "assignment", "planned_nodes", &v[0], "max_per_region",
		       &v[1], "regions", &v[2], "arrivals", &v[3], "online",
		       &v[4], "pool", &pool, &plen, "port", &v[5], "nodes",
		       &v[6], "regions", regions, "rollouts", rollouts,
		       "server_time_ns", &v[7]))
		return -1;
	if (uints(names, v, max, u, 8, err, errlen) ||
	    api_str(API_MSG_STATUS, "pool", pool, plen, m->pool,
		    sizeof(m->pool) - 1, true, err, errlen) ||
	    array("regions", *regions, err, errlen) ||
	    array("rollouts", *rollouts, err, errlen))
		return -1;
	m->planned_nodes = (uint32_t)u[0];
	m->max_per_region = (uint32_t)u[1];
	m->regions = (uint32_t)u[2];
	m->arrivals = (uint32_t)u[3];
	m->online = (uint32_t)u[4];
	m->port = (uint16_t)u[5];
	m->nodes = (uint32_t)u[6];
	m->server_time_ns = u[7];
	return 0;
}

json_t *api_status_region_encode(const struct api_status_region *m,
				 json_t *members, json_t *tasks)
{
	return json_pack("{s:I, s:s, s:o, s:I, s:I, s:o, s:o}", "region_id",
			 (json_int_t)m->region_id, "group", m->group, "rvs",
			 api_string_or_null(m->rvs), "term",
			 (json_int_t)m->term, "size", (json_int_t)m->size,
			 "members", members, "tasks", tasks);
}

int api_status_region_decode(json_t *j, struct api_status_region *m,
			     json_t **members, json_t **tasks, char *err,
			     size_t errlen)
{
	static const char *const names[] = { "region_id", "term", "size" };
	static const uint64_t max[] = { UINT32_MAX, INT64_MAX, UINT32_MAX };
	const char *grp;
	json_int_t v[3];
	uint64_t u[3];
	json_t *rvs;
	size_t glen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(API_MSG_STATUS, j, err, errlen,
		       "{s:I, s:s%, s:o, s:I, s:I, s:o, s:o}", "region_id",
		       &v[0], "group", &grp, &glen, "rvs", &rvs, "term", &v[1],
		       "size", &v[2], "members", members, "tasks", tasks))
		return -1;
	if (uints(names, v, max, u, 3, err, errlen) ||
	    api_str(API_MSG_STATUS, "group", grp, glen, m->group, API_GROUP_LEN,
		    true, err, errlen) ||
	    (!json_is_null(rvs) &&
	     api_hex(API_MSG_STATUS, "rvs",
		     json_is_string(rvs) ? json_string_value(rvs) : "",
		     API_NODE_ID_LEN, m->rvs, err, errlen)) ||
	    array("members", *members, err, errlen) ||
	    array("tasks", *tasks, err, errlen))
		return -1;
	m->region_id = (uint32_t)u[0];
	m->term = u[1];
	m->size = (uint32_t)u[2];
	return 0;
}

json_t *api_status_member_encode(const struct api_status_member *m)
{
	json_t *a = api_string_rows(m->addresses[0], sizeof(m->addresses[0]),
				    m->n_addresses);

	return json_pack("{s:s, s:I, s:s, s:o, s:s, s:I, s:I, s:I}", "node_id",
			 m->node_id, "score", (json_int_t)m->score, "version",
			 m->version, "addresses", a, "state", m->state,
			 "registered_ns", (json_int_t)m->registered_ns,
			 "last_seen_ns", (json_int_t)m->last_seen_ns,
			 "last_report_ns", (json_int_t)m->last_report_ns);
}

static int member_addresses(json_t *a, struct api_status_member *m, char *err,
			    size_t errlen)
{
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > API_ADDRESSES_MAX)
		return api_fail(err, errlen, API_MSG_STATUS,
				"addresses: must be an array of at most %d "
				"addresses",
				API_ADDRESSES_MAX);
	for (i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (!s || strlen(s) > API_ADDRESS_LEN)
			return api_fail(err, errlen, API_MSG_STATUS,
					"addresses[%zu]: not an address", i);
		snprintf(m->addresses[i], sizeof(m->addresses[i]), "%s", s);
	}
	m->n_addresses = i;
	return 0;
}

int api_status_member_decode(json_t *j, struct api_status_member *m, char *err,
			     size_t errlen)
{
	static const char *const names[] = { "score", "registered_ns",
					     "last_seen_ns", "last_report_ns" };
	static const uint64_t max[] = { UINT32_MAX, INT64_MAX, INT64_MAX,
					INT64_MAX };
	const char *id, *ver, *state, *n = API_MSG_STATUS;
	size_t vlen, slen;
	json_int_t v[4];
	uint64_t u[4];
	json_t *addrs;

	memset(m, 0, sizeof(*m));
	if (api_unpack(n, j, err, errlen,
		       "{s:s, s:I, s:s%, s:o, s:s%, s:I, s:I, s:I}", "node_id",
		       &id, "score", &v[0], "version", &ver, &vlen, "addresses",
		       &addrs, "state", &state, &slen, "registered_ns", &v[1],
		       "last_seen_ns", &v[2], "last_report_ns", &v[3]))
		return -1;
	if (api_hex(n, "node_id", id, API_NODE_ID_LEN, m->node_id, err,
		    errlen) ||
	    uints(names, v, max, u, 4, err, errlen) ||
	    api_str(n, "version", ver, vlen, m->version, SEMVER_MAX_LEN, false,
		    err, errlen) ||
	    api_str(n, "state", state, slen, m->state, API_STATE_LEN, false,
		    err, errlen) ||
	    member_addresses(addrs, m, err, errlen))
		return -1;
	m->score = (uint32_t)u[0];
	m->registered_ns = u[1];
	m->last_seen_ns = u[2];
	m->last_report_ns = u[3];
	return 0;
}
