/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs rup/: read-only tables of the reader's network namespace.
 */
#ifndef _RUP_DEBUGFS_H
#define _RUP_DEBUGFS_H

void rup_debugfs_init(void);
void rup_debugfs_exit(void);

#endif /* _RUP_DEBUGFS_H */
