// SPDX-License-Identifier: GPL-2.0
/*
 * rup - Regional Upgrade Protocol: module init and exit.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include "debugfs.h"
#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "peer.h"
#include "region.h"

static int __init rup_init(void)
{
	int err;

	err = rup_peer_cache_init();
	if (err)
		return err;
	err = rup_wq_init();
	if (err)
		goto err_cache;
	err = rup_netns_init();
	if (err)
		goto err_wq;
	err = rup_genl_init();
	if (err)
		goto err_netns;
	rup_debugfs_init();
	pr_info("rup %s loaded\n", RUP_VERSION);
	return 0;

err_netns:
	rup_netns_exit();
err_wq:
	rup_wq_exit();
err_cache:
	rcu_barrier();
	rup_peer_cache_exit();
	return err;
}

static void __exit rup_exit(void)
{
	rup_debugfs_exit();
	/* No events, then no new commands, then every namespace's regions go. */
	rup_events_close();
	rup_genl_exit();
	rup_netns_exit();
	rup_wq_exit();
	/* Peers and self state freed by RCU callbacks. */
	rcu_barrier();
	rup_peer_cache_exit();
	pr_info("rup unloaded\n");
}

module_init(rup_init);
module_exit(rup_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(RUP_VERSION);
MODULE_DESCRIPTION("Regional Upgrade Protocol: authenticated multicast beacons and version table");
MODULE_AUTHOR("rup developers");
MODULE_ALIAS_GENL_FAMILY(RUP_GENL_NAME);
