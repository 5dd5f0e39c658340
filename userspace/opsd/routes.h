/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd request handlers, one per endpoint (see docs/API.md). */
#ifndef RUP_OPSD_ROUTES_H
#define RUP_OPSD_ROUTES_H

struct evhttp_request;
struct opsd;

/* api_register.c, api_report.c */
void h_register(struct opsd *o, struct evhttp_request *req, const char *arg);
void h_reports(struct opsd *o, struct evhttp_request *req, const char *arg);
/* longpoll.c */
void h_tasks(struct opsd *o, struct evhttp_request *req, const char *arg);
/* api_release.c */
void h_release_publish(struct opsd *o, struct evhttp_request *req,
		       const char *arg);
void h_releases_list(struct opsd *o, struct evhttp_request *req,
		     const char *arg);
/* upload.c */
void h_release_payload_put(struct opsd *o, struct evhttp_request *req,
			   const char *arg);
/* download.c */
void h_release_payload_get(struct opsd *o, struct evhttp_request *req,
			   const char *arg);
void h_release_manifest(struct opsd *o, struct evhttp_request *req,
			const char *arg);
void h_release_signature(struct opsd *o, struct evhttp_request *req,
			 const char *arg);
/* rollout.c */
void h_rollout_start(struct opsd *o, struct evhttp_request *req,
		     const char *arg);
void h_rollout_cancel(struct opsd *o, struct evhttp_request *req,
		      const char *arg);
/* status.c */
void h_status(struct opsd *o, struct evhttp_request *req, const char *arg);
void h_audit(struct opsd *o, struct evhttp_request *req, const char *arg);
/* api_node.c */
void h_node_delete(struct opsd *o, struct evhttp_request *req, const char *arg);
/* keys.c */
void h_keys(struct opsd *o, struct evhttp_request *req, const char *arg);
void h_region_key(struct opsd *o, struct evhttp_request *req, const char *arg);
/* metrics.c */
void h_metrics(struct opsd *o, struct evhttp_request *req, const char *arg);
/* page.c */
void h_page(struct opsd *o, struct evhttp_request *req, const char *arg);

/* Helpers shared by handlers. */
#include <stddef.h>
/* <packages>/<version>.pkg; -1 when it does not fit. */
int release_payload_path(struct opsd *o, const char *version, char *out,
			 size_t len);
struct release_manifest;
/* A published release's manifest (parsed) and payload flag; on failure 404/500 is sent, -1. */
int load_release(struct opsd *o, struct evhttp_request *req,
		 const char *version, struct release_manifest *m, int *payload);
/* A node (X-Rup-Node + its token) or the admin; on failure the reply is sent, -1. */
int auth_reader(struct opsd *o, struct evhttp_request *req);

#endif
