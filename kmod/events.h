/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer messages of the generic netlink family: PEER_GET dump entries and
 * the events group's notifications.
 */
#ifndef _RUP_EVENTS_H
#define _RUP_EVENTS_H

#include <linux/types.h>

struct rup_offer;
struct rup_peer_state;
struct rup_region;
struct sk_buff;

int rup_fill_offer(struct sk_buff *skb, const struct rup_offer *o);
int rup_fill_peer(struct sk_buff *skb, const struct rup_region *r,
		  const struct rup_peer_state *st, bool full);
struct sk_buff *rup_event_peer(const struct rup_region *r,
			       const struct rup_peer_state *st, u8 cmd,
			       u32 changed);
struct sk_buff *rup_event_rvs_lost(const struct rup_region *r,
				   const struct rup_peer_state *st);
struct sk_buff *rup_event_region_gone(const struct rup_region *r,
				      const u8 *node_id);
void rup_event_send(const struct rup_region *r, struct sk_buff *skb);
void rup_events_close(void);

#endif /* _RUP_EVENTS_H */
