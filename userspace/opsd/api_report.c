// SPDX-License-Identifier: GPL-2.0
/* rup-opsd POST /api/v1/reports: an RVS reports its task, fenced by term. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "http.h"
#include "longpoll.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "semver.h"
#include "store.h"
#include "task.h"

struct report {
	struct api_report m;
	struct store_report r;
	char bad[300]; /* why the entry after the last decoded one is malformed */
	struct store_report_node *nodes;
};

/*
 * A report whose "nodes" entry @i is malformed: decode the entries before
 * it, and keep @why for the store to refuse in request order (after the
 * task, its region, the term and its state, as the old loop did).
 */
static int decode_prefix(json_t *body, size_t i, struct report *rp,
			 const char *why, char *err, size_t errlen)
{
	json_t *copy = json_copy(body), *nodes = NULL;
	int rc = -1;

	if (copy)
		nodes = json_copy(json_object_get(copy, "nodes"));
	if (nodes && !json_object_set_new(copy, "nodes", nodes)) {
		while (json_array_size(nodes) > i)
			json_array_remove(nodes, i);
		rc = api_report_decode(copy, &rp->m, err, errlen);
	}
	json_decref(copy);
	if (!rc) {
		snprintf(rp->bad, sizeof(rp->bad), "%s", why);
		rp->r.malformed_next = 1;
	}
	return rc;
}

/* The body into @rp: all of it, or the entries before a malformed one. */
static int decode(json_t *body, struct report *rp, char *err, size_t errlen)
{
	char why[300];
	size_t i;

	if (!api_report_decode(body, &rp->m, why, sizeof(why)))
		return 0;
	/* The reply already says "report from node N". */
	http_api_detail(why, API_MSG_REPORT);
	snprintf(err, errlen, "%s", why);
	if (sscanf(why, "nodes[%zu]", &i) != 1)
		return -1;
	return decode_prefix(body, i, rp, why, err, errlen);
}

static int parse(json_t *body, struct report *rp, char *err, size_t errlen)
{
	struct semver sv;
	size_t i;

	if (decode(body, rp, err, errlen))
		return -1;
	rp->nodes = calloc(rp->m.n_nodes + 1, sizeof(*rp->nodes));
	if (!rp->nodes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < rp->m.n_nodes; i++) {
		const struct api_report_node *n = &rp->m.nodes[i];

		memcpy(rp->nodes[i].id, n->node_id, sizeof(rp->nodes[i].id));
		rp->nodes[i].version = n->version;
		rp->nodes[i].state = n->state;
		/*
		 * A node may beacon a version that is not SemVer (the RVS
		 * reports it as pending): keep the text in the task's record,
		 * not as the node's version.
		 */
		rp->nodes[i].valid = n->version[0] &&
				     !semver_parse(n->version, &sv, NULL, 0);
	}
	rp->r.task = (uint64_t)rp->m.task_id;
	rp->r.claim.term = rp->m.term;
	rp->r.state = rp->m.state;
	rp->r.reason = rp->m.reason;
	rp->r.nodes = rp->nodes;
	rp->r.nnodes = rp->m.n_nodes;
	return 0;
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

static void reply(struct evhttp_request *req, const struct report *rp)
{
	struct api_reported m = { .task_id = rp->m.task_id,
				  .final =
					  api_report_state_final(rp->m.state) };

	memcpy(m.state, rp->m.state, sizeof(m.state));
	http_json(req, 200, api_reported_encode(&m));
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
	free(rp.nodes);
	if (code) {
		http_error(req, code, "report from node %s: %s", node, err);
		api_report_free(&rp.m);
		return;
	}
	if (rp.r.claim.raised)
		longpoll_fence(o, rp.r.claim.region, rp.r.claim.term);
	if (rp.r.woke)
		longpoll_wake(o);
	reply(req, &rp);
	api_report_free(&rp.m);
}
