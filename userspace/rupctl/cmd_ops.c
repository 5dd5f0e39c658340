// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl ops: admin client of rup-opsd over HTTPS (libcurl): fleet status,
 * publish a signed release, start a rollout, remove a node (docs/API.md).
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "release.h"
#include "rupctl.h"

/* Exit codes of "ops", beyond rupctl's 0 ok and 1 usage. */
enum {
	EXIT_IO = 9, /* a local file could not be read */
	EXIT_REFUSED = 10, /* the server answered 4xx/5xx */
	EXIT_UNREACHABLE = 11, /* no connection, TLS failure, bad reply */
};

#define REPLY_MAX (64u << 20)

struct ops {
	const char *server;
	const char *cacert;
	char token[512];
};

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
		"Defaults from the environment: RUP_OPS_SERVER, RUP_OPS_CACERT,\n"
		"RUP_ADMIN_TOKEN_FILE (or RUP_ADMIN_TOKEN).\n"
		"Exit codes: 0 ok, 1 usage, 9 file error, 10 refused by the server,\n"
		"11 server unreachable.\n");
}

struct buf {
	char *p;
	size_t n;
};

static size_t on_data(char *d, size_t sz, size_t nm, void *arg)
{
	struct buf *b = arg;
	size_t n = sz * nm;
	char *p;

	if (b->n + n > REPLY_MAX)
		return 0;
	p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, d, n);
	b->p = p;
	b->n += n;
	p[b->n] = 0;
	return n;
}

/*
 * One request. @body (JSON text) or @upload (a file, PUT) may be given.
 * On success *reply is the parsed JSON reply; otherwise the error is
 * printed as "rupctl: ops: WHAT: ..." and an exit code returned.
 */
/* A binary request body (one payload chunk) and its Content-Range header. */
struct upload {
	const void *data;
	size_t len;
	const char *range; /* "Content-Range: ..." or NULL */
};

static int request(const struct ops *o, const char *what, const char *method,
		   const char *path, const char *body, const struct upload *up,
		   json_t **reply)
{
	struct curl_slist *h = NULL;
	struct buf b = { NULL, 0 };
	char url[1024], auth[600], cerr[CURL_ERROR_SIZE] = "";
	long code = 0;
	json_error_t je;
	CURL *c;
	int rc;

	*reply = NULL;
	if (snprintf(url, sizeof(url), "%s%s", o->server, path) >=
	    (int)sizeof(url)) {
		rupctl_err("ops: %s: server URL too long", what);
		return RUPCTL_EXIT_USAGE;
	}
	c = curl_easy_init();
	if (!c) {
		rupctl_err("ops: %s: cannot start libcurl", what);
		return EXIT_UNREACHABLE;
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o->token);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, up ? "Content-Type: application/octet-stream" :
				      "Content-Type: application/json");
	if (up && up->range)
		h = curl_slist_append(h, up->range);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (o->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (up) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, up->data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)up->len);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	/* The header held the token: wipe it. */
	OPENSSL_cleanse(auth, sizeof(auth));
	if (rc != CURLE_OK) {
		rupctl_err("ops: %s: %s: %s", what, o->server,
			   cerr[0] ? cerr : curl_easy_strerror(rc));
		free(b.p);
		return EXIT_UNREACHABLE;
	}
	*reply = b.n ? json_loadb(b.p, b.n, 0, &je) : json_object();
	if (code >= 400) {
		const char *m =
			json_string_value(json_object_get(*reply, "error"));

		rupctl_err("ops: %s: HTTP %ld: %s", what, code,
			   m ? m : (b.p ? b.p : ""));
		json_decref(*reply);
		*reply = NULL;
		free(b.p);
		return EXIT_REFUSED;
	}
	free(b.p);
	if (!*reply) {
		rupctl_err("ops: %s: HTTP %ld with a reply that is not JSON",
			   what, code);
		return EXIT_UNREACHABLE;
	}
	return 0;
}

static void print_status(json_t *s)
{
	json_t *r, *m, *ro, *as = json_object_get(s, "assignment");
	size_t i, j;

	printf("%" JSON_INTEGER_FORMAT " nodes, %" JSON_INTEGER_FORMAT
	       " regions (T %" JSON_INTEGER_FORMAT ", M %" JSON_INTEGER_FORMAT
	       ")\n",
	       json_integer_value(json_object_get(s, "nodes")),
	       json_integer_value(json_object_get(as, "regions")),
	       json_integer_value(json_object_get(as, "planned_nodes")),
	       json_integer_value(json_object_get(as, "max_per_region")));
	for (i = 0; (ro = json_array_get(json_object_get(s, "rollouts"), i));
	     i++) {
		const char *k;
		json_t *v;

		printf("rollout %" JSON_INTEGER_FORMAT
		       " %s: %s, wave %" JSON_INTEGER_FORMAT
		       "/%" JSON_INTEGER_FORMAT,
		       json_integer_value(json_object_get(ro, "rollout_id")),
		       json_string_value(json_object_get(ro, "version")),
		       json_string_value(json_object_get(ro, "state")),
		       json_integer_value(json_object_get(ro, "wave")) + 1,
		       json_integer_value(json_object_get(ro, "waves")));
		json_object_foreach(json_object_get(ro, "task_states"), k, v)
			printf(" %s=%" JSON_INTEGER_FORMAT, k,
			       json_integer_value(v));
		printf("\n");
	}
	for (i = 0; (r = json_array_get(json_object_get(s, "regions"), i));
	     i++) {
		const char *rvs = json_string_value(json_object_get(r, "rvs"));

		printf("region %" JSON_INTEGER_FORMAT
		       " %s rvs %s term %" JSON_INTEGER_FORMAT "\n",
		       json_integer_value(json_object_get(r, "region_id")),
		       json_string_value(json_object_get(r, "group")),
		       rvs ? rvs : "-",
		       json_integer_value(json_object_get(r, "term")));
		for (j = 0;
		     (m = json_array_get(json_object_get(r, "members"), j));
		     j++) {
			const char *st =
				json_string_value(json_object_get(m, "state"));

			printf("  %s %s%s%s\n",
			       json_string_value(json_object_get(m, "node_id")),
			       json_string_value(json_object_get(m, "version")),
			       st && *st ? " " : "", st ? st : "");
		}
	}
}

static int read_all(const char *path, size_t max, char **out, size_t *len)
{
	char err[256];
	int rc = release_read_file(path, max, out, len, err, sizeof(err));

	if (rc)
		rupctl_err("ops: %s", err);
	return rc ? EXIT_IO : 0;
}

/*
 * PUT the payload in requests of at most @chunk bytes (Content-Range when
 * more than one), so no request exceeds the server's max_chunk.
 */
static int upload_payload(const struct ops *o, const char *version,
			  const char *file, size_t chunk)
{
	char path[256], range[128];
	struct upload up = { NULL, 0, NULL };
	uint64_t size, off = 0;
	json_t *reply = NULL;
	struct stat st;
	char *buf = NULL;
	FILE *f;
	int rc = 0;

	f = fopen(file, "rb");
	if (!f || fstat(fileno(f), &st)) {
		rupctl_err("ops: publish: %s: %s", file, strerror(errno));
		if (f)
			fclose(f);
		return EXIT_IO;
	}
	size = (uint64_t)st.st_size;
	buf = malloc(chunk);
	if (!buf) {
		fclose(f);
		return EXIT_IO;
	}
	snprintf(path, sizeof(path), "/api/v1/releases/%s/payload", version);
	do {
		size_t n = fread(buf, 1, chunk, f);

		if (ferror(f) || (!n && size)) {
			rupctl_err("ops: publish: %s: read error", file);
			rc = EXIT_IO;
			break;
		}
		up.data = buf;
		up.len = n;
		up.range = NULL;
		if (n < size) {
			snprintf(range, sizeof(range),
				 "Content-Range: bytes %" PRIu64 "-%" PRIu64
				 "/%" PRIu64,
				 off, off + n - 1, size);
			up.range = range;
		}
		rc = request(o, "payload", "PUT", path, NULL, &up, &reply);
		json_decref(reply);
		reply = NULL;
		off += n;
	} while (!rc && off < size);
	free(buf);
	fclose(f);
	return rc;
}

static int cmd_publish(const struct ops *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sig", required_argument, NULL, 's' },
		{ "payload", required_argument, NULL, 'P' },
		{ "chunk", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sigpath = NULL, *payload = NULL;
	size_t chunk = 8u << 20;
	char *end;
	char sigdef[1024], *man = NULL, *sig = NULL, *b64 = NULL, *body = NULL;
	size_t mlen, slen;
	struct release_manifest *m = NULL;
	char err[256];
	json_t *reply = NULL;
	int c, rc;

	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while ((c = getopt_long(argc, argv, "s:P:C:", lo, NULL)) != -1) {
		if (c == 's') {
			sigpath = optarg;
		} else if (c == 'P') {
			payload = optarg;
		} else if (c == 'C') {
			errno = 0;
			chunk = strtoul(optarg, &end, 10);
			if (errno || *end || *optarg == '-' || chunk < 4096 ||
			    chunk > (1u << 30))
				return rupctl_bad_value(
					"ops publish", "--chunk", optarg,
					"4096..1073741824 bytes");
		} else {
			return RUPCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		rupctl_err("ops: publish: needs one MANIFEST");
		return RUPCTL_EXIT_USAGE;
	}
	if (!sigpath) {
		snprintf(sigdef, sizeof(sigdef), "%s.sig", argv[optind]);
		sigpath = sigdef;
	}
	rc = read_all(argv[optind], RELEASE_MANIFEST_MAX, &man, &mlen);
	if (!rc)
		rc = read_all(sigpath, 4096, &sig, &slen);
	if (rc)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m || release_manifest_parse(man, mlen, m, err, sizeof(err))) {
		rupctl_err("ops: publish: %s: %s", argv[optind],
			   m ? err : "out of memory");
		rc = EXIT_IO;
		goto out;
	}
	slen = strcspn(sig, "\r\n");
	sig[slen] = 0;
	b64 = malloc(4 * ((mlen + 2) / 3) + 1);
	if (!b64) {
		rc = EXIT_IO;
		goto out;
	}
	EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)man, (int)mlen);
	reply = json_pack("{s:s,s:s}", "manifest", b64, "signature", sig);
	body = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	json_decref(reply);
	rc = request(o, "publish", "POST", "/api/v1/releases", body, NULL,
		     &reply);
	if (rc)
		goto out;
	json_decref(reply);
	reply = NULL;
	if (payload) {
		rc = upload_payload(o, m->version, payload, chunk);
		if (rc)
			goto out;
	}
	if (rupctl_opts.json) {
		rupctl_json_print(json_pack("{s:s,s:b}", "version", m->version,
					    "payload", payload != NULL));
	} else {
		printf("release %s published%s\n", m->version,
		       payload ? " with its payload" :
				 " (payload not uploaded)");
	}
out:
	json_decref(reply);
	free(m);
	free(man);
	free(sig);
	free(b64);
	free(body);
	return rc;
}

/* "all" or "1,2,3" as a JSON value. */
static json_t *regions_arg(const char *s)
{
	json_t *a;
	char *end;

	if (!strcmp(s, "all"))
		return json_string("all");
	a = json_array();
	while (*s) {
		unsigned long v;

		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || v > UINT32_MAX ||
		    (*end && *end != ',')) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, json_integer((json_int_t)v));
		s = *end ? end + 1 : end;
	}
	return a;
}

static int parse_uint(const char *what, const char *s, json_int_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || v > UINT32_MAX)
		return rupctl_bad_value("ops rollout", what, s,
					"0..4294967295");
	*out = (json_int_t)v;
	return 0;
}

static int cmd_rollout(const struct ops *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "regions", required_argument, NULL, 'r' },
		{ "wave-size", required_argument, NULL, 'w' },
		{ "failure-threshold", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *req = json_object(), *reply = NULL, *regions;
	json_int_t n = 0;
	char *body;
	int c, rc;

	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while ((c = getopt_long(argc, argv, "r:w:f:", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			regions = regions_arg(optarg);
			if (!regions) {
				json_decref(req);
				return rupctl_bad_value("ops rollout",
							"--regions", optarg,
							"all or ID,ID,...");
			}
			json_object_set_new(req, "regions", regions);
			break;
		case 'w':
		case 'f':
			if (parse_uint(c == 'w' ? "--wave-size" :
						  "--failure-threshold",
				       optarg, &n)) {
				json_decref(req);
				return RUPCTL_EXIT_USAGE;
			}
			json_object_set_new(req,
					    c == 'w' ? "wave_size" :
						       "failure_threshold",
					    json_integer(n));
			break;
		default:
			json_decref(req);
			return RUPCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		json_decref(req);
		rupctl_err("ops: rollout: needs one VERSION");
		return RUPCTL_EXIT_USAGE;
	}
	json_object_set_new(req, "version", json_string(argv[optind]));
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	rc = request(o, "rollout", "POST", "/api/v1/rollouts", body, NULL,
		     &reply);
	free(body);
	if (rc)
		return rc;
	if (rupctl_opts.json) {
		rupctl_json_print(reply);
		return 0;
	}
	printf("rollout %" JSON_INTEGER_FORMAT
	       ": %s to %zu regions in %" JSON_INTEGER_FORMAT " waves\n",
	       json_integer_value(json_object_get(reply, "rollout_id")),
	       json_string_value(json_object_get(reply, "version")),
	       json_array_size(json_object_get(reply, "regions")),
	       json_integer_value(json_object_get(reply, "waves")));
	json_decref(reply);
	return 0;
}

static int load_token(struct ops *o, const char *file)
{
	const char *env = getenv("RUP_ADMIN_TOKEN");
	char *buf;
	size_t len;

	if (!file)
		file = getenv("RUP_ADMIN_TOKEN_FILE");
	if (file && *file) {
		if (read_all(file, sizeof(o->token) - 1, &buf, &len))
			return EXIT_IO;
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

int cmd_ops(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "server", required_argument, NULL, 's' },
		{ "cacert", required_argument, NULL, 'c' },
		{ "token-file", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ops o = { getenv("RUP_OPS_SERVER"), getenv("RUP_OPS_CACERT"),
			 "" };
	const char *token_file = NULL, *cmd;
	json_t *reply;
	char path[128];
	int c, rc;

	/* An empty variable means unset. */
	if (o.server && !*o.server)
		o.server = NULL;
	if (o.cacert && !*o.cacert)
		o.cacert = NULL;
	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while ((c = getopt_long(argc, argv, "+s:c:t:h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			o.server = optarg;
			break;
		case 'c':
			o.cacert = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return RUPCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc || rupctl_is_help(argv[optind])) {
		usage(optind >= argc ? stderr : stdout);
		return optind >= argc ? RUPCTL_EXIT_USAGE : 0;
	}
	if (!o.server) {
		rupctl_err(
			"ops: no server (--server https://HOST:PORT or RUP_OPS_SERVER)");
		return RUPCTL_EXIT_USAGE;
	}
	rc = load_token(&o, token_file);
	if (rc)
		return rc;
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!strcmp(cmd, "status") || !strcmp(cmd, "releases")) {
		rc = request(&o, cmd, "GET",
			     !strcmp(cmd, "status") ? "/api/v1/status" :
						      "/api/v1/releases",
			     NULL, NULL, &reply);
		if (!rc && (rupctl_opts.json || !strcmp(cmd, "releases"))) {
			rupctl_json_print(reply);
		} else if (!rc) {
			print_status(reply);
			json_decref(reply);
		}
	} else if (!strcmp(cmd, "publish")) {
		rc = cmd_publish(&o, argc, argv);
	} else if (!strcmp(cmd, "rollout")) {
		rc = cmd_rollout(&o, argc, argv);
	} else if (!strcmp(cmd, "cancel") && argc == 2) {
		if (!argv[1][0] ||
		    strspn(argv[1], "0123456789") != strlen(argv[1]) ||
		    strlen(argv[1]) > 18) {
			rc = rupctl_bad_value("ops cancel", "ROLLOUT_ID",
					      argv[1], "a rollout id");
		} else {
			snprintf(path, sizeof(path),
				 "/api/v1/rollouts/%s/cancel", argv[1]);
			rc = request(&o, "cancel", "POST", path, NULL, NULL,
				     &reply);
			if (!rc)
				printf("rollout %s cancelled: %" JSON_INTEGER_FORMAT
				       " task(s)\n",
				       argv[1],
				       json_integer_value(json_object_get(
					       reply, "cancelled_tasks")));
			json_decref(reply);
		}
	} else if (!strcmp(cmd, "key") && argc == 3) {
		if (!argv[1][0] ||
		    strspn(argv[1], "0123456789") != strlen(argv[1]) ||
		    strlen(argv[1]) > 10 ||
		    (strcmp(argv[2], "stage") && strcmp(argv[2], "promote"))) {
			rc = rupctl_bad_value(
				"ops key", "REGION_ID stage|promote", argv[1],
				"a region id, then stage or promote");
		} else {
			char body[64];

			snprintf(path, sizeof(path), "/api/v1/regions/%s/key",
				 argv[1]);
			snprintf(body, sizeof(body), "{\"action\":\"%s\"}",
				 argv[2]);
			rc = request(&o, "key", "POST", path, body, NULL,
				     &reply);
			if (!rc)
				printf("region %s: next key %s\n", argv[1],
				       strcmp(argv[2], "stage") ? "promoted" :
								  "staged");
			json_decref(reply);
		}
	} else if (!strcmp(cmd, "remove") && argc == 2) {
		if (snprintf(path, sizeof(path), "/api/v1/nodes/%s", argv[1]) >=
			    (int)sizeof(path) ||
		    strchr(argv[1], '/') || strchr(argv[1], '?')) {
			rc = rupctl_bad_value("ops remove", "NODE_ID", argv[1],
					      "32 hex digits");
		} else {
			rc = request(&o, "remove", "DELETE", path, NULL, NULL,
				     &reply);
			if (!rc)
				printf("node %s removed\n", argv[1]);
			json_decref(reply);
		}
	} else {
		rupctl_err(
			"ops: unknown command '%s' (status, releases, publish, rollout, "
			"cancel ROLLOUT_ID, key REGION_ID stage|promote, remove NODE_ID)",
			cmd);
		rc = RUPCTL_EXIT_USAGE;
	}
	OPENSSL_cleanse(o.token, sizeof(o.token));
	curl_global_cleanup();
	return rc;
}
