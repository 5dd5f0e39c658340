// SPDX-License-Identifier: GPL-2.0
/* API codec: payload upload replies, release and audit lists (docs/API.md). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

json_t *api_upload_encode(const struct api_upload *m)
{
	if (m->done)
		return json_pack("{s:s, s:I, s:s, s:b}", "version", m->version,
				 "size", (json_int_t)m->size, "sha256",
				 m->sha256, "payload", 1);
	return json_pack("{s:s, s:I, s:I}", "version", m->version, "received",
			 (json_int_t)m->received, "size", (json_int_t)m->size);
}

int api_upload_decode(json_t *j, struct api_upload *m, char *err, size_t errlen)
{
	const char *name = API_MSG_UPLOAD, *ver, *sha = NULL;
	json_int_t size, received = -1;
	int payload = 0;
	size_t vlen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:s%, s:I, s?I, s?s, s?b}",
		       "version", &ver, &vlen, "size", &size, "received",
		       &received, "sha256", &sha, "payload", &payload))
		return -1;
	m->done = sha && payload;
	/* Exactly one of the two shapes. */
	if (m->done == (received >= 0) || (!m->done && (sha || payload)))
		return api_fail(err, errlen, name,
				"neither a chunk nor a completed payload");
	if (api_version(name, "version", ver, vlen, m->version, err, errlen) ||
	    api_uint(name, "size", size, 0, RELEASE_SIZE_MAX, &m->size, err,
		     errlen) ||
	    (m->done && api_hex(name, "sha256", sha, API_HEX32_LEN, m->sha256,
				err, errlen)) ||
	    (!m->done && api_uint(name, "received", received, 0, m->size,
				  &m->received, err, errlen)))
		return -1;
	return 0;
}

json_t *api_list_encode(const char *name, json_t *array)
{
	return json_pack("{s:o}", name, array);
}

json_t *api_list_get(json_t *j, const char *name, char *err, size_t errlen)
{
	json_t *a;

	if (api_unpack(name, j, err, errlen, "{s:o}", name, &a))
		return NULL;
	if (!json_is_array(a)) {
		api_fail(err, errlen, name, "must be an array");
		return NULL;
	}
	return a;
}

json_t *api_release_entry_encode(const struct api_release_entry *m)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:I}", "version",
			 m->version, "range", m->range, "summary", m->summary,
			 "sha256", m->sha256, "size", (json_int_t)m->size,
			 "payload", m->payload, "created_ns",
			 (json_int_t)m->created_ns);
}

int api_release_entry_decode(json_t *j, struct api_release_entry *m, char *err,
			     size_t errlen)
{
	const char *name = API_MSG_RELEASES, *ver, *range, *sum, *sha;
	size_t vlen, rlen, slen;
	json_int_t size, created;
	int payload;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:s%, s:s%, s:s%, s:s, s:I, s:b, s:I}", "version",
		       &ver, &vlen, "range", &range, &rlen, "summary", &sum,
		       &slen, "sha256", &sha, "size", &size, "payload",
		       &payload, "created_ns", &created))
		return -1;
	if (api_version(name, "version", ver, vlen, m->version, err, errlen) ||
	    api_str(name, "range", range, rlen, m->range, RANGE_MAX_LEN, false,
		    err, errlen) ||
	    api_str(name, "summary", sum, slen, m->summary, RELEASE_SUMMARY_MAX,
		    false, err, errlen) ||
	    api_hex(name, "sha256", sha, API_HEX32_LEN, m->sha256, err,
		    errlen) ||
	    api_uint(name, "size", size, 0, RELEASE_SIZE_MAX, &m->size, err,
		     errlen) ||
	    api_uint(name, "created_ns", created, 0, INT64_MAX, &m->created_ns,
		     err, errlen))
		return -1;
	m->payload = payload;
	return 0;
}

json_t *api_audit_entry_encode(const struct api_audit_entry *m)
{
	return json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)m->id,
			 "time_ns", (json_int_t)m->time_ns, "action", m->action,
			 "detail", m->detail);
}

int api_audit_entry_decode(json_t *j, struct api_audit_entry *m, char *err,
			   size_t errlen)
{
	const char *name = API_MSG_AUDIT, *action, *detail;
	size_t alen, dlen;
	json_int_t id, t;
	uint64_t v;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:I, s:s%, s:s%}", "id",
		       &id, "time_ns", &t, "action", &action, &alen, "detail",
		       &detail, &dlen))
		return -1;
	if (api_uint(name, "id", id, 1, INT64_MAX, &v, err, errlen) ||
	    api_uint(name, "time_ns", t, 0, INT64_MAX, &m->time_ns, err,
		     errlen) ||
	    api_str(name, "action", action, alen, m->action, API_STATE_LEN,
		    true, err, errlen) ||
	    api_str(name, "detail", detail, dlen, m->detail, API_ERROR_LEN,
		    false, err, errlen))
		return -1;
	m->id = (int64_t)v;
	return 0;
}
