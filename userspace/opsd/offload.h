/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rup-opsd work off the event loop: hashing and fsync of uploads run in a
 * thread of their own so that no request waits on the disk behind them.
 * The thread touches only its job; the loop learns it finished through an
 * eventfd and then runs the job's completion (replies, database).
 */
#ifndef RUP_OPSD_OFFLOAD_H
#define RUP_OPSD_OFFLOAD_H

struct opsd;

typedef void offload_fn(void *arg);

/*
 * Run @work(@arg) in a new thread, then @done(@arg) on the loop. 0, or -1
 * (nothing ran) when no thread or eventfd could be made.
 */
int offload(struct opsd *o, offload_fn *work, offload_fn *done, void *arg);

#endif
