/* SPDX-License-Identifier: GPL-2.0 */
/* rupctl agent configuration (inih file, see contrib/rupctl.conf and docs/AGENT.md). */
#ifndef RUP_AGENT_CONFIG_H
#define RUP_AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/rup.h>

#include "pkgsrv.h"

#define AGENT_DEFAULT_CONFIG "/etc/rup/rupctl.conf"
#define AGENT_PATH_MAX 512
#define AGENT_TOKEN_MAX 256

struct agent_config {
	/* [server] */
	char url[AGENT_PATH_MAX]; /* https://host:port of rup-opsd */
	char ca[AGENT_PATH_MAX]; /* CA bundle that signed its cert */
	char token[AGENT_TOKEN_MAX]; /* fleet enrollment token */
	uint32_t timeout_s; /* per API request */
	/* [node] */
	uint8_t node_id[RUP_NODE_ID_LEN];
	char node_hex[2 * RUP_NODE_ID_LEN + 1];
	char ifname[IF_NAMESIZE]; /* "" = let the route decide */
	char version[64]; /* version when nothing was ever installed */
	bool fixed_score;
	uint32_t score;
	char log_level[16];
	/* [score] weights (0..1000 each) of the composite score */
	uint32_t w_cpu, w_mem, w_disk, w_link, w_load, w_rtt;
	/* [paths] */
	char state_dir[AGENT_PATH_MAX];
	char store_dir[AGENT_PATH_MAX];
	char keys[AGENT_PATH_MAX];
	/* [store] */
	uint32_t store_keep; /* releases kept in the store; 0 = all */
	/* [install] */
	char hook[AGENT_PATH_MAX];
	uint32_t hook_timeout_s;
	/* [election] */
	uint32_t period_s; /* periodic re-election */
	uint32_t hysteresis_pct;
	/* [upgrade] */
	uint32_t fallback_wait_s; /* no RVS this long: fetch from the server */
	uint32_t fallback_jitter_s; /* plus a random delay up to this */
	uint32_t deadline_s; /* RVS: distributing longer = partial */
	uint32_t report_ms; /* RVS: progress report period */
	uint32_t retry_max_s; /* backoff cap */
	/* [http] package service when RVS */
	uint16_t http_port;
	struct pkgsrv_limits http; /* the package service's [http] limits */
};

void agent_config_defaults(struct agent_config *c);
/* Load @path (inih); 0 or -1 with a message in @err naming file, line and key. */
int agent_config_load(struct agent_config *c, const char *path, char *err,
		      size_t errlen);
/* Fill what is derived (node id from /etc/machine-id) and check required keys. */
int agent_config_finish(struct agent_config *c, char *err, size_t errlen);
/* Node id from a machine id text (32 hex digits): SHA-256("rup-node-id:" id)[0..15]. */
int agent_node_id_from_machine(const char *machine_id,
			       uint8_t out[RUP_NODE_ID_LEN]);

#endif
