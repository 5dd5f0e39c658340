/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receiving beacons: the region socket's encap_rcv.
 */
#ifndef _RUP_RECEIVE_H
#define _RUP_RECEIVE_H

struct sk_buff;
struct sock;

int rup_receive(struct sock *sk, struct sk_buff *skb);

#endif /* _RUP_RECEIVE_H */
