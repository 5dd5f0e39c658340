// SPDX-License-Identifier: GPL-2.0
/* The composite score: pure combination of measurements (see score.h). */
#include "score.h"
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REF_CPUS 16
#define REF_MEM_KB (8ULL * 1024 * 1024)
#define REF_DISK (32ULL << 30)
#define REF_LINK_MBPS 10000
#define REF_RTT_MS 50
#define BAD_RATIO_ZERO 10 /* percent of bad packets that zero the link */

static const char *const part_names[SCORE_PARTS] = {
	[SCORE_CPU] = "cpu",   [SCORE_MEM] = "memory", [SCORE_DISK] = "disk",
	[SCORE_LINK] = "link", [SCORE_LOAD] = "load",  [SCORE_RTT] = "rtt",
};

/* The same defaults as the agent's [score] section. */
static const uint32_t default_weight[SCORE_PARTS] = {
	[SCORE_CPU] = 200,  [SCORE_MEM] = 200,	[SCORE_DISK] = 150,
	[SCORE_LINK] = 200, [SCORE_LOAD] = 100, [SCORE_RTT] = 150,
};

const char *score_part_name(enum score_part p)
{
	return (unsigned int)p < SCORE_PARTS ? part_names[p] : "?";
}

void score_config_default(struct score_config *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->weight, default_weight, sizeof(c->weight));
}

int score_config_set(struct score_config *c, const char *key, const char *value)
{
	if (!strcmp(key, "fixed")) {
		if (!value ||
		    parse_dec_u32(value, 0, UINT32_MAX, &c->fixed_score))
			return -EINVAL;
		c->fixed = true;
		return 0;
	}
	for (int p = 0; p < SCORE_PARTS; p++)
		if (!strcmp(key, part_names[p]))
			return value && !parse_dec_u32(value, 0,
						       SCORE_WEIGHT_MAX,
						       &c->weight[p]) ?
				       0 :
				       -EINVAL;
	return -ENOENT;
}

/* @v against @ref as 0..1000 points. */
static uint32_t scaled(uint64_t v, uint64_t ref)
{
	if (v >= ref)
		return SCORE_POINTS_MAX;
	return (uint32_t)(v * SCORE_POINTS_MAX / ref);
}

static uint32_t link_points(const struct score_inputs *in)
{
	uint64_t pts, bad_pct_x10;

	pts = in->link_mbps < 0 ?
		      SCORE_UNKNOWN_POINTS :
		      scaled((uint64_t)in->link_mbps, REF_LINK_MBPS);
	if (in->link_packets) {
		/* Bad packets in tenths of a percent; BAD_RATIO_ZERO % zeroes it. */
		bad_pct_x10 = in->link_bad >= in->link_packets ?
				      1000 :
				      in->link_bad * 1000 / in->link_packets;
		if (bad_pct_x10 >= BAD_RATIO_ZERO * 10)
			return 0;
		pts = pts * (BAD_RATIO_ZERO * 10 - bad_pct_x10) /
		      (BAD_RATIO_ZERO * 10);
	}
	return (uint32_t)pts;
}

static uint32_t load_points(const struct score_inputs *in)
{
	double cpus = in->cpu_known && in->cpus ? in->cpus : 1, free;

	if (!(in->load1 >= 0)) /* also NaN */
		return SCORE_UNKNOWN_POINTS;
	free = 1.0 - in->load1 / cpus;
	return free <= 0 ? 0 : (uint32_t)(free * SCORE_POINTS_MAX);
}

static uint32_t rtt_points(const struct score_inputs *in)
{
	uint64_t pts = (uint64_t)SCORE_POINTS_MAX * REF_RTT_MS /
		       (REF_RTT_MS + in->rtt_ms);
	uint32_t loss = in->loss_pct > 100 ? 100 : in->loss_pct;

	return (uint32_t)(pts * (100 - loss) / 100);
}

void score_combine(const struct score_config *c, const struct score_inputs *in,
		   struct score_result *out)
{
	uint64_t sum = 0;

	memset(out, 0, sizeof(*out));
	for (int p = 0; p < SCORE_PARTS; p++)
		out->points[p] = SCORE_UNKNOWN_POINTS;
	if (in->cpu_known)
		out->points[SCORE_CPU] = scaled(in->cpus, REF_CPUS);
	if (in->mem_known)
		out->points[SCORE_MEM] = scaled(in->mem_avail_kb, REF_MEM_KB);
	if (in->disk_known)
		out->points[SCORE_DISK] = scaled(in->disk_free_bytes, REF_DISK);
	if (in->link_known)
		out->points[SCORE_LINK] = in->link_up ? link_points(in) : 0;
	if (in->load_known)
		out->points[SCORE_LOAD] = load_points(in);
	if (in->rtt_known)
		out->points[SCORE_RTT] = rtt_points(in);

	if (in->link_known && !in->link_up) {
		out->abnormal = true;
		out->why = "link down";
		out->score = 0;
		return;
	}
	if (c->fixed) {
		out->score = c->fixed_score;
		return;
	}
	for (int p = 0; p < SCORE_PARTS; p++)
		sum += (uint64_t)(c->weight[p] > SCORE_WEIGHT_MAX ?
					  SCORE_WEIGHT_MAX :
					  c->weight[p]) *
		       out->points[p];
	out->score = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}
