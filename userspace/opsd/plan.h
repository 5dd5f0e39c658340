/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `rup-opsd plan`: dry run of the region assignment (SPEC section 4).
 *
 *   rup-opsd plan --nodes T --max-per-region M [--pool CIDR] < nodes.txt
 *
 * Reads `node_id score` lines on stdin, prints `node_id region_id group`,
 * one line per input line, through the same assign_add() as live
 * registration. A node id seen before is a re-registration: it keeps its
 * region and S does not change (its line is printed again). Blank lines and
 * lines starting with '#' are skipped.
 */
#ifndef RUP_OPSD_PLAN_H
#define RUP_OPSD_PLAN_H

#define PLAN_LINE_MAX 256 /* bytes per input line, newline included */
#define PLAN_ID_MAX 64 /* node id: 1..64 of [A-Za-z0-9._:-] */

/* Exit codes. */
#define PLAN_EXIT_OK 0
#define PLAN_EXIT_INPUT 1 /* bad input line, pool exhausted, write error */
#define PLAN_EXIT_USAGE 2 /* bad or missing options */

/*
 * @argv[0] is the subcommand's name ("plan"), options follow, so main.c
 * calls opsd_plan_main(argc - 1, argv + 1). Returns an exit code.
 */
int opsd_plan_main(int argc, char **argv);

#endif
