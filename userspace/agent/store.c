// SPDX-License-Identifier: GPL-2.0
/* Package store on disk: verified payloads with their signed manifests. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static const char *const suffix[] = { ".pkg", ".manifest", ".sig", ".part" };

int store_path(const char *dir, const char *version, enum store_kind k,
	       char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s%s", dir, version, suffix[k]);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int store_verify_manifest(const char *keys, const void *man, size_t len,
			  const char *sig, struct release_manifest *m,
			  char *err, size_t errlen)
{
	char used[512];
	int rc = release_verify(man, len, sig, keys, used, sizeof(used), err,
				errlen);

	if (rc)
		return rc;
	return release_manifest_parse(man, len, m, err, errlen);
}

int store_commit(const char *dir, const struct release_manifest *m,
		 const void *man, size_t manlen, const char *sig, char *err,
		 size_t errlen)
{
	char part[600], pkg[600], mp[600], sp[600];
	int rc;

	if (store_path(dir, m->version, STORE_PART, part, sizeof(part)) ||
	    store_path(dir, m->version, STORE_PKG, pkg, sizeof(pkg)) ||
	    store_path(dir, m->version, STORE_MANIFEST, mp, sizeof(mp)) ||
	    store_path(dir, m->version, STORE_SIG, sp, sizeof(sp))) {
		snprintf(err, errlen, "store %s: path too long", dir);
		return -ENAMETOOLONG;
	}
	rc = store_check(part, m, err, errlen);
	if (rc) {
		if (rc != -EINPROGRESS)
			unlink(part);
		return rc;
	}
	rc = release_write_file(mp, man, manlen, 0644, err, errlen);
	if (!rc)
		rc = release_write_file(sp, sig, strlen(sig), 0644, err,
					errlen);
	if (!rc && rename(part, pkg)) {
		rc = -errno;
		snprintf(err, errlen, "store: rename %s: %s", part,
			 strerror(errno));
	}
	return rc;
}

int store_has(const char *dir, const char *keys,
	      const struct release_manifest *want)
{
	struct release_manifest m;
	char err[256];
	int rc = store_check_stored(dir, keys, want->version, &m, err,
				    sizeof(err));

	if (rc)
		return rc;
	return memcmp(m.sha256, want->sha256, sizeof(m.sha256)) ||
			       m.size != want->size ?
		       -EBADMSG :
		       0;
}

/* The version named by a store file (<version><suffix>) into @ver; 0 or -1. */
static int file_version(const char *name, enum store_kind k, char *ver)
{
	size_t n = strlen(name), sl = strlen(suffix[k]);

	if (n <= sl || strcmp(name + n - sl, suffix[k]) ||
	    n - sl > SEMVER_MAX_LEN)
		return -1;
	memcpy(ver, name, n - sl);
	ver[n - sl] = '\0';
	return 0;
}

int store_best(const char *dir, const char *keys, struct release_manifest *best)
{
	struct release_manifest m;
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false, pending = false;
	char err[256];
	int rc;

	if (!d)
		return -ENOENT;
	while ((e = readdir(d))) {
		char ver[SEMVER_MAX_LEN + 1];

		if (file_version(e->d_name, STORE_PKG, ver))
			continue;
		rc = store_check_stored(dir, keys, ver, &m, err, sizeof(err));
		pending |= rc == -EINPROGRESS;
		if (rc)
			continue;
		if (!found || semver_cmp(&m.ver, &best->ver) > 0) {
			*best = m;
			found = true;
		}
	}
	closedir(d);
	/* A higher one may still be hashing: offer nothing lower meanwhile. */
	if (pending)
		return -EINPROGRESS;
	return found ? 0 : -ENOENT;
}

#define PRUNE_MAX 256 /* versions looked at; more are left for next time */

struct stored_ver {
	char v[SEMVER_MAX_LEN + 1];
	struct semver sv;
	bool pkg; /* a payload, not only a part or a manifest */
};

/* The versions with any file in @dir (each once); how many. */
static size_t list_versions(DIR *d, struct stored_ver *out, size_t max)
{
	struct dirent *e;
	size_t n = 0, i;

	while ((e = readdir(d)) && n < max) {
		for (int k = STORE_PKG; k <= STORE_PART; k++) {
			if (file_version(e->d_name, k, out[n].v) ||
			    semver_parse(out[n].v, &out[n].sv, NULL, 0))
				continue;
			for (i = 0; i < n && strcmp(out[i].v, out[n].v); i++)
				;
			out[i].pkg |= k == STORE_PKG;
			if (i == n)
				n++;
			break;
		}
	}
	return n;
}

static int by_version_desc(const void *a, const void *b)
{
	const struct stored_ver *x = a, *y = b;

	return semver_cmp(&y->sv, &x->sv);
}

static bool is_protected(const char *v, const char *const *protect, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (protect[i] && !strcmp(protect[i], v))
			return true;
	return false;
}

void store_remove(const char *dir, const char *v)
{
	char p[600];

	for (int k = STORE_PKG; k <= STORE_PART; k++)
		if (!store_path(dir, v, k, p, sizeof(p)))
			unlink(p);
}

int store_prune(const char *dir, unsigned int keep, const char *const *protect,
		size_t n)
{
	struct stored_ver *vs;
	size_t nv, nprot = 0, slots, removed = 0;
	DIR *d;

	if (!keep || !(d = opendir(dir)))
		return 0;
	vs = calloc(PRUNE_MAX + 1, sizeof(*vs));
	nv = vs ? list_versions(d, vs, PRUNE_MAX) : 0;
	closedir(d);
	qsort(vs, nv, sizeof(*vs), by_version_desc);
	for (size_t i = 0; i < nv; i++)
		nprot += is_protected(vs[i].v, protect, n);
	slots = keep > nprot ? keep - nprot : 0;
	for (size_t i = 0; i < nv; i++) {
		if (is_protected(vs[i].v, protect, n))
			continue;
		if (slots && vs[i].pkg) {
			slots--;
			continue;
		}
		store_remove(dir, vs[i].v);
		removed++;
	}
	free(vs);
	return (int)removed;
}
