// SPDX-License-Identifier: GPL-2.0
/* rupctl agent configuration: inih handler with bounded, checked values. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <openssl/sha.h>
#include <stddef.h>
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

/*
 * The plain settings: [sec] key into the field at @off, text shorter than
 * @len or, when @len is 0, a number up to @max; with their defaults.
 */
struct setting {
	const char *sec, *key;
	size_t off, len;
	uint32_t max, num_def;
	const char *text_def;
};

#define FIELD(f) offsetof(struct agent_config, f)
#define SIZE(f) sizeof(((struct agent_config *)0)->f)
#define TEXT(sec, key, f, def)                         \
	{                                              \
		sec, key, FIELD(f), SIZE(f), 0, 0, def \
	}
#define NUM(sec, key, f, max, def)                    \
	{                                             \
		sec, key, FIELD(f), 0, max, def, NULL \
	}

static const struct setting settings[] = {
	TEXT("server", "url", url, NULL),
	TEXT("server", "ca", ca, NULL),
	TEXT("server", "token", token, NULL),
	NUM("server", "timeout", timeout_s, 3600, 10),
	TEXT("node", "interface", ifname, NULL),
	TEXT("node", "version", version, "0.0.0"),
	TEXT("node", "log_level", log_level, "info"),
	NUM("score", "cpu", w_cpu, 1000, 200),
	NUM("score", "memory", w_mem, 1000, 200),
	NUM("score", "disk", w_disk, 1000, 150),
	NUM("score", "link", w_link, 1000, 200),
	NUM("score", "load", w_load, 1000, 100),
	NUM("score", "rtt", w_rtt, 1000, 150),
	TEXT("paths", "state", state_dir, "/var/lib/rup"),
	TEXT("paths", "store", store_dir, NULL),
	TEXT("paths", "keys", keys, "/etc/rup/keys"),
	NUM("store", "keep", store_keep, 1000, 2),
	TEXT("install", "hook", hook, NULL),
	NUM("install", "timeout", hook_timeout_s, 86400, 300),
	NUM("election", "period", period_s, 365 * 86400, 24 * 3600),
	NUM("election", "hysteresis", hysteresis_pct, 1000, 10),
	NUM("upgrade", "fallback_wait", fallback_wait_s, 86400, 300),
	NUM("upgrade", "fallback_jitter", fallback_jitter_s, 86400, 60),
	NUM("upgrade", "deadline", deadline_s, 30 * 86400, 3600),
	NUM("upgrade", "report_ms", report_ms, 3600000, 2000),
	NUM("upgrade", "retry_max", retry_max_s, 86400, 60),
	NUM("http", "max_connections", http.max_conns, 100000, 64),
	NUM("http", "max_per_ip", http.max_per_ip, 100000, 4),
	NUM("http", "request_timeout", http.request_timeout_s, 3600, 10),
};

#undef FIELD
#undef SIZE
#undef TEXT
#undef NUM

void agent_config_defaults(struct agent_config *c)
{
	const struct setting *s;
	char *dst;

	memset(c, 0, sizeof(*c));
	for (s = settings;
	     s < settings + sizeof(settings) / sizeof(settings[0]); s++) {
		dst = (char *)c + s->off;
		if (s->text_def)
			snprintf(dst, s->len, "%s", s->text_def);
		else if (!s->len)
			memcpy(dst, &s->num_def, sizeof(s->num_def));
	}
	c->http_port = 8731;
	c->http.members_only = true;
}

/* A plain setting [sec] @k: 0, -1 bad value, -2 not one of them. */
static int set_plain(struct agent_config *c, const char *sec, const char *k,
		     const char *v)
{
	const struct setting *s;
	uint32_t n;

	for (s = settings;
	     s < settings + sizeof(settings) / sizeof(settings[0]); s++) {
		if (strcmp(sec, s->sec) || strcmp(k, s->key))
			continue;
		if (s->len)
			return str_copy((char *)c + s->off, s->len, v);
		if (parse_u32(v, s->max, &n))
			return -1;
		memcpy((char *)c + s->off, &n, sizeof(n));
		return 0;
	}
	return -2;
}

static int read_token_file(struct load_ctx *x, const char *path)
{
	FILE *f = fopen(path, "re");
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
	if (IS("server", "token_file"))
		return read_token_file(x, v) ? -3 : 0;
	if (IS("node", "id")) {
		if (parse_hex(v, c->node_id, sizeof(c->node_id), &n) ||
		    n != sizeof(c->node_id))
			return -1;
		x->node_id_set = true;
		return 0;
	}
	if (IS("node", "score")) {
		if (parse_u32(v, UINT32_MAX, &c->score))
			return -1;
		c->fixed_score = true;
		return 0;
	}
	if (IS("http", "port")) {
		if (parse_u32(v, 65535, &u) || !u)
			return -1;
		c->http_port = (uint16_t)u;
		return 0;
	}
	if (IS("http", "members_only")) {
		if (strcmp(v, "true") && strcmp(v, "false"))
			return -1;
		c->http.members_only = !strcmp(v, "true");
		return 0;
	}
#undef IS
	return set_plain(c, sec, k, v);
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
		f = fopen("/etc/machine-id", "re");
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
	/* A hook that hangs must not hold the node (and its RVS role) forever. */
	if (!c->hook_timeout_s)
		return finish_fail(err, errlen,
				   "[install] timeout must be 1 s or more");
	return 0;
}
