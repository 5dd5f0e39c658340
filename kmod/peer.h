/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version table: peers heard in a region.
 */
#ifndef _RUP_PEER_H
#define _RUP_PEER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <rup/beacon.h>

struct rup_region;

/* What a peer last announced; copied out under rup_peer.lock. */
struct rup_peer_state {
	u8 node_id[RUP_NODE_ID_LEN];
	__be32 addr;
	char version[RUP_VERSION_MAX];
	u32 score;
	u32 role;
	u64 term;
	bool has_offer;
	struct rup_offer offer;
	u64 seq;
	u64 rx;
	unsigned long last_seen;	/* jiffies */
};

struct rup_peer {
	struct hlist_node node;		/* in rup_region.peers, RCU */
	struct list_head gc;		/* expiry's private list */
	struct rcu_head rcu;
	spinlock_t lock;		/* protects @st */
	struct rup_peer_state st;
};

extern unsigned int rup_max_peers;

int rup_peer_cache_init(void);
void rup_peer_cache_exit(void);
enum rup_stat rup_peer_receive(struct rup_region *r,
			       const struct rup_beacon *b, __be32 addr);
void rup_peer_snapshot(struct rup_peer *p, struct rup_peer_state *st);
void rup_peer_expire_work(struct work_struct *work);
void rup_peers_free(struct rup_region *r);

#endif /* _RUP_PEER_H */
