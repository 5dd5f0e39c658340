/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clocks every program reads, in one place:
 * - wall time in Unix nanoseconds (docs/API.md times, server_time_ns, the
 *   agent's clock check against the server);
 * - monotonic time for timers, backoff and intervals, which never jumps
 *   when the wall clock is set.
 * The one clock of the ops server and the agent.
 */
#ifndef RUP_LIB_CLOCK_H
#define RUP_LIB_CLOCK_H

#include <stdint.h>

/* CLOCK_REALTIME in nanoseconds since the Unix epoch. */
uint64_t clock_real_ns(void);
/* CLOCK_MONOTONIC in nanoseconds / milliseconds (arbitrary origin). */
uint64_t clock_mono_ns(void);
uint64_t clock_mono_ms(void);

/* |a - b| of two nanosecond times, in milliseconds (a clock skew). */
uint64_t clock_diff_ms(uint64_t a_ns, uint64_t b_ns);

#endif
