// SPDX-License-Identifier: GPL-2.0
/*
 * RVS duties (SPEC §7): long-poll the ops server for the region's task,
 * decide who needs it, download and verify once, store, offer it in the
 * beacons, serve it, report progress until the region converged, install
 * our own upgrade last.
 */
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "fetch.h"
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
	json_t *nodes;
	uint64_t retry_ms;
	struct backoff bo;
} rep;

static void send_pending_report(struct agent *a);

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
			agent_now_ms() + backoff_next(&rep.bo, agent_rand());
	} else if (ok) {
		backoff_reset(&rep.bo);
	}
	if (rep.pending && !resend)
		send_pending_report(a);
}

static void send_pending_report(struct agent *a)
{
	char url[700], *body;
	json_t *j;
	struct fetch_opts o = {
		.url = url,
		.ca = a->cfg.ca,
		.bearer = a->st.reg.token,
		.node_hex = a->cfg.node_hex,
		.timeout_s = a->cfg.timeout_s,
	};

	if (!rep.pending || a->report_fetch || agent_now_ms() < rep.retry_ms)
		return;
	j = json_pack("{s:I, s:I, s:s}", "task_id", (json_int_t)rep.task,
		      "term", (json_int_t)a->eo.term, "state", rep.state);
	if (rep.reason[0])
		json_object_set_new(j, "reason", json_string(rep.reason));
	if (rep.nodes)
		json_object_set(j, "nodes", rep.nodes);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	snprintf(url, sizeof(url), "%s/api/v1/reports", a->cfg.url);
	o.post_json = body;
	a->report_fetch = body ? fetch_start(&o, on_report, a) : NULL;
	free(body);
	if (a->report_fetch) {
		rep.pending = false;
		json_decref(rep.nodes);
		rep.nodes = NULL;
	}
}

/* Queue a report (replacing an older pending one) and send it when the line is free. */
static void report(struct agent *a, const char *state, const char *reason,
		   json_t *nodes)
{
	if (rep.pending && rep.final && strcmp(state, rep.state) &&
	    a->task.id == rep.task)
		ainfo("task %" PRId64 ": report %s replaces unsent %s",
		      a->task.id, state, rep.state);
	json_decref(rep.nodes);
	rep.pending = true;
	rep.task = a->task.id;
	rep.final = !strcmp(state, "up_to_date") ||
		    !strcmp(state, "complete") || !strcmp(state, "partial") ||
		    !strcmp(state, "failed");
	snprintf(rep.state, sizeof(rep.state), "%s", state);
	snprintf(rep.reason, sizeof(rep.reason), "%s", reason ? reason : "");
	rep.nodes = nodes;
	rep.retry_ms = 0;
	snprintf(a->task.last_state, sizeof(a->task.last_state), "%s", state);
	ainfo("task %" PRId64 " (%s): report %s%s%s", a->task.id,
	      a->task.version, state, reason ? ": " : "", reason ? reason : "");
	a->status_dirty = true;
	send_pending_report(a);
}

static void task_retry(struct agent *a)
{
	uint32_t d = backoff_next(&a->task.bo, agent_rand());

	a->task.phase = TASK_WAIT_RETRY;
	a->poll_retry_ms = agent_now_ms() + d;
	ainfo("task %" PRId64 ": retrying in %u ms", a->task.id, d);
}

/* package_abnormal with "<reason>: <detail>", then a retry after the backoff. */
static void abnormal(struct agent *a, int rc, const char *detail)
{
	char reason[256];

	snprintf(reason, sizeof(reason), "%s: %s", release_reason(rc), detail);
	agent_error(a, "task %" PRId64 ": package %s refused: %s", a->task.id,
		    a->task.version, reason);
	report(a, "package_abnormal", reason, NULL);
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

static bool ensure_service(struct agent *a)
{
	char err[256];

	if (a->srv)
		return true;
	a->srv = pkgsrv_start(a->base, a->cfg.store_dir, a->cfg.http_port,
			      a->cfg.http_max_conns, err, sizeof(err));
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
		       json_t *nodes)
{
	report(a, state, reason, nodes);
	election_set_distributing(&a->el, false);
	a->task.phase = TASK_DONE;
	/* Our own upgrade comes last, once the region is served (SPEC §7 step 6). */
	if (need_classify(&a->task.m.rng, &a->task.m.ver, a->st.version, 0) ==
		    NEED_PENDING &&
	    !member_install_stored(a, &a->task.m, on_self_installed))
		a->task.phase = TASK_INSTALLING_SELF;
}

static void finish(struct agent *a, const char *state, json_t *nodes)
{
	finish_why(a, state, NULL, nodes);
}

static void start_distributing(struct agent *a)
{
	if (!ensure_service(a))
		return;
	set_offer(a, &a->task.m);
	a->task.phase = TASK_DISTRIBUTING;
	a->task.started_ms = agent_now_ms();
	a->next_report_ms = 0;
	backoff_reset(&a->task.bo);
	election_set_distributing(&a->el, true);
	report(a, "distributing", NULL, NULL);
}

static void on_download(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	char err[256], msg[300];
	int rc;

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
	rc = store_commit(a->cfg.store_dir, &a->task.m, a->task.manifest,
			  a->task.manifest_len, a->task.sig, err, sizeof(err));
	if (rc) {
		abnormal(a, rc, err);
		return;
	}
	ainfo("task %" PRId64 ": %s downloaded and verified", a->task.id,
	      a->task.version);
	start_distributing(a);
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

static int b64_decode(const char *in, char **out, size_t *outlen)
{
	size_t n = strlen(in), pad = 0;
	unsigned char *buf;
	int len;

	if (!n || n % 4 || n > 4 * ((RELEASE_MANIFEST_MAX + 2) / 3))
		return -1;
	buf = malloc(n / 4 * 3 + 1);
	if (!buf)
		return -1;
	len = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)n);
	if (len < 0) {
		free(buf);
		return -1;
	}
	if (in[n - 1] == '=')
		pad++;
	if (in[n - 2] == '=')
		pad++;
	*outlen = (size_t)len - pad;
	buf[*outlen] = '\0';
	*out = (char *)buf;
	return 0;
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
	json_decref(need_report(&t->m.rng, &t->m.ver, &v, t->nodes, &sum));
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
			report(a, "failed", err, NULL);
		} else {
			report(a, "up_to_date", NULL, NULL);
		}
		t->phase = TASK_DONE;
		return;
	}
	if (!store_has(a->cfg.store_dir, a->cfg.keys, &t->m)) {
		ainfo("task %" PRId64 ": %s already in the store", t->id,
		      t->version);
		start_distributing(a);
		return;
	}
	if (strcmp(t->last_state, "downloading"))
		report(a, "downloading", NULL, NULL);
	start_download(a);
}

/* Step 1: parse the task document. 0, or -1 with the reason reported. */
static int task_parse(struct agent *a, json_t *j)
{
	struct rvs_task *t = &a->task;
	const char *ver, *url, *sig, *man;
	json_int_t id;
	json_error_t je;
	json_t *nodes = NULL;

	if (json_unpack_ex(j, &je, 0, "{s:I, s:s, s:s, s:s, s:s, s?o}",
			   "task_id", &id, "version", &ver, "url", &url,
			   "signature", &sig, "manifest", &man, "nodes",
			   &nodes) ||
	    strlen(ver) > SEMVER_MAX_LEN || strlen(url) >= sizeof(t->url) ||
	    strlen(sig) > RELEASE_SIG_B64_LEN) {
		agent_error(a, "task: malformed: %s",
			    je.text[0] ? je.text : "field too long");
		return -1;
	}
	if (id != t->id) {
		free(t->manifest);
		json_decref(t->nodes);
		memset(t, 0, sizeof(*t));
		backoff_init(&t->bo, 1000, a->cfg.retry_max_s * 1000);
	}
	t->id = id;
	snprintf(t->version, sizeof(t->version), "%s", ver);
	snprintf(t->url, sizeof(t->url), "%s", url);
	snprintf(t->sig, sizeof(t->sig), "%s", sig);
	free(t->manifest);
	t->manifest = NULL;
	json_decref(t->nodes);
	t->nodes = json_is_array(nodes) ? json_incref(nodes) : json_array();
	if (b64_decode(man, &t->manifest, &t->manifest_len)) {
		abnormal(a, -EINVAL, "task manifest is not base64");
		return -1;
	}
	return 0;
}

static void on_poll(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	json_error_t je;
	json_t *j;
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
		a->poll_retry_ms = agent_now_ms() + d;
		fetch_free(f);
		return;
	}
	backoff_reset(&a->poll_bo);
	if (r->http_code == 204) {
		fetch_free(f);
		agent_kick(a);
		return;
	}
	j = json_loadb(r->body, r->body_len, 0, &je);
	fetch_free(f);
	if (!json_is_object(j)) {
		agent_error(a, "task poll: reply is not a JSON object");
		a->poll_retry_ms = agent_now_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
		json_decref(j);
		return;
	}
	if (a->task.phase == TASK_DONE &&
	    json_integer_value(json_object_get(j, "task_id")) == a->task.id) {
		/* Still open on the server: our final report did not land. */
		if (!rep.pending && !a->report_fetch)
			a->poll_retry_ms = agent_now_ms() + 1000;
		json_decref(j);
		return;
	}
	if (!task_parse(a, j)) {
		ainfo("task %" PRId64 ": release %s for region %u", a->task.id,
		      a->task.version, a->st.reg.region);
		task_begin(a);
	} else {
		a->poll_retry_ms = agent_now_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
	}
	json_decref(j);
}

static void start_poll(struct agent *a)
{
	char url[700];
	struct fetch_opts o = {
		.url = url,
		.ca = a->cfg.ca,
		.bearer = a->st.reg.token,
		.node_hex = a->cfg.node_hex,
		.timeout_s = POLL_TIMEOUT_S,
	};

	/* The server holds it for its own long-poll timeout (at most an hour). */
	snprintf(url, sizeof(url), "%s/api/v1/tasks?region=%u&term=%" PRIu64,
		 a->cfg.url, a->st.reg.region, a->eo.term);
	a->poll_fetch = fetch_start(&o, on_poll, a);
	if (!a->poll_fetch)
		a->poll_retry_ms = agent_now_ms() +
				   backoff_next(&a->poll_bo, agent_rand());
}

static void progress(struct agent *a)
{
	struct need_view v = view(a);
	struct need_summary sum;
	char why[64];
	json_t *nodes;

	nodes = need_report(&a->task.m.rng, &a->task.m.ver, &v, a->task.nodes,
			    &sum);
	if (sum.converged) {
		finish(a, "complete", nodes);
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
		finish_why(a, "failed", why, nodes);
	} else if (a->now_ms - a->task.started_ms >=
		   (uint64_t)a->cfg.deadline_s * 1000) {
		finish(a, "partial", nodes);
	} else {
		report(a, "distributing", NULL, nodes);
	}
}

void rvs_tick(struct agent *a)
{
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
	case TASK_DOWNLOADING:
	case TASK_INSTALLING_SELF:
		break;
	}
}

void rvs_stop(struct agent *a)
{
	if (a->poll_fetch)
		fetch_cancel(a->poll_fetch);
	if (a->task_fetch)
		fetch_cancel(a->task_fetch);
	if (a->report_fetch)
		fetch_cancel(a->report_fetch);
	a->poll_fetch = a->task_fetch = a->report_fetch = NULL;
	rep.pending = false;
	json_decref(rep.nodes);
	rep.nodes = NULL;
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
