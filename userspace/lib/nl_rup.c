// SPDX-License-Identifier: GPL-2.0
/*
 * Typed half of the rup genl client: builds requests from the structs in
 * nl.h and parses replies and events back into them, checking every
 * attribute's type and length before reading it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "nl.h"

/* Expected type and size of each attribute a reply or event may carry. */
struct attr_pol {
	enum mnl_attr_data_type type;
	size_t len; /* exact for BINARY, max incl. NUL for strings */
};

static const struct attr_pol rup_pol[RUP_A_MAX + 1] = {
	[RUP_A_REGION_ID] = { MNL_TYPE_U32 },
	[RUP_A_REGION_GROUP4] = { MNL_TYPE_U32 },
	[RUP_A_REGION_PORT] = { MNL_TYPE_U16 },
	[RUP_A_REGION_IFINDEX] = { MNL_TYPE_U32 },
	[RUP_A_REGION_HAS_NEXT_KEY] = { MNL_TYPE_FLAG },
	[RUP_A_REGION_INTERVAL_MS] = { MNL_TYPE_U32 },
	[RUP_A_REGION_DEAD_MS] = { MNL_TYPE_U32 },
	[RUP_A_REGION_WINDOW_MS] = { MNL_TYPE_U32 },
	[RUP_A_REGION_PEERS] = { MNL_TYPE_U32 },
	[RUP_A_NODE_ID] = { MNL_TYPE_BINARY, RUP_NODE_ID_LEN },
	[RUP_A_VERSION] = { MNL_TYPE_NUL_STRING, RUP_VERSION_LEN },
	[RUP_A_SCORE] = { MNL_TYPE_U32 },
	[RUP_A_ROLE] = { MNL_TYPE_U32 },
	[RUP_A_TERM] = { MNL_TYPE_U64 },
	[RUP_A_OFFER] = { MNL_TYPE_NESTED },
	[RUP_A_PEER_ADDR4] = { MNL_TYPE_U32 },
	[RUP_A_PEER_SEQ] = { MNL_TYPE_U64 },
	[RUP_A_PEER_LAST_SEEN_MS] = { MNL_TYPE_U32 },
	[RUP_A_PEER_RX] = { MNL_TYPE_U64 },
	[RUP_A_CHANGED] = { MNL_TYPE_U32 },
	[RUP_A_STATS] = { MNL_TYPE_NESTED },
	[RUP_A_LEASE_MS] = { MNL_TYPE_U32 },
};

static const struct attr_pol offer_pol[RUP_OFFER_A_MAX + 1] = {
	[RUP_OFFER_A_VERSION] = { MNL_TYPE_NUL_STRING, RUP_VERSION_LEN },
	[RUP_OFFER_A_SHA256] = { MNL_TYPE_BINARY, RUP_SHA256_LEN },
	[RUP_OFFER_A_SIZE] = { MNL_TYPE_U64 },
	[RUP_OFFER_A_PORT] = { MNL_TYPE_U16 },
	[RUP_OFFER_A_PATH] = { MNL_TYPE_NUL_STRING, RUP_PATH_LEN },
};

/*
 * Every counter is a u64, including ones added to the header later; PAD,
 * UNSPEC and counters newer than the header are skipped. (clang-format
 * would mangle the GNU range designator.)
 */
static const struct attr_pol stat_pol[RUP_STAT_MAX + 1] = {
	/* clang-format off */
	[RUP_STAT_TX ... RUP_STAT_MAX] = { MNL_TYPE_U64 },
	/* clang-format on */
};

/* Table being filled by tb_cb: unknown (newer) attributes are skipped. */
struct tb {
	const struct attr_pol *pol;
	unsigned int max;
	const struct nlattr **attrs;
};

static bool attr_ok(const struct nlattr *a, const struct attr_pol *p)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (p->type == MNL_TYPE_BINARY)
		return len == p->len;
	if (mnl_attr_validate(a, p->type) < 0)
		return false;
	return p->type != MNL_TYPE_NUL_STRING || len <= p->len;
}

static int tb_cb(const struct nlattr *a, void *data)
{
	struct tb *tb = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type > tb->max || !tb->pol[type].type)
		return MNL_CB_OK;
	if (!attr_ok(a, &tb->pol[type])) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	tb->attrs[type] = a;
	return MNL_CB_OK;
}

/*
 * Walk the attributes from @a to @end. Unlike mnl_attr_parse, an attribute
 * that runs past the end is an error, not silently the end of the list.
 */
static int walk(const struct nlattr *a, const char *end, struct tb *tb)
{
	for (; mnl_attr_ok(a, (int)(end - (const char *)a));
	     a = mnl_attr_next(a))
		if (tb_cb(a, tb) != MNL_CB_OK)
			return -EPROTO;
	return (const char *)a < end ? -EPROTO : 0;
}

static int walk_nested(const struct nlattr *nest, struct tb *tb)
{
	return walk(mnl_attr_get_payload(nest),
		    (const char *)mnl_attr_get_payload(nest) +
			    mnl_attr_get_payload_len(nest),
		    tb);
}

/* RUPNL_BIT() of each attribute 0..@max present in @a. */
static uint32_t present(const struct nlattr *const *a, unsigned int max)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i <= max; i++)
		if (a[i])
			mask |= RUPNL_BIT(i);
	return mask;
}

/* -EPROTO also when an attribute of @need (RUPNL_BIT()s) is missing. */
static int parse_genl(const struct nlmsghdr *nlh, const struct nlattr **attrs,
		      uint32_t need)
{
	struct tb tb = { rup_pol, RUP_A_MAX, attrs };

	memset(attrs, 0, sizeof(*attrs) * (RUP_A_MAX + 1));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EPROTO;
	if (walk(mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr)),
		 (const char *)nlh + nlh->nlmsg_len, &tb))
		return -EPROTO;
	return (present(attrs, RUP_A_MAX) & need) == need ? 0 : -EPROTO;
}

/* Optional attributes: @out is left as it is when @a is absent. */
static void get_u32(const struct nlattr *a, uint32_t *out)
{
	if (a)
		*out = mnl_attr_get_u32(a);
}

static void get_u64(const struct nlattr *a, uint64_t *out)
{
	if (a)
		*out = mnl_attr_get_u64(a);
}

static void get_str(const struct nlattr *a, char *out)
{
	if (a)
		strcpy(out, mnl_attr_get_str(a));
}

/* Attributes of a request, put when RUPNL_BIT(@attr) is in @mask. */
static void put_u32(struct nlmsghdr *nlh, uint32_t mask, uint16_t attr,
		    uint32_t v)
{
	if (mask & RUPNL_BIT(attr))
		mnl_attr_put_u32(nlh, attr, v);
}

static void put_u64(struct nlmsghdr *nlh, uint32_t mask, uint16_t attr,
		    uint64_t v)
{
	if (mask & RUPNL_BIT(attr))
		mnl_attr_put_u64(nlh, attr, v);
}

static void put_bytes(struct nlmsghdr *nlh, uint32_t mask, uint16_t attr,
		      size_t len, const void *data)
{
	if (mask & RUPNL_BIT(attr))
		mnl_attr_put(nlh, attr, len, data);
}

static int parse_offer(const struct nlattr *nest, struct rupnl_offer *o)
{
	const struct nlattr *a[RUP_OFFER_A_MAX + 1] = { NULL };
	struct tb tb = { offer_pol, RUP_OFFER_A_MAX, a };

	memset(o, 0, sizeof(*o));
	if (walk_nested(nest, &tb))
		return -EPROTO;
	get_str(a[RUP_OFFER_A_VERSION], o->version);
	if (a[RUP_OFFER_A_SHA256])
		memcpy(o->sha256, mnl_attr_get_payload(a[RUP_OFFER_A_SHA256]),
		       RUP_SHA256_LEN);
	get_u64(a[RUP_OFFER_A_SIZE], &o->size);
	if (a[RUP_OFFER_A_PORT])
		o->port = mnl_attr_get_u16(a[RUP_OFFER_A_PORT]);
	get_str(a[RUP_OFFER_A_PATH], o->path);
	o->mask |= present(a, RUP_OFFER_A_MAX);
	return 0;
}

static void put_offer(struct nlmsghdr *nlh, const struct rupnl_offer *o)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RUP_A_OFFER);

	if (o->mask & RUPNL_BIT(RUP_OFFER_A_VERSION))
		mnl_attr_put_strz(nlh, RUP_OFFER_A_VERSION, o->version);
	if (o->mask & RUPNL_BIT(RUP_OFFER_A_SHA256))
		mnl_attr_put(nlh, RUP_OFFER_A_SHA256, RUP_SHA256_LEN,
			     o->sha256);
	if (o->mask & RUPNL_BIT(RUP_OFFER_A_SIZE))
		mnl_attr_put_u64(nlh, RUP_OFFER_A_SIZE, o->size);
	if (o->mask & RUPNL_BIT(RUP_OFFER_A_PORT))
		mnl_attr_put_u16(nlh, RUP_OFFER_A_PORT, o->port);
	if (o->mask & RUPNL_BIT(RUP_OFFER_A_PATH))
		mnl_attr_put_strz(nlh, RUP_OFFER_A_PATH, o->path);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * A reply or dump of REGION_GET, PEER_GET or STATS_GET, parsed message by
 * message into the caller's typed callback.
 */
struct walk {
	uint8_t cmd; /* picks the member of cb */
	union {
		rupnl_region_cb region;
		rupnl_peer_cb peer;
		rupnl_stats_cb stats;
	} cb;
	void *arg;
};

static int walk_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct walk *w = arg;
	union {
		struct rupnl_region region;
		struct rupnl_peer peer;
		struct rupnl_stats stats;
	} m;
	int err;

	switch (w->cmd) {
	case RUP_CMD_REGION_GET:
		err = rupnl_parse_region(nlh, &m.region);
		return err ? err : w->cb.region(&m.region, w->arg);
	case RUP_CMD_PEER_GET:
		err = rupnl_parse_peer(nlh, &m.peer);
		return err ? err : w->cb.peer(&m.peer, w->arg);
	case RUP_CMD_STATS_GET:
		err = rupnl_parse_stats(nlh, &m.stats);
		return err ? err : w->cb.stats(&m.stats, w->arg);
	}
	return -EPROTO;
}

/* Regions */

static void put_region(struct nlmsghdr *nlh, const struct rupnl_region *r)
{
	uint32_t m = r->mask;

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, r->id);
	put_bytes(nlh, m, RUP_A_REGION_GROUP4, sizeof(r->group.s_addr),
		  &r->group.s_addr);
	if (m & RUPNL_BIT(RUP_A_REGION_PORT))
		mnl_attr_put_u16(nlh, RUP_A_REGION_PORT, r->port);
	put_u32(nlh, m, RUP_A_REGION_IFINDEX, r->ifindex);
	put_bytes(nlh, m, RUP_A_REGION_KEY, r->key_len, r->key);
	put_bytes(nlh, m, RUP_A_REGION_NEXT_KEY, r->next_key_len, r->next_key);
	put_bytes(nlh, m, RUP_A_REGION_NEXT_KEY_CLEAR, 0, NULL);
	put_u32(nlh, m, RUP_A_REGION_INTERVAL_MS, r->interval_ms);
	put_u32(nlh, m, RUP_A_REGION_DEAD_MS, r->dead_ms);
	put_u32(nlh, m, RUP_A_REGION_WINDOW_MS, r->window_ms);
}

int rupnl_region_add(struct rupnl *nl, const struct rupnl_region *r)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_REGION_NEW, 0);

	put_region(nlh, r);
	return rupnl_talk(nl, nlh, NULL, NULL);
}

int rupnl_region_set(struct rupnl *nl, const struct rupnl_region *r)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_REGION_SET, 0);

	put_region(nlh, r);
	return rupnl_talk(nl, nlh, NULL, NULL);
}

int rupnl_region_del(struct rupnl *nl, uint32_t id)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_REGION_DEL, 0);

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, id);
	return rupnl_talk(nl, nlh, NULL, NULL);
}

int rupnl_parse_region(const struct nlmsghdr *nlh, struct rupnl_region *r)
{
	const struct nlattr *a[RUP_A_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (parse_genl(nlh, a, RUPNL_BIT(RUP_A_REGION_ID)))
		return -EPROTO;
	r->id = mnl_attr_get_u32(a[RUP_A_REGION_ID]);
	get_u32(a[RUP_A_REGION_GROUP4], &r->group.s_addr);
	if (a[RUP_A_REGION_PORT])
		r->port = mnl_attr_get_u16(a[RUP_A_REGION_PORT]);
	get_u32(a[RUP_A_REGION_IFINDEX], &r->ifindex);
	get_u32(a[RUP_A_REGION_INTERVAL_MS], &r->interval_ms);
	get_u32(a[RUP_A_REGION_DEAD_MS], &r->dead_ms);
	get_u32(a[RUP_A_REGION_WINDOW_MS], &r->window_ms);
	get_u32(a[RUP_A_REGION_PEERS], &r->peers);
	r->has_next_key = a[RUP_A_REGION_HAS_NEXT_KEY] != NULL;
	r->mask |= present(a, RUP_A_MAX);
	return 0;
}

static int copy_region_cb(const struct rupnl_region *r, void *arg)
{
	*(struct rupnl_region *)arg = *r;
	return 0;
}

int rupnl_region_get(struct rupnl *nl, uint32_t id, struct rupnl_region *out)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_REGION_GET, 0);
	struct walk w = { RUP_CMD_REGION_GET,
			  { .region = copy_region_cb },
			  out };

	memset(out, 0, sizeof(*out));
	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, id);
	return rupnl_talk(nl, nlh, walk_msg_cb, &w);
}

int rupnl_region_dump(struct rupnl *nl, rupnl_region_cb cb, void *arg)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_REGION_GET, NLM_F_DUMP);
	struct walk w = { RUP_CMD_REGION_GET, { .region = cb }, arg };

	return rupnl_talk(nl, nlh, walk_msg_cb, &w);
}

/* Self */

int rupnl_self_set(struct rupnl *nl, const struct rupnl_self *s)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_SELF_SET, 0);
	uint32_t m = s->mask;

	put_bytes(nlh, m, RUP_A_NODE_ID, RUP_NODE_ID_LEN, s->node_id);
	if (m & RUPNL_BIT(RUP_A_VERSION))
		mnl_attr_put_strz(nlh, RUP_A_VERSION, s->version);
	put_u32(nlh, m, RUP_A_SCORE, s->score);
	put_u32(nlh, m, RUP_A_REGION_ID, s->region);
	put_u32(nlh, m, RUP_A_ROLE, s->role);
	put_u64(nlh, m, RUP_A_TERM, s->term);
	if (m & RUPNL_BIT(RUP_A_OFFER))
		put_offer(nlh, &s->offer);
	put_bytes(nlh, m, RUP_A_BIND, 0, NULL);
	put_u32(nlh, m, RUP_A_LEASE_MS, s->lease_ms);
	return rupnl_talk(nl, nlh, NULL, NULL);
}

int rupnl_parse_self(const struct nlmsghdr *nlh, struct rupnl_self *s)
{
	const struct nlattr *a[RUP_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (parse_genl(nlh, a, 0))
		return -EPROTO;
	if (a[RUP_A_NODE_ID])
		memcpy(s->node_id, mnl_attr_get_payload(a[RUP_A_NODE_ID]),
		       RUP_NODE_ID_LEN);
	get_str(a[RUP_A_VERSION], s->version);
	get_u32(a[RUP_A_SCORE], &s->score);
	get_u32(a[RUP_A_REGION_ID], &s->region);
	get_u32(a[RUP_A_ROLE], &s->role);
	get_u64(a[RUP_A_TERM], &s->term);
	get_u32(a[RUP_A_LEASE_MS], &s->lease_ms);
	if (a[RUP_A_OFFER] && parse_offer(a[RUP_A_OFFER], &s->offer))
		return -EPROTO;
	s->mask |= present(a, RUP_A_MAX);
	return 0;
}

static int self_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	return rupnl_parse_self(nlh, arg);
}

int rupnl_self_get(struct rupnl *nl, uint32_t region, struct rupnl_self *out)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_SELF_GET, 0);

	memset(out, 0, sizeof(*out));
	if (region != RUPNL_NO_REGION)
		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	return rupnl_talk(nl, nlh, self_msg_cb, out);
}

/* Peers and events */

int rupnl_parse_peer(const struct nlmsghdr *nlh, struct rupnl_peer *p)
{
	const struct nlattr *a[RUP_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (parse_genl(nlh, a,
		       RUPNL_BIT(RUP_A_REGION_ID) | RUPNL_BIT(RUP_A_NODE_ID)))
		return -EPROTO;
	p->region = mnl_attr_get_u32(a[RUP_A_REGION_ID]);
	memcpy(p->node_id, mnl_attr_get_payload(a[RUP_A_NODE_ID]),
	       RUP_NODE_ID_LEN);
	get_u32(a[RUP_A_PEER_ADDR4], &p->addr.s_addr);
	get_str(a[RUP_A_VERSION], p->version);
	get_u32(a[RUP_A_SCORE], &p->score);
	get_u32(a[RUP_A_ROLE], &p->role);
	get_u64(a[RUP_A_TERM], &p->term);
	if (a[RUP_A_OFFER] && parse_offer(a[RUP_A_OFFER], &p->offer))
		return -EPROTO;
	get_u64(a[RUP_A_PEER_SEQ], &p->seq);
	get_u32(a[RUP_A_PEER_LAST_SEEN_MS], &p->last_seen_ms);
	get_u64(a[RUP_A_PEER_RX], &p->rx);
	get_u32(a[RUP_A_CHANGED], &p->changed);
	p->mask |= present(a, RUP_A_MAX);
	return 0;
}

int rupnl_peers_dump(struct rupnl *nl, uint32_t region, rupnl_peer_cb cb,
		     void *arg)
{
	struct nlmsghdr *nlh = rupnl_msg(nl, RUP_CMD_PEER_GET, NLM_F_DUMP);
	struct walk w = { RUP_CMD_PEER_GET, { .peer = cb }, arg };

	if (region != RUPNL_NO_REGION)
		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	return rupnl_talk(nl, nlh, walk_msg_cb, &w);
}

struct peer_grow {
	struct rupnl_peer *v;
	size_t n, cap;
};

static int peer_append(const struct rupnl_peer *p, void *arg)
{
	struct peer_grow *g = arg;

	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		struct rupnl_peer *v = reallocarray(g->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n++] = *p;
	return 0;
}

int rupnl_peers_get(struct rupnl *nl, uint32_t region, unsigned int tries,
		    struct rupnl_peer **out, size_t *n)
{
	struct peer_grow g = { 0 };
	int err = -EINTR;

	for (unsigned int i = 0; err == -EINTR && i < tries; i++) {
		g.n = 0;
		err = rupnl_peers_dump(nl, region, peer_append, &g);
	}
	if (err) {
		free(g.v);
		return err;
	}
	*out = g.v;
	*n = g.n;
	return 0;
}

/* Stats */

int rupnl_parse_stats(const struct nlmsghdr *nlh, struct rupnl_stats *s)
{
	const struct nlattr *a[RUP_A_MAX + 1], *c[RUP_STAT_MAX + 1] = { NULL };
	struct tb tb = { stat_pol, RUP_STAT_MAX, c };
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (parse_genl(nlh, a,
		       RUPNL_BIT(RUP_A_REGION_ID) | RUPNL_BIT(RUP_A_STATS)))
		return -EPROTO;
	s->region = mnl_attr_get_u32(a[RUP_A_REGION_ID]);
	/* Counters newer than this tool are skipped, not an error. */
	if (walk_nested(a[RUP_A_STATS], &tb))
		return -EPROTO;
	for (i = 0; i <= RUP_STAT_MAX; i++) {
		if (!c[i])
			continue;
		s->count[i] = mnl_attr_get_u64(c[i]);
		s->mask |= RUPNL_BIT(i);
	}
	return 0;
}

int rupnl_stats_dump(struct rupnl *nl, uint32_t region, rupnl_stats_cb cb,
		     void *arg)
{
	struct walk w = { RUP_CMD_STATS_GET, { .stats = cb }, arg };
	struct nlmsghdr *nlh;

	if (region == RUPNL_NO_REGION) {
		nlh = rupnl_msg(nl, RUP_CMD_STATS_GET, NLM_F_DUMP);
	} else {
		nlh = rupnl_msg(nl, RUP_CMD_STATS_GET, 0);
		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	}
	return rupnl_talk(nl, nlh, walk_msg_cb, &w);
}

static int delfamily_attr_cb(const struct nlattr *a, void *data)
{
	uint16_t *id = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
		*id = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* True when an nlctrl notification says the rup family was removed. */
static bool family_removed(const struct rupnl *nl, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint16_t id = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) ||
	    g->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_parse(nlh, sizeof(*g), delfamily_attr_cb, &id);
	return id == nl->family;
}

int rupnl_monitor_next(struct rupnl *nl, rupnl_event_cb cb, void *arg)
{
	const struct nlmsghdr *nlh;
	struct rupnl_event ev;
	ssize_t n;
	int len, err;

	n = mnl_socket_recvfrom(nl->sock, nl->rx, RUPNL_BUFSZ);
	if (n < 0)
		return -errno;
	len = (int)n;
	for (nlh = (const struct nlmsghdr *)nl->rx; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type == GENL_ID_CTRL) {
			if (family_removed(nl, nlh))
				return -ESHUTDOWN;
			continue;
		}
		if (nlh->nlmsg_type != nl->family ||
		    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
			continue;
		if (g->cmd < RUP_CMD_PEER_NEW || g->cmd > RUP_CMD_REGION_GONE)
			continue;
		ev.cmd = g->cmd;
		err = rupnl_parse_peer(nlh, &ev.peer);
		if (err)
			return err;
		err = cb(&ev, arg);
		if (err)
			return err;
	}
	return 0;
}
