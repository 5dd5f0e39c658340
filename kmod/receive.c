// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving beacons, in softirq from the region socket's encap_rcv. Checks
 * run cheapest first, the TLVs are decoded only once the MAC is good; every
 * failure is counted under its own reason and leaves the version table
 * untouched.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <net/sock.h>
#include "peer.h"
#include "receive.h"
#include "region.h"

/* The expected MAC would authenticate this datagram: not left on the stack. */
static bool rup_mac_ok(struct crypto_shash *tfm, const u8 *data, size_t len)
{
	u8 mac[RUP_MAC_LEN];
	bool ok;

	if (!tfm || crypto_shash_tfm_digest(tfm, data, len - RUP_MAC_LEN, mac))
		return false;
	ok = !crypto_memneq(mac, data + len - RUP_MAC_LEN, RUP_MAC_LEN);
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

static enum rup_stat rup_check(struct rup_region *r, struct sk_buff *skb,
			       struct rup_beacon *b)
{
	const struct rup_keys *keys;
	const struct rup_self *self;
	unsigned int off, len;
	const u8 *data;
	int err;

	off = skb_transport_offset(skb) + sizeof(struct udphdr);
	if (skb->len < off)
		return RUP_STAT_DROP_SHORT;
	len = skb->len - off;
	/* The decoder's size checks, before anything is made linear. */
	if (len < RUP_BEACON_MIN)
		return rup_beacon_drop_stat(-RUP_BERR_SHORT);
	if (len > RUP_BEACON_MAX)
		return rup_beacon_drop_stat(-RUP_BERR_TOO_BIG);
	if (!pskb_may_pull(skb, off + len))
		return RUP_STAT_DROP_MALFORMED;
	data = skb->data + off;

	/*
	 * The fixed header, then the MAC over it and the raw TLV bytes: the
	 * TLV parser only ever reads authenticated bytes (docs/PROTOCOL.md,
	 * "Receive pipeline and drop reasons").
	 */
	err = rup_beacon_check_header(data, len);
	if (err)
		return rup_beacon_drop_stat(err);
	if (rup_beacon_peek_region(data) != r->id)
		return RUP_STAT_DROP_WRONG_REGION;
	keys = rcu_dereference(r->keys);
	if (!rup_mac_ok(keys->cur, data, len) &&
	    !rup_mac_ok(keys->next, data, len))
		return RUP_STAT_DROP_BAD_MAC;
	err = rup_beacon_decode(data, len, b);
	if (err)
		return rup_beacon_drop_stat(err);

	self = rcu_dereference(r->rn->self);
	if (!memcmp(b->node_id, self->node_id, RUP_NODE_ID_LEN))
		return RUP_STAT_DROP_OWN;

	return rup_peer_receive(r, b, ip_hdr(skb)->saddr);
}

/* encap_rcv: returns 0, the datagram is always consumed here. */
int rup_receive(struct sock *sk, struct sk_buff *skb)
{
	struct rup_region *r = rcu_dereference_sk_user_data(sk);
	struct rup_beacon b;
	enum rup_stat st;

	if (unlikely(!r || READ_ONCE(r->dead))) {
		kfree_skb(skb);
		return 0;
	}
	st = rup_check(r, skb, &b);
	rup_stat_inc(r, st);
	if (st == RUP_STAT_RX) {
		consume_skb(skb);
	} else {
		net_dbg_ratelimited("rup: region %u: beacon dropped (reason %d)\n",
				    r->id, st);
		kfree_skb(skb);
	}
	return 0;
}
