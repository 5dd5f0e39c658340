// SPDX-License-Identifier: GPL-2.0
/* Unit tests: release manifests, Ed25519 signatures, payload and rollback checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "release.h"

static char tmpdir[] = "/tmp/rup-test-release.XXXXXX";
static char err[512];

static const char good[] =
	"{\n"
	"  \"format\": 1,\n"
	"  \"name\": \"appliance-fw\",\n"
	"  \"version\": \"2.0.5\",\n"
	"  \"range\": \">=2.0.0,<2.1.0\",\n"
	"  \"summary\": \"fixes\\nand more\",\n"
	"  \"sha256\": \"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\",\n"
	"  \"size\": 5,\n"
	"  \"created\": \"2026-11-25T14:16:53Z\"\n"
	"}\n"; /* sha256 and size of "hello" */

static char *path(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static void put(const char *name, const char *text, size_t len)
{
	assert_int_equal(release_write_file(path(name), text, len, 0644, err,
					    sizeof(err)),
			 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	if (mkdir(path("keys"), 0755) || mkdir(path("other"), 0755) ||
	    mkdir(path("empty"), 0755))
		return -1;
	if (release_keygen(path("keys"), err, sizeof(err)) ||
	    release_keygen(path("other"), err, sizeof(err)))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unit_rm_tree(tmpdir);
}

static void test_keygen(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(stat(path("keys/release.key"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(path("keys/release.pub"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Never overwrites an existing key. */
	assert_int_equal(release_keygen(path("keys"), err, sizeof(err)),
			 -EEXIST);
	assert_non_null(strstr(err, "release.key"));
}

static void test_parse_good(void **state)
{
	struct release_manifest m;
	char *text;
	size_t len;

	(void)state;
	assert_int_equal(release_manifest_parse(good, strlen(good), &m, err,
						sizeof(err)),
			 0);
	assert_string_equal(m.name, "appliance-fw");
	assert_string_equal(m.version, "2.0.5");
	assert_int_equal(m.ver.patch, 5);
	assert_int_equal(m.rng.n, 2);
	assert_int_equal(m.size, 5);
	assert_int_equal(m.sha256[0], 0x2c);
	assert_int_equal(m.sha256[31], 0x24);
	assert_string_equal(m.summary, "fixes\nand more");
	assert_int_equal(m.n_args, 0);
	/* The signer's canonical output is exactly this text. */
	text = release_manifest_dump(&m, &len, err, sizeof(err));
	assert_non_null(text);
	assert_string_equal(text, good);
	assert_int_equal(len, strlen(good));
	free(text);
}

static void test_install_args(void **state)
{
	static const char *const txt =
		"{\"format\":1,\"name\":\"a\",\"version\":\"1.0.0\",\"range\":\"*\","
		"\"summary\":\"\",\"sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\","
		"\"size\":5,\"created\":\"2026-01-02T03:04:05.123+01:00\",\"install_args\":[\"--reboot\",\"x y\"]}";
	struct release_manifest m, m2;
	char *text;
	size_t len;

	(void)state;
	assert_int_equal(release_manifest_parse(txt, strlen(txt), &m, err,
						sizeof(err)),
			 0);
	assert_int_equal(m.n_args, 2);
	assert_string_equal(m.args[1], "x y");
	text = release_manifest_dump(&m, &len, err, sizeof(err));
	assert_non_null(text);
	assert_int_equal(
		release_manifest_parse(text, len, &m2, err, sizeof(err)), 0);
	assert_int_equal(m2.n_args, 2);
	assert_string_equal(m2.args[0], "--reboot");
	free(text);
}

/* Replace the first occurrence of @from in the good manifest with @to. */
static int parse_edit(const char *from, const char *to)
{
	struct release_manifest m;
	char buf[4096];
	const char *at = strstr(good, from);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - good), good, to,
		 at + strlen(from));
	err[0] = '\0';
	return release_manifest_parse(buf, strlen(buf), &m, err, sizeof(err));
}

/* An edit of the good manifest (@from to @to), and the error it must give. */
struct edit {
	const char *from, *to, *msg;
};

static void expect_bad(const struct edit *e)
{
	int rc = parse_edit(e->from, e->to);

	if (rc != -EINVAL)
		fail_msg("edit %s -> %s: rc %d", e->from, e->to, rc);
	if (!strstr(err, e->msg))
		fail_msg("edit %s -> %s: message \"%s\" lacks \"%s\"", e->from,
			 e->to, err, e->msg);
}

static void test_parse_bad(void **state)
{
	/* Each row the same way: the edit, then the message. */
	/* clang-format off */
	static const struct edit cases[] = {
		{ "\"format\": 1", "\"format\": 2",
		  "\"format\" must be 1" },
		{ "\"format\": 1", "\"format\": \"1\"",
		  "\"format\" must be 1" },
		{ "\"format\": 1,", "",
		  "missing field \"format\"" },
		{ "\"size\": 5,", "",
		  "missing field \"size\"" },
		{ "\"size\": 5", "\"size\": 0",
		  "\"size\" must be an integer" },
		{ "\"size\": 5", "\"size\": -5",
		  "\"size\" must be an integer" },
		{ "\"size\": 5", "\"size\": 5.0",
		  "\"size\" must be an integer" },
		{ "\"size\": 5", "\"size\": 9007199254740992",
		  "\"size\" must be an integer" },
		{ "\"name\": \"appliance-fw\"", "\"name\": \"../etc\"",
		  "\"name\"" },
		{ "\"name\": \"appliance-fw\"", "\"name\": \"\"",
		  "\"name\"" },
		{ "\"name\": \"appliance-fw\"", "\"name\": 7",
		  "\"name\" must be a string" },
		{ "\"version\": \"2.0.5\"", "\"version\": \"2.0\"",
		  "version \"2.0\"" },
		{ "\"range\": \">=2.0.0,<2.1.0\"", "\"range\": \"~2\"",
		  "range \"~2\"" },
		{ "\"sha256\": \"2c", "\"sha256\": \"2C",
		  "64 lowercase hex" },
		{ "9824\"", "98\"",
		  "64 lowercase hex" },
		{ "9824\"", "9824aa\"",
		  "longer than 64" },
		{ "2026-11-25T14:16:53Z", "2026-11-25 14:16:53Z",
		  "RFC 3339" },
		{ "2026-11-25T14:16:53Z", "2026-13-25T14:16:53Z",
		  "RFC 3339" },
		{ "\"format\": 1,", "\"format\": 1, \"extra\": true,",
		  "unknown field \"extra\"" },
		{ "\"format\": 1,", "\"format\": 1, \"format\": 1,",
		  "duplicate" },
		{ "\"summary\": \"fixes", "\"summary\": \"\\u0007fixes",
		  "control characters" },
		{ "\"size\": 5,", "\"size\": 5, \"install_args\": \"--x\",",
		  "array of strings" },
		{ "\"size\": 5,", "\"size\": 5, \"install_args\": [1],",
		  "must be a string" },
		{ "\"size\": 5,", "\"size\": 5, \"install_args\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\","
		  "\"9\",\"10\",\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"],",
		  "more than 16" },
		{ "}\n", "} x",
		  "line" },
		{ "{", "[",
		  "" },
	};
	/* clang-format on */

	(void)state;
	for (size_t i = 0; i < UNIT_LEN(cases); i++)
		expect_bad(&cases[i]);
}

static void test_parse_limits(void **state)
{
	struct release_manifest m;
	size_t n = RELEASE_MANIFEST_MAX + 1;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, good, strlen(good));
	assert_int_equal(release_manifest_parse(big, n, &m, err, sizeof(err)),
			 -E2BIG);
	/* Whitespace up to the limit is still fine. */
	assert_int_equal(
		release_manifest_parse(big, n - 1, &m, err, sizeof(err)), 0);
	free(big);
	assert_int_equal(release_manifest_parse("", 0, &m, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(release_manifest_parse("{}\0{}", 5, &m, err,
						sizeof(err)),
			 -EINVAL);
}

static void test_rfc3339(void **state)
{
	(void)state;
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53Z"), 0);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53.5Z"), 0);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53-05:30"), 0);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53"), -EINVAL);
	assert_int_equal(release_check_rfc3339("2026-11-25T24:16:53Z"),
			 -EINVAL);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53.Z"),
			 -EINVAL);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53+0530"),
			 -EINVAL);
	assert_int_equal(release_check_rfc3339("2026-11-25T14:16:53ZZ"),
			 -EINVAL);
}

static void sign_good(char sig[RELEASE_SIG_B64_LEN + 1])
{
	assert_int_equal(release_sign(good, strlen(good),
				      path("keys/release.key"), sig, err,
				      sizeof(err)),
			 0);
	assert_int_equal(strlen(sig), RELEASE_SIG_B64_LEN);
}

static void test_sign_verify(void **state)
{
	char sig[RELEASE_SIG_B64_LEN + 1], used[512] = "", bad[sizeof(good)];

	(void)state;
	sign_good(sig);
	/* One key file, the folder, and the folder's key reported back. */
	assert_int_equal(release_verify_key(good, strlen(good), sig,
					    path("keys/release.pub"), err,
					    sizeof(err)),
			 0);
	assert_int_equal(release_verify(good, strlen(good), sig, path("keys"),
					used, sizeof(used), err, sizeof(err)),
			 0);
	assert_string_equal(used, path("keys/release.pub"));
	/* Another key does not verify it. */
	assert_int_equal(release_verify(good, strlen(good), sig, path("other"),
					NULL, 0, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_non_null(strstr(err, "any of the 1 trusted keys"));
	assert_int_equal(release_verify(good, strlen(good), sig,
					path("other/release.pub"), NULL, 0, err,
					sizeof(err)),
			 -EKEYREJECTED);
	/* One changed byte of the manifest (even whitespace) breaks it. */
	memcpy(bad, good, sizeof(good));
	bad[1] = '\t';
	assert_int_equal(release_verify(bad, strlen(bad), sig, path("keys"),
					NULL, 0, err, sizeof(err)),
			 -EKEYREJECTED);
	/* A changed signature byte breaks it. */
	sig[10] = sig[10] == 'A' ? 'B' : 'A';
	assert_int_equal(release_verify(good, strlen(good), sig, path("keys"),
					NULL, 0, err, sizeof(err)),
			 -EKEYREJECTED);
}

static void test_sig_text(void **state)
{
	char sig[RELEASE_SIG_B64_LEN + 1], text[200];
	uint8_t raw[RELEASE_SIG_LEN];

	(void)state;
	sign_good(sig);
	snprintf(text, sizeof(text), "  %s\r\n", sig);
	assert_int_equal(release_sig_decode(text, strlen(text), raw, err,
					    sizeof(err)),
			 0);
	assert_int_equal(release_sig_decode(sig, 87, raw, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_int_equal(release_sig_decode("", 0, raw, err, sizeof(err)),
			 -EKEYREJECTED);
	memcpy(text, sig, sizeof(sig));
	text[40] = '*';
	assert_int_equal(release_sig_decode(text, strlen(text), raw, err,
					    sizeof(err)),
			 -EKEYREJECTED);
	assert_non_null(strstr(err, "base64"));
	/* Garbage where a signature belongs is a bad signature. */
	assert_int_equal(release_verify(good, strlen(good), "nonsense",
					path("keys"), NULL, 0, err,
					sizeof(err)),
			 -EKEYREJECTED);
}

static void test_trust_folder(void **state)
{
	char sig[RELEASE_SIG_B64_LEN + 1], used[512];
	EVP_PKEY *ec;
	FILE *f;

	(void)state;
	sign_good(sig);
	/* No keys at all. */
	assert_int_equal(release_verify(good, strlen(good), sig, path("empty"),
					NULL, 0, err, sizeof(err)),
			 -ENOKEY);
	assert_int_equal(release_verify(good, strlen(good), sig,
					path("missing"), NULL, 0, err,
					sizeof(err)),
			 -ENOKEY);
	assert_non_null(strstr(err, "missing"));
	/* Broken and non-Ed25519 keys are skipped; the good one still verifies. */
	mkdir(path("mixed"), 0755);
	put("mixed/a-broken.pub", "not a key\n", 10);
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(ec);
	f = fopen(path("mixed/b-ec.pub"), "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PUBKEY(f, ec), 1);
	fclose(f);
	EVP_PKEY_free(ec);
	assert_int_equal(release_verify(good, strlen(good), sig, path("mixed"),
					NULL, 0, err, sizeof(err)),
			 -ENOKEY);
	assert_non_null(strstr(err, "no usable Ed25519 keys"));
	assert_int_equal(
		link(path("other/release.pub"), path("mixed/c-other.pub")), 0);
	assert_int_equal(release_verify(good, strlen(good), sig, path("mixed"),
					NULL, 0, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_int_equal(
		link(path("keys/release.pub"), path("mixed/d-good.pub")), 0);
	/* Files not ending in .pub are not keys. */
	assert_int_equal(
		link(path("keys/release.key"), path("mixed/e-priv.key")), 0);
	assert_int_equal(release_verify(good, strlen(good), sig, path("mixed"),
					used, sizeof(used), err, sizeof(err)),
			 0);
	assert_string_equal(used, path("mixed/d-good.pub"));
	/* A private key file is not a public key. */
	assert_int_equal(release_verify_key(good, strlen(good), sig,
					    path("keys/release.key"), err,
					    sizeof(err)),
			 -ENOKEY);
}

static void test_payload(void **state)
{
	struct release_manifest m;
	struct release_hash h;

	(void)state;
	assert_int_equal(release_manifest_parse(good, strlen(good), &m, err,
						sizeof(err)),
			 0);
	put("p-good", "hello", 5);
	put("p-tampered", "hellO", 5);
	put("p-long", "hello!", 6);
	put("p-short", "hell", 4);
	assert_int_equal(release_verify_payload(&m, path("p-good"), err,
						sizeof(err)),
			 0);
	assert_int_equal(release_verify_payload(&m, path("p-tampered"), err,
						sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "SHA-256 differs"));
	assert_int_equal(release_verify_payload(&m, path("p-long"), err,
						sizeof(err)),
			 -EFBIG);
	assert_int_equal(release_verify_payload(&m, path("p-short"), err,
						sizeof(err)),
			 -ENODATA);
	assert_int_equal(release_verify_payload(&m, path("p-none"), err,
						sizeof(err)),
			 -ENOENT);
	assert_int_equal(release_verify_payload(&m, tmpdir, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(mkfifo(path("p-fifo"), 0600), 0);
	assert_int_equal(release_verify_payload(&m, path("p-fifo"), err,
						sizeof(err)),
			 -EINVAL);

	/* Streamed: the byte past the signed size is refused as it arrives. */
	assert_int_equal(release_hash_init(&h, m.size), 0);
	assert_int_equal(release_hash_update(&h, "hel", 3), 0);
	assert_int_equal(release_hash_update(&h, "lo!", 3), -EFBIG);
	assert_int_equal(release_hash_update(&h, "lo", 2), 0);
	assert_int_equal(release_hash_final(&h, &m, err, sizeof(err)), 0);
	assert_null(h.ctx);
	/* Used after final: refused, not a crash. */
	assert_int_equal(release_hash_update(&h, "x", 1), -EINVAL);
	assert_int_equal(release_hash_final(&h, &m, err, sizeof(err)), -EINVAL);
}

static void test_hash_file(void **state)
{
	uint8_t sha[RELEASE_SHA256_LEN];
	uint64_t size = 0;

	(void)state;
	put("p-hash", "hello", 5);
	assert_int_equal(release_hash_file(path("p-hash"), sha, &size, err,
					   sizeof(err)),
			 0);
	assert_int_equal(size, 5);
	assert_int_equal(sha[0], 0x2c);
	assert_int_equal(sha[31], 0x24);
}

static void test_rollback(void **state)
{
	struct semver r, h;

	(void)state;
	semver_parse("2.0.5", &r, NULL, 0);
	assert_int_equal(release_check_rollback(&r, NULL, err, sizeof(err)), 0);
	semver_parse("2.0.4", &h, NULL, 0);
	assert_int_equal(release_check_rollback(&r, &h, err, sizeof(err)), 0);
	semver_parse("2.0.5", &h, NULL, 0);
	assert_int_equal(release_check_rollback(&r, &h, err, sizeof(err)),
			 -EALREADY);
	semver_parse("2.1.0-rc.1", &h, NULL, 0);
	assert_int_equal(release_check_rollback(&r, &h, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(
		err,
		"release 2.0.5: lower than 2.1.0-rc.1, the highest version "
		"installed (rollback refused)");
}

static void test_reasons(void **state)
{
	(void)state;
	assert_string_equal(release_reason(-EKEYREJECTED), "bad_signature");
	assert_string_equal(release_reason(-EBADMSG), "hash_mismatch");
	assert_string_equal(release_reason(-EFBIG), "size_exceeded");
	assert_string_equal(release_reason(-ENODATA), "size_short");
	assert_string_equal(release_reason(-ESTALE), "downgrade");
	assert_string_equal(release_reason(-EINVAL), "malformed_manifest");
	assert_string_equal(release_reason(-ENOKEY), "no_trusted_keys");
	assert_string_equal(release_reason(-EIO), "io_error");
}

static void test_files(void **state)
{
	char *buf;
	size_t len;
	struct stat st;

	(void)state;
	assert_int_equal(release_write_file(path("f"), "abcdef", 6, 0600, err,
					    sizeof(err)),
			 0);
	assert_int_equal(stat(path("f"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(release_read_file(path("f"), 6, &buf, &len, err,
					   sizeof(err)),
			 0);
	assert_int_equal(len, 6);
	assert_string_equal(buf, "abcdef");
	free(buf);
	assert_int_equal(release_read_file(path("f"), 5, &buf, &len, err,
					   sizeof(err)),
			 -E2BIG);
	assert_int_equal(release_write_file(path("nodir/f"), "x", 1, 0600, err,
					    sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "nodir/f"));
	/* Replacing keeps no temporary behind and takes the new mode. */
	assert_int_equal(release_write_file(path("f"), "xy", 2, 0644, err,
					    sizeof(err)),
			 0);
	assert_int_equal(stat(path("f"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(
		system("ls /tmp/rup-test-release.*/f.* 2>/dev/null | grep -q ."),
		256);
	/* A FIFO where a file belongs is refused at once, never waited on. */
	assert_int_equal(mkfifo(path("fifo"), 0600), 0);
	assert_int_equal(release_read_file(path("fifo"), 100, &buf, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_keygen),
	  cmocka_unit_test(test_parse_good),
	  cmocka_unit_test(test_install_args), cmocka_unit_test(test_parse_bad),
	  cmocka_unit_test(test_parse_limits), cmocka_unit_test(test_rfc3339),
	  cmocka_unit_test(test_sign_verify), cmocka_unit_test(test_sig_text),
	  cmocka_unit_test(test_trust_folder), cmocka_unit_test(test_payload),
	  cmocka_unit_test(test_hash_file), cmocka_unit_test(test_rollback),
	  cmocka_unit_test(test_reasons), cmocka_unit_test(test_files))
