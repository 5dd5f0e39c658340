// SPDX-License-Identifier: GPL-2.0
/* The agent's typed genl requests and event parsing for rup.ko. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "knl.h"

int knl_open(struct knl *k)
{
	int err;

	memset(k, 0, sizeof(*k));
	err = rup_nl_open(&k->req);
	if (err)
		return err;
	err = rup_nl_open(&k->ev);
	if (!err)
		err = rup_nl_join_events(&k->ev);
	if (err) {
		rup_nl_close(&k->req);
		rup_nl_close(&k->ev);
		return err;
	}
	fcntl(rup_nl_fd(&k->ev), F_SETFL,
	      fcntl(rup_nl_fd(&k->ev), F_GETFL) | O_NONBLOCK);
	k->open = true;
	return 0;
}

void knl_close(struct knl *k)
{
	if (!k->open)
		return;
	rup_nl_close(&k->req);
	rup_nl_close(&k->ev);
	k->open = false;
}

int knl_event_fd(const struct knl *k)
{
	return rup_nl_fd(&k->ev);
}

const char *knl_errstr(const struct knl *k, int err)
{
	return rup_nl_errstr(&k->req, err);
}

struct ev_ctx {
	struct knl *k;
	uint32_t region;
	int found;
};

static uint32_t attr_u32(const struct nlmsghdr *nlh, int type, uint32_t def)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) if (
		mnl_attr_get_type(a) == type &&
		mnl_attr_validate(a, MNL_TYPE_U32) ==
			0) return mnl_attr_get_u32(a);
	return def;
}

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ev_ctx *x = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		if (g->cmd != CTRL_CMD_DELFAMILY)
			return MNL_CB_OK;
		mnl_attr_for_each(
			a, nlh,
			sizeof(*g)) if (mnl_attr_get_type(a) ==
						CTRL_ATTR_FAMILY_NAME &&
					mnl_attr_validate(
						a, MNL_TYPE_NUL_STRING) == 0 &&
					!strcmp(mnl_attr_get_str(a),
						RUP_GENL_NAME))
			x->found |= KNL_EV_GONE;
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_type != x->k->ev.family)
		return MNL_CB_OK;
	if (attr_u32(nlh, RUP_A_REGION_ID, x->region) != x->region)
		return MNL_CB_OK;
	switch (g->cmd) {
	case RUP_CMD_PEER_NEW:
	case RUP_CMD_PEER_CHANGED:
	case RUP_CMD_PEER_GONE:
		x->found |= KNL_EV_TABLE;
		break;
	case RUP_CMD_RVS_LOST:
		x->found |= KNL_EV_RVS_LOST | KNL_EV_TABLE;
		break;
	}
	return MNL_CB_OK;
}

int knl_read_events(struct knl *k, uint32_t region)
{
	struct ev_ctx x = { .k = k, .region = region };
	ssize_t n;

	for (;;) {
		n = mnl_socket_recvfrom(k->ev.sock, k->ev.rx, RUP_NL_BUFSZ);
		if (n < 0) {
			if (errno == ENOBUFS)
				x.found |= KNL_EV_OVERRUN | KNL_EV_TABLE;
			else
				break;
			continue;
		}
		if (n == 0)
			break;
		mnl_cb_run(k->ev.rx, n, 0, 0, ev_cb, &x);
	}
	return x.found;
}

int knl_region_add(struct knl *k, const struct agent_reg *r, uint32_t ifindex)
{
	struct nlmsghdr *nlh = rup_nl_msg(&k->req, RUP_CMD_REGION_NEW, 0);

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, r->region);
	mnl_attr_put_u32(nlh, RUP_A_REGION_GROUP4, r->group);
	mnl_attr_put_u16(nlh, RUP_A_REGION_PORT, r->port);
	mnl_attr_put(nlh, RUP_A_REGION_KEY, RUP_KEY_LEN, r->key);
	if (ifindex)
		mnl_attr_put_u32(nlh, RUP_A_REGION_IFINDEX, ifindex);
	if (r->interval_ms)
		mnl_attr_put_u32(nlh, RUP_A_REGION_INTERVAL_MS, r->interval_ms);
	if (r->dead_ms > r->interval_ms)
		mnl_attr_put_u32(nlh, RUP_A_REGION_DEAD_MS, r->dead_ms);
	if (r->window_ms)
		mnl_attr_put_u32(nlh, RUP_A_REGION_WINDOW_MS, r->window_ms);
	return rup_nl_talk(&k->req, nlh, NULL, NULL);
}

int knl_region_del(struct knl *k, uint32_t region)
{
	struct nlmsghdr *nlh = rup_nl_msg(&k->req, RUP_CMD_REGION_DEL, 0);

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	return rup_nl_talk(&k->req, nlh, NULL, NULL);
}

int knl_self_node(struct knl *k, const uint8_t id[RUP_NODE_ID_LEN],
		  const char *version, uint32_t score)
{
	struct nlmsghdr *nlh = rup_nl_msg(&k->req, RUP_CMD_SELF_SET, 0);

	mnl_attr_put(nlh, RUP_A_NODE_ID, RUP_NODE_ID_LEN, id);
	mnl_attr_put_strz(nlh, RUP_A_VERSION, version);
	mnl_attr_put_u32(nlh, RUP_A_SCORE, score);
	return rup_nl_talk(&k->req, nlh, NULL, NULL);
}

int knl_self_region(struct knl *k, uint32_t region, uint32_t role,
		    uint64_t term, const struct koffer *offer)
{
	struct nlmsghdr *nlh = rup_nl_msg(&k->req, RUP_CMD_SELF_SET, 0);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
	mnl_attr_put_u32(nlh, RUP_A_ROLE, role);
	mnl_attr_put_u64(nlh, RUP_A_TERM, term);
	/* If we die, the kernel turns the node abnormal and drops the offer. */
	mnl_attr_put(nlh, RUP_A_BIND, 0, NULL);
	nest = mnl_attr_nest_start(nlh, RUP_A_OFFER);
	if (offer) {
		mnl_attr_put_strz(nlh, RUP_OFFER_A_VERSION, offer->version);
		mnl_attr_put(nlh, RUP_OFFER_A_SHA256, RUP_SHA256_LEN,
			     offer->sha256);
		mnl_attr_put_u64(nlh, RUP_OFFER_A_SIZE, offer->size);
		mnl_attr_put_u16(nlh, RUP_OFFER_A_PORT, offer->port);
		mnl_attr_put_strz(nlh, RUP_OFFER_A_PATH, offer->path);
	}
	mnl_attr_nest_end(nlh, nest);
	return rup_nl_talk(&k->req, nlh, NULL, NULL);
}

struct peers_ctx {
	struct kpeer *v;
	size_t n, cap;
};

static void copy_strattr(const struct nlattr *a, char *dst, size_t len)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	    strlen(mnl_attr_get_str(a)) < len)
		strcpy(dst, mnl_attr_get_str(a));
}

static void parse_offer(const struct nlattr *nest, struct koffer *o)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
	{
		switch (mnl_attr_get_type(a)) {
		case RUP_OFFER_A_VERSION:
			copy_strattr(a, o->version, sizeof(o->version));
			break;
		case RUP_OFFER_A_SHA256:
			if (mnl_attr_get_payload_len(a) == RUP_SHA256_LEN)
				memcpy(o->sha256, mnl_attr_get_payload(a),
				       RUP_SHA256_LEN);
			break;
		case RUP_OFFER_A_SIZE:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
				o->size = mnl_attr_get_u64(a);
			break;
		case RUP_OFFER_A_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				o->port = mnl_attr_get_u16(a);
			break;
		case RUP_OFFER_A_PATH:
			copy_strattr(a, o->path, sizeof(o->path));
			break;
		}
	}
}

static int peer_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct peers_ctx *x = arg;
	const struct nlattr *a;
	struct kpeer *p;
	bool have_id = false;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct kpeer *v = realloc(x->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		x->v = v;
		x->cap = cap;
	}
	p = &x->v[x->n];
	memset(p, 0, sizeof(*p));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		switch (mnl_attr_get_type(a)) {
		case RUP_A_NODE_ID:
			if (mnl_attr_get_payload_len(a) == RUP_NODE_ID_LEN) {
				memcpy(p->id, mnl_attr_get_payload(a),
				       RUP_NODE_ID_LEN);
				have_id = true;
			}
			break;
		case RUP_A_PEER_ADDR4:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->addr = mnl_attr_get_u32(a);
			break;
		case RUP_A_VERSION:
			copy_strattr(a, p->version, sizeof(p->version));
			break;
		case RUP_A_SCORE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->score = mnl_attr_get_u32(a);
			break;
		case RUP_A_ROLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->role = mnl_attr_get_u32(a);
			break;
		case RUP_A_TERM:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
				p->term = mnl_attr_get_u64(a);
			break;
		case RUP_A_OFFER:
			parse_offer(a, &p->offer);
			p->has_offer = p->offer.version[0] && p->offer.port &&
				       p->offer.path[0];
			break;
		case RUP_A_PEER_LAST_SEEN_MS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->last_seen_ms = mnl_attr_get_u32(a);
			break;
		}
	}
	if (have_id)
		x->n++;
	return 0;
}

int knl_peers(struct knl *k, uint32_t region, struct kpeer **out, size_t *n)
{
	struct peers_ctx x = { 0 };
	int err = -EINTR;

	for (int tries = 0; err == -EINTR && tries < 5; tries++) {
		struct nlmsghdr *nlh =
			rup_nl_msg(&k->req, RUP_CMD_PEER_GET, NLM_F_DUMP);

		mnl_attr_put_u32(nlh, RUP_A_REGION_ID, region);
		x.n = 0;
		err = rup_nl_talk(&k->req, nlh, peer_cb, &x);
	}
	if (err) {
		free(x.v);
		return err;
	}
	*out = x.v;
	*n = x.n;
	return 0;
}
