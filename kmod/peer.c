// SPDX-License-Identifier: GPL-2.0
/*
 * The version table: an RCU hash of peers per region, bounded by max_peers.
 * Lookups run under RCU from the receive path; insertion and removal hold
 * the region's peers_lock; a peer's fields are guarded by its own lock so
 * readers copy a consistent snapshot. Silent peers are removed by a
 * self-re-arming work that sleeps until the earliest deadline.
 */
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "events.h"
#include "peer.h"
#include "region.h"

unsigned int rup_max_peers = 1024;
module_param_named(max_peers, rup_max_peers, uint, 0644);
MODULE_PARM_DESC(max_peers, "Most peers kept per region (newcomers past it are dropped and counted)");

static struct kmem_cache *rup_peer_cache;

/*
 * Locks are set up once per object. Having a constructor also keeps the
 * cache from being merged with others, so its object count is ours alone
 * (the lifecycle test checks it is empty before unload).
 */
static void rup_peer_ctor(void *obj)
{
	struct rup_peer *p = obj;

	spin_lock_init(&p->lock);
}

int rup_peer_cache_init(void)
{
	rup_peer_cache = kmem_cache_create("rup_peer", sizeof(struct rup_peer),
					   0, SLAB_ACCOUNT, rup_peer_ctor);
	return rup_peer_cache ? 0 : -ENOMEM;
}

/* Callers wait for pending RCU callbacks (rcu_barrier) first. */
void rup_peer_cache_exit(void)
{
	kmem_cache_destroy(rup_peer_cache);
}

/*
 * Softirq has no task to charge: a peer is charged to the memory cgroup of
 * whoever created its region (docs/ARCHITECTURE-kernel.md, "Memory").
 */
static struct rup_peer *rup_peer_alloc(struct rup_region *r)
{
	struct mem_cgroup *old = set_active_memcg(r->memcg);
	struct rup_peer *np = kmem_cache_alloc(rup_peer_cache, GFP_ATOMIC);

	set_active_memcg(old);
	return np;
}

static struct hlist_head *rup_bucket(struct rup_region *r, const u8 *id)
{
	u32 h = jhash(id, RUP_NODE_ID_LEN, 0);

	return &r->peers[hash_32(h, RUP_PEER_HASH_BITS)];
}

static struct rup_peer *rup_peer_lookup(struct rup_region *r, const u8 *id)
{
	struct rup_peer *p;

	hlist_for_each_entry_rcu(p, rup_bucket(r, id), node,
				 lockdep_is_held(&r->peers_lock))
		if (!memcmp(p->st.node_id, id, RUP_NODE_ID_LEN))
			return p;
	return NULL;
}

static void rup_peer_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(rup_peer_cache, container_of(rcu, struct rup_peer, rcu));
}

void rup_peer_snapshot(struct rup_peer *p, struct rup_peer_state *st)
{
	spin_lock_bh(&p->lock);
	*st = p->st;
	spin_unlock_bh(&p->lock);
}

static void rup_state_from_beacon(struct rup_peer_state *st,
				  const struct rup_beacon *b, __be32 addr)
{
	st->addr = addr;
	strscpy(st->version, b->version, sizeof(st->version));
	st->score = b->score;
	st->role = b->flags;
	st->term = b->term;
	st->has_offer = b->has_offer;
	if (b->has_offer)
		st->offer = b->offer;
	else
		memset(&st->offer, 0, sizeof(st->offer));
	st->seq = b->seq;
	st->rx++;
	st->last_seen = jiffies;
}

static u32 rup_changes(const struct rup_peer_state *st,
		       const struct rup_beacon *b, __be32 addr)
{
	u32 changed = 0;

	if (strcmp(st->version, b->version))
		changed |= RUP_CHANGED_VERSION;
	if (st->score != b->score)
		changed |= RUP_CHANGED_SCORE;
	if (st->role != b->flags)
		changed |= RUP_CHANGED_ROLE;
	if (st->term != b->term)
		changed |= RUP_CHANGED_TERM;
	if (st->has_offer != b->has_offer ||
	    (b->has_offer && memcmp(&st->offer, &b->offer, sizeof(b->offer))))
		changed |= RUP_CHANGED_OFFER;
	if (st->addr != addr)
		changed |= RUP_CHANGED_ADDR;
	return changed;
}

/* A known peer: the sequence must grow; report what changed. */
static enum rup_stat rup_peer_update(struct rup_region *r, struct rup_peer *p,
				     const struct rup_beacon *b, __be32 addr)
{
	struct sk_buff *ev = NULL;
	u32 changed;

	spin_lock(&p->lock);
	if (b->seq <= p->st.seq) {
		spin_unlock(&p->lock);
		return RUP_STAT_DROP_REPLAY;
	}
	changed = rup_changes(&p->st, b, addr);
	rup_state_from_beacon(&p->st, b, addr);
	if (changed)
		ev = rup_event_peer(r, &p->st, RUP_CMD_PEER_CHANGED, changed);
	spin_unlock(&p->lock);
	rup_event_send(r, ev);
	return RUP_STAT_RX;
}

static bool rup_seq_fresh(struct rup_region *r, u64 seq)
{
	u64 window = (u64)READ_ONCE(r->window_ms) * NSEC_PER_MSEC;
	u64 now = ktime_get_real_ns();

	if (!window)
		return true;
	return seq > now ? seq - now <= window : now - seq <= window;
}

/*
 * Expiry wakes at most one interval ahead. The timer wheel fires a long
 * timeout up to an eighth of it late (256 ms at the default 3.5 s dead
 * interval, seconds at longer ones), which the failover bound of dead + 2
 * intervals cannot absorb; a lap of one interval is late by at most an
 * eighth of an interval.
 */
static void rup_expire_arm(struct rup_region *r, unsigned long delay)
{
	unsigned long lap = msecs_to_jiffies(READ_ONCE(r->interval_ms));

	queue_delayed_work(rup_wq, &r->expire_work,
			   clamp(delay, 1UL, max(lap, 1UL)));
}

/* Called from the receive path (softirq) for an authentic beacon. */
enum rup_stat rup_peer_receive(struct rup_region *r,
			       const struct rup_beacon *b, __be32 addr)
{
	struct sk_buff *ev = NULL;
	struct rup_peer *p, *np;
	enum rup_stat ret;

	p = rup_peer_lookup(r, b->node_id);
	if (p)
		return rup_peer_update(r, p, b, addr);

	if (!rup_seq_fresh(r, b->seq))
		return RUP_STAT_DROP_STALE;
	if (READ_ONCE(r->npeers) >= READ_ONCE(rup_max_peers))
		return RUP_STAT_DROP_TABLE_FULL;

	np = rup_peer_alloc(r);
	if (!np)
		return RUP_STAT_DROP_TABLE_FULL;
	memset(&np->st, 0, sizeof(np->st));
	INIT_LIST_HEAD(&np->gc);
	memcpy(np->st.node_id, b->node_id, RUP_NODE_ID_LEN);
	rup_state_from_beacon(&np->st, b, addr);

	spin_lock(&r->peers_lock);
	p = rup_peer_lookup(r, b->node_id);
	if (p) {
		/* Lost a race with another CPU inserting the same peer. */
		spin_unlock(&r->peers_lock);
		kmem_cache_free(rup_peer_cache, np);
		return rup_peer_update(r, p, b, addr);
	}
	if (r->npeers >= READ_ONCE(rup_max_peers)) {
		ret = RUP_STAT_DROP_TABLE_FULL;
		goto out_free;
	}
	hlist_add_head_rcu(&np->node, rup_bucket(r, b->node_id));
	WRITE_ONCE(r->npeers, r->npeers + 1);
	atomic_inc(&r->rn->gen);
	/* Region deletion cancels this only after an RCU grace period. */
	if (!delayed_work_pending(&r->expire_work))
		rup_expire_arm(r, msecs_to_jiffies(READ_ONCE(r->dead_ms)));
	ev = rup_event_peer(r, &np->st, RUP_CMD_PEER_NEW, 0);
	spin_unlock(&r->peers_lock);
	rup_event_send(r, ev);
	return RUP_STAT_RX;

out_free:
	spin_unlock(&r->peers_lock);
	kmem_cache_free(rup_peer_cache, np);
	return ret;
}

/* The highest term at which a live peer, or this node, holds RVS; -1: none. */
static s64 rup_live_rvs_term(struct rup_region *r)
{
	const struct rup_region_self *rs;
	struct rup_peer *p;
	s64 best = -1;
	int i;

	lockdep_assert_held(&r->peers_lock);
	for (i = 0; i < ARRAY_SIZE(r->peers); i++)
		hlist_for_each_entry(p, &r->peers[i], node)
			if ((p->st.role & RUP_ROLE_RVS) && (s64)p->st.term > best)
				best = p->st.term;
	rcu_read_lock();
	rs = rcu_dereference(r->self);
	if ((rs->role & RUP_ROLE_RVS) && (s64)rs->term > best)
		best = rs->term;
	rcu_read_unlock();
	return best;
}

void rup_peer_expire_work(struct work_struct *work)
{
	struct rup_region *r = container_of(to_delayed_work(work),
					    struct rup_region, expire_work);
	unsigned long dead = msecs_to_jiffies(READ_ONCE(r->dead_ms));
	unsigned long now = jiffies, next = now + dead;
	struct rup_peer *p, *q, *rvs = NULL;
	struct hlist_node *tmp;
	struct sk_buff_head evs;
	struct sk_buff *ev;
	LIST_HEAD(gone);
	unsigned int n = 0;
	int i;

	skb_queue_head_init(&evs);
	spin_lock_bh(&r->peers_lock);
	for (i = 0; i < ARRAY_SIZE(r->peers); i++) {
		hlist_for_each_entry_safe(p, tmp, &r->peers[i], node) {
			unsigned long until = READ_ONCE(p->st.last_seen) + dead;

			if (time_before(now, until)) {
				if (time_before(until, next))
					next = until;
				continue;
			}
			hlist_del_rcu(&p->node);
			list_add_tail(&p->gc, &gone);
			WRITE_ONCE(r->npeers, r->npeers - 1);
			n++;
		}
	}
	if (n)
		atomic_inc(&r->rn->gen);
	/* RVS lost: the expired RVS of the highest term, above any live one. */
	list_for_each_entry(p, &gone, gc)
		if ((p->st.role & RUP_ROLE_RVS) &&
		    (!rvs || p->st.term > rvs->st.term))
			rvs = p;
	if (rvs && (s64)rvs->st.term <= rup_live_rvs_term(r))
		rvs = NULL;
	list_for_each_entry(p, &gone, gc) {
		/* A receive path that found it before the unlink may write. */
		spin_lock(&p->lock);
		ev = rup_event_peer(r, &p->st, RUP_CMD_PEER_GONE, 0);
		if (ev)
			__skb_queue_tail(&evs, ev);
		if (p == rvs) {
			ev = rup_event_rvs_lost(r, &p->st);
			if (ev)
				__skb_queue_tail(&evs, ev);
		}
		spin_unlock(&p->lock);
	}
	if (r->npeers)
		rup_expire_arm(r, time_after(next, now) ? next - now : 1);
	spin_unlock_bh(&r->peers_lock);

	atomic64_add(n, &r->stats[RUP_STAT_EXPIRED]);
	while ((ev = __skb_dequeue(&evs)))
		rup_event_send(r, ev);
	list_for_each_entry_safe(p, q, &gone, gc)
		call_rcu(&p->rcu, rup_peer_free_rcu);
}

/* Region teardown, after a grace period and with expiry stopped. */
void rup_peers_free(struct rup_region *r)
{
	struct hlist_node *tmp;
	struct rup_peer *p;
	int i;

	for (i = 0; i < ARRAY_SIZE(r->peers); i++) {
		hlist_for_each_entry_safe(p, tmp, &r->peers[i], node) {
			hlist_del(&p->node);
			kmem_cache_free(rup_peer_cache, p);
		}
	}
	r->npeers = 0;
}
