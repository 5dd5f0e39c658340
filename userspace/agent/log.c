// SPDX-License-Identifier: GPL-2.0
/* Agent logging: "<n>" syslog prefixes let journald keep the level. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

enum alog_level alog_max = ALOG_INFO;

static const char *const names[] = { "error", "warn", "info", "debug" };
static const int prio[] = { 3, 4, 6, 7 };

int alog_parse_level(const char *s)
{
	for (int i = 0; i <= ALOG_DEBUG; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

void alog(enum alog_level lvl, const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	if (lvl > alog_max)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "<%d>%lld.%03ld %s: ", prio[lvl], (long long)ts.tv_sec,
		ts.tv_nsec / 1000000, names[lvl]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}
