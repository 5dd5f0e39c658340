// SPDX-License-Identifier: GPL-2.0
/*
 * Sending beacons: a per-region delayed work, re-armed every interval with
 * +-10 % jitter, and brought forward (rate-limited) when own state changes.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/socket.h>
#include <linux/timekeeping.h>
#include <linux/uio.h>
#include <crypto/hash.h>
#include "region.h"
#include "send.h"

static unsigned long rup_jittered(u32 interval_ms)
{
	u32 spread = interval_ms / 5;	/* -10 % .. +10 % */
	u32 ms = interval_ms - interval_ms / 10;

	if (spread)
		ms += get_random_u32_below(spread + 1);
	return msecs_to_jiffies(ms);
}

/* Build, sign and send one beacon. Only the send work calls this. */
static void rup_send_beacon(struct rup_region *r)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = r->group,
		.sin_port = htons(r->port),
	};
	struct msghdr msg = {
		.msg_name = &sin,
		.msg_namelen = sizeof(sin),
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
	};
	struct rup_beacon *b = &r->tx_beacon;
	const struct rup_self *self;
	const struct rup_region_self *rs;
	const struct rup_keys *keys;
	struct kvec iov;
	int len, err;

	memset(b, 0, sizeof(*b));
	rcu_read_lock();
	self = rcu_dereference(r->rn->self);
	rs = rcu_dereference(r->self);
	b->type = RUP_BEACON_ANNOUNCE;
	b->region = r->id;
	memcpy(b->node_id, self->node_id, sizeof(b->node_id));
	strscpy(b->version, self->version, sizeof(b->version));
	b->score = self->score;
	b->flags = rs->role;
	b->term = rs->term;
	b->has_offer = rs->has_offer;
	if (rup_region_lease_expired(r)) {
		/* The owner stopped renewing: step down as if it were gone. */
		b->flags = rup_role_orphaned(rs->role);
		b->has_offer = false;
	}
	if (b->has_offer)
		b->offer = rs->offer;
	b->seq = ktime_get_real_ns();

	len = rup_beacon_encode(b, r->tx_buf, sizeof(r->tx_buf));
	if (len < 0) {
		rcu_read_unlock();
		net_warn_ratelimited("rup: region %u: cannot encode beacon (%d)\n",
				     r->id, len);
		rup_stat_inc(r, RUP_STAT_TX_ERR);
		return;
	}
	keys = rcu_dereference(r->keys);
	err = crypto_shash_tfm_digest(keys->cur, r->tx_buf, len - RUP_MAC_LEN,
				      r->tx_buf + len - RUP_MAC_LEN);
	rcu_read_unlock();
	if (err) {
		rup_stat_inc(r, RUP_STAT_TX_ERR);
		return;
	}

	iov.iov_base = r->tx_buf;
	iov.iov_len = len;
	err = kernel_sendmsg(r->sock, &msg, &iov, 1, len);
	if (err < 0) {
		net_dbg_ratelimited("rup: region %u: send failed (%d)\n",
				    r->id, err);
		rup_stat_inc(r, RUP_STAT_TX_ERR);
		return;
	}
	rup_stat_inc(r, RUP_STAT_TX);
}

void rup_send_work(struct work_struct *work)
{
	struct rup_region *r = container_of(to_delayed_work(work),
					    struct rup_region, send_work);

	/* Deleted, or its interface went: not one beacon on a stale index. */
	if (READ_ONCE(r->dead))
		return;
	rup_send_beacon(r);
	if (!READ_ONCE(r->dead))
		queue_delayed_work(rup_wq, &r->send_work,
				   rup_jittered(READ_ONCE(r->interval_ms)));
}

/* The first beacon goes out at once, so peers learn of us quickly. */
void rup_send_start(struct rup_region *r)
{
	queue_delayed_work(rup_wq, &r->send_work, 0);
}

/*
 * Own state changed: send now, or as soon as the rate limit allows (one
 * triggered beacon per min(interval, RUP_TRIGGER_GAP_MS)). A periodic beacon
 * already due earlier carries the change just as well. Periodic beacons do
 * not count toward the limit: a new RVS's first beacon must not wait behind
 * one that just went out (it counts toward the failover time).
 */
void rup_send_trigger(struct rup_region *r)
{
	unsigned long gap, due, now = jiffies;

	if (READ_ONCE(r->dead))
		return;
	gap = msecs_to_jiffies(min_t(u32, READ_ONCE(r->interval_ms),
				     RUP_TRIGGER_GAP_MS));
	spin_lock_bh(&r->send_lock);
	due = r->last_trig + gap;
	if (time_before(due, now))
		due = now;
	if (!delayed_work_pending(&r->send_work) ||
	    time_after(r->send_work.timer.expires, due)) {
		r->last_trig = due;
		mod_delayed_work(rup_wq, &r->send_work, due - now);
	}
	spin_unlock_bh(&r->send_lock);
}
