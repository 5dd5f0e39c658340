/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd configuration: inih file plus command-line overrides. */
#ifndef RUP_OPSD_CONFIG_H
#define RUP_OPSD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define OPSD_DEFAULT_CONFIG "/etc/rup/rup-opsd.conf"
#define OPSD_TOKEN_MAX 256
#define OPSD_PATH_MAX 512

struct opsd_config {
	/* [fleet] */
	uint32_t nodes; /* T, planned nodes */
	uint32_t max_per_region; /* M */
	char pool[64]; /* multicast pool, CIDR */
	uint32_t port; /* beacon UDP port */
	uint32_t interval_ms;
	uint32_t dead_ms;
	uint32_t window_ms;
	/* [server] */
	char listen[64];
	uint32_t listen_port;
	char cert[OPSD_PATH_MAX];
	char key[OPSD_PATH_MAX];
	char public_url[OPSD_PATH_MAX];
	uint32_t max_connections;
	uint32_t reserved_connections; /* kept for authenticated clients */
	uint32_t max_per_peer; /* unauthenticated connections per address */
	uint32_t auth_deadline_s; /* accept to first authenticated request */
	uint32_t max_longpolls;
	uint32_t longpolls_per_region;
	uint32_t longpoll_timeout_s;
	uint32_t timeout_s;
	uint32_t max_body;
	uint64_t max_payload;
	uint32_t max_chunk; /* largest upload request body */
	uint32_t download_budget;
	uint32_t downloads_per_region;
	uint32_t download_rvs_reserve; /* slots only RVSs may take */
	uint32_t download_timeout_s; /* total time of one transfer */
	/* [auth] */
	char enroll_token[OPSD_TOKEN_MAX];
	char admin_token[OPSD_TOKEN_MAX];
	/* [store] */
	char database[OPSD_PATH_MAX];
	char packages[OPSD_PATH_MAX];
	char release_keys[OPSD_PATH_MAX];
	int sync_full; /* store.sync: full (default) or normal */
};

void config_defaults(struct opsd_config *c);
/* Load an ini file; a missing file is an error only if @must_exist. */
int config_load(struct opsd_config *c, const char *path, int must_exist,
		char *err, size_t errlen);
/* Set one "section.key" (used by ini and by --section-key command-line overrides). */
int config_set(struct opsd_config *c, const char *section, const char *name,
	       const char *value, char *err, size_t errlen);
/* After loading: fill derived defaults and check required settings. */
int config_finish(struct opsd_config *c, char *err, size_t errlen);
/* The settings table for --help and getopt. */
enum config_kind {
	CONFIG_U32,
	CONFIG_U64,
	CONFIG_STR,
	CONFIG_SECRET, /* a string, never from the command line (ps shows it) */
	CONFIG_TOKEN_FILE, /* the file's first line into a string field */
	CONFIG_SYNC, /* full or normal */
};

/* One setting: its names, help, where it goes, its range and default. */
struct config_opt {
	const char *opt; /* command-line name */
	const char *section;
	const char *name;
	const char *help;
	enum config_kind kind;
	size_t off, len; /* field in struct opsd_config */
	uint64_t min, max; /* numbers */
	const char *def; /* default, as a config value; NULL none */
};
extern const struct config_opt config_opts[];

#endif
