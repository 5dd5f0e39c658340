/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The package store: <dir>/<version>.pkg (payload), .manifest (the signed
 * bytes), .sig (base64 Ed25519), .part (a download in progress). A payload
 * is stored only after it verified; the manifest and signature are kept so
 * any node fetching from this one verifies exactly as from the ops server.
 */
#ifndef RUP_AGENT_STORE_H
#define RUP_AGENT_STORE_H

#include <stddef.h>

#include "release.h"

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
 * Returns 0 or release.h's codes.
 */
int store_commit(const char *dir, const struct release_manifest *m,
		 const void *man, size_t manlen, const char *sig, char *err,
		 size_t errlen);
/* The highest stored version that still verifies; 0 with @m filled, -ENOENT if none. */
int store_best(const char *dir, const char *keys, struct release_manifest *m);
/* Is a verified payload of @m stored? 0 yes. */
int store_has(const char *dir, const char *keys,
	      const struct release_manifest *m);

#endif
