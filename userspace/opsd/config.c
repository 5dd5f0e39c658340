// SPDX-License-Identifier: GPL-2.0
/* rup-opsd configuration: one table maps ini keys and command-line options. */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fleet.h"
#include "parse.h"

#define FIELD(f) \
	offsetof(struct opsd_config, f), sizeof(((struct opsd_config *)0)->f)
#define NUM(o, s, n, f, lo, hi, def, help)                          \
	{                                                           \
		o, s, n, help,                                      \
			sizeof(((struct opsd_config *)0)->f) == 8 ? \
				CONFIG_U64 :                        \
				CONFIG_U32,                         \
			FIELD(f), lo, hi, def                       \
	}
#define STR(o, s, n, f, def, help)                             \
	{                                                      \
		o, s, n, help, CONFIG_STR, FIELD(f), 0, 0, def \
	}
#define FILE_OF(o, s, n, f, help)                                      \
	{                                                              \
		o, s, n, help, CONFIG_TOKEN_FILE, FIELD(f), 0, 0, NULL \
	}

const struct config_opt config_opts[] = {
	NUM("nodes", "fleet", "nodes", nodes, 1, 100000000, "1000",
	    "planned number of nodes T"),
	NUM("max-per-region", "fleet", "max_per_region", max_per_region, 1,
	    1000000, "50", "most nodes per region M"),
	STR("pool", "fleet", "pool", pool, "239.192.0.0/16",
	    "multicast pool CIDR (239.192.0.0/16)"),
	/* Fleet defaults and bounds are fleet.h's (config_defaults sets them). */
	NUM("port", "fleet", "port", port, FLEET_PORT_MIN, FLEET_PORT_MAX, NULL,
	    "beacon UDP port (7946)"),
	NUM("interval-ms", "fleet", "interval_ms", interval_ms,
	    FLEET_INTERVAL_MIN_MS, FLEET_INTERVAL_MAX_MS, NULL,
	    "beacon interval handed to nodes (1000)"),
	NUM("dead-ms", "fleet", "dead_ms", dead_ms, 3 * FLEET_INTERVAL_MIN_MS,
	    FLEET_DEAD_MAX_MS, NULL, "dead interval handed to nodes (3500)"),
	NUM("window-ms", "fleet", "window_ms", window_ms, FLEET_WINDOW_MIN_MS,
	    FLEET_WINDOW_MAX_MS, NULL,
	    "beacon clock window handed to nodes (60000)"),
	STR("listen", "server", "listen", listen, "127.0.0.1",
	    "listen address (127.0.0.1)"),
	NUM("listen-port", "server", "port", listen_port, FLEET_PORT_MIN,
	    FLEET_PORT_MAX, NULL, "HTTPS port (8443)"),
	STR("cert", "server", "cert", cert, NULL,
	    "TLS certificate chain (PEM)"),
	STR("key", "server", "key", key, NULL, "TLS private key (PEM)"),
	STR("public-url", "server", "public_url", public_url, NULL,
	    "base URL nodes use for downloads"),
	NUM("max-connections", "server", "max_connections", max_connections, 4,
	    1000000, "1024", "cap on open connections (1024)"),
	NUM("reserved-connections", "server", "reserved_connections",
	    reserved_connections, 0, 1000000, "128",
	    "connections kept for authenticated clients (128, at most half of max_connections)"),
	NUM("max-per-peer", "server", "max_per_peer", max_per_peer, 1, 1000000,
	    "32", "unauthenticated connections per client address (32)"),
	NUM("auth-deadline", "server", "auth_deadline", auth_deadline_s, 1,
	    3600, "10",
	    "seconds from accept to a request that passes a token check (10)"),
	NUM("max-longpolls", "server", "max_longpolls", max_longpolls, 1,
	    1000000, "512", "cap on held task long-polls (512)"),
	NUM("longpolls-per-region", "server", "longpolls_per_region",
	    longpolls_per_region, 1, 1000000, "2",
	    "held task long-polls per region (2; one per node)"),
	NUM("longpoll-timeout", "server", "longpoll_timeout",
	    longpoll_timeout_s, 1, 3600, "30",
	    "seconds a task long-poll is held (30)"),
	NUM("timeout", "server", "timeout", timeout_s, 1, 3600, "15",
	    "read/write timeout in seconds (15)"),
	NUM("max-body", "server", "max_body", max_body, 256, 64 << 20, "65536",
	    "largest JSON request body in bytes (65536)"),
	NUM("max-payload", "server", "max_payload", max_payload, 1, 1ULL << 40,
	    "268435456", "largest release payload in bytes (268435456)"),
	NUM("max-chunk", "server", "max_chunk", max_chunk, 4096, 1u << 30,
	    "16777216",
	    "largest payload upload request in bytes (16777216); bigger payloads go in chunks"),
	NUM("download-budget", "server", "download_budget", download_budget, 1,
	    100000, "8", "concurrent package downloads (8)"),
	NUM("downloads-per-region", "server", "downloads_per_region",
	    downloads_per_region, 1, 100000, "2",
	    "concurrent package downloads of one region (2)"),
	NUM("download-rvs-reserve", "server", "download_rvs_reserve",
	    download_rvs_reserve, 0, 100000, "2",
	    "downloads kept for regions' RVSs (2, less than download_budget)"),
	NUM("download-timeout", "server", "download_timeout",
	    download_timeout_s, 10, 86400, "1800",
	    "seconds one package download may take (1800)"),
	{ "enrollment-token", "auth", "enrollment_token",
	  "fleet enrollment token (config file only)", CONFIG_SECRET,
	  FIELD(enroll_token), 0, 0, NULL },
	FILE_OF("enrollment-token-file", "auth", "enrollment_token_file",
		enroll_token, "file holding it"),
	{ "admin-token", "auth", "admin_token",
	  "admin token (config file only)", CONFIG_SECRET, FIELD(admin_token),
	  0, 0, NULL },
	FILE_OF("admin-token-file", "auth", "admin_token_file", admin_token,
		"file holding it"),
	STR("database", "store", "database", database,
	    "/var/lib/rup-opsd/rup.db",
	    "SQLite database (/var/lib/rup-opsd/rup.db)"),
	STR("packages", "store", "packages", packages,
	    "/var/lib/rup-opsd/packages",
	    "package folder (/var/lib/rup-opsd/packages)"),
	STR("release-keys", "store", "release_keys", release_keys,
	    "/etc/rup/keys",
	    "trusted release public keys: folder of *.pub or one PEM file (/etc/rup/keys)"),
	{ "sync", "store", "sync",
	  "full: fsync every commit (default); normal: survives a crash of rup-opsd, not of the OS",
	  CONFIG_SYNC, FIELD(sync_full), 0, 0, "full" },
	{ NULL, NULL, NULL, NULL, CONFIG_U32, 0, 0, 0, 0, NULL },
};

void config_defaults(struct opsd_config *c)
{
	const struct config_opt *k;
	char err[64];

	memset(c, 0, sizeof(*c));
	for (k = config_opts; k->opt; k++)
		if (k->def)
			config_set(c, k->section, k->name, k->def, err,
				   sizeof(err));
	c->port = FLEET_PORT_DEFAULT;
	c->interval_ms = FLEET_INTERVAL_DEFAULT_MS;
	c->dead_ms = FLEET_DEAD_DEFAULT_MS;
	c->window_ms = FLEET_WINDOW_DEFAULT_MS;
	c->listen_port = FLEET_HTTPS_PORT_DEFAULT;
}

/* Read a token from a file: first line, trailing newline stripped. */
static int read_token_file(char *dst, size_t len, const char *path, char *err,
			   size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!fgets(dst, (int)len, f)) {
		fclose(f);
		snprintf(err, errlen, "%s: empty token file", path);
		return -1;
	}
	fclose(f);
	n = strcspn(dst, "\r\n");
	dst[n] = 0;
	if (!n) {
		snprintf(err, errlen, "%s: empty token", path);
		return -1;
	}
	return 0;
}

static int set_num(struct opsd_config *c, const struct config_opt *k,
		   const char *value, char *err, size_t errlen)
{
	uint64_t v;

	if (parse_dec_u64(value, k->min, k->max, &v)) {
		snprintf(err, errlen,
			 "%s.%s: '%s' is not a number in [%llu, %llu]",
			 k->section, k->name, value, (unsigned long long)k->min,
			 (unsigned long long)k->max);
		return -1;
	}
	if (k->kind == CONFIG_U64)
		*(uint64_t *)((char *)c + k->off) = v;
	else
		*(uint32_t *)((char *)c + k->off) = (uint32_t)v;
	return 0;
}

static int set_one(struct opsd_config *c, const struct config_opt *k,
		   const char *value, char *err, size_t errlen)
{
	char *field = (char *)c + k->off;

	switch (k->kind) {
	case CONFIG_U32:
	case CONFIG_U64:
		return set_num(c, k, value, err, errlen);
	case CONFIG_STR:
	case CONFIG_SECRET:
		if (!str_copy(field, k->len, value))
			return 0;
		snprintf(err, errlen, "%s.%s: value longer than %zu bytes",
			 k->section, k->name, k->len - 1);
		return -1;
	case CONFIG_TOKEN_FILE:
		return read_token_file(field, k->len, value, err, errlen);
	case CONFIG_SYNC:
		if (strcmp(value, "full") && strcmp(value, "normal")) {
			snprintf(err, errlen,
				 "store.sync: '%s' is not full or normal",
				 value);
			return -1;
		}
		c->sync_full = !strcmp(value, "full");
		return 0;
	}
	return -1;
}

int config_set(struct opsd_config *c, const char *section, const char *name,
	       const char *value, char *err, size_t errlen)
{
	const struct config_opt *k;

	for (k = config_opts; k->opt; k++)
		if (!strcmp(k->section, section) && !strcmp(k->name, name))
			return set_one(c, k, value, err, errlen);
	snprintf(err, errlen, "unknown setting %s.%s", section, name);
	return -1;
}

struct ini_ctx {
	struct opsd_config *c;
	char *err;
	size_t errlen;
	int failed;
};

static int ini_cb(void *user, const char *section, const char *name,
		  const char *value)
{
	struct ini_ctx *x = user;
	char e[256];

	if (x->failed)
		return 0;
	if (config_set(x->c, section, name, value, e, sizeof(e))) {
		snprintf(x->err, x->errlen, "%s", e);
		x->failed = 1;
		return 0;
	}
	return 1;
}

int config_load(struct opsd_config *c, const char *path, int must_exist,
		char *err, size_t errlen)
{
	struct ini_ctx x = { c, err, errlen, 0 };
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = ini_parse_file(f, ini_cb, &x);
	fclose(f);
	if (x.failed) {
		char e[300];

		snprintf(e, sizeof(e), "%s", err);
		snprintf(err, errlen, "%s: %s", path, e);
		return -1;
	}
	if (rc) {
		snprintf(err, errlen, "%s: line %d: syntax error", path, rc);
		return -1;
	}
	return 0;
}

int config_finish(struct opsd_config *c, char *err, size_t errlen)
{
	if (!c->cert[0] || !c->key[0]) {
		snprintf(
			err, errlen,
			"server.cert and server.key are required (HTTPS only)");
		return -1;
	}
	if (!c->enroll_token[0] || !c->admin_token[0]) {
		snprintf(
			err, errlen,
			"auth.enrollment_token and auth.admin_token are required");
		return -1;
	}
	if (strlen(c->enroll_token) < 16 || strlen(c->admin_token) < 16) {
		snprintf(err, errlen, "tokens must be at least 16 characters");
		return -1;
	}
	/* Every enrolled node would hold the admin token otherwise. */
	if (!strcmp(c->enroll_token, c->admin_token)) {
		snprintf(
			err, errlen,
			"auth.enrollment_token and auth.admin_token must differ");
		return -1;
	}
	if (c->download_rvs_reserve >= c->download_budget)
		c->download_rvs_reserve = c->download_budget - 1;
	/* Untrusted clients always keep half the connections. */
	if (c->reserved_connections > c->max_connections / 2)
		c->reserved_connections = c->max_connections / 2;
	if (fleet_timing_check_prefix("fleet.", c->interval_ms, c->dead_ms,
				      c->window_ms, err, errlen))
		return -1;
	if (!c->public_url[0]) {
		/* Task URLs must name an address nodes can reach. */
		if (!strcmp(c->listen, "0.0.0.0") || !strcmp(c->listen, "::")) {
			snprintf(
				err, errlen,
				"server.public_url is required when listening on "
				"the wildcard address %s",
				c->listen);
			return -1;
		}
		snprintf(c->public_url, sizeof(c->public_url),
			 strchr(c->listen, ':') ? "https://[%s]:%u" :
						  "https://%s:%u",
			 c->listen, c->listen_port);
	}
	if (strncmp(c->public_url, "https://", 8) ||
	    strpbrk(c->public_url, " \"<>")) {
		snprintf(err, errlen,
			 "server.public_url '%s' must be an https:// URL",
			 c->public_url);
		return -1;
	}
	/* Paths are appended to it. */
	while (strlen(c->public_url) > 8 &&
	       c->public_url[strlen(c->public_url) - 1] == '/')
		c->public_url[strlen(c->public_url) - 1] = 0;
	return 0;
}
