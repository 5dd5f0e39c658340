// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately bad module for the harness self-test: it WARNs on load, so
 * the guest harness must report the test that loads it as failed.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init selftest_warn_init(void)
{
	WARN(1, "rup selftest: deliberate warning\n");
	return 0;
}

static void __exit selftest_warn_exit(void)
{
}

module_init(selftest_warn_init);
module_exit(selftest_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rup harness self-test: warns on load");
