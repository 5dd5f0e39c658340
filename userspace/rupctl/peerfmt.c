// SPDX-License-Identifier: GPL-2.0
/* Renders peers and offers as text or JSON (one schema for every command). */
#include <arpa/inet.h>

#include "names.h"
#include "parse.h"
#include "peerfmt.h"

void node_id_hex(const uint8_t *id, char out[2 * RUP_NODE_ID_LEN + 1])
{
	hex_encode(id, RUP_NODE_ID_LEN, out);
}

json_t *offer_json(const struct rupnl_offer *o)
{
	char sha[2 * RUP_SHA256_LEN + 1];

	hex_encode(o->sha256, RUP_SHA256_LEN, sha);
	return json_pack("{s:s, s:s, s:I, s:i, s:s}", "version", o->version,
			 "sha256", sha, "size", (json_int_t)o->size, "port",
			 (int)o->port, "path", o->path);
}

void offer_text(FILE *f, const struct rupnl_offer *o)
{
	char sha[2 * RUP_SHA256_LEN + 1];

	hex_encode(o->sha256, RUP_SHA256_LEN, sha);
	fprintf(f, " offer %s sha256 %s size %llu port %u path %s", o->version,
		sha, (unsigned long long)o->size, o->port, o->path);
}

#define HAS(p, a) ((p)->mask & RUPNL_BIT(a))

json_t *peer_json(const struct rupnl_peer *p)
{
	char id[2 * RUP_NODE_ID_LEN + 1], addr[INET_ADDRSTRLEN];
	json_t *j = json_object();

	node_id_hex(p->node_id, id);
	json_object_set_new(j, "region", json_integer(p->region));
	json_object_set_new(j, "node", json_string(id));
	if (HAS(p, RUP_A_PEER_ADDR4)) {
		inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
		json_object_set_new(j, "addr", json_string(addr));
	}
	if (HAS(p, RUP_A_VERSION))
		json_object_set_new(j, "version", json_string(p->version));
	if (HAS(p, RUP_A_SCORE))
		json_object_set_new(j, "score", json_integer(p->score));
	if (HAS(p, RUP_A_ROLE))
		json_object_set_new(j, "role", rup_role_json(p->role));
	if (HAS(p, RUP_A_TERM))
		json_object_set_new(j, "term",
				    json_integer((json_int_t)p->term));
	if (HAS(p, RUP_A_VERSION))
		json_object_set_new(j, "offer",
				    HAS(p, RUP_A_OFFER) ?
					    offer_json(&p->offer) :
					    json_null());
	if (HAS(p, RUP_A_PEER_SEQ))
		json_object_set_new(j, "seq", json_integer((json_int_t)p->seq));
	if (HAS(p, RUP_A_PEER_LAST_SEEN_MS))
		json_object_set_new(j, "last_seen_ms",
				    json_integer(p->last_seen_ms));
	if (HAS(p, RUP_A_PEER_RX))
		json_object_set_new(j, "rx", json_integer((json_int_t)p->rx));
	if (HAS(p, RUP_A_CHANGED))
		json_object_set_new(j, "changed", rup_changed_json(p->changed));
	return j;
}

void peer_text(FILE *f, const struct rupnl_peer *p)
{
	char id[2 * RUP_NODE_ID_LEN + 1], addr[INET_ADDRSTRLEN], buf[128];

	node_id_hex(p->node_id, id);
	fprintf(f, "region %u node %s", p->region, id);
	if (HAS(p, RUP_A_PEER_ADDR4)) {
		inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
		fprintf(f, " addr %s", addr);
	}
	if (HAS(p, RUP_A_VERSION))
		fprintf(f, " version %s", p->version);
	if (HAS(p, RUP_A_SCORE))
		fprintf(f, " score %u", p->score);
	if (HAS(p, RUP_A_ROLE)) {
		rup_role_format(p->role, buf, sizeof(buf));
		fprintf(f, " role %s", buf);
	}
	if (HAS(p, RUP_A_TERM))
		fprintf(f, " term %llu", (unsigned long long)p->term);
	if (HAS(p, RUP_A_PEER_LAST_SEEN_MS))
		fprintf(f, " seen %ums", p->last_seen_ms);
	if (HAS(p, RUP_A_PEER_RX))
		fprintf(f, " rx %llu", (unsigned long long)p->rx);
	if (HAS(p, RUP_A_OFFER))
		offer_text(f, &p->offer);
	/* Last, so "changed version" cannot be misread as a field. */
	if (HAS(p, RUP_A_CHANGED)) {
		rup_changed_format(p->changed, buf, sizeof(buf));
		fprintf(f, " changed %s", buf);
	}
}
