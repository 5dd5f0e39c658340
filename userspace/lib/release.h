/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Release manifests: parsing, Ed25519 signatures, payload verification and
 * rollback protection (docs/RELEASES.md).
 *
 * A manifest is a small JSON object describing one payload; it is signed
 * offline with Ed25519 over the manifest file's exact bytes, and the
 * signature travels as base64 text (a ".sig" file, or a JSON string).
 *
 * Every function returns 0 or a negative errno-style code and, when @err is
 * not NULL, writes a message with context into it. The codes a caller can
 * act on, and the report reason release_reason() gives for each:
 *
 *   -EINVAL       malformed manifest or argument                  "malformed_manifest"
 *   -E2BIG        manifest file larger than RELEASE_MANIFEST_MAX  "malformed_manifest"
 *   -ENOKEY       no usable Ed25519 public key where trust points "no_trusted_keys"
 *   -EKEYREJECTED signature malformed, or verifies with no trusted key
 *                                                                 "bad_signature"
 *   -EBADMSG      payload SHA-256 differs from the manifest's     "hash_mismatch"
 *   -EFBIG        payload larger than the signed size             "size_exceeded"
 *   -ENODATA      payload shorter than the signed size            "size_short"
 *   -ESTALE       release lower than the highest installed        "downgrade"
 *   -EALREADY     release equal to the highest installed          "already_installed"
 *   other         I/O or library failure (-errno)                 "io_error"
 */
#ifndef RUP_RELEASE_H
#define RUP_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include "semver.h"

#define RELEASE_FORMAT 1
#define RELEASE_MANIFEST_MAX (16 * 1024) /* bytes of manifest JSON */
#define RELEASE_NAME_MAX 64
#define RELEASE_SUMMARY_MAX 1024
#define RELEASE_CREATED_MAX 40
#define RELEASE_ARGS_MAX 16 /* install_args entries */
#define RELEASE_ARG_MAX 256 /* bytes per install_args entry */
#define RELEASE_SIZE_MAX ((1ULL << 53) - 1) /* exact in every JSON parser */
#define RELEASE_SHA256_LEN 32
#define RELEASE_SIG_LEN 64 /* raw Ed25519 signature */
#define RELEASE_SIG_B64_LEN 88 /* its base64 text, without NUL */
#define RELEASE_KEYS_DIR "/etc/rup/keys" /* default trust: *.pub in here */

struct release_manifest {
	int format;
	char name[RELEASE_NAME_MAX + 1];
	char version[SEMVER_MAX_LEN + 1];
	char range[RANGE_MAX_LEN + 1];
	char summary[RELEASE_SUMMARY_MAX + 1];
	char sha256_hex[2 * RELEASE_SHA256_LEN + 1];
	char created[RELEASE_CREATED_MAX + 1];
	uint64_t size;
	unsigned int n_args;
	char args[RELEASE_ARGS_MAX][RELEASE_ARG_MAX + 1];
	/* Parsed forms of the fields above. */
	struct semver ver;
	struct range rng;
	uint8_t sha256[RELEASE_SHA256_LEN];
};

/* Short machine-readable reason for a report, from a return code. */
const char *release_reason(int rc);

/*
 * Manifest JSON. Every field is required except install_args; unknown
 * fields are rejected (a new field means a new format number), as are
 * duplicate keys.
 */
int release_manifest_parse(const void *buf, size_t len,
			   struct release_manifest *m, char *err,
			   size_t errlen);
/*
 * Serialise @m (its text fields) as the canonical manifest text, ending in a
 * newline; malloc'd, *len set. Only the signer uses this: verification always
 * works on the bytes as received.
 */
char *release_manifest_dump(const struct release_manifest *m, size_t *len,
			    char *err, size_t errlen);

/* RFC 3339 date-time with 'T' and 'Z' or a numeric offset. */
int release_check_rfc3339(const char *s);

/* Read a whole file of at most @max bytes (-E2BIG above); NUL-terminated. */
int release_read_file(const char *path, size_t max, char **buf, size_t *len,
		      char *err, size_t errlen);
/* Write @buf to @path atomically (temporary file, fsync, rename). */
int release_write_file(const char *path, const void *buf, size_t len,
		       unsigned int mode, char *err, size_t errlen);

/* Signatures (Ed25519, OpenSSL EVP with no digest). */
int release_keygen(const char *dir, char *err, size_t errlen);
int release_sign(const void *buf, size_t len, const char *key_path,
		 char sig_b64[RELEASE_SIG_B64_LEN + 1], char *err,
		 size_t errlen);
/* Decode base64 text (surrounding whitespace allowed) into 64 bytes;
 * -EKEYREJECTED when it is not one. */
int release_sig_decode(const char *text, size_t len,
		       uint8_t sig[RELEASE_SIG_LEN], char *err, size_t errlen);
/* Verify with one PEM public key file. */
int release_verify_key(const void *buf, size_t len, const char *sig_b64,
		       const char *pub_path, char *err, size_t errlen);
/*
 * Verify against @trust: a folder (every *.pub in it is a trusted key) or
 * one PEM file; NULL means RELEASE_KEYS_DIR. Unreadable or non-Ed25519
 * keys in a folder are skipped. On success the accepting key's path goes
 * into @used (may be NULL).
 */
int release_verify(const void *buf, size_t len, const char *sig_b64,
		   const char *trust, char *used, size_t usedlen, char *err,
		   size_t errlen);

/*
 * Streamed payload check: feed bytes as they arrive; update fails with
 * -EFBIG as soon as more than the signed size has been fed, so a download
 * can stop at once. final compares size and SHA-256 and frees the state
 * (call release_hash_free instead when abandoning).
 */
struct release_hash {
	void *ctx; /* EVP_MD_CTX */
	uint64_t got;
	uint64_t limit;
};

int release_hash_init(struct release_hash *h, uint64_t limit);
int release_hash_update(struct release_hash *h, const void *data, size_t n);
int release_hash_final(struct release_hash *h, const struct release_manifest *m,
		       char *err, size_t errlen);
void release_hash_free(struct release_hash *h);

/* Check a payload file against @m, never reading past the signed size. */
int release_verify_payload(const struct release_manifest *m, const char *path,
			   char *err, size_t errlen);
/* SHA-256 and size of a whole file (for the signer). */
int release_hash_file(const char *path, uint8_t sha[RELEASE_SHA256_LEN],
		      uint64_t *size, char *err, size_t errlen);

/*
 * Rollback protection: @release must be higher than @highest, the highest
 * version ever installed (NULL when nothing was).
 */
int release_check_rollback(const struct semver *release,
			   const struct semver *highest, char *err,
			   size_t errlen);

#endif
