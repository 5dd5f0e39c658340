// SPDX-License-Identifier: GPL-2.0
/* API codec, admin side: publish a release, start a rollout (docs/API.md). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_check.h"
#include "hexb64.h"

json_t *api_release_encode(const struct api_release *m)
{
	size_t n = B64_LEN(m->manifest_len) + 1;
	char *b64 = malloc(n);
	json_t *j = NULL;

	if (b64 && !b64_to_text(m->manifest, m->manifest_len, b64, n))
		j = json_pack("{s:s, s:s}", "manifest", b64, "signature",
			      m->signature);
	free(b64);
	return j;
}

int api_release_decode(json_t *j, struct api_release *m, char *err,
		       size_t errlen)
{
	const char *name = API_MSG_RELEASE, *man, *sig;
	size_t siglen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:s, s:s%}", "manifest", &man,
		       "signature", &sig, &siglen))
		return -1;
	if (api_str(name, "signature", sig, siglen, m->signature, API_SIG_LEN,
		    true, err, errlen))
		return -1;
	if (b64_from_text_alloc(man, RELEASE_MANIFEST_MAX, &m->manifest,
				&m->manifest_len))
		return api_fail(err, errlen, name,
				"manifest: must be the manifest file's exact "
				"bytes in base64, at most %d bytes",
				RELEASE_MANIFEST_MAX);
	return 0;
}

void api_release_free(struct api_release *m)
{
	API_FREE_ARRAY(m->manifest, m->manifest_len);
}

json_t *api_released_encode(const struct api_released *m)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:b, s:s}", "version",
			 m->version, "range", m->range, "sha256", m->sha256,
			 "size", (json_int_t)m->size, "payload", m->payload,
			 "key", m->key);
}

int api_released_decode(json_t *j, struct api_released *m, char *err,
			size_t errlen)
{
	const char *name = API_MSG_RELEASED, *ver, *range, *sha, *key;
	size_t vlen, rlen, klen;
	json_int_t size;
	int payload;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:s%, s:s%, s:s, s:I, s:b, s:s%}", "version", &ver,
		       &vlen, "range", &range, &rlen, "sha256", &sha, "size",
		       &size, "payload", &payload, "key", &key, &klen))
		return -1;
	if (api_version(name, "version", ver, vlen, m->version, err, errlen) ||
	    api_str(name, "range", range, rlen, m->range, RANGE_MAX_LEN, false,
		    err, errlen) ||
	    api_hex(name, "sha256", sha, API_HEX32_LEN, m->sha256, err,
		    errlen) ||
	    api_uint(name, "size", size, 0, RELEASE_SIZE_MAX, &m->size, err,
		     errlen) ||
	    api_str(name, "key", key, klen, m->key, sizeof(m->key) - 1, false,
		    err, errlen))
		return -1;
	m->payload = payload;
	return 0;
}

/* Region ids: u32, no repeats. */
static int read_region_ids(const char *name, json_t *a, size_t *n,
			   uint32_t **out, bool empty_ok, char *err,
			   size_t errlen)
{
	size_t i, k, len = json_array_size(a);
	char field[32];

	if (!json_is_array(a) || (!len && !empty_ok))
		return api_fail(err, errlen, name,
				"regions: must be \"all\" or a non-empty "
				"array of region ids");
	*out = calloc(len ? len : 1, sizeof(**out));
	if (!*out)
		return api_fail(err, errlen, name, "out of memory");
	for (i = 0; i < len; i++) {
		json_t *e = json_array_get(a, i);
		uint64_t v;

		snprintf(field, sizeof(field), "regions[%zu]", i);
		if (!json_is_integer(e))
			return api_fail(err, errlen, name,
					"%s: must be a region id", field);
		if (api_uint(name, field, json_integer_value(e), 0, UINT32_MAX,
			     &v, err, errlen))
			return -1;
		for (k = 0; k < i; k++)
			if ((*out)[k] == v)
				return api_fail(err, errlen, name,
						"%s: region %u listed twice",
						field, (unsigned)v);
		(*out)[i] = (uint32_t)v;
		(*n)++;
	}
	return 0;
}

/* read_region_ids(), freeing what it read when it fails. */
static int region_ids(const char *name, json_t *a, size_t *n, uint32_t **out,
		      bool empty_ok, char *err, size_t errlen)
{
	if (read_region_ids(name, a, n, out, empty_ok, err, errlen)) {
		API_FREE_ARRAY(*out, *n);
		return -1;
	}
	return 0;
}

json_t *api_rollout_encode(const struct api_rollout *m)
{
	json_t *j = json_pack("{s:s}", "version", m->version);

	if (!j)
		return NULL;
	if (m->n_regions) {
		json_object_set_new(j, "regions",
				    api_u32_array(m->regions, m->n_regions));
	} else if (m->regions_all) {
		json_object_set_new(j, "regions", json_string("all"));
	}
	if (m->wave_size != API_WAVE_ALL)
		json_object_set_new(j, "wave_size", json_integer(m->wave_size));
	if (m->failure_threshold)
		json_object_set_new(j, "failure_threshold",
				    json_integer(m->failure_threshold));
	return j;
}

int api_rollout_decode(json_t *j, struct api_rollout *m, char *err,
		       size_t errlen)
{
	const char *name = API_MSG_ROLLOUT, *ver;
	json_int_t wave = API_WAVE_ALL, thr = 0;
	json_t *regions = NULL;
	size_t vlen;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:s%, s?o, s?I, s?I}", "version",
		       &ver, &vlen, "regions", &regions, "wave_size", &wave,
		       "failure_threshold", &thr))
		return -1;
	if (api_version(name, "version", ver, vlen, m->version, err, errlen) ||
	    api_u32(name, "wave_size", wave, 1, &m->wave_size, err, errlen) ||
	    api_u32(name, "failure_threshold", thr, 0, &m->failure_threshold,
		    err, errlen))
		return -1;
	if (!regions)
		return 0;
	if (json_is_string(regions) &&
	    !strcmp(json_string_value(regions), "all")) {
		m->regions_all = true;
		return 0;
	}
	return region_ids(name, regions, &m->n_regions, &m->regions, false, err,
			  errlen);
}

void api_rollout_free(struct api_rollout *m)
{
	API_FREE_ARRAY(m->regions, m->n_regions);
}

json_t *api_rolled_encode(const struct api_rolled *m)
{
	json_t *r = api_u32_array(m->regions, m->n_regions);

	return json_pack("{s:I, s:s, s:o, s:I, s:I, s:I, s:s}", "rollout_id",
			 (json_int_t)m->rollout_id, "version", m->version,
			 "regions", r, "waves", (json_int_t)m->waves,
			 "wave_size", (json_int_t)m->wave_size,
			 "failure_threshold", (json_int_t)m->failure_threshold,
			 "state", m->state);
}

int api_rolled_decode(json_t *j, struct api_rolled *m, char *err, size_t errlen)
{
	const char *name = API_MSG_ROLLED, *ver, *state;
	json_int_t id, waves, wave, thr;
	size_t vlen, slen;
	json_t *regions;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:I, s:s%, s:o, s:I, s:I, s:I, s:s%}", "rollout_id",
		       &id, "version", &ver, &vlen, "regions", &regions,
		       "waves", &waves, "wave_size", &wave, "failure_threshold",
		       &thr, "state", &state, &slen))
		return -1;
	if (api_i64(name, "rollout_id", id, 1, &m->rollout_id, err, errlen) ||
	    api_u32(name, "waves", waves, 0, &m->waves, err, errlen) ||
	    api_u32(name, "wave_size", wave, 0, &m->wave_size, err, errlen) ||
	    api_u32(name, "failure_threshold", thr, 0, &m->failure_threshold,
		    err, errlen) ||
	    api_version(name, "version", ver, vlen, m->version, err, errlen) ||
	    api_str(name, "state", state, slen, m->state, API_STATE_LEN, true,
		    err, errlen))
		return -1;
	return region_ids(name, regions, &m->n_regions, &m->regions, true, err,
			  errlen);
}

void api_rolled_free(struct api_rolled *m)
{
	API_FREE_ARRAY(m->regions, m->n_regions);
}
