/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent keeps across restarts, in <state>/state.json, written
 * atomically (temporary file, fsync, rename): the installed version, the
 * highest version ever installed (rollback protection), the per-node token
 * and the last registration (so a restart without the ops server still
 * joins its region).
 */
#ifndef RUP_AGENT_STATE_H
#define RUP_AGENT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rup.h>

#define AGENT_NODE_TOKEN_MAX 128

/* The ops server's answer to a registration. */
struct agent_reg {
	bool valid;
	uint32_t region;
	uint32_t group; /* IPv4, network order */
	uint16_t port;
	uint32_t interval_ms, dead_ms, window_ms;
	uint8_t key[RUP_KEY_LEN];
	char token[AGENT_NODE_TOKEN_MAX];
};

struct agent_state {
	char version[64]; /* installed */
	char highest[64]; /* highest ever installed, "" when none */
	struct agent_reg reg;
};

/* Read <dir>/state.json; a missing file leaves @s at @initial_version. */
int state_load(const char *dir, struct agent_state *s,
	       const char *initial_version, char *err, size_t errlen);
int state_save(const char *dir, const struct agent_state *s, char *err,
	       size_t errlen);

#endif
