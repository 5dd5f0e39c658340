/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's bridge to rup.ko: region setup, its own state in the
 * beacons, the version table and the event stream, over the genl client
 * of ../nl.h. Two sockets: one for requests, one joined to the events
 * group (so notifications never interleave with replies).
 */
#ifndef RUP_AGENT_KNL_H
#define RUP_AGENT_KNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rup.h>

#include "nl.h"
#include "state.h"

struct koffer {
	char version[RUP_VERSION_LEN];
	uint8_t sha256[RUP_SHA256_LEN];
	uint64_t size;
	uint16_t port;
	char path[RUP_PATH_LEN];
};

struct kpeer {
	uint8_t id[RUP_NODE_ID_LEN];
	uint32_t addr; /* IPv4, network order */
	char version[RUP_VERSION_LEN];
	uint32_t score;
	uint32_t role;
	uint64_t term;
	bool has_offer;
	struct koffer offer;
	uint32_t last_seen_ms;
};

struct knl {
	bool open;
	struct rup_nl req;
	struct rup_nl ev;
};

/* What a read of the event socket found. */
enum knl_event {
	KNL_EV_NONE = 0,
	KNL_EV_TABLE = 1 << 0, /* a peer appeared, changed or left */
	KNL_EV_RVS_LOST = 1 << 1,
	KNL_EV_GONE = 1 << 2, /* the family was unregistered (rmmod) */
	KNL_EV_OVERRUN = 1 << 3, /* events were lost: re-read the table */
};

/* 0, -ENOENT when rup.ko is not loaded, other -errno. */
int knl_open(struct knl *k);
void knl_close(struct knl *k);
int knl_event_fd(const struct knl *k);
/* Drain pending events (non-blocking); returns an OR of enum knl_event. */
int knl_read_events(struct knl *k, uint32_t region);

int knl_region_add(struct knl *k, const struct agent_reg *r, uint32_t ifindex);
int knl_region_del(struct knl *k, uint32_t region);
int knl_self_node(struct knl *k, const uint8_t id[RUP_NODE_ID_LEN],
		  const char *version, uint32_t score);
/* Role and term; @offer NULL withdraws the offer. */
int knl_self_region(struct knl *k, uint32_t region, uint32_t role,
		    uint64_t term, const struct koffer *offer);
/*
 * The region's version table into a malloc'd array (*out, *n); retried
 * when the dump raced a change.
 */
int knl_peers(struct knl *k, uint32_t region, struct kpeer **out, size_t *n);
/* Text of the last request error (extack or strerror). */
const char *knl_errstr(const struct knl *k, int err);

#endif
