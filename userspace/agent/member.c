// SPDX-License-Identifier: GPL-2.0
/*
 * Member duties (SPEC §7): take a newer offer from the RVS (or, after a
 * wait without any RVS, from the ops server), fetch manifest, signature and
 * payload, verify them exactly as the RVS did, run the install hook and
 * only then record the new version.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "clear.h"
#include "parse.h"
#include "agent.h"
#include "fetch.h"
#include "hook.h"
#include "log.h"
#include "store.h"
#include "url.h"

static void (*install_done)(struct agent *a, bool ok);
static struct release_manifest install_m;
static struct agent *install_agent;

static void on_hook(bool ok, const char *why, void *arg)
{
	struct agent *a = arg;
	void (*done)(struct agent * a, bool ok) = install_done;

	a->hook = NULL;
	install_done = NULL;
	if (ok) {
		ainfo("install hook: %s installed", install_m.version);
		a->role_flags &= ~RUP_ROLE_HOOK_FAILED;
		agent_set_version(a, install_m.version);
		member_prune_store(a);
	} else {
		a->role_flags |= RUP_ROLE_HOOK_FAILED;
		agent_error(a, "install hook %s for %s failed: %s", a->cfg.hook,
			    install_m.version, why);
	}
	agent_publish(a);
	if (done)
		done(a, ok);
}

int member_install_stored(struct agent *a, const struct release_manifest *m,
			  void (*done)(struct agent *a, bool ok))
{
	char pkg[600], man[600];
	struct semver high;
	char err[256];
	struct hook_args h = {
		.path = a->cfg.hook,
		.package = pkg,
		.version = m->version,
		.manifest = man,
		.node_hex = a->cfg.node_hex,
		.timeout_s = a->cfg.hook_timeout_s,
	};

	if (a->hook)
		return -EBUSY;
	/* Rollback protection from the persisted highest version. */
	if (a->st.highest[0] && !semver_parse(a->st.highest, &high, NULL, 0) &&
	    release_check_rollback(&m->ver, &high, err, sizeof(err))) {
		agent_error(a, "install %s refused: %s", m->version, err);
		return -ESTALE;
	}
	if (store_path(a->cfg.store_dir, m->version, STORE_PKG, pkg,
		       sizeof(pkg)) ||
	    store_path(a->cfg.store_dir, m->version, STORE_MANIFEST, man,
		       sizeof(man)))
		return -ENAMETOOLONG;
	install_m = *m;
	install_done = done;
	install_agent = a;
	ainfo("installing %s: %s %s %s", m->version, a->cfg.hook, pkg,
	      m->version);
	a->hook = hook_run(a->base, &h, on_hook, a);
	if (!a->hook) {
		install_done = NULL;
		a->role_flags |= RUP_ROLE_HOOK_FAILED;
		agent_error(a, "install hook %s could not be started",
			    a->cfg.hook);
		agent_publish(a);
		return -EIO;
	}
	return 0;
}

void member_prune_store(struct agent *a)
{
	bool task = a->task.id && a->task.phase != TASK_DONE;
	const char *keep[] = {
		a->st.version,
		a->offering ? a->offer_m.version : NULL,
		task ? a->task.version : NULL,
		a->job.phase != MEM_IDLE ? a->job.version : NULL,
	};
	int n = store_prune(a->cfg.store_dir, a->cfg.store_keep, keep,
			    sizeof(keep) / sizeof(keep[0]));

	if (n > 0)
		ainfo("store: %d older release%s deleted (keep %u)", n,
		      n == 1 ? "" : "s", a->cfg.store_keep);
}

static void job_fail(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void job_fail(struct agent *a, const char *fmt, ...)
{
	struct member_job *j = &a->job;
	char msg[400];
	uint32_t d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d = backoff_next(&j->bo, agent_rand());
	agent_error(a, "upgrade to %s from %s: %s; retrying in %u ms",
		    j->version, j->from_server ? "the ops server" : "the RVS",
		    msg, d);
	j->phase = MEM_WAIT;
	j->retry_at_ms = clock_mono_ms() + d;
}

/* A version this node will never take: remember it and stop trying. */
static void job_skip(struct agent *a, const char *why)
{
	struct member_job *j = &a->job;

	ainfo("not taking %s: %s", j->version, why);
	snprintf(j->skip, sizeof(j->skip), "%s", j->version);
	j->phase = MEM_IDLE;
	a->status_dirty = true;
}

/* The URL of phase @ph (malloc()ed), or NULL. */
static char *job_url(struct agent *a, enum member_phase ph)
{
	struct member_job *j = &a->job;
	static const char *const srv[] = { [MEM_MANIFEST] = "/manifest",
					   [MEM_SIG] = "/signature",
					   [MEM_PAYLOAD] = "/payload" };
	static const char *const rvs[] = {
		[MEM_MANIFEST] = ".manifest", [MEM_SIG] = ".sig", [MEM_PAYLOAD] = ""
	};
	char *url = NULL;

	/* The server's release (docs/API.md), or the RVS's file plus a suffix. */
	if (j->from_server) {
		char path[sizeof(j->version) + 40];

		snprintf(path, sizeof(path), "/api/v1/releases/%s%s",
			 j->version, srv[ph]);
		if (url_join(a->cfg.url, path, &url))
			return NULL;
		return url;
	}
	if (asprintf(&url, "%s%s", j->base, rvs[ph]) < 0)
		return NULL;
	return url;
}

static void step(struct agent *a);
static void job_store_step(struct agent *a);

/* The transfer failed (or was refused): true after failing the job. */
static bool fetch_failed(struct agent *a, const struct fetch_result *r)
{
	struct member_job *j = &a->job;
	char part[600];

	if (r->too_big) {
		store_path(a->cfg.store_dir, j->version, STORE_PART, part,
			   sizeof(part));
		unlink(part);
		job_fail(a, "%s: %s", release_reason(-EFBIG), r->error);
		return true;
	}
	if (!r->curl_code && (r->http_code == 200 || r->http_code == 206 ||
			      (j->phase == MEM_PAYLOAD && r->http_code == 416)))
		return false;
	if (r->http_code == 429 || r->http_code == 503)
		/* The server's budget is full: back off (Retry-After if given). */
		backoff_next(&j->bo, 0);
	if (r->curl_code)
		job_fail(a, "%s", r->error);
	else
		job_fail(a, "HTTP %ld", r->http_code);
	return true;
}

static void got_manifest(struct agent *a, struct fetch *f,
			 const struct fetch_result *r)
{
	struct member_job *j = &a->job;

	free(j->manifest);
	j->manifest = malloc(r->body_len + 1);
	if (!j->manifest) {
		fetch_free(f);
		job_fail(a, "out of memory");
		return;
	}
	memcpy(j->manifest, r->body, r->body_len + 1);
	j->manifest_len = r->body_len;
	j->phase = MEM_SIG;
	fetch_free(f);
	step(a);
}

/*
 * The payload: install it once it verified in the store (or its fetched
 * part did), wait while it is hashed, else fetch it.
 */
static void job_store_step(struct agent *a)
{
	struct member_job *j = &a->job;
	char err[300];
	int rc = j->fetched ? store_commit(a->cfg.store_dir, &j->m, j->manifest,
					   j->manifest_len, j->sig, err,
					   sizeof(err)) :
			      store_has(a->cfg.store_dir, a->cfg.keys, &j->m);

	if (rc == -EINPROGRESS) {
		j->phase = MEM_VERIFY;
		return;
	}
	if (!rc) {
		if (j->fetched)
			ainfo("%s fetched and verified", j->version);
		j->fetched = false;
		member_prune_store(a);
		j->phase = MEM_HOOK;
	} else if (j->fetched) {
		j->fetched = false;
		job_fail(a, "%s: %s", release_reason(rc), err);
		return;
	} else {
		j->phase = MEM_PAYLOAD;
	}
	step(a);
}

/* The signed manifest is ours to take: fetch the payload or install. */
static void manifest_verified(struct agent *a)
{
	struct member_job *j = &a->job;
	struct semver mine;

	if (strcmp(j->m.version, j->version) ||
	    (!j->from_server &&
	     (memcmp(j->m.sha256, j->offer_sha, RUP_SHA256_LEN) ||
	      j->m.size != j->offer_size))) {
		job_fail(a, "offer does not match its signed manifest");
		return;
	}
	if (semver_parse(a->st.version, &mine, NULL, 0) ||
	    !release_applies(&j->m.rng, &mine, &j->m.ver)) {
		job_skip(a, "our version is outside its range");
		return;
	}
	j->fetched = false;
	job_store_step(a);
}

static void got_sig(struct agent *a, struct fetch *f,
		    const struct fetch_result *r)
{
	struct member_job *j = &a->job;
	uint8_t md[RELEASE_SHA256_LEN];
	char err[300];
	int rc;

	if (r->body_len > RELEASE_SIG_B64_LEN + 8) {
		fetch_free(f);
		job_fail(a, "%s: signature too long",
			 release_reason(-EKEYREJECTED));
		return;
	}
	snprintf(j->sig, sizeof(j->sig), "%.*s", (int)strcspn(r->body, "\r\n"),
		 r->body);
	rc = store_verify_manifest(a->cfg.keys, j->manifest, j->manifest_len,
				   j->sig, &j->m, err, sizeof(err));
	fetch_free(f);
	if (!rc) {
		manifest_verified(a);
		return;
	}
	/* What we got, to compare with the published manifest. */
	SHA256((const unsigned char *)j->manifest, j->manifest_len, md);
	job_fail(
		a,
		"%s: %s (manifest %zu bytes, sha256 %02x%02x%02x%02x..., signature %.12s...)",
		release_reason(rc), err, j->manifest_len, md[0], md[1], md[2],
		md[3], j->sig);
}

static void got_payload(struct agent *a, struct fetch *f)
{
	struct member_job *j = &a->job;

	fetch_free(f);
	j->fetched = true;
	job_store_step(a);
}

static void on_fetched(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);

	a->job_fetch = NULL;
	if (fetch_failed(a, r)) {
		fetch_free(f);
		return;
	}
	switch (a->job.phase) {
	case MEM_MANIFEST:
		got_manifest(a, f, r);
		return;
	case MEM_SIG:
		got_sig(a, f, r);
		return;
	case MEM_PAYLOAD:
		got_payload(a, f);
		return;
	default:
		fetch_free(f);
		step(a);
	}
}

static void on_installed(struct agent *a, bool ok)
{
	struct member_job *j = &a->job;

	if (ok) {
		j->phase = MEM_IDLE;
		backoff_reset(&j->bo);
	} else {
		j->phase = MEM_WAIT;
		j->retry_at_ms =
			clock_mono_ms() + backoff_next(&j->bo, agent_rand());
	}
	a->status_dirty = true;
}

/* Start the transfer (or the hook) of the current phase. */
static void step(struct agent *a)
{
	struct member_job *j = &a->job;
	char *url, part[600];
	struct fetch_opts o = {
		.ca = a->cfg.ca,
		.connect_timeout_s = 5,
		.low_speed_s = 20,
		.timeout_s = j->phase == MEM_PAYLOAD ? 0 : 30,
		.mem_max = RELEASE_MANIFEST_MAX,
	};
	int rc;

	if (j->phase == MEM_HOOK) {
		rc = member_install_stored(a, &j->m, on_installed);
		if (rc == -ESTALE)
			job_skip(a, "rollback protection");
		else if (rc)
			on_installed(a, false);
		return;
	}
	if (j->from_server) {
		o.bearer = a->st.reg.token;
		o.node_hex = a->cfg.node_hex;
	}
	url = job_url(a, j->phase);
	if (!url) {
		job_fail(a, "bad URL");
		return;
	}
	o.url = url;
	if (j->phase == MEM_PAYLOAD) {
		if (store_path(a->cfg.store_dir, j->version, STORE_PART, part,
			       sizeof(part))) {
			free(url);
			job_fail(a, "store path too long");
			return;
		}
		o.out_path = part;
		o.resume = true;
		o.max_bytes = j->m.size;
	}
	a->job_fetch = fetch_start(&o, on_fetched, a);
	free(url);
	if (!a->job_fetch)
		job_fail(a, "cannot start the transfer");
}

static void start_job(struct agent *a, const char *version, const char *base,
		      bool server, const struct rupnl_offer *offer)
{
	struct member_job *j = &a->job;

	if (strcmp(j->version, version) || j->from_server != server)
		backoff_init(&j->bo, 1000, a->cfg.retry_max_s * 1000);
	snprintf(j->version, sizeof(j->version), "%s", version);
	snprintf(j->base, sizeof(j->base), "%s", base);
	j->from_server = server;
	if (offer) {
		memcpy(j->offer_sha, offer->sha256, RUP_SHA256_LEN);
		j->offer_size = offer->size;
	}
	j->phase = MEM_MANIFEST;
	ainfo("upgrade %s -> %s from %s", a->st.version, version, base);
	a->status_dirty = true;
	step(a);
}

/* Is @v newer than what we run and not skipped? */
static bool wanted(struct agent *a, const char *v)
{
	struct semver nv, mine;

	if (!v[0] || !strcmp(v, a->job.skip) || semver_parse(v, &nv, NULL, 0) ||
	    semver_parse(a->st.version, &mine, NULL, 0))
		return false;
	return semver_cmp(&nv, &mine) > 0;
}

static const struct rupnl_peer *rvs_peer(struct agent *a)
{
	if (!a->eo.have_rvs || a->eo.self_rvs)
		return NULL;
	for (size_t i = 0; i < a->npeers; i++)
		if (!memcmp(a->peers[i].node_id, a->eo.rvs_id, RUP_NODE_ID_LEN))
			return &a->peers[i];
	return NULL;
}

void member_tick(struct agent *a)
{
	struct member_job *j = &a->job;
	const struct rupnl_peer *p = rvs_peer(a);
	char base[600], addr[INET_ADDRSTRLEN];

	if (p)
		j->no_rvs_since_ms = 0;
	else if (!a->eo.self_rvs && !j->no_rvs_since_ms) {
		j->no_rvs_since_ms = a->now_ms;
		j->fallback_delay_ms =
			(uint64_t)a->cfg.fallback_wait_s * 1000 +
			(a->cfg.fallback_jitter_s ?
				 agent_rand() %
					 ((uint64_t)a->cfg.fallback_jitter_s *
					  1000) :
				 0);
	}
	if (p && knl_peer_offers(p))
		snprintf(j->seen_version, sizeof(j->seen_version), "%s",
			 p->offer.version);
	if (a->eo.self_rvs || a->hook)
		return;
	if (j->phase == MEM_VERIFY) {
		job_store_step(a);
		return;
	}
	if (j->phase != MEM_IDLE && j->phase != MEM_WAIT) {
		/* Fetching from an RVS that is no longer ours: start over with the new one. */
		if (!j->from_server && !p && a->job_fetch) {
			fetch_cancel(a->job_fetch);
			a->job_fetch = NULL;
			j->phase = MEM_IDLE;
		}
		return;
	}
	if (j->phase == MEM_WAIT && a->now_ms < j->retry_at_ms)
		return;
	if (p && knl_peer_offers(p) && wanted(a, p->offer.version)) {
		struct in_addr in = p->addr;

		inet_ntop(AF_INET, &in, addr, sizeof(addr));
		snprintf(base, sizeof(base), "http://%s:%u%s", addr,
			 p->offer.port, p->offer.path);
		start_job(a, p->offer.version, base, false, &p->offer);
		return;
	}
	/* No RVS for long enough: the ops server, after a random delay (SPEC §7). */
	if (!p && a->registered && j->no_rvs_since_ms &&
	    wanted(a, j->seen_version) &&
	    a->now_ms - j->no_rvs_since_ms >= j->fallback_delay_ms) {
		start_job(a, j->seen_version, a->cfg.url, true, NULL);
	}
}

void member_stop(struct agent *a)
{
	CLEAR_PTR(a->job_fetch, fetch_cancel);
	CLEAR_PTR(a->hook, hook_cancel);
	a->job.phase = MEM_IDLE;
}
