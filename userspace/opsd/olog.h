/* SPDX-License-Identifier: GPL-2.0 */
/* rup-opsd logging to stderr (journald adds time and priority). Tokens are never passed here. */
#ifndef RUP_OPSD_OLOG_H
#define RUP_OPSD_OLOG_H

#include <stdio.h>

extern int olog_verbose;

#define olog_err(fmt, ...) \
	fprintf(stderr, "<3>rup-opsd: " fmt "\n", ##__VA_ARGS__)
#define olog_warn(fmt, ...) \
	fprintf(stderr, "<4>rup-opsd: " fmt "\n", ##__VA_ARGS__)
#define olog_info(fmt, ...) \
	fprintf(stderr, "<6>rup-opsd: " fmt "\n", ##__VA_ARGS__)
#define olog_debug(fmt, ...)                                      \
	do {                                                      \
		if (olog_verbose)                                 \
			fprintf(stderr, "<7>rup-opsd: " fmt "\n", \
				##__VA_ARGS__);                   \
	} while (0)

#endif
