/* SPDX-License-Identifier: GPL-2.0 */
/* Peer and offer rendering shared by `peers`, `self show` and `monitor`. */
#ifndef RUPCTL_PEERFMT_H
#define RUPCTL_PEERFMT_H

#include <stdio.h>
#include <jansson.h>

#include "nl.h"

json_t *offer_json(const struct rupnl_offer *o);
/* " offer VERSION sha256 HEX size N port N path P" */
void offer_text(FILE *f, const struct rupnl_offer *o);
/* Every field present in p->mask, keys as in rupctl(8). */
json_t *peer_json(const struct rupnl_peer *p);
/* "region N node HEX addr A version V ..." without a newline. */
void peer_text(FILE *f, const struct rupnl_peer *p);
void node_id_hex(const uint8_t *id, char out[2 * RUP_NODE_ID_LEN + 1]);

#endif
