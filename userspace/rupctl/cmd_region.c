// SPDX-License-Identifier: GPL-2.0
/* rupctl region add|set|del|show: the namespace's beacon regions. */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl region add ID group ADDR port PORT {key HEX | key-file FILE}\n"
		"                         [dev IFNAME] [next-key HEX | next-key-file FILE]\n"
		"                         [interval MS] [dead-interval MS] [clock-window MS]\n"
		"       rupctl region set ID [key HEX | key-file FILE]\n"
		"                         [next-key HEX | next-key-file FILE | next-key-clear]\n"
		"                         [interval MS] [dead-interval MS] [clock-window MS]\n"
		"       rupctl region del ID\n"
		"       rupctl region show [ID]\n"
		"ADDR is an IPv4 multicast group; keys are %d bytes (%d hex digits);\n"
		"MS is milliseconds, or seconds with an \"s\" suffix (e.g. 3s).\n"
		"dead-interval defaults to 3.5 x interval, clock-window to 60s (0: off).\n",
		RUP_KEY_LEN, 2 * RUP_KEY_LEN);
}

static int parse_id(const char *s, const char *what, uint32_t *id)
{
	if (parse_u32(s, UINT32_MAX, id))
		return rupctl_bad_value(what, "region id", s, "a number");
	return 0;
}

/* "region VERB ID": the prefix of messages into @what, ID into *id. */
static int parse_target(const char *verb, const char *arg, char *what,
			size_t len, uint32_t *id)
{
	snprintf(what, len, "region %s %.20s", verb, arg);
	return parse_id(arg, what, id);
}

static int get_key(const char *what, const char *key, const char *val,
		   bool file, uint8_t *out, size_t *len)
{
	char err[600];

	if (file) {
		if (!read_hex_file(val, out, RUPNL_KEY_MAX, len, err,
				   sizeof(err)))
			return 0;
		rupctl_err("%s: %s: %s", what, key, err);
		return RUPCTL_EXIT_USAGE;
	}
	if (parse_hex(val, out, RUPNL_KEY_MAX, len))
		return rupctl_bad_value(what, key, val, "hex digits");
	return 0;
}

static int unknown_opt(const char *what, const char *k)
{
	rupctl_err("%s: unknown option \"%s\"; see \"rupctl region help\"",
		   what, k);
	return RUPCTL_EXIT_USAGE;
}

/* A keyword that takes milliseconds: 0, an exit code, or -1 for another. */
static int parse_ms_opt(const char *what, const char *k, const char *v,
			struct rupnl_region *r)
{
	const struct {
		const char *key;
		uint32_t *ms;
		int attr;
	} keys[] = {
		{ "interval", &r->interval_ms, RUP_A_REGION_INTERVAL_MS },
		{ "dead-interval", &r->dead_ms, RUP_A_REGION_DEAD_MS },
		{ "clock-window", &r->window_ms, RUP_A_REGION_WINDOW_MS },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(k, keys[i].key))
			continue;
		if (parse_ms(v, keys[i].ms))
			return rupctl_bad_value(what, k, v, "milliseconds");
		r->mask |= RUPNL_BIT(keys[i].attr);
		return 0;
	}
	return -1;
}

/* Keyword-value options of add (@add) and set; fills r->mask. */
static int parse_opts(int argc, char **argv, bool add, const char *what,
		      struct rupnl_region *r)
{
	const char *v;
	int i, err;

	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "next-key-clear")) {
			if (add)
				break; /* unknown option for add */
			r->mask |= RUPNL_BIT(RUP_A_REGION_NEXT_KEY_CLEAR);
			continue;
		}
		v = rupctl_arg(&i, argc, argv, what);
		if (!v)
			return RUPCTL_EXIT_USAGE;
		if (!strcmp(k, "group") && add) {
			if (parse_ipv4(v, &r->group))
				return rupctl_bad_value(what, k, v,
							"an IPv4 address");
			r->mask |= RUPNL_BIT(RUP_A_REGION_GROUP4);
		} else if (!strcmp(k, "port") && add) {
			if (parse_u16(v, &r->port))
				return rupctl_bad_value(what, k, v, "0-65535");
			r->mask |= RUPNL_BIT(RUP_A_REGION_PORT);
		} else if ((!strcmp(k, "dev") || !strcmp(k, "ifname")) && add) {
			r->ifindex = if_nametoindex(v);
			if (!r->ifindex)
				return rupctl_bad_value(what, k, v,
							"no such interface");
			r->mask |= RUPNL_BIT(RUP_A_REGION_IFINDEX);
		} else if (!strcmp(k, "key") || !strcmp(k, "key-file")) {
			err = get_key(what, k, v, strcmp(k, "key"), r->key,
				      &r->key_len);
			if (err)
				return err;
			r->mask |= RUPNL_BIT(RUP_A_REGION_KEY);
		} else if (!strcmp(k, "next-key") ||
			   !strcmp(k, "next-key-file")) {
			err = get_key(what, k, v, strcmp(k, "next-key"),
				      r->next_key, &r->next_key_len);
			if (err)
				return err;
			r->mask |= RUPNL_BIT(RUP_A_REGION_NEXT_KEY);
		} else {
			err = parse_ms_opt(what, k, v, r);
			if (err)
				return err < 0 ? unknown_opt(what, k) : err;
		}
	}
	if (i < argc)
		return unknown_opt(what, argv[i]);
	return 0;
}

/* add and set share everything but the command and the allowed options. */
static int region_change(int argc, char **argv, bool add)
{
	struct rupnl_region r = { 0 };
	struct rupnl nl;
	char what[64];
	int err;

	if (argc < 2) {
		rupctl_err("region %s: missing region id", argv[0]);
		usage(stderr);
		return RUPCTL_EXIT_USAGE;
	}
	err = parse_target(argv[0], argv[1], what, sizeof(what), &r.id);
	if (!err)
		err = parse_opts(argc - 2, argv + 2, add, what, &r);
	if (err)
		return err;
	err = rupctl_nl_open(&nl);
	if (err)
		return err;
	err = add ? rupnl_region_add(&nl, &r) : rupnl_region_set(&nl, &r);
	if (err)
		err = rupctl_nl_fail(&nl, err, what);
	rupnl_close(&nl);
	return err;
}

static int region_del(int argc, char **argv)
{
	struct rupnl nl;
	uint32_t id;
	char what[64];
	int err;

	if (argc != 2) {
		rupctl_err("region del: %s", argc < 2 ? "missing region id" :
							"too many arguments");
		return RUPCTL_EXIT_USAGE;
	}
	if (parse_target("del", argv[1], what, sizeof(what), &id))
		return RUPCTL_EXIT_USAGE;
	err = rupctl_nl_open(&nl);
	if (err)
		return err;
	err = rupnl_region_del(&nl, id);
	if (err)
		err = rupctl_nl_fail(&nl, err, what);
	rupnl_close(&nl);
	return err;
}

static json_t *region_json(const struct rupnl_region *r)
{
	char group[INET_ADDRSTRLEN], dev[IF_NAMESIZE];
	json_t *j;

	inet_ntop(AF_INET, &r->group, group, sizeof(group));
	j = json_pack("{s:I, s:s, s:i, s:I}", "id", (json_int_t)r->id, "group",
		      group, "port", (int)r->port, "ifindex",
		      (json_int_t)r->ifindex);
	json_object_set_new(j, "dev",
			    r->ifindex && if_indextoname(r->ifindex, dev) ?
				    json_string(dev) :
				    json_null());
	json_object_set_new(j, "interval_ms", json_integer(r->interval_ms));
	json_object_set_new(j, "dead_ms", json_integer(r->dead_ms));
	json_object_set_new(j, "clock_window_ms", json_integer(r->window_ms));
	json_object_set_new(j, "peers", json_integer(r->peers));
	json_object_set_new(j, "next_key", json_boolean(r->has_next_key));
	return j;
}

static void region_text(const struct rupnl_region *r)
{
	char group[INET_ADDRSTRLEN], dev[IF_NAMESIZE];

	inet_ntop(AF_INET, &r->group, group, sizeof(group));
	printf("region %u group %s port %u", r->id, group, r->port);
	if (!r->ifindex)
		printf(" dev any");
	else if (if_indextoname(r->ifindex, dev))
		printf(" dev %s", dev);
	else
		printf(" ifindex %u", r->ifindex);
	printf(" interval %ums dead-interval %ums clock-window %ums peers %u%s\n",
	       r->interval_ms, r->dead_ms, r->window_ms, r->peers,
	       r->has_next_key ? " next-key" : "");
}

static int show_cb(const struct rupnl_region *r, void *arg)
{
	if (arg)
		json_array_append_new(arg, region_json(r));
	else
		region_text(r);
	return 0;
}

static int region_show(int argc, char **argv)
{
	json_t *list = rupctl_opts.json ? json_array() : NULL;
	struct rupnl_region r;
	struct rupnl nl;
	uint32_t id = 0;
	char what[64] = "region show";
	int err;

	if (argc > 2) {
		rupctl_err("region show: too many arguments");
		return RUPCTL_EXIT_USAGE;
	}
	if (argc == 2 && parse_target("show", argv[1], what, sizeof(what), &id))
		return RUPCTL_EXIT_USAGE;
	err = rupctl_nl_open(&nl);
	if (err)
		goto out;
	if (argc == 2) {
		err = rupnl_region_get(&nl, id, &r);
		if (!err)
			show_cb(&r, list);
	} else {
		err = rupnl_region_dump(&nl, show_cb, list);
	}
	err = rupctl_nl_done(&nl, err, what, list);
out:
	json_decref(list);
	return err;
}

static int region_add(int argc, char **argv)
{
	return region_change(argc, argv, true);
}

static int region_set(int argc, char **argv)
{
	return region_change(argc, argv, false);
}

int cmd_region(int argc, char **argv)
{
	/* The first is what "rupctl region" alone runs. */
	static const struct rupctl_verb verbs[] = {
		{ "show", region_show }, { "list", region_show },
		{ "add", region_add },	 { "set", region_set },
		{ "del", region_del },	 { "delete", region_del },
		{ NULL, NULL },
	};

	return rupctl_verbs(argc, argv, verbs, usage);
}
