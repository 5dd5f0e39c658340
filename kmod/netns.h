/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: the regions and this node's own
 * namespace-wide identity.
 */
#ifndef _RUP_NETNS_H
#define _RUP_NETNS_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/rup.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

/* Namespace-wide self state; immutable once published, replaced by RCU. */
struct rup_self {
	struct rcu_head rcu;
	u8 node_id[RUP_NODE_ID_LEN];
	char version[RUP_VERSION_LEN];
	u32 score;
};

struct rup_net {
	struct net *net;
	/* Serialises configuration: the region list and self updates. */
	struct mutex lock;
	struct list_head regions;	/* RCU readers, writers hold @lock */
	unsigned int nregions;
	/* Bumped on region and peer add/remove: dump consistency. */
	atomic_t gen;
	struct rup_self __rcu *self;
	/* This namespace's interfaces: one going deletes its regions. */
	struct notifier_block netdev_nb;
	struct work_struct gone_work;	/* deletes them, under @lock */
};

struct rup_net *rup_net(struct net *net);
int rup_netns_init(void);
void rup_netns_exit(void);

#endif /* _RUP_NETNS_H */
