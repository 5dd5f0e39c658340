// SPDX-License-Identifier: GPL-2.0
/* Link carrier watch over libnl-route's cache manager (see score_linkwatch.h). */
#include "score_linkwatch.h"

#include <errno.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <stdlib.h>
#include <string.h>

struct score_linkwatch {
	struct nl_cache_mngr *mngr;
	struct nl_cache *cache;
	char ifname[IF_NAMESIZE];
	score_link_cb cb;
	void *arg;
	int last; /* -1 unknown/absent, 0 down, 1 up */
};

static int link_state(struct score_linkwatch *lw)
{
	struct rtnl_link *link = rtnl_link_get_by_name(lw->cache, lw->ifname);
	int up;

	if (!link)
		return -1;
	up = (rtnl_link_get_flags(link) & IFF_UP) &&
	     rtnl_link_get_carrier(link);
	rtnl_link_put(link);
	return up;
}

static void changed(struct nl_cache *cache, struct nl_object *obj, int action,
		    void *arg)
{
	struct score_linkwatch *lw = arg;
	int now;

	(void)cache;
	(void)obj;
	(void)action;
	now = link_state(lw);
	if (now == lw->last)
		return;
	lw->last = now;
	if (lw->cb)
		lw->cb(lw->arg, lw->ifname, now == 1);
}

int score_linkwatch_open(struct score_linkwatch **out, const char *ifname,
			 score_link_cb cb, void *arg)
{
	struct score_linkwatch *lw;
	int rc;

	if (strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	lw = calloc(1, sizeof(*lw));
	if (!lw)
		return -ENOMEM;
	strcpy(lw->ifname, ifname);
	lw->cb = cb;
	lw->arg = arg;
	rc = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE,
				 &lw->mngr);
	if (!rc)
		rc = nl_cache_mngr_add(lw->mngr, "route/link", changed, lw,
				       &lw->cache);
	if (rc) {
		score_linkwatch_close(lw);
		return -EIO;
	}
	lw->last = link_state(lw);
	*out = lw;
	return 0;
}

void score_linkwatch_close(struct score_linkwatch *lw)
{
	if (!lw)
		return;
	if (lw->mngr)
		nl_cache_mngr_free(lw->mngr); /* frees its caches too */
	free(lw);
}

int score_linkwatch_fd(const struct score_linkwatch *lw)
{
	return nl_cache_mngr_get_fd(lw->mngr);
}

int score_linkwatch_process(struct score_linkwatch *lw)
{
	int rc = nl_cache_mngr_data_ready(lw->mngr);

	return rc < 0 ? -EIO : 0;
}

int score_linkwatch_get(struct score_linkwatch *lw, bool *up)
{
	int st = link_state(lw);

	if (st < 0)
		return -ENODEV;
	*up = st == 1;
	return 0;
}
