// SPDX-License-Identifier: GPL-2.0
/* rupctl score: measure this node and show the composite score and its parts. */
#include <errno.h>
#include <ini.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "rupctl.h"
#include "../agent/score.h"
#include "../agent/score_measure.h"

#define DEFAULT_CONFIG "/etc/rup/rupctl.conf"

struct score_args {
	struct score_config cfg;
	char dev[IF_NAMESIZE];
	char store[512];
	const char *config;
	char err[600];
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl [-j] score [--dev IF] [--store DIR] [--rtt MS] [--loss PCT]\n"
		"                         [--config FILE] [--fixed N]\n"
		"Measures this node and prints the composite score with its parts\n"
		"(0-1000 points each, times the [score] weights of the agent's config).\n"
		"  --dev IF       the region's interface (link state, speed, errors);\n"
		"                 default [node] interface of the config\n"
		"  --store DIR    the package store (free disk); default [paths] store\n"
		"  --rtt MS, --loss PCT  round trip and loss to the ops server\n"
		"  --config FILE  agent config to take weights from (default %s,\n"
		"                 when it exists)\n"
		"  --fixed N      a fixed score, as [node] score = N\n"
		"Exit codes: 0 ok, 1 usage or config error, 4 the node is abnormal (link down).\n",
		DEFAULT_CONFIG);
}

/* A config value for @dst unless the command line gave one: 0 or -EINVAL. */
static int config_default(char *dst, size_t size, const char *val)
{
	if (dst[0])
		return 0;
	if (strlen(val) >= size)
		return -EINVAL;
	strcpy(dst, val);
	return 0;
}

/* inih callback: take the keys that matter for the score, ignore the rest. */
static int ini_cb(void *user, const char *sec, const char *key, const char *val)
{
	struct score_args *a = user;
	int rc = 0;

	if (!strcmp(sec, "score")) {
		rc = score_config_set(&a->cfg, key, val);
	} else if (!strcmp(sec, "node") && !strcmp(key, "score")) {
		rc = score_config_set(&a->cfg, "fixed", val);
	} else if (!strcmp(sec, "node") && !strcmp(key, "interface")) {
		rc = config_default(a->dev, sizeof(a->dev), val);
	} else if (!strcmp(sec, "paths") && !strcmp(key, "store")) {
		rc = config_default(a->store, sizeof(a->store), val);
	}
	if (rc == -ENOENT)
		snprintf(a->err, sizeof(a->err), "unknown key [score] %s", key);
	else if (rc)
		snprintf(a->err, sizeof(a->err),
			 "[%s] %s: bad value \"%.100s\"", sec, key, val);
	/* inih reports the first line whose handler returned 0. */
	return rc ? 0 : 1;
}

/* Raw measurements as JSON; null for what could not be measured. */
static json_t *measured_json(const struct score_inputs *in)
{
	json_t *m = json_object();

#define OPT(key, known, val) \
	json_object_set_new(m, key, (known) ? (val) : json_null())
	OPT("cpus", in->cpu_known, json_integer(in->cpus));
	OPT("mem_available_kb", in->mem_known,
	    json_integer((json_int_t)in->mem_avail_kb));
	OPT("store_free_bytes", in->disk_known,
	    json_integer((json_int_t)in->disk_free_bytes));
	OPT("link_up", in->link_known, json_boolean(in->link_up));
	OPT("link_mbps", in->link_known && in->link_mbps >= 0,
	    json_integer(in->link_mbps));
	OPT("link_packets", in->link_known,
	    json_integer((json_int_t)in->link_packets));
	OPT("link_bad", in->link_known, json_integer((json_int_t)in->link_bad));
	OPT("load1", in->load_known, json_real(in->load1));
	OPT("rtt_ms", in->rtt_known, json_integer(in->rtt_ms));
	OPT("loss_pct", in->rtt_known, json_integer(in->loss_pct));
#undef OPT
	return m;
}

/* What was measured for part @p, as text ("unknown" when nothing was). */
static void measured_text(const struct score_args *a,
			  const struct score_inputs *in, int p, char *m,
			  size_t len)
{
	char speed[32] = "speed unknown";

	snprintf(m, len, "unknown");
	if (p == SCORE_CPU && in->cpu_known)
		snprintf(m, len, "%u CPUs", in->cpus);
	else if (p == SCORE_MEM && in->mem_known)
		snprintf(m, len, "%llu MiB available",
			 (unsigned long long)(in->mem_avail_kb >> 10));
	else if (p == SCORE_DISK && in->disk_known)
		snprintf(m, len, "%llu MiB free in %s",
			 (unsigned long long)(in->disk_free_bytes >> 20),
			 a->store);
	else if (p == SCORE_LOAD && in->load_known)
		snprintf(m, len, "load %.2f", in->load1);
	else if (p == SCORE_RTT && in->rtt_known)
		snprintf(m, len, "%u ms, %u%% loss", in->rtt_ms, in->loss_pct);
	if (p != SCORE_LINK || !in->link_known)
		return;
	if (in->link_mbps >= 0)
		snprintf(speed, sizeof(speed), "%lld Mbit/s",
			 (long long)in->link_mbps);
	snprintf(m, len, "%s %s, %s, %llu bad of %llu packets", a->dev,
		 in->link_up ? "up" : "down", speed,
		 (unsigned long long)in->link_bad,
		 (unsigned long long)in->link_packets);
}

static void print_json(const struct score_args *a,
		       const struct score_inputs *in,
		       const struct score_result *r)
{
	json_t *j = json_object(), *parts = json_object();
	int p;

	for (p = 0; p < SCORE_PARTS; p++)
		json_object_set_new(parts, score_part_name((enum score_part)p),
				    json_pack("{s:i, s:i}", "points",
					      r->points[p], "weight",
					      a->cfg.weight[p]));
	json_object_set_new(j, "score", json_integer(r->score));
	json_object_set_new(j, "fixed", json_boolean(a->cfg.fixed));
	json_object_set_new(j, "abnormal", json_boolean(r->abnormal));
	json_object_set_new(j, "reason",
			    r->why ? json_string(r->why) : json_null());
	json_object_set_new(j, "parts", parts);
	json_object_set_new(j, "measured", measured_json(in));
	rupctl_json_print(j);
}

static int print_result(const struct score_args *a,
			const struct score_inputs *in,
			const struct score_result *r)
{
	char m[700];
	int p;

	if (rupctl_opts.json) {
		print_json(a, in, r);
	} else {
		printf("score %u%s%s%s\n", r->score,
		       a->cfg.fixed ? " (fixed)" : "",
		       r->abnormal ? ", abnormal: " : "",
		       r->abnormal ? r->why : "");
		printf("%-7s %6s %6s  %s\n", "part", "points", "weight",
		       "measured");
		for (p = 0; p < SCORE_PARTS; p++) {
			measured_text(a, in, p, m, sizeof(m));
			printf("%-7s %6u %6u  %s\n",
			       score_part_name((enum score_part)p),
			       r->points[p], a->cfg.weight[p], m);
		}
	}
	return r->abnormal ? RUPCTL_EXIT_ABNORMAL : RUPCTL_EXIT_OK;
}

/* --dev and --store: a name into the buffer at the target. */
static int opt_name(const struct cli_opt *opt, const char *value)
{
	if (strlen(value) < opt->size) {
		strcpy(opt->target, value);
		return 0;
	}
	if (!strcmp(opt->name, "dev"))
		rupctl_err("score: --dev: \"%s\" is not an interface name",
			   value);
	else
		rupctl_err("score: --store: path too long");
	return RUPCTL_EXIT_USAGE;
}

static int opt_rtt(const struct cli_opt *opt, const char *value)
{
	struct score_inputs *in = opt->target;

	if (parse_u32(value, 3600000, &in->rtt_ms))
		return rupctl_bad_value("score", "--rtt", value,
					"milliseconds");
	in->rtt_known = true;
	return 0;
}

static int opt_loss(const struct cli_opt *opt, const char *value)
{
	if (parse_u32(value, 100, opt->target))
		return rupctl_bad_value("score", "--loss", value, "0-100");
	return 0;
}

/* The [score] weights and [node] defaults of the config file, if any. */
static int load_config(struct score_args *a)
{
	int rc;

	if (!a->config && access(DEFAULT_CONFIG, F_OK) == 0)
		a->config = DEFAULT_CONFIG;
	if (!a->config)
		return 0;
	rc = ini_parse(a->config, ini_cb, a);
	if (rc < 0) {
		rupctl_err("score: %s: cannot read it", a->config);
		return RUPCTL_EXIT_USAGE;
	}
	if (rc > 0) {
		rupctl_err("score: %s:%d: %s", a->config, rc,
			   a->err[0] ? a->err : "syntax error");
		return RUPCTL_EXIT_USAGE;
	}
	return 0;
}

int cmd_score(int argc, char **argv)
{
	struct score_args a = { 0 };
	struct score_inputs in = { 0 };
	struct score_result r;
	const char *fixed = NULL;
	const struct cli_opt opts[] = {
		{ "dev", 0, CLI_CALL, .target = a.dev, .call = opt_name,
		  .size = sizeof(a.dev) },
		{ "store", 0, CLI_CALL, .target = a.store, .call = opt_name,
		  .size = sizeof(a.store) },
		{ "rtt", 0, CLI_CALL, .target = &in, .call = opt_rtt },
		{ "loss", 0, CLI_CALL, .target = &in.loss_pct,
		  .call = opt_loss },
		{ "config", 0, CLI_STR, .target = &a.config },
		{ "fixed", 0, CLI_STR, .target = &fixed },
		{ NULL },
	};
	int rc;

	score_config_default(&a.cfg);
	rc = rupctl_options(argc, argv, opts, usage, "score");
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	rc = load_config(&a);
	if (rc)
		return rc;
	if (fixed && score_config_set(&a.cfg, "fixed", fixed))
		return rupctl_bad_value("score", "--fixed", fixed,
					"0-4294967295");
	score_measure(&in, a.store[0] ? a.store : NULL, a.dev[0] ? a.dev : NULL,
		      NULL);
	if (a.dev[0] && !in.link_known) {
		rupctl_err("score: interface %s: not found", a.dev);
		return RUPCTL_EXIT_USAGE;
	}
	if (a.store[0] && !in.disk_known) {
		uint64_t unused;

		rc = score_read_disk(a.store, &unused);
		rupctl_err("score: store %s: %s; free disk counts as unknown",
			   a.store, strerror(-rc));
	}
	score_combine(&a.cfg, &in, &r);
	return print_result(&a, &in, &r);
}
