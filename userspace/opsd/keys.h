/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd region keys: the current beacon key and a staged next one (SPEC §5 rotation). */
#ifndef RUP_OPSD_KEYS_H
#define RUP_OPSD_KEYS_H

#include <jansson.h>
#include <stdint.h>

struct store_region_keys;

/* Set "key" (64 hex) and "next_key" (64 hex or null) in @j. */
void keys_json(json_t *j, const struct store_region_keys *k);

#endif
