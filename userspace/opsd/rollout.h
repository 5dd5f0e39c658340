/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd rollouts: per-region tasks in waves, halted past a failure threshold. */
#ifndef RUP_OPSD_ROLLOUT_H
#define RUP_OPSD_ROLLOUT_H

#include <stdint.h>

struct opsd;

/*
 * Inside a transaction, after a task of @rollout went final: when every
 * task of the current wave is final, count its failed tasks; more than the
 * threshold halts the rollout (waiting tasks become cancelled), otherwise
 * the next wave opens, or the rollout is done. Returns 1 when tasks opened
 * (held long-polls should be woken), 0, or -1 on database error.
 */
int rollout_advance(struct opsd *o, int64_t rollout);

#endif
