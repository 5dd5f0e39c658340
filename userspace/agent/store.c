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
	rc = release_verify_payload(m, part, err, errlen);
	if (rc) {
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

static int load_stored(const char *dir, const char *keys, const char *version,
		       struct release_manifest *m)
{
	char mp[600], sp[600], pkg[600], err[256];
	char *man = NULL, *sig = NULL;
	size_t manlen, siglen;
	int rc;

	if (store_path(dir, version, STORE_MANIFEST, mp, sizeof(mp)) ||
	    store_path(dir, version, STORE_SIG, sp, sizeof(sp)) ||
	    store_path(dir, version, STORE_PKG, pkg, sizeof(pkg)))
		return -ENAMETOOLONG;
	rc = release_read_file(mp, RELEASE_MANIFEST_MAX, &man, &manlen, err,
			       sizeof(err));
	if (!rc)
		rc = release_read_file(sp, 1024, &sig, &siglen, err,
				       sizeof(err));
	if (!rc)
		rc = store_verify_manifest(keys, man, manlen, sig, m, err,
					   sizeof(err));
	if (!rc && strcmp(m->version, version))
		rc = -EINVAL;
	if (!rc)
		rc = release_verify_payload(m, pkg, err, sizeof(err));
	free(man);
	free(sig);
	return rc;
}

int store_has(const char *dir, const char *keys,
	      const struct release_manifest *want)
{
	struct release_manifest m;
	int rc = load_stored(dir, keys, want->version, &m);

	if (rc)
		return rc;
	return memcmp(m.sha256, want->sha256, sizeof(m.sha256)) ||
			       m.size != want->size ?
		       -EBADMSG :
		       0;
}

int store_best(const char *dir, const char *keys, struct release_manifest *best)
{
	struct release_manifest m;
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return -ENOENT;
	while ((e = readdir(d))) {
		char ver[SEMVER_MAX_LEN + 1];
		size_t n = strlen(e->d_name);

		if (n <= 4 || strcmp(e->d_name + n - 4, ".pkg") ||
		    n - 4 > SEMVER_MAX_LEN)
			continue;
		memcpy(ver, e->d_name, n - 4);
		ver[n - 4] = '\0';
		if (load_stored(dir, keys, ver, &m))
			continue;
		if (!found || semver_cmp(&m.ver, &best->ver) > 0) {
			*best = m;
			found = true;
		}
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}
