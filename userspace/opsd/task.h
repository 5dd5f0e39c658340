/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd tasks: one per region per rollout; states and the JSON handed to an RVS. */
#ifndef RUP_OPSD_TASK_H
#define RUP_OPSD_TASK_H

#include <jansson.h>
#include <stdint.h>

struct opsd;

/*
 * Task states. waiting: its wave has not started. open: handed to the
 * region's RVS (at the highest term) on request. downloading, distributing,
 * package_abnormal: progress reports, still open. up_to_date, complete,
 * partial, failed: final. cancelled: its rollout halted before its wave.
 */
int task_state_is_report(const char *s); /* a state a report may carry */
int task_state_is_final(const char *s);

/* The open task of @region with the lowest id, 0 when none; -1 on error. */
int64_t task_open_for_region(struct opsd *o, uint32_t region);
/* The task as handed to the RVS (release, URLs, manifest, node list). */
json_t *task_json(struct opsd *o, int64_t task);

#endif
