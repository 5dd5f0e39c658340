// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. A namespace's exit deletes its regions, so
 * nothing of rup outlives the namespace. A netdevice notifier per namespace
 * deletes the regions of an interface that goes.
 */
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netns/generic.h>
#include "netns.h"
#include "region.h"

static unsigned int rup_net_id __read_mostly;

struct rup_net *rup_net(struct net *net)
{
	return net_generic(net, rup_net_id);
}

/*
 * Under RTNL. Only NETDEV_UNREGISTER matters: down and up keep the device
 * and its index, IPv4 keeps the group memberships across them, and a beacon
 * sent while the link is down fails and counts as tx_err.
 */
static int rup_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct rup_net *rn = container_of(nb, struct rup_net, netdev_nb);
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER && rup_region_dev_gone(rn, dev->ifindex))
		queue_work(rup_wq, &rn->gone_work);
	return NOTIFY_DONE;
}

static void rup_net_gone_work(struct work_struct *work)
{
	struct rup_net *rn = container_of(work, struct rup_net, gone_work);

	mutex_lock(&rn->lock);
	rup_region_del_dead(rn);
	mutex_unlock(&rn->lock);
}

static int __net_init rup_net_init(struct net *net)
{
	struct rup_net *rn = rup_net(net);
	struct rup_self *self;
	int err;

	self = kzalloc(sizeof(*self), GFP_KERNEL_ACCOUNT);
	if (!self)
		return -ENOMEM;
	/* A random id until userspace sets one from /etc/machine-id. */
	get_random_bytes(self->node_id, sizeof(self->node_id));
	strscpy(self->version, "0.0.0", sizeof(self->version));

	rn->net = net;
	mutex_init(&rn->lock);
	INIT_LIST_HEAD(&rn->regions);
	atomic_set(&rn->gen, 1);
	RCU_INIT_POINTER(rn->self, self);
	INIT_WORK(&rn->gone_work, rup_net_gone_work);
	rn->netdev_nb.notifier_call = rup_netdev_event;
	err = register_netdevice_notifier_net(net, &rn->netdev_nb);
	if (err)
		kfree(self);
	return err;
}

static void __net_exit rup_net_exit(struct net *net)
{
	struct rup_net *rn = rup_net(net);

	mutex_lock(&rn->lock);
	rup_region_del_all(rn);
	mutex_unlock(&rn->lock);
	/* No region is left for the replayed unregistrations to find. */
	unregister_netdevice_notifier_net(net, &rn->netdev_nb);
	cancel_work_sync(&rn->gone_work);
	/* Readers of self ran in this namespace, which is going away. */
	kfree_rcu(rcu_dereference_protected(rn->self, true), rcu);
}

static struct pernet_operations rup_net_ops = {
	.init = rup_net_init,
	.exit = rup_net_exit,
	.id = &rup_net_id,
	.size = sizeof(struct rup_net),
};

/*
 * A pernet *device*, not subsys: exits run in reverse order of
 * registration, so ours runs before the namespace's devices are torn down.
 * As a subsys it would run after, and the sockets' group memberships and
 * cached routes would keep loopback from ever being freed.
 */
int rup_netns_init(void)
{
	return register_pernet_device(&rup_net_ops);
}

void rup_netns_exit(void)
{
	unregister_pernet_device(&rup_net_ops);
}
