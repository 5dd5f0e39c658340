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

/* "PFXNAME (V) must be within LO..HI", or -1 when @v is outside. */
static int within(const char *p, const char *name, uint32_t v, uint32_t lo,
		  uint32_t hi, char *err, size_t errlen)
{
	if (v >= lo && v <= hi)
		return 0;
	snprintf(err, errlen, "%s%s (%u) must be within %u..%u", p, name, v, lo,
		 hi);
	return -1;
}

int fleet_timing_check_prefix(const char *p, uint32_t interval_ms,
			      uint32_t dead_ms, uint32_t window_ms, char *err,
			      size_t errlen)
{
	if (within(p, "interval_ms", interval_ms, FLEET_INTERVAL_MIN_MS,
		   FLEET_INTERVAL_MAX_MS, err, errlen))
		return -1;
	/* The kernel's own rule (kmod/netlink.c rup_timing()). */
	if (dead_ms <= interval_ms) {
		snprintf(err, errlen,
			 "%sdead_ms (%u) must exceed %sinterval_ms (%u)", p,
			 dead_ms, p, interval_ms);
		return -1;
	}
	if (within(p, "dead_ms", dead_ms, interval_ms + 1, FLEET_DEAD_MAX_MS,
		   err, errlen) ||
	    within(p, "window_ms", window_ms, FLEET_WINDOW_MIN_MS,
		   FLEET_WINDOW_MAX_MS, err, errlen))
		return -1;
	return 0;
}

int fleet_timing_check(uint32_t interval_ms, uint32_t dead_ms,
		       uint32_t window_ms, char *err, size_t errlen)
{
	return fleet_timing_check_prefix("", interval_ms, dead_ms, window_ms,
					 err, errlen);
}
