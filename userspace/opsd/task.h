/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd tasks: one per region per rollout; states and the JSON handed to an RVS. */
#ifndef RUP_OPSD_TASK_H
#define RUP_OPSD_TASK_H

#include <jansson.h>
#include <stdint.h>

struct store_task;

/*
 * Task states. waiting: its wave has not started. open: handed to the
 * region's RVS (at the highest term) on request. downloading, distributing,
 * package_abnormal: progress reports, still open. up_to_date, complete,
 * partial, failed: final. cancelled: its rollout halted before its wave.
 * The states a report may carry and the final ones are api.h's
 * api_report_state_ok() and api_report_state_final().
 */

/*
 * May a report of @state follow the task's @cur state? *late: a partial
 * task's later partial or complete report (recorded, ends nothing).
 */
int task_report_accepted(const char *cur, const char *state, int *late);
/*
 * The state recorded for a report of @state on a task in @cur: an RVS that
 * finds nobody needing a release its region was already being served
 * (a new RVS after a failover mid-distribution) reports up_to_date, but the
 * region did need it and has converged: the task is complete.
 */
const char *task_report_recorded(const char *cur, const char *state);
/* The task as handed to the RVS (release, URLs under @base, manifest, node list). */
json_t *task_json(const struct store_task *t, const char *base);

#endif
