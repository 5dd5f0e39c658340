/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rup-opsd download slots (docs/API.md, "Limits"): server.download_budget
 * payload transfers at once, at most server.downloads_per_region of them
 * for one region, and server.download_rvs_reserve kept for regions' RVSs
 * (the one download a region needs). A slot is held until its bytes are
 * sent or the connection goes, and a transfer is cut after
 * server.download_timeout seconds whatever its pace.
 */
#ifndef RUP_OPSD_DOWNLOAD_SLOT_H
#define RUP_OPSD_DOWNLOAD_SLOT_H

#include <stdbool.h>
#include <stdint.h>

struct evbuffer_file_segment;
struct evhttp_request;
struct opsd;

#define SLOT_NO_REGION UINT32_MAX /* an admin's download */

struct download_slot;

/*
 * A slot for @req of @region (@rvs: its RVS), or NULL with the 429 reply
 * sent (@version names the release in it).
 */
struct download_slot *slot_take(struct opsd *o, struct evhttp_request *req,
				uint32_t region, bool rvs, const char *version);
/* Hand the slot to @seg: freed when libevent drops the segment. */
void slot_bind(struct download_slot *d, struct evbuffer_file_segment *seg);
/* Give a slot back that was never bound (the reply failed first). */
void slot_put(struct download_slot *d);

#endif
