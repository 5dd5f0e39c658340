// SPDX-License-Identifier: GPL-2.0
/* rup-opsd DELETE /api/v1/nodes/ID: an admin removes a node. */
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "http.h"
#include "longpoll.h"
#include "olog.h"
#include "opsd.h"
#include "region.h"
#include "routes.h"
#include "store.h"

void h_node_delete(struct opsd *o, struct evhttp_request *req, const char *arg)
{
	struct api_node_removed m;
	char node[40];
	enum store_rc rc;
	uint32_t region;

	if (auth_admin(o, req))
		return;
	if (strlen(arg) != 32 || !is_node_id(arg)) {
		http_error(req, 400, "node id '%.40s': must be 32 hex digits",
			   arg);
		return;
	}
	snprintf(node, sizeof(node), "%s", arg);
	node_id_lower(node);
	rc = store_node_remove(o->st, node, region_hook(o), &region);
	if (rc == STORE_NOT_FOUND) {
		http_error(req, 404, "node %s: unknown node", node);
		return;
	}
	if (rc) {
		region_reload(o);
		http_error(req, 500, "node %s: database error", node);
		return;
	}
	olog_info("node %s removed from region %u", node, region);
	longpoll_forget_node(o, node);
	m.region_id = region;
	m.removed = true;
	memcpy(m.node_id, node, sizeof(m.node_id));
	http_json(req, 200, api_node_removed_encode(&m));
}
