/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd rollouts: per-region tasks in waves, halted past a failure threshold. */
#ifndef RUP_OPSD_ROLLOUT_H
#define RUP_OPSD_ROLLOUT_H

#include <stdint.h>

/* A running rollout's current wave, as the store counts it. */
struct rollout_wave {
	int64_t rollout, wave, waves, threshold;
	int64_t open; /* tasks of the wave not final */
	int64_t failed; /* tasks of the wave failed */
};

enum rollout_step {
	ROLLOUT_WAIT, /* tasks of the wave still open */
	ROLLOUT_HALT, /* more failed than the threshold: waiting tasks cancelled */
	ROLLOUT_DONE, /* that was the last wave */
	ROLLOUT_NEXT, /* open the next wave's tasks */
};

/* After a task of the rollout went final: what happens to it now. */
enum rollout_step rollout_next(const struct rollout_wave *w);

#endif
