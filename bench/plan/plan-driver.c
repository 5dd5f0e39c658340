// SPDX-License-Identifier: GPL-2.0
/*
 * plan-driver: `rup-opsd plan` without the rest of rup-opsd, so the planner
 * can be benchmarked and compared on its own. Same code: opsd_plan_main().
 */
#include "plan.h"

int main(int argc, char **argv)
{
	return opsd_plan_main(argc, argv);
}
