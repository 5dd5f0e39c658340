// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the API codec (userspace/lib/api*.c). Bodies here are the
 * ones today's programs send (docs/API.md examples, opsd's replies, the
 * agent's requests): each must decode, and encoding gives the same JSON.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#include "api.h"

#define ID1 "4f1c0d6e9a8b7c6d5e4f3a2b1c0d9e8f"
#define ID2 "0a1c0d6e9a8b7c6d5e4f3a2b1c0d9e8f"
#define K64 "9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f9c0f"
#define T64 "b71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71eb71e"

static json_t *J(const char *text)
{
	char err[256];
	json_t *j = api_load(text, strlen(text), "test", err, sizeof(err));

	if (!j)
		fail_msg("%s", err);
	return j;
}

/* @j (consumed) equals the JSON @text. */
static void same(json_t *j, const char *text)
{
	json_t *want = J(text);

	if (!j || !json_equal(j, want)) {
		char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) :
			      NULL;

		fail_msg("got %s, want %s", s ? s : "NULL", text);
	}
	json_decref(want);
	json_decref(j);
}

/* @j (consumed) dumps compact to exactly @text: key order kept too. */
static void exact(json_t *j, const char *text)
{
	char *s = json_dumps(j, JSON_COMPACT);

	assert_non_null(s);
	assert_string_equal(s, text);
	free(s);
	json_decref(j);
}

typedef int (*decode_fn)(json_t *, void *, char *, size_t);
typedef void (*release_fn)(void *);

/* Decoding @text fails and the error holds @msg. */
static void refused(decode_fn fn, void *m, const char *text, const char *msg)
{
	json_t *j = J(text);
	char err[512] = "";

	if (!fn(j, m, err, sizeof(err)))
		fail_msg("accepted: %s", text);
	if (!strstr(err, msg))
		fail_msg("error \"%s\" lacks \"%s\"", err, msg);
	json_decref(j);
}

static void accepted(decode_fn fn, void *m, const char *text)
{
	json_t *j = J(text);
	char err[512] = "";

	if (fn(j, m, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	json_decref(j);
}

/* A body a decoder refuses, and what its error must hold. */
struct refusal {
	const char *text, *msg;
};

/*
 * Each of @c, up to a row with no text, is refused by @fn; @release (if
 * given) frees what a refusal left in @m.
 */
static void refused_each(decode_fn fn, void *m, release_fn release,
			 const struct refusal *c)
{
	for (; c->text; c++) {
		refused(fn, m, c->text, c->msg);
		if (release)
			release(m);
	}
}

/* @text decodes into @m with @dec, and @enc gives the same JSON back. */
#define round_trip(dec, enc, m, text)                \
	do {                                         \
		accepted((decode_fn)(dec), m, text); \
		same(enc(m), text);                  \
	} while (0)

#define REG_OK                                                                \
	"{\"node_id\":\"4F1C0D6E9A8B7C6D5E4F3A2B1C0D9E8F\",\"score\":812345," \
	"\"version\":\"1.4.2\",\"addresses\":[\"192.0.2.10\",\"2001:db8::10\"]}"

static void test_register(void **state)
{
	struct api_register m;
	decode_fn d = (decode_fn)api_register_decode;

	(void)state;
	accepted(d, &m, REG_OK);
	assert_string_equal(m.node_id, ID1); /* stored lower case */
	assert_int_equal(m.score, 812345);
	assert_int_equal(m.n_addresses, 2);
	assert_string_equal(m.addresses[1], "2001:db8::10");
	exact(api_register_encode(&m),
	      "{\"node_id\":\"" ID1 "\",\"score\":812345,\"version\":\"1.4.2\","
	      "\"addresses\":[\"192.0.2.10\",\"2001:db8::10\"]}");
	/* The agent always sends addresses, maybe empty: both decode. */
	accepted(d, &m,
		 "{\"node_id\":\"" ID1 "\",\"score\":1,\"version\":\"1.0.0\","
		 "\"addresses\":[]}");
	same(api_register_encode(&m),
	     "{\"node_id\":\"" ID1 "\",\"score\":1,\"version\":\"1.0.0\"}");
	/* The messages tests/host/opsd-badinput.sh looks for. */
	refused_each(
		d, &m, NULL,
		(const struct refusal[]){
			{ "{\"node_id\":\"xyz\",\"score\":1,\"version\":\"1.0.0\"}",
			  "register: node_id: must be 32 hex digits" },
			{ "{\"node_id\":\"" ID1
			  "\",\"score\":-5,\"version\":\"1.0.0\"}",
			  "register: score: -5 is outside" },
			{ "{\"node_id\":\"" ID1
			  "\",\"score\":1,\"version\":\"01.0.0\"}",
			  "leading zero" },
			{ "{\"node_id\":\"" ID1
			  "\",\"score\":1,\"version\":\"1.0.0\","
			  "\"addresses\":[\"300.1.1.1\"]}",
			  "register: addresses[0]: not an IPv4 or IPv6 address" },
			{ "{\"node_id\":\"" ID1
			  "\",\"score\":1,\"version\":\"1.0.0\","
			  "\"evil\":1}",
			  "register: evil: unknown field" },
			{ "{\"node_id\":\"" ID1
			  "\",\"score\":\"1\",\"version\":\"1.0.0\"}",
			  "register: score: Expected integer, got string" },
			{ "{\"node_id\":\"" ID1 "\",\"score\":1,\"version\":1}",
			  "register: version: Expected string, got integer" },
			{ "{\"node_id\":[],\"score\":1,\"version\":\"1.0.0\"}",
			  "register: node_id: Expected string, got array" },
			{ "{\"node_id\":\"" ID1 "\",\"score\":1}",
			  "register: Object item not found: version" },
			{ "{\"node_id\":\"" ID1 "\",\"score\":4294967296,"
			  "\"version\":\"1.0.0\"}",
			  "score: 4294967296 is outside [0, 4294967295]" },
			{ NULL, NULL } });
}

#define REGD(iv, dead, grp, next)                                             \
	"{\"node_id\":\"" ID1 "\",\"region_id\":3,\"group\":\"" grp "\","     \
	"\"port\":7946,\"interval_ms\":" iv ",\"dead_ms\":" dead              \
	",\"window_ms\":60000,\"key\":\"" K64 "\",\"next_key\":" next         \
	",\"node_token\":\"" T64 "\",\"server_time_ns\":1795615200123456789," \
	"\"new\":true}"

static void test_registered(void **state)
{
	struct api_registered m;
	decode_fn d = (decode_fn)api_registered_decode;

	(void)state;
	accepted(d, &m, REGD("1000", "3500", "239.192.0.3", "null"));
	assert_int_equal(m.region_id, 3);
	assert_int_equal(m.port, 7946);
	assert_int_equal(m.dead_ms, 3500);
	assert_string_equal(m.next_key, "");
	assert_true(m.is_new);
	assert_true(m.server_time_ns == 1795615200123456789ULL);
	same(api_registered_encode(&m),
	     REGD("1000", "3500", "239.192.0.3", "null"));
	/* The order opsd writes (api_register.c, the keys last). */
	exact(api_registered_encode(&m),
	      "{\"node_id\":\"" ID1
	      "\",\"region_id\":3,\"group\":\"239.192.0.3\","
	      "\"port\":7946,\"interval_ms\":1000,\"dead_ms\":3500,"
	      "\"window_ms\":60000,\"node_token\":\"" T64 "\","
	      "\"server_time_ns\":1795615200123456789,\"new\":true,"
	      "\"key\":\"" K64 "\",\"next_key\":null}");
	accepted(d, &m, REGD("1000", "3500", "239.192.0.3", "\"" T64 "\""));
	assert_string_equal(m.next_key, T64);
	refused_each(
		d, &m, NULL,
		(const struct refusal[]){
			{ REGD("1000", "900", "239.192.0.3", "null"),
			  "register reply: dead_ms (900) must exceed interval_ms (1000)" },
			{ REGD("5", "3500", "239.192.0.3", "null"),
			  "interval_ms (5) must be within 10..3600000" },
			{ REGD("1000", "3500", "192.0.2.1", "null"),
			  "group: 192.0.2.1 is not an IPv4 multicast address" },
			{ REGD("1000", "3500", "239.192.0.3", "\"abc\""),
			  "next_key: must be 64 hex digits" },
			{ NULL, NULL } });
}

#define TASK(extra)                                                                       \
	"{\"task_id\":7,\"rollout_id\":2,\"region_id\":3,\"wave\":0,"                     \
	"\"state\":\"open\",\"version\":\"2.0.0\",\"range\":\">=1.0.0,<2.0.0\","          \
	"\"summary\":\"fixes\",\"sha256\":\"" K64 "\",\"size\":150000,"                   \
	"\"signature\":\"sig==\",\"manifest\":\"eyJmb3JtYXQiOjF9\","                      \
	"\"url\":\"https://ops.example:8443/api/v1/releases/2.0.0/payload\","             \
	"\"manifest_url\":\"https://ops.example:8443/api/v1/releases/2.0.0/manifest\","   \
	"\"signature_url\":\"https://ops.example:8443/api/v1/releases/2.0.0/signature\"," \
	"\"nodes\":[\"" ID2 "\",\"" ID1 "\"]" extra "}"

static void test_task(void **state)
{
	struct api_task m;
	decode_fn d = (decode_fn)api_task_decode;

	(void)state;
	accepted(d, &m, TASK(""));
	assert_int_equal(m.task_id, 7);
	assert_int_equal(m.n_nodes, 2);
	assert_string_equal(m.nodes[1], ID1);
	assert_string_equal(m.manifest, "eyJmb3JtYXQiOjF9");
	same(api_task_encode(&m), TASK(""));
	exact(api_task_encode(&m), TASK(""));
	api_task_free(&m);
	refused(d, &m, TASK(",\"extra\":1"), "task: extra: unknown field");
	api_task_free(&m);
	refused(d, &m,
		"{\"task_id\":7,\"version\":\"2.0.0\",\"url\":\"u\","
		"\"signature\":\"s\",\"manifest\":\"m\"}",
		"task: Object item not found");
}

#define REPORT(state, reason, node_state)                                     \
	"{\"task_id\":7,\"term\":5,\"state\":\"" state "\"" reason            \
	",\"nodes\":[{\"node_id\":\"" ID2 "\",\"state\":\"" node_state "\"}," \
	"{\"node_id\":\"" ID1                                                 \
	"\",\"state\":\"upgraded\",\"version\":\"2.0.0\"}]}"

static void test_report(void **state)
{
	struct api_report m;
	decode_fn d = (decode_fn)api_report_decode;

	(void)state;
	accepted(d, &m, REPORT("distributing", "", "pending"));
	assert_int_equal(m.n_nodes, 2);
	assert_string_equal(m.nodes[0].version, "");
	assert_string_equal(m.nodes[1].version, "2.0.0");
	same(api_report_encode(&m), REPORT("distributing", "", "pending"));
	/* As the agent writes it (rvs.c, need.c): byte for byte. */
	exact(api_report_encode(&m), REPORT("distributing", "", "pending"));
	api_report_free(&m);
	accepted(d, &m,
		 REPORT("failed", ",\"reason\":\"hash_mismatch: x\"",
			"failed"));
	same(api_report_encode(&m),
	     REPORT("failed", ",\"reason\":\"hash_mismatch: x\"", "failed"));
	api_report_free(&m);
	/* No nodes: left out again. */
	round_trip(d, api_report_encode, &m,
		   "{\"task_id\":7,\"term\":0,\"state\":\"downloading\"}");
	refused_each(
		d, &m, (release_fn)api_report_free,
		(const struct refusal[]){
			{ "{\"task_id\":7,\"term\":5,\"state\":\"complete\","
			  "\"nodes\":[{\"node_id\":\"" ID1
			  "\",\"state\":\"upgraded\","
			  "\"version\":2}]}",
			  "report: nodes[0]: version: Expected string, got integer" },
			{ REPORT("exploded", "", "pending"),
			  "report: state: 'exploded' is not one of" },
			{ REPORT("failed", "", "pending"),
			  "reason: required with state failed" },
			{ REPORT("complete", "", "gone"),
			  "nodes[0]: state 'gone' is not one of upgraded" },
			{ "{\"task_id\":0,\"term\":5,\"state\":\"complete\"}",
			  "task_id: 0 is outside" },
			{ NULL, NULL } });
	assert_true(api_report_state_final("partial"));
	assert_false(api_report_state_final("distributing"));
}

static void test_keys(void **state)
{
	struct api_keys m;

	(void)state;
	round_trip(api_keys_decode, api_keys_encode, &m,
		   "{\"region_id\":3,\"key\":\"" K64 "\",\"next_key\":null}");
	refused((decode_fn)api_keys_decode, &m,
		"{\"region_id\":3,\"key\":\"" ID1 "\",\"next_key\":null}",
		"keys: key: must be 64 hex digits");
}

static void test_release(void **state)
{
	struct api_release m;
	decode_fn d = (decode_fn)api_release_decode;

	(void)state;
	round_trip(
		d, api_release_encode, &m,
		"{\"manifest\":\"eyJmb3JtYXQiOjF9\",\"signature\":\"c2ln\"}");
	assert_int_equal(m.manifest_len, 12);
	assert_string_equal((char *)m.manifest, "{\"format\":1}");
	api_release_free(&m);
	refused_each(
		d, &m, NULL,
		(const struct refusal[]){
			{ "{\"manifest\":\"not base64!\",\"signature\":\"c2ln\"}",
			  "release: manifest: must be" },
			{ "{\"manifest\":\"eyJm\"}",
			  "release: Object item not found: signature" },
			{ NULL, NULL } });
}

static void test_rollout(void **state)
{
	struct api_rollout m;
	decode_fn d = (decode_fn)api_rollout_decode;

	(void)state;
	round_trip(d, api_rollout_encode, &m,
		   "{\"version\":\"2.0.0\",\"regions\":\"all\","
		   "\"wave_size\":10,\"failure_threshold\":1}");
	assert_int_equal(m.n_regions, 0);
	assert_int_equal(m.wave_size, 10);
	assert_true(m.regions_all);
	round_trip(d, api_rollout_encode, &m, "{\"version\":\"2.0.0\"}");
	round_trip(d, api_rollout_encode, &m,
		   "{\"version\":\"2.0.0\",\"regions\":[2,0]}");
	assert_int_equal(m.n_regions, 2);
	assert_int_equal(m.wave_size, API_WAVE_ALL);
	api_rollout_free(&m);
	refused_each(
		d, &m, (release_fn)api_rollout_free,
		(const struct refusal[]){
			{ "{\"version\":\"2.0.0\",\"regions\":[1,1]}",
			  "rollout: regions[1]: region 1 listed twice" },
			{ "{\"version\":\"2.0.0\",\"wave_size\":0}",
			  "rollout: wave_size: 0 is outside" },
			{ "{\"version\":\"2.0.0\",\"regions\":[]}",
			  "regions: must be \"all\" or a non-empty array" },
			{ "{\"version\":\"2.0.0\",\"regions\":\"some\"}",
			  "regions: must be \"all\"" },
			{ NULL, NULL } });
}

typedef json_t *(*encode_fn)(const void *);

/* A reply's decoder, encoder and what frees it (or NULL). */
#define REPLY(name, release)                                                \
	(decode_fn)(api_##name##_decode), (encode_fn)(api_##name##_encode), \
		(release_fn)(release)

/* Each reply decodes, and encoding gives the same JSON back. */
static void test_small_replies(void **state)
{
	static const struct {
		decode_fn dec;
		encode_fn enc;
		release_fn release;
		const char *text;
	} replies[] = {
		{ REPLY(reported, NULL),
		  "{\"task_id\":7,\"state\":\"distributing\",\"final\":false}" },
		{ REPLY(released, NULL),
		  "{\"version\":\"2.0.0\",\"range\":\">=1.0.0,<2.0.0\","
		  "\"sha256\":\"" K64 "\",\"size\":150000,\"payload\":false,"
		  "\"key\":\"release.pub\"}" },
		{ REPLY(rolled, api_rolled_free),
		  "{\"rollout_id\":2,\"version\":\"2.0.0\",\"regions\":[0,1,2],"
		  "\"waves\":1,\"wave_size\":3,\"failure_threshold\":1,"
		  "\"state\":\"running\"}" },
		{ REPLY(cancelled, NULL),
		  "{\"rollout_id\":3,\"state\":\"cancelled\",\"cancelled_tasks\":2}" },
		{ REPLY(key_action, NULL), "{\"action\":\"stage\"}" },
		{ REPLY(key_done, NULL),
		  "{\"region_id\":0,\"action\":\"stage\",\"next_key_staged\":true}" },
		{ REPLY(node_removed, NULL),
		  "{\"node_id\":\"" ID1
		  "\",\"region_id\":1,\"removed\":true}" },
	};
	union {
		struct api_reported reported;
		struct api_released released;
		struct api_rolled rolled;
		struct api_cancelled cancelled;
		struct api_key_action key_action;
		struct api_key_done key_done;
		struct api_node_removed node_removed;
	} m;
	struct api_key_action a;
	struct api_error e;

	(void)state;
	for (size_t i = 0; i < UNIT_LEN(replies); i++) {
		accepted(replies[i].dec, &m, replies[i].text);
		same(replies[i].enc(&m), replies[i].text);
		if (replies[i].release)
			replies[i].release(&m);
	}
	refused((decode_fn)api_key_action_decode, &a, "{\"action\":\"burn\"}",
		"key: action: 'burn' is not stage or promote");
	accepted((decode_fn)api_error_decode, &e,
		 "{\"error\":\"register: evil: unknown field\"}");
	assert_string_equal(e.error, "register: evil: unknown field");
	same(api_error_encode("x"), "{\"error\":\"x\"}");
}

static void test_lists_and_upload(void **state)
{
	struct api_upload u;
	struct api_release_entry r;
	struct api_audit_entry a;
	char err[256], *text;
	json_t *j, *arr;

	(void)state;
	round_trip(
		api_upload_decode, api_upload_encode, &u,
		"{\"version\":\"2.0.0\",\"received\":8000000,\"size\":24000000}");
	assert_false(u.done);
	round_trip(api_upload_decode, api_upload_encode, &u,
		   "{\"version\":\"2.0.0\",\"size\":24000000,\"sha256\":\"" K64
		   "\",\"payload\":true}");
	assert_true(u.done);
	refused((decode_fn)api_upload_decode, &u,
		"{\"version\":\"2.0.0\",\"size\":24000000}",
		"neither a chunk nor a completed payload");
	j = J("{\"releases\":[{\"version\":\"2.0.0\",\"range\":\">=1.0.0\","
	      "\"summary\":\"\",\"sha256\":\"" K64 "\",\"size\":1,"
	      "\"payload\":true,\"created_ns\":5}]}");
	arr = api_list_get(j, "releases", err, sizeof(err));
	assert_non_null(arr);
	accepted(
		(decode_fn)api_release_entry_decode, &r,
		"{\"version\":\"2.0.0\",\"range\":\">=1.0.0\",\"summary\":\"\","
		"\"sha256\":\"" K64 "\",\"size\":1,\"payload\":true,"
		"\"created_ns\":5}");
	arr = json_array();
	json_array_append_new(arr, api_release_entry_encode(&r));
	text = json_dumps(j, 0);
	same(api_list_encode("releases", arr), text);
	free(text);
	json_decref(j);
	j = J("{\"audit\":1}");
	assert_null(api_list_get(j, "audit", err, sizeof(err)));
	assert_string_equal(err, "audit: must be an array");
	json_decref(j);
	round_trip(api_audit_entry_decode, api_audit_entry_encode, &a,
		   "{\"id\":4,\"time_ns\":1795615200123456789,"
		   "\"action\":\"node_delete\",\"detail\":\"node x removed\"}");
}

#define ST_MEMBER                                                      \
	"{\"node_id\":\"" ID2 "\",\"score\":50,\"version\":\"2.0.0\"," \
	"\"addresses\":[\"192.0.2.1\"],\"state\":\"upgraded\","        \
	"\"registered_ns\":1,\"last_seen_ns\":2,\"last_report_ns\":3}"
#define ST_TASK                                                               \
	"{\"task_id\":1,\"rollout_id\":1,\"region_id\":0,\"wave\":0,"         \
	"\"state\":\"complete\",\"reason\":\"\",\"term\":3,\"updated_ns\":1," \
	"\"version\":\"2.0.0\"}"
#define STATUS(rvs)                                                                 \
	"{\"assignment\":{\"planned_nodes\":12,\"max_per_region\":4,"               \
	"\"regions\":3,\"arrivals\":12,\"online\":12},"                             \
	"\"pool\":\"239.192.0.0/16\",\"port\":7946,\"nodes\":12,"                   \
	"\"regions\":[{\"region_id\":0,\"group\":\"239.192.0.0\",\"rvs\":" rvs      \
	",\"term\":3,\"size\":4,\"members\":[" ST_MEMBER "],"                       \
	"\"tasks\":[" ST_TASK "]}],"                                                \
	"\"rollouts\":[{\"rollout_id\":1,\"version\":\"2.0.0\",\"state\":\"done\"," \
	"\"wave\":0,\"waves\":1,\"wave_size\":3,\"failure_threshold\":0,"           \
	"\"created_ns\":1,\"task_states\":{\"complete\":3},"                        \
	"\"tasks\":[" ST_TASK "]}],\"server_time_ns\":1795615200123456789}"

/* Decode every level of @text, encode it again: the same document. */
static json_t *status_roundtrip(const char *text)
{
	struct api_status s;
	struct api_status_region r;
	struct api_status_member mb;
	struct api_status_task t;
	struct api_status_rollout ro;
	json_t *j = J(text), *regions, *rollouts, *members, *tasks, *states;
	json_t *out_regions = json_array(), *out_rollouts = json_array();
	json_t *out_members = json_array(), *out_tasks = json_array();
	char err[256];

	if (api_status_decode(j, &s, &regions, &rollouts, err, sizeof(err)) ||
	    api_status_region_decode(json_array_get(regions, 0), &r, &members,
				     &tasks, err, sizeof(err)) ||
	    api_status_member_decode(json_array_get(members, 0), &mb, err,
				     sizeof(err)) ||
	    api_status_task_decode(json_array_get(tasks, 0), &t, err,
				   sizeof(err)))
		fail_msg("%s", err);
	json_array_append_new(out_members, api_status_member_encode(&mb));
	json_array_append_new(out_tasks, api_status_task_encode(&t));
	json_array_append_new(out_regions, api_status_region_encode(
						   &r, out_members, out_tasks));
	if (api_status_rollout_decode(json_array_get(rollouts, 0), &ro, &states,
				      &tasks, err, sizeof(err)))
		fail_msg("%s", err);
	out_tasks = json_array();
	json_array_append_new(out_tasks, api_status_task_encode(&t));
	json_array_append_new(
		out_rollouts,
		api_status_rollout_encode(&ro, json_incref(states), out_tasks));
	json_decref(j);
	return api_status_encode(&s, out_regions, out_rollouts);
}

static void test_status(void **state)
{
	struct api_status_member mb;
	struct api_status_region r;
	json_t *members, *tasks;

	(void)state;
	same(status_roundtrip(STATUS("\"" ID1 "\"")), STATUS("\"" ID1 "\""));
	same(status_roundtrip(STATUS("null")), STATUS("null"));
	{
		json_t *j = J("{\"assignment\":{\"planned_nodes\":\"12\"}}"),
		       *a, *b;
		struct api_status st;
		char err[256];

		assert_int_equal(api_status_decode(j, &st, &a, &b, err,
						   sizeof(err)),
				 -1);
		assert_string_equal(
			err,
			"status: planned_nodes: Expected integer, got string");
		json_decref(j);
	}
	refused((decode_fn)api_status_member_decode, &mb,
		"{\"node_id\":\"" ID2 "\",\"score\":50,\"version\":\"2.0.0\","
		"\"addresses\":[],\"state\":\"\",\"registered_ns\":1,"
		"\"last_seen_ns\":2}",
		"status: Object item not found: last_report_ns");
	{
		json_t *j = J("{\"region_id\":0,\"group\":\"239.192.0.0\","
			      "\"rvs\":\"nope\",\"term\":3,\"size\":4,"
			      "\"members\":[],\"tasks\":[]}");
		char err[256];

		assert_int_equal(api_status_region_decode(j, &r, &members,
							  &tasks, err,
							  sizeof(err)),
				 -1);
		assert_string_equal(err, "status: rvs: must be 32 hex digits");
		json_decref(j);
	}
}

static void test_load(void **state)
{
	char err[256];

	(void)state;
	assert_null(
		api_load("{\"a\":1,\"a\":2}", 13, "task", err, sizeof(err)));
	assert_non_null(strstr(err, "task: malformed JSON at line 1"));
	assert_null(api_load("[1]", 3, "task", err, sizeof(err)));
	assert_string_equal(err, "task: not a JSON object");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_register),
	  cmocka_unit_test(test_registered), cmocka_unit_test(test_task),
	  cmocka_unit_test(test_report), cmocka_unit_test(test_keys),
	  cmocka_unit_test(test_release), cmocka_unit_test(test_rollout),
	  cmocka_unit_test(test_small_replies),
	  cmocka_unit_test(test_lists_and_upload),
	  cmocka_unit_test(test_status), cmocka_unit_test(test_load))
