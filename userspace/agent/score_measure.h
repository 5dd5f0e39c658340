/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Measurements behind the composite score, one function per source; each
 * returns 0 or -errno and prints nothing. score_measure() fills what it
 * can of a struct score_inputs and leaves the *_known flags of the rest
 * false. Paths are parameters so tests can feed fixtures.
 */
#ifndef RUPCTL_SCORE_MEASURE_H
#define RUPCTL_SCORE_MEASURE_H

#include <stdint.h>

#include "score.h"

int score_read_meminfo(const char *path, uint64_t *avail_kb);
int score_read_loadavg(const char *path, double *load1);
int score_read_cpus(uint32_t *cpus);
int score_read_disk(const char *dir, uint64_t *free_bytes);
/* Link speed by ethtool (ETHTOOL_GLINKSETTINGS); -1 when the driver has none. */
int score_read_speed(const char *ifname, int64_t *mbps);

/* Counters of a link, as rtnetlink reports them. */
struct score_link_info {
	int ifindex;
	bool up; /* IFF_UP and carrier */
	uint64_t packets; /* rx + tx */
	uint64_t bad; /* rx/tx errors + rx/tx dropped */
};

/* One-shot rtnetlink query (libnl-route) of @ifname. */
int score_read_link(const char *ifname, struct score_link_info *info);

/*
 * Fill @in from the system: CPUs, memory, load, free space in @store (may
 * be NULL), and link state and speed of @ifname (may be NULL). Link error
 * counts are the totals since boot unless @prev holds an earlier sample,
 * in which case only the difference counts; @prev is updated.
 */
void score_measure(struct score_inputs *in, const char *store,
		   const char *ifname, struct score_link_info *prev);

#endif
