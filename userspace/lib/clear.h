/* SPDX-License-Identifier: GPL-2.0 */
/* Teardown of an owned pointer, shared by the agent and rup-opsd. */
#ifndef RUP_CLEAR_H
#define RUP_CLEAR_H

/*
 * Unless @p is NULL, hand it to @release; then @p is NULL, so a second
 * teardown is harmless (glib calls this g_clear_pointer).
 */
#define CLEAR_PTR(p, release)       \
	do {                        \
		if (p)              \
			release(p); \
		(p) = NULL;         \
	} while (0)

#endif
