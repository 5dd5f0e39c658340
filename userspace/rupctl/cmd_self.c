// SPDX-License-Identifier: GPL-2.0
/* rupctl self set|show: this node's state as its beacons carry it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "peerfmt.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl self set [node-id HEX] [version VERSION] [score N]\n"
		"                       [region ID [role ROLE[,ROLE...]] [term N]\n"
		"                        [offer VERSION sha256 HEX size BYTES port PORT path PATH\n"
		"                         | offer none] [bind]]\n"
		"       rupctl self show [REGION]\n"
		"node-id is %d hex digits; ROLE is one of: " RUP_ROLE_NAMES
		".\n"
		"role, term, offer and bind are per region and need \"region ID\".\n"
		"bind: the role and offer belong to this command's netlink socket; when it\n"
		"closes (here: when rupctl exits) the node turns abnormal and withdraws\n"
		"the offer (the agent binds them, so a dead agent is re-elected away).\n"
		"An offer needs all of version, sha256 (%d hex digits), size, port and path.\n",
		2 * RUP_NODE_ID_LEN, 2 * RUP_SHA256_LEN);
}

static int copy_str(const char *what, const char *key, const char *v, char *out,
		    size_t size)
{
	if (strlen(v) >= size) {
		rupctl_err("%s: %s: \"%.20s...\" is longer than %zu characters",
			   what, key, v, size - 1);
		return RUPCTL_EXIT_USAGE;
	}
	strcpy(out, v);
	return 0;
}

/* The keywords after "offer VERSION". */
static int parse_offer_opt(const char *what, const char *k, const char *v,
			   struct rupnl_offer *o)
{
	size_t len;
	uint64_t size;

	if (!strcmp(k, "sha256")) {
		if (parse_hex(v, o->sha256, RUP_SHA256_LEN, &len) ||
		    len != RUP_SHA256_LEN)
			return rupctl_bad_value(what, k, v, "64 hex digits");
		o->mask |= RUPNL_BIT(RUP_OFFER_A_SHA256);
	} else if (!strcmp(k, "size")) {
		if (parse_u64(v, UINT64_MAX, &size))
			return rupctl_bad_value(what, k, v, "bytes");
		o->size = size;
		o->mask |= RUPNL_BIT(RUP_OFFER_A_SIZE);
	} else if (!strcmp(k, "port")) {
		if (parse_u16(v, &o->port))
			return rupctl_bad_value(what, k, v, "0-65535");
		o->mask |= RUPNL_BIT(RUP_OFFER_A_PORT);
	} else if (!strcmp(k, "path")) {
		if (copy_str(what, k, v, o->path, sizeof(o->path)))
			return RUPCTL_EXIT_USAGE;
		o->mask |= RUPNL_BIT(RUP_OFFER_A_PATH);
	} else {
		return -1;
	}
	return 0;
}

/* "offer VERSION" (at argv[*i], value @v) and the offer keywords after it,
 * or "offer none" (an empty nest: withdraw).
 */
static int parse_offer(int *i, int argc, char **argv, const char *what,
		       const char *v, struct rupnl_self *s)
{
	int err;

	s->mask |= RUPNL_BIT(RUP_A_OFFER);
	if (!strcmp(v, "none"))
		return 0;
	if (copy_str(what, "offer", v, s->offer.version,
		     sizeof(s->offer.version)))
		return RUPCTL_EXIT_USAGE;
	s->offer.mask |= RUPNL_BIT(RUP_OFFER_A_VERSION);
	/* Offer keywords follow until the first other word. */
	while (*i + 1 < argc) {
		const char *ok = argv[*i + 1];

		if (strcmp(ok, "sha256") && strcmp(ok, "size") &&
		    strcmp(ok, "port") && strcmp(ok, "path"))
			break;
		++*i;
		v = rupctl_arg(i, argc, argv, what);
		if (!v)
			return RUPCTL_EXIT_USAGE;
		err = parse_offer_opt(what, ok, v, &s->offer);
		if (err)
			return err;
	}
	return 0;
}

static int parse_set(int argc, char **argv, const char *what,
		     struct rupnl_self *s)
{
	const char *v;
	size_t len;
	int i, err;

	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "bind")) {
			s->mask |= RUPNL_BIT(RUP_A_BIND);
			continue;
		}
		v = rupctl_arg(&i, argc, argv, what);
		if (!v)
			return RUPCTL_EXIT_USAGE;
		if (!strcmp(k, "node-id")) {
			if (parse_hex(v, s->node_id, RUP_NODE_ID_LEN, &len) ||
			    len != RUP_NODE_ID_LEN)
				return rupctl_bad_value(what, k, v,
							"32 hex digits");
			s->mask |= RUPNL_BIT(RUP_A_NODE_ID);
		} else if (!strcmp(k, "version")) {
			if (copy_str(what, k, v, s->version,
				     sizeof(s->version)))
				return RUPCTL_EXIT_USAGE;
			s->mask |= RUPNL_BIT(RUP_A_VERSION);
		} else if (!strcmp(k, "score")) {
			if (parse_u32(v, UINT32_MAX, &s->score))
				return rupctl_bad_value(what, k, v,
							"0-4294967295");
			s->mask |= RUPNL_BIT(RUP_A_SCORE);
		} else if (!strcmp(k, "region")) {
			if (parse_u32(v, UINT32_MAX, &s->region))
				return rupctl_bad_value(what, k, v,
							"a region id");
			s->mask |= RUPNL_BIT(RUP_A_REGION_ID);
		} else if (!strcmp(k, "role")) {
			if (rup_role_parse(v, &s->role))
				return rupctl_bad_value(what, k, v,
							RUP_ROLE_NAMES);
			s->mask |= RUPNL_BIT(RUP_A_ROLE);
		} else if (!strcmp(k, "term")) {
			if (parse_u64(v, UINT64_MAX, &s->term))
				return rupctl_bad_value(what, k, v, "a number");
			s->mask |= RUPNL_BIT(RUP_A_TERM);
		} else if (!strcmp(k, "offer")) {
			err = parse_offer(&i, argc, argv, what, v, s);
			if (err)
				return err;
		} else {
			rupctl_err(
				"%s: unknown option \"%s\"; see \"rupctl self help\"",
				what, k);
			return RUPCTL_EXIT_USAGE;
		}
	}
	if (!s->mask) {
		rupctl_err("%s: nothing to set", what);
		return RUPCTL_EXIT_USAGE;
	}
	return 0;
}

static int self_set(int argc, char **argv)
{
	struct rupnl_self s = { 0 };
	struct rupnl nl;
	int err;

	err = parse_set(argc - 1, argv + 1, "self set", &s);
	if (err)
		return err;
	err = rupctl_nl_open(&nl);
	if (err)
		return err;
	err = rupnl_self_set(&nl, &s);
	if (err)
		err = rupctl_nl_fail(&nl, err, "self set");
	rupnl_close(&nl);
	return err;
}

/* Per-region half of `self show`. */
static json_t *region_json(const struct rupnl_self *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "region", json_integer(s->region));
	json_object_set_new(j, "role", rup_role_json(s->role));
	json_object_set_new(j, "term", json_integer((json_int_t)s->term));
	json_object_set_new(j, "offer",
			    s->mask & RUPNL_BIT(RUP_A_OFFER) ?
				    offer_json(&s->offer) :
				    json_null());
	return j;
}

static void region_text(const struct rupnl_self *s)
{
	char role[64];

	rup_role_format(s->role, role, sizeof(role));
	printf("region %u role %s term %llu", s->region, role,
	       (unsigned long long)s->term);
	if (s->mask & RUPNL_BIT(RUP_A_OFFER))
		offer_text(stdout, &s->offer);
	printf("\n");
}

struct ids {
	uint32_t *v;
	size_t n;
};

static int region_id_cb(const struct rupnl_region *r, void *arg)
{
	struct ids *ids = arg;
	uint32_t *v = reallocarray(ids->v, ids->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	v[ids->n++] = r->id;
	ids->v = v;
	return 0;
}

static int self_show(int argc, char **argv)
{
	char what[64], id[2 * RUP_NODE_ID_LEN + 1];
	struct ids ids = { 0 };
	json_t *j = NULL, *regions = NULL;
	struct rupnl_self s;
	struct rupnl nl;
	uint32_t region;
	size_t i;
	int err;

	err = rupctl_region_arg(argc, argv, "self show", NULL, what,
				sizeof(what), &region);
	if (err)
		return err;
	if (argc == 2) {
		ids.v = malloc(sizeof(*ids.v));
		if (!ids.v)
			return RUPCTL_EXIT_KERNEL;
		ids.v[ids.n++] = region;
	}
	err = rupctl_nl_open(&nl);
	if (err)
		goto out_free;
	err = rupnl_self_get(&nl, RUPNL_NO_REGION, &s);
	/* Without a REGION argument show every region's part. */
	if (!err && argc < 2)
		err = rupnl_region_dump(&nl, region_id_cb, &ids);
	if (err)
		goto fail;
	node_id_hex(s.node_id, id);
	if (rupctl_opts.json) {
		regions = json_array();
		j = json_pack("{s:s, s:s, s:I, s:O}", "node", id, "version",
			      s.version, "score", (json_int_t)s.score,
			      "regions", regions);
	} else {
		printf("node %s version %s score %u\n", id, s.version, s.score);
	}
	for (i = 0; i < ids.n; i++) {
		err = rupnl_self_get(&nl, ids.v[i], &s);
		if (err) {
			snprintf(what, sizeof(what), "self show %u", ids.v[i]);
			goto fail;
		}
		if (regions)
			json_array_append_new(regions, region_json(&s));
		else
			region_text(&s);
	}
	if (j) {
		rupctl_json_print(j);
		j = NULL;
	}
	goto out;
fail:
	err = rupctl_nl_fail(&nl, err, what);
out:
	json_decref(j);
	json_decref(regions);
	rupnl_close(&nl);
out_free:
	free(ids.v);
	return err;
}

int cmd_self(int argc, char **argv)
{
	/* The first is what "rupctl self" alone runs. */
	static const struct rupctl_verb verbs[] = {
		{ "show", self_show },
		{ "set", self_set },
		{ NULL, NULL },
	};

	return rupctl_verbs(argc, argv, verbs, usage);
}
