/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fleet timing and port parameters: one set of defaults and bounds for the
 * ops server's config (fleet.*), the agent (checking what register hands it)
 * and the genl client (what the kernel accepts).
 *
 * The kernel is the truth (kmod/netlink.c rup_timing()): interval at least
 * RUP_INTERVAL_MIN_MS, dead interval strictly longer than the interval, dead
 * defaulting to 3.5 intervals. Userspace adds upper bounds the kernel lacks,
 * so ms arithmetic (ticks, backoff) cannot overflow and a typo of a few
 * zeros is caught, and a window of at least one second (0 switches the
 * kernel's replay check off; the fleet never hands that out).
 */
#ifndef RUP_FLEET_H
#define RUP_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <linux/rup.h>

/* Beacon interval (ms). */
#define FLEET_INTERVAL_MIN_MS RUP_INTERVAL_MIN_MS
#define FLEET_INTERVAL_DEFAULT_MS RUP_INTERVAL_DEFAULT_MS
#define FLEET_INTERVAL_MAX_MS 3600000u /* one hour */

/* Dead interval (ms): above the interval, at most ten hours. */
#ifndef RUP_DEAD_DEFAULT_MS
/* kernel: 3 * interval + interval / 2 in kmod/netlink.c */
#define RUP_DEAD_DEFAULT_MS(interval) (3 * (interval) + (interval) / 2)
#endif
#define FLEET_DEAD_DEFAULT_MS RUP_DEAD_DEFAULT_MS(FLEET_INTERVAL_DEFAULT_MS)
#define FLEET_DEAD_MAX_MS 36000000u

/* Clock window (ms) for beacon sequence freshness. */
#define FLEET_WINDOW_MIN_MS 1000u
#define FLEET_WINDOW_DEFAULT_MS RUP_WINDOW_DEFAULT_MS
#define FLEET_WINDOW_MAX_MS 3600000u

/* UDP beacon port and the ops server's HTTPS port: 1..65535. */
#define FLEET_PORT_MIN 1
#define FLEET_PORT_MAX 65535
#define FLEET_PORT_DEFAULT 7946
#define FLEET_HTTPS_PORT_DEFAULT 8443

/*
 * The kernel's default dead interval for @interval_ms (3.5 intervals), or 0
 * when that does not fit in 32 bits (the kernel then keeps the old one).
 */
uint32_t fleet_dead_default(uint32_t interval_ms);

/*
 * 0 when interval, dead interval and window are within the bounds above and
 * the kernel will accept them; else -1 and @err names the value and the
 * bound it breaks: "dead_ms (900) must exceed interval_ms (1000)",
 * "window_ms (0) must be within 1000..3600000".
 */
int fleet_timing_check(uint32_t interval_ms, uint32_t dead_ms,
		       uint32_t window_ms, char *err, size_t errlen);
/*
 * The same with @prefix before each name: "fleet." gives the ops server's
 * config message "fleet.dead_ms (900) must exceed fleet.interval_ms (1000)"
 * (tests/host/opsd-config.sh).
 */
int fleet_timing_check_prefix(const char *prefix, uint32_t interval_ms,
			      uint32_t dead_ms, uint32_t window_ms, char *err,
			      size_t errlen);

#endif
