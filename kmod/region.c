// SPDX-License-Identifier: GPL-2.0
/*
 * Region lifetime. A region lives on its namespace's list (RCU) and is
 * reached from its socket's sk_user_data in the receive path. Deletion
 * unlinks it, stops the send work, closes the socket, waits one grace period
 * (so no receive path still sees it), then stops the expiry work and frees
 * peers, keys and self state. All of it runs under rup_net.lock.
 */
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include "events.h"
#include "peer.h"
#include "region.h"
#include "send.h"
#include "socket.h"

struct workqueue_struct *rup_wq;

int rup_wq_init(void)
{
	rup_wq = alloc_workqueue("rup", WQ_HIGHPRI, 0);
	return rup_wq ? 0 : -ENOMEM;
}

/* Every region is gone by now: nothing can queue work any more. */
void rup_wq_exit(void)
{
	destroy_workqueue(rup_wq);
}

struct rup_region *rup_region_find(struct rup_net *rn, u32 id)
{
	struct rup_region *r;

	lockdep_assert_held(&rn->lock);
	list_for_each_entry(r, &rn->regions, list)
		if (r->id == id)
			return r;
	return NULL;
}

struct crypto_shash *rup_key_alloc(const u8 *key)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	err = crypto_shash_setkey(tfm, key, RUP_KEY_LEN);
	if (err) {
		crypto_free_shash(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

static void rup_keys_free(struct rup_keys *keys)
{
	if (!keys)
		return;
	crypto_free_shash(keys->cur);
	crypto_free_shash(keys->next);
	kfree(keys);
}

static struct rup_keys *rup_keys_new(const u8 *key, const u8 *next_key)
{
	struct rup_keys *keys;
	struct crypto_shash *tfm;

	keys = kzalloc(sizeof(*keys), GFP_KERNEL_ACCOUNT);
	if (!keys)
		return ERR_PTR(-ENOMEM);
	tfm = rup_key_alloc(key);
	if (IS_ERR(tfm))
		goto err;
	keys->cur = tfm;
	if (next_key) {
		tfm = rup_key_alloc(next_key);
		if (IS_ERR(tfm))
			goto err;
		keys->next = tfm;
	}
	return keys;
err:
	rup_keys_free(keys);
	return ERR_CAST(tfm);
}

static void rup_region_free(struct rup_region *r);

/*
 * Put a region whose socket is open on the list, under RTNL: either its
 * interface is still there, and the notifier will find the region when
 * the interface goes, or it went since the request checked it. Joining
 * the group took RTNL, so rn->lock nests outside of it. On error @r is
 * freed.
 */
static int rup_region_link(struct rup_net *rn, struct rup_region *r,
			   struct netlink_ext_ack *extack)
{
	rtnl_lock();
	if (r->ifindex && !__dev_get_by_index(r->net, r->ifindex)) {
		rtnl_unlock();
		NL_SET_ERR_MSG_MOD(extack, "the interface went away");
		WRITE_ONCE(r->dead, true);
		rup_socket_close(r);
		/* Receive paths may have seen @r through the socket. */
		synchronize_net();
		rup_region_free(r);
		return -ENODEV;
	}
	list_add_tail_rcu(&r->list, &rn->regions);
	rtnl_unlock();
	return 0;
}

int rup_region_new(struct rup_net *rn, const struct rup_region_cfg *cfg,
		   const u8 *key, const u8 *next_key,
		   struct netlink_ext_ack *extack)
{
	struct rup_region *r;
	struct rup_region_self *rs;
	struct rup_keys *keys;
	int err, i;

	lockdep_assert_held(&rn->lock);
	if (rup_region_find(rn, cfg->id)) {
		NL_SET_ERR_MSG_MOD(extack, "region id already exists");
		return -EEXIST;
	}
	if (rn->nregions >= RUP_REGIONS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "too many regions in this namespace");
		return -ENOSPC;
	}

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!r || !rs) {
		err = -ENOMEM;
		goto err_free;
	}
	keys = rup_keys_new(key, next_key);
	if (IS_ERR(keys)) {
		NL_SET_ERR_MSG_MOD(extack, "cannot set up hmac(sha256) with the key");
		err = PTR_ERR(keys);
		goto err_free;
	}
	RCU_INIT_POINTER(r->keys, keys);
	rs->role = RUP_ROLE_MEMBER;
	RCU_INIT_POINTER(r->self, rs);

	r->rn = rn;
	r->net = rn->net;
	r->memcg = get_mem_cgroup_from_mm(current->mm);	/* put on free */
	r->id = cfg->id;
	r->group = cfg->group;
	r->port = cfg->port;
	r->ifindex = cfg->ifindex;
	r->interval_ms = cfg->interval_ms;
	r->dead_ms = cfg->dead_ms;
	r->window_ms = cfg->window_ms;
	spin_lock_init(&r->send_lock);
	spin_lock_init(&r->peers_lock);
	for (i = 0; i < ARRAY_SIZE(r->peers); i++)
		INIT_HLIST_HEAD(&r->peers[i]);
	for (i = 0; i < ARRAY_SIZE(r->stats); i++)
		atomic64_set(&r->stats[i], 0);
	INIT_DELAYED_WORK(&r->send_work, rup_send_work);
	INIT_DELAYED_WORK(&r->expire_work, rup_peer_expire_work);
	r->last_trig = jiffies - HZ;

	/* From here on beacons can arrive: @r must be complete. */
	err = rup_socket_open(r, extack);
	if (err)
		goto err_keys;
	err = rup_region_link(rn, r, extack);
	if (err)
		return err;
	rn->nregions++;
	atomic_inc(&rn->gen);
	rup_send_start(r);
	return 0;

err_keys:
	mem_cgroup_put(r->memcg);
	rup_keys_free(keys);
err_free:
	kfree(rs);
	kfree(r);
	return err;
}

/* First half of deletion: nothing new reaches @r afterwards. */
static void rup_region_unlink(struct rup_region *r)
{
	struct rup_net *rn = r->rn;

	lockdep_assert_held(&rn->lock);
	list_del_rcu(&r->list);
	rn->nregions--;
	atomic_inc(&rn->gen);
	WRITE_ONCE(r->dead, true);
	cancel_delayed_work_sync(&r->send_work);
	rup_socket_close(r);
}

/* Second half, after a grace period: no receive path holds @r. */
static void rup_region_free(struct rup_region *r)
{
	/* Receive can no longer queue it, so this stops it for good. */
	cancel_delayed_work_sync(&r->expire_work);
	rup_peers_free(r);
	rup_keys_free(rcu_dereference_protected(r->keys, true));
	kfree(rcu_dereference_protected(r->self, true));
	mem_cgroup_put(r->memcg);
	kfree(r);
}

void rup_region_del(struct rup_region *r)
{
	rup_region_unlink(r);
	synchronize_net();
	rup_region_free(r);
}

/*
 * Delete every region (@all) or those whose interface went, with one grace
 * period for all of them. @r->list stays intact for RCU readers of the
 * list (the netdevice notifier) until the grace period ends.
 */
static void rup_region_del_many(struct rup_net *rn, bool all)
{
	struct rup_region *r, *tmp;
	LIST_HEAD(gone);

	lockdep_assert_held(&rn->lock);
	list_for_each_entry_safe(r, tmp, &rn->regions, list) {
		if (!all && !READ_ONCE(r->dead))
			continue;
		rup_region_unlink(r);
		list_add_tail(&r->gone, &gone);
	}
	if (list_empty(&gone))
		return;
	synchronize_net();
	list_for_each_entry_safe(r, tmp, &gone, gone)
		rup_region_free(r);
}

void rup_region_del_all(struct rup_net *rn)
{
	rup_region_del_many(rn, true);
}

/* The second step after rup_region_dev_gone(), in process context. */
void rup_region_del_dead(struct rup_net *rn)
{
	rup_region_del_many(rn, false);
}

/*
 * Interface @ifindex left the namespace (docs/PROTOCOL.md, "When the
 * interface goes"): its regions stop sending at once, since a new
 * interface may get the index, and each says so with a REGION_GONE event;
 * rup_region_del_dead() then deletes them. Called under RTNL, inside which
 * rn->lock cannot be taken: the list is walked under RCU. Returns whether
 * a region was stopped.
 */
bool rup_region_dev_gone(struct rup_net *rn, int ifindex)
{
	const struct rup_self *self;
	struct rup_region *r;
	bool any = false;

	rcu_read_lock();
	self = rcu_dereference(rn->self);
	list_for_each_entry_rcu(r, &rn->regions, list) {
		if (r->ifindex != ifindex || READ_ONCE(r->dead))
			continue;
		WRITE_ONCE(r->dead, true);
		rup_event_send(r, rup_event_region_gone(r, self->node_id));
		any = true;
	}
	rcu_read_unlock();
	return any;
}

/*
 * Replace the current key, set or clear the next one. Old transforms are
 * freed after a grace period, so a receive path never uses a freed one.
 */
int rup_region_set_keys(struct rup_region *r, const u8 *key,
			const u8 *next_key, bool clear_next)
{
	struct rup_keys *old, *keys;
	struct crypto_shash *cur = NULL, *next = NULL;

	lockdep_assert_held(&r->rn->lock);
	old = rcu_dereference_protected(r->keys, lockdep_is_held(&r->rn->lock));
	keys = kzalloc(sizeof(*keys), GFP_KERNEL_ACCOUNT);
	if (!keys)
		return -ENOMEM;
	if (key) {
		cur = rup_key_alloc(key);
		if (IS_ERR(cur))
			goto err;
	}
	if (next_key) {
		next = rup_key_alloc(next_key);
		if (IS_ERR(next))
			goto err;
	}
	keys->cur = cur ?: old->cur;
	keys->next = next ?: (clear_next ? NULL : old->next);
	rcu_assign_pointer(r->keys, keys);
	synchronize_net();
	/* Free what the new set no longer uses. */
	if (old->cur != keys->cur)
		crypto_free_shash(old->cur);
	if (old->next && old->next != keys->next)
		crypto_free_shash(old->next);
	kfree(old);
	return 0;
err:
	if (!IS_ERR_OR_NULL(cur))
		crypto_free_shash(cur);
	kfree(keys);
	return PTR_ERR(IS_ERR(cur) ? cur : next);
}

int rup_region_set_self(struct rup_region *r, const u32 *role,
			const u64 *term, const struct rup_offer *offer,
			bool clear_offer)
{
	struct rup_region_self *old, *rs;

	lockdep_assert_held(&r->rn->lock);
	old = rcu_dereference_protected(r->self, lockdep_is_held(&r->rn->lock));
	rs = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	if (role)
		rs->role = *role;
	if (term)
		rs->term = *term;
	if (offer) {
		rs->offer = *offer;
		rs->has_offer = true;
	} else if (clear_offer) {
		memset(&rs->offer, 0, sizeof(rs->offer));
		rs->has_offer = false;
	}
	rcu_assign_pointer(r->self, rs);
	kfree_rcu(old, rcu);
	rup_send_trigger(r);
	return 0;
}

/*
 * The socket that bound the role and offer is gone: the agent died. Step
 * down as abnormal (not electable, HOOK_FAILED kept) and withdraw the offer,
 * so members re-elect instead of following a node that cannot serve.
 */
void rup_region_orphan(struct rup_region *r)
{
	const struct rup_region_self *rs;
	u32 role;

	lockdep_assert_held(&r->rn->lock);
	r->owner_portid = 0;
	WRITE_ONCE(r->lease_end, 0);
	rs = rcu_dereference_protected(r->self, lockdep_is_held(&r->rn->lock));
	role = rup_role_orphaned(rs->role);
	if (rup_region_set_self(r, &role, NULL, NULL, true))
		net_warn_ratelimited("rup: region %u: owner gone, role kept (no memory)\n",
				     r->id);
}

/*
 * A hung or stopped agent must not keep the region's RVS role
 * (docs/PROTOCOL.md, "Role lease"): renewing an expired lease brings the
 * role back at once, an expiry shows in the next periodic beacon.
 */
void rup_region_set_lease(struct rup_region *r, u32 ms)
{
	bool expired = rup_region_lease_expired(r);

	lockdep_assert_held(&r->rn->lock);
	WRITE_ONCE(r->lease_end, ms ? (jiffies + msecs_to_jiffies(ms)) | 1 : 0);
	if (expired)
		rup_send_trigger(r);
}

bool rup_region_lease_expired(const struct rup_region *r)
{
	unsigned long end = READ_ONCE(r->lease_end);

	return end && time_after(jiffies, end);
}

u32 rup_region_lease_left_ms(const struct rup_region *r)
{
	unsigned long end = READ_ONCE(r->lease_end);

	if (!end || time_after(jiffies, end))
		return 0;
	return jiffies_to_msecs(end - jiffies);
}
