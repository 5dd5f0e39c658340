/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watch one interface's carrier with libnl-route's cache manager, so the
 * agent sees a link going down at once (and an RVS steps down at once)
 * instead of at the next score sample.
 */
#ifndef RUPCTL_SCORE_LINKWATCH_H
#define RUPCTL_SCORE_LINKWATCH_H

#include <stdbool.h>

struct score_linkwatch;

/* Called from score_linkwatch_process() when the watched link changes. */
typedef void (*score_link_cb)(void *arg, const char *ifname, bool up);

/* 0 or -errno; the interface need not exist yet. */
int score_linkwatch_open(struct score_linkwatch **lw, const char *ifname,
			 score_link_cb cb, void *arg);
void score_linkwatch_close(struct score_linkwatch *lw);
/* The fd to poll for input; then call score_linkwatch_process(). */
int score_linkwatch_fd(const struct score_linkwatch *lw);
int score_linkwatch_process(struct score_linkwatch *lw);
/* Current state from the cache: 0 and *up, or -ENODEV. */
int score_linkwatch_get(struct score_linkwatch *lw, bool *up);

#endif
