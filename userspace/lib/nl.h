/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink client for the `rup` family (libmnl), the one parser of
 * its contract (include/uapi/linux/rup.h): used by the rupctl commands, the
 * agent (agent/knl.c), rup-nl-test and bench knl. Its names carry a rupnl
 * prefix, apart from the kernel's and the beacon codec's (include/rup).
 * It never prints: errors come back as -errno with the kernel's extack
 * text in nl->ext.
 */
#ifndef RUP_LIB_NL_H
#define RUP_LIB_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/rup.h>

/* Dumps may carry up to 32 KiB per read; one page is too small for them. */
#define RUPNL_BUFSZ 65536
#define RUPNL_EXTSZ 256
/* Receive buffer asked for on an events socket. */
#define RUPNL_EVENT_RCVBUF (4 << 20)

struct rupnl {
	struct mnl_socket *sock;
	uint16_t family; /* genl id of "rup" */
	uint8_t family_version;
	uint32_t events_grp; /* mcast id of "events", 0 if absent */
	uint32_t ctrl_notify_grp; /* nlctrl "notify": family removal */
	uint32_t portid;
	uint32_t seq;
	bool dump_intr; /* last dump was interrupted by a change */
	char ext[RUPNL_EXTSZ]; /* extack message of the last error */
	uint32_t ext_miss_type; /* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
	char *tx; /* request being built */
	char *rx;
};

/* Called for every data message of a reply or a dump. Return 0 to go on,
 * a negative errno to abort the exchange with that error.
 */
typedef int (*rupnl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Open a socket and resolve the family. Returns 0, -ENOENT when the family
 * is not registered (rup.ko not loaded) or another -errno.
 */
int rupnl_open(struct rupnl *nl);
void rupnl_close(struct rupnl *nl);

/* Start a request in nl->tx: genl header with @cmd, flags NLM_F_REQUEST|@flags. */
struct nlmsghdr *rupnl_msg(struct rupnl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @nlh (built by rupnl_msg) and read replies until the ACK or the end
 * of the dump; @cb (may be NULL) sees each data message. Returns 0 or -errno;
 * on error nl->ext holds the extack message ("" if the kernel gave none).
 */
int rupnl_talk(struct rupnl *nl, struct nlmsghdr *nlh, rupnl_msg_cb cb,
	       void *arg);

/*
 * Join the "events" group (and nlctrl's notify group to see unloads). Use a
 * handle of its own for events: requests on it still work (events are
 * skipped while waiting for a reply) but are then not seen by the monitor.
 */
int rupnl_join_events(struct rupnl *nl);

/* The human text for the last error: the extack message or strerror. */
const char *rupnl_errstr(const struct rupnl *nl, int err);

/* The fd to poll() in an event loop. */
int rupnl_fd(const struct rupnl *nl);

/*
 * Typed commands. Each struct has a presence mask: bit (1U << RUP_A_x) set
 * means the field was given (request) or received (reply). Requests send
 * exactly the fields whose bits are set; the kernel validates them, so a key
 * of the wrong length reaches it and comes back as an extack error.
 */
#define RUPNL_BIT(attr) (1U << (attr))

/* Room for over-long keys, so the kernel (not us) judges their length. */
#define RUPNL_KEY_MAX (2 * RUP_KEY_LEN)

struct rupnl_offer {
	uint32_t mask; /* RUPNL_BIT(RUP_OFFER_A_x) */
	char version[RUP_VERSION_LEN];
	uint8_t sha256[RUP_SHA256_LEN];
	uint64_t size;
	uint16_t port;
	char path[RUP_PATH_LEN];
};

struct rupnl_region {
	uint32_t mask;
	uint32_t id;
	struct in_addr group;
	uint16_t port;
	uint32_t ifindex;
	uint8_t key[RUPNL_KEY_MAX];
	size_t key_len;
	uint8_t next_key[RUPNL_KEY_MAX];
	size_t next_key_len;
	/* RUP_A_REGION_NEXT_KEY_CLEAR in the mask clears the next key. */
	uint32_t interval_ms;
	uint32_t dead_ms;
	uint32_t window_ms;
	uint32_t peers; /* replies only */
	bool has_next_key; /* replies only */
};

/* SELF_SET / SELF_GET. RUP_A_OFFER with offer.mask == 0 withdraws it. */
struct rupnl_self {
	uint32_t mask;
	uint8_t node_id[RUP_NODE_ID_LEN];
	char version[RUP_VERSION_LEN];
	uint32_t score;
	uint32_t region; /* RUP_A_REGION_ID: per-region fields below */
	uint32_t role;
	uint64_t term;
	struct rupnl_offer offer;
	uint32_t lease_ms; /* SELF_SET: the lease; SELF_GET: ms left */
};

/* A PEER_GET message or a peer event (CHANGED set only in PEER_CHANGED). */
struct rupnl_peer {
	uint32_t mask;
	uint32_t region;
	uint8_t node_id[RUP_NODE_ID_LEN];
	struct in_addr addr;
	char version[RUP_VERSION_LEN];
	uint32_t score;
	uint32_t role;
	uint64_t term;
	struct rupnl_offer offer; /* valid if RUP_A_OFFER in mask */
	uint64_t seq;
	uint32_t last_seen_ms;
	uint64_t rx;
	uint32_t changed;
};

struct rupnl_stats {
	uint32_t region;
	uint32_t mask; /* RUPNL_BIT(RUP_STAT_x) for counters present */
	uint64_t count[RUP_STAT_MAX + 1];
};

/*
 * An event from the "events" group; RVS_LOST fills region, node_id, term,
 * REGION_GONE region and node_id.
 */
struct rupnl_event {
	uint8_t cmd; /* RUP_CMD_PEER_NEW ... RUP_CMD_REGION_GONE */
	struct rupnl_peer peer;
};

typedef int (*rupnl_region_cb)(const struct rupnl_region *r, void *arg);
typedef int (*rupnl_peer_cb)(const struct rupnl_peer *p, void *arg);
typedef int (*rupnl_stats_cb)(const struct rupnl_stats *s, void *arg);
typedef int (*rupnl_event_cb)(const struct rupnl_event *ev, void *arg);

int rupnl_region_add(struct rupnl *nl, const struct rupnl_region *r);
int rupnl_region_set(struct rupnl *nl, const struct rupnl_region *r);
int rupnl_region_del(struct rupnl *nl, uint32_t id);
int rupnl_region_get(struct rupnl *nl, uint32_t id, struct rupnl_region *out);
int rupnl_region_dump(struct rupnl *nl, rupnl_region_cb cb, void *arg);

int rupnl_self_set(struct rupnl *nl, const struct rupnl_self *s);
/* @region: with RUPNL_NO_REGION only the namespace-wide fields come back. */
#define RUPNL_NO_REGION UINT32_MAX
int rupnl_self_get(struct rupnl *nl, uint32_t region, struct rupnl_self *out);

/*
 * One message per peer; @region RUPNL_NO_REGION for all. Returns -EINTR
 * (after the whole dump) when the table changed during it: retry.
 */
int rupnl_peers_dump(struct rupnl *nl, uint32_t region, rupnl_peer_cb cb,
		     void *arg);
/*
 * The whole table in one array (*@out, free() it; NULL when empty): a dump
 * that raced a change is retried up to @tries times, then -EINTR.
 */
int rupnl_peers_get(struct rupnl *nl, uint32_t region, unsigned int tries,
		    struct rupnl_peer **out, size_t *n);
/* @region RUPNL_NO_REGION dumps every region. */
int rupnl_stats_dump(struct rupnl *nl, uint32_t region, rupnl_stats_cb cb,
		     void *arg);

/*
 * Parse one reply message (REGION_GET, SELF_GET, STATS_GET), a PEER_GET
 * message or a peer event, for callers that build their own requests
 * (rup-nl-test): 0 or -EPROTO (bad or missing attribute); unknown
 * attributes are skipped.
 */
int rupnl_parse_region(const struct nlmsghdr *nlh, struct rupnl_region *r);
int rupnl_parse_self(const struct nlmsghdr *nlh, struct rupnl_self *s);
int rupnl_parse_stats(const struct nlmsghdr *nlh, struct rupnl_stats *s);
int rupnl_parse_peer(const struct nlmsghdr *nlh, struct rupnl_peer *p);

/*
 * Read one datagram from the events group (blocks unless the fd is
 * non-blocking) and call @cb for each event in it. Returns 0, a positive
 * value @cb returned (to stop early), -ENOBUFS when the socket overran
 * (events were lost: resync with a dump), -ESHUTDOWN when the rup family
 * went away (module unloaded: close every handle; a reloaded module has a
 * new family id, so reopen with rupnl_open), or another -errno.
 */
int rupnl_monitor_next(struct rupnl *nl, rupnl_event_cb cb, void *arg);

#endif
