/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The composite score (SPEC §3): device resources and network state turned
 * into one unsigned 32-bit number, higher is better.
 *
 * Each part is first mapped to 0..1000 points against a reference (a part
 * at or above its reference gets 1000), then the score is the sum of
 * weight * points with the weights from config ([score] cpu, memory, disk,
 * link, load, rtt; 0..1000 each). With the default weights (summing to
 * 1000) the best possible score is 1 000 000.
 *
 *   cpu     online CPUs                          ref 16
 *   memory  MemAvailable                         ref 8 GiB
 *   disk    free space in the package store      ref 32 GiB
 *   link    link speed, scaled down by the errors and drops per packet
 *           seen since the previous sample (10 % bad packets = 0)
 *                                                ref 10 Gbit/s
 *   load    1 - loadavg(1 min) / CPUs, floored at 0
 *   rtt     rtt_ref / (rtt_ref + RTT) to the ops server, times (1 - loss)
 *                                                rtt_ref 50 ms
 *
 * A part that could not be measured gets half marks (500), so a node is
 * neither favoured nor shut out by what it cannot see. A link known to be
 * down (admin down or no carrier) makes the score 0 and the node abnormal:
 * an RVS that loses its link steps down at once. A fixed score from config
 * replaces the sum, but a down link still makes the node abnormal (score 0).
 */
#ifndef RUPCTL_SCORE_H
#define RUPCTL_SCORE_H

#include <stdbool.h>
#include <stdint.h>

enum score_part {
	SCORE_CPU,
	SCORE_MEM,
	SCORE_DISK,
	SCORE_LINK,
	SCORE_LOAD,
	SCORE_RTT,
	SCORE_PARTS
};

#define SCORE_POINTS_MAX 1000
#define SCORE_WEIGHT_MAX 1000
#define SCORE_UNKNOWN_POINTS 500

struct score_config {
	uint32_t weight[SCORE_PARTS]; /* 0..SCORE_WEIGHT_MAX */
	bool fixed;
	uint32_t fixed_score;
};

/* Measurements; a *_known flag false means "could not measure". */
struct score_inputs {
	bool cpu_known;
	uint32_t cpus;
	bool mem_known;
	uint64_t mem_avail_kb;
	bool disk_known;
	uint64_t disk_free_bytes;
	bool link_known; /* the region's interface was found */
	bool link_up; /* IFF_UP and carrier */
	int64_t link_mbps; /* < 0: speed unknown (virtual links) */
	uint64_t link_packets; /* rx + tx packets in the window */
	uint64_t link_bad; /* errors + drops in the same window */
	bool load_known;
	double load1;
	bool rtt_known;
	uint32_t rtt_ms;
	uint32_t loss_pct; /* 0..100 */
};

struct score_result {
	uint32_t points[SCORE_PARTS]; /* 0..SCORE_POINTS_MAX each */
	uint32_t score;
	bool abnormal;
	const char *why; /* why abnormal, else NULL */
};

void score_config_default(struct score_config *c);
/* Set a [score] key ("cpu", "memory", ..., or "fixed"); -EINVAL/-ENOENT. */
int score_config_set(struct score_config *c, const char *key,
		     const char *value);
const char *score_part_name(enum score_part p);

/* The pure combination: measurements and config in, score out. */
void score_combine(const struct score_config *c, const struct score_inputs *in,
		   struct score_result *out);

#endif
