/* SPDX-License-Identifier: GPL-2.0 */
/* Exponential backoff with jitter for retries against the ops server and RVS. */
#ifndef RUP_AGENT_BACKOFF_H
#define RUP_AGENT_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint32_t base_ms;
	uint32_t max_ms;
	uint32_t attempt;
};

void backoff_init(struct backoff *b, uint32_t base_ms, uint32_t max_ms);
/*
 * The next delay: base * 2^attempt capped at max, of which the upper half is
 * replaced by @rnd (any random number), so failing nodes spread out instead
 * of retrying in step. Counts the attempt.
 */
uint32_t backoff_next(struct backoff *b, uint32_t rnd);
void backoff_reset(struct backoff *b);

#endif
