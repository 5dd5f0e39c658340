// SPDX-License-Identifier: GPL-2.0
/* Payload checks: streamed SHA-256 bounded by the signed size. */
#include "release.h"
#include "release_err.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

int release_hash_init(struct release_hash *h, uint64_t limit)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	h->ctx = NULL;
	h->got = 0;
	h->limit = limit;
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return -EIO;
	}
	h->ctx = ctx;
	return 0;
}

int release_hash_update(struct release_hash *h, const void *data, size_t n)
{
	if (!h->ctx)
		return -EINVAL;
	if (n > h->limit - h->got)
		return -EFBIG; /* endless data: stop before hashing any of it */
	if (EVP_DigestUpdate(h->ctx, data, n) != 1)
		return -EIO;
	h->got += n;
	return 0;
}

void release_hash_free(struct release_hash *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int release_hash_final(struct release_hash *h, const struct release_manifest *m,
		       char *err, size_t errlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok;

	if (!h->ctx)
		return rel_err(err, errlen, -EINVAL,
			       "payload: hash not started");
	ok = EVP_DigestFinal_ex(h->ctx, md, &mdlen) == 1;
	release_hash_free(h);
	if (!ok)
		return rel_err(err, errlen, -EIO, "payload: SHA-256 failed");
	if (h->got < m->size)
		return rel_err(
			err, errlen, -ENODATA,
			"payload: %llu bytes, shorter than the signed size %llu",
			(unsigned long long)h->got,
			(unsigned long long)m->size);
	if (h->got > m->size)
		return rel_err(err, errlen, -EFBIG,
			       "payload: larger than the signed size %llu",
			       (unsigned long long)m->size);
	if (mdlen != RELEASE_SHA256_LEN ||
	    CRYPTO_memcmp(md, m->sha256, RELEASE_SHA256_LEN))
		return rel_err(err, errlen, -EBADMSG,
			       "payload: SHA-256 differs from the signed %s",
			       m->sha256_hex);
	return 0;
}

int release_verify_payload(const struct release_manifest *m, const char *path,
			   char *err, size_t errlen)
{
	unsigned char *buf;
	struct release_hash h;
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC |
				O_NONBLOCK); /* a FIFO must not hang us */
	if (fd < 0)
		return rel_err(err, errlen, -errno, "payload %s: %s", path,
			       strerror(errno));
	buf = malloc(CHUNK);
	if (!buf) {
		close(fd);
		return rel_err(err, errlen, -ENOMEM,
			       "payload %s: out of memory", path);
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		free(buf);
		close(fd);
		return rel_err(err, errlen, -EINVAL,
			       "payload %s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > m->size) {
		free(buf);
		close(fd);
		return rel_err(
			err, errlen, -EFBIG,
			"payload %s: %lld bytes, larger than the signed size %llu",
			path, (long long)st.st_size,
			(unsigned long long)m->size);
	}
	rc = release_hash_init(&h, m->size);
	if (rc) {
		free(buf);
		close(fd);
		return rel_err(err, errlen, rc,
			       "payload %s: cannot start SHA-256", path);
	}
	while (h.got < m->size) {
		size_t want = m->size - h.got < CHUNK ?
				      (size_t)(m->size - h.got) :
				      CHUNK;
		ssize_t n =
			read(fd, buf, want); /* never past the signed size */

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = rel_err(err, errlen, -errno, "payload %s: %s",
				     path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		rc = release_hash_update(&h, buf, (size_t)n);
		if (rc)
			break;
	}
	free(buf);
	close(fd);
	if (rc) {
		release_hash_free(&h);
		return rc;
	}
	rc = release_hash_final(&h, m, err, errlen);
	if (rc && err && errlen) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", err);
		rel_err(err, errlen, rc, "%s (%s)", msg, path);
	}
	return rc;
}

int release_hash_file(const char *path, uint8_t sha[RELEASE_SHA256_LEN],
		      uint64_t *size, char *err, size_t errlen)
{
	unsigned char buf[4096];
	EVP_MD_CTX *ctx;
	unsigned int mdlen = 0;
	uint64_t total = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rel_err(err, errlen, -errno, "%s: %s", path,
			       strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = rel_err(err, errlen, -EIO, "%s: cannot start SHA-256",
			     path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = rel_err(err, errlen, -errno, "%s: %s", path,
				     strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			rc = rel_err(err, errlen, -EIO, "%s: SHA-256 failed",
				     path);
			goto out;
		}
		total += (uint64_t)n;
	}
	if (EVP_DigestFinal_ex(ctx, sha, &mdlen) != 1 ||
	    mdlen != RELEASE_SHA256_LEN) {
		rc = rel_err(err, errlen, -EIO, "%s: SHA-256 failed", path);
		goto out;
	}
	*size = total;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}
