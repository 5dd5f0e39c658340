// SPDX-License-Identifier: GPL-2.0
/* Exponential backoff with "equal jitter": half fixed, half random. */
#include "backoff.h"

void backoff_init(struct backoff *b, uint32_t base_ms, uint32_t max_ms)
{
	b->base_ms = base_ms ? base_ms : 1;
	b->max_ms = max_ms < b->base_ms ? b->base_ms : max_ms;
	b->attempt = 0;
}

uint32_t backoff_next(struct backoff *b, uint32_t rnd)
{
	uint64_t d = b->base_ms;
	uint32_t half;

	for (uint32_t i = 0; i < b->attempt && d < b->max_ms; i++)
		d *= 2;
	if (d > b->max_ms)
		d = b->max_ms;
	if (b->attempt < 64)
		b->attempt++;
	half = (uint32_t)(d / 2);
	return (uint32_t)(d - half) + (half ? rnd % (half + 1) : 0);
}

void backoff_reset(struct backoff *b)
{
	b->attempt = 0;
}
