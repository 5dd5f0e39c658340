/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The package store: <dir>/<version>.pkg (payload), .manifest (the signed
 * bytes), .sig (base64 Ed25519), .part (a download in progress). A payload
 * is stored only after it verified; the manifest and signature are kept so
 * any node fetching from this one verifies exactly as from the ops server.
 */
#ifndef RUP_AGENT_STORE_H
#define RUP_AGENT_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "release.h"

struct event_base;

enum store_kind { STORE_PKG, STORE_MANIFEST, STORE_SIG, STORE_PART };

/* "<dir>/<version><suffix>"; -1 when it does not fit. */
int store_path(const char *dir, const char *version, enum store_kind k,
	       char *out, size_t len);
/* Verify manifest bytes + signature against @keys and parse it. */
int store_verify_manifest(const char *keys, const void *man, size_t len,
			  const char *sig, struct release_manifest *m,
			  char *err, size_t errlen);
/*
 * Verify <version>.part against @m and move it to <version>.pkg, writing the
 * manifest and signature beside it. On a bad payload the part is deleted.
 * Returns 0, -EINPROGRESS while the part is being hashed (call again after
 * store_check_init()'s @done ran), or release.h's codes.
 */
int store_commit(const char *dir, const struct release_manifest *m,
		 const void *man, size_t manlen, const char *sig, char *err,
		 size_t errlen);
/*
 * The highest stored version that still verifies; 0 with @m filled,
 * -ENOENT if none, -EINPROGRESS while a stored release is being checked
 * (one at a time; @done of store_check_init() runs after each).
 */
int store_best(const char *dir, const char *keys, struct release_manifest *m);
/* Is a verified payload of @m stored? 0 yes, -EINPROGRESS not known yet. */
int store_has(const char *dir, const char *keys,
	      const struct release_manifest *m);
/*
 * Delete every stored version (payload, manifest, signature, part) but the
 * @n in @protect (never deleted) and the highest others, up to @keep
 * versions in all; @keep 0 keeps everything. Returns how many were deleted.
 */
int store_prune(const char *dir, unsigned int keep, const char *const *protect,
		size_t n);

/* Delete every file of @version. */
void store_remove(const char *dir, const char *version);

/* store_check.c: cached payload verification, hashed off the event loop. */
/*
 * Hash in a worker thread from now on; @done(@arg) runs on @base's loop
 * after each hash. 0 or -errno.
 */
int store_check_init(struct event_base *base, void (*done)(void *arg),
		     void *arg);
/* Wait for the worker and forget every verdict. */
void store_check_exit(void);
/*
 * Does the file at @path hold @m's payload? 0 yes, -EINPROGRESS being
 * hashed (@done runs when it is known), else release.h's codes with why in
 * @err. A known file (same inode, size, mtime, digest) is not hashed again.
 */
int store_check(const char *path, const struct release_manifest *m, char *err,
		size_t errlen);
/*
 * Does <version> in the store verify: manifest and signature against
 * @keys (filling @m), payload against them? Cached like store_check()
 * under the payload's, manifest's, signature's and keys' stat() keys.
 */
int store_check_stored(const char *dir, const char *keys, const char *version,
		       struct release_manifest *m, char *err, size_t errlen);
/* Checks run in the worker since the start (tests). */
unsigned int store_check_hashed(void);

#endif
