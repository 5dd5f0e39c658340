// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. A namespace's exit deletes its regions, so
 * nothing of rup outlives the namespace.
 */
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

static int __net_init rup_net_init(struct net *net)
{
	struct rup_net *rn = rup_net(net);
	struct rup_self *self;

	self = kzalloc(sizeof(*self), GFP_KERNEL);
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
	return 0;
}

static void __net_exit rup_net_exit(struct net *net)
{
	struct rup_net *rn = rup_net(net);

	mutex_lock(&rn->lock);
	rup_region_del_all(rn);
	mutex_unlock(&rn->lock);
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
