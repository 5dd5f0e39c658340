// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl ops: admin client of rup-opsd over HTTPS (libcurl): fleet status,
 * publish a signed release, start a rollout, remove a node (docs/API.md).
 * One function per subcommand; publish and rollout have files of their own.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ops.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl ops [--server URL] [--cacert FILE] [--token-file FILE] COMMAND\n"
		"  status                         fleet status (regions, RVS, versions, tasks)\n"
		"  releases                       published releases\n"
		"  publish MANIFEST [--sig FILE] [--payload FILE] [--chunk BYTES]\n"
		"                                 publish a signed release (sig default\n"
		"                                 MANIFEST.sig) and upload its payload\n"
		"                                 in requests of at most BYTES (8 MiB)\n"
		"  rollout VERSION [--regions all|ID,ID...] [--wave-size N]\n"
		"          [--failure-threshold N] start a rollout\n"
		"  cancel ROLLOUT_ID              cancel a running rollout\n"
		"  key REGION_ID stage|promote    rotate a region's beacon key in two steps\n"
		"  remove NODE_ID                 remove a node\n"
		"Every command prints JSON with rupctl -j.\n"
		"Defaults from the environment: RUP_OPS_SERVER, RUP_OPS_CACERT,\n"
		"RUP_ADMIN_TOKEN_FILE (or RUP_ADMIN_TOKEN).\n"
		"Exit codes: 0 ok, 1 usage, 9 file error, 10 refused by the server,\n"
		"11 server unreachable.\n");
}

/* A reply that does not decode: say so (exit 11, like a non-JSON one). */
static int bad_reply(const char *err)
{
	rupctl_err("ops: %s", err);
	return RUPCTL_EXIT_UNREACHABLE;
}

static int print_rollouts(json_t *rollouts)
{
	struct api_status_rollout ro;
	json_t *it, *states, *tasks, *v;
	char err[256];
	const char *k;
	size_t i;

	json_array_foreach(rollouts, i, it)
	{
		if (api_status_rollout_decode(it, &ro, &states, &tasks, err,
					      sizeof(err)))
			return bad_reply(err);
		printf("rollout %" PRId64 " %s: %s, wave %" PRIu64 "/%u",
		       ro.rollout_id, ro.version, ro.state,
		       (uint64_t)ro.wave + 1, ro.waves);
		json_object_foreach(states, k, v) printf(
			" %s=%" JSON_INTEGER_FORMAT, k, json_integer_value(v));
		printf("\n");
	}
	return 0;
}

static int print_region(json_t *r)
{
	struct api_status_region rg;
	struct api_status_member m;
	json_t *members, *tasks, *it;
	char err[256];
	size_t i;

	if (api_status_region_decode(r, &rg, &members, &tasks, err,
				     sizeof(err)))
		return bad_reply(err);
	printf("region %u %s rvs %s term %" PRIu64 "\n", rg.region_id, rg.group,
	       rg.rvs[0] ? rg.rvs : "-", rg.term);
	json_array_foreach(members, i, it)
	{
		if (api_status_member_decode(it, &m, err, sizeof(err)))
			return bad_reply(err);
		printf("  %s %s%s%s\n", m.node_id, m.version,
		       m.state[0] ? " " : "", m.state);
	}
	return 0;
}

static int status_text(json_t *reply, char **argv, char *err, size_t len)
{
	struct api_status st;
	json_t *regions, *rollouts, *it;
	size_t i;
	int rc;

	(void)argv;
	if (api_status_decode(reply, &st, &regions, &rollouts, err, len))
		return -1;
	printf("%u nodes, %u regions (T %u, M %u)\n", st.nodes, st.regions,
	       st.planned_nodes, st.max_per_region);
	rc = print_rollouts(rollouts);
	json_array_foreach(regions, i, it) if (!rc) rc = print_region(it);
	return rc;
}

/*
 * A request whose reply -j prints as it is; without -j @text decodes it
 * (lib/api.h) and prints it, or returns an exit code, or -1 with why the
 * reply does not decode in @err. @what names the request in errors.
 */
static int simple(const struct ops *o, const char *what, const char *method,
		  const char *path, const char *body,
		  int (*text)(json_t *reply, char **argv, char *err,
			      size_t len),
		  char **argv)
{
	json_t *reply;
	char err[256];
	int rc = ops_request(o, what, method, path, body, NULL, &reply);

	if (rc)
		return rc;
	if (rupctl_opts.json) {
		rupctl_json_print(reply);
		return 0;
	}
	rc = text(reply, argv, err, sizeof(err));
	json_decref(reply);
	return rc < 0 ? bad_reply(err) : rc;
}

static int ops_status(const struct ops *o, int argc, char **argv)
{
	if (argc > 1)
		return rupctl_unexpected("ops status", argv[1]);
	return simple(o, "status", "GET", "/api/v1/status", NULL, status_text,
		      argv);
}

static int releases_text(json_t *reply, char **argv, char *err, size_t len)
{
	struct api_release_entry r;
	json_t *list, *it;
	size_t i;

	(void)argv;
	list = api_list_get(reply, API_MSG_RELEASES, err, len);
	if (!list)
		return -1;
	printf("%-16s %-24s %12s %-8s %s\n", "VERSION", "RANGE", "SIZE",
	       "PAYLOAD", "SUMMARY");
	json_array_foreach(list, i, it)
	{
		if (api_release_entry_decode(it, &r, err, len))
			return -1;
		printf("%-16s %-24s %12" PRIu64 " %-8s %s\n", r.version,
		       r.range, r.size, r.payload ? "yes" : "no",
		       r.summary[0] ? r.summary : "-");
	}
	return 0;
}

static int ops_releases(const struct ops *o, int argc, char **argv)
{
	if (argc > 1)
		return rupctl_unexpected("ops releases", argv[1]);
	return simple(o, "releases", "GET", "/api/v1/releases", NULL,
		      releases_text, argv);
}

/* A subcommand's operands are not what it needs: say so. */
static int needs(const char *what)
{
	rupctl_err("ops: %s", what);
	return RUPCTL_EXIT_USAGE;
}

/* Up to @max decimal digits. */
static bool is_id(const char *s, size_t max)
{
	return s[0] && strspn(s, "0123456789") == strlen(s) && strlen(s) <= max;
}

static int cancel_text(json_t *reply, char **argv, char *err, size_t len)
{
	struct api_cancelled c;

	if (api_cancelled_decode(reply, &c, err, len))
		return -1;
	printf("rollout %s cancelled: %u task(s)\n", argv[1],
	       c.cancelled_tasks);
	return 0;
}

static int ops_cancel(const struct ops *o, int argc, char **argv)
{
	char path[128];

	if (argc != 2)
		return needs("cancel: needs one ROLLOUT_ID");
	if (!is_id(argv[1], 18))
		return rupctl_bad_value("ops cancel", "ROLLOUT_ID", argv[1],
					"a rollout id");
	snprintf(path, sizeof(path), "/api/v1/rollouts/%s/cancel", argv[1]);
	return simple(o, "cancel", "POST", path, NULL, cancel_text, argv);
}

static int key_text(json_t *reply, char **argv, char *err, size_t len)
{
	struct api_key_done k;

	if (api_key_done_decode(reply, &k, err, len))
		return -1;
	printf("region %s: next key %s\n", argv[1],
	       strcmp(argv[2], "stage") ? "promoted" : "staged");
	return 0;
}

static int ops_key(const struct ops *o, int argc, char **argv)
{
	struct api_key_action ka = { 0 };
	char path[128], *body;
	json_t *j;
	int rc;

	if (argc != 3)
		return needs("key: needs REGION_ID stage|promote");
	if (!is_id(argv[1], 10) ||
	    (strcmp(argv[2], "stage") && strcmp(argv[2], "promote")))
		return rupctl_bad_value("ops key", "REGION_ID stage|promote",
					argv[1],
					"a region id, then stage or promote");
	snprintf(path, sizeof(path), "/api/v1/regions/%s/key", argv[1]);
	snprintf(ka.action, sizeof(ka.action), "%s", argv[2]);
	j = api_key_action_encode(&ka);
	body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body)
		return bad_reply("key: out of memory");
	rc = simple(o, "key", "POST", path, body, key_text, argv);
	free(body);
	return rc;
}

static int remove_text(json_t *reply, char **argv, char *err, size_t len)
{
	struct api_node_removed n;

	if (api_node_removed_decode(reply, &n, err, len))
		return -1;
	printf("node %s removed\n", argv[1]);
	return 0;
}

static int ops_remove(const struct ops *o, int argc, char **argv)
{
	char path[128];

	if (argc != 2)
		return needs("remove: needs one NODE_ID");
	if (snprintf(path, sizeof(path), "/api/v1/nodes/%s", argv[1]) >=
		    (int)sizeof(path) ||
	    strchr(argv[1], '/') || strchr(argv[1], '?'))
		return rupctl_bad_value("ops remove", "NODE_ID", argv[1],
					"32 hex digits");
	return simple(o, "remove", "DELETE", path, NULL, remove_text, argv);
}

/* clang-format off */
static const struct {
	const char *name;
	int (*run)(const struct ops *o, int argc, char **argv);
} subcommands[] = {
	{ "status", ops_status },
	{ "releases", ops_releases },
	{ "publish", ops_publish },
	{ "rollout", ops_rollout },
	{ "cancel", ops_cancel },
	{ "key", ops_key },
	{ "remove", ops_remove },
};
/* clang-format on */

static int load_token(struct ops *o, const char *file)
{
	const char *env = getenv("RUP_ADMIN_TOKEN");
	char *buf;
	size_t len;

	if (!file)
		file = getenv("RUP_ADMIN_TOKEN_FILE");
	if (file && *file) {
		if (ops_read_file(file, sizeof(o->token) - 1, &buf, &len))
			return RUPCTL_EXIT_IO;
		len = strcspn(buf, "\r\n");
		memcpy(o->token, buf, len);
		o->token[len] = 0;
		OPENSSL_cleanse(buf, len);
		free(buf);
	} else if (env && strlen(env) < sizeof(o->token)) {
		snprintf(o->token, sizeof(o->token), "%s", env);
	}
	if (!o->token[0]) {
		rupctl_err(
			"ops: no admin token (--token-file, RUP_ADMIN_TOKEN_FILE or "
			"RUP_ADMIN_TOKEN)");
		return RUPCTL_EXIT_USAGE;
	}
	return 0;
}

/* Global options into @o; 0, an exit code, or -1 after help. */
static int parse_global(struct ops *o, int argc, char **argv,
			const char **token_file)
{
	const struct cli_opt opts[] = {
		{ "server", 's', CLI_STR, .target = &o->server },
		{ "cacert", 'c', CLI_STR, .target = &o->cacert },
		{ "token-file", 't', CLI_STR, .target = token_file },
		{ NULL },
	};
	/* "+": the subcommand's options are its own. */
	const struct cli_spec spec = { opts, usage, RUPCTL_EXIT_USAGE, true };
	int rc = cli_parse(&spec, argc, argv);

	if (rc)
		return rc;
	if (optind >= argc || rupctl_is_help(argv[optind])) {
		usage(optind >= argc ? stderr : stdout);
		return optind >= argc ? RUPCTL_EXIT_USAGE : -1;
	}
	return 0;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	/* An empty variable means unset. */
	return v && *v ? v : NULL;
}

int cmd_ops(int argc, char **argv)
{
	struct ops o = { env("RUP_OPS_SERVER"), env("RUP_OPS_CACERT"), "" };
	const char *token_file = NULL;
	size_t i;
	int rc;

	rc = parse_global(&o, argc, argv, &token_file);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	argc -= optind;
	argv += optind;
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			break;
	if (i == sizeof(subcommands) / sizeof(subcommands[0])) {
		rupctl_err(
			"ops: unknown command '%s' (status, releases, publish, rollout, "
			"cancel ROLLOUT_ID, key REGION_ID stage|promote, remove NODE_ID)",
			argv[0]);
		return RUPCTL_EXIT_USAGE;
	}
	if (!o.server) {
		rupctl_err(
			"ops: no server (--server https://HOST:PORT or RUP_OPS_SERVER)");
		return RUPCTL_EXIT_USAGE;
	}
	rc = load_token(&o, token_file);
	if (rc)
		return rc;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = subcommands[i].run(&o, argc, argv);
	ops_http_close();
	OPENSSL_cleanse(o.token, sizeof(o.token));
	curl_global_cleanup();
	return rc;
}
