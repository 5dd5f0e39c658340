// SPDX-License-Identifier: GPL-2.0
/* Messages, exit codes and JSON output shared by the rupctl commands. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "rupctl.h"

struct rupctl_opts rupctl_opts;

void rupctl_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("rupctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool rupctl_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") ||
	       !strcmp(arg, "help");
}

bool rupctl_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    (i <= 2 && !strcmp(argv[i], "help")))
			return true;
	return false;
}

int rupctl_nl_open(struct rupnl *nl)
{
	int err = rupnl_open(nl);

	if (err == -ENOENT) {
		rupctl_err("rup module not loaded");
		return RUPCTL_EXIT_NOMODULE;
	}
	if (err) {
		rupctl_err("netlink: %s", strerror(-err));
		return RUPCTL_EXIT_KERNEL;
	}
	return RUPCTL_EXIT_OK;
}

int rupctl_nl_fail(const struct rupnl *nl, int err, const char *what)
{
	const char *miss = rup_attr_name(nl->ext_miss_type);

	if (err == -EINTR) {
		rupctl_err("%s: table kept changing during the dump; try again",
			   what);
		return RUPCTL_EXIT_KERNEL;
	}
	if (nl->ext_miss_type && miss)
		rupctl_err("%s: %s (missing %s)", what, rupnl_errstr(nl, err),
			   miss);
	else if (nl->ext_miss_type)
		rupctl_err("%s: %s (missing attribute %u)", what,
			   rupnl_errstr(nl, err), nl->ext_miss_type);
	else
		rupctl_err("%s: %s", what, rupnl_errstr(nl, err));
	return RUPCTL_EXIT_KERNEL;
}

const char *rupctl_arg(int *i, int argc, char **argv, const char *what)
{
	if (*i + 1 >= argc) {
		rupctl_err("%s: \"%s\" needs a value", what, argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int rupctl_bad_value(const char *what, const char *key, const char *val,
		     const char *expect)
{
	rupctl_err("%s: %s: bad value \"%s\" (%s)", what, key, val, expect);
	return RUPCTL_EXIT_USAGE;
}

void rupctl_json_print(json_t *j)
{
	size_t flags = JSON_PRESERVE_ORDER;

	flags |= rupctl_opts.pretty ? JSON_INDENT(2) : JSON_COMPACT;
	json_dumpf(j, stdout, flags);
	fputc('\n', stdout);
	fflush(stdout);
	json_decref(j);
}

int rupctl_options(int argc, char **argv, const struct cli_opt *opts,
		   void (*usage)(FILE *f), const char *what)
{
	const struct cli_spec spec = { opts, usage, RUPCTL_EXIT_USAGE, false };
	int rc = cli_parse(&spec, argc, argv);

	if (!rc && what && optind < argc)
		return rupctl_unexpected(what, argv[optind]);
	return rc;
}

int rupctl_options_arg(int argc, char **argv, const struct cli_opt *opts,
		       void (*usage)(FILE *f), const char *needs,
		       const char **arg)
{
	int rc = rupctl_options(argc, argv, opts, usage, NULL);

	if (rc)
		return rc;
	if (optind != argc - 1) {
		rupctl_err("%s", needs);
		return RUPCTL_EXIT_USAGE;
	}
	*arg = argv[optind];
	return 0;
}

int rupctl_unexpected(const char *what, const char *arg)
{
	rupctl_err("%s: unexpected argument \"%s\"", what, arg);
	return RUPCTL_EXIT_USAGE;
}

void rupctl_exit_codes_help(FILE *f)
{
	fprintf(f,
		"Exit codes: 0 ok, 1 usage, 2 kernel/netlink error, 3 rup module not\n"
		"loaded, 4 node abnormal (score), 5 malformed manifest, 6 bad signature\n"
		"or key, 7 payload differs, 8 rollback refused (release), 9 a file could\n"
		"not be read or written, 10 refused by the ops server, 11 ops server\n"
		"unreachable (ops).\n");
}

int rupctl_region_arg(int argc, char **argv, const char *cmd,
		      void (*usage)(FILE *f), char *what, size_t whatlen,
		      uint32_t *region)
{
	*region = RUPNL_NO_REGION;
	snprintf(what, whatlen, "%s", cmd);
	if (argc > 2) {
		rupctl_err("%s: too many arguments", cmd);
		if (usage)
			usage(stderr);
		return RUPCTL_EXIT_USAGE;
	}
	if (argc < 2)
		return 0;
	snprintf(what, whatlen, "%s %.20s", cmd, argv[1]);
	if (parse_u32(argv[1], UINT32_MAX, region) ||
	    *region == RUPNL_NO_REGION)
		return rupctl_bad_value(cmd, "region", argv[1], "a number");
	return 0;
}

int rupctl_nl_done(struct rupnl *nl, int err, const char *what, json_t *list)
{
	if (err)
		err = rupctl_nl_fail(nl, err, what);
	else if (list)
		rupctl_json_print(json_incref(list));
	rupnl_close(nl);
	return err;
}

int rupctl_read_start(struct rupctl_read *r, int argc, char **argv,
		      const char *cmd, void (*usage)(FILE *f))
{
	int err;

	if (rupctl_wants_help(argc, argv)) {
		usage(stdout);
		return CLI_HELP;
	}
	err = rupctl_region_arg(argc, argv, cmd, usage, r->what,
				sizeof(r->what), &r->region);
	return err ?: rupctl_nl_open(&r->nl);
}

int rupctl_verbs(int argc, char **argv, const struct rupctl_verb *verbs,
		 void (*usage)(FILE *f))
{
	const char *verb = argc > 1 ? argv[1] : verbs[0].name;
	const struct rupctl_verb *v;

	if (rupctl_wants_help(argc, argv)) {
		usage(stdout);
		return RUPCTL_EXIT_OK;
	}
	for (v = verbs; v->name; v++)
		if (!strcmp(verb, v->name))
			return v->run(argc > 1 ? argc - 1 : 1, argv + 1);
	rupctl_err("%s: unknown command \"%s\"; try \"rupctl %s help\"",
		   argv[0], verb, argv[0]);
	return RUPCTL_EXIT_USAGE;
}
