// SPDX-License-Identifier: GPL-2.0
/* rup-opsd configuration: one table maps ini keys and command-line options. */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

const struct config_opt config_opts[] = {
	{ "nodes", "fleet", "nodes", "planned number of nodes T" },
	{ "max-per-region", "fleet", "max_per_region",
	  "most nodes per region M" },
	{ "pool", "fleet", "pool", "multicast pool CIDR (239.192.0.0/16)" },
	{ "port", "fleet", "port", "beacon UDP port (7946)" },
	{ "interval-ms", "fleet", "interval_ms",
	  "beacon interval handed to nodes (1000)" },
	{ "dead-ms", "fleet", "dead_ms",
	  "dead interval handed to nodes (3500)" },
	{ "window-ms", "fleet", "window_ms",
	  "beacon clock window handed to nodes (60000)" },
	{ "listen", "server", "listen", "listen address (127.0.0.1)" },
	{ "listen-port", "server", "port", "HTTPS port (8443)" },
	{ "cert", "server", "cert", "TLS certificate chain (PEM)" },
	{ "key", "server", "key", "TLS private key (PEM)" },
	{ "public-url", "server", "public_url",
	  "base URL nodes use for downloads" },
	{ "max-connections", "server", "max_connections",
	  "cap on open connections (1024)" },
	{ "max-longpolls", "server", "max_longpolls",
	  "cap on held task long-polls (512)" },
	{ "longpoll-timeout", "server", "longpoll_timeout",
	  "seconds a task long-poll is held (30)" },
	{ "timeout", "server", "timeout",
	  "read/write timeout in seconds (15)" },
	{ "max-body", "server", "max_body",
	  "largest JSON request body in bytes (65536)" },
	{ "max-payload", "server", "max_payload",
	  "largest release payload in bytes (268435456)" },
	{ "max-chunk", "server", "max_chunk",
	  "largest payload upload request in bytes (16777216); bigger payloads go in chunks" },
	{ "download-budget", "server", "download_budget",
	  "concurrent package downloads (8)" },
	{ "enrollment-token", "auth", "enrollment_token",
	  "fleet enrollment token" },
	{ "enrollment-token-file", "auth", "enrollment_token_file",
	  "file holding it" },
	{ "admin-token", "auth", "admin_token", "admin token" },
	{ "admin-token-file", "auth", "admin_token_file", "file holding it" },
	{ "database", "store", "database",
	  "SQLite database (/var/lib/rup-opsd/rup.db)" },
	{ "packages", "store", "packages",
	  "package folder (/var/lib/rup-opsd/packages)" },
	{ "release-keys", "store", "release_keys",
	  "trusted release public keys: folder of *.pub or one PEM file (/etc/rup/keys)" },
	{ "sync", "store", "sync",
	  "full: fsync every commit (default); normal: survives a crash of rup-opsd, not of the OS" },
	{ NULL, NULL, NULL, NULL },
};

void config_defaults(struct opsd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->nodes = 1000;
	c->max_per_region = 50;
	snprintf(c->pool, sizeof(c->pool), "239.192.0.0/16");
	c->port = 7946;
	c->interval_ms = 1000;
	c->dead_ms = 3500;
	c->window_ms = 60000;
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1");
	c->listen_port = 8443;
	c->max_connections = 1024;
	c->max_longpolls = 512;
	c->longpoll_timeout_s = 30;
	c->timeout_s = 15;
	c->max_body = 65536;
	c->max_payload = 256ULL << 20;
	c->max_chunk = 16 << 20;
	c->download_budget = 8;
	snprintf(c->database, sizeof(c->database), "/var/lib/rup-opsd/rup.db");
	snprintf(c->packages, sizeof(c->packages),
		 "/var/lib/rup-opsd/packages");
	snprintf(c->release_keys, sizeof(c->release_keys), "/etc/rup/keys");
	c->sync_full = 1;
}

static int parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (!*v || *v == '-')
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

static int set_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
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

struct num_key {
	const char *section, *name;
	size_t off;
	int is64;
	uint64_t min, max;
};

#define U32(s, n, f, lo, hi)                                     \
	{                                                        \
		s, n, offsetof(struct opsd_config, f), 0, lo, hi \
	}
static const struct num_key num_keys[] = {
	U32("fleet", "nodes", nodes, 1, 100000000),
	U32("fleet", "max_per_region", max_per_region, 1, 1000000),
	U32("fleet", "port", port, 1, 65535),
	U32("fleet", "interval_ms", interval_ms, 10, 3600000),
	U32("fleet", "dead_ms", dead_ms, 30, 36000000),
	U32("fleet", "window_ms", window_ms, 1000, 3600000),
	U32("server", "port", listen_port, 1, 65535),
	U32("server", "max_connections", max_connections, 4, 1000000),
	U32("server", "max_longpolls", max_longpolls, 1, 1000000),
	U32("server", "longpoll_timeout", longpoll_timeout_s, 1, 3600),
	U32("server", "timeout", timeout_s, 1, 3600),
	U32("server", "max_body", max_body, 256, 64 << 20),
	{ "server", "max_payload", offsetof(struct opsd_config, max_payload), 1,
	  1, 1ULL << 40 },
	U32("server", "max_chunk", max_chunk, 4096, 1u << 30),
	U32("server", "download_budget", download_budget, 1, 100000),
};

struct str_key {
	const char *section, *name;
	size_t off, len;
};

#define STR(s, n, f)                                         \
	{                                                    \
		s, n, offsetof(struct opsd_config, f),       \
			sizeof(((struct opsd_config *)0)->f) \
	}
static const struct str_key str_keys[] = {
	STR("fleet", "pool", pool),
	STR("server", "listen", listen),
	STR("server", "cert", cert),
	STR("server", "key", key),
	STR("server", "public_url", public_url),
	STR("auth", "enrollment_token", enroll_token),
	STR("auth", "admin_token", admin_token),
	STR("store", "database", database),
	STR("store", "packages", packages),
	STR("store", "release_keys", release_keys),
};

int config_set(struct opsd_config *c, const char *section, const char *name,
	       const char *value, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(num_keys) / sizeof(num_keys[0]); i++) {
		const struct num_key *k = &num_keys[i];
		uint64_t v;

		if (strcmp(k->section, section) || strcmp(k->name, name))
			continue;
		if (parse_u64(value, k->min, k->max, &v)) {
			snprintf(err, errlen,
				 "%s.%s: '%s' is not a number in [%llu, %llu]",
				 section, name, value,
				 (unsigned long long)k->min,
				 (unsigned long long)k->max);
			return -1;
		}
		if (k->is64)
			*(uint64_t *)((char *)c + k->off) = v;
		else
			*(uint32_t *)((char *)c + k->off) = (uint32_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++) {
		const struct str_key *k = &str_keys[i];

		if (strcmp(k->section, section) || strcmp(k->name, name))
			continue;
		if (set_str((char *)c + k->off, k->len, value)) {
			snprintf(err, errlen,
				 "%s.%s: value longer than %zu bytes", section,
				 name, k->len - 1);
			return -1;
		}
		return 0;
	}
	if (!strcmp(section, "store") && !strcmp(name, "sync")) {
		if (strcmp(value, "full") && strcmp(value, "normal")) {
			snprintf(err, errlen,
				 "store.sync: '%s' is not full or normal",
				 value);
			return -1;
		}
		c->sync_full = !strcmp(value, "full");
		return 0;
	}
	if (!strcmp(section, "auth") && !strcmp(name, "enrollment_token_file"))
		return read_token_file(c->enroll_token, sizeof(c->enroll_token),
				       value, err, errlen);
	if (!strcmp(section, "auth") && !strcmp(name, "admin_token_file"))
		return read_token_file(c->admin_token, sizeof(c->admin_token),
				       value, err, errlen);
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
	if (c->dead_ms <= c->interval_ms) {
		snprintf(
			err, errlen,
			"fleet.dead_ms (%u) must exceed fleet.interval_ms (%u)",
			c->dead_ms, c->interval_ms);
		return -1;
	}
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
