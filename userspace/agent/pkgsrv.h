/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RVS's package service: plain HTTP (libevent evhttp) serving the
 * store read-only: GET/HEAD /pkg/<version> (payload, with Range),
 * /pkg/<version>.manifest and /pkg/<version>.sig. Integrity comes from the
 * signature, not the transport. At most max_conns connections transfer at
 * once; more get 503 with Retry-After.
 */
#ifndef RUP_AGENT_PKGSRV_H
#define RUP_AGENT_PKGSRV_H

#include <stdint.h>

struct event_base;
struct pkgsrv;

struct pkgsrv_stats {
	uint64_t requests, served_bytes, rejected, errors;
};

struct pkgsrv *pkgsrv_start(struct event_base *base, const char *store,
			    uint16_t port, unsigned int max_conns, char *err,
			    size_t errlen);
void pkgsrv_stop(struct pkgsrv *s);
const struct pkgsrv_stats *pkgsrv_stats(const struct pkgsrv *s);

#endif
