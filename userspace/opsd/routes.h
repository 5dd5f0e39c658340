/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd request handlers, one per endpoint (see docs/API.md). */
#ifndef RUP_OPSD_ROUTES_H
#define RUP_OPSD_ROUTES_H

struct evhttp_request;
struct opsd;

/* A handler: @arg is the path segment its route's '*' matched ("" if none). */
typedef void route_fn(struct opsd *o, struct evhttp_request *req,
		      const char *arg);

/* api_register.c, api_report.c */
route_fn h_register, h_reports;
/* longpoll.c */
route_fn h_tasks;
/* api_release.c */
route_fn h_release_publish, h_releases_list;
/* upload.c */
route_fn h_release_payload_put;
/* download.c */
route_fn h_release_payload_get, h_release_manifest, h_release_signature;
/* rollout.c */
route_fn h_rollout_start, h_rollout_cancel;
/* status.c */
route_fn h_status, h_audit;
/* api_node.c */
route_fn h_node_delete;
/* keys.c */
route_fn h_keys, h_region_key;
/* metrics.c */
route_fn h_metrics;
/* page.c */
route_fn h_page;

/* Helpers shared by handlers. */
#include <stddef.h>
/* <packages>/<version>.pkg; -1 when it does not fit. */
int release_payload_path(struct opsd *o, const char *version, char *out,
			 size_t len);
struct release_manifest;
/* A published release's manifest (parsed) and payload flag; on failure 404/500 is sent, -1. */
int load_release(struct opsd *o, struct evhttp_request *req,
		 const char *version, struct release_manifest *m, int *payload);
/* Who reads a release: a node (its id and region) or the admin (node ""). */
struct reader {
	char node[33];
	uint32_t region;
};
/* A node (X-Rup-Node + its token) or the admin; on failure the reply is sent, -1. */
int auth_reader(struct opsd *o, struct evhttp_request *req, struct reader *who);

#endif
