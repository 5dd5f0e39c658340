// SPDX-License-Identifier: GPL-2.0
/* Ed25519 release signatures: key generation, signing, verification. */
#include "release.h"
#include "release_err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Open @path with O_EXCL so an existing key is never overwritten. */
static FILE *create_excl(const char *path, mode_t mode, char *err,
			 size_t errlen, int *rc)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		*rc = rel_err(err, errlen, -errno, "%s: %s", path,
			      strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		*rc = rel_err(err, errlen, -errno, "%s: %s", path,
			      strerror(errno));
		close(fd);
		unlink(path);
	}
	return f;
}

static int close_checked(FILE *f, bool ok, const char *path, char *err,
			 size_t errlen)
{
	if (fflush(f) || fsync(fileno(f)))
		ok = false;
	if (fclose(f))
		ok = false;
	if (!ok) {
		unlink(path);
		return rel_err(err, errlen, -EIO, "%s: cannot write the key",
			       path);
	}
	return 0;
}

int release_keygen(const char *dir, char *err, size_t errlen)
{
	char priv[4096], pub[4096];
	EVP_PKEY *pkey;
	FILE *f;
	int rc = 0;

	if (snprintf(priv, sizeof(priv), "%s/release.key", dir) >=
		    (int)sizeof(priv) ||
	    snprintf(pub, sizeof(pub), "%s/release.pub", dir) >=
		    (int)sizeof(pub))
		return rel_err(err, errlen, -ENAMETOOLONG, "%s: path too long",
			       dir);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pkey)
		return rel_err(err, errlen, -EIO,
			       "cannot generate an Ed25519 key");

	f = create_excl(priv, 0600, err, errlen, &rc);
	if (!f)
		goto out;
	rc = close_checked(f,
			   PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL,
						NULL) == 1,
			   priv, err, errlen);
	if (rc)
		goto out;
	f = create_excl(pub, 0644, err, errlen, &rc);
	if (!f) {
		unlink(priv); /* a key pair or nothing */
		goto out;
	}
	rc = close_checked(f, PEM_write_PUBKEY(f, pkey) == 1, pub, err, errlen);
	if (rc)
		unlink(priv);
out:
	EVP_PKEY_free(pkey);
	return rc;
}

static EVP_PKEY *load_key(const char *path, bool private, char *err,
			  size_t errlen, int *rc)
{
	EVP_PKEY *pkey;
	FILE *f = fopen(path, "re");

	if (!f) {
		*rc = rel_err(err, errlen, -errno, "%s: %s", path,
			      strerror(errno));
		return NULL;
	}
	pkey = private ? PEM_read_PrivateKey(f, NULL, NULL, NULL) :
			 PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!pkey) {
		*rc = rel_err(err, errlen, -EINVAL, "%s: not a PEM %s key",
			      path, private ? "private" : "public");
		return NULL;
	}
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		EVP_PKEY_free(pkey);
		*rc = rel_err(err, errlen, -EINVAL, "%s: not an Ed25519 key",
			      path);
		return NULL;
	}
	return pkey;
}

int release_sign(const void *buf, size_t len, const char *key_path,
		 char sig_b64[RELEASE_SIG_B64_LEN + 1], char *err,
		 size_t errlen)
{
	unsigned char sig[RELEASE_SIG_LEN];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *pkey;
	int rc = 0;

	pkey = load_key(key_path, true, err, errlen, &rc);
	if (!pkey)
		return rc;
	ctx = EVP_MD_CTX_new();
	/* Ed25519 hashes internally: no digest, one-shot sign. */
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, buf, len) != 1 ||
	    siglen != RELEASE_SIG_LEN)
		rc = rel_err(err, errlen, -EIO, "%s: signing failed", key_path);
	else
		EVP_EncodeBlock((unsigned char *)sig_b64, sig, RELEASE_SIG_LEN);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return rc;
}

int release_sig_decode(const char *text, size_t len,
		       uint8_t sig[RELEASE_SIG_LEN], char *err, size_t errlen)
{
	unsigned char out[RELEASE_SIG_B64_LEN];

	while (len && (*text == ' ' || *text == '\n' || *text == '\r' ||
		       *text == '\t')) {
		text++;
		len--;
	}
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\n' ||
		       text[len - 1] == '\r' || text[len - 1] == '\t'))
		len--;
	/* 64 bytes are always 88 characters ending in "==". */
	if (len != RELEASE_SIG_B64_LEN || text[86] != '=' || text[87] != '=' ||
	    memchr(text, '=', 86))
		return rel_err(
			err, errlen, -EKEYREJECTED,
			"signature: expected %d base64 characters for an Ed25519 signature",
			RELEASE_SIG_B64_LEN);
	/* DecodeBlock counts the padding as zero bytes: 66 for 88 characters. */
	if (EVP_DecodeBlock(out, (const unsigned char *)text, (int)len) !=
	    RELEASE_SIG_LEN + 2)
		return rel_err(err, errlen, -EKEYREJECTED,
			       "signature: not valid base64");
	memcpy(sig, out, RELEASE_SIG_LEN);
	return 0;
}

static int verify_pkey(EVP_PKEY *pkey, const void *buf, size_t len,
		       const uint8_t sig[RELEASE_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, RELEASE_SIG_LEN, buf, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EKEYREJECTED;
}

int release_verify_key(const void *buf, size_t len, const char *sig_b64,
		       const char *pub_path, char *err, size_t errlen)
{
	uint8_t sig[RELEASE_SIG_LEN];
	char why[512];
	EVP_PKEY *pkey;
	int rc;

	rc = release_sig_decode(sig_b64, strlen(sig_b64), sig, err, errlen);
	if (rc)
		return rc;
	pkey = load_key(pub_path, false, why, sizeof(why), &rc);
	if (!pkey)
		return rel_err(err, errlen,
			       rc == -ENOENT || rc == -EINVAL ? -ENOKEY : rc,
			       "no trusted key: %s", why);
	rc = verify_pkey(pkey, buf, len, sig);
	EVP_PKEY_free(pkey);
	if (rc)
		return rel_err(
			err, errlen, rc,
			"signature does not verify with the trusted key %s",
			pub_path);
	return 0;
}

static int pub_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       !strcmp(d->d_name + n - 4, ".pub");
}

static int verify_dir(const void *buf, size_t len,
		      const uint8_t sig[RELEASE_SIG_LEN], const char *dir,
		      char *used, size_t usedlen, char *err, size_t errlen)
{
	char path[4096], why[512] = "";
	struct dirent **names;
	int n, usable = 0, rc = -EKEYREJECTED;

	n = scandir(dir, &names, pub_filter, alphasort);
	if (n < 0)
		return rel_err(err, errlen, -ENOKEY, "no trusted keys: %s: %s",
			       dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		EVP_PKEY *pkey;
		int lrc;

		if (rc && snprintf(path, sizeof(path), "%s/%s", dir,
				   names[i]->d_name) < (int)sizeof(path)) {
			/* A broken extra key must not block the good ones. */
			pkey = load_key(path, false, why, sizeof(why), &lrc);
			if (pkey) {
				usable++;
				if (!verify_pkey(pkey, buf, len, sig)) {
					rc = 0;
					if (used && usedlen)
						snprintf(used, usedlen, "%s",
							 path);
				}
				EVP_PKEY_free(pkey);
			}
		}
		free(names[i]);
	}
	free(names);
	if (!rc)
		return 0;
	if (!usable)
		return rel_err(err, errlen, -ENOKEY,
			       "no usable Ed25519 keys (*.pub) in %s%s%s", dir,
			       *why ? "; " : "", why);
	return rel_err(
		err, errlen, -EKEYREJECTED,
		"signature does not verify with any of the %d trusted keys in %s",
		usable, dir);
}

int release_verify(const void *buf, size_t len, const char *sig_b64,
		   const char *trust, char *used, size_t usedlen, char *err,
		   size_t errlen)
{
	uint8_t sig[RELEASE_SIG_LEN];
	struct stat st;
	int rc;

	if (!trust)
		trust = RELEASE_KEYS_DIR;
	if (stat(trust, &st))
		return rel_err(err, errlen, -ENOKEY, "no trusted keys: %s: %s",
			       trust, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		rc = release_verify_key(buf, len, sig_b64, trust, err, errlen);
		if (!rc && used && usedlen)
			snprintf(used, usedlen, "%s", trust);
		return rc;
	}
	rc = release_sig_decode(sig_b64, strlen(sig_b64), sig, err, errlen);
	if (rc)
		return rc;
	return verify_dir(buf, len, sig, trust, used, usedlen, err, errlen);
}
