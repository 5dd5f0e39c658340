/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd regions: live use of the assign module, saved through the store. */
#ifndef RUP_OPSD_REGION_H
#define RUP_OPSD_REGION_H

#include <stddef.h>
#include <stdint.h>

struct opsd;
struct store_assign_hook;
struct store_claim;

/* Parse the configured multicast pool (before the database is touched). */
int region_check_pool(struct opsd *o, char *err, size_t errlen);
/* Load the assignment from the store, or start one from T and M. */
int region_init(struct opsd *o, char *err, size_t errlen);
/*
 * What register and remove change in the assignment, inside the store's
 * transaction; after such an operation failed call region_reload() so
 * memory matches the store.
 */
const struct store_assign_hook *region_hook(struct opsd *o);
int region_reload(struct opsd *o);

/* The message of a claim the store fenced (docs/API.md: terms). */
void region_fenced(char *err, size_t errlen, const struct store_claim *c);

#endif
