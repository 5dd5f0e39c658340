// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately broken module for the debug-kernel self-test: bug=uaf reads
 * freed memory (KASAN must report it), bug=abba takes two mutexes in both
 * orders (lockdep must report a possible circular dependency), bug=leak
 * drops its only pointer to an allocation (kmemleak must report it after the
 * module is gone, as it would a leak of rup's).
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "uaf, abba or leak");

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);

static noinline void selftest_uaf(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("rup selftest: read after free: %d\n", READ_ONCE(p[8]));
}

static noinline void selftest_abba(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);

	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static noinline void selftest_leak(void)
{
	char *p = kmalloc(128, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, 128);
	pr_info("rup selftest: leaked 128 bytes\n");
}

static int __init selftest_bugs_init(void)
{
	if (!strcmp(bug, "uaf"))
		selftest_uaf();
	else if (!strcmp(bug, "abba"))
		selftest_abba();
	else if (!strcmp(bug, "leak"))
		selftest_leak();
	return 0;
}

static void __exit selftest_bugs_exit(void)
{
}

module_init(selftest_bugs_init);
module_exit(selftest_bugs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rup debug-kernel self-test: a use-after-free, a lock inversion, a leak");
