// SPDX-License-Identifier: GPL-2.0
/* Name tables for the uapi's bit sets, counters and events. */
#include <stdio.h>
#include <string.h>
#include <linux/rup.h>

#include "names.h"

static const char *const role_names[] = {
	"member", "candidate", "rvs", "abnormal", "hook-failed",
};

static const char *const changed_names[] = {
	"version", "score", "role", "term", "offer", "addr",
};

static const char *const stat_names[RUP_STAT_MAX + 1] = {
	[RUP_STAT_TX] = "tx",
	[RUP_STAT_TX_ERR] = "tx_err",
	[RUP_STAT_RX] = "rx",
	[RUP_STAT_DROP_SHORT] = "drop_short",
	[RUP_STAT_DROP_TOO_BIG] = "drop_too_big",
	[RUP_STAT_DROP_BAD_MAGIC] = "drop_bad_magic",
	[RUP_STAT_DROP_MALFORMED] = "drop_malformed",
	[RUP_STAT_DROP_WRONG_REGION] = "drop_wrong_region",
	[RUP_STAT_DROP_BAD_MAC] = "drop_bad_mac",
	[RUP_STAT_DROP_REPLAY] = "drop_replay",
	[RUP_STAT_DROP_STALE] = "drop_stale",
	[RUP_STAT_DROP_TABLE_FULL] = "drop_table_full",
	[RUP_STAT_DROP_OWN] = "drop_own",
	[RUP_STAT_EXPIRED] = "expired",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(ARRAY_SIZE(role_names) == 5 && __RUP_ROLE_ALL == 0x1f,
	       "role_names out of date with enum rup_role");
_Static_assert(ARRAY_SIZE(changed_names) == 6 && __RUP_CHANGED_ALL == 0x3f,
	       "changed_names out of date with enum rup_changed");

const char *rup_stat_name(unsigned int stat)
{
	return stat <= RUP_STAT_MAX ? stat_names[stat] : NULL;
}

const char *rup_event_name(unsigned int cmd)
{
	switch (cmd) {
	case RUP_CMD_PEER_NEW:
		return "peer-new";
	case RUP_CMD_PEER_CHANGED:
		return "peer-changed";
	case RUP_CMD_PEER_GONE:
		return "peer-gone";
	case RUP_CMD_RVS_LOST:
		return "rvs-lost";
	case RUP_CMD_REGION_GONE:
		return "region-gone";
	}
	return NULL;
}

int rup_role_parse(const char *s, uint32_t *out)
{
	uint32_t bits = 0;
	size_t i, n;

	if (!strcmp(s, "none")) {
		*out = 0;
		return 0;
	}
	while (*s) {
		n = strcspn(s, ",");
		for (i = 0; i < ARRAY_SIZE(role_names); i++)
			if (strlen(role_names[i]) == n &&
			    !strncmp(s, role_names[i], n))
				break;
		if (i == ARRAY_SIZE(role_names))
			return -1;
		bits |= 1U << i;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -1; /* trailing comma */
	}
	if (!bits)
		return -1;
	*out = bits;
	return 0;
}

static void bits_format(uint32_t bits, const char *const *names, size_t count,
			const char *none, char *buf, size_t len)
{
	size_t used = 0, i;
	uint32_t unknown = bits;

	buf[0] = '\0';
	for (i = 0; i < count; i++) {
		if (!(bits & (1U << i)))
			continue;
		unknown &= ~(1U << i);
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "," : "", names[i]);
	}
	if (unknown)
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s0x%x", used ? "," : "", unknown);
	if (!used)
		snprintf(buf, len, "%s", none);
}

void rup_role_format(uint32_t role, char *buf, size_t len)
{
	bits_format(role, role_names, ARRAY_SIZE(role_names), "none", buf, len);
}

void rup_changed_format(uint32_t changed, char *buf, size_t len)
{
	bits_format(changed, changed_names, ARRAY_SIZE(changed_names), "none",
		    buf, len);
}

static json_t *bits_json(uint32_t bits, const char *const *names, size_t count)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < 32; i++) {
		char other[16];

		if (!(bits & (1U << i)))
			continue;
		if (i < count) {
			json_array_append_new(a, json_string(names[i]));
		} else {
			snprintf(other, sizeof(other), "0x%x", 1U << i);
			json_array_append_new(a, json_string(other));
		}
	}
	return a;
}

json_t *rup_role_json(uint32_t role)
{
	return bits_json(role, role_names, ARRAY_SIZE(role_names));
}

json_t *rup_changed_json(uint32_t changed)
{
	return bits_json(changed, changed_names, ARRAY_SIZE(changed_names));
}

const char *rup_attr_name(unsigned int attr)
{
	/* The rupctl keyword that sets each attribute, for error messages. */
	static const char *const names[RUP_A_MAX + 1] = {
		[RUP_A_REGION_ID] = "region id",
		[RUP_A_REGION_GROUP4] = "group",
		[RUP_A_REGION_PORT] = "port",
		[RUP_A_REGION_IFINDEX] = "dev",
		[RUP_A_REGION_KEY] = "key",
		[RUP_A_REGION_NEXT_KEY] = "next-key",
		[RUP_A_REGION_NEXT_KEY_CLEAR] = "next-key-clear",
		[RUP_A_REGION_INTERVAL_MS] = "interval",
		[RUP_A_REGION_DEAD_MS] = "dead-interval",
		[RUP_A_REGION_WINDOW_MS] = "clock-window",
		[RUP_A_NODE_ID] = "node-id",
		[RUP_A_VERSION] = "version",
		[RUP_A_SCORE] = "score",
		[RUP_A_ROLE] = "role",
		[RUP_A_TERM] = "term",
		[RUP_A_OFFER] = "offer",
		[RUP_A_BIND] = "bind",
		[RUP_A_LEASE_MS] = "lease_ms",
	};

	return attr <= RUP_A_MAX ? names[attr] : NULL;
}
