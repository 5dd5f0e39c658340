// SPDX-License-Identifier: GPL-2.0
/* Persisted agent state as JSON, read bounded and written atomically. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "release.h"
#include "state.h"

#define STATE_MAX (64 * 1024)

static int copy_str(json_t *o, const char *k, char *dst, size_t len)
{
	const char *v = json_string_value(json_object_get(o, k));

	if (!v || strlen(v) >= len)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int load_reg(json_t *r, struct agent_reg *g)
{
	struct in_addr a;
	char grp[32], key[2 * RUP_KEY_LEN + 1];
	size_t n;

	if (!json_is_object(r))
		return 0;
	if (copy_str(r, "group", grp, sizeof(grp)) || parse_ipv4(grp, &a) ||
	    copy_str(r, "key", key, sizeof(key)) ||
	    parse_hex(key, g->key, RUP_KEY_LEN, &n) || n != RUP_KEY_LEN ||
	    copy_str(r, "token", g->token, sizeof(g->token)))
		return -1;
	g->group = a.s_addr;
	g->region = (uint32_t)json_integer_value(json_object_get(r, "region"));
	g->port = (uint16_t)json_integer_value(json_object_get(r, "port"));
	g->interval_ms =
		(uint32_t)json_integer_value(json_object_get(r, "interval_ms"));
	g->dead_ms =
		(uint32_t)json_integer_value(json_object_get(r, "dead_ms"));
	g->window_ms =
		(uint32_t)json_integer_value(json_object_get(r, "window_ms"));
	g->valid = g->port != 0;
	return 0;
}

int state_load(const char *dir, struct agent_state *s,
	       const char *initial_version, char *err, size_t errlen)
{
	char path[600], jerr[200];
	json_error_t je;
	size_t len;
	char *buf;
	json_t *j;
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->version, sizeof(s->version), "%s", initial_version);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	rc = release_read_file(path, STATE_MAX, &buf, &len, jerr, sizeof(jerr));
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		snprintf(err, errlen, "state %s: %s", path, jerr);
		return -1;
	}
	j = json_loadb(buf, len, 0, &je);
	free(buf);
	if (!json_is_object(j) ||
	    copy_str(j, "version", s->version, sizeof(s->version)) ||
	    (json_object_get(j, "highest") &&
	     copy_str(j, "highest", s->highest, sizeof(s->highest))) ||
	    load_reg(json_object_get(j, "registration"), &s->reg)) {
		snprintf(err, errlen, "state %s: malformed (%s)", path,
			 j ? "bad field" : je.text);
		json_decref(j);
		return -1;
	}
	json_decref(j);
	return 0;
}

int state_save(const char *dir, const struct agent_state *s, char *err,
	       size_t errlen)
{
	char path[600], key[2 * RUP_KEY_LEN + 1], grp[INET_ADDRSTRLEN];
	json_t *j = json_object();
	char *txt;
	int rc;

	json_object_set_new(j, "version", json_string(s->version));
	if (s->highest[0])
		json_object_set_new(j, "highest", json_string(s->highest));
	if (s->reg.valid) {
		struct in_addr a = { .s_addr = s->reg.group };

		hex_encode(s->reg.key, RUP_KEY_LEN, key);
		inet_ntop(AF_INET, &a, grp, sizeof(grp));
		json_object_set_new(
			j, "registration",
			json_pack("{s:I, s:s, s:i, s:I, s:I, s:I, s:s, s:s}",
				  "region", (json_int_t)s->reg.region, "group",
				  grp, "port", (int)s->reg.port, "interval_ms",
				  (json_int_t)s->reg.interval_ms, "dead_ms",
				  (json_int_t)s->reg.dead_ms, "window_ms",
				  (json_int_t)s->reg.window_ms, "key", key,
				  "token", s->reg.token));
	}
	txt = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!txt) {
		snprintf(err, errlen, "state: out of memory");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/state.json", dir);
	/* The file holds the region key and node token: owner only. */
	rc = release_write_file(path, txt, strlen(txt), 0600, err, errlen);
	free(txt);
	return rc ? -1 : 0;
}
