/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd region keys: the current beacon key and a staged next one (SPEC §5 rotation). */
#ifndef RUP_OPSD_KEYS_H
#define RUP_OPSD_KEYS_H

#include "api.h"
#include <stdint.h>

struct store_region_keys;

/* The keys as hex text (api.h); @next_key "" when none is staged. 0 or -1. */
int keys_hex(const struct store_region_keys *k, api_hex32 key,
	     api_hex32 next_key);

#endif
