/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rup - Regional Upgrade Protocol: the generic netlink contract of rup.ko.
 *
 * Family "rup" (RUP_GENL_NAME), version RUP_GENL_VERSION, netnsok: every
 * namespace has its own regions, self state, peers and counters. Mutating
 * commands (REGION_NEW, REGION_DEL, REGION_SET, SELF_SET) need CAP_NET_ADMIN
 * in the user namespace owning the network namespace. Policies are strict:
 * an attribute an operation does not list is refused. Every refusal carries
 * an extack message.
 *
 * All attributes live in one space, enum rup_attr. Integers are host order
 * unless named otherwise; RUP_A_REGION_GROUP4 and RUP_A_PEER_ADDR4 are IPv4
 * addresses in network byte order (IPv6 will get *_GROUP6 / *_ADDR6, 16
 * bytes; a region has exactly one group attribute).
 *
 * RUP_CMD_REGION_NEW   (admin) create a region and start beaconing.
 *   required: REGION_ID u32, REGION_GROUP4 be32 (multicast), REGION_PORT u16
 *             (non-zero), REGION_KEY (exactly RUP_KEY_LEN bytes)
 *   optional: REGION_IFINDEX u32 (interface to join and send on; 0 = route),
 *             REGION_NEXT_KEY (RUP_KEY_LEN bytes),
 *             REGION_INTERVAL_MS u32 (>= RUP_INTERVAL_MIN_MS, no maximum;
 *             default RUP_INTERVAL_DEFAULT_MS),
 *             REGION_DEAD_MS u32 (RUP_DEAD_MS_OK: > interval; default
 *             RUP_DEAD_DEFAULT_MS(interval)), REGION_WINDOW_MS u32 (clock
 *             window, any value, default RUP_WINDOW_DEFAULT_MS; 0 = no check)
 *   errors: EEXIST id in use, EADDRINUSE group/port in use in this
 *           namespace, ENOSPC more than RUP_REGIONS_MAX regions.
 * RUP_CMD_REGION_SET   (admin) change a region: REGION_ID required; any of
 *   REGION_KEY, REGION_NEXT_KEY, REGION_NEXT_KEY_CLEAR (flag),
 *   REGION_INTERVAL_MS, REGION_DEAD_MS, REGION_WINDOW_MS (limits as for
 *   REGION_NEW; a new interval without DEAD_MS keeps the dead interval, which
 *   must still exceed it). Key rotation:
 *   beacons are sent with the current key and accepted with the current or
 *   the next key; set NEXT_KEY everywhere, then KEY (new) + NEXT_KEY (old),
 *   then NEXT_KEY_CLEAR.
 * RUP_CMD_REGION_DEL   (admin) REGION_ID required. Stops timers, closes the
 *   socket and frees the peers (no PEER_GONE events for them).
 * RUP_CMD_REGION_GET   doit with REGION_ID, or dump of all regions. Replies:
 *   REGION_ID, REGION_GROUP4, REGION_PORT, REGION_IFINDEX,
 *   REGION_INTERVAL_MS, REGION_DEAD_MS, REGION_WINDOW_MS, REGION_PEERS u32,
 *   REGION_HAS_NEXT_KEY (flag). Keys are never returned.
 *
 * RUP_CMD_SELF_SET     (admin) this node's state. Namespace-wide: NODE_ID
 *   (RUP_NODE_ID_LEN bytes; default random), VERSION (string, at most
 *   RUP_VERSION_LEN - 1 bytes; default "0.0.0"), SCORE u32. Per region (need
 *   REGION_ID): ROLE u32 (RUP_ROLE_* bits within __RUP_ROLE_ALL), TERM u64,
 *   OFFER (nest of enum rup_offer_attr; an empty nest withdraws the offer;
 *   otherwise OFFER_VERSION, OFFER_SHA256, OFFER_SIZE, OFFER_PORT and
 *   OFFER_PATH are all required), BIND (flag, with REGION_ID): the region's
 *   role and offer belong to the sending socket; when it is closed (the
 *   agent died) the role becomes RUP_ROLE_ABNORMAL (HOOK_FAILED kept) and the
 *   offer is withdrawn, so the region re-elects instead of following a node
 *   that can no longer serve. A role, term or offer change without BIND
 *   unbinds. Any change sends a beacon at once (to the
 *   one region, or to all for namespace-wide changes), rate-limited to one
 *   triggered beacon per min(interval, RUP_TRIGGER_GAP_MS) per region
 *   (periodic beacons do not count).
 * RUP_CMD_SELF_GET     reply: NODE_ID, VERSION, SCORE; with REGION_ID also
 *   REGION_ID, ROLE, TERM and OFFER (if any).
 *
 * RUP_CMD_PEER_GET     dump, one message per peer; REGION_ID filters to one
 *   region. Each message: REGION_ID, NODE_ID, PEER_ADDR4, VERSION, SCORE,
 *   ROLE, TERM, OFFER (if the peer offers), PEER_SEQ u64 (last sequence),
 *   PEER_LAST_SEEN_MS u32 (ms since the last accepted beacon), PEER_RX u64
 *   (beacons accepted from it). Uses NLM_F_DUMP_INTR when the table changed
 *   (peer added or removed) during the dump.
 * RUP_CMD_STATS_GET    doit with REGION_ID or dump of all regions: REGION_ID
 *   and STATS, a nest of u64 counters indexed by enum rup_stat.
 *
 * Notifications on multicast group "events" (RUP_MCGRP_EVENTS), sent from
 * the receive path, the expiry work and the netdevice notifier:
 * RUP_CMD_PEER_NEW     as a PEER_GET message.
 * RUP_CMD_PEER_CHANGED as a PEER_GET message plus CHANGED u32 (RUP_CHANGED_*
 *   bits: what differs from the previous beacon).
 * RUP_CMD_PEER_GONE    as a PEER_GET message (its last state): the peer was
 *   silent for the dead interval; PEER_LAST_SEEN_MS says how long exactly.
 * RUP_CMD_RVS_LOST     REGION_ID, NODE_ID, TERM: the expired peer held
 *   RUP_ROLE_RVS at the highest term known in the region (no other live
 *   peer, nor this node, holds RVS at a term >= its term). Follows its
 *   PEER_GONE.
 * RUP_CMD_REGION_GONE  REGION_ID, NODE_ID (this node's), REGION_IFINDEX:
 *   the region's interface left the namespace (deleted or moved). The
 *   region stopped sending at once and is deleted like REGION_DEL; it is
 *   not re-bound to a new interface of the same name: whoever created it
 *   creates it again (docs/PROTOCOL.md, "When the interface goes"). Sent
 *   only for this, never for REGION_DEL.
 *
 * Beacons (see docs/PROTOCOL.md and include/rup/beacon.h) are at most
 * RUP_BEACON_MAX bytes and carry the same role bits, node id, version and
 * offer limits as here.
 */
#ifndef _UAPI_LINUX_RUP_H
#define _UAPI_LINUX_RUP_H

#define RUP_GENL_NAME		"rup"
#define RUP_GENL_VERSION	1
#define RUP_MCGRP_EVENTS	"events"

/* Limits. String lengths include the terminating NUL. */
#define RUP_KEY_LEN		32
#define RUP_NODE_ID_LEN		16
#define RUP_SHA256_LEN		32
#define RUP_VERSION_LEN		64
#define RUP_PATH_LEN		128
#define RUP_BEACON_MAX		512
#define RUP_REGIONS_MAX		256
#define RUP_TRIGGER_GAP_MS	100

/*
 * Region timing (REGION_NEW, REGION_SET), in ms, as rup.ko enforces it. The
 * interval has a minimum and no maximum; the dead interval must exceed the
 * interval; the window takes any value (0: no clock check).
 */
#define RUP_INTERVAL_MIN_MS	10
#define RUP_INTERVAL_DEFAULT_MS	1000
#define RUP_DEAD_MS_OK(interval_ms, dead_ms)	((dead_ms) > (interval_ms))
/*
 * REGION_NEW without DEAD_MS: 3.5 intervals (rounded down). An interval
 * above RUP_DEAD_DEFAULT_INTERVAL_MAX_MS has no default: DEAD_MS is needed.
 */
#define RUP_DEAD_DEFAULT_MS(interval_ms)	((interval_ms) * 7ULL / 2)
#define RUP_DEAD_DEFAULT_INTERVAL_MAX_MS 0x3fffffffU	/* U32_MAX / 4 */
#define RUP_WINDOW_DEFAULT_MS	60000
/*
 * SELF_SET ... LEASE_MS: the role and offer this node beacons in the region
 * hold only while the owner renews them (any SELF_SET with LEASE_MS) within
 * the lease; once it runs out the node beacons RUP_ROLE_ABNORMAL without an
 * offer, as if its owner had gone, until the next renewal. 0: no lease. A
 * lease is at least the region's interval.
 */
#define RUP_LEASE_MAX_MS	3600000

/* Role flags, in genl (RUP_A_ROLE) and on the wire. */
enum rup_role {
	RUP_ROLE_MEMBER		= 1U << 0,
	RUP_ROLE_CANDIDATE	= 1U << 1,
	RUP_ROLE_RVS		= 1U << 2,
	RUP_ROLE_ABNORMAL	= 1U << 3,	/* cannot serve; steps down */
	RUP_ROLE_HOOK_FAILED	= 1U << 4,	/* last install hook failed */
	__RUP_ROLE_ALL		= (1U << 5) - 1
};

/* RUP_A_CHANGED bits of a PEER_CHANGED event. */
enum rup_changed {
	RUP_CHANGED_VERSION	= 1U << 0,
	RUP_CHANGED_SCORE	= 1U << 1,
	RUP_CHANGED_ROLE	= 1U << 2,
	RUP_CHANGED_TERM	= 1U << 3,
	RUP_CHANGED_OFFER	= 1U << 4,
	RUP_CHANGED_ADDR	= 1U << 5,
	__RUP_CHANGED_ALL	= (1U << 6) - 1
};

enum rup_cmd {
	RUP_CMD_UNSPEC,
	RUP_CMD_REGION_NEW,
	RUP_CMD_REGION_DEL,
	RUP_CMD_REGION_GET,
	RUP_CMD_REGION_SET,
	RUP_CMD_SELF_SET,
	RUP_CMD_SELF_GET,
	RUP_CMD_PEER_GET,
	RUP_CMD_STATS_GET,
	RUP_CMD_PEER_NEW,
	RUP_CMD_PEER_CHANGED,
	RUP_CMD_PEER_GONE,
	RUP_CMD_RVS_LOST,
	RUP_CMD_REGION_GONE,
	__RUP_CMD_MAX
};

#define RUP_CMD_MAX (__RUP_CMD_MAX - 1)

enum rup_attr {
	RUP_A_UNSPEC,
	RUP_A_PAD,			/* alignment padding for u64 */
	RUP_A_REGION_ID,		/* u32 */
	RUP_A_REGION_GROUP4,		/* be32, IPv4 multicast group */
	RUP_A_REGION_PORT,		/* u16, UDP port */
	RUP_A_REGION_IFINDEX,		/* u32 */
	RUP_A_REGION_KEY,		/* binary, RUP_KEY_LEN */
	RUP_A_REGION_NEXT_KEY,		/* binary, RUP_KEY_LEN */
	RUP_A_REGION_NEXT_KEY_CLEAR,	/* flag */
	RUP_A_REGION_HAS_NEXT_KEY,	/* flag, replies only */
	RUP_A_REGION_INTERVAL_MS,	/* u32 */
	RUP_A_REGION_DEAD_MS,		/* u32 */
	RUP_A_REGION_WINDOW_MS,		/* u32 */
	RUP_A_REGION_PEERS,		/* u32, replies only */
	RUP_A_NODE_ID,			/* binary, RUP_NODE_ID_LEN */
	RUP_A_VERSION,			/* string, < RUP_VERSION_LEN */
	RUP_A_SCORE,			/* u32 */
	RUP_A_ROLE,			/* u32, RUP_ROLE_* */
	RUP_A_TERM,			/* u64 */
	RUP_A_OFFER,			/* nest, enum rup_offer_attr */
	RUP_A_PEER_ADDR4,		/* be32, source of its last beacon */
	RUP_A_PEER_SEQ,			/* u64 */
	RUP_A_PEER_LAST_SEEN_MS,	/* u32 */
	RUP_A_PEER_RX,			/* u64 */
	RUP_A_CHANGED,			/* u32, RUP_CHANGED_* */
	RUP_A_STATS,			/* nest, enum rup_stat */
	RUP_A_BIND,			/* flag, SELF_SET */
	RUP_A_LEASE_MS,			/* u32, SELF_SET: lease; SELF_GET: ms left */
	__RUP_A_MAX
};

#define RUP_A_MAX (__RUP_A_MAX - 1)

enum rup_offer_attr {
	RUP_OFFER_A_UNSPEC,
	RUP_OFFER_A_PAD,
	RUP_OFFER_A_VERSION,		/* string, < RUP_VERSION_LEN */
	RUP_OFFER_A_SHA256,		/* binary, RUP_SHA256_LEN */
	RUP_OFFER_A_SIZE,		/* u64, bytes */
	RUP_OFFER_A_PORT,		/* u16, TCP port of the RVS's HTTP */
	RUP_OFFER_A_PATH,		/* string, < RUP_PATH_LEN, starts '/' */
	__RUP_OFFER_A_MAX
};

#define RUP_OFFER_A_MAX (__RUP_OFFER_A_MAX - 1)

/*
 * Per-region counters, u64 each, in the RUP_A_STATS nest (attribute type =
 * counter). Every received datagram moves exactly one of RX or a DROP_*.
 * The beacon decoder's errors are finer and are not these values; each maps
 * to one of SHORT, TOO_BIG, BAD_MAGIC or MALFORMED (docs/PROTOCOL.md).
 */
enum rup_stat {
	RUP_STAT_UNSPEC,
	RUP_STAT_PAD,
	RUP_STAT_TX,			/* beacons sent */
	RUP_STAT_TX_ERR,		/* beacons that failed to send */
	RUP_STAT_RX,			/* beacons accepted */
	RUP_STAT_DROP_SHORT,		/* shorter than the fixed header */
	RUP_STAT_DROP_TOO_BIG,		/* longer than RUP_BEACON_MAX */
	RUP_STAT_DROP_BAD_MAGIC,	/* wrong magic or protocol version */
	RUP_STAT_DROP_MALFORMED,	/* bad length fields, type or TLVs */
	RUP_STAT_DROP_WRONG_REGION,	/* region id is not this region's */
	RUP_STAT_DROP_BAD_MAC,		/* HMAC fails with both keys */
	RUP_STAT_DROP_REPLAY,		/* sequence not above the peer's last */
	RUP_STAT_DROP_STALE,		/* new peer's sequence outside window */
	RUP_STAT_DROP_TABLE_FULL,	/* new peer and max_peers reached */
	RUP_STAT_DROP_OWN,		/* our own beacon (multicast loop) */
	RUP_STAT_EXPIRED,		/* peers expired after the dead interval */
	__RUP_STAT_MAX
};

#define RUP_STAT_MAX (__RUP_STAT_MAX - 1)

#endif /* _UAPI_LINUX_RUP_H */
