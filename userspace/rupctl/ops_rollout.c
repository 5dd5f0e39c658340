// SPDX-License-Identifier: GPL-2.0
/* rupctl ops rollout: start a rollout of a published release (docs/API.md). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "rupctl.h"

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

static void rollout_usage(FILE *f)
{
	fprintf(f, "Usage: rupctl ops rollout VERSION [--regions all|ID,ID...] "
		   "[--wave-size N]\n"
		   "          [--failure-threshold N]\n");
}

/* One option into the request @req: 0, an exit code, or -1 after help. */
static int rollout_opt(json_t *req, int c)
{
	json_t *regions;
	json_int_t n = 0;

	switch (c) {
	case 'r':
		regions = regions_arg(optarg);
		if (!regions)
			return rupctl_bad_value("ops rollout", "--regions",
						optarg, "all or ID,ID,...");
		json_object_set_new(req, "regions", regions);
		return 0;
	case 'w':
	case 'f':
		if (parse_uint(c == 'w' ? "--wave-size" : "--failure-threshold",
			       optarg, &n))
			return RUPCTL_EXIT_USAGE;
		json_object_set_new(
			req, c == 'w' ? "wave_size" : "failure_threshold",
			json_integer(n));
		return 0;
	default:
		return rupctl_opt_other(c, rollout_usage) ?: -1;
	}
}

static int rollout(const struct ops *o, json_t *req)
{
	json_t *reply = NULL;
	char *body = json_dumps(req, JSON_COMPACT);
	int rc;

	rc = ops_request(o, "rollout", "POST", "/api/v1/rollouts", body, NULL,
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

int ops_rollout(const struct ops *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "regions", required_argument, NULL, 'r' },
		{ "wave-size", required_argument, NULL, 'w' },
		{ "failure-threshold", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *req = json_object();
	int c, rc = 0;

	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while (!rc && (c = getopt_long(argc, argv, "r:w:f:h", lo, NULL)) != -1)
		rc = rollout_opt(req, c);
	if (!rc && optind != argc - 1) {
		rupctl_err("ops: rollout: needs one VERSION");
		rc = RUPCTL_EXIT_USAGE;
	}
	if (!rc) {
		json_object_set_new(req, "version", json_string(argv[optind]));
		rc = rollout(o, req);
	}
	json_decref(req);
	return rc < 0 ? RUPCTL_EXIT_OK : rc;
}
