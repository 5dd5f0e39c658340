/* SPDX-License-Identifier: GPL-2.0 */
/* Names of rup's role bits, change bits, counters and events. */
#ifndef RUPCTL_NAMES_H
#define RUPCTL_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* "tx", "drop_bad_mac", ...; NULL for unknown counters. */
const char *rup_stat_name(unsigned int stat);
/* "peer-new", "peer-changed", "peer-gone", "rvs-lost"; NULL otherwise. */
const char *rup_event_name(unsigned int cmd);
/* "member,rvs" or "none" -> bits; -1 on an unknown name. */
int rup_role_parse(const char *s, uint32_t *out);
/* Bits -> "member,rvs" ("none" for 0, unknown bits as 0x..). */
void rup_role_format(uint32_t role, char *buf, size_t len);
void rup_changed_format(uint32_t changed, char *buf, size_t len);
/* Bits -> JSON array of names. */
json_t *rup_role_json(uint32_t role);
json_t *rup_changed_json(uint32_t changed);
/* The rupctl keyword for a request attribute (error messages); may be NULL. */
const char *rup_attr_name(unsigned int attr);
/* Help text listing the role names. */
#define RUP_ROLE_NAMES "member, candidate, rvs, abnormal, hook-failed, none"

#endif
