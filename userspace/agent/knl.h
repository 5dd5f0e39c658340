/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's bridge to rup.ko over the library's genl client (nl.h, whose
 * types it uses): region setup, its own state in the beacons, the version
 * table and the event stream. Two sockets: one for requests, one joined to
 * the events group (so notifications never interleave with replies).
 */
#ifndef RUP_AGENT_KNL_H
#define RUP_AGENT_KNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rup.h>

#include "nl.h"
#include "state.h"

/* A peer announces an offer it can serve (version, port and path set). */
static inline bool knl_peer_offers(const struct rupnl_peer *p)
{
	return p->offer.version[0] && p->offer.port && p->offer.path[0];
}

struct knl {
	bool open;
	struct rupnl req;
	struct rupnl ev;
};

/* What a read of the event socket found. */
enum knl_event {
	KNL_EV_NONE = 0,
	KNL_EV_TABLE = 1 << 0, /* a peer appeared, changed or left */
	KNL_EV_RVS_LOST = 1 << 1,
	KNL_EV_GONE = 1 << 2, /* the family was unregistered (rmmod) */
	KNL_EV_OVERRUN = 1 << 3, /* events were lost: re-read the table */
	KNL_EV_REGION_GONE = 1 << 4, /* its interface went: region deleted */
};

/* 0, -ENOENT when rup.ko is not loaded, other -errno. */
int knl_open(struct knl *k);
void knl_close(struct knl *k);
int knl_event_fd(const struct knl *k);
/* Drain pending events (non-blocking); returns an OR of enum knl_event. */
int knl_read_events(struct knl *k, uint32_t region);

/*
 * Create the region @r says. Timing the kernel would refuse (fleet.h) is
 * refused here with @err naming the value and its bound; a kernel error
 * is -errno with @err saying so.
 */
int knl_region_add(struct knl *k, const struct agent_reg *r, uint32_t ifindex,
		   char *err, size_t errlen);
int knl_region_del(struct knl *k, uint32_t region);
int knl_self_node(struct knl *k, const uint8_t id[RUP_NODE_ID_LEN],
		  const char *version, uint32_t score);
/*
 * Role and term; @offer NULL withdraws the offer. They hold for @lease_ms
 * unless renewed (knl_lease_renew; docs/PROTOCOL.md, "Role lease").
 */
int knl_self_region(struct knl *k, uint32_t region, uint32_t role,
		    uint64_t term, const struct rupnl_offer *offer,
		    uint32_t lease_ms);
int knl_lease_renew(struct knl *k, uint32_t region, uint32_t lease_ms);
/*
 * The region's version table into a malloc'd array (*out, *n); retried
 * when the dump raced a change.
 */
int knl_peers(struct knl *k, uint32_t region, struct rupnl_peer **out,
	      size_t *n);
/* Text of the last request error (extack or strerror). */
const char *knl_errstr(const struct knl *k, int err);

#endif
