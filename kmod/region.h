/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A region: one multicast group, its socket, keys, timers and version table.
 */
#ifndef _RUP_REGION_H
#define _RUP_REGION_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/netlink.h>
#include <linux/workqueue.h>
#include <crypto/hash.h>
#include <rup/beacon.h>
#include "netns.h"

#define RUP_PEER_HASH_BITS 8

/* Keys; immutable once published, freed after a grace period. */
struct rup_keys {
	struct crypto_shash *cur;
	struct crypto_shash *next;	/* NULL when no rotation is pending */
};

/* This node's role, term and offer in one region; immutable, RCU-replaced. */
struct rup_region_self {
	struct rcu_head rcu;
	u32 role;
	u64 term;
	bool has_offer;
	struct rup_offer offer;
};

struct rup_region_cfg {
	u32 id;
	__be32 group;
	u16 port;
	int ifindex;
	u32 interval_ms;
	u32 dead_ms;
	u32 window_ms;
};

struct rup_region {
	struct list_head list;		/* in rup_net.regions */
	struct list_head gone;		/* deletion's private list */
	struct rup_net *rn;
	struct net *net;
	/* Fixed at creation. */
	u32 id;
	__be32 group;
	u16 port;
	int ifindex;
	/* Tunables: READ_ONCE/WRITE_ONCE, written under rn->lock. */
	u32 interval_ms;
	u32 dead_ms;
	u32 window_ms;
	/* Deleted, or its interface went (rup_region_dev_gone): no more sends. */
	bool dead;

	struct mem_cgroup *memcg;	/* the creator's: peers are charged to it */
	struct socket *sock;
	struct rup_keys __rcu *keys;
	struct rup_region_self __rcu *self;
	u32 owner_portid;	/* SELF_SET ... BIND socket, 0: none; rn->lock */
	/* Role and offer lease: its end in jiffies | 1, 0: none (ONCE). */
	unsigned long lease_end;

	/* Sending: the work is the only user of the scratch beacon. */
	struct delayed_work send_work;
	spinlock_t send_lock;		/* protects last_trig */
	unsigned long last_trig;	/* when the last triggered beacon is due */
	struct rup_beacon tx_beacon;
	u8 tx_buf[RUP_BEACON_MAX];

	/* Version table: RCU readers; writers hold peers_lock (BH). */
	spinlock_t peers_lock;
	struct hlist_head peers[1 << RUP_PEER_HASH_BITS];
	unsigned int npeers;
	struct delayed_work expire_work;

	atomic64_t stats[__RUP_STAT_MAX];
};

/*
 * The role a node beacons once its owner is gone (socket closed) or silent
 * (lease run out): abnormal, so not electable, keeping HOOK_FAILED.
 */
static inline u32 rup_role_orphaned(u32 role)
{
	return RUP_ROLE_ABNORMAL | (role & RUP_ROLE_HOOK_FAILED);
}

static inline void rup_stat_inc(struct rup_region *r, enum rup_stat s)
{
	atomic64_inc(&r->stats[s]);
}

/*
 * Beacon send and peer expiry run here: a WQ_HIGHPRI workqueue, whose
 * kworkers run at nice -20, so a node busy in userspace (installing an
 * upgrade) still beacons and expires peers on time (docs/PROTOCOL.md,
 * "Timing under load").
 */
extern struct workqueue_struct *rup_wq;
int rup_wq_init(void);
void rup_wq_exit(void);

struct rup_region *rup_region_find(struct rup_net *rn, u32 id);
int rup_region_new(struct rup_net *rn, const struct rup_region_cfg *cfg,
		   const u8 *key, const u8 *next_key,
		   struct netlink_ext_ack *extack);
void rup_region_del(struct rup_region *r);
void rup_region_del_all(struct rup_net *rn);
bool rup_region_dev_gone(struct rup_net *rn, int ifindex);
void rup_region_del_dead(struct rup_net *rn);
int rup_region_set_keys(struct rup_region *r, const u8 *key,
			const u8 *next_key, bool clear_next);
int rup_region_set_self(struct rup_region *r, const u32 *role,
			const u64 *term, const struct rup_offer *offer,
			bool clear_offer);
void rup_region_orphan(struct rup_region *r);
void rup_region_set_lease(struct rup_region *r, u32 ms);
bool rup_region_lease_expired(const struct rup_region *r);
u32 rup_region_lease_left_ms(const struct rup_region *r);
struct crypto_shash *rup_key_alloc(const u8 *key);

#endif /* _RUP_REGION_H */
