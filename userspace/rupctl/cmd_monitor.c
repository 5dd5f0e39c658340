// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl monitor: one line per event from the "events" group, flushed at
 * once so a script reading a pipe or file sees it without delay.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "names.h"
#include "parse.h"
#include "peerfmt.h"
#include "rupctl.h"

struct mon {
	uint32_t region; /* RUPNL_NO_REGION: all */
	uint64_t left; /* events still to print; 0: unlimited */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl [-j] monitor [region ID] [count N]\n"
		"Prints rup events as they happen, one line each (JSON lines with -j):\n"
		"peer-new, peer-changed (with what changed), peer-gone, rvs-lost.\n"
		"count N exits after N events. Exits 3 when the module is unloaded.\n");
}

static int event_cb(const struct rupnl_event *ev, void *arg)
{
	const char *name = rup_event_name(ev->cmd);
	struct mon *m = arg;

	if (!name ||
	    (m->region != RUPNL_NO_REGION && ev->peer.region != m->region))
		return 0;
	if (rupctl_opts.json) {
		json_t *j = peer_json(&ev->peer);

		json_object_set_new(j, "event", json_string(name));
		rupctl_json_print(j);
	} else {
		printf("%s ", name);
		peer_text(stdout, &ev->peer);
		printf("\n");
		fflush(stdout);
	}
	if (m->left && --m->left == 0)
		return 1; /* done */
	return 0;
}

static int parse_args(int argc, char **argv, struct mon *m)
{
	const char *v;
	int i;

	for (i = 1; i < argc; i++) {
		const char *k = argv[i];

		v = rupctl_arg(&i, argc, argv, "monitor");
		if (!v)
			return RUPCTL_EXIT_USAGE;
		if (!strcmp(k, "region")) {
			if (parse_u32(v, UINT32_MAX - 1, &m->region))
				return rupctl_bad_value("monitor", k, v,
							"a region id");
		} else if (!strcmp(k, "count")) {
			if (parse_u64(v, UINT64_MAX, &m->left) || !m->left)
				return rupctl_bad_value("monitor", k, v,
							"a positive number");
		} else {
			rupctl_err("monitor: unknown option \"%s\"", k);
			return RUPCTL_EXIT_USAGE;
		}
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct mon m = { .region = RUPNL_NO_REGION };
	struct rupnl nl;
	int err;

	if (rupctl_wants_help(argc, argv)) {
		usage(stdout);
		return RUPCTL_EXIT_OK;
	}
	err = parse_args(argc, argv, &m);
	if (err)
		return err;
	err = rupctl_nl_open(&nl);
	if (err)
		return err;
	err = rupnl_join_events(&nl);
	if (err) {
		err = rupctl_nl_fail(&nl, err, "monitor: join events group");
		goto out;
	}
	for (;;) {
		err = rupnl_monitor_next(&nl, event_cb, &m);
		if (err == 1) {
			err = RUPCTL_EXIT_OK;
			break;
		}
		if (err == -ENOBUFS) {
			/* Kernel dropped events for us; say so and keep going. */
			rupctl_err("monitor: events lost (socket overrun)");
			continue;
		}
		if (err == -EINTR)
			continue;
		if (err == -ESHUTDOWN) {
			rupctl_err("monitor: rup module unloaded");
			err = RUPCTL_EXIT_NOMODULE;
			break;
		}
		if (err) {
			err = rupctl_nl_fail(&nl, err, "monitor");
			break;
		}
	}
out:
	rupnl_close(&nl);
	return err;
}
