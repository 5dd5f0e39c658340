// SPDX-License-Identifier: GPL-2.0
/*
 * Transport half of the rup genl client: socket, family lookup, request /
 * ACK with extack, dumps, multicast membership. The typed commands live in
 * nl_rup.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rup.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* State of one exchange, shared by the data and control callbacks. */
struct talk {
	struct rupnl *nl;
	rupnl_msg_cb cb;
	void *arg;
	uint32_t seq; /* of the request */
	int err; /* first error seen, negative errno */
};

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct rupnl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->ext, sizeof(nl->ext), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			nl->ext_miss_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* Extack TLVs follow the error code (and the echoed request unless capped). */
static void parse_ext(struct rupnl *nl, const struct nlmsghdr *nlh, size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, off, ext_attr_cb, nl);
}

/*
 * Every callback ignores messages of other sequence numbers: events (seq 0)
 * on a socket that joined the group, and the rest of an earlier exchange
 * that was abandoned. An error is recorded and the exchange still read to
 * its end (ACK, error or DONE), so the socket stays usable.
 */
static void set_err(struct talk *t, int err)
{
	if (!t->err)
		t->err = err;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_seq != t->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		set_err(t, -EBADMSG);
		return MNL_CB_STOP;
	}
	if (e->error == 0)
		return MNL_CB_STOP; /* the ACK */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_ext(t->nl, nlh, off);
	/* Positive codes are not errnos; keep the sign convention anyway. */
	set_err(t, e->error < 0 ? e->error : -e->error);
	return MNL_CB_STOP;
}

/* A dump ends with DONE, which carries the dump's own error code. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (nlh->nlmsg_seq != t->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err) {
		parse_ext(t->nl, nlh, sizeof(int));
		set_err(t, err < 0 ? err : -err);
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (nlh->nlmsg_seq != t->seq)
		return MNL_CB_OK;
	/* The kernel flags dump messages sent after the table changed. */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->nl->dump_intr = true;
	if (!t->cb || t->err)
		return MNL_CB_OK;
	err = t->cb(nlh, t->arg);
	if (err < 0)
		set_err(t, err);
	return MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

struct nlmsghdr *rupnl_msg(struct rupnl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->tx);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = RUP_GENL_VERSION;
	return nlh;
}

int rupnl_talk(struct rupnl *nl, struct nlmsghdr *nlh, rupnl_msg_cb cb,
	       void *arg)
{
	struct talk t = {
		.nl = nl, .cb = cb, .arg = arg, .seq = nlh->nlmsg_seq
	};
	ssize_t n;
	int ret;

	nl->ext[0] = '\0';
	nl->ext_miss_type = 0;
	nl->dump_intr = false;
	/* Ask for an ACK unless it is a dump, which ends with DONE instead. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, RUPNL_BUFSZ);
		if (n < 0)
			return -errno;
		/* seq 0: the callbacks match sequence numbers themselves. */
		ret = mnl_cb_run2(nl->rx, n, 0, nl->portid, data_cb, &t,
				  ctl_cbs, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_STOP)
			return t.err ? t.err : (nl->dump_intr ? -EINTR : 0);
		if (ret == MNL_CB_ERROR) /* malformed datagram */
			return t.err ? t.err : (errno ? -errno : -EPROTO);
	}
}

/* Parsed CTRL_CMD_GETFAMILY reply. */
struct family_info {
	const char *grp; /* mcast group name to look for */
	uint16_t id;
	uint8_t version;
	uint32_t grp_id;
};

/* libmnl's for_each macros defeat clang-format; callbacks instead. */
struct mcast_grp {
	const char *name;
	uint32_t id;
};

static int grp_attr_cb(const struct nlattr *a, void *data)
{
	struct mcast_grp *g = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		g->name = mnl_attr_get_str(a);
	else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		g->id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* One entry of CTRL_ATTR_MCAST_GROUPS: remember the id of fi->grp. */
static int grp_cb(const struct nlattr *grp, void *data)
{
	struct family_info *fi = data;
	struct mcast_grp g = { NULL, 0 };

	mnl_attr_parse_nested(grp, grp_attr_cb, &g);
	if (g.name && fi->grp && !strcmp(g.name, fi->grp))
		fi->grp_id = g.id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct family_info *fi = data;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			fi->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			fi->version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_parse_nested(a, grp_cb, fi);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, arg);
	return 0;
}

static int get_family(struct rupnl *nl, const char *name,
		      struct family_info *fi)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	nlh = mnl_nlmsg_put_header(nl->tx);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return rupnl_talk(nl, nlh, family_cb, fi);
}

int rupnl_open(struct rupnl *nl)
{
	struct family_info fi = { .grp = RUP_MCGRP_EVENTS };
	struct family_info ctrl = { .grp = "notify" };
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->tx = malloc(RUPNL_BUFSZ);
	nl->rx = malloc(RUPNL_BUFSZ);
	if (!nl->tx || !nl->rx) {
		err = -ENOMEM;
		goto fail;
	}
	/* Never inherited: an install hook holding it kept the agent's
	 * BIND alive (docs/AGENT.md, "Priority").
	 */
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock) {
		err = -errno;
		goto fail;
	}
	/* Extended ACKs carry the kernel's reason; capped ACKs stay small.
	 * Kernels without them still work, just with less detail.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	err = get_family(nl, RUP_GENL_NAME, &fi);
	if (err)
		goto fail; /* -ENOENT: the module is not loaded */
	if (!fi.id) {
		err = -EPROTO;
		goto fail;
	}
	nl->family = fi.id;
	nl->family_version = fi.version;
	nl->events_grp = fi.grp_id;
	if (get_family(nl, "nlctrl", &ctrl) == 0)
		nl->ctrl_notify_grp = ctrl.grp_id;
	return 0;
fail:
	rupnl_close(nl);
	return err;
}

void rupnl_close(struct rupnl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->tx);
	free(nl->rx);
	nl->sock = NULL;
	nl->tx = NULL;
	nl->rx = NULL;
}

int rupnl_join_events(struct rupnl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock), size = RUPNL_EVENT_RCVBUF;

	if (!nl->events_grp)
		return -ENOENT;
	/* A burst of events (a region's worth of peers at once) must not
	 * overrun the socket; FORCE passes rmem_max with CAP_NET_ADMIN.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_grp, sizeof(nl->events_grp)) < 0)
		return -errno;
	/* Best effort: lets a monitor notice rmmod instead of hanging. */
	if (nl->ctrl_notify_grp)
		mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				      &nl->ctrl_notify_grp,
				      sizeof(nl->ctrl_notify_grp));
	return 0;
}

const char *rupnl_errstr(const struct rupnl *nl, int err)
{
	if (nl && nl->ext[0])
		return nl->ext;
	return strerror(err < 0 ? -err : err);
}

int rupnl_fd(const struct rupnl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}
