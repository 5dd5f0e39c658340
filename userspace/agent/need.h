/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parts of the RVS's upgrade task (SPEC §7 steps 2 and 5): which nodes
 * of the region need a release, and the per-node report with convergence.
 */
#ifndef RUP_AGENT_NEED_H
#define RUP_AGENT_NEED_H

#include <stdbool.h>
#include <stddef.h>
#include "api.h"
#include "knl.h"
#include "semver.h"

/* The region as the RVS sees it: itself plus its version table. */
struct need_view {
	const char *self_hex; /* 32 hex digits */
	const char *self_version;
	const struct rupnl_peer *peers;
	size_t n;
};

/* Per-node verdicts in a report. */
enum need_state {
	NEED_CURRENT, /* at or above the release */
	NEED_PENDING, /* eligible, not upgraded yet */
	NEED_HOOK_FAILED, /* eligible; its last install hook failed */
	NEED_NOT_APPLICABLE, /* lower, but outside the range */
	NEED_UNREACHABLE, /* registered, not in the version table */
	NEED_BAD_VERSION, /* announces an unparsable version */
};

const char *need_state_name(enum need_state s);
/* The verdict for one node at @version with @role bits. */
enum need_state need_classify(const struct range *r, const struct semver *rel,
			      const char *version, uint32_t role);
/* How many nodes (itself included) are eligible for the release. */
size_t need_count(const struct range *r, const struct semver *rel,
		  const struct need_view *v);

struct need_summary {
	size_t total, current, pending, hook_failed, not_applicable,
		unreachable;
	bool converged; /* no member pending/failed, none unreachable */
	bool settled; /* no member pending or unreachable: only hook failures left */
};

/*
 * The report's "nodes": one entry in @out per node the server listed as
 * registered in the region (@registered, @n_registered hex ids), in that
 * order; states as docs/API.md names them. Table nodes the server did not
 * list are counted in @sum but not listed (the server refuses unknown
 * nodes). The RVS itself is counted but does not stop convergence (it
 * installs last). @out holds @n_registered entries or is NULL (only
 * count); returns how many were filled.
 */
size_t need_report(const struct range *r, const struct semver *rel,
		   const struct need_view *v, const api_node_id *registered,
		   size_t n_registered, struct api_report_node *out,
		   struct need_summary *sum);

#endif
