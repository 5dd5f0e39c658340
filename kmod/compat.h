/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels rup.ko builds for (6.1 and 6.12 LTS).
 * Kbuild detects features from the headers and defines RUP_HAVE_*.
 */
#ifndef _RUP_COMPAT_H
#define _RUP_COMPAT_H

#include <net/genetlink.h>

/* 6.2 split genl ops; a dump's parsed attributes moved to genl_info. */
static inline struct nlattr **rup_dump_attrs(struct netlink_callback *cb)
{
#ifdef RUP_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _RUP_COMPAT_H */
