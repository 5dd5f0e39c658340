// SPDX-License-Identifier: GPL-2.0
/* rupctl agent configuration: inih handler with bounded, checked values. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "config.h"

struct load_ctx {
	struct agent_config *c;
	char *err;
	size_t errlen;
	const char *path;
	int line;
	bool node_id_set;
};

void agent_config_defaults(struct agent_config *c)
{
	memset(c, 0, sizeof(*c));
	c->timeout_s = 10;
	snprintf(c->version, sizeof(c->version), "0.0.0");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	c->w_cpu = 200;
	c->w_mem = 200;
	c->w_disk = 150;
	c->w_link = 200;
	c->w_load = 100;
	c->w_rtt = 150;
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/rup");
	snprintf(c->keys, sizeof(c->keys), "/etc/rup/keys");
	c->hook_timeout_s = 300;
	c->period_s = 24 * 3600;
	c->hysteresis_pct = 10;
	c->fallback_wait_s = 300;
	c->fallback_jitter_s = 60;
	c->deadline_s = 3600;
	c->report_ms = 2000;
	c->retry_max_s = 60;
	c->http_port = 8731;
	c->http_max_conns = 64;
}

static int set_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int read_token_file(struct load_ctx *x, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(x->err, x->errlen, "%s:%d: token_file %s: %s", x->path,
			 x->line, path, strerror(errno));
		return -1;
	}
	n = fread(x->c->token, 1, sizeof(x->c->token) - 1, f);
	fclose(f);
	x->c->token[n] = '\0';
	while (n && isspace((unsigned char)x->c->token[n - 1]))
		x->c->token[--n] = '\0';
	if (!n) {
		snprintf(x->err, x->errlen, "%s:%d: token_file %s is empty",
			 x->path, x->line, path);
		return -1;
	}
	return 0;
}

/* One key; returns 0, -1 bad value, -2 unknown key. */
static int set_key(struct load_ctx *x, const char *sec, const char *k,
		   const char *v)
{
	struct agent_config *c = x->c;
	uint32_t u;
	size_t n;

#define IS(s, key) (!strcmp(sec, s) && !strcmp(k, key))
#define STR(s, key, dst) \
	if (IS(s, key))  \
	return set_str(dst, sizeof(dst), v)
#define U32(s, key, dst, max) \
	if (IS(s, key))       \
	return parse_u32(v, max, &dst)
	STR("server", "url", c->url);
	STR("server", "ca", c->ca);
	STR("server", "token", c->token);
	if (IS("server", "token_file"))
		return read_token_file(x, v) ? -3 : 0;
	U32("server", "timeout", c->timeout_s, 3600);
	if (IS("node", "id")) {
		if (parse_hex(v, c->node_id, sizeof(c->node_id), &n) ||
		    n != sizeof(c->node_id))
			return -1;
		x->node_id_set = true;
		return 0;
	}
	STR("node", "interface", c->ifname);
	STR("node", "version", c->version);
	STR("node", "log_level", c->log_level);
	if (IS("node", "score")) {
		if (parse_u32(v, UINT32_MAX, &c->score))
			return -1;
		c->fixed_score = true;
		return 0;
	}
	U32("score", "cpu", c->w_cpu, 1000);
	U32("score", "memory", c->w_mem, 1000);
	U32("score", "disk", c->w_disk, 1000);
	U32("score", "link", c->w_link, 1000);
	U32("score", "load", c->w_load, 1000);
	U32("score", "rtt", c->w_rtt, 1000);
	STR("paths", "state", c->state_dir);
	STR("paths", "store", c->store_dir);
	STR("paths", "keys", c->keys);
	STR("install", "hook", c->hook);
	U32("install", "timeout", c->hook_timeout_s, 86400);
	U32("election", "period", c->period_s, 365 * 86400);
	U32("election", "hysteresis", c->hysteresis_pct, 1000);
	U32("upgrade", "fallback_wait", c->fallback_wait_s, 86400);
	U32("upgrade", "fallback_jitter", c->fallback_jitter_s, 86400);
	U32("upgrade", "deadline", c->deadline_s, 30 * 86400);
	U32("upgrade", "report_ms", c->report_ms, 3600000);
	U32("upgrade", "retry_max", c->retry_max_s, 86400);
	if (IS("http", "port")) {
		if (parse_u32(v, 65535, &u) || !u)
			return -1;
		c->http_port = (uint16_t)u;
		return 0;
	}
	U32("http", "max_connections", c->http_max_conns, 100000);
#undef IS
#undef STR
#undef U32
	return -2;
}

static int handler(void *user, const char *sec, const char *k, const char *v)
{
	struct load_ctx *x = user;
	int rc, line = ++x->line;

	rc = set_key(x, sec, k, v);
	if (rc == -1)
		snprintf(x->err, x->errlen, "%s:%d: [%s] %s: bad value \"%s\"",
			 x->path, line, sec, k, v);
	else if (rc == -2)
		snprintf(x->err, x->errlen, "%s:%d: unknown key [%s] %s",
			 x->path, line, sec, k);
	return rc ? 0 : 1;
}

static bool node_id_given;

int agent_config_load(struct agent_config *c, const char *path, char *err,
		      size_t errlen)
{
	struct load_ctx x = {
		.c = c, .err = err, .errlen = errlen, .path = path
	};
	int rc;

	err[0] = '\0';
	rc = ini_parse(path, handler, &x);
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (rc) {
		if (!err[0])
			snprintf(err, errlen, "%s:%d: syntax error", path, rc);
		return -1;
	}
	node_id_given = x.node_id_set;
	return 0;
}

int agent_node_id_from_machine(const char *machine_id,
			       uint8_t out[RUP_NODE_ID_LEN])
{
	uint8_t md[SHA256_DIGEST_LENGTH];
	char buf[64];
	size_t n = strlen(machine_id);

	while (n && isspace((unsigned char)machine_id[n - 1]))
		n--;
	if (n != 32 || strspn(machine_id, "0123456789abcdefABCDEF") < 32)
		return -1;
	/* Hashed, not copied: the machine id stays private (as systemd advises). */
	snprintf(buf, sizeof(buf), "rup-node-id:%.32s", machine_id);
	SHA256((const unsigned char *)buf, strlen(buf), md);
	memcpy(out, md, RUP_NODE_ID_LEN);
	return 0;
}

/* A setting agent_config_finish() refuses: say which, fail. */
static int finish_fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

int agent_config_finish(struct agent_config *c, char *err, size_t errlen)
{
	char mid[64] = "";
	FILE *f;

	if (!node_id_given) {
		f = fopen("/etc/machine-id", "r");
		if (!f || !fgets(mid, sizeof(mid), f) ||
		    agent_node_id_from_machine(mid, c->node_id)) {
			if (f)
				fclose(f);
			snprintf(
				err, errlen,
				"node id: not configured and /etc/machine-id is "
				"missing or not 32 hex digits");
			return -1;
		}
		fclose(f);
	}
	hex_encode(c->node_id, sizeof(c->node_id), c->node_hex);
	if (!c->url[0] || strncmp(c->url, "https://", 8))
		return finish_fail(
			err, errlen,
			"[server] url must be set to an https:// URL");
	if (!c->token[0])
		return finish_fail(
			err, errlen,
			"[server] token or token_file (enrollment token) must be set");
	if (!c->store_dir[0] &&
	    snprintf(c->store_dir, sizeof(c->store_dir), "%s/packages",
		     c->state_dir) >= (int)sizeof(c->store_dir))
		return finish_fail(err, errlen, "[paths] state is too long");
	if (!c->hook[0])
		return finish_fail(
			err, errlen,
			"[install] hook must name the install hook executable");
	return 0;
}
