/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The region's UDP socket: opened bound and joined to the group, with
 * beacons handed to rup_receive() (receive.h).
 */
#ifndef _RUP_SOCKET_H
#define _RUP_SOCKET_H

#include <linux/netlink.h>

struct rup_region;

int rup_socket_open(struct rup_region *r, struct netlink_ext_ack *extack);
void rup_socket_close(struct rup_region *r);

#endif /* _RUP_SOCKET_H */
