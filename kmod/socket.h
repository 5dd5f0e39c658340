/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The region's UDP socket, sending and receiving beacons.
 */
#ifndef _RUP_SOCKET_H
#define _RUP_SOCKET_H

#include <linux/netlink.h>

struct rup_region;
struct work_struct;

int rup_socket_open(struct rup_region *r, struct netlink_ext_ack *extack);
void rup_socket_close(struct rup_region *r);
int rup_receive(struct sock *sk, struct sk_buff *skb);
void rup_send_work(struct work_struct *work);
void rup_send_start(struct rup_region *r);
void rup_send_trigger(struct rup_region *r);

#endif /* _RUP_SOCKET_H */
