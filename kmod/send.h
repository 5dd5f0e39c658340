/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending beacons: the region's periodic send work and its triggers.
 */
#ifndef _RUP_SEND_H
#define _RUP_SEND_H

struct rup_region;
struct work_struct;

void rup_send_work(struct work_struct *work);
void rup_send_start(struct rup_region *r);
void rup_send_trigger(struct rup_region *r);

#endif /* _RUP_SEND_H */
