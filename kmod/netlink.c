// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "rup": configuration commands and dumps. The
 * contract is documented in include/uapi/linux/rup.h. Every op has its own
 * strict policy; values the policy cannot express are checked here, each
 * refusal with an extack message.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "events.h"
#include "netlink.h"
#include "peer.h"
#include "region.h"
#include "send.h"

/* Report a missing attribute; true when present. */
#define rup_require(info, attr, msg) ({					\
	struct genl_info *__info = (info);				\
	int __attr = (attr);						\
	bool __ok = !!__info->attrs[__attr];				\
	if (!__ok) {							\
		NL_SET_ERR_MSG_MOD(__info->extack, msg);		\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __attr);	\
	}								\
	__ok;								\
})

static const struct nla_policy rup_offer_policy[RUP_OFFER_A_MAX + 1] = {
	[RUP_OFFER_A_VERSION]	= { .type = NLA_STRING, .len = RUP_VERSION_LEN - 1 },
	[RUP_OFFER_A_SHA256]	= NLA_POLICY_EXACT_LEN(RUP_SHA256_LEN),
	[RUP_OFFER_A_SIZE]	= { .type = NLA_U64 },
	[RUP_OFFER_A_PORT]	= { .type = NLA_U16 },
	[RUP_OFFER_A_PATH]	= { .type = NLA_STRING, .len = RUP_PATH_LEN - 1 },
};

static const struct nla_policy rup_region_id_policy[RUP_A_MAX + 1] = {
	[RUP_A_REGION_ID]	= { .type = NLA_U32 },
};

/* Keys are checked for their exact length in code, with a clear message. */
static const struct nla_policy rup_region_policy[RUP_A_MAX + 1] = {
	[RUP_A_REGION_ID]	= { .type = NLA_U32 },
	[RUP_A_REGION_GROUP4]	= { .type = NLA_BE32 },
	[RUP_A_REGION_PORT]	= { .type = NLA_U16 },
	[RUP_A_REGION_IFINDEX]	= { .type = NLA_U32 },
	[RUP_A_REGION_KEY]	= { .type = NLA_BINARY },
	[RUP_A_REGION_NEXT_KEY]	= { .type = NLA_BINARY },
	[RUP_A_REGION_INTERVAL_MS] = { .type = NLA_U32 },
	[RUP_A_REGION_DEAD_MS]	= { .type = NLA_U32 },
	[RUP_A_REGION_WINDOW_MS] = { .type = NLA_U32 },
};

static const struct nla_policy rup_region_set_policy[RUP_A_MAX + 1] = {
	[RUP_A_REGION_ID]	= { .type = NLA_U32 },
	[RUP_A_REGION_KEY]	= { .type = NLA_BINARY },
	[RUP_A_REGION_NEXT_KEY]	= { .type = NLA_BINARY },
	[RUP_A_REGION_NEXT_KEY_CLEAR] = { .type = NLA_FLAG },
	[RUP_A_REGION_INTERVAL_MS] = { .type = NLA_U32 },
	[RUP_A_REGION_DEAD_MS]	= { .type = NLA_U32 },
	[RUP_A_REGION_WINDOW_MS] = { .type = NLA_U32 },
};

static const struct nla_policy rup_self_policy[RUP_A_MAX + 1] = {
	[RUP_A_REGION_ID]	= { .type = NLA_U32 },
	[RUP_A_NODE_ID]		= { .type = NLA_BINARY },
	[RUP_A_VERSION]		= { .type = NLA_STRING, .len = RUP_VERSION_LEN - 1 },
	[RUP_A_SCORE]		= { .type = NLA_U32 },
	[RUP_A_ROLE]		= { .type = NLA_U32 },
	[RUP_A_TERM]		= { .type = NLA_U64 },
	[RUP_A_OFFER]		= NLA_POLICY_NESTED(rup_offer_policy),
	[RUP_A_BIND]		= { .type = NLA_FLAG },
	[RUP_A_LEASE_MS]	= { .type = NLA_U32 },
};

static struct rup_net *rup_info_net(struct genl_info *info)
{
	return rup_net(genl_info_net(info));
}

static bool rup_key_ok(struct genl_info *info, int attr)
{
	struct nlattr *a = info->attrs[attr];

	if (!a || nla_len(a) == RUP_KEY_LEN)
		return true;
	NL_SET_ERR_MSG_ATTR(info->extack, a, "key must be 32 bytes");
	return false;
}

static const u8 *rup_key(struct genl_info *info, int attr)
{
	return info->attrs[attr] ? nla_data(info->attrs[attr]) : NULL;
}

/*
 * Once the HMAC transforms hold the keys (or the request failed), no copy
 * stays in the request message. The transforms wipe theirs when freed.
 */
static void rup_keys_wipe(struct genl_info *info)
{
	static const int attrs[] = { RUP_A_REGION_KEY, RUP_A_REGION_NEXT_KEY };
	struct nlattr *a;
	int i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		a = info->attrs[attrs[i]];
		if (a)
			memzero_explicit(nla_data(a), nla_len(a));
	}
}

/* Interval, dead interval and window, defaults from @cur; 0: valid. */
static int rup_timing(struct genl_info *info, struct rup_region_cfg *cfg,
		      bool dead_given)
{
	struct nlattr **a = info->attrs;

	if (a[RUP_A_REGION_INTERVAL_MS])
		cfg->interval_ms = nla_get_u32(a[RUP_A_REGION_INTERVAL_MS]);
	if (cfg->interval_ms < RUP_INTERVAL_MIN_MS) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_REGION_INTERVAL_MS],
				    "interval must be at least "
				    __stringify(RUP_INTERVAL_MIN_MS) " ms");
		return -EINVAL;
	}
	if (a[RUP_A_REGION_DEAD_MS])
		cfg->dead_ms = nla_get_u32(a[RUP_A_REGION_DEAD_MS]);
	else if (!dead_given &&
		 cfg->interval_ms <= RUP_DEAD_DEFAULT_INTERVAL_MAX_MS)
		cfg->dead_ms = RUP_DEAD_DEFAULT_MS(cfg->interval_ms);
	if (!RUP_DEAD_MS_OK(cfg->interval_ms, cfg->dead_ms)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "dead interval must be longer than the interval");
		return -EINVAL;
	}
	if (a[RUP_A_REGION_WINDOW_MS])
		cfg->window_ms = nla_get_u32(a[RUP_A_REGION_WINDOW_MS]);
	return 0;
}

static int rup_region_new_request(struct genl_info *info)
{
	struct rup_net *rn = rup_info_net(info);
	struct nlattr **a = info->attrs;
	struct rup_region_cfg cfg = {
		.interval_ms = RUP_INTERVAL_DEFAULT_MS,
		.window_ms = RUP_WINDOW_DEFAULT_MS,
	};
	int err;

	if (!rup_require(info, RUP_A_REGION_ID, "missing region id") ||
	    !rup_require(info, RUP_A_REGION_GROUP4, "missing multicast group") ||
	    !rup_require(info, RUP_A_REGION_PORT, "missing port") ||
	    !rup_require(info, RUP_A_REGION_KEY, "missing region key"))
		return -EINVAL;
	if (!rup_key_ok(info, RUP_A_REGION_KEY) ||
	    !rup_key_ok(info, RUP_A_REGION_NEXT_KEY))
		return -EINVAL;
	cfg.id = nla_get_u32(a[RUP_A_REGION_ID]);
	cfg.group = nla_get_in_addr(a[RUP_A_REGION_GROUP4]);
	if (!ipv4_is_multicast(cfg.group)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_REGION_GROUP4],
				    "group must be an IPv4 multicast address");
		return -EINVAL;
	}
	cfg.port = nla_get_u16(a[RUP_A_REGION_PORT]);
	if (!cfg.port) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_REGION_PORT],
				    "port must not be 0");
		return -EINVAL;
	}
	if (a[RUP_A_REGION_IFINDEX]) {
		struct net_device *dev;

		cfg.ifindex = nla_get_u32(a[RUP_A_REGION_IFINDEX]);
		rcu_read_lock();
		dev = dev_get_by_index_rcu(genl_info_net(info), cfg.ifindex);
		rcu_read_unlock();
		if (cfg.ifindex && !dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_REGION_IFINDEX],
					    "no such interface in this namespace");
			return -ENODEV;
		}
	}
	err = rup_timing(info, &cfg, false);
	if (err)
		return err;

	mutex_lock(&rn->lock);
	err = rup_region_new(rn, &cfg, rup_key(info, RUP_A_REGION_KEY),
			     rup_key(info, RUP_A_REGION_NEXT_KEY), info->extack);
	mutex_unlock(&rn->lock);
	return err;
}

/* Under rn->lock: the region named by the request, or NULL with extack. */
static struct rup_region *rup_info_region(struct rup_net *rn,
					  struct genl_info *info)
{
	struct rup_region *r;

	r = rup_region_find(rn, nla_get_u32(info->attrs[RUP_A_REGION_ID]));
	if (!r)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RUP_A_REGION_ID],
				    "no such region");
	return r;
}

static int rup_region_set_request(struct genl_info *info)
{
	struct rup_net *rn = rup_info_net(info);
	struct nlattr **a = info->attrs;
	struct rup_region_cfg cfg;
	struct rup_region *r;
	int err = -ENOENT;

	if (!rup_require(info, RUP_A_REGION_ID, "missing region id"))
		return -EINVAL;
	if (!rup_key_ok(info, RUP_A_REGION_KEY) ||
	    !rup_key_ok(info, RUP_A_REGION_NEXT_KEY))
		return -EINVAL;
	if (a[RUP_A_REGION_NEXT_KEY] && a[RUP_A_REGION_NEXT_KEY_CLEAR]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "set the next key or clear it, not both");
		return -EINVAL;
	}

	mutex_lock(&rn->lock);
	r = rup_info_region(rn, info);
	if (!r)
		goto out;
	cfg.interval_ms = r->interval_ms;
	cfg.dead_ms = r->dead_ms;
	cfg.window_ms = r->window_ms;
	err = rup_timing(info, &cfg, true);
	if (err)
		goto out;
	if (a[RUP_A_REGION_KEY] || a[RUP_A_REGION_NEXT_KEY] ||
	    a[RUP_A_REGION_NEXT_KEY_CLEAR]) {
		err = rup_region_set_keys(r, rup_key(info, RUP_A_REGION_KEY),
					  rup_key(info, RUP_A_REGION_NEXT_KEY),
					  !!a[RUP_A_REGION_NEXT_KEY_CLEAR]);
		if (err) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "cannot set up hmac(sha256) with the key");
			goto out;
		}
	}
	WRITE_ONCE(r->window_ms, cfg.window_ms);
	if (cfg.dead_ms != r->dead_ms) {
		WRITE_ONCE(r->dead_ms, cfg.dead_ms);
		mod_delayed_work(rup_wq, &r->expire_work, 0);
	}
	if (cfg.interval_ms != r->interval_ms) {
		WRITE_ONCE(r->interval_ms, cfg.interval_ms);
		rup_send_trigger(r);
	}
out:
	mutex_unlock(&rn->lock);
	return err;
}

static int rup_region_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = rup_region_new_request(info);

	rup_keys_wipe(info);
	return err;
}

static int rup_region_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = rup_region_set_request(info);

	rup_keys_wipe(info);
	return err;
}

static int rup_region_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rup_net *rn = rup_info_net(info);
	struct rup_region *r;
	int err = -ENOENT;

	if (!rup_require(info, RUP_A_REGION_ID, "missing region id"))
		return -EINVAL;
	mutex_lock(&rn->lock);
	r = rup_info_region(rn, info);
	if (r) {
		rup_region_del(r);
		err = 0;
	}
	mutex_unlock(&rn->lock);
	return err;
}

static int rup_fill_region(struct sk_buff *skb, struct rup_region *r)
{
	bool next;

	rcu_read_lock();
	next = !!rcu_dereference(r->keys)->next;
	rcu_read_unlock();
	if (nla_put_u32(skb, RUP_A_REGION_ID, r->id) ||
	    nla_put_in_addr(skb, RUP_A_REGION_GROUP4, r->group) ||
	    nla_put_u16(skb, RUP_A_REGION_PORT, r->port) ||
	    nla_put_u32(skb, RUP_A_REGION_IFINDEX, r->ifindex) ||
	    nla_put_u32(skb, RUP_A_REGION_INTERVAL_MS, r->interval_ms) ||
	    nla_put_u32(skb, RUP_A_REGION_DEAD_MS, r->dead_ms) ||
	    nla_put_u32(skb, RUP_A_REGION_WINDOW_MS, r->window_ms) ||
	    nla_put_u32(skb, RUP_A_REGION_PEERS, READ_ONCE(r->npeers)) ||
	    (next && nla_put_flag(skb, RUP_A_REGION_HAS_NEXT_KEY)))
		return -EMSGSIZE;
	return 0;
}

static int rup_fill_stats(struct sk_buff *skb, struct rup_region *r)
{
	struct nlattr *nest;
	int i;

	if (nla_put_u32(skb, RUP_A_REGION_ID, r->id))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RUP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = RUP_STAT_TX; i <= RUP_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, atomic64_read(&r->stats[i]),
				      RUP_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

typedef int (*rup_region_fill_t)(struct sk_buff *skb, struct rup_region *r);

/* A one-region reply to a doit (REGION_GET, STATS_GET). */
static int rup_region_reply(struct genl_info *info, rup_region_fill_t fill)
{
	struct rup_net *rn = rup_info_net(info);
	struct rup_region *r;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!rup_require(info, RUP_A_REGION_ID, "missing region id (or use a dump)"))
		return -EINVAL;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rup_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err;
	}
	mutex_lock(&rn->lock);
	r = rup_info_region(rn, info);
	err = r ? fill(msg, r) : -ENOENT;
	mutex_unlock(&rn->lock);
	if (err)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return err;
}

/* A dump of every region (REGION_GET, STATS_GET); cursor in cb->args[0]. */
static int rup_region_dump(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd, rup_region_fill_t fill)
{
	struct rup_net *rn = rup_net(sock_net(skb->sk));
	struct rup_region *r;
	long idx = 0;
	void *hdr;

	mutex_lock(&rn->lock);
	cb->seq = atomic_read(&rn->gen);
	list_for_each_entry(r, &rn->regions, list) {
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &rup_genl_family,
				  NLM_F_MULTI, cmd);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fill(skb, r)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = ++idx;
	}
	mutex_unlock(&rn->lock);
	return skb->len;
}

static int rup_region_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return rup_region_reply(info, rup_fill_region);
}

static int rup_region_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return rup_region_dump(skb, cb, RUP_CMD_REGION_GET, rup_fill_region);
}

static int rup_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return rup_region_reply(info, rup_fill_stats);
}

static int rup_stats_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	return rup_region_dump(skb, cb, RUP_CMD_STATS_GET, rup_fill_stats);
}

/* Parse and check an offer nest; an empty nest means "withdraw". */
static int rup_parse_offer(struct genl_info *info, struct rup_offer *o,
			   bool *empty)
{
	struct nlattr *nest = info->attrs[RUP_A_OFFER];
	struct nlattr *tb[RUP_OFFER_A_MAX + 1];
	int err;

	*empty = !nla_len(nest);
	if (*empty)
		return 0;
	err = nla_parse_nested(tb, RUP_OFFER_A_MAX, nest, rup_offer_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[RUP_OFFER_A_VERSION] || !tb[RUP_OFFER_A_SHA256] ||
	    !tb[RUP_OFFER_A_SIZE] || !tb[RUP_OFFER_A_PORT] ||
	    !tb[RUP_OFFER_A_PATH]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "offer needs version, sha256, size, port and path");
		return -EINVAL;
	}
	memset(o, 0, sizeof(*o));
	nla_strscpy(o->version, tb[RUP_OFFER_A_VERSION], sizeof(o->version));
	if (rup_beacon_str_len(o->version, sizeof(o->version)) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RUP_OFFER_A_VERSION],
				    "offer version must be visible ASCII, 1-63 characters");
		return -EINVAL;
	}
	nla_memcpy(o->sha256, tb[RUP_OFFER_A_SHA256], sizeof(o->sha256));
	o->size = nla_get_u64(tb[RUP_OFFER_A_SIZE]);
	o->port = nla_get_u16(tb[RUP_OFFER_A_PORT]);
	if (!o->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RUP_OFFER_A_PORT],
				    "offer port must not be 0");
		return -EINVAL;
	}
	nla_strscpy(o->path, tb[RUP_OFFER_A_PATH], sizeof(o->path));
	if (o->path[0] != '/' ||
	    rup_beacon_str_len(o->path, sizeof(o->path)) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RUP_OFFER_A_PATH],
				    "offer path must start with '/' and be visible ASCII");
		return -EINVAL;
	}
	return 0;
}

/* Namespace-wide part of SELF_SET; every region beacons the change. */
static int rup_self_apply(struct rup_net *rn, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct rup_self *old, *self;
	struct rup_region *r;

	if (!a[RUP_A_NODE_ID] && !a[RUP_A_VERSION] && !a[RUP_A_SCORE])
		return 0;
	old = rcu_dereference_protected(rn->self, lockdep_is_held(&rn->lock));
	self = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!self)
		return -ENOMEM;
	if (a[RUP_A_NODE_ID])
		nla_memcpy(self->node_id, a[RUP_A_NODE_ID], RUP_NODE_ID_LEN);
	if (a[RUP_A_VERSION])
		nla_strscpy(self->version, a[RUP_A_VERSION],
			    sizeof(self->version));
	if (a[RUP_A_SCORE])
		self->score = nla_get_u32(a[RUP_A_SCORE]);
	rcu_assign_pointer(rn->self, self);
	kfree_rcu(old, rcu);
	list_for_each_entry(r, &rn->regions, list)
		rup_send_trigger(r);
	return 0;
}

/* A lease shorter than the interval expires between two renewals. */
static int rup_lease_check(const struct rup_region *r, struct genl_info *info)
{
	struct nlattr *a = info->attrs[RUP_A_LEASE_MS];
	u32 ms = a ? nla_get_u32(a) : 0;

	if (ms && ms < READ_ONCE(r->interval_ms)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "lease shorter than the region's beacon interval");
		return -EINVAL;
	}
	if (ms > RUP_LEASE_MAX_MS) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "lease longer than RUP_LEASE_MAX_MS (1 h)");
		return -ERANGE;
	}
	return 0;
}

static int rup_self_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rup_net *rn = rup_info_net(info);
	struct nlattr **a = info->attrs;
	struct rup_region *r = NULL;
	struct rup_offer *offer = NULL;
	bool clear_offer = false;
	u32 role;
	u64 term;
	int err;

	if (a[RUP_A_NODE_ID] && nla_len(a[RUP_A_NODE_ID]) != RUP_NODE_ID_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_NODE_ID],
				    "node id must be 16 bytes");
		return -EINVAL;
	}
	if (a[RUP_A_VERSION]) {
		char v[RUP_VERSION_LEN];

		nla_strscpy(v, a[RUP_A_VERSION], sizeof(v));
		if (rup_beacon_str_len(v, sizeof(v)) < 0) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_VERSION],
					    "version must be visible ASCII, 1-63 characters");
			return -EINVAL;
		}
	}
	if ((a[RUP_A_ROLE] || a[RUP_A_TERM] || a[RUP_A_OFFER] ||
	     a[RUP_A_BIND] || a[RUP_A_LEASE_MS]) && !a[RUP_A_REGION_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "role, term, offer, bind and lease are per region: region id missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, RUP_A_REGION_ID);
		return -EINVAL;
	}
	if (a[RUP_A_ROLE]) {
		role = nla_get_u32(a[RUP_A_ROLE]);
		if (role & ~__RUP_ROLE_ALL) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[RUP_A_ROLE],
					    "unknown role flags");
			return -EINVAL;
		}
	}
	if (a[RUP_A_TERM])
		term = nla_get_u64(a[RUP_A_TERM]);
	if (a[RUP_A_OFFER]) {
		offer = kzalloc(sizeof(*offer), GFP_KERNEL_ACCOUNT);
		if (!offer)
			return -ENOMEM;
		err = rup_parse_offer(info, offer, &clear_offer);
		if (err)
			goto out_free;
		if (clear_offer) {
			kfree(offer);
			offer = NULL;
		}
	}

	mutex_lock(&rn->lock);
	/* Find the region first, so a bad id changes nothing at all. */
	if (a[RUP_A_REGION_ID]) {
		r = rup_info_region(rn, info);
		if (!r) {
			err = -ENOENT;
			goto out;
		}
		err = rup_lease_check(r, info);
		if (err)
			goto out;
	}
	err = rup_self_apply(rn, info);
	if (!err && r && (a[RUP_A_ROLE] || a[RUP_A_TERM] || a[RUP_A_OFFER]))
		err = rup_region_set_self(r, a[RUP_A_ROLE] ? &role : NULL,
					  a[RUP_A_TERM] ? &term : NULL,
					  offer, clear_offer);
	if (!err && r &&
	    (a[RUP_A_ROLE] || a[RUP_A_TERM] || a[RUP_A_OFFER] || a[RUP_A_BIND]))
		r->owner_portid = a[RUP_A_BIND] ? info->snd_portid : 0;
	if (!err && r && a[RUP_A_LEASE_MS])
		rup_region_set_lease(r, nla_get_u32(a[RUP_A_LEASE_MS]));
out:
	mutex_unlock(&rn->lock);
out_free:
	kfree(offer);
	return err;
}

static int rup_self_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rup_net *rn = rup_info_net(info);
	const struct rup_region_self *rs;
	const struct rup_self *self;
	struct rup_region *r = NULL;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rup_genl_family, 0,
				RUP_CMD_SELF_GET);
	if (!hdr)
		goto err;
	mutex_lock(&rn->lock);
	if (info->attrs[RUP_A_REGION_ID]) {
		r = rup_info_region(rn, info);
		if (!r) {
			err = -ENOENT;
			goto err_unlock;
		}
	}
	self = rcu_dereference_protected(rn->self, lockdep_is_held(&rn->lock));
	if (nla_put(msg, RUP_A_NODE_ID, RUP_NODE_ID_LEN, self->node_id) ||
	    nla_put_string(msg, RUP_A_VERSION, self->version) ||
	    nla_put_u32(msg, RUP_A_SCORE, self->score))
		goto err_unlock;
	if (r) {
		rs = rcu_dereference_protected(r->self,
					       lockdep_is_held(&rn->lock));
		if (nla_put_u32(msg, RUP_A_REGION_ID, r->id) ||
		    nla_put_u32(msg, RUP_A_ROLE, rs->role) ||
		    nla_put_u64_64bit(msg, RUP_A_TERM, rs->term, RUP_A_PAD) ||
		    (rs->has_offer && rup_fill_offer(msg, &rs->offer)) ||
		    (READ_ONCE(r->lease_end) &&
		     nla_put_u32(msg, RUP_A_LEASE_MS,
				 rup_region_lease_left_ms(r))))
			goto err_unlock;
	}
	mutex_unlock(&rn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err_unlock:
	mutex_unlock(&rn->lock);
err:
	nlmsg_free(msg);
	return err;
}

/*
 * One message per peer. Cursor: cb->args[0] regions done, cb->args[1] peers
 * of the current region done. A table change between two parts of the dump
 * sets NLM_F_DUMP_INTR.
 */
static int rup_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *id = rup_dump_attrs(cb)[RUP_A_REGION_ID];
	struct rup_net *rn = rup_net(sock_net(skb->sk));
	struct rup_peer_state st;
	struct rup_region *r;
	struct rup_peer *p;
	long ridx = 0, pidx;
	bool found = false;
	void *hdr;
	int i;

	mutex_lock(&rn->lock);
	cb->seq = atomic_read(&rn->gen);
	list_for_each_entry(r, &rn->regions, list) {
		if (id && r->id != nla_get_u32(id))
			continue;
		found = true;
		if (ridx < cb->args[0]) {
			ridx++;
			continue;
		}
		pidx = 0;
		rcu_read_lock();
		for (i = 0; i < ARRAY_SIZE(r->peers); i++) {
			hlist_for_each_entry_rcu(p, &r->peers[i], node) {
				if (pidx++ < cb->args[1])
					continue;
				rup_peer_snapshot(p, &st);
				hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  &rup_genl_family, NLM_F_MULTI,
						  RUP_CMD_PEER_GET);
				if (!hdr)
					goto full;
				genl_dump_check_consistent(cb, hdr);
				if (rup_fill_peer(skb, r, &st, true)) {
					genlmsg_cancel(skb, hdr);
					goto full;
				}
				genlmsg_end(skb, hdr);
				cb->args[1] = pidx;
			}
		}
		rcu_read_unlock();
		cb->args[0] = ++ridx;
		cb->args[1] = 0;
	}
	mutex_unlock(&rn->lock);
	if (id && !found) {
		NL_SET_ERR_MSG_MOD(cb->extack, "no such region");
		return -ENOENT;
	}
	return skb->len;
full:
	rcu_read_unlock();
	mutex_unlock(&rn->lock);
	return skb->len;
}

static const struct genl_ops rup_genl_ops[] = {
	{
		.cmd = RUP_CMD_REGION_NEW,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = rup_region_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_region_new_doit,
	}, {
		.cmd = RUP_CMD_REGION_DEL,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = rup_region_id_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_region_del_doit,
	}, {
		.cmd = RUP_CMD_REGION_GET,
		.policy = rup_region_id_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_region_get_doit,
		.dumpit = rup_region_get_dumpit,
	}, {
		.cmd = RUP_CMD_REGION_SET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = rup_region_set_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_region_set_doit,
	}, {
		.cmd = RUP_CMD_SELF_SET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = rup_self_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_self_set_doit,
	}, {
		.cmd = RUP_CMD_SELF_GET,
		.policy = rup_region_id_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_self_get_doit,
	}, {
		.cmd = RUP_CMD_PEER_GET,
		.policy = rup_region_id_policy,
		.maxattr = RUP_A_MAX,
		.dumpit = rup_peer_get_dumpit,
	}, {
		.cmd = RUP_CMD_STATS_GET,
		.policy = rup_region_id_policy,
		.maxattr = RUP_A_MAX,
		.doit = rup_stats_get_doit,
		.dumpit = rup_stats_get_dumpit,
	},
};

static const struct genl_multicast_group rup_genl_mcgrps[] = {
	{ .name = RUP_MCGRP_EVENTS },
};

struct genl_family rup_genl_family __ro_after_init = {
	.name = RUP_GENL_NAME,
	.version = RUP_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = rup_genl_ops,
	.n_ops = ARRAY_SIZE(rup_genl_ops),
	.resv_start_op = RUP_CMD_REGION_NEW,	/* strict from the first op */
	.mcgrps = rup_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rup_genl_mcgrps),
};

/* A generic netlink socket closed: drop what it bound (SELF_SET ... BIND). */
static int rup_netlink_notify(struct notifier_block *nb, unsigned long state,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct rup_region *r;
	struct rup_net *rn;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	/* The socket held its namespace, so our state there is still up. */
	rn = rup_net(n->net);
	mutex_lock(&rn->lock);
	list_for_each_entry(r, &rn->regions, list)
		if (r->owner_portid == n->portid)
			rup_region_orphan(r);
	mutex_unlock(&rn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block rup_netlink_nb = {
	.notifier_call = rup_netlink_notify,
};

int rup_genl_init(void)
{
	int err = netlink_register_notifier(&rup_netlink_nb);

	if (err)
		return err;
	err = genl_register_family(&rup_genl_family);
	if (err)
		netlink_unregister_notifier(&rup_netlink_nb);
	return err;
}

void rup_genl_exit(void)
{
	genl_unregister_family(&rup_genl_family);
	netlink_unregister_notifier(&rup_netlink_nb);
}
