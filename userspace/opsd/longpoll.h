/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd task long-polls held for RVSs. */
#ifndef RUP_OPSD_LONGPOLL_H
#define RUP_OPSD_LONGPOLL_H

#include <stdint.h>

struct opsd;

/* Re-check every held poll: answer those whose region has an open task now. */
void longpoll_wake(struct opsd *o);
/* The term of @region rose to @term: answer its held lower-term polls 409. */
void longpoll_fence(struct opsd *o, uint32_t region, uint64_t term);
/* @node was removed: answer its held polls 404. */
void longpoll_forget_node(struct opsd *o, const char *node);
/* Shutdown: answer every held poll 503. */
void longpoll_shutdown(struct opsd *o);

#endif
