// SPDX-License-Identifier: GPL-2.0
/* API codec, node side: register, its reply, keys (docs/API.md). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_check.h"
#include "fleet.h"

json_t *api_load(const char *buf, size_t len, const char *name, char *err,
		 size_t errlen)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);

	if (!j) {
		api_fail(err, errlen, name, "malformed JSON at line %d: %s",
			 je.line, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		api_fail(err, errlen, name, "not a JSON object");
		return NULL;
	}
	return j;
}

json_t *api_register_encode(const struct api_register *m)
{
	json_t *a, *j = json_pack("{s:s, s:I, s:s}", "node_id", m->node_id,
				  "score", (json_int_t)m->score, "version",
				  m->version);

	if (!j || !m->n_addresses)
		return j;
	a = api_string_rows(m->addresses[0], sizeof(m->addresses[0]),
			    m->n_addresses);
	if (!a || json_object_set_new(j, "addresses", a)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static int addresses(json_t *a, struct api_register *m, char *err,
		     size_t errlen)
{
	const char *name = API_MSG_REGISTER;
	size_t i;

	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > API_ADDRESSES_MAX)
		return api_fail(
			err, errlen, name,
			"addresses: must be an array of at most %d IP addresses",
			API_ADDRESSES_MAX);
	for (i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		unsigned char buf[16];

		if (!s || strlen(s) > API_ADDRESS_LEN ||
		    (inet_pton(AF_INET, s, buf) != 1 &&
		     inet_pton(AF_INET6, s, buf) != 1))
			return api_fail(
				err, errlen, name,
				"addresses[%zu]: not an IPv4 or IPv6 address",
				i);
		snprintf(m->addresses[i], sizeof(m->addresses[i]), "%s", s);
	}
	m->n_addresses = i;
	return 0;
}

int api_register_decode(json_t *j, struct api_register *m, char *err,
			size_t errlen)
{
	const char *name = API_MSG_REGISTER, *id, *ver;
	size_t idlen, verlen;
	json_int_t score;
	json_t *a = NULL;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:s%, s:I, s:s%, s?o}",
		       "node_id", &id, &idlen, "score", &score, "version", &ver,
		       &verlen, "addresses", &a))
		return -1;
	if (api_hex(name, "node_id", id, API_NODE_ID_LEN, m->node_id, err,
		    errlen) ||
	    api_u32(name, "score", score, 0, &m->score, err, errlen) ||
	    api_version(name, "version", ver, verlen, m->version, err,
			errlen) ||
	    addresses(a, m, err, errlen))
		return -1;
	return 0;
}

json_t *api_registered_encode(const struct api_registered *m)
{
	/* Key order as opsd writes it: the keys last. */
	return json_pack("{s:s, s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:b, "
			 "s:s, s:o}",
			 "node_id", m->node_id, "region_id",
			 (json_int_t)m->region_id, "group", m->group, "port",
			 (json_int_t)m->port, "interval_ms",
			 (json_int_t)m->interval_ms, "dead_ms",
			 (json_int_t)m->dead_ms, "window_ms",
			 (json_int_t)m->window_ms, "node_token", m->node_token,
			 "server_time_ns", (json_int_t)m->server_time_ns, "new",
			 m->is_new, "key", m->key, "next_key",
			 api_string_or_null(m->next_key));
}

/* The fleet values of a register reply: what the kernel will accept. */
static int registered_fleet(struct api_registered *m, const char *grp,
			    json_int_t region, json_int_t port, json_int_t iv,
			    json_int_t dead, json_int_t win, char *err,
			    size_t errlen)
{
	const char *name = API_MSG_REGISTERED;
	char why[128];
	struct in_addr ga;
	uint64_t v[5];

	if (api_uint(name, "region_id", region, 0, UINT32_MAX, &v[0], err,
		     errlen) ||
	    api_uint(name, "port", port, 1, 65535, &v[1], err, errlen) ||
	    api_uint(name, "interval_ms", iv, 0, UINT32_MAX, &v[2], err,
		     errlen) ||
	    api_uint(name, "dead_ms", dead, 0, UINT32_MAX, &v[3], err,
		     errlen) ||
	    api_uint(name, "window_ms", win, 0, UINT32_MAX, &v[4], err, errlen))
		return -1;
	if (fleet_timing_check((uint32_t)v[2], (uint32_t)v[3], (uint32_t)v[4],
			       why, sizeof(why)))
		return api_fail(err, errlen, name, "%s", why);
	if (strlen(grp) > API_GROUP_LEN || inet_pton(AF_INET, grp, &ga) != 1 ||
	    !IN_MULTICAST(ntohl(ga.s_addr)))
		return api_fail(err, errlen, name,
				"group: %s is not an IPv4 multicast address",
				grp);
	snprintf(m->group, sizeof(m->group), "%s", grp);
	m->region_id = (uint32_t)v[0];
	m->port = (uint16_t)v[1];
	m->interval_ms = (uint32_t)v[2];
	m->dead_ms = (uint32_t)v[3];
	m->window_ms = (uint32_t)v[4];
	return 0;
}

int api_registered_decode(json_t *j, struct api_registered *m, char *err,
			  size_t errlen)
{
	const char *name = API_MSG_REGISTERED, *id, *grp, *key, *tok;
	json_int_t region, port, iv, dead, win, now;
	json_t *next;
	int is_new;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen,
		       "{s:s, s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:o, "
		       "s:s, s:I, s:b}",
		       "node_id", &id, "region_id", &region, "group", &grp,
		       "port", &port, "interval_ms", &iv, "dead_ms", &dead,
		       "window_ms", &win, "key", &key, "next_key", &next,
		       "node_token", &tok, "server_time_ns", &now, "new",
		       &is_new))
		return -1;
	if (api_hex(name, "node_id", id, API_NODE_ID_LEN, m->node_id, err,
		    errlen) ||
	    registered_fleet(m, grp, region, port, iv, dead, win, err,
			     errlen) ||
	    api_hex(name, "key", key, API_HEX32_LEN, m->key, err, errlen) ||
	    api_hex32_or_null(name, "next_key", next, m->next_key, err,
			      errlen) ||
	    api_hex(name, "node_token", tok, API_HEX32_LEN, m->node_token, err,
		    errlen))
		return -1;
	if (now < 0)
		return api_fail(err, errlen, name,
				"server_time_ns: must not be negative");
	m->server_time_ns = (uint64_t)now;
	m->is_new = is_new;
	return 0;
}

json_t *api_keys_encode(const struct api_keys *m)
{
	return json_pack("{s:I, s:s, s:o}", "region_id",
			 (json_int_t)m->region_id, "key", m->key, "next_key",
			 api_string_or_null(m->next_key));
}

int api_keys_decode(json_t *j, struct api_keys *m, char *err, size_t errlen)
{
	const char *name = API_MSG_KEYS, *key;
	json_int_t region;
	json_t *next;

	memset(m, 0, sizeof(*m));
	if (api_unpack(name, j, err, errlen, "{s:I, s:s, s:o}", "region_id",
		       &region, "key", &key, "next_key", &next))
		return -1;
	if (api_u32(name, "region_id", region, 0, &m->region_id, err, errlen) ||
	    api_hex(name, "key", key, API_HEX32_LEN, m->key, err, errlen) ||
	    api_hex32_or_null(name, "next_key", next, m->next_key, err, errlen))
		return -1;
	return 0;
}
