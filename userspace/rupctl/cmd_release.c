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
	const char *out = NULL;
	const struct cli_opt opts[] = {
		{ "out", 0, CLI_STR, .target = &out },
		{ NULL },
	};
	char err[600];
	int rc;

	rc = rupctl_options(argc, argv, opts, usage, NULL);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
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

/* --version, --range, --name, --summary: text into the field at the target. */
static int opt_field(const struct cli_opt *opt, const char *value)
{
	char key[32];

	snprintf(key, sizeof(key), "--%s", opt->name);
	return copy_field(key, opt->target, opt->size, value) ? CLI_LATER : 0;
}

static int opt_install_arg(const struct cli_opt *opt, const char *value)
{
	struct release_manifest *m = opt->target;

	if (m->n_args == RELEASE_ARGS_MAX) {
		rupctl_err("release sign: more than %d --install-arg",
			   RELEASE_ARGS_MAX);
		return RUPCTL_EXIT_USAGE;
	}
	return copy_field("--install-arg", m->args[m->n_args++],
			  sizeof(m->args[0]), value) ?
		       CLI_LATER :
		       0;
}

static int sign_parse(int argc, char **argv, struct sign_args *a)
{
	struct release_manifest *m = &a->m;
	const struct cli_opt opts[] = {
		{ "key", 0, CLI_STR, .target = &a->key },
		{ "payload", 0, CLI_STR, .target = &a->payload },
		{ "version", 0, CLI_CALL, .target = m->version,
		  .call = opt_field, .size = sizeof(m->version) },
		{ "range", 0, CLI_CALL, .target = m->range, .call = opt_field,
		  .size = sizeof(m->range) },
		{ "name", 0, CLI_CALL, .target = m->name, .call = opt_field,
		  .size = sizeof(m->name) },
		{ "summary", 0, CLI_CALL, .target = m->summary,
		  .call = opt_field, .size = sizeof(m->summary) },
		{ "install-arg", 0, CLI_CALL, .target = m,
		  .call = opt_install_arg },
		{ "out", 0, CLI_STR, .target = &a->out },
		{ NULL },
	};
	int rc;

	rc = rupctl_options(argc, argv, opts, usage, NULL);
	if (rc)
		return rc;
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

/* --keys DIR or --pubkey FILE, the keys to trust: one of them, once. */
static int opt_trust(const struct cli_opt *opt, const char *value)
{
	const char **trust = opt->target;

	if (*trust) {
		rupctl_err("release verify: give one of --keys or --pubkey");
		return RUPCTL_EXIT_USAGE;
	}
	*trust = value;
	return 0;
}

/* Options and MANIFEST: 0, an exit code, or CLI_HELP. */
static int verify_parse(int argc, char **argv, struct verify_args *a)
{
	const struct cli_opt opts[] = {
		{ "keys", 0, CLI_CALL, .target = &a->trust, .call = opt_trust },
		{ "pubkey", 0, CLI_CALL, .target = &a->trust,
		  .call = opt_trust },
		{ "payload", 0, CLI_STR, .target = &a->payload },
		{ "sig", 0, CLI_STR, .target = &a->sigfile },
		{ "highest", 0, CLI_STR, .target = &a->highest },
		{ NULL },
	};
	char err[600];
	int rc;

	rc = rupctl_options_arg(argc, argv, opts, usage,
				"release verify: needs exactly one MANIFEST",
				&a->path);
	if (rc)
		return rc;
	if (a->highest && semver_parse(a->highest, &a->hv, err, sizeof(err))) {
		rupctl_err("release verify: --highest: %s", err);
		return RUPCTL_EXIT_USAGE;
	}
	if (!a->sigfile) {
		snprintf(a->sigpath, sizeof(a->sigpath), "%s.sig", a->path);
		a->sigfile = a->sigpath;
	}
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
	int rc;

	rc = verify_parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
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
