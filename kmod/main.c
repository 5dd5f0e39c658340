// SPDX-License-Identifier: GPL-2.0
/*
 * rup - Regional Upgrade Protocol: module init and exit.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static int __init rup_init(void)
{
	pr_info("rup %s loaded\n", RUP_VERSION);
	return 0;
}

static void __exit rup_exit(void)
{
	pr_info("rup unloaded\n");
}

module_init(rup_init);
module_exit(rup_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(RUP_VERSION);
MODULE_DESCRIPTION("Regional Upgrade Protocol: authenticated multicast beacons and version table");
MODULE_AUTHOR("rup developers");
