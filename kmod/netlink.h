/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "rup": commands and events.
 */
#ifndef _RUP_NETLINK_H
#define _RUP_NETLINK_H

#include <net/genetlink.h>

struct rup_region;
struct rup_peer_state;
struct rup_offer;

extern struct genl_family rup_genl_family;

int rup_genl_init(void);
void rup_genl_exit(void);

int rup_fill_offer(struct sk_buff *skb, const struct rup_offer *o);
int rup_fill_peer(struct sk_buff *skb, const struct rup_region *r,
		  const struct rup_peer_state *st, bool full);
struct sk_buff *rup_event_peer(const struct rup_region *r,
			       const struct rup_peer_state *st, u8 cmd,
			       u32 changed);
struct sk_buff *rup_event_rvs_lost(const struct rup_region *r,
				   const struct rup_peer_state *st);
void rup_event_send(const struct rup_region *r, struct sk_buff *skb);

#endif /* _RUP_NETLINK_H */
