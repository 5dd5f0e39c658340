/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd regions: live use of the assign module, region rows and keys, terms. */
#ifndef RUP_OPSD_REGION_H
#define RUP_OPSD_REGION_H

#include <stddef.h>
#include <stdint.h>

struct opsd;

/* Parse the configured multicast pool (before the database is touched). */
int region_check_pool(struct opsd *o, char *err, size_t errlen);
/* Load the assignment from the database, or start one from T and M. */
int region_init(struct opsd *o, char *err, size_t errlen);
/*
 * Inside a transaction: place a new node (assign_add), make any new
 * region's row (group, fresh 32-byte key) and persist the assignment.
 * After a rollback call region_reload() so memory matches the database.
 */
int region_assign(struct opsd *o, uint32_t score, uint32_t *region, char *err,
		  size_t errlen);
int region_remove(struct opsd *o, uint32_t region);
int region_reload(struct opsd *o);

/*
 * Fencing (SPEC §8): @node claims RVS of @region at @term. Lower than the
 * region's term, or equal to it while another node holds it: -1 with a
 * message. Higher: the region's term and RVS move to the claim. Inside a
 * transaction. *raised is set when the term moved up.
 */
int region_claim(struct opsd *o, uint32_t region, const char *node,
		 uint64_t term, int *raised, char *err, size_t errlen);

#endif
