// SPDX-License-Identifier: GPL-2.0
/* rupctl ops rollout: start a rollout of a published release (docs/API.md). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void rollout_usage(FILE *f)
{
	fprintf(f, "Usage: rupctl ops rollout VERSION [--regions all|ID,ID...] "
		   "[--wave-size N]\n"
		   "          [--failure-threshold N]\n");
}

static int opt_regions(const struct cli_opt *opt, const char *value)
{
	if (regions_arg(value, opt->target))
		return rupctl_bad_value("ops rollout", "--regions", value,
					"all or ID,ID,...");
	return 0;
}

/* --wave-size and --failure-threshold. */
static int opt_uint(const struct cli_opt *opt, const char *value)
{
	char key[32];

	if (!parse_dec_u32(value, 0, UINT32_MAX, opt->target))
		return 0;
	snprintf(key, sizeof(key), "--%s", opt->name);
	return rupctl_bad_value("ops rollout", key, value, "0..4294967295");
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
	struct api_rollout m = { .wave_size = API_WAVE_ALL };
	const struct cli_opt opts[] = {
		{ "regions", 'r', CLI_CALL, .target = &m, .call = opt_regions },
		{ "wave-size", 'w', CLI_CALL, .target = &m.wave_size,
		  .call = opt_uint },
		{ "failure-threshold", 'f', CLI_CALL,
		  .target = &m.failure_threshold, .call = opt_uint },
		{ NULL },
	};
	const char *version;
	int rc;

	rc = rupctl_options_arg(argc, argv, opts, rollout_usage,
				"ops: rollout: needs one VERSION", &version);
	if (!rc) {
		if (strlen(version) >= sizeof(m.version))
			rc = rupctl_bad_value("ops rollout", "VERSION", version,
					      "a SemVer version");
		else
			snprintf(m.version, sizeof(m.version), "%s", version);
	}
	if (!rc)
		rc = rollout(o, &m);
	api_rollout_free(&m);
	return rc < 0 ? RUPCTL_EXIT_OK : rc;
}
