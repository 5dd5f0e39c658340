// SPDX-License-Identifier: GPL-2.0
/*
 * rup-opsd: the rup ops server (SPEC §4, §8). `rup-opsd [options]` serves;
 * `rup-opsd plan ...` dry-runs the region assignment.
 */
#include <event2/event.h>
#include <event2/listener.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "config.h"
#include "conn.h"
#include "http.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "plan.h"
#include "region.h"
#include "store.h"

int olog_verbose;

static void usage(FILE *f)
{
	const struct config_opt *c;

	fprintf(f,
		"usage: rup-opsd [-c FILE] [-v] [--SETTING VALUE]...\n"
		"       rup-opsd plan --nodes T --max-per-region M [--pool CIDR] < nodes\n\n"
		"  -c, --config FILE   config file (default " OPSD_DEFAULT_CONFIG
		")\n"
		"  -v, --verbose       log every rejected request\n"
		"  -h, --help          this text\n"
		"  -V, --version       print the version\n\n"
		"Settings (override the config file's [section] key):\n");
	for (c = config_opts; c->opt; c++)
		fprintf(f, "  --%-22s %s.%s: %s\n", c->opt, c->section, c->name,
			c->help);
}

static void on_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct opsd *o = arg;
	struct timeval flush = { 0, 300000 };

	(void)ev;
	if (o->stopping)
		return;
	olog_info("signal %d: shutting down", (int)sig);
	o->stopping = 1;
	if (o->listener)
		evconnlistener_disable(o->listener);
	/* Held long-polls get an answer rather than a reset; give replies a moment to flush. */
	longpoll_shutdown(o);
	event_base_loopexit(o->base, &flush);
}

/* A secret on the command line is visible to every user (ps): refused. */
static bool secret_refused(const struct config_opt *c)
{
	if (c->kind != CONFIG_SECRET)
		return false;
	fprintf(stderr,
		"rup-opsd: --%s: a secret on the command line is visible to "
		"every user (ps); use --%s-file or the config file\n",
		c->opt, c->opt);
	return true;
}

struct override {
	const struct config_opt *opt;
	const char *value;
};

static int parse_args(int argc, char **argv, struct opsd_config *cfg)
{
	enum { N_BASE = 4 };
	size_t nopts = 0, i;
	const struct config_opt *c;
	struct option *lo;
	struct override *ov;
	const char *conf = OPSD_DEFAULT_CONFIG;
	int explicit_conf = 0, ch, idx, nov = 0, rc = 2;
	char err[512];

	for (c = config_opts; c->opt; c++)
		nopts++;
	lo = calloc(nopts + N_BASE + 1, sizeof(*lo));
	ov = calloc((size_t)argc + 1, sizeof(*ov));
	if (!lo || !ov)
		goto out;
	lo[0] = (struct option){ "config", required_argument, NULL, 'c' };
	lo[1] = (struct option){ "verbose", no_argument, NULL, 'v' };
	lo[2] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[3] = (struct option){ "version", no_argument, NULL, 'V' };
	for (i = 0; i < nopts; i++)
		lo[N_BASE + i] = (struct option){ config_opts[i].opt,
						  required_argument, NULL, 0 };
	while ((ch = getopt_long(argc, argv, "c:vhV", lo, &idx)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			explicit_conf = 1;
			break;
		case 'v':
			olog_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			rc = 1;
			goto out;
		case 'V':
			printf("rup-opsd %s\n", RUP_VERSION);
			rc = 1;
			goto out;
		case 0:
			if (secret_refused(&config_opts[idx - N_BASE]))
				goto out;
			ov[nov].opt = &config_opts[idx - N_BASE];
			ov[nov++].value = optarg;
			break;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rup-opsd: unexpected argument '%s'\n",
			argv[optind]);
		goto out;
	}
	config_defaults(cfg);
	if (config_load(cfg, conf, explicit_conf, err, sizeof(err))) {
		fprintf(stderr, "rup-opsd: %s\n", err);
		goto out;
	}
	for (idx = 0; idx < nov; idx++) {
		if (config_set(cfg, ov[idx].opt->section, ov[idx].opt->name,
			       ov[idx].value, err, sizeof(err))) {
			fprintf(stderr, "rup-opsd: --%s: %s\n",
				ov[idx].opt->opt, err);
			goto out;
		}
	}
	if (config_finish(cfg, err, sizeof(err))) {
		fprintf(stderr, "rup-opsd: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	free(lo);
	free(ov);
	return rc;
}

int main(int argc, char **argv)
{
	static struct opsd o;
	struct event *sigterm = NULL, *sigint = NULL;
	char err[512];
	int rc;

	if (argc > 1 && !strcmp(argv[1], "plan"))
		return opsd_plan_main(argc - 1, argv + 1);
	rc = parse_args(argc, argv, &o.cfg);
	if (rc)
		return rc == 1 ? 0 : 2;
	signal(SIGPIPE, SIG_IGN);
	TAILQ_INIT(&o.polls);
	TAILQ_INIT(&o.conn_list);
	LIST_INIT(&o.slots);
	/* Every check that can fail on configuration runs before the database is made. */
	if (region_check_pool(&o, err, sizeof(err)) ||
	    conn_clamp(&o, err, sizeof(err)) ||
	    http_tls(&o, err, sizeof(err)) ||
	    !(o.st = store_open(o.cfg.database, o.cfg.sync_full, err,
				sizeof(err))) ||
	    region_init(&o, err, sizeof(err))) {
		fprintf(stderr, "rup-opsd: %s\n", err);
		rc = 1;
		goto out;
	}
	o.base = event_base_new();
	if (!o.base) {
		fprintf(stderr, "rup-opsd: cannot create the event loop\n");
		rc = 1;
		goto out;
	}
	if (http_start(&o, err, sizeof(err))) {
		fprintf(stderr, "rup-opsd: %s\n", err);
		rc = 1;
		goto out;
	}
	sigterm = evsignal_new(o.base, SIGTERM, on_signal, &o);
	sigint = evsignal_new(o.base, SIGINT, on_signal, &o);
	if (!sigterm || !sigint || evsignal_add(sigterm, NULL) ||
	    evsignal_add(sigint, NULL)) {
		fprintf(stderr, "rup-opsd: cannot watch signals\n");
		rc = 1;
		goto out;
	}
	olog_info("ready: %u regions, %u nodes online, database %s",
		  assign_nregions(o.as), assign_online(o.as), o.cfg.database);
	event_base_dispatch(o.base);
	rc = 0;
	olog_info("stopped");
out:
	longpoll_shutdown(&o);
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	http_stop(&o);
	if (o.base)
		event_base_free(o.base);
	assign_free(o.as);
	store_close(o.st);
	return rc;
}
