// SPDX-License-Identifier: GPL-2.0
/* rup-opsd POST /api/v1/reports: an RVS reports its task, fenced by term. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "jfield.h"
#include "longpoll.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "semver.h"
#include "store.h"
#include "task.h"

struct node_entry {
	struct store_report_node n;
	char version[SEMVER_MAX_LEN + 1], state[32];
};

static int printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return 0;
	return 1;
}

static int node_state_ok(const char *state)
{
	static const char *const states[] = { "upgraded",	"pending",
					      "unreachable",	"failed",
					      "not_applicable", NULL };
	const char *const *s;

	for (s = states; *s && strcmp(*s, state); s++)
		;
	return *s != NULL;
}

/* One entry of a report's "nodes": {node_id, version, state}. */
static int parse_node(json_t *e, struct node_entry *ne, size_t i, char *err,
		      size_t errlen)
{
	static const char *const fields[] = { "node_id", "version", "state",
					      NULL };
	char e2[200];
	struct semver sv;

	if (!json_is_object(e)) {
		snprintf(err, errlen, "nodes[%zu]: must be an object", i);
		return -1;
	}
	if (jf_only(e, fields, e2, sizeof(e2)) ||
	    jf_str(e, "node_id", ne->n.id, 32, e2, sizeof(e2)) ||
	    jf_str(e, "state", ne->state, sizeof(ne->state) - 1, e2,
		   sizeof(e2)) ||
	    jf_str_opt(e, "version", ne->version, SEMVER_MAX_LEN, e2,
		       sizeof(e2))) {
		snprintf(err, errlen, "nodes[%zu]: %s", i, e2);
		return -1;
	}
	if (!printable(ne->version)) {
		snprintf(err, errlen,
			 "nodes[%zu]: version has unprintable characters", i);
		return -1;
	}
	/*
	 * A node may beacon a version that is not SemVer (the RVS reports it as
	 * pending): keep the text in the task's record, not as the node's version.
	 */
	ne->n.valid = ne->version[0] &&
		      !semver_parse(ne->version, &sv, NULL, 0);
	if (!is_node_id(ne->n.id)) {
		snprintf(err, errlen,
			 "nodes[%zu]: node_id must be 32 hex digits", i);
		return -1;
	}
	node_id_lower(ne->n.id);
	if (!node_state_ok(ne->state)) {
		snprintf(
			err, errlen,
			"nodes[%zu]: state '%s' is not one of upgraded, pending, "
			"unreachable, failed, not_applicable",
			i, ne->state);
		return -1;
	}
	ne->n.version = ne->version;
	ne->n.state = ne->state;
	return 0;
}

struct report {
	struct store_report r;
	char state[32], reason[256];
	char bad[300]; /* why the entry after the last parsed one is malformed */
	struct node_entry *entries;
	struct store_report_node *nodes;
};

/*
 * The entries of "nodes" into @rp, up to the first malformed one (its
 * message kept for the store to refuse in request order); -1 with @err.
 */
static int parse_nodes(json_t *nodes, struct report *rp, char *err,
		       size_t errlen)
{
	size_t i, n = json_array_size(nodes);

	if (nodes && (!json_is_array(nodes) || n > 100000)) {
		snprintf(err, errlen, "nodes: must be an array");
		return -1;
	}
	rp->entries = calloc(n + 1, sizeof(*rp->entries));
	rp->nodes = calloc(n + 1, sizeof(*rp->nodes));
	if (!rp->entries || !rp->nodes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rp->r.nodes = rp->nodes;
	for (i = 0; i < n; i++) {
		if (parse_node(json_array_get(nodes, i), &rp->entries[i], i,
			       rp->bad, sizeof(rp->bad))) {
			rp->r.malformed_next = 1;
			break;
		}
		rp->nodes[i] = rp->entries[i].n;
	}
	rp->r.nnodes = i;
	return 0;
}

static const char *const report_fields[] = { "task_id", "term",	 "state",
					     "reason",	"nodes", NULL };

static int parse(json_t *body, struct report *rp, char *err, size_t errlen)
{
	uint64_t term;

	if (jf_only(body, report_fields, err, errlen) ||
	    jf_uint(body, "task_id", 1, INT64_MAX, &rp->r.task, err, errlen) ||
	    jf_uint(body, "term", 0, INT64_MAX, &term, err, errlen) ||
	    jf_str(body, "state", rp->state, sizeof(rp->state) - 1, err,
		   errlen) ||
	    jf_str_opt(body, "reason", rp->reason, sizeof(rp->reason) - 1, err,
		       errlen))
		return -1;
	rp->r.claim.term = term;
	rp->r.state = rp->state;
	rp->r.reason = rp->reason;
	if (!task_state_is_report(rp->state)) {
		snprintf(
			err, errlen,
			"state: '%s' is not one of up_to_date, downloading, "
			"package_abnormal, distributing, complete, partial, failed",
			rp->state);
		return -1;
	}
	if ((!strcmp(rp->state, "package_abnormal") ||
	     !strcmp(rp->state, "failed")) &&
	    !rp->reason[0]) {
		snprintf(err, errlen, "reason: required with state %s",
			 rp->state);
		return -1;
	}
	return parse_nodes(json_object_get(body, "nodes"), rp, err, errlen);
}

/* The HTTP status and message of a report the store refused. */
static int refused(enum store_rc rc, const struct store_report *r, char *err,
		   size_t errlen)
{
	switch (rc) {
	case STORE_NOT_FOUND:
		snprintf(err, errlen, "task %" PRIu64 ": no such task",
			 r->task);
		return 404;
	case STORE_FORBIDDEN:
		snprintf(err, errlen,
			 "task %" PRIu64 ": belongs to region %u, node %s to "
			 "region %u",
			 r->task, r->task_region, r->claim.node,
			 r->claim.region);
		return 403;
	case STORE_FENCED:
		region_fenced(err, errlen, &r->claim);
		return 409;
	case STORE_CONFLICT:
		snprintf(err, errlen,
			 "task %" PRIu64 ": is %s, no %s report accepted",
			 r->task, r->cur, r->state);
		return 409;
	case STORE_INVALID:
		if (r->bad_node == r->nnodes)
			return 400; /* malformed: @err holds why */
		snprintf(err, errlen,
			 "nodes[%zu]: node %s is not registered in region %u",
			 r->bad_node, r->nodes[r->bad_node].id,
			 r->claim.region);
		return 400;
	default:
		snprintf(err, errlen,
			 rc == STORE_BUSY ? "database busy" : "database error");
		return 500;
	}
}

void h_reports(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct report rp = { .r.bad_node = 0 };
	char node[33], err[300] = "";
	enum store_rc rc = STORE_OK;
	json_t *body;
	int code = 400;

	(void)arg;
	if (auth_node(o, req, node, &rp.r.claim.region))
		return;
	body = http_body_json(o, req);
	if (!body)
		return;
	rp.r.claim.node = node;
	if (!parse(body, &rp, err, sizeof(err))) {
		rc = store_report(o->st, &rp.r);
		snprintf(err, sizeof(err), "%s", rp.bad);
		code = rc ? refused(rc, &rp.r, err, sizeof(err)) : 0;
	}
	json_decref(body);
	free(rp.entries);
	free(rp.nodes);
	if (code) {
		http_error(req, code, "report from node %s: %s", node, err);
		return;
	}
	if (rp.r.claim.raised)
		longpoll_fence(o, rp.r.claim.region, rp.r.claim.term);
	if (rp.r.woke)
		longpoll_wake(o);
	http_json(req, 200,
		  json_pack("{s:I,s:s,s:b}", "task_id", (json_int_t)rp.r.task,
			    "state", rp.state, "final",
			    task_state_is_final(rp.state)));
}
