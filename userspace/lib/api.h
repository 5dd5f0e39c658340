/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ops server's HTTPS API messages (docs/API.md) as C structs, encoded
 * and decoded in one place with jansson. Server (rup-opsd) and clients (the
 * agent, rupctl ops) use the same code, so the field names and types on the
 * wire are written down once.
 *
 * Decoding: api_X_decode(json, &msg, err, errlen) unpacks with
 * json_unpack_ex(JSON_STRICT): a missing field, a field of the wrong type
 * and any unknown field are refused without hand-written checks; then
 * lengths and ranges are checked (node ids 32 hex digits, stored lower
 * case; keys and tokens 64 hex digits; versions SemVer; URLs bounded).
 * On failure it returns -1 and @err reads "NAME: DETAIL", NAME being the
 * message (API_MSG_*, e.g. "register") and DETAIL naming the field:
 *	"register: score: -5 is outside [0, 4294967295]"
 *	"register: evil: unknown field"
 *	"task: size: Expected integer, got string"   (jansson's text)
 *	"report: Object item not found: state"
 * so a server answers 400 with @err as it is. The checks after the unpack
 * keep opsd's words, which tests/host/opsd-badinput.sh looks for.
 * The register reply is also held to fleet_timing_check() (fleet.h) and
 * its group must be IPv4 multicast: what the kernel will accept.
 *
 * Encoding: api_X_encode(&msg) returns a new json_t (NULL when out of
 * memory) with exactly the fields docs/API.md lists; optional fields are
 * left out when empty as today's programs do.
 *
 * Messages with arrays of unbounded length (task nodes, report nodes,
 * rollout regions) hold malloc()ed arrays: api_X_free() releases them.
 * Load a body with JSON_REJECT_DUPLICATES (docs/API.md: duplicate keys are
 * a 400): api_load() does that for clients.
 *
 * Server (opsd), a request:
 *	struct api_register rq;
 *	if (api_register_decode(body, &rq, err, sizeof(err)))
 *		return http_error(req, 400, "%s", err);
 * and its reply:
 *	struct api_registered rp = { ... };
 *	http_json(req, 201, api_registered_encode(&rp));
 * Client (agent), the reverse:
 *	json_t *j = api_load(buf, len, API_MSG_REGISTERED, err, sizeof(err));
 *	struct api_registered rp;
 *	if (!j || api_registered_decode(j, &rp, err, sizeof(err))) ...
 * Decoded structs hold copies: the json_t may be freed right after (except
 * the borrowed arrays of the status and list helpers).
 */
#ifndef RUP_API_H
#define RUP_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "release.h"
#include "semver.h"

/* Message names: the NAME of errors. */
#define API_MSG_REGISTER "register"
#define API_MSG_REGISTERED "register reply"
#define API_MSG_TASK "task"
#define API_MSG_REPORT "report"
#define API_MSG_REPORTED "report reply"
#define API_MSG_KEYS "keys"
#define API_MSG_RELEASE "release"
#define API_MSG_RELEASED "release reply"
#define API_MSG_ROLLOUT "rollout"
#define API_MSG_ROLLED "rollout reply"
#define API_MSG_CANCELLED "cancel reply"
#define API_MSG_KEY_ACTION "key"
#define API_MSG_KEY_DONE "key reply"
#define API_MSG_NODE_REMOVED "remove reply"
#define API_MSG_ERROR "error reply"
#define API_MSG_UPLOAD "payload reply"
#define API_MSG_RELEASES "releases"
#define API_MSG_AUDIT "audit"
#define API_MSG_STATUS "status"

/* Bounds (text lengths without the NUL). */
#define API_NODE_ID_LEN 32 /* hex digits of a 16-byte node id */
#define API_HEX32_LEN 64 /* a key, node token or SHA-256 in hex */
#define API_ADDRESSES_MAX 16
#define API_ADDRESS_LEN 45 /* INET6_ADDRSTRLEN - 1 */
#define API_GROUP_LEN 15 /* dotted IPv4 */
#define API_STATE_LEN 31
#define API_REASON_LEN 255
#define API_URL_LEN 1023
#define API_SIG_LEN (RELEASE_SIG_B64_LEN + 4) /* opsd trims blanks */
#define API_MANIFEST_B64_LEN (4 * ((RELEASE_MANIFEST_MAX + 2) / 3))
#define API_REPORT_NODES_MAX 100000
#define API_ERROR_LEN 1023

typedef char api_node_id[API_NODE_ID_LEN + 1];
typedef char api_hex32[API_HEX32_LEN + 1];

/* POST /api/v1/register */
struct api_register {
	api_node_id node_id;
	uint32_t score;
	char version[SEMVER_MAX_LEN + 1];
	size_t n_addresses; /* "addresses" left out when 0 on encode */
	char addresses[API_ADDRESSES_MAX][API_ADDRESS_LEN + 1];
};

/* Its 200/201 reply. next_key "" is JSON null. */
struct api_registered {
	api_node_id node_id;
	uint32_t region_id;
	char group[API_GROUP_LEN + 1]; /* IPv4 multicast */
	uint16_t port;
	uint32_t interval_ms, dead_ms, window_ms; /* fleet_timing_check() */
	api_hex32 key, next_key, node_token;
	uint64_t server_time_ns;
	bool is_new; /* "new" */
};

/* GET /api/v1/tasks answer (200). */
struct api_task {
	int64_t task_id, rollout_id;
	uint32_t region_id, wave;
	char state[API_STATE_LEN + 1];
	char version[SEMVER_MAX_LEN + 1];
	char range[RANGE_MAX_LEN + 1];
	char summary[RELEASE_SUMMARY_MAX + 1];
	api_hex32 sha256;
	uint64_t size;
	char signature[API_SIG_LEN + 1];
	char *manifest; /* base64 text, malloc()ed */
	char url[API_URL_LEN + 1], manifest_url[API_URL_LEN + 1],
		signature_url[API_URL_LEN + 1];
	size_t n_nodes;
	api_node_id *nodes; /* malloc()ed */
};

/* One node of a report. version "" is left out. */
struct api_report_node {
	api_node_id node_id;
	char version[SEMVER_MAX_LEN + 1]; /* printable, maybe not SemVer */
	char state[API_STATE_LEN + 1]; /* upgraded, pending, ... */
};

/* POST /api/v1/reports. reason "" is left out; has_nodes: "nodes" sent. */
struct api_report {
	int64_t task_id;
	uint64_t term;
	char state[API_STATE_LEN + 1];
	char reason[API_REASON_LEN + 1];
	bool has_nodes;
	size_t n_nodes;
	struct api_report_node *nodes; /* malloc()ed */
};

/* Its 200 reply. */
struct api_reported {
	int64_t task_id;
	char state[API_STATE_LEN + 1];
	bool final;
};

/* GET /api/v1/keys. next_key "" is JSON null. */
struct api_keys {
	uint32_t region_id;
	api_hex32 key, next_key;
};

/* POST /api/v1/releases: manifest bytes (decoded from base64), signature. */
struct api_release {
	uint8_t *manifest; /* malloc()ed, NUL after the last byte */
	size_t manifest_len;
	char signature[API_SIG_LEN + 1];
};

/* Its 201 reply. */
struct api_released {
	char version[SEMVER_MAX_LEN + 1];
	char range[RANGE_MAX_LEN + 1];
	api_hex32 sha256;
	uint64_t size;
	bool payload;
	char key[256]; /* the trusted key file that verified it */
};

/*
 * POST /api/v1/rollouts. n_regions 0: every region with nodes, sent as
 * "regions":"all" when regions_all is set, else left out (same meaning).
 */
struct api_rollout {
	char version[SEMVER_MAX_LEN + 1];
	bool regions_all;
	size_t n_regions;
	uint32_t *regions; /* malloc()ed, no repeats */
	uint32_t wave_size; /* API_WAVE_ALL when absent */
	uint32_t failure_threshold; /* 0 when absent */
};
#define API_WAVE_ALL UINT32_MAX

/* Its 201 reply. */
struct api_rolled {
	int64_t rollout_id;
	char version[SEMVER_MAX_LEN + 1];
	size_t n_regions;
	uint32_t *regions; /* malloc()ed */
	uint32_t waves, wave_size, failure_threshold;
	char state[API_STATE_LEN + 1];
};

/* POST /api/v1/rollouts/ID/cancel reply. */
struct api_cancelled {
	int64_t rollout_id;
	char state[API_STATE_LEN + 1];
	uint32_t cancelled_tasks;
};

/* POST /api/v1/regions/ID/key: action "stage" or "promote", and reply. */
struct api_key_action {
	char action[8];
};
struct api_key_done {
	uint32_t region_id;
	char action[8];
	bool next_key_staged;
};

/* DELETE /api/v1/nodes/ID reply. */
struct api_node_removed {
	api_node_id node_id;
	uint32_t region_id;
	bool removed;
};

/*
 * PUT /api/v1/releases/V/payload replies: a chunk taken (202, "received"
 * bytes so far of "size"), or the payload complete (200, with sha256 and
 * "payload": true). api_upload_decode() takes either; done tells which.
 */
struct api_upload {
	char version[SEMVER_MAX_LEN + 1];
	bool done;
	uint64_t received; /* chunk reply only */
	uint64_t size;
	api_hex32 sha256; /* done reply only */
};

/* One entry of GET /api/v1/releases {"releases": [...]}. */
struct api_release_entry {
	char version[SEMVER_MAX_LEN + 1];
	char range[RANGE_MAX_LEN + 1];
	char summary[RELEASE_SUMMARY_MAX + 1];
	api_hex32 sha256;
	uint64_t size;
	bool payload;
	uint64_t created_ns;
};

/* One entry of GET /api/v1/audit {"audit": [...]}. */
struct api_audit_entry {
	int64_t id;
	uint64_t time_ns;
	char action[API_STATE_LEN + 1];
	char detail[API_ERROR_LEN + 1];
};

/*
 * GET /api/v1/status, level by level: each level's scalar fields in a
 * struct, its arrays as json_t (the encoder consumes them; the decoder
 * hands back borrowed references, valid while the document lives).
 * Walk: api_status_decode -> regions[i] with api_status_region_decode ->
 * members[k] with api_status_member_decode, tasks[k] with
 * api_status_task_decode; rollouts[i] with api_status_rollout_decode.
 */
struct api_status {
	uint32_t planned_nodes, max_per_region, regions, arrivals, online;
	char pool[API_GROUP_LEN + 4]; /* CIDR */
	uint16_t port;
	uint32_t nodes;
	uint64_t server_time_ns;
};
struct api_status_region {
	uint32_t region_id;
	char group[API_GROUP_LEN + 1];
	api_node_id rvs; /* "" is JSON null: no RVS yet */
	uint64_t term;
	uint32_t size;
};
struct api_status_member {
	api_node_id node_id;
	uint32_t score;
	char version[SEMVER_MAX_LEN + 1];
	size_t n_addresses;
	char addresses[API_ADDRESSES_MAX][API_ADDRESS_LEN + 1];
	char state[API_STATE_LEN + 1]; /* "" until reported */
	uint64_t registered_ns, last_seen_ns, last_report_ns;
};
struct api_status_task {
	int64_t task_id, rollout_id;
	uint32_t region_id, wave;
	char state[API_STATE_LEN + 1];
	char reason[API_REASON_LEN + 1];
	uint64_t term, updated_ns;
	char version[SEMVER_MAX_LEN + 1];
};
struct api_status_rollout {
	int64_t rollout_id;
	char version[SEMVER_MAX_LEN + 1];
	char state[API_STATE_LEN + 1];
	uint32_t wave, waves, wave_size, failure_threshold;
	uint64_t created_ns;
};

/* Any 4xx/5xx: {"error": "..."}. */
struct api_error {
	char error[API_ERROR_LEN + 1];
};

/* A JSON object from @len bytes (duplicate keys refused), or NULL and
 * @err "NAME: malformed JSON at line L: TEXT" / "NAME: not a JSON object".
 */
json_t *api_load(const char *buf, size_t len, const char *name, char *err,
		 size_t errlen);

/* State names (docs/API.md "POST /api/v1/reports"). */
bool api_report_state_ok(const char *state);
bool api_report_state_final(const char *state);
bool api_node_state_ok(const char *state);

/*
 * Each message NAME has json_t *api_NAME_encode(const struct api_NAME *m)
 * and int api_NAME_decode(json_t *j, struct api_NAME *m, char *err,
 * size_t errlen); those with arrays also void api_NAME_free(struct
 * api_NAME *m).
 */
#define API_CODEC(name)                                                     \
	json_t *api_##name##_encode(const struct api_##name *m);            \
	int api_##name##_decode(json_t *j, struct api_##name *m, char *err, \
				size_t errlen)
#define API_CODEC_FREE(name) \
	API_CODEC(name);     \
	void api_##name##_free(struct api_##name *m)

API_CODEC(register);
API_CODEC(registered);
API_CODEC_FREE(task);
API_CODEC_FREE(report);
API_CODEC(reported);
API_CODEC(keys);
API_CODEC_FREE(release);
API_CODEC(released);
API_CODEC_FREE(rollout);
API_CODEC_FREE(rolled);
API_CODEC(cancelled);
API_CODEC(key_action);
API_CODEC(key_done);
API_CODEC(node_removed);
API_CODEC(upload);

/*
 * Lists: api_list_encode(NAME, array) is {"NAME": array} (array consumed);
 * api_list_get(j, NAME, err, errlen) the array of such a reply (borrowed),
 * or NULL when the reply has another shape. Entries go one at a time.
 */
json_t *api_list_encode(const char *name, json_t *array);
json_t *api_list_get(json_t *j, const char *name, char *err, size_t errlen);
API_CODEC(release_entry);
API_CODEC(audit_entry);
json_t *api_status_encode(const struct api_status *m, json_t *regions,
			  json_t *rollouts);
int api_status_decode(json_t *j, struct api_status *m, json_t **regions,
		      json_t **rollouts, char *err, size_t errlen);
json_t *api_status_region_encode(const struct api_status_region *m,
				 json_t *members, json_t *tasks);
int api_status_region_decode(json_t *j, struct api_status_region *m,
			     json_t **members, json_t **tasks, char *err,
			     size_t errlen);
API_CODEC(status_member);
API_CODEC(status_task);
/* task_states: {"STATE": count, ...} (an object, checked). */
json_t *api_status_rollout_encode(const struct api_status_rollout *m,
				  json_t *task_states, json_t *tasks);
int api_status_rollout_decode(json_t *j, struct api_status_rollout *m,
			      json_t **task_states, json_t **tasks, char *err,
			      size_t errlen);
json_t *api_error_encode(const char *message);
int api_error_decode(json_t *j, struct api_error *m, char *err, size_t errlen);

#endif
