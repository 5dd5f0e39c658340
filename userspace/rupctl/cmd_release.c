// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl release keygen|sign|verify: offline release signing (docs/RELEASES.md).
 * The signature covers the manifest file's exact bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "hexb64.h"
#include "release.h"
#include "rupctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rupctl release keygen --out DIR\n"
		"       rupctl release sign --key KEY --payload FILE --version V --range R\n"
		"                           [--name N] [--summary S] [--install-arg A]...\n"
		"                           --out MANIFEST\n"
		"       rupctl release verify (--keys DIR | --pubkey FILE) [--payload FILE]\n"
		"                             [--sig FILE] [--highest V] MANIFEST\n"
		"keygen writes DIR/release.key (private, mode 0600) and DIR/release.pub.\n"
		"sign writes MANIFEST and MANIFEST.sig (base64 Ed25519 over MANIFEST's bytes).\n"
		"verify checks the signature (default MANIFEST.sig) against every *.pub in\n"
		"DIR (default " RELEASE_KEYS_DIR
		") or one key, then the manifest, the payload\n"
		"(SHA-256 and size) and that V is older (rollback protection).\n"
		"Exit codes: 0 ok, 1 usage, 5 malformed manifest, 6 bad signature, no\n"
		"trusted key or unusable signing key, 7 payload differs, 8 rollback\n"
		"refused, 9 file error.\n");
}

static int exit_for(int rc)
{
	switch (rc) {
	case -EINVAL:
	case -E2BIG:
		return RUPCTL_EXIT_MANIFEST;
	case -EKEYREJECTED:
	case -ENOKEY:
		return RUPCTL_EXIT_SIGNATURE;
	case -EBADMSG:
	case -EFBIG:
	case -ENODATA:
		return RUPCTL_EXIT_PAYLOAD;
	case -ESTALE:
	case -EALREADY:
		return RUPCTL_EXIT_ROLLBACK;
	default:
		return RUPCTL_EXIT_IO;
	}
}

static int fail(const char *verb, int rc, const char *err)
{
	rupctl_err("release %s: %s: %s", verb, release_reason(rc), err);
	return exit_for(rc);
}

static int keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		CLI_OPT_HELP_END,
	};
	const char *out = NULL;
	char err[600];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else {
			return cli_help_or_usage(c, usage, RUPCTL_EXIT_OK,
						 RUPCTL_EXIT_USAGE);
		}
	}
	if (!out || optind < argc) {
		rupctl_err("release keygen: needs --out DIR and nothing else");
		return RUPCTL_EXIT_USAGE;
	}
	if (mkdir(out, 0700) && errno != EEXIST) {
		rupctl_err("release keygen: %s: %s", out, strerror(errno));
		return RUPCTL_EXIT_IO;
	}
	rc = release_keygen(out, err, sizeof(err));
	if (rc) {
		rupctl_err("release keygen: %s", err);
		return RUPCTL_EXIT_IO;
	}
	if (rupctl_opts.json) {
		json_t *j = json_object();

		json_object_set_new(j, "private",
				    json_sprintf("%s/release.key", out));
		json_object_set_new(j, "public",
				    json_sprintf("%s/release.pub", out));
		rupctl_json_print(j);
	} else {
		printf("wrote %s/release.key (private: keep it offline) and %s/release.pub\n",
		       out, out);
	}
	return RUPCTL_EXIT_OK;
}

struct sign_args {
	const char *key, *payload, *out;
	struct release_manifest m;
};

static int copy_field(const char *opt, char *dst, size_t size, const char *v)
{
	if (strlen(v) >= size) {
		rupctl_err("release sign: %s: longer than %zu bytes", opt,
			   size - 1);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

static int sign_parse(int argc, char **argv, struct sign_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "payload", required_argument, NULL, 'p' },
		{ "version", required_argument, NULL, 'v' },
		{ "range", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "summary", required_argument, NULL, 's' },
		{ "install-arg", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		CLI_OPT_HELP_END,
	};
	struct release_manifest *m = &a->m;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			a->key = optarg;
			break;
		case 'p':
			a->payload = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'v':
			bad |= copy_field("--version", m->version,
					  sizeof(m->version), optarg);
			break;
		case 'r':
			bad |= copy_field("--range", m->range, sizeof(m->range),
					  optarg);
			break;
		case 'n':
			bad |= copy_field("--name", m->name, sizeof(m->name),
					  optarg);
			break;
		case 's':
			bad |= copy_field("--summary", m->summary,
					  sizeof(m->summary), optarg);
			break;
		case 'a':
			if (m->n_args == RELEASE_ARGS_MAX) {
				rupctl_err(
					"release sign: more than %d --install-arg",
					RELEASE_ARGS_MAX);
				return RUPCTL_EXIT_USAGE;
			}
			bad |= copy_field("--install-arg", m->args[m->n_args++],
					  sizeof(m->args[0]), optarg);
			break;
		default:
			return rupctl_opt_other(c, usage) ?: -1;
		}
	}
	if (bad)
		return RUPCTL_EXIT_USAGE;
	if (optind < argc || !a->key || !a->payload || !a->out ||
	    !m->version[0] || !m->range[0]) {
		rupctl_err(
			"release sign: needs --key, --payload, --version, --range and --out");
		return RUPCTL_EXIT_USAGE;
	}
	if (!m->name[0]) {
		char tmp[4096];

		snprintf(tmp, sizeof(tmp), "%s", a->payload);
		if (copy_field("--name (from the payload's file name)", m->name,
			       sizeof(m->name), basename(tmp)))
			return RUPCTL_EXIT_USAGE;
	}
	return 0;
}

static int sign(int argc, char **argv)
{
	struct sign_args a = { 0 };
	struct release_manifest check;
	char err[600], sig[RELEASE_SIG_B64_LEN + 2], sigpath[4096];
	char *text = NULL;
	size_t len = 0;
	time_t now = time(NULL);
	int rc;

	rc = sign_parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	if (snprintf(sigpath, sizeof(sigpath), "%s.sig", a.out) >=
	    (int)sizeof(sigpath)) {
		rupctl_err("release sign: --out: path too long");
		return RUPCTL_EXIT_USAGE;
	}
	strftime(a.m.created, sizeof(a.m.created), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now));
	rc = release_hash_file(a.payload, a.m.sha256, &a.m.size, err,
			       sizeof(err));
	if (rc)
		return fail("sign", rc, err);
	hex_to_text(a.m.sha256, RELEASE_SHA256_LEN, a.m.sha256_hex,
		    sizeof(a.m.sha256_hex));
	text = release_manifest_dump(&a.m, &len, err, sizeof(err));
	/* Write only what verify will accept: every field checked by the parser. */
	if (text)
		rc = release_manifest_parse(text, len, &check, err,
					    sizeof(err));
	if (!text || rc) {
		free(text);
		rupctl_err("release sign: %s", err);
		return RUPCTL_EXIT_MANIFEST;
	}
	rc = release_sign(text, len, a.key, sig, err, sizeof(err));
	if (rc) {
		free(text);
		rupctl_err("release sign: %s", err);
		/* -EINVAL: not an Ed25519 private key; else unreadable. */
		return rc == -EINVAL ? RUPCTL_EXIT_SIGNATURE : RUPCTL_EXIT_IO;
	}
	strcat(sig, "\n");
	rc = release_write_file(a.out, text, len, 0644, err, sizeof(err));
	if (!rc)
		rc = release_write_file(sigpath, sig, strlen(sig), 0644, err,
					sizeof(err));
	free(text);
	if (rc) {
		rupctl_err("release sign: %s", err);
		return RUPCTL_EXIT_IO;
	}
	if (rupctl_opts.json) {
		sig[RELEASE_SIG_B64_LEN] = '\0';
		rupctl_json_print(
			json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "manifest",
				  a.out, "signature_file", sigpath, "version",
				  a.m.version, "sha256", a.m.sha256_hex, "size",
				  (json_int_t)a.m.size, "signature", sig));
	} else {
		printf("signed %s %s (%llu bytes, sha256 %s)\nwrote %s and %s\n",
		       a.m.name, a.m.version, (unsigned long long)a.m.size,
		       a.m.sha256_hex, a.out, sigpath);
	}
	return RUPCTL_EXIT_OK;
}

struct verify_args {
	const char *trust, *payload, *sigfile, *highest, *path;
	struct semver hv;
	char sigpath[4096];
};

/* Options and MANIFEST: 0 or an exit code (RUPCTL_EXIT_OK after help). */
static int verify_parse(int argc, char **argv, struct verify_args *a,
			bool *done)
{
	static const struct option opts[] = {
		{ "keys", required_argument, NULL, 'k' },
		{ "pubkey", required_argument, NULL, 'K' },
		{ "payload", required_argument, NULL, 'p' },
		{ "sig", required_argument, NULL, 's' },
		{ "highest", required_argument, NULL, 'H' },
		CLI_OPT_HELP_END,
	};
	char err[600];
	int c;

	*done = true;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((c == 'k' || c == 'K') && a->trust) {
			rupctl_err(
				"release verify: give one of --keys or --pubkey");
			return RUPCTL_EXIT_USAGE;
		}
		if (c == 'k' || c == 'K')
			a->trust = optarg;
		else if (c == 'p')
			a->payload = optarg;
		else if (c == 's')
			a->sigfile = optarg;
		else if (c == 'H')
			a->highest = optarg;
		else
			return rupctl_opt_other(c, usage);
	}
	if (optind != argc - 1) {
		rupctl_err("release verify: needs exactly one MANIFEST");
		return RUPCTL_EXIT_USAGE;
	}
	a->path = argv[optind];
	if (a->highest && semver_parse(a->highest, &a->hv, err, sizeof(err))) {
		rupctl_err("release verify: --highest: %s", err);
		return RUPCTL_EXIT_USAGE;
	}
	if (!a->sigfile) {
		snprintf(a->sigpath, sizeof(a->sigpath), "%s.sig", a->path);
		a->sigfile = a->sigpath;
	}
	*done = false;
	return 0;
}

static void verify_print(const struct verify_args *a,
			 const struct release_manifest *m, const char *used)
{
	if (rupctl_opts.json) {
		json_t *j = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "name",
			m->name, "version", m->version, "range", m->range,
			"summary", m->summary, "sha256", m->sha256_hex, "size",
			(json_int_t)m->size, "key", used, "payload_verified",
			a->payload != NULL);

		rupctl_json_print(j);
	} else {
		printf("ok: %s %s (range %s, %llu bytes) signed by %s%s\n",
		       m->name, m->version, m->range,
		       (unsigned long long)m->size, used,
		       a->payload ? "; payload matches" : "");
	}
}

static int verify(int argc, char **argv)
{
	struct verify_args a = { 0 };
	char err[600], used[4096] = "";
	struct release_manifest m;
	char *text = NULL, *sig = NULL;
	size_t len, siglen;
	bool done;
	int rc;

	rc = verify_parse(argc, argv, &a, &done);
	if (done)
		return rc;
	rc = release_read_file(a.path, RELEASE_MANIFEST_MAX, &text, &len, err,
			       sizeof(err));
	if (rc)
		return fail("verify", rc == -E2BIG ? rc : -EIO, err);
	rc = release_read_file(a.sigfile, 4 * RELEASE_SIG_B64_LEN, &sig,
			       &siglen, err, sizeof(err));
	if (rc) {
		free(text);
		return fail("verify", rc == -E2BIG ? -EKEYREJECTED : -EIO, err);
	}
	/* Authenticate the bytes before parsing them. */
	rc = release_verify(text, len, sig, a.trust, used, sizeof(used), err,
			    sizeof(err));
	if (!rc)
		rc = release_manifest_parse(text, len, &m, err, sizeof(err));
	if (!rc && a.payload)
		rc = release_verify_payload(&m, a.payload, err, sizeof(err));
	if (!rc && a.highest)
		rc = release_check_rollback(&m.ver, &a.hv, err, sizeof(err));
	free(text);
	free(sig);
	if (rc)
		return fail("verify", rc, err);
	verify_print(&a, &m, used);
	return RUPCTL_EXIT_OK;
}

int cmd_release(int argc, char **argv)
{
	if (argc < 2 || rupctl_is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? RUPCTL_EXIT_USAGE : RUPCTL_EXIT_OK;
	}
	optind = 0; /* GNU getopt: start over; argv[1] is the verb */
	if (!strcmp(argv[1], "keygen"))
		return keygen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sign"))
		return sign(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return verify(argc - 1, argv + 1);
	rupctl_err("release: unknown verb \"%s\"; try \"rupctl release help\"",
		   argv[1]);
	return RUPCTL_EXIT_USAGE;
}
