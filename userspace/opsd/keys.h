/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd region keys: the current beacon key and a staged next one (SPEC §5 rotation). */
#ifndef RUP_OPSD_KEYS_H
#define RUP_OPSD_KEYS_H

#include <jansson.h>
#include <stdint.h>

struct opsd;

/* Set "key" (64 hex) and "next_key" (64 hex or null) of @region in @j; 0 or -1. */
int keys_json(struct opsd *o, uint32_t region, json_t *j);

#endif
