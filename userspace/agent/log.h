/* SPDX-License-Identifier: GPL-2.0 */
/* Agent logging: one line per message on stderr, with a level (journald reads it). */
#ifndef RUP_AGENT_LOG_H
#define RUP_AGENT_LOG_H

enum alog_level { ALOG_ERR, ALOG_WARN, ALOG_INFO, ALOG_DEBUG };

extern enum alog_level alog_max;

/* "error", "warn", "info" or "debug"; -1 when unknown. */
int alog_parse_level(const char *s);
void alog(enum alog_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define aerr(...) alog(ALOG_ERR, __VA_ARGS__)
#define awarn(...) alog(ALOG_WARN, __VA_ARGS__)
#define ainfo(...) alog(ALOG_INFO, __VA_ARGS__)
#define adebug(...) alog(ALOG_DEBUG, __VA_ARGS__)

#endif
