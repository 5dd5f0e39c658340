// SPDX-License-Identifier: GPL-2.0
/*
 * RVS duties (SPEC §7): long-poll the ops server for the region's task,
 * decide who needs it, download and verify once, store, offer it in the
 * beacons, serve it, report progress until the region converged, install
 * our own upgrade last.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "clear.h"
#include "fetch.h"
#include "hexb64.h"
#include "log.h"
#include "need.h"
#include "pkgsrv.h"
#include "store.h"

#define POLL_TIMEOUT_S 120

/* One report waiting to be sent; a final one is kept until the server took it. */
static struct {
	bool pending;
	bool final;
	int64_t task;
	char state[32];
	char reason[256];
	bool has_nodes;
	size_t n_nodes;
	struct api_report_node *nodes; /* malloc()ed */
	uint64_t retry_ms;
	struct backoff bo;
} rep;

static void send_pending_report(struct agent *a);

/* The last report sent is kept whole until the server took it or it will
 * not be sent again: a resend carries everything the first attempt did.
 */
static void report_drop_nodes(void)
{
	free(rep.nodes);
	rep.nodes = NULL;
	rep.n_nodes = 0;
	rep.has_nodes = false;
}

static void on_report(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	bool ok = !r->curl_code && r->http_code == 200;
	bool resend = false;

	a->report_fetch = NULL;
	if (!ok) {
		if (r->curl_code)
			agent_error(a, "report to %s: %s", a->cfg.url,
				    r->error);
		else
			agent_error(a, "report refused: HTTP %ld: %.200s",
				    r->http_code, r->body ? r->body : "");
		/* 4xx will not get better by repeating; the server or network may. */
		resend = rep.final && !rep.pending &&
			 (r->curl_code || r->http_code >= 500);
	}
	fetch_free(f);
	if (resend) {
		rep.pending = true;
		rep.retry_ms =
			clock_mono_ms() + backoff_next(&rep.bo, agent_rand());
	} else if (ok) {
		backoff_reset(&rep.bo);
	}
	if (!rep.pending)
		report_drop_nodes();
	if (rep.pending && !resend)
		send_pending_report(a);
}

static void send_pending_report(struct agent *a)
{
	struct api_report m = { 0 };
	struct fetch_opts o = {
		.ca = a->cfg.ca,
		.bearer = a->st.reg.token,
		.node_hex = a->cfg.node_hex,
		.timeout_s = a->cfg.timeout_s,
	};

	if (!rep.pending || a->report_fetch || clock_mono_ms() < rep.retry_ms)
		return;
	m.task_id = rep.task;
	m.term = a->eo.term;
	snprintf(m.state, sizeof(m.state), "%s", rep.state);
	snprintf(m.reason, sizeof(m.reason), "%s", rep.reason);
	m.has_nodes = rep.has_nodes;
	m.n_nodes = rep.n_nodes;
	m.nodes = rep.nodes;
	a->report_fetch = agent_api_start(a, &o, "/api/v1/reports",
					  api_report_encode(&m), on_report);
	if (a->report_fetch)
		rep.pending = false;
}

/* A report's per-node list (need_report()). */
struct report_nodes {
	bool has; /* "nodes" is sent */
	size_t n;
	struct api_report_node *v; /* malloc()ed; report_nodes() takes it */
};

/* Queue a report (replacing an older pending one) and send it when the line is free. */
static void report_nodes(struct agent *a, const char *state, const char *reason,
			 struct report_nodes *nodes)
{
	if (rep.pending && rep.final && strcmp(state, rep.state) &&
	    a->task.id == rep.task)
		ainfo("task %" PRId64 ": report %s replaces unsent %s",
		      a->task.id, state, rep.state);
	free(rep.nodes);
	rep.pending = true;
	rep.task = a->task.id;
	rep.final = !strcmp(state, "up_to_date") ||
		    !strcmp(state, "complete") || !strcmp(state, "partial") ||
		    !strcmp(state, "failed");
	snprintf(rep.state, sizeof(rep.state), "%s", state);
	snprintf(rep.reason, sizeof(rep.reason), "%s", reason ? reason : "");
	rep.has_nodes = nodes && nodes->has;
	rep.n_nodes = nodes ? nodes->n : 0;
	rep.nodes = nodes ? nodes->v : NULL;
	rep.retry_ms = 0;
	snprintf(a->task.last_state, sizeof(a->task.last_state), "%s", state);
	ainfo("task %" PRId64 " (%s): report %s%s%s", a->task.id,
	      a->task.version, state, reason ? ": " : "", reason ? reason : "");
	a->status_dirty = true;
	send_pending_report(a);
}

static void report(struct agent *a, const char *state, const char *reason)
{
	report_nodes(a, state, reason, NULL);
}

static void task_retry(struct agent *a)
{
	uint32_t d = backoff_next(&a->task.bo, agent_rand());

	a->task.phase = TASK_WAIT_RETRY;
	a->poll_retry_ms = clock_mono_ms() + d;
	ainfo("task %" PRId64 ": retrying in %u ms", a->task.id, d);
}

/* package_abnormal with "<reason>: <detail>", then a retry after the backoff. */
static void abnormal(struct agent *a, int rc, const char *detail)
{
	char reason[256];

	snprintf(reason, sizeof(reason), "%s: %s", release_reason(rc), detail);
	agent_error(a, "task %" PRId64 ": package %s refused: %s", a->task.id,
		    a->task.version, reason);
	report(a, "package_abnormal", reason);
	task_retry(a);
}

static void set_offer(struct agent *a, const struct release_manifest *m)
{
	memset(&a->offer, 0, sizeof(a->offer));
	snprintf(a->offer.version, sizeof(a->offer.version), "%s", m->version);
	memcpy(a->offer.sha256, m->sha256, RUP_SHA256_LEN);
	a->offer.size = m->size;
	a->offer.port = a->cfg.http_port;
	snprintf(a->offer.path, sizeof(a->offer.path), "/pkg/%s", m->version);
	a->offer_m = *m;
	a->offering = true;
	ainfo("offering %s (%" PRIu64 " bytes) on port %u", m->version, m->size,
	      a->cfg.http_port);
	agent_publish(a);
	a->status_dirty = true;
}

/* The package service's caller check: in the region's peer table. */
static bool is_peer(void *arg, struct in_addr ip)
{
	const struct agent *a = arg;

	for (size_t i = 0; i < a->npeers; i++)
		if (a->peers[i].addr.s_addr == ip.s_addr)
			return true;
	return false;
}

static bool ensure_service(struct agent *a)
{
	struct pkgsrv_opts o = {
		.store = a->cfg.store_dir,
		.port = a->cfg.http_port,
		.lim = a->cfg.http,
		.is_member = is_peer,
		.arg = a,
	};
	struct in_addr group = { .s_addr = a->st.reg.group };
	char err[256];

	if (a->srv)
		return true;
	if (!pkgsrv_region_addr(a->cfg.ifname, group, &o.addr, err,
				sizeof(err)))
		a->srv = pkgsrv_start(a->base, &o, err, sizeof(err));
	if (a->srv) {
		a->srv_failed = false;
		return true;
	}
	/* An RVS that cannot serve marks itself abnormal and steps down (SPEC §6). */
	agent_error(a, "%s: stepping down", err);
	a->srv_failed = true;
	election_set_abnormal(&a->el, true);
	return false;
}

static struct need_view view(struct agent *a)
{
	struct need_view v = {
		.self_hex = a->cfg.node_hex,
		.self_version = a->st.version,
		.peers = a->peers,
		.n = a->npeers,
	};
	return v;
}

static void on_self_installed(struct agent *a, bool ok)
{
	(void)ok;
	if (a->task.phase == TASK_INSTALLING_SELF)
		a->task.phase = TASK_DONE;
}

static void finish_why(struct agent *a, const char *state, const char *reason,
		       struct report_nodes *nodes)
{
	report_nodes(a, state, reason, nodes);
	election_set_distributing(&a->el, false);
	a->task.phase = TASK_DONE;
	/* Our own upgrade comes last, once the region is served (SPEC §7 step 6). */
	if (need_classify(&a->task.m.rng, &a->task.m.ver, a->st.version, 0) ==
		    NEED_PENDING &&
	    !member_install_stored(a, &a->task.m, on_self_installed))
		a->task.phase = TASK_INSTALLING_SELF;
}

static void finish(struct agent *a, const char *state,
		   struct report_nodes *nodes)
{
	finish_why(a, state, NULL, nodes);
}

static void start_distributing(struct agent *a)
{
	if (!ensure_service(a))
		return;
	set_offer(a, &a->task.m);
	a->task.phase = TASK_DISTRIBUTING;
	/* A corrupt copy fetched again keeps the region's deadline. */
	if (!a->task.refetch || !a->task.started_ms)
		a->task.started_ms = clock_mono_ms();
	a->task.refetch = false;
	a->next_report_ms = 0;
	backoff_reset(&a->task.bo);
	election_set_distributing(&a->el, true);
	report(a, "distributing", NULL);
}

static void start_download(struct agent *a);

/*
 * The task's payload: distribute it once it verified in the store (or its
 * downloaded part did), wait while it is hashed, else download it.
 */
static void task_store_step(struct agent *a)
{
	struct rvs_task *t = &a->task;
	char err[256];
	int rc = t->downloaded ?
			 store_commit(a->cfg.store_dir, &t->m, t->manifest,
				      t->manifest_len, t->sig, err,
				      sizeof(err)) :
			 store_has(a->cfg.store_dir, a->cfg.keys, &t->m);

	if (rc == -EINPROGRESS) {
		t->phase = TASK_VERIFYING;
		return;
	}
	if (!rc) {
		ainfo("task %" PRId64 ": %s %s", t->id, t->version,
		      t->downloaded ? "downloaded and verified" :
				      "already in the store");
		t->downloaded = false;
		start_distributing(a);
		member_prune_store(a);
	} else if (t->downloaded) {
		t->downloaded = false;
		abnormal(a, rc, err);
	} else {
		if (strcmp(t->last_state, "downloading"))
			report(a, "downloading", NULL);
		start_download(a);
	}
}

static void on_download(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	char msg[300];

	a->task_fetch = NULL;
	if (r->too_big) {
		char part[600];

		store_path(a->cfg.store_dir, a->task.version, STORE_PART, part,
			   sizeof(part));
		unlink(part);
		fetch_free(f);
		abnormal(a, -EFBIG, "download went past the signed size");
		return;
	}
	if (r->curl_code || (r->http_code != 200 && r->http_code != 206 &&
			     r->http_code != 416)) {
		if (r->curl_code)
			snprintf(msg, sizeof(msg), "%s", r->error);
		else
			snprintf(msg, sizeof(msg), "HTTP %ld: %.200s",
				 r->http_code, r->body ? r->body : "");
		agent_error(a,
			    "task %" PRId64 ": download %s: %s (will resume)",
			    a->task.id, a->task.url, msg);
		fetch_free(f);
		task_retry(a);
		return;
	}
	fetch_free(f);
	a->task.downloaded = true;
	task_store_step(a);
}

static void start_download(struct agent *a)
{
	char part[600];
	struct fetch_opts o = {
		.url = a->task.url,
		.ca = a->cfg.ca,
		.bearer = a->st.reg.token,
		.node_hex = a->cfg.node_hex,
		.connect_timeout_s = 10,
		.low_speed_s = 30,
		.out_path = part,
		.resume = true,
		.max_bytes = a->task.m.size,
	};

	if (store_path(a->cfg.store_dir, a->task.version, STORE_PART, part,
		       sizeof(part))) {
		abnormal(a, -ENAMETOOLONG, "store path too long");
		return;
	}
	a->task_fetch = fetch_start(&o, on_download, a);
	if (!a->task_fetch) {
		task_retry(a);
		return;
	}
	a->task.phase = TASK_DOWNLOADING;
}

/* SPEC §7 steps 1-3 for a task the server handed us. */
static void task_begin(struct agent *a)
{
	struct rvs_task *t = &a->task;
	struct need_view v = view(a);
	struct need_summary sum;
	struct semver self;
	char err[300];
	int rc;

	rc = store_verify_manifest(a->cfg.keys, t->manifest, t->manifest_len,
				   t->sig, &t->m, err, sizeof(err));
	if (rc) {
		abnormal(a, rc, err);
		return;
	}
	if (strcmp(t->m.version, t->version)) {
		snprintf(err, sizeof(err),
			 "task names %s, its signed manifest %s", t->version,
			 t->m.version);
		abnormal(a, -EINVAL, err);
		return;
	}
	/* A registered node missing from the table may still need it. */
	need_report(&t->m.rng, &t->m.ver, &v, t->nodes, t->n_nodes, NULL, &sum);
	if (!need_count(&t->m.rng, &t->m.ver, &v) && !sum.unreachable) {
		/* Nobody eligible. Lower than what we run is a refused downgrade. */
		if (!semver_parse(a->st.version, &self, NULL, 0) &&
		    semver_cmp(&t->m.ver, &self) < 0) {
			snprintf(
				err, sizeof(err),
				"%s: release %s is lower than the installed %s",
				release_reason(-ESTALE), t->version,
				a->st.version);
			agent_error(a, "task %" PRId64 ": %s", t->id, err);
			report(a, "failed", err);
		} else {
			report(a, "up_to_date", NULL);
		}
		t->phase = TASK_DONE;
		return;
	}
	t->downloaded = false;
	task_store_step(a);
}

/* Step 1: take the task document. 0, or -1 with the reason reported. */
static int task_take(struct agent *a, struct api_task *m)
{
	struct rvs_task *t = &a->task;

	if (m->task_id != t->id) {
		free(t->manifest);
		free(t->nodes);
		memset(t, 0, sizeof(*t));
		backoff_init(&t->bo, 1000, a->cfg.retry_max_s * 1000);
	}
	t->id = m->task_id;
	snprintf(t->version, sizeof(t->version), "%s", m->version);
	snprintf(t->url, sizeof(t->url), "%s", m->url);
	memcpy(t->sig, m->signature, strlen(m->signature) + 1);
	free(t->manifest);
	t->manifest = NULL;
	free(t->nodes);
	t->nodes = m->nodes; /* taken over */
	t->n_nodes = m->n_nodes;
	m->nodes = NULL;
	m->n_nodes = 0;
	if (b64_from_text_alloc(m->manifest, RELEASE_MANIFEST_MAX,
				(uint8_t **)&t->manifest, &t->manifest_len)) {
		abnormal(a, -EINVAL, "task manifest is not base64");
		return -1;
	}
	return 0;
}

/* A 200 reply: the task (decoded strictly, docs/API.md). */
static void on_task(struct agent *a, const char *body, size_t len)
{
	struct api_task m;
	char err[300];
	json_t *j = api_load(body, len, API_MSG_TASK, err, sizeof(err));

	if (!j || api_task_decode(j, &m, err, sizeof(err)) ||
	    (strlen(m.signature) > RELEASE_SIG_B64_LEN &&
	     snprintf(err, sizeof(err), "%s: signature: too long",
		      API_MSG_TASK))) {
		if (j)
			api_task_free(&m);
		json_decref(j);
		agent_error(a, "task poll: %s", err);
		a->poll_retry_ms = clock_mono_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
		return;
	}
	json_decref(j);
	if (a->task.phase == TASK_DONE && m.task_id == a->task.id) {
		/* Still open on the server: our final report did not land. */
		if (!rep.pending && !a->report_fetch)
			a->poll_retry_ms = clock_mono_ms() + 1000;
	} else if (!task_take(a, &m)) {
		ainfo("task %" PRId64 ": release %s for region %u", a->task.id,
		      a->task.version, a->st.reg.region);
		task_begin(a);
	} else {
		a->poll_retry_ms = clock_mono_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
	}
	api_task_free(&m);
}

static void on_poll(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	uint32_t d;

	a->poll_fetch = NULL;
	/*
	 * Two nodes claimed the same term at once; the server took the other's
	 * claim, the region kept ours (higher rank). Claim again above it, as
	 * a fresh claim would; the server then fences the other node.
	 */
	if (!r->curl_code && r->http_code == 409 && r->body &&
	    strstr(r->body, "is held by node") && a->eo.self_rvs &&
	    a->el.term == a->eo.term) {
		a->el.term = (a->el.max_term > a->el.term ? a->el.max_term :
							    a->el.term) +
			     1;
		a->el.max_term = a->el.term;
		ainfo("region %u: term %" PRIu64
		      " is held by another node at the ops server: "
		      "claiming term %" PRIu64,
		      a->st.reg.region, a->eo.term, a->el.term);
		fetch_free(f);
		agent_kick(a);
		return;
	}
	if (r->curl_code || (r->http_code != 200 && r->http_code != 204)) {
		d = backoff_next(&a->poll_bo, agent_rand());
		if (r->curl_code)
			agent_error(a, "task poll %s: %s; retrying in %u ms",
				    a->cfg.url, r->error, d);
		else
			agent_error(
				a,
				"task poll: HTTP %ld: %.200s; retrying in %u ms",
				r->http_code, r->body ? r->body : "", d);
		a->poll_retry_ms = clock_mono_ms() + d;
		fetch_free(f);
		return;
	}
	backoff_reset(&a->poll_bo);
	if (r->http_code == 204) {
		fetch_free(f);
		agent_kick(a);
		return;
	}
	on_task(a, r->body, r->body_len);
	fetch_free(f);
}

static void start_poll(struct agent *a)
{
	char path[80];
	struct fetch_opts o = {
		.ca = a->cfg.ca,
		.bearer = a->st.reg.token,
		.node_hex = a->cfg.node_hex,
		.timeout_s = POLL_TIMEOUT_S,
	};

	/* The server holds it for its own long-poll timeout (at most an hour). */
	snprintf(path, sizeof(path), "/api/v1/tasks?region=%u&term=%" PRIu64,
		 a->st.reg.region, a->eo.term);
	a->poll_fetch = agent_api_start(a, &o, path, NULL, on_poll);
	if (!a->poll_fetch)
		a->poll_retry_ms = clock_mono_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
}

static void progress(struct agent *a)
{
	struct need_view v = view(a);
	struct need_summary sum;
	char why[64];
	struct report_nodes nodes = { .has = true };

	nodes.v =
		calloc(a->task.n_nodes ? a->task.n_nodes : 1, sizeof(*nodes.v));
	if (!nodes.v)
		return;
	nodes.n = need_report(&a->task.m.rng, &a->task.m.ver, &v, a->task.nodes,
			      a->task.n_nodes, nodes.v, &sum);
	if (sum.converged) {
		finish(a, "complete", &nodes);
	} else if (sum.hook_failed &&
		   (sum.settled ||
		    a->now_ms - a->task.started_ms >=
			    (uint64_t)a->cfg.deadline_s * 1000)) {
		/*
		 * A failed install hook fails the region (it counts toward a
		 * rollout's failure threshold), as soon as nothing else is
		 * outstanding. The offer stays: a member whose hook later
		 * succeeds still shows as upgraded.
		 */
		snprintf(why, sizeof(why), "hook_failed on %zu node%s",
			 sum.hook_failed, sum.hook_failed == 1 ? "" : "s");
		finish_why(a, "failed", why, &nodes);
	} else if (a->now_ms - a->task.started_ms >=
		   (uint64_t)a->cfg.deadline_s * 1000) {
		finish(a, "partial", &nodes);
	} else {
		report_nodes(a, "distributing", NULL, &nodes);
	}
}

/*
 * The offered copy is looked at every tick (a stat: store_check() hashes
 * only a changed file). One that no longer verifies (members would refuse
 * it with hash_mismatch) is withdrawn and deleted; while distributing it is
 * fetched again from the ops server within the same deadline.
 */
static void check_offer(struct agent *a)
{
	char pkg[600], err[256];
	int rc;

	if (!a->offering || store_path(a->cfg.store_dir, a->offer_m.version,
				       STORE_PKG, pkg, sizeof(pkg)))
		return;
	rc = store_check(pkg, &a->offer_m, err, sizeof(err));
	if (!rc || rc == -EINPROGRESS)
		return;
	agent_error(a, "offered %s no longer verifies (%s): withdrawn",
		    a->offer_m.version, err);
	a->offering = false;
	agent_publish(a);
	store_remove(a->cfg.store_dir, a->offer_m.version);
	if (a->task.phase == TASK_DISTRIBUTING &&
	    !strcmp(a->task.version, a->offer_m.version)) {
		a->task.refetch = true;
		start_download(a);
	}
	a->status_dirty = true;
}

void rvs_tick(struct agent *a)
{
	check_offer(a);
	if (!a->offering && ensure_service(a)) {
		struct release_manifest m;

		/* A new RVS offers what it has: nodes that missed a release still get it. */
		if (!store_best(a->cfg.store_dir, a->cfg.keys, &m))
			set_offer(a, &m);
	}
	if (!a->registered)
		return;
	if (rep.pending)
		send_pending_report(a);
	switch (a->task.phase) {
	case TASK_NONE:
	case TASK_DONE:
		if (!a->poll_fetch && a->now_ms >= a->poll_retry_ms)
			start_poll(a);
		break;
	case TASK_WAIT_RETRY:
		if (a->now_ms >= a->poll_retry_ms) {
			/* The task may have changed or closed: ask again. */
			a->task.phase = TASK_NONE;
			if (!a->poll_fetch)
				start_poll(a);
		}
		break;
	case TASK_DISTRIBUTING:
		if (a->now_ms >= a->next_report_ms && !a->report_fetch) {
			a->next_report_ms = a->now_ms + a->cfg.report_ms;
			progress(a);
		}
		break;
	case TASK_VERIFYING:
		task_store_step(a);
		break;
	case TASK_DOWNLOADING:
	case TASK_INSTALLING_SELF:
		break;
	}
}

void rvs_stop(struct agent *a)
{
	CLEAR_PTR(a->poll_fetch, fetch_cancel);
	CLEAR_PTR(a->task_fetch, fetch_cancel);
	CLEAR_PTR(a->report_fetch, fetch_cancel);
	rep.pending = false;
	report_drop_nodes();
	if (a->task.phase != TASK_INSTALLING_SELF)
		a->task.phase = TASK_NONE;
	if (a->offering) {
		a->offering = false;
		ainfo("no longer RVS: offer withdrawn");
	}
	if (a->srv) {
		pkgsrv_stop(a->srv);
		a->srv = NULL;
	}
	election_set_distributing(&a->el, false);
	a->status_dirty = true;
}
