// SPDX-License-Identifier: GPL-2.0
/* The agent's requests to rup.ko and its event reading, over the lib client. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "knl.h"

int knl_open(struct knl *k)
{
	int err;

	memset(k, 0, sizeof(*k));
	err = rupnl_open(&k->req);
	if (err)
		return err;
	err = rupnl_open(&k->ev);
	if (!err)
		err = rupnl_join_events(&k->ev);
	if (err) {
		rupnl_close(&k->req);
		rupnl_close(&k->ev);
		return err;
	}
	fcntl(rupnl_fd(&k->ev), F_SETFL,
	      fcntl(rupnl_fd(&k->ev), F_GETFL) | O_NONBLOCK);
	k->open = true;
	return 0;
}

void knl_close(struct knl *k)
{
	if (!k->open)
		return;
	rupnl_close(&k->req);
	rupnl_close(&k->ev);
	k->open = false;
}

int knl_event_fd(const struct knl *k)
{
	return rupnl_fd(&k->ev);
}

const char *knl_errstr(const struct knl *k, int err)
{
	return rupnl_errstr(&k->req, err);
}

struct ev_ctx {
	uint32_t region;
	int found;
};

static int ev_cb(const struct rupnl_event *ev, void *arg)
{
	struct ev_ctx *x = arg;

	if (ev->peer.region != x->region)
		return 0;
	if (ev->cmd == RUP_CMD_REGION_GONE) {
		x->found |= KNL_EV_REGION_GONE;
		return 0;
	}
	x->found |= KNL_EV_TABLE;
	if (ev->cmd == RUP_CMD_RVS_LOST)
		x->found |= KNL_EV_RVS_LOST;
	return 0;
}

int knl_read_events(struct knl *k, uint32_t region)
{
	struct ev_ctx x = { .region = region };
	int err;

	for (;;) {
		err = rupnl_monitor_next(&k->ev, ev_cb, &x);
		if (err == -ENOBUFS)
			x.found |= KNL_EV_OVERRUN | KNL_EV_TABLE;
		else if (err == -ESHUTDOWN)
			x.found |= KNL_EV_GONE;
		else if (err == -EPROTO) /* unreadable: re-read the table */
			x.found |= KNL_EV_TABLE;
		else if (err)
			break;
	}
	return x.found;
}

int knl_region_add(struct knl *k, const struct agent_reg *r, uint32_t ifindex,
		   char *err, size_t errlen)
{
	struct rupnl_region nr = {
		.mask = RUPNL_BIT(RUP_A_REGION_GROUP4) |
			RUPNL_BIT(RUP_A_REGION_PORT) |
			RUPNL_BIT(RUP_A_REGION_KEY),
		.id = r->region,
		.group.s_addr = r->group,
		.port = r->port,
		.ifindex = ifindex,
		.key_len = RUP_KEY_LEN,
		.interval_ms = r->interval_ms,
		.dead_ms = r->dead_ms,
		.window_ms = r->window_ms,
	};
	int rc;

	/* A dead interval the kernel would refuse is an error, never dropped. */
	if (fleet_timing_check(r->interval_ms, r->dead_ms, r->window_ms, err,
			       errlen))
		return -EINVAL;
	memcpy(nr.key, r->key, RUP_KEY_LEN);
	nr.mask |= RUPNL_BIT(RUP_A_REGION_INTERVAL_MS) |
		   RUPNL_BIT(RUP_A_REGION_DEAD_MS) |
		   RUPNL_BIT(RUP_A_REGION_WINDOW_MS);
	if (ifindex)
		nr.mask |= RUPNL_BIT(RUP_A_REGION_IFINDEX);
	rc = rupnl_region_add(&k->req, &nr);
	if (rc)
		snprintf(err, errlen, "kernel refused the setup: %s",
			 knl_errstr(k, rc));
	return rc;
}

int knl_region_del(struct knl *k, uint32_t region)
{
	return rupnl_region_del(&k->req, region);
}

int knl_self_node(struct knl *k, const uint8_t id[RUP_NODE_ID_LEN],
		  const char *version, uint32_t score)
{
	struct rupnl_self s = {
		.mask = RUPNL_BIT(RUP_A_NODE_ID) | RUPNL_BIT(RUP_A_VERSION) |
			RUPNL_BIT(RUP_A_SCORE),
		.score = score,
	};

	memcpy(s.node_id, id, RUP_NODE_ID_LEN);
	snprintf(s.version, sizeof(s.version), "%s", version);
	return rupnl_self_set(&k->req, &s);
}

int knl_self_region(struct knl *k, uint32_t region, uint32_t role,
		    uint64_t term, const struct rupnl_offer *offer,
		    uint32_t lease_ms)
{
	/* BIND: if we die, the kernel turns the node abnormal and drops the
	 * offer; the lease does the same if we hang. An empty offer nest
	 * withdraws the offer.
	 */
	struct rupnl_self s = {
		.mask = RUPNL_BIT(RUP_A_REGION_ID) | RUPNL_BIT(RUP_A_ROLE) |
			RUPNL_BIT(RUP_A_TERM) | RUPNL_BIT(RUP_A_BIND) |
			RUPNL_BIT(RUP_A_OFFER) | RUPNL_BIT(RUP_A_LEASE_MS),
		.region = region,
		.role = role,
		.term = term,
		.lease_ms = lease_ms,
	};

	if (offer) {
		s.offer = *offer;
		s.offer.mask = RUPNL_BIT(RUP_OFFER_A_VERSION) |
			       RUPNL_BIT(RUP_OFFER_A_SHA256) |
			       RUPNL_BIT(RUP_OFFER_A_SIZE) |
			       RUPNL_BIT(RUP_OFFER_A_PORT) |
			       RUPNL_BIT(RUP_OFFER_A_PATH);
	}
	return rupnl_self_set(&k->req, &s);
}

int knl_lease_renew(struct knl *k, uint32_t region, uint32_t lease_ms)
{
	struct rupnl_self s = {
		.mask = RUPNL_BIT(RUP_A_REGION_ID) | RUPNL_BIT(RUP_A_LEASE_MS),
		.region = region,
		.lease_ms = lease_ms,
	};

	return rupnl_self_set(&k->req, &s);
}

int knl_peers(struct knl *k, uint32_t region, struct rupnl_peer **out,
	      size_t *n)
{
	return rupnl_peers_get(&k->req, region, 5, out, n);
}
