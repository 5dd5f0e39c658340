// SPDX-License-Identifier: GPL-2.0
/* rupctl ops rollout: start a rollout of a published release (docs/API.md). */
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "api.h"
#include "ops.h"
#include "parse.h"
#include "rupctl.h"

/* "all" or "1,2,3" into @m: 0, or -1 when it is neither. */
static int regions_arg(const char *s, struct api_rollout *m)
{
	size_t n = 1, len;
	uint32_t *v;

	free(m->regions);
	m->regions = NULL;
	m->n_regions = 0;
	m->regions_all = !strcmp(s, "all");
	if (m->regions_all)
		return 0;
	for (const char *c = s; *c; c++)
		n += *c == ',';
	v = calloc(n, sizeof(*v));
	if (!v)
		return -1;
	m->regions = v;
	for (m->n_regions = 0; m->n_regions < n; m->n_regions++) {
		len = strcspn(s, ",");
		if (parse_dec_u32n(s, len, 0, UINT32_MAX, &v[m->n_regions]))
			return -1;
		s += len + (s[len] == ',');
	}
	return 0;
}

static int parse_uint(const char *what, const char *s, uint32_t *out)
{
	if (parse_dec_u32(s, 0, UINT32_MAX, out))
		return rupctl_bad_value("ops rollout", what, s,
					"0..4294967295");
	return 0;
}

static void rollout_usage(FILE *f)
{
	fprintf(f, "Usage: rupctl ops rollout VERSION [--regions all|ID,ID...] "
		   "[--wave-size N]\n"
		   "          [--failure-threshold N]\n");
}

/* One option into the request @m: 0, an exit code, or -1 after help. */
static int rollout_opt(struct api_rollout *m, int c)
{
	switch (c) {
	case 'r':
		if (regions_arg(optarg, m))
			return rupctl_bad_value("ops rollout", "--regions",
						optarg, "all or ID,ID,...");
		return 0;
	case 'w':
		return parse_uint("--wave-size", optarg, &m->wave_size) ?
			       RUPCTL_EXIT_USAGE :
			       0;
	case 'f':
		return parse_uint("--failure-threshold", optarg,
				  &m->failure_threshold) ?
			       RUPCTL_EXIT_USAGE :
			       0;
	default:
		return rupctl_opt_other(c, rollout_usage) ?: -1;
	}
}

static int rollout(const struct ops *o, const struct api_rollout *m)
{
	json_t *reply = NULL, *j = api_rollout_encode(m);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	struct api_rolled r;
	char err[256];
	int rc;

	json_decref(j);
	if (!body) {
		rupctl_err("ops: rollout: out of memory");
		return RUPCTL_EXIT_IO;
	}
	rc = ops_request(o, "rollout", "POST", "/api/v1/rollouts", body, NULL,
			 &reply);
	free(body);
	if (rc)
		return rc;
	if (rupctl_opts.json) {
		rupctl_json_print(reply);
		return 0;
	}
	rc = api_rolled_decode(reply, &r, err, sizeof(err));
	json_decref(reply);
	if (rc) {
		rupctl_err("ops: %s", err);
		return RUPCTL_EXIT_UNREACHABLE;
	}
	printf("rollout %" PRId64 ": %s to %zu regions in %u waves\n",
	       r.rollout_id, r.version, r.n_regions, r.waves);
	api_rolled_free(&r);
	return 0;
}

int ops_rollout(const struct ops *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "regions", required_argument, NULL, 'r' },
		{ "wave-size", required_argument, NULL, 'w' },
		{ "failure-threshold", required_argument, NULL, 'f' },
		CLI_OPT_HELP_END,
	};
	struct api_rollout m = { .wave_size = API_WAVE_ALL };
	int c, rc = 0;

	optind = 0; /* GNU: full re-init, main() ran getopt already */
	while (!rc && (c = getopt_long(argc, argv, "r:w:f:h", lo, NULL)) != -1)
		rc = rollout_opt(&m, c);
	if (!rc && optind != argc - 1) {
		rupctl_err("ops: rollout: needs one VERSION");
		rc = RUPCTL_EXIT_USAGE;
	}
	if (!rc) {
		if (strlen(argv[optind]) >= sizeof(m.version))
			rc = rupctl_bad_value("ops rollout", "VERSION",
					      argv[optind], "a SemVer version");
		else
			snprintf(m.version, sizeof(m.version), "%s",
				 argv[optind]);
	}
	if (!rc)
		rc = rollout(o, &m);
	api_rollout_free(&m);
	return rc < 0 ? RUPCTL_EXIT_OK : rc;
}
