// SPDX-License-Identifier: GPL-2.0
/*
 * Payload verification for the package store, cached and off the event loop.
 *
 * A verdict is kept under the file's (device, inode, size, mtime in ns) and
 * the signed digest and size it was checked against: a stored payload is
 * hashed again only when one of them changes (a rewrite, a truncation, a
 * byte changed in place all move the mtime), so looking at the whole store
 * every tick costs a stat() per file. A rename keeps the key: a verified
 * .part stays verified as .pkg.
 *
 * Hashing runs in one worker thread, one file at a time; the loop only
 * starts it and reads its verdict when the worker signals an eventfd. A
 * thread rather than a forked child: the verdict is a struct, not a message
 * to encode, and no child has to be reaped beside the install hook's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "store.h"

#define CACHE_N 32

struct file_key {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns;
};

/*
 * What a verdict holds for: the payload file and either the digest and
 * size it was checked against, or (a stored release) the manifest,
 * signature and trusted keys files it was checked with.
 */
struct check_key {
	struct file_key pkg, man, sig, keys;
	uint64_t signed_size;
	uint8_t sha256[RELEASE_SHA256_LEN];
};

struct check_entry {
	struct check_key k;
	int rc;
	struct release_manifest m; /* a stored release's manifest */
	uint64_t used; /* LRU stamp; 0 = free */
};

/* One check: of a payload against @m, or of a stored release. */
struct check_job {
	bool stored;
	char pkg[600], man[600], sig[600], keys[600];
	char version[SEMVER_MAX_LEN + 1];
	struct release_manifest m; /* in, or out for a stored release */
	struct check_key k;
	int rc;
	char err[600];
};

static struct {
	struct check_entry e[CACHE_N];
	uint64_t clock;
	struct event *ev;
	int efd;
	void (*done)(void *arg);
	void *arg;
	unsigned int hashed; /* checks run so far (tests read it) */
	/* The job in flight: the worker owns it until it signals. */
	bool busy;
	pthread_t th;
	struct check_job job;
	bool stable; /* the key did not change while checking */
} sc = { .efd = -1 };

static int file_key_of(const char *path, struct file_key *k)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	k->dev = st.st_dev;
	k->ino = st.st_ino;
	k->size = st.st_size;
	k->mtime_ns =
		(int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return 0;
}

static int key_of(const struct check_job *j, struct check_key *k)
{
	int rc;

	memset(k, 0, sizeof(*k));
	rc = file_key_of(j->pkg, &k->pkg);
	if (!rc && j->stored) {
		rc = file_key_of(j->man, &k->man);
		if (!rc)
			rc = file_key_of(j->sig, &k->sig);
		/* Adding, removing or renaming a key changes the folder's mtime. */
		if (!rc)
			rc = file_key_of(j->keys, &k->keys);
	} else if (!rc) {
		k->signed_size = j->m.size;
		memcpy(k->sha256, j->m.sha256, sizeof(k->sha256));
	}
	return rc;
}

static struct check_entry *lookup(const struct check_key *k)
{
	for (size_t i = 0; i < CACHE_N; i++)
		if (sc.e[i].used && !memcmp(&sc.e[i].k, k, sizeof(*k)))
			return &sc.e[i];
	return NULL;
}

static void remember_key(const struct check_key *k, const struct check_job *j)
{
	struct check_entry *e = lookup(k);

	if (!e) {
		/* The least recently used slot (a free one has used == 0). */
		e = &sc.e[0];
		for (size_t i = 1; i < CACHE_N; i++)
			if (sc.e[i].used < e->used)
				e = &sc.e[i];
	}
	e->k = *k;
	e->rc = j->rc;
	e->m = j->m;
	e->used = ++sc.clock;
}

static void remember(const struct check_job *j)
{
	struct check_key k = { .pkg = j->k.pkg, .signed_size = j->m.size };

	remember_key(&j->k, j);
	/* A good stored release is a good payload too (the offer's check). */
	if (j->stored && !j->rc) {
		memcpy(k.sha256, j->m.sha256, sizeof(k.sha256));
		remember_key(&k, j);
	}
}

/* Read and verify a stored manifest and signature into @j->m. */
static int read_manifest(struct check_job *j)
{
	char *man = NULL, *sig = NULL;
	size_t manlen, siglen;
	int rc;

	rc = release_read_file(j->man, RELEASE_MANIFEST_MAX, &man, &manlen,
			       j->err, sizeof(j->err));
	if (!rc)
		rc = release_read_file(j->sig, 1024, &sig, &siglen, j->err,
				       sizeof(j->err));
	if (!rc)
		rc = store_verify_manifest(j->keys, man, manlen, sig, &j->m,
					   j->err, sizeof(j->err));
	if (!rc && strcmp(j->m.version, j->version)) {
		snprintf(j->err, sizeof(j->err), "%.200s names version %s",
			 j->man, j->m.version);
		rc = -EINVAL;
	}
	free(man);
	free(sig);
	return rc;
}

static void run_job(struct check_job *j)
{
	j->rc = j->stored ? read_manifest(j) : 0;
	if (!j->rc)
		j->rc = release_verify_payload(&j->m, j->pkg, j->err,
					       sizeof(j->err));
}

static void *worker(void *arg)
{
	struct check_key after;
	uint64_t one = 1;

	(void)arg;
	run_job(&sc.job);
	sc.stable = !key_of(&sc.job, &after) &&
		    !memcmp(&after, &sc.job.k, sizeof(after));
	if (write(sc.efd, &one, sizeof(one)) != sizeof(one))
		sc.stable = false; /* cannot happen: a counter below its max */
	return NULL;
}

static void on_worker_done(evutil_socket_t fd, short what, void *arg)
{
	uint64_t n;

	(void)what, (void)arg;
	if (read(fd, &n, sizeof(n)) != sizeof(n) || !sc.busy)
		return;
	pthread_join(sc.th, NULL);
	sc.busy = false;
	sc.hashed++;
	/* Changed while being checked: no verdict; the next look checks again. */
	if (sc.stable)
		remember(&sc.job);
	if (sc.done)
		sc.done(sc.arg);
}

int store_check_init(struct event_base *base, void (*done)(void *arg),
		     void *arg)
{
	sc.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sc.efd < 0)
		return -errno;
	sc.ev = event_new(base, sc.efd, EV_READ | EV_PERSIST, on_worker_done,
			  NULL);
	if (!sc.ev || event_add(sc.ev, NULL)) {
		store_check_exit();
		return -ENOMEM;
	}
	sc.done = done;
	sc.arg = arg;
	return 0;
}

void store_check_exit(void)
{
	if (sc.busy) {
		pthread_join(sc.th, NULL);
		sc.busy = false;
	}
	if (sc.ev)
		event_free(sc.ev);
	sc.ev = NULL;
	if (sc.efd >= 0)
		close(sc.efd);
	sc.efd = -1;
	memset(sc.e, 0, sizeof(sc.e));
}

unsigned int store_check_hashed(void)
{
	return sc.hashed;
}

/* The verdict on @j: known, else checked in the worker (-EINPROGRESS). */
static int check(struct check_job *j, struct release_manifest *m, char *err,
		 size_t errlen)
{
	struct check_entry *e;
	int rc = key_of(j, &j->k);

	if (rc) {
		snprintf(err, errlen, "%s: %s", j->pkg, strerror(-rc));
		return rc;
	}
	e = lookup(&j->k);
	if (e) {
		e->used = ++sc.clock;
		if (e->rc)
			snprintf(err, errlen, "%s: %s", j->pkg,
				 release_reason(e->rc));
		else if (j->stored)
			*m = e->m;
		return e->rc;
	}
	if (sc.busy) {
		snprintf(err, errlen, "%s: waiting to be verified", j->pkg);
		return -EINPROGRESS;
	}
	sc.job = *j;
	sc.busy = true;
	if (sc.ev && !pthread_create(&sc.th, NULL, worker, NULL)) {
		snprintf(err, errlen, "%s: being verified", j->pkg);
		return -EINPROGRESS;
	}
	/* No event loop (tools) or no thread: check here. */
	sc.busy = false;
	run_job(&sc.job);
	remember(&sc.job);
	snprintf(err, errlen, "%s", sc.job.err);
	if (!sc.job.rc && j->stored)
		*m = sc.job.m;
	return sc.job.rc;
}

int store_check(const char *path, const struct release_manifest *m, char *err,
		size_t errlen)
{
	static struct check_job j;

	memset(&j, 0, sizeof(j));
	snprintf(j.pkg, sizeof(j.pkg), "%s", path);
	j.m = *m;
	return check(&j, NULL, err, errlen);
}

int store_check_stored(const char *dir, const char *keys, const char *version,
		       struct release_manifest *m, char *err, size_t errlen)
{
	static struct check_job j;

	memset(&j, 0, sizeof(j));
	j.stored = true;
	snprintf(j.version, sizeof(j.version), "%s", version);
	snprintf(j.keys, sizeof(j.keys), "%s", keys);
	if (store_path(dir, version, STORE_PKG, j.pkg, sizeof(j.pkg)) ||
	    store_path(dir, version, STORE_MANIFEST, j.man, sizeof(j.man)) ||
	    store_path(dir, version, STORE_SIG, j.sig, sizeof(j.sig))) {
		snprintf(err, errlen, "store %s: path too long", dir);
		return -ENAMETOOLONG;
	}
	return check(&j, m, err, errlen);
}
