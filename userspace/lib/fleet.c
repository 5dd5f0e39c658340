// SPDX-License-Identifier: GPL-2.0
/* Fleet timing checks, the kernel's rules plus userspace's upper bounds. */
#include <stdio.h>

#include "fleet.h"

uint32_t fleet_dead_default(uint32_t interval_ms)
{
	/* As kmod/netlink.c: no default past U32_MAX / 4. */
	if (interval_ms > UINT32_MAX / 4)
		return 0;
	return RUP_DEAD_DEFAULT_MS(interval_ms);
}

int fleet_timing_check(uint32_t interval_ms, uint32_t dead_ms,
		       uint32_t window_ms, char *err, size_t errlen)
{
	if (interval_ms < FLEET_INTERVAL_MIN_MS) {
		snprintf(err, errlen, "interval_ms %u must be at least %u",
			 interval_ms, FLEET_INTERVAL_MIN_MS);
		return -1;
	}
	if (interval_ms > FLEET_INTERVAL_MAX_MS) {
		snprintf(err, errlen, "interval_ms %u must be at most %u",
			 interval_ms, FLEET_INTERVAL_MAX_MS);
		return -1;
	}
	if (dead_ms <= interval_ms) {
		snprintf(err, errlen, "dead_ms %u must be above interval_ms %u",
			 dead_ms, interval_ms);
		return -1;
	}
	if (dead_ms > FLEET_DEAD_MAX_MS) {
		snprintf(err, errlen, "dead_ms %u must be at most %u", dead_ms,
			 FLEET_DEAD_MAX_MS);
		return -1;
	}
	if (window_ms < FLEET_WINDOW_MIN_MS ||
	    window_ms > FLEET_WINDOW_MAX_MS) {
		snprintf(err, errlen, "window_ms %u must be within %u..%u",
			 window_ms, FLEET_WINDOW_MIN_MS, FLEET_WINDOW_MAX_MS);
		return -1;
	}
	return 0;
}
