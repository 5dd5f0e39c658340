/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "rup": commands (netlink.c); its peer messages
 * and events are in events.h.
 */
#ifndef _RUP_NETLINK_H
#define _RUP_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family rup_genl_family;

int rup_genl_init(void);
void rup_genl_exit(void);

#endif /* _RUP_NETLINK_H */
