// SPDX-License-Identifier: GPL-2.0
/* Who in the region needs a release, and the per-node report (pure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hexb64.h"
#include "need.h"

const char *need_state_name(enum need_state s)
{
	/* The ops server's per-node report states (docs/API.md). */
	static const char *const n[] = { "upgraded",	"pending",
					 "failed",	"not_applicable",
					 "unreachable", "pending" };

	return s <= NEED_BAD_VERSION ? n[s] : "?";
}

enum need_state need_classify(const struct range *r, const struct semver *rel,
			      const char *version, uint32_t role)
{
	struct semver v;

	if (semver_parse(version, &v, NULL, 0))
		return NEED_BAD_VERSION;
	if (semver_cmp(&v, rel) >= 0)
		return NEED_CURRENT;
	if (!release_applies(r, &v, rel))
		return NEED_NOT_APPLICABLE;
	return role & RUP_ROLE_HOOK_FAILED ? NEED_HOOK_FAILED : NEED_PENDING;
}

size_t need_count(const struct range *r, const struct semver *rel,
		  const struct need_view *v)
{
	size_t n = 0;
	enum need_state s = need_classify(r, rel, v->self_version, 0);

	if (s == NEED_PENDING)
		n++;
	for (size_t i = 0; i < v->n; i++) {
		s = need_classify(r, rel, v->peers[i].version,
				  v->peers[i].role);
		if (s == NEED_PENDING || s == NEED_HOOK_FAILED)
			n++;
	}
	return n;
}

/* Count one node; list it when @out (only nodes the server knows may be listed). */
static void add(struct api_report_node *out, struct need_summary *sum,
		const char *id, const char *ver, enum need_state s, bool self)
{
	if (out) {
		memset(out, 0, sizeof(*out));
		snprintf(out->node_id, sizeof(out->node_id), "%s", id);
		snprintf(out->version, sizeof(out->version), "%s",
			 ver ? ver : "");
		snprintf(out->state, sizeof(out->state), "%s",
			 need_state_name(s));
	}
	sum->total++;
	switch (s) {
	case NEED_CURRENT:
		sum->current++;
		break;
	case NEED_PENDING:
	case NEED_BAD_VERSION:
		sum->pending++;
		if (!self)
			sum->converged = sum->settled = false;
		break;
	case NEED_HOOK_FAILED:
		sum->hook_failed++;
		sum->converged = false;
		break;
	case NEED_NOT_APPLICABLE:
		sum->not_applicable++;
		break;
	case NEED_UNREACHABLE:
		sum->unreachable++;
		sum->converged = sum->settled = false;
		break;
	}
}

static void peer_hex(const struct rupnl_peer *p, char *hex, size_t len)
{
	if (hex_to_text(p->node_id, RUP_NODE_ID_LEN, hex, len))
		hex[0] = '\0';
}

size_t need_report(const struct range *r, const struct semver *rel,
		   const struct need_view *v, const api_node_id *registered,
		   size_t n_registered, struct api_report_node *out,
		   struct need_summary *sum)
{
	char hex[HEX_LEN(RUP_NODE_ID_LEN) + 1];
	bool *seen = v->n ? calloc(v->n, sizeof(bool)) : NULL;
	bool self_seen = false;
	size_t i, j, listed = 0;

	memset(sum, 0, sizeof(*sum));
	sum->converged = sum->settled = true;
	for (i = 0; i < n_registered; i++) {
		const char *id = registered[i];
		struct api_report_node *arr = out ? &out[listed++] : NULL;
		bool found = false;

		if (!strcasecmp(id, v->self_hex)) {
			add(arr, sum, v->self_hex, v->self_version,
			    need_classify(r, rel, v->self_version, 0), true);
			self_seen = true;
			continue;
		}
		for (j = 0; j < v->n; j++) {
			peer_hex(&v->peers[j], hex, sizeof(hex));
			if (strcasecmp(id, hex))
				continue;
			add(arr, sum, hex, v->peers[j].version,
			    need_classify(r, rel, v->peers[j].version,
					  v->peers[j].role),
			    false);
			if (seen)
				seen[j] = true;
			found = true;
			break;
		}
		if (!found)
			add(arr, sum, id, NULL, NEED_UNREACHABLE, false);
	}
	if (!self_seen)
		add(NULL, sum, v->self_hex, v->self_version,
		    need_classify(r, rel, v->self_version, 0), true);
	for (j = 0; j < v->n; j++) {
		if (seen && seen[j])
			continue;
		peer_hex(&v->peers[j], hex, sizeof(hex));
		add(NULL, sum, hex, v->peers[j].version,
		    need_classify(r, rel, v->peers[j].version,
				  v->peers[j].role),
		    false);
	}
	free(seen);
	return out ? listed : 0;
}
