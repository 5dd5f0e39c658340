/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rup-opsd state store: every operation the handlers need, each one
 * transaction inside the store (it begins and commits), so a second backend
 * implements this header alone. Inputs and outputs are plain C structs; no
 * statement, row id or query text crosses it. Implemented for SQLite in
 * store_sqlite*.c.
 */
#ifndef RUP_OPSD_STORE_H
#define RUP_OPSD_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct assign;
struct assign_state;

enum store_rc {
	STORE_OK = 0,
	STORE_NOT_FOUND, /* the node, task, release, region or rollout */
	STORE_CONFLICT, /* the row is not in a state that allows it */
	STORE_FENCED, /* a term claim lost: see struct store_claim */
	STORE_FORBIDDEN, /* the task belongs to another region */
	STORE_INVALID, /* the request names something that does not exist */
	STORE_FULL, /* the assignment hook refused (no room) */
	STORE_BUSY, /* could not begin a transaction */
	STORE_ERR, /* anything else (logged) */
};

#define STORE_NODE_LEN 32 /* node ids: 32 lower-case hex digits */
#define STORE_KEY_LEN 32 /* region beacon keys */
#define STORE_STATE_LEN 31 /* task, node and rollout state words */

/* @sync_full: fsync every commit (else durable across a process crash). */
struct store *store_open(const char *where, int sync_full, char *err,
			 size_t errlen);
void store_close(struct store *s);

/* --- the region assignment (assign.h) as stored --- */

/*
 * What to write after the in-memory assignment changed: meta, every slot
 * and size from @from to N - 1, the @nslots slots below it and region
 * @size (-1: none). Regions without a row get one from @new_region (its
 * multicast group and a fresh key).
 */
struct store_assign_save {
	const struct assign *as;
	uint32_t from;
	unsigned int nslots;
	uint32_t slots[2];
	int64_t size;
	int (*new_region)(void *arg, uint32_t id, char grp[32],
			  uint8_t key[STORE_KEY_LEN], char *err, size_t errlen);
	void *arg;
};

/* Changes the in-memory assignment inside register and remove. */
struct store_assign_hook {
	/* A new node of @score: place it in *region; -1 with @err when full. */
	int (*place)(void *arg, uint32_t score, uint32_t *region,
		     struct store_assign_save *save, char *err, size_t errlen);
	/* A node of @region left. */
	int (*remove)(void *arg, uint32_t region,
		      struct store_assign_save *save);
	void *arg;
};

/* STORE_NOT_FOUND when none was saved; arrays freed by assign_state_release(). */
enum store_rc store_assign_load(struct store *s, struct assign_state *out,
				char *err, size_t errlen);
enum store_rc store_assign_save(struct store *s,
				const struct store_assign_save *save, char *err,
				size_t errlen);

/* --- nodes --- */

struct store_node_auth {
	uint8_t token_hash[32];
	int hash_ok; /* the stored hash has 32 bytes */
	uint32_t region;
};
enum store_rc store_node_auth(struct store *s, const char *node,
			      struct store_node_auth *out);

struct store_registration {
	const char *node, *version;
	const char *addresses; /* JSON array text */
	uint64_t score;
	uint8_t token_hash[32];
};
struct store_region_keys {
	uint8_t key[STORE_KEY_LEN], next_key[STORE_KEY_LEN];
	int has_next;
};
struct store_registered {
	int is_new;
	uint32_t region;
	char grp[32];
	struct store_region_keys keys;
};
/*
 * Register or re-register: a new node is placed by @hook (STORE_FULL with
 * its @err); a known one keeps its region. After a failure with is_new the
 * in-memory assignment must be reloaded.
 */
enum store_rc store_node_register(struct store *s,
				  const struct store_registration *in,
				  const struct store_assign_hook *hook,
				  struct store_registered *out, char *err,
				  size_t errlen);
/* Remove a node; its region goes to *region. The region's RVS role is dropped. */
enum store_rc store_node_remove(struct store *s, const char *node,
				const struct store_assign_hook *hook,
				uint32_t *region);

/* --- regions: keys and terms --- */

enum store_rc store_region_keys(struct store *s, uint32_t region,
				struct store_region_keys *out);
/* Stage @key as next (STORE_CONFLICT when one is staged), or promote it (@key NULL). */
enum store_rc store_region_key_rotate(struct store *s, uint32_t region,
				      const uint8_t *key, const char *audit);

/* A claim of a region's RVS role at a term (fencing, docs/API.md). */
struct store_claim {
	uint32_t region;
	const char *node;
	uint64_t term;
	/* out: */
	int raised; /* the region's term moved up to @term */
	uint64_t cur_term; /* when fenced: the region's term ... */
	char holder[STORE_NODE_LEN + 1]; /* ... and its RVS at equal term */
};
/* An RVS's poll: claim the term and mark the node seen. */
enum store_rc store_poll(struct store *s, struct store_claim *c);
/* 1 when @node holds @region's term (its RVS), 0 when not, -1 on error. */
int store_region_is_rvs(struct store *s, uint32_t region, const char *node);

/* --- releases --- */

struct store_release {
	const char *version, *signature, *sha256, *range, *summary;
	const void *manifest;
	size_t manifest_len;
	uint64_t size;
};
/* STORE_CONFLICT when @version is already published. */
enum store_rc store_release_publish(struct store *s,
				    const struct store_release *in,
				    const char *audit);
enum store_rc store_release_payload_stored(struct store *s, const char *version,
					   const char *audit);
struct store_release_row {
	void *manifest; /* malloc'd, freed by store_release_row_free() */
	size_t manifest_len;
	char signature[128];
	uint64_t size;
	int payload;
};
enum store_rc store_release_get(struct store *s, const char *version,
				struct store_release_row *out);
void store_release_row_free(struct store_release_row *r);
struct store_release_info {
	const char *version, *range, *summary, *sha256;
	uint64_t size, created;
	int payload;
};
typedef void store_release_info_fn(void *arg,
				   const struct store_release_info *r);
enum store_rc store_releases_each(struct store *s, store_release_info_fn *fn,
				  void *arg);

/* --- rollouts and tasks --- */

struct store_rollout_start {
	const char *version;
	const int64_t *regions; /* existing ids; NULL: every region with nodes */
	size_t n;
	uint64_t wave_size, threshold;
	/* out: */
	int64_t id;
	int64_t *chosen; /* malloc'd regions of the rollout, @n of them */
	size_t waves;
};
/*
 * STORE_NOT_FOUND: release not published; STORE_CONFLICT: no payload yet;
 * STORE_INVALID: no region has nodes.
 */
enum store_rc store_rollout_start(struct store *s,
				  struct store_rollout_start *r);
/* STORE_CONFLICT with its @state when not running; *n: tasks cancelled. */
enum store_rc store_rollout_cancel(struct store *s, int64_t id,
				   char state[STORE_STATE_LEN + 1], int64_t *n);

struct store_report_node {
	char id[STORE_NODE_LEN + 1];
	const char *version; /* as reported */
	int valid; /* version is SemVer: it becomes the node's version */
	const char *state;
};
struct store_report {
	struct store_claim claim; /* region, reporting node, term */
	uint64_t task;
	const char *state, *reason;
	const struct store_report_node *nodes;
	size_t nnodes;
	/*
	 * The request's entry after the @nnodes was malformed: checked in
	 * request order, it is refused with STORE_INVALID, bad_node = nnodes.
	 */
	int malformed_next;
	/* out: */
	uint32_t task_region; /* STORE_FORBIDDEN */
	char cur[STORE_STATE_LEN + 1]; /* STORE_CONFLICT: the task's state */
	char version[64]; /* the task's release (read once per report) */
	size_t bad_node; /* STORE_INVALID: nodes[i] not in the region */
	int woke; /* a wave opened: held polls should be answered */
};
enum store_rc store_report(struct store *s, struct store_report *r);

/* The open task of a region, as handed to its RVS. */
struct store_task {
	int64_t id, rollout, wave;
	uint32_t region;
	char state[STORE_STATE_LEN + 1];
	char *version, *range, *summary, *sha256, *signature; /* malloc'd */
	uint64_t size;
	void *manifest;
	size_t manifest_len;
	char (*nodes)[STORE_NODE_LEN + 1]; /* the region's registered nodes */
	size_t nnodes;
};
/* STORE_NOT_FOUND when the region has no open task. */
enum store_rc store_task_open(struct store *s, uint32_t region,
			      struct store_task *out);
void store_task_free(struct store_task *t);

/* --- status, page, metrics: read-only views --- */

struct store_region_row {
	uint32_t id;
	const char *grp, *rvs; /* rvs "" when none */
	uint64_t term;
	const char *last_state, *last_version; /* its newest task, "" none */
};
typedef void store_region_row_fn(void *arg, const struct store_region_row *r);
/* @only: one region, or -1 for all. */
enum store_rc store_regions_each(struct store *s, int64_t only,
				 store_region_row_fn *fn, void *arg);
struct store_node_row {
	const char *id, *version, *addresses, *state;
	uint64_t score, registered, last_seen, last_report;
};
typedef void store_node_row_fn(void *arg, const struct store_node_row *r);
enum store_rc store_members_each(struct store *s, uint32_t region,
				 store_node_row_fn *fn, void *arg);
struct store_task_row {
	int64_t id, rollout, region, wave;
	const char *state, *reason, *version;
	uint64_t term, updated;
};
typedef void store_task_row_fn(void *arg, const struct store_task_row *r);
/* Tasks of one rollout (@by_rollout) or one region, by id. */
enum store_rc store_tasks_each(struct store *s, int by_rollout, int64_t id,
			       store_task_row_fn *fn, void *arg);
struct store_rollout_row {
	int64_t id, wave, waves, wave_size, threshold;
	const char *version, *state;
	uint64_t created;
};
typedef void store_rollout_row_fn(void *arg, const struct store_rollout_row *r);
/* Oldest first, or the newest @limit first when @limit > 0. */
enum store_rc store_rollouts_each(struct store *s, int limit,
				  store_rollout_row_fn *fn, void *arg);
/* Counts grouped by a word: task states, rollout states, node versions. */
enum store_count_of {
	STORE_TASK_STATES,
	STORE_ROLLOUT_STATES,
	STORE_NODE_VERSIONS,
};
/*
 * Ordered by word, versions most common first. @id (-1: all) filters
 * tasks by rollout, versions by region.
 */
enum store_rc
store_counts_each(struct store *s, enum store_count_of what, int64_t id,
		  void (*fn)(void *arg, const char *word, int64_t n),
		  void *arg);
struct store_totals {
	int64_t nodes, regions_with_rvs, releases;
};
enum store_rc store_totals(struct store *s, struct store_totals *out);
struct store_audit_row {
	int64_t id;
	uint64_t time;
	const char *action, *detail;
};
typedef void store_audit_row_fn(void *arg, const struct store_audit_row *r);
enum store_rc store_audit_each(struct store *s, long limit,
			       store_audit_row_fn *fn, void *arg);

#endif
