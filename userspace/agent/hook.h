/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The install hook (docs/AGENT.md): an executable run as
 *   HOOK PACKAGE_PATH VERSION
 * with RUP_PACKAGE, RUP_VERSION, RUP_MANIFEST and RUP_NODE_ID in its
 * environment, in its own process group, killed after a timeout. Exit 0 is
 * success; anything else (or the timeout) is failure.
 */
#ifndef RUP_AGENT_HOOK_H
#define RUP_AGENT_HOOK_H

#include <stdbool.h>
#include <sys/types.h>

struct event_base;
struct hook;

/* @ok false: @why says what went wrong ("exit status 3", "timed out after 5 s"). */
typedef void (*hook_done_cb)(bool ok, const char *why, void *arg);

struct hook_args {
	const char *path; /* the hook executable */
	const char *package;
	const char *version;
	const char *manifest; /* path of the manifest next to the package */
	const char *node_hex;
	unsigned int timeout_s;
};

/* Start it; NULL when it could not be started (@cb is not called then). */
struct hook *hook_run(struct event_base *base, const struct hook_args *a,
		      hook_done_cb cb, void *arg);
/* Kill a running hook without calling back. */
void hook_cancel(struct hook *h);

#endif
