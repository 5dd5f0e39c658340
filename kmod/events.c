// SPDX-License-Identifier: GPL-2.0
/*
 * Peer messages: the one format used by PEER_GET dumps and by the events
 * group. Events are built in the receive path, the expiry work (atomic
 * context) and the netdevice notifier (under RTNL and RCU), and sent only
 * when someone listens.
 */
#include <linux/jiffies.h>
#include "events.h"
#include "netlink.h"
#include "peer.h"
#include "region.h"

#define RUP_EVENT_SIZE 1024	/* a full peer message is about 600 bytes */

int rup_fill_offer(struct sk_buff *skb, const struct rup_offer *o)
{
	struct nlattr *nest = nla_nest_start(skb, RUP_A_OFFER);

	if (!nest ||
	    nla_put_string(skb, RUP_OFFER_A_VERSION, o->version) ||
	    nla_put(skb, RUP_OFFER_A_SHA256, RUP_SHA256_LEN, o->sha256) ||
	    nla_put_u64_64bit(skb, RUP_OFFER_A_SIZE, o->size,
			      RUP_OFFER_A_PAD) ||
	    nla_put_u16(skb, RUP_OFFER_A_PORT, o->port) ||
	    nla_put_string(skb, RUP_OFFER_A_PATH, o->path)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* @full adds the offer and the receive bookkeeping (all but RVS_LOST). */
int rup_fill_peer(struct sk_buff *skb, const struct rup_region *r,
		  const struct rup_peer_state *st, bool full)
{
	if (nla_put_u32(skb, RUP_A_REGION_ID, r->id) ||
	    nla_put(skb, RUP_A_NODE_ID, RUP_NODE_ID_LEN, st->node_id) ||
	    nla_put_in_addr(skb, RUP_A_PEER_ADDR4, st->addr) ||
	    nla_put_string(skb, RUP_A_VERSION, st->version) ||
	    nla_put_u32(skb, RUP_A_SCORE, st->score) ||
	    nla_put_u32(skb, RUP_A_ROLE, st->role) ||
	    nla_put_u64_64bit(skb, RUP_A_TERM, st->term, RUP_A_PAD))
		return -EMSGSIZE;
	if (!full)
		return 0;
	if (st->has_offer && rup_fill_offer(skb, &st->offer))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, RUP_A_PEER_SEQ, st->seq, RUP_A_PAD) ||
	    nla_put_u32(skb, RUP_A_PEER_LAST_SEEN_MS,
			jiffies_to_msecs(jiffies - st->last_seen)) ||
	    nla_put_u64_64bit(skb, RUP_A_PEER_RX, st->rx, RUP_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static struct sk_buff *rup_event_new(const struct rup_region *r, u8 cmd,
				     void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&rup_genl_family, r->net, 0))
		return NULL;
	skb = genlmsg_new(RUP_EVENT_SIZE, GFP_ATOMIC);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &rup_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/*
 * PEER_NEW, PEER_CHANGED (with @changed) or PEER_GONE (whose last_seen is
 * how long the peer had been silent); NULL when nobody listens.
 */
struct sk_buff *rup_event_peer(const struct rup_region *r,
			       const struct rup_peer_state *st, u8 cmd,
			       u32 changed)
{
	struct sk_buff *skb;
	void *hdr;

	skb = rup_event_new(r, cmd, &hdr);
	if (!skb)
		return NULL;
	if (rup_fill_peer(skb, r, st, true) ||
	    (changed && nla_put_u32(skb, RUP_A_CHANGED, changed))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

struct sk_buff *rup_event_rvs_lost(const struct rup_region *r,
				   const struct rup_peer_state *st)
{
	struct sk_buff *skb;
	void *hdr;

	skb = rup_event_new(r, RUP_CMD_RVS_LOST, &hdr);
	if (!skb)
		return NULL;
	if (nla_put_u32(skb, RUP_A_REGION_ID, r->id) ||
	    nla_put(skb, RUP_A_NODE_ID, RUP_NODE_ID_LEN, st->node_id) ||
	    nla_put_u64_64bit(skb, RUP_A_TERM, st->term, RUP_A_PAD)) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/* REGION_GONE: the region's interface went, so the region was deleted. */
struct sk_buff *rup_event_region_gone(const struct rup_region *r,
				      const u8 *node_id)
{
	struct sk_buff *skb;
	void *hdr;

	skb = rup_event_new(r, RUP_CMD_REGION_GONE, &hdr);
	if (!skb)
		return NULL;
	if (nla_put_u32(skb, RUP_A_REGION_ID, r->id) ||
	    nla_put(skb, RUP_A_NODE_ID, RUP_NODE_ID_LEN, node_id) ||
	    nla_put_u32(skb, RUP_A_REGION_IFINDEX, r->ifindex)) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

static bool rup_events_closed;

/*
 * Module unload, before the family goes: a region's teardown can still
 * expire peers or receive a beacon, and an event multicast after
 * genl_unregister_family() would go to a group id that another family may
 * own by then. Senders check the flag under RCU, so once this returns none
 * is left.
 */
void rup_events_close(void)
{
	WRITE_ONCE(rup_events_closed, true);
	synchronize_rcu();
}

void rup_event_send(const struct rup_region *r, struct sk_buff *skb)
{
	if (!skb)
		return;
	rcu_read_lock();
	if (READ_ONCE(rup_events_closed))
		nlmsg_free(skb);
	else
		genlmsg_multicast_netns(&rup_genl_family, r->net, skb, 0, 0,
					GFP_ATOMIC);
	rcu_read_unlock();
}
