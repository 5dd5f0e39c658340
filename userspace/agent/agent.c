// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl agent: the node daemon's main loop. Owns the kernel region, the
 * registration with the ops server and the election; rvs.c and member.c do
 * the upgrade duties from the same tick.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "agent.h"
#include "api.h"
#include "clear.h"
#include "clock.h"
#include "hexb64.h"
#include "url.h"
#include "fetch.h"
#include "hook.h"
#include "log.h"
#include "score_linkwatch.h"
#include "store.h"

#define KERNEL_RETRY_MS 500

uint32_t agent_rand(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)random();
	return r;
}

void agent_error(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->last_error, sizeof(a->last_error), fmt, ap);
	va_end(ap);
	aerr("%s", a->last_error);
	a->status_dirty = true;
}

void agent_kick(struct agent *a)
{
	event_active(a->kick_ev, EV_TIMEOUT, 0);
}

static bool family_gone(int err)
{
	return err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV;
}

/*
 * The kernel deleted our region with its interface: it is made again, on
 * the new index, once the name resolves (docs/PROTOCOL.md, "When the
 * interface goes"). The module is still there: kernel_down() must not say
 * otherwise.
 */
static void region_gone(struct agent *a)
{
	awarn("region %u: interface %s is gone; region made again when it is back",
	      a->st.reg.region, a->cfg.ifname);
	a->kernel_ok = false;
}

static void kernel_down(struct agent *a, const char *why)
{
	/* A request on a region deleted with its interface fails with ENOENT
	 * like one to a missing module; the REGION_GONE event, queued before
	 * the deletion, tells them apart. */
	if (a->kernel_ok &&
	    (knl_read_events(&a->k, a->st.reg.region) & KNL_EV_REGION_GONE))
		region_gone(a);
	CLEAR_PTR(a->nl_ev, event_free);
	knl_close(&a->k);
	if (a->kernel_ok) {
		awarn("rup module not loaded; waiting (%s)", why);
		a->said_no_module = true;
	}
	a->kernel_ok = false;
	a->el_running = false;
	a->pub_valid = false;
	free(a->peers);
	a->peers = NULL;
	a->npeers = 0;
	/* Without beacons nobody can fetch from us: stop being RVS. */
	rvs_stop(a);
	a->status_dirty = true;
}

/*
 * Three dead intervals: long enough that a busy agent (a slow disk, a large
 * verification) does not lose the role it still serves, short enough that
 * a hung one is replaced within seconds (docs/PROTOCOL.md, "Role lease").
 */
static uint32_t lease_ms(const struct agent *a)
{
	uint64_t ms = 3ULL * a->st.reg.dead_ms;

	return ms > RUP_LEASE_MAX_MS ? RUP_LEASE_MAX_MS : (uint32_t)ms;
}

void agent_publish(struct agent *a)
{
	uint32_t role = a->eo.role | a->role_flags;
	int err;

	if (!a->kernel_ok)
		return;
	err = knl_self_region(&a->k, a->st.reg.region, role, a->eo.term,
			      a->offering && a->eo.self_rvs ? &a->offer : NULL,
			      lease_ms(a));
	if (err) {
		if (family_gone(err))
			kernel_down(a, "self set");
		else
			agent_error(a, "region %u: set role: %s",
				    a->st.reg.region, knl_errstr(&a->k, err));
		return;
	}
	a->pub_role = role;
	a->pub_term = a->eo.term;
	a->pub_valid = true;
	a->lease_renewed_ms = clock_mono_ms();
}

/*
 * The kernel beacons our role and offer only while we renew them: a lease
 * of three dead intervals, renewed every beacon interval (docs/AGENT.md,
 * "Priority"; docs/PROTOCOL.md, "Role lease").
 */
static void renew_lease(struct agent *a)
{
	int err;

	if (!a->pub_valid ||
	    a->now_ms - a->lease_renewed_ms < a->st.reg.interval_ms)
		return;
	err = knl_lease_renew(&a->k, a->st.reg.region, lease_ms(a));
	if (!err)
		a->lease_renewed_ms = a->now_ms;
	else if (family_gone(err))
		kernel_down(a, "lease");
	else
		agent_error(a, "region %u: renew lease: %s", a->st.reg.region,
			    knl_errstr(&a->k, err));
}

int agent_set_version(struct agent *a, const char *version)
{
	struct semver v, h;
	char err[256];
	int rc;

	snprintf(a->st.version, sizeof(a->st.version), "%s", version);
	if (!semver_parse(version, &v, NULL, 0) &&
	    (!a->st.highest[0] || semver_parse(a->st.highest, &h, NULL, 0) ||
	     semver_cmp(&v, &h) > 0))
		snprintf(a->st.highest, sizeof(a->st.highest), "%s", version);
	if (state_save(a->cfg.state_dir, &a->st, err, sizeof(err))) {
		agent_error(a, "%s", err);
		return -1;
	}
	if (a->kernel_ok) {
		rc = knl_self_node(&a->k, a->cfg.node_id, a->st.version,
				   a->score);
		if (rc && family_gone(rc))
			kernel_down(a, "self set");
	}
	/* Register again: the ops server learns the version even when no RVS
	 * reports it (an RVS installs after its final report). */
	if (a->registered && !a->reg_fetch) {
		a->registered = false;
		a->reg_retry_ms = 0;
	}
	a->status_dirty = true;
	return 0;
}

static uint32_t compute_score(struct agent *a)
{
	struct score_inputs in = { 0 };
	struct score_result r;

	score_measure(&in, a->cfg.store_dir,
		      a->cfg.ifname[0] ? a->cfg.ifname : NULL, &a->link_prev);
	score_combine(&a->scfg, &in, &r);
	if (r.abnormal != a->link_abnormal)
		awarn("%s", r.abnormal ? (r.why ? r.why : "abnormal") :
					 "link is back: normal");
	a->link_abnormal = r.abnormal;
	return r.score;
}

/* The link went down or up: rescore now, so an RVS without a link steps down at once. */
static void on_link(void *arg, const char *ifname, bool up)
{
	struct agent *a = arg;

	ainfo("link %s is %s", ifname, up ? "up" : "down");
	a->score = compute_score(a);
	if (a->kernel_ok)
		knl_self_node(&a->k, a->cfg.node_id, a->st.version, a->score);
	agent_kick(a);
}

static void on_lw(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd, (void)what;
	score_linkwatch_process(a->lw);
}

static void on_nl(evutil_socket_t fd, short what, void *arg);

/*
 * Tick every eighth of an interval (10..250 ms): a candidate becomes RVS one
 * interval after its claim, and the tick's delay adds to the failover time.
 */
static void arm_tick(struct agent *a)
{
	uint32_t ms = a->st.reg.valid ? a->st.reg.interval_ms / 8 : 25;
	struct timeval tv;

	if (ms < 10)
		ms = 10;
	if (ms > 250)
		ms = 250;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (long)(ms % 1000) * 1000;
	event_del(a->tick_ev);
	event_add(a->tick_ev, &tv);
}

/* Open genl, set up the region and this node's state; start listening. */
static void kernel_up(struct agent *a)
{
	struct election_config ec;
	char why[256];
	int err;

	err = knl_open(&a->k);
	if (err) {
		if (!a->said_no_module) {
			awarn("rup module not loaded; waiting%s%s",
			      err == -ENOENT ? "" : ": ",
			      err == -ENOENT ? "" : strerror(-err));
			a->said_no_module = true;
			a->status_dirty = true;
		}
		return;
	}
	if (a->cfg.ifname[0]) {
		a->ifindex = if_nametoindex(a->cfg.ifname);
		if (!a->ifindex) {
			agent_error(a, "interface %s: %s", a->cfg.ifname,
				    strerror(errno));
			knl_close(&a->k);
			return;
		}
	}
	/* A previous run (or a crash) may have left the region: start clean. */
	knl_region_del(&a->k, a->st.reg.region);
	err = knl_region_add(&a->k, &a->st.reg, a->ifindex, why, sizeof(why));
	if (!err) {
		err = knl_self_node(&a->k, a->cfg.node_id, a->st.version,
				    a->score);
		if (err)
			snprintf(why, sizeof(why),
				 "kernel refused the setup: %s",
				 knl_errstr(&a->k, err));
	}
	if (err) {
		agent_error(a, "region %u: %s", a->st.reg.region, why);
		knl_close(&a->k);
		return;
	}
	a->nl_ev = event_new(a->base, knl_event_fd(&a->k), EV_READ | EV_PERSIST,
			     on_nl, a);
	event_add(a->nl_ev, NULL);
	a->kernel_ok = true;
	a->peers_stale = true;
	if (a->said_no_module)
		ainfo("rup module is back: region %u configured again",
		      a->st.reg.region);
	else
		ainfo("region %u: configured (group port %u, interval %u ms, dead %u ms)",
		      a->st.reg.region, a->st.reg.port, a->st.reg.interval_ms,
		      a->st.reg.dead_ms);
	a->said_no_module = false;
	election_config_default(&ec, a->st.reg.interval_ms, a->st.reg.dead_ms);
	ec.period_ms = (uint64_t)a->cfg.period_s * 1000;
	ec.hysteresis_pct = a->cfg.hysteresis_pct;
	election_init(&a->el, &ec, a->cfg.node_id, a->score, clock_mono_ms());
	election_set_abnormal(&a->el, a->srv_failed || a->link_abnormal);
	memset(&a->eo, 0, sizeof(a->eo));
	a->eo.role = RUP_ROLE_MEMBER;
	a->el_running = true;
	arm_tick(a);
	agent_publish(a);
	a->status_dirty = true;
}

static void on_nl(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	int ev;

	(void)fd, (void)what;
	ev = knl_read_events(&a->k, a->st.reg.region);
	if (ev & KNL_EV_GONE) {
		kernel_down(a, "module unloaded");
		return;
	}
	if (ev & KNL_EV_REGION_GONE) {
		region_gone(a);
		kernel_down(a, "interface gone");
		return;
	}
	if (ev & KNL_EV_RVS_LOST)
		ainfo("region %u: RVS lost", a->st.reg.region);
	if (ev & KNL_EV_TABLE)
		a->peers_stale = true;
	if (ev)
		agent_kick(a);
}

/* ---- registration ---- */

/* Our IPv4 addresses on @ifname ("" for all), loopback left out. */
static void addresses(const char *ifname, struct api_register *m)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa))
		return;
	for (i = ifa; i && m->n_addresses < API_ADDRESSES_MAX;
	     i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK) ||
		    (ifname[0] && strcmp(ifname, i->ifa_name)))
			continue;
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
			  m->addresses[m->n_addresses++], API_ADDRESS_LEN + 1);
	}
	freeifaddrs(ifa);
}

/*
 * The register reply, decoded strictly (docs/API.md); its timing is held
 * to fleet_timing_check() there, so a bad value is refused with its bound.
 */
static int parse_registration(const char *body, size_t len, struct agent_reg *r,
			      uint64_t *server_ns, char *err, size_t errlen)
{
	json_t *j = api_load(body, len, API_MSG_REGISTERED, err, errlen);
	struct api_registered m;
	struct in_addr ga;
	int rc;

	*server_ns = 0;
	rc = j ? api_registered_decode(j, &m, err, errlen) : -1;
	json_decref(j);
	if (rc)
		return -1;
	if (inet_pton(AF_INET, m.group, &ga) != 1 ||
	    strlen(m.node_token) >= sizeof(r->token) ||
	    hex_exact(m.key, r->key, RUP_KEY_LEN)) {
		snprintf(err, errlen, "%s: region %u: bad group, key or token",
			 API_MSG_REGISTERED, m.region_id);
		return -1;
	}
	r->region = m.region_id;
	r->group = ga.s_addr;
	r->port = m.port;
	r->interval_ms = m.interval_ms;
	r->dead_ms = m.dead_ms;
	r->window_ms = m.window_ms;
	snprintf(r->token, sizeof(r->token), "%s", m.node_token);
	r->valid = true;
	*server_ns = m.server_time_ns;
	return 0;
}

static void check_clock(struct agent *a, uint64_t server_ns)
{
	uint64_t diff;

	if (!server_ns)
		return;
	diff = clock_diff_ms(clock_real_ns(), server_ns);
	if (a->st.reg.window_ms && diff > a->st.reg.window_ms / 2) {
		awarn("clock differs from the ops server's by %" PRIu64
		      " ms, more than half the "
		      "beacon window (%u ms): peers will drop our beacons as stale",
		      diff, a->st.reg.window_ms);
		a->clock_warned = true;
	}
}

static void on_registered(struct fetch *f, void *arg)
{
	struct agent *a = arg;
	const struct fetch_result *r = fetch_result(f);
	struct agent_reg reg = { 0 };
	uint64_t server_ns;
	char err[256];
	uint32_t delay;

	a->reg_fetch = NULL;
	if (r->curl_code || (r->http_code != 200 && r->http_code != 201)) {
		delay = backoff_next(&a->reg_bo, agent_rand());
		if (r->curl_code)
			agent_error(a,
				    "register with %s: %s; retrying in %u ms",
				    a->cfg.url, r->error, delay);
		else
			agent_error(
				a,
				"register with %s: HTTP %ld: %.200s; retrying in %u ms",
				a->cfg.url, r->http_code,
				r->body ? r->body : "", delay);
		a->reg_retry_ms = clock_mono_ms() + delay;
		fetch_free(f);
		return;
	}
	if (parse_registration(r->body, r->body_len, &reg, &server_ns, err,
			       sizeof(err))) {
		delay = backoff_next(&a->reg_bo, agent_rand());
		agent_error(a, "%s; retrying in %u ms", err, delay);
		a->reg_retry_ms = clock_mono_ms() + delay;
		fetch_free(f);
		return;
	}
	fetch_free(f);
	backoff_reset(&a->reg_bo);
	/* A new region, group or key means the kernel region must be made again. */
	if (a->kernel_ok &&
	    (!a->st.reg.valid || reg.region != a->st.reg.region ||
	     reg.group != a->st.reg.group || reg.port != a->st.reg.port ||
	     memcmp(reg.key, a->st.reg.key, RUP_KEY_LEN) ||
	     reg.interval_ms != a->st.reg.interval_ms)) {
		knl_region_del(&a->k, a->st.reg.region);
		kernel_down(a, "registration changed the region");
		a->said_no_module = false;
	}
	a->st.reg = reg;
	a->registered = true;
	check_clock(a, server_ns);
	if (state_save(a->cfg.state_dir, &a->st, err, sizeof(err)))
		agent_error(a, "%s", err);
	ainfo("registered: node %s in region %u", a->cfg.node_hex, reg.region);
	a->status_dirty = true;
	agent_kick(a);
}

struct fetch *agent_api_start(struct agent *a, struct fetch_opts *o,
			      const char *path, json_t *body, fetch_done_cb cb)
{
	struct fetch *f = NULL;
	char *url = NULL, *text = NULL;

	if (body)
		text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!url_join(a->cfg.url, path, &url) && (text || !body)) {
		o->url = url;
		o->post_json = text;
		f = fetch_start(o, cb, a);
	}
	o->url = o->post_json = NULL;
	free(text);
	free(url);
	return f;
}

static void start_register(struct agent *a)
{
	struct api_register m = { .score = a->score };
	struct fetch_opts o = {
		.ca = a->cfg.ca,
		.bearer = a->cfg.token,
		.timeout_s = a->cfg.timeout_s,
	};

	snprintf(m.node_id, sizeof(m.node_id), "%s", a->cfg.node_hex);
	snprintf(m.version, sizeof(m.version), "%s", a->st.version);
	addresses(a->cfg.ifname, &m);
	a->reg_fetch = agent_api_start(a, &o, "/api/v1/register",
				       api_register_encode(&m), on_registered);
	if (!a->reg_fetch)
		a->reg_retry_ms = clock_mono_ms() +
				  backoff_next(&a->reg_bo, agent_rand());
}

/* ---- the tick ---- */

static void step_election(struct agent *a)
{
	struct election_peer *ep = NULL;
	struct rupnl_peer *peers = NULL;
	enum election_state before = a->eo.state;
	bool was_rvs = a->eo.self_rvs;
	size_t n;
	int err;

	/*
	 * The kernel reports every change of the table (PEER_NEW/CHANGED/GONE,
	 * RVS_LOST; an overrun marks it stale too): dump it only then, and once
	 * a dead interval as a safety net. Dumping at every tick cost a whole
	 * CPU for a dozen agents in an emulated guest.
	 */
	if (a->peers_stale || a->now_ms - a->peers_ms >= a->st.reg.dead_ms) {
		a->peers_stale = false;
		a->peers_ms = a->now_ms;
		n = 0;
		err = knl_peers(&a->k, a->st.reg.region, &peers, &n);
		if (err) {
			a->peers_stale = true;
			if (family_gone(err))
				kernel_down(a, "peer dump");
			else
				agent_error(a, "region %u: peer dump: %s",
					    a->st.reg.region,
					    knl_errstr(&a->k, err));
			return;
		}
		free(a->peers);
		a->peers = peers;
		a->npeers = n;
	}
	peers = a->peers;
	n = a->npeers;
	ep = n ? calloc(n, sizeof(*ep)) : NULL;
	for (size_t i = 0; i < n && ep; i++) {
		memcpy(ep[i].id, peers[i].node_id, RUP_NODE_ID_LEN);
		ep[i].score = peers[i].score;
		ep[i].role = peers[i].role;
		ep[i].term = peers[i].term;
	}
	election_set_score(&a->el, a->score);
	election_set_abnormal(&a->el, a->srv_failed || a->link_abnormal);
	election_set_distributing(&a->el,
				  a->task.phase == TASK_DISTRIBUTING ||
					  a->task.phase == TASK_DOWNLOADING ||
					  a->task.phase == TASK_VERIFYING);
	election_step(&a->el, a->now_ms, ep, ep ? n : 0, &a->eo);
	free(ep);
	if (a->eo.changed || a->eo.state != before) {
		ainfo("election: %s -> %s, term %" PRIu64 " (%s)",
		      election_state_name(before),
		      election_state_name(a->eo.state), a->eo.term,
		      a->eo.why ? a->eo.why : "");
		a->status_dirty = true;
	}
	if (was_rvs && !a->eo.self_rvs)
		rvs_stop(a);
	if (!a->pub_valid || a->pub_role != (a->eo.role | a->role_flags) ||
	    a->pub_term != a->eo.term)
		agent_publish(a);
}

static void tick(struct agent *a)
{
	static uint64_t last_status, last_score;
	uint32_t score;

	a->now_ms = clock_mono_ms();
	if (a->now_ms - last_score >= 5000 || !last_score) {
		last_score = a->now_ms;
		score = compute_score(a);
		if (score != a->score && a->kernel_ok) {
			a->score = score;
			knl_self_node(&a->k, a->cfg.node_id, a->st.version,
				      a->score);
		}
		a->score = score;
	}
	if (!a->registered && !a->reg_fetch && a->now_ms >= a->reg_retry_ms)
		start_register(a);
	if (!a->kernel_ok && a->st.reg.valid) {
		static uint64_t last_try;

		if (a->now_ms - last_try >= KERNEL_RETRY_MS) {
			last_try = a->now_ms;
			kernel_up(a);
		}
	}
	if (a->kernel_ok)
		step_election(a);
	if (a->kernel_ok)
		renew_lease(a);
	if (a->kernel_ok) {
		if (a->eo.self_rvs)
			rvs_tick(a);
		member_tick(a);
	}
	if (a->status_dirty || a->now_ms - last_status >= 1000) {
		last_status = a->now_ms;
		a->status_dirty = false;
		status_write(a);
	}
}

/* This thread's CPU time (the store's checks run in another). */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	uint64_t t0 = clock_mono_ns(), c0 = cpu_ns();
	uint32_t cpu;

	(void)fd, (void)what;
	tick(a);
	/* Shown in status.json: a long tick delays the election steps. */
	a->tick_us = (uint32_t)((clock_mono_ns() - t0) / 1000);
	cpu = (uint32_t)((cpu_ns() - c0) / 1000);
	if (a->tick_us > a->tick_max_us)
		a->tick_max_us = a->tick_us;
	if (cpu > a->tick_cpu_max_us)
		a->tick_cpu_max_us = cpu;
}

static void on_store_checked(void *arg)
{
	agent_kick(arg);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct agent *a = arg;

	(void)what;
	ainfo("signal %d: stopping", (int)sig);
	event_base_loopexit(a->base, NULL);
}

static int make_dir(const char *path, mode_t mode)
{
	char tmp[AGENT_PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, mode) && errno != EEXIST ? -1 : 0;
}

static void shutdown_agent(struct agent *a)
{
	rvs_stop(a);
	member_stop(a);
	if (a->reg_fetch)
		fetch_cancel(a->reg_fetch);
	/* Leave the region: beacons stop, peers expire us and re-elect. */
	if (a->kernel_ok)
		knl_region_del(&a->k, a->st.reg.region);
	a->kernel_ok = false;
	a->el_running = false;
	status_write(a);
	if (a->nl_ev)
		event_free(a->nl_ev);
	knl_close(&a->k);
	free(a->peers);
	free(a->task.nodes);
	free(a->task.manifest);
	free(a->job.manifest);
}

/* Configuration, log level, directories and saved state; 0 or -1 with @err. */
static int load_setup(struct agent *a, const char *config, bool debug,
		      char *err, size_t errlen)
{
	int lvl;

	agent_config_defaults(&a->cfg);
	if (agent_config_load(&a->cfg, config, err, errlen) ||
	    agent_config_finish(&a->cfg, err, errlen))
		return -1;
	lvl = alog_parse_level(a->cfg.log_level);
	if (lvl < 0) {
		snprintf(
			err, errlen,
			"[node] log_level: \"%s\" is not error, warn, info or debug",
			a->cfg.log_level);
		return -1;
	}
	alog_max = debug ? ALOG_DEBUG : (enum alog_level)lvl;
	if (make_dir(a->cfg.state_dir, 0700) ||
	    make_dir(a->cfg.store_dir, 0700)) {
		snprintf(err, errlen, "cannot create %s or %s: %s",
			 a->cfg.state_dir, a->cfg.store_dir, strerror(errno));
		return -1;
	}
	if (state_load(a->cfg.state_dir, &a->st, a->cfg.version, err, errlen))
		return -1;
	score_config_default(&a->scfg);
	a->scfg.weight[SCORE_CPU] = a->cfg.w_cpu;
	a->scfg.weight[SCORE_MEM] = a->cfg.w_mem;
	a->scfg.weight[SCORE_DISK] = a->cfg.w_disk;
	a->scfg.weight[SCORE_LINK] = a->cfg.w_link;
	a->scfg.weight[SCORE_LOAD] = a->cfg.w_load;
	a->scfg.weight[SCORE_RTT] = a->cfg.w_rtt;
	a->scfg.fixed = a->cfg.fixed_score;
	a->scfg.fixed_score = a->cfg.score;
	return 0;
}

/* The event loop's timers, signals and link watch. */
static int start_events(struct agent *a, char *err, size_t errlen)
{
	a->base = event_base_new();
	if (!a->base || fetch_global_init(a->base)) {
		snprintf(err, errlen, "cannot set up the event loop");
		return -1;
	}
	backoff_init(&a->reg_bo, 500, a->cfg.retry_max_s * 1000);
	backoff_init(&a->poll_bo, 500, a->cfg.retry_max_s * 1000);
	a->tick_ev = event_new(a->base, -1, EV_PERSIST, on_tick, a);
	a->kick_ev = event_new(a->base, -1, 0, on_tick, a);
	if (store_check_init(a->base, on_store_checked, a)) {
		snprintf(err, errlen, "cannot start the store's verifier");
		return -1;
	}
	a->sig_term = evsignal_new(a->base, SIGTERM, on_signal, a);
	a->sig_int = evsignal_new(a->base, SIGINT, on_signal, a);
	event_add(a->sig_term, NULL);
	event_add(a->sig_int, NULL);
	ainfo("rupctl agent %s: node %s, version %s, state %s", RUP_VERSION,
	      a->cfg.node_hex, a->st.version, a->cfg.state_dir);
	if (a->cfg.ifname[0] &&
	    !score_linkwatch_open(&a->lw, a->cfg.ifname, on_link, a)) {
		a->lw_ev = event_new(a->base, score_linkwatch_fd(a->lw),
				     EV_READ | EV_PERSIST, on_lw, a);
		event_add(a->lw_ev, NULL);
	}
	return 0;
}

static void stop_events(struct agent *a)
{
	store_check_exit();
	event_free(a->tick_ev);
	event_free(a->kick_ev);
	event_free(a->sig_term);
	event_free(a->sig_int);
	if (a->lw_ev)
		event_free(a->lw_ev);
	if (a->lw)
		score_linkwatch_close(a->lw);
	fetch_global_exit();
	event_base_free(a->base);
}

int agent_run(const char *config, bool debug, char *err, size_t errlen)
{
	static struct agent ag;
	struct agent *a = &ag;

	if (load_setup(a, config, debug, err, errlen))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	if (start_events(a, err, errlen))
		return -1;
	a->score = compute_score(a);
	arm_tick(a);
	tick(a);
	event_base_dispatch(a->base);
	shutdown_agent(a);
	stop_events(a);
	ainfo("stopped");
	return 0;
}
