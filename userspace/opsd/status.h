/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd fleet status as one JSON document (API, status page). */
#ifndef RUP_OPSD_STATUS_H
#define RUP_OPSD_STATUS_H

#include <jansson.h>

struct opsd;

/* NULL on database error. @only: one region id, or -1 for all. */
json_t *status_json(struct opsd *o, int64_t only);

#endif
