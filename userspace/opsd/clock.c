// SPDX-License-Identifier: GPL-2.0
/* rup-opsd clock: CLOCK_REALTIME in nanoseconds. */
#include <time.h>

#include "clock.h"

uint64_t opsd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
