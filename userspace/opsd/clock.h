/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd clock: one place reads the time, so no module needs main.c. */
#ifndef RUP_OPSD_CLOCK_H
#define RUP_OPSD_CLOCK_H

#include <stdint.h>

/* Wall clock in nanoseconds (also handed to nodes as server_time_ns). */
uint64_t opsd_now_ns(void);

#endif
