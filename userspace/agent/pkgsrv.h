/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RVS's package service: plain HTTP (libevent evhttp) serving the
 * store read-only: GET/HEAD /pkg/<version> (payload, with Range),
 * /pkg/<version>.manifest and /pkg/<version>.sig. Integrity comes from the
 * signature, not the transport. It listens on the region interface's
 * address only and holds up under idle, slow and many clients
 * (docs/AGENT.md, "Package service (RVS)").
 */
#ifndef RUP_AGENT_PKGSRV_H
#define RUP_AGENT_PKGSRV_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct pkgsrv;

/* Is @ip in the region's version table (the kernel's peer table)? */
typedef bool (*pkgsrv_member_fn)(void *arg, struct in_addr ip);

/* The service's limits: the agent config's [http] section (docs/AGENT.md). */
struct pkgsrv_limits {
	uint32_t max_conns; /* open connections, counted at accept */
	uint32_t max_per_ip; /* open connections from one address */
	uint32_t request_timeout_s; /* accept (or last reply) to request */
	bool members_only; /* others get 403 */
};

struct pkgsrv_opts {
	const char *store;
	struct in_addr addr; /* the only address listened on */
	uint16_t port;
	struct pkgsrv_limits lim;
	pkgsrv_member_fn is_member;
	void *arg;
};

struct pkgsrv_stats {
	uint64_t requests, served_bytes, rejected, errors;
	uint64_t accepted, refused, timed_out, accept_errors;
};

struct pkgsrv *pkgsrv_start(struct event_base *base,
			    const struct pkgsrv_opts *o, char *err,
			    size_t errlen);
void pkgsrv_stop(struct pkgsrv *s);
const struct pkgsrv_stats *pkgsrv_stats(const struct pkgsrv *s);

/*
 * The IPv4 address the region is reached at: the first one on @ifname, or
 * with no interface named, the source the route to @group picks. 0, or -1
 * with the reason in @err.
 */
int pkgsrv_region_addr(const char *ifname, struct in_addr group,
		       struct in_addr *out, char *err, size_t errlen);

#endif
